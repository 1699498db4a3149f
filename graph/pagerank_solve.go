package graph

import (
	"errors"
	"math"

	"github.com/coopgraph/coopgraph"
)

// PageRank tolerances a caller may ask for (CentralityOptions.Tolerance).
// Below MinPageRankTolerance the float64 sums of a large graph could no
// longer certify the bound.
const (
	MinPageRankTolerance = 1e-13
	MaxPageRankTolerance = 0.1
	// pageRankSolveMaxIter bounds the conjugate gradient iterations; the
	// bound below needs ~65 for 1e-13, so reaching it means rounding
	// stalled the iteration.
	pageRankSolveMaxIter = 1000
)

// pageRankSolve computes the PageRank vector pageRank converges to (the
// same definition: α = 0.85, uniform teleport, dangling nodes spread
// uniformly, a self-loop counted once in the degree) to a certified
// accuracy: the L1 distance between the returned scores and the exact
// fixed point is at most tol.
//
// On an undirected graph the fixed point solves a symmetric positive
// definite system. PageRank is
//
//	x = α·A·D⁺·x + γ·1,  γ = (α·Σ_{dangling d} x_d + 1 − α) / n
//
// for the adjacency A and degrees D. A dangling node has no edge, so it
// receives γ alone, x_d = γ, which gives γ = (1 − α)/(n − α·n_d) for n_d
// dangling nodes. For the others, y = D⁻¹x solves
//
//	M·y = γ·1,  M = D − α·A,
//
// and M is symmetric and strictly diagonally dominant (a degree counts a
// self-loop once, α < 1), hence positive definite. Conjugate gradients
// preconditioned by D (Hestenes and Stiefel 1952) solve it: the
// preconditioned matrix I − α·D^-½·A·D^-½ has its spectrum in
// [1 − α, 1 + α], a condition number κ ≤ (1 + α)/(1 − α) ≈ 12.3, so the
// error falls by at least (√κ − 1)/(√κ + 1) ≈ 0.56 per iteration where
// power iteration gets α = 0.85: ~40 iterations of O(n + m) for 1e-10
// rather than ~140.
//
// The bound: for the residual r = γ·1 − M·y and x = D·y,
// (I − α·A·D⁻¹)(x − x*) = −r, and every column of A·D⁻¹ sums to 1, so
// ‖(I − α·A·D⁻¹)⁻¹‖₁ ≤ 1/(1 − α) (Neumann series) and
//
//	‖x − x*‖₁ ≤ ‖r‖₁ / (1 − α).
//
// The iteration stops when the recurrence's residual meets
// ‖r‖₁ ≤ (1 − α)·tol, then recomputes the true residual with one more
// product and goes on if rounding made the two differ. The scores are not
// renormalised: they sum to 1 within tol.
//
// Pendant trees are eliminated exactly first (see pendantTrees): a node
// v of a tree hanging from p has the row diag_v·y_v − α·y_p = rhs_v once
// its own subtree is eliminated, so, bottom up,
//
//	diag_p −= α²/diag_v,  rhs_p += α·rhs_v/diag_v,
//
// and after the core is solved, top down, y_v = (rhs_v + α·y_p)/diag_v.
// The Schur complement left on the core is symmetric and still strictly
// diagonally dominant, so conjugate gradients (preconditioned by its
// diagonal) apply there; on CORDIS H2020 the core holds 36% of the nodes
// and 73% of the edges. The certificate is computed on the whole graph,
// after the back substitution, and a miss (rounding) resumes the core
// iteration towards a tighter goal.
//
// Each iteration is two passes over the core: the product M·z, fused
// with p = z + β·p and q = M·p = M·z + β·q and the sum p·q, then the
// updates of y, r and z with the sums r·z and ‖r‖₁. The nodes are
// updated in chunks of equal work spread over the cores, partial sums
// added in chunk order: the same bits on any number of cores. Start:
// x₀ = (1 − α)/n + α·d/2m, one power step from the random walk's
// stationary distribution d/2m (a step closer than networkx's uniform x₀).
// O(n + m) to eliminate and certify, O(n_c + m_c)
// per iteration on a core of n_c nodes and m_c edges. Not reaching tol
// within pageRankSolveMaxIter iterations is an EINVALID error.
func pageRankSolve(g *simpleGraph, tol float64) ([]float64, error) {
	n := g.n
	if n == 0 {
		return []float64{}, nil
	}
	alpha := pageRankAlpha
	// d is the degree (a self-loop once); diag and rhs the rows of M·y =
	// γ·1 as the elimination leaves them.
	d, diag, rhs := make([]float64, n), make([]float64, n), make([]float64, n)
	dangling, twoM := 0, 0 // twoM is Σ d: 2m, and the self-loops once
	for u := range n {
		k := len(g.neighbours(int32(u)))
		diag[u] = float64(k)
		if g.loop[u] {
			k++
			diag[u] += 1 - alpha
		}
		d[u] = float64(k)
		twoM += k
		if k == 0 {
			dangling++
		}
	}
	gamma := (1 - alpha) / (float64(n) - alpha*float64(dangling))
	for u := range n {
		if d[u] > 0 {
			rhs[u] = gamma
		}
	}
	tr := peelTrees(g)
	for _, v := range tr.peeled { // bottom up
		p := tr.parent[v]
		diag[p] -= alpha * alpha / diag[v]
		rhs[p] += alpha * rhs[v] / diag[v]
	}

	cs := newCoreSolver(g, tr, diag, rhs, alpha)
	for k, u := range cs.orig {
		cs.y[k] = (1-alpha)/float64(n)/d[u] + alpha/float64(twoM)
	}
	goal := (1 - alpha) * tol // on ‖r‖₁
	y, r := make([]float64, n), make([]float64, n)
	for coreGoal := goal * 0.9; ; coreGoal /= 8 {
		if err := cs.solve(coreGoal); err != nil {
			return nil, coopgraph.Errorf(coopgraph.EINVALID,
				"PAGERANK centrality did not reach tolerance %g within %d iterations", tol, pageRankSolveMaxIter)
		}
		cs.result(y)
		for _, u := range tr.roots {
			if d[u] > 0 {
				y[u] = rhs[u] / diag[u]
			}
		}
		for i := len(tr.peeled) - 1; i >= 0; i-- { // top down
			v := tr.peeled[i]
			y[v] = (rhs[v] + alpha*y[tr.parent[v]]) / diag[v]
		}
		if l1 := pageRankResidual(g, alpha, gamma, d, y, r); l1 <= goal || g.job.stopped() {
			break // certified, or stopped (partial: the caller answers with the job's error)
		}
	}
	x := y // reused: x_u = d_u·y_u, or γ for a dangling node
	for u := range x {
		if d[u] == 0 {
			x[u] = gamma
		} else {
			x[u] *= d[u]
		}
	}
	return x, nil
}

// peeledTrees is a graph with its pendant trees peeled off: repeatedly
// removing a node of degree 1 (see pendantTrees, which builds on it and
// also relabels and measures the trees for betweenness). O(n + m).
type peeledTrees struct {
	peeled []int32 // removed nodes, each after every node of its subtree
	parent []int32 // removed node -> the neighbour it hung from; -1 for the others
	roots  []int32 // nodes left without neighbours: tree roots, isolated nodes
	// deg is a node's number of neighbours in the core; > 0 exactly for
	// the core's nodes.
	deg   []int32
	ncore int
}

func peelTrees(g *simpleGraph) *peeledTrees {
	n := g.n
	tr := &peeledTrees{parent: make([]int32, n)}
	deg := make([]int32, n) // -1 once removed
	var queue []int32
	for u := range n {
		deg[u] = int32(len(g.neighbours(int32(u))))
		if deg[u] == 1 {
			queue = append(queue, int32(u))
		}
		tr.parent[u] = -1
	}
	for head := 0; head < len(queue); head++ {
		v := queue[head]
		if deg[v] != 1 { // the last node of a tree component
			continue
		}
		deg[v] = -1
		tr.peeled = append(tr.peeled, v)
		for _, p := range g.neighbours(v) {
			if deg[p] >= 0 {
				tr.parent[v] = p
				if deg[p]--; deg[p] == 1 {
					queue = append(queue, p)
				}
				break
			}
		}
	}
	for u := range n {
		switch {
		case deg[u] > 0:
			tr.ncore++
		case deg[u] == 0:
			tr.roots = append(tr.roots, int32(u))
		}
	}
	tr.deg = deg
	return tr
}

// solveChunkWork is the work (edge visits plus nodes) of the chunks the
// solver's passes are cut into: chunks cut by work rather than by node
// count keep both cores busy on a side of few, high-degree nodes (the
// projects of a participation network). The cuts depend on the graph
// alone, so partial sums added in chunk order give the same bits on any
// number of cores.
const solveChunkWork = 8192

// chunkBounds cuts the rows of off into chunks of about solveChunkWork
// visits: chunk c is rows [b[c], b[c+1]).
func chunkBounds(off []int32) []int32 {
	b := []int32{0}
	n := len(off) - 1
	start := 0
	for k := range n {
		if work := int(off[k+1]-off[start]) + (k + 1 - start); work >= solveChunkWork {
			b = append(b, int32(k+1))
			start = k + 1
		}
	}
	if start < n {
		b = append(b, int32(n))
	}
	return b
}

// pageRankResidual sets r = γ·1 − (D − α·A)·y on the nodes with an edge
// and returns ‖r‖₁, in chunks added in order.
func pageRankResidual(g *simpleGraph, alpha, gamma float64, d, y, r []float64) float64 {
	bounds := chunkBounds(g.off)
	chunks := len(bounds) - 1
	part := make([]float64, chunks)
	off, adj, loop := g.off, g.adj, g.loop
	parallelChunks(g.job, chunks, len(adj)+g.n, func(c int) {
		s := 0.0
		for k := bounds[c]; k < bounds[c+1]; k++ {
			if d[k] == 0 {
				continue
			}
			a := 0.0
			for _, j := range adj[off[k]:off[k+1]] {
				a += y[j]
			}
			if loop[k] {
				a += y[k]
			}
			r[k] = gamma - (d[k]*y[k] - alpha*a)
			s += math.Abs(r[k])
		}
		part[c] = s
	})
	l1 := 0.0
	for _, v := range part {
		l1 += v
	}
	return l1
}

// coreSolver solves the core's system (diag − α·A)·y = rhs by conjugate
// gradients preconditioned by the diagonal, keeping its state between
// calls so that a tighter goal resumes where the last call stopped.
//
// When the core is bipartite, as a participation network is (projects
// and countries on one side, organisations on the other), it first
// eliminates one side Z exactly (red-black reduction, Reid 1972): with B
// the edges from the kept side X to Z,
//
//	(D_X − α²·B·D_Z⁻¹·Bᵀ)·y_X = rhs_X + α·B·D_Z⁻¹·rhs_Z,
//	y_Z = D_Z⁻¹·(rhs_Z + α·Bᵀ·y_X).
//
// Preconditioned, the spectrum [1 − α, 1 + α] becomes [1 − α², 1] (for
// the plain degrees): κ ≈ 3.6 instead of 12.3, half the iterations, each
// a product over the same edges (two half products) and vector work
// over X alone, the smaller side.
type coreSolver struct {
	job        *job    // the graph's: the iteration stops early with it
	n          int     // unknowns: the core's nodes, or side X's
	off, adj   []int32 // unknown k's neighbours: core nodes, or side Z's
	coef       float64 // α, or α² when reduced
	diag, pre  []float64
	rhs        []float64
	y, r, z    []float64
	p, q       []float64
	part       [][2]float64
	bounds     []int32 // chunks of the unknowns (chunkBounds)
	work       int     // edge visits of a pass over the unknowns
	zwork      int     // and over side Z
	iters      int
	orig       []int32 // unknown -> graph node
	alpha      float64
	reduced    bool
	zoff, zadj []int32   // side Z's neighbours on side X
	zinv       []float64 // 1/diag of side Z's nodes
	zrhs       []float64
	zorig      []int32
	t          []float64 // D_Z⁻¹·Bᵀ·z
	zbounds    []int32
}

func newCoreSolver(g *simpleGraph, tr *peeledTrees, diag, rhs []float64, alpha float64) *coreSolver {
	cs := &coreSolver{job: g.job, alpha: alpha, coef: alpha}
	deg := tr.deg
	side, bipartite := twoColour(g, deg)
	// Side 2 holds the nodes kept as unknowns: the smaller side when the
	// core is bipartite (less vector work per iteration), every core node
	// otherwise; side 1 the eliminated ones, 0 the nodes outside the core.
	// Each side keeps the graph's node order, so its adjacency stays
	// sorted.
	if bipartite && tr.ncore >= 2 {
		twos := 0
		for _, c := range side {
			if c == 2 {
				twos++
			}
		}
		if twos > tr.ncore-twos {
			for u, c := range side {
				if c != 0 {
					side[u] = 3 - c
				}
			}
		}
		cs.reduced, cs.coef = true, alpha*alpha
	} else {
		for u, c := range side {
			if c != 0 {
				side[u] = 2
			}
		}
	}
	// index numbers each side's nodes in graph order.
	index := make([]int32, g.n)
	var count [3]int32
	for u, c := range side {
		index[u] = count[c]
		count[c]++
	}
	cs.orig, cs.zorig = make([]int32, 0, count[2]), make([]int32, 0, count[1])
	for u, c := range side {
		switch c {
		case 2:
			cs.orig = append(cs.orig, int32(u))
		case 1:
			cs.zorig = append(cs.zorig, int32(u))
		}
	}
	// rows returns the CSR of the given nodes' core neighbours.
	rows := func(nodes []int32) (off, adj []int32) {
		size := 0
		for _, u := range nodes {
			size += int(deg[u])
		}
		off, adj = make([]int32, len(nodes)+1), make([]int32, size)
		i := 0
		for k, u := range nodes {
			for _, v := range g.adj[g.off[u]:g.off[u+1]] {
				if side[v] != 0 {
					adj[i] = index[v]
					i++
				}
			}
			off[k+1] = int32(i)
		}
		return off, adj
	}
	cs.n = len(cs.orig)
	var flow []float64 // α·rhs_Z/diag_Z, what side Z passes on to side X
	if cs.reduced {
		nz := len(cs.zorig)
		cs.zoff, cs.zadj = rows(cs.zorig)
		cs.zbounds = chunkBounds(cs.zoff)
		cs.zinv, cs.zrhs, cs.t = make([]float64, nz), make([]float64, nz), make([]float64, nz)
		flow = make([]float64, nz)
		for k, u := range cs.zorig {
			cs.zinv[k], cs.zrhs[k] = 1/diag[u], rhs[u]
			flow[k] = alpha * rhs[u] * cs.zinv[k]
		}
	}
	cs.off, cs.adj = rows(cs.orig)
	cs.bounds = chunkBounds(cs.off)
	cs.diag, cs.rhs = make([]float64, cs.n), make([]float64, cs.n)
	for k, u := range cs.orig {
		cs.diag[k], cs.rhs[k] = diag[u], rhs[u]
	}
	cs.pre = cs.diag
	if cs.reduced {
		cs.pre = make([]float64, cs.n)
		for k := range cs.n {
			pre, b := cs.diag[k], cs.rhs[k]
			for _, j := range cs.adj[cs.off[k]:cs.off[k+1]] {
				pre -= cs.coef * cs.zinv[j]
				b += flow[j]
			}
			cs.pre[k], cs.rhs[k] = pre, b
		}
	}
	cs.y, cs.r, cs.z = make([]float64, cs.n), make([]float64, cs.n), make([]float64, cs.n)
	cs.p, cs.q = make([]float64, cs.n), make([]float64, cs.n)
	cs.part = make([][2]float64, max(len(cs.bounds), len(cs.zbounds)))
	cs.work, cs.zwork = len(cs.adj)+cs.n, len(cs.zadj)+len(cs.zorig)
	return cs
}

// twoColour returns a side for every node: 0 for the nodes with deg <= 0,
// 1 or 2 for the others, such that every edge between those joins the two
// sides, and whether there is one (the subgraph they induce is bipartite).
// The kinds' colouring when the graph has one (simpleGraph.kindSide), in
// O(n); else a breadth-first search reading one byte per node per edge
// visit, O(n + m).
func twoColour(g *simpleGraph, deg []int32) ([]uint8, bool) {
	const unseen = 3
	side := make([]uint8, g.n)
	if g.kindSide != nil {
		for u, d := range deg {
			if d > 0 {
				side[u] = g.kindSide[g.kindOf[u]]
			}
		}
		return side, true
	}
	for u, d := range deg {
		if d > 0 {
			side[u] = unseen
		}
	}
	queue := make([]int32, 0, g.n)
	for s := range int32(g.n) {
		if side[s] != unseen {
			continue
		}
		side[s] = 1
		queue = append(queue[:0], s)
		for head := 0; head < len(queue); head++ {
			u := queue[head]
			cu := side[u]
			for _, v := range g.adj[g.off[u]:g.off[u+1]] {
				switch side[v] {
				case unseen:
					side[v] = 3 - cu
					queue = append(queue, v)
				case cu:
					return side, false
				}
			}
		}
	}
	return side, true
}

// each calls f on every chunk [lo, hi) of the unknowns (or of side Z's
// nodes, with zside), spread over the cores, and returns the sums of
// part, added in chunk order.
func (cs *coreSolver) each(zside bool, f func(c, lo, hi int)) (float64, float64) {
	bounds, work := cs.bounds, cs.work
	if zside {
		bounds, work = cs.zbounds, cs.zwork
	}
	chunks := len(bounds) - 1
	parallelChunks(cs.job, chunks, work, func(c int) { f(c, int(bounds[c]), int(bounds[c+1])) })
	a, b := 0.0, 0.0
	for _, v := range cs.part[:chunks] {
		a += v[0]
		b += v[1]
	}
	return a, b
}

// spread sets t = D_Z⁻¹·Bᵀ·v when the system is reduced: then the
// neighbour sums of a product run over t rather than v.
func (cs *coreSolver) spread(v []float64) []float64 {
	if !cs.reduced {
		return v
	}
	t, zoff, zadj, zinv := cs.t, cs.zoff, cs.zadj, cs.zinv
	cs.each(true, func(c, lo, hi int) {
		for k := lo; k < hi; k++ {
			a := 0.0
			for _, j := range zadj[zoff[k]:zoff[k+1]] {
				a += v[j]
			}
			t[k] = a * zinv[k]
		}
	})
	return t
}

// solve iterates until the residual's L1 norm (by the recurrence) is at
// most goal; the caller certifies it on the whole graph.
func (cs *coreSolver) solve(goal float64) error {
	if cs.n == 0 {
		return nil
	}
	y, r, z, p, q, diag, pre, part := cs.y, cs.r, cs.z, cs.p, cs.q, cs.diag, cs.pre, cs.part
	off, adj, coef := cs.off, cs.adj, cs.coef
	// r = rhs − M·y, z = r/pre, p = z, q = M·z.
	ty := cs.spread(y)
	rz, l1 := cs.each(false, func(c, lo, hi int) {
		s, a := 0.0, 0.0
		for k := lo; k < hi; k++ {
			sum := 0.0
			for _, j := range adj[off[k]:off[k+1]] {
				sum += ty[j]
			}
			r[k] = cs.rhs[k] - (diag[k]*y[k] - coef*sum)
			z[k] = r[k] / pre[k]
			s += r[k] * z[k]
			a += math.Abs(r[k])
		}
		part[c] = [2]float64{s, a}
	})
	beta := 0.0
	conv := convergence{j: cs.job, limit: pageRankSolveMaxIter}
	for ; l1 > goal && !cs.job.stopped(); cs.iters++ {
		if cs.iters >= pageRankSolveMaxIter {
			return errNotConverged
		}
		// p = z + β·p; q = M·z + β·q (= M·p); Σ p·q.
		tz := cs.spread(z)
		pq, _ := cs.each(false, func(c, lo, hi int) {
			s := 0.0
			for k := lo; k < hi; k++ {
				sum := 0.0
				for _, j := range adj[off[k]:off[k+1]] {
					sum += tz[j]
				}
				pk := z[k] + beta*p[k]
				qk := diag[k]*z[k] - coef*sum + beta*q[k]
				p[k], q[k] = pk, qk
				s += pk * qk
			}
			part[c] = [2]float64{s, 0}
		})
		step := rz / pq
		var next float64
		next, l1 = cs.each(false, func(c, lo, hi int) {
			s, a := 0.0, 0.0
			for k := lo; k < hi; k++ {
				y[k] += step * p[k]
				r[k] -= step * q[k]
				z[k] = r[k] / pre[k]
				s += r[k] * z[k]
				a += math.Abs(r[k])
			}
			part[c] = [2]float64{s, a}
		})
		beta, rz = next/rz, next
		conv.step(l1, goal)
	}
	return nil
}

// result writes the core's solution into y, indexed by graph node.
func (cs *coreSolver) result(y []float64) {
	for k, u := range cs.orig {
		y[u] = cs.y[k]
	}
	for k, u := range cs.zorig { // y_Z = D_Z⁻¹·(rhs_Z + α·Bᵀ·y_X)
		a := 0.0
		for _, j := range cs.zadj[cs.zoff[k]:cs.zoff[k+1]] {
			a += cs.y[j]
		}
		y[u] = (cs.zrhs[k] + cs.alpha*a) * cs.zinv[k]
	}
}

var errNotConverged = errors.New("not converged")
