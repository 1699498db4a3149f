package graph

import (
	"cmp"
	"context"
	"math"
	"math/bits"
	"slices"
	"sync/atomic"

	"github.com/coopgraph/coopgraph"
)

// Impact is what removing one entity does to the connections of the
// others.
type Impact struct {
	Entity string
	// DisconnectedPairs counts the unordered pairs {u, v}, u, v ≠ X,
	// connected before X is removed and not after.
	DisconnectedPairs int64
	// LongerPairs counts the pairs still connected after the removal whose
	// shortest path got longer: exactly when Exact, else an estimate from
	// the searches of Samples entities, within LongerPairsBound of the true
	// count with probability at least 1 − WhatIfDelta.
	LongerPairs int64
	// Exact says LongerPairs is the exact count (DisconnectedPairs and
	// Components always are).
	Exact bool
	// Samples is the number of entities whose breadth-first searches
	// counted or estimated LongerPairs: all of X's component when Exact
	// (those not searched proven to gain no longer pair).
	Samples int
	// LongerPairsBound is the half-width of LongerPairs' confidence
	// interval (empirical Bernstein, level 1 − WhatIfDelta); 0 when Exact.
	LongerPairsBound float64
	// Components are the sizes of the pieces X's component falls into
	// (X not counted), descending; empty when X had no relation.
	Components []int
	// Examples are the first changed pairs: the disconnected ones ordered by
	// A, then B, then the longer ones by increase (After − Before)
	// descending, then A, then B. When not Exact, the longer ones are
	// those found from the searched entities (a pair with one end searched).
	Examples []PairChange
}

// PairChange is the shortest-path length between A and B (A < B) before
// and after the removal; After is −1 when they are no longer connected.
type PairChange struct {
	A, B          string
	Before, After int
}

// MaxWhatIfWork bounds the cost of WhatIfRemoved's exact count of longer
// pairs: Σ_i s_i·(s_i + 2·e_i) over the pieces of s_i entities and e_i
// links that X's component falls into, the steps of one breadth-first
// search from every entity of every piece (the bit-parallel searches take
// fewer). At the limit, about 1 s on two cores for a small-world network
// (the 25,000-entity, 50,000-relation benchmark network's hub: 2.4·10^9,
// 1.7 s of CPU), up to ~2 s for a sparse, tree-like one. Beyond it the
// searches start from a sample of sources that costs about as much.
const MaxWhatIfWork = 2_500_000_000

// WhatIfDelta is the probability that a sampled LongerPairs lies farther
// than LongerPairsBound from the exact count.
const WhatIfDelta = 0.05

// MaxWhatIfExamples bounds WhatIfRemoved's first.
const MaxWhatIfExamples = 10_000

// WhatIfRemoved compares the shortest-path lengths between every pair of
// other entities before and after id (X) leaves the network with its
// relations, on the simple undirected graph G of the kept relations (as
// nx.Graph(relations); networkx reference: G.remove_node(X), compare
// nx.all_pairs_shortest_path_length). Only X's component can change.
//
//   - DisconnectedPairs = C(c, 2) − Σ_i C(s_i, 2), where c is the number of
//     other entities in X's component and s_i the sizes of the pieces it
//     falls into (one BFS per piece): O(c + e).
//   - Nothing changes at all when every two neighbours of X are at most 2
//     apart in G−X (a path a–X–b can then be replaced by one as short), so
//     that is checked first, by a 2-hop search from each neighbour of X,
//     and answered at once: for leaves, and for members of a clique.
//   - LongerPairs: in G, d(u, v) = min(d_{G−X}(u, v), d(u, X) + d(X, v)),
//     as a shortest path either avoids X or passes through it. One BFS from
//     X gives d(·, X); a BFS in G−X from every u of the component gives
//     d_{G−X}(u, ·); the pair is longer when d(u, X) + d(X, v) <
//     d_{G−X}(u, v) < ∞. The searches run 64 sources at a time, bit-parallel
//     (see bitBFS), where the pairs reaching v at distance d that are longer
//     are those with d(u, X) < d − d(v, X): one AND and one popcount per
//     node and level for 64 pairs. At most O(Σ_i s_i·(s_i + e_i)) time,
//     typically several times less, the batches spread over GOMAXPROCS
//     workers; O(c + e) space per worker.
//
// The exact count needs a search from every entity of the component, so
// its cost (pairWork) is bounded by MaxWhatIfWork. Beyond it LongerPairs
// is estimated, never refused (estimateLonger: the method in full). With
// L(u) the entities whose distance from u got longer, LongerPairs =
// Σ_u L(u)/2, and L is nested down the searches from X: L(u) ≤ L(w) for
// every neighbour w of u one step closer to X, so the searches from X's
// neighbours bound every L(u) from above by U(u) (and prove L(u) = 0
// for most entities far from X). Then, within the budget: whole layers by
// distance from X are searched while one costs at most half of what is
// left, tightening U below them; the entities with the largest U are
// searched; the rest is importance-sampled, sources drawn with
// probability ∝ U (PCG seeded with 1: the same answer every time), each
// draw giving L(u)/U(u) in [0, 1]. The half-width of the estimate's
// confidence interval at level 1 − δ is the empirical Bernstein bound of
// A. Maurer, M. Pontil (Empirical Bernstein bounds and sample variance
// penalization, COLT 2009) on those draws, times Σ U of the sampled part,
// so that
//
//	P(|estimate − LongerPairs| > LongerPairsBound) ≤ δ,
//
// with δ = WhatIfDelta; the answer says Exact false, and Samples is the
// number of entities searched. When what the bounds leave fits in the
// budget, the count is exact (Exact true). Near a hub, the longer pairs
// gather close to it, so the bound is some 5–15% of the estimate on the
// linked network (BENCHMARKS.md, "What-if on the real network"), where a
// bound from the range of L alone (Hoeffding) was 7 times the estimate.
// When X's neighbours alone cost more than the budget, sources are drawn
// uniformly instead (uniformLonger: a much wider bound). The 2-hop check
// is bounded by MaxWhatIfWork/8 steps, past which the searches run. The
// estimate's time is about the exact count's at the limit.
//
// Examples holds at most first pairs (0 <= first <= MaxWhatIfExamples), in
// the order Impact documents; it is the same whatever the number of
// workers.
//
// An unknown id is an ENOTFOUND error, an unknown relation type or a
// negative first an EINVALID error, first above MaxWhatIfExamples an
// ELIMIT error.
//
// The answer is shared and kept like a ranking (see Centrality): the caller
// must not modify it. ctx ending first gives its cause.
func (s *Snapshot) WhatIfRemoved(ctx context.Context, id string, relationTypes []string, first int) (*Impact, error) {
	x, err := s.node(id)
	if err != nil {
		return nil, err
	}
	keep, err := s.typeFilter(relationTypes)
	if err != nil {
		return nil, err
	}
	switch {
	case first < 0:
		return nil, coopgraph.Errorf(coopgraph.EINVALID, "%s must not be negative, got %d", coopgraph.Option("first"), first)
	case first > MaxWhatIfExamples:
		return nil, coopgraph.Errorf(coopgraph.ELIMIT, "%s is %d; the limit is %d", coopgraph.Option("first"), first, MaxWhatIfExamples)
	}
	key := cacheKey("whatif", id, sortedKey(relationTypes), first)
	return shared(ctx, &s.computed, key, func(j *job) (*Impact, int, error) {
		imp, err := s.whatIf(j, x, keep, first, MaxWhatIfWork, 1)
		if err != nil || imp == nil {
			return nil, 0, err
		}
		return imp, 256 + 64*len(imp.Examples), nil
	})
}

// whatIf computes WhatIfRemoved's answer for node x, in the steps its
// doc describes: X's component, G−X on it, the disconnected pairs, the
// 2-hop check that answers at once, the work bound (budget) that chooses
// between every source and a sample (drawn with seed), then the examples of disconnected
// pairs and the longer pairs.
func (s *Snapshot) whatIf(j *job, x int32, keep []bool, first int, budget int64, seed uint64) (*Impact, error) {
	g := s.simple(j, keep)
	comp, before := componentWithout(g, x)
	h, nx := withoutNode(j, g, x, comp)

	id := s.ids[x]
	imp := &Impact{Entity: id, Components: []int{}, Examples: []PairChange{}, Exact: true, Samples: len(comp)}
	piece, sizes := components(h)
	imp.DisconnectedPairs, imp.Components = disconnectedPairs(len(comp), sizes)
	if noDetour(h, nx, budget/8) {
		return imp, nil
	}
	for _, p := range disconnectedExamples(piece, first) {
		imp.Examples = append(imp.Examples, PairChange{A: s.ids[comp[p[0]]], B: s.ids[comp[p[1]]],
			Before: int(before[p[0]] + before[p[1]]), After: -1})
	}
	k := first - len(imp.Examples)
	var top []longerPair
	if work := pairWork(h, piece, sizes); work <= budget {
		imp.LongerPairs, top = longerPairs(j, h, before, nil, k, nil, nil)
	} else {
		est := estimateLonger(j, h, before, nx, piece, sizes, k, budget, seed)
		top = est.top
		imp.LongerPairs, imp.Exact = int64(math.Round(est.longer/2)), est.exact
		if !est.exact {
			imp.Samples, imp.LongerPairsBound = est.searched, est.bound/2
		}
	}
	for _, p := range top {
		imp.Examples = append(imp.Examples, PairChange{A: s.ids[comp[p.u]], B: s.ids[comp[p.v]],
			Before: int(p.before), After: int(p.after)})
	}
	return imp, nil
}

// componentWithout returns X's component without X, in index (= id)
// order, and d(u, X) for each of its entities in that order: one BFS from
// X, O(c + e).
func componentWithout(g *simpleGraph, x int32) (comp, before []int32) {
	dx := newDist(g.n)
	dx[x] = 0
	queue := []int32{x}
	for head := 0; head < len(queue); head++ {
		u := queue[head]
		for _, v := range g.neighbours(u) {
			if dx[v] < 0 {
				dx[v] = dx[u] + 1
				queue = append(queue, v)
			}
		}
	}
	comp = slices.Clone(queue[1:])
	slices.Sort(comp)
	before = make([]int32, len(comp))
	for i, u := range comp {
		before[i] = dx[u]
	}
	return comp, before
}

// withoutNode returns h, G−X restricted to comp (X's component), with
// local indexes (the rank in comp, so that comparing them compares ids),
// and X's neighbours as local indexes.
func withoutNode(j *job, g *simpleGraph, x int32, comp []int32) (h *simpleGraph, nx []int32) {
	c := len(comp)
	local := make([]int32, g.n)
	for i, u := range comp {
		local[u] = int32(i)
	}
	h = &simpleGraph{n: c, off: make([]int32, c+1), job: j}
	for i, u := range comp {
		for _, v := range g.neighbours(u) {
			if v != x {
				h.adj = append(h.adj, local[v])
			}
		}
		h.off[i+1] = int32(len(h.adj))
	}
	nx = make([]int32, 0, len(g.neighbours(x)))
	for _, v := range g.neighbours(x) {
		nx = append(nx, local[v])
	}
	return h, nx
}

// disconnectedPairs is C(c, 2) − Σ_i C(s_i, 2): the pairs of X's
// component (c entities besides X) that its pieces of sizes s_i no longer
// connect; and those sizes, descending.
func disconnectedPairs(c int, sizes []int32) (int64, []int) {
	pairs := func(k int64) int64 { return k * (k - 1) / 2 }
	n := pairs(int64(c))
	pieces := make([]int, 0, len(sizes))
	for _, sz := range sizes {
		n -= pairs(int64(sz))
		pieces = append(pieces, int(sz))
	}
	slices.SortFunc(pieces, func(a, b int) int { return cmp.Compare(b, a) })
	return n, pieces
}

// pairWork is the cost MaxWhatIfWork bounds: Σ_i s_i·(s_i + 2·e_i) over
// the pieces of h, the steps of a BFS from every entity of every piece.
func pairWork(h *simpleGraph, piece, sizes []int32) int64 {
	links := make([]int64, len(sizes)) // twice the links of each piece
	for u := range int32(h.n) {
		links[piece[u]] += int64(len(h.neighbours(u)))
	}
	var work int64
	for i, sz := range sizes {
		work += int64(sz) * (int64(sz) + links[i])
	}
	return work
}

// disconnectedExamples returns the first pairs (u, v), u < v, of local
// indexes in different pieces, ordered by u then v. Walking the runs of
// equal piece in local order, a run of u's piece is always followed by
// one of another piece, so this is O(c + first).
func disconnectedExamples(piece []int32, first int) [][2]int32 {
	c := len(piece)
	var runs []int32 // start of each run, then c
	for i := range c {
		if i == 0 || piece[i] != piece[i-1] {
			runs = append(runs, int32(i))
		}
	}
	runs = append(runs, int32(c))
	var ex [][2]int32
	run := 0
	for u := int32(0); u < int32(c) && len(ex) < first; u++ {
		if u == runs[run+1] {
			run++
		}
		for r := run + 1; r+1 < len(runs) && len(ex) < first; r++ {
			if piece[runs[r]] == piece[u] {
				continue
			}
			for v := runs[r]; v < runs[r+1] && len(ex) < first; v++ {
				ex = append(ex, [2]int32{u, v})
			}
		}
	}
	return ex
}

// longerPairs counts the pairs of h = G−X whose distance got longer than
// in G (before holds d(·, X)), with breadth-first searches from 64 sources
// at once spread over the job's workers, and returns the k first of them
// in Impact's order. With sources nil it searches from every node and
// returns the unordered pairs; else from those sources (ascending) only,
// and returns the ordered pairs (u, v), u a source, whose longer distance
// the searches saw, and in perSource (len(sources)) each source's count.
func longerPairs(j *job, h *simpleGraph, before []int32, sources []int32, k int, perSource []int64, partners []int32) (int64, []longerPair) {
	type worker struct {
		longer int64 // ordered pairs
		top    []longerPair
	}
	var ws []*worker
	n := h.n
	if sources != nil {
		n = len(sources)
	}
	batches := (n + 63) / 64
	fs := workers(j, batches, func() func(int32) {
		w := &worker{}
		ws = append(ws, w)
		bp := newBitBFS(h, before)
		bp.all = sources != nil
		bp.partners = partners
		src := make([]int32, 0, 64)
		return func(batch int32) {
			src = src[:0]
			for i := 64 * int(batch); i < min(n, 64*int(batch)+64); i++ {
				if sources == nil {
					src = append(src, int32(i))
				} else {
					src = append(src, sources[i])
				}
			}
			if perSource != nil {
				bp.perSource = perSource[64*int(batch) : 64*int(batch)+len(src)]
			}
			w.longer += bp.run(src, k, &w.top)
		}
	})
	parallelFor(j, 0, batches, fs)
	var longer int64
	var top []longerPair
	for _, w := range ws {
		longer += w.longer
		top = append(top, w.top...)
	}
	if sources != nil {
		return longer, topLonger(top, k)
	}
	// Each unordered pair was counted from both ends.
	return longer / 2, topLonger(top, k)
}

// estimateMean is the mean of the population of n values in [0, r] that
// xs samples without replacement, and the half-width of its confidence
// interval at level 1 − delta: the smaller of Hoeffding's bound and the
// empirical Bernstein–Serfling bound, each at delta/2 (so that the
// smaller holds with probability at least 1 − delta):
//
//	Hoeffding (1963): r·√(ln(4/δ)/(2k))
//	Bardenet–Maillard (2015), Theorem 3, both sides:
//	    σ̂·√(2ρ·ln(20/δ)/k) + κ·r·ln(20/δ)/k,  κ = 7/3 + 3/√2,
//
// with k samples, σ̂² = Σ(x − mean)²/k and ρ = 1 − (k−1)/n (for k ≤
// n/2; (1 − k/n)(1 + 1/k) above). Bernstein's is the tighter when the
// values vary little against their range, as the longer-pair counts of a
// what-if do; Hoeffding's when they spread over it. (R. Bardenet, O.-A.
// Maillard, Concentration inequalities for sampling without replacement,
// Bernoulli 21(3):1361–1385, 2015.)
func estimateMean(xs []int64, n int, r, delta float64) (mean, bound float64) {
	k := float64(len(xs))
	for _, x := range xs {
		mean += float64(x)
	}
	mean /= k
	var v float64
	for _, x := range xs {
		v += (float64(x) - mean) * (float64(x) - mean)
	}
	sigma := math.Sqrt(v / k)
	rho := 1 - (k-1)/float64(n)
	if k > float64(n)/2 {
		rho = (1 - k/float64(n)) * (1 + 1/k)
	}
	hoeffding := r * math.Sqrt(math.Log(4/delta)/(2*k))
	l := math.Log(20 / delta)
	bernstein := sigma*math.Sqrt(2*rho*l/k) + (7.0/3+3/math.Sqrt2)*r*l/k
	return mean, min(hoeffding, bernstein)
}

// bitBFS runs breadth-first searches in h = G−X from 64 sources at once
// (bit-parallel BFS): bit i of visited[v] says that the batch's source i
// has reached v, and a level's new bits at v are the sources at that distance
// from v. A frontier node pushes its bits to its neighbours, so a batch
// costs at most what its 64 searches would, and much less when their
// frontiers overlap, as they do in small-world networks. (Bit-parallel BFS
// as in T. Akiba, Y. Iwata, Y. Yoshida, Fast exact shortest-path distance
// queries on large networks by pruned landmark labeling, SIGMOD 2013.)
type bitBFS struct {
	h   *simpleGraph
	all bool // record longer pairs whatever the order of their ends
	// perSource, when not nil, counts the longer pairs of each source of
	// the batch (sampled searches: the estimate's variance needs them).
	perSource []int64
	// partners, when not nil, counts for each node the sources of which it
	// is a longer partner (atomically: the workers share it).
	partners []int32
	before   []int32  // d_G(v, X)
	visited  []uint64 // sources that reached v
	cur, nxt []uint64 // bits that reached v at the last level, at the next
	frontier []int32
	touched  []int32
	reached  []int32
	less     []uint64 // less[t]: sources s with before[s] < t
}

func newBitBFS(h *simpleGraph, before []int32) *bitBFS {
	return &bitBFS{h: h, before: before, visited: make([]uint64, h.n), cur: make([]uint64, h.n), nxt: make([]uint64, h.n)}
}

// run searches from the sources src (at most 64 local indexes, ascending)
// and returns the number of ordered pairs (s, v) whose distance in G−X, d,
// exceeds before[s] + before[v], their distance through X; with k > 0 it
// adds to top those that may be among the k of greatest increase: the
// ones with s < v, or with all every one, as (min, max).
func (b *bitBFS) run(src []int32, k int, top *[]longerPair) int64 {
	b.setLess(src)
	b.frontier, b.reached = b.frontier[:0], b.reached[:0]
	for i, v := range src {
		b.visited[v] = 1 << i
		b.cur[v] = 1 << i
		b.frontier = append(b.frontier, v)
		b.reached = append(b.reached, v)
	}
	var longer int64
	threshold := int32(1) // least increase worth recording
	for level := int32(1); len(b.frontier) > 0; level++ {
		b.touched = b.touched[:0]
		for _, w := range b.frontier {
			mask := b.cur[w]
			for _, v := range b.h.neighbours(w) {
				if b.nxt[v] == 0 {
					b.touched = append(b.touched, v)
				}
				b.nxt[v] |= mask
			}
		}
		for _, w := range b.frontier {
			b.cur[w] = 0
		}
		b.frontier = b.frontier[:0]
		for _, v := range b.touched {
			fresh := b.nxt[v] &^ b.visited[v]
			b.nxt[v] = 0
			if fresh == 0 {
				continue
			}
			if b.visited[v] == 0 {
				b.reached = append(b.reached, v)
			}
			b.visited[v] |= fresh
			b.cur[v] = fresh
			b.frontier = append(b.frontier, v)
			// Sources s at distance level from v, farther than through X.
			slack := level - b.before[v]
			longerBits := fresh & b.lessThan(slack)
			if longerBits == 0 {
				continue
			}
			longer += int64(bits.OnesCount64(longerBits))
			if b.partners != nil {
				atomic.AddInt32(&b.partners[v], int32(bits.OnesCount64(longerBits)))
			}
			if b.perSource != nil {
				for m := longerBits; m != 0; m &= m - 1 {
					b.perSource[bits.TrailingZeros64(m)]++
				}
			}
			if k > 0 {
				b.record(src, v, longerBits, level, k, &threshold, top)
			}
		}
	}
	for _, v := range b.reached {
		b.visited[v] = 0
	}
	return longer
}

// setLess sets less[t] to the sources of src with before[s] < t, for t up
// to one past their greatest before.
func (b *bitBFS) setLess(src []int32) {
	b.less = b.less[:0]
	var maxBefore int32
	for _, s := range src {
		maxBefore = max(maxBefore, b.before[s])
	}
	for t := int32(0); t <= maxBefore+1; t++ {
		var m uint64
		for i, s := range src {
			if b.before[s] < t {
				m |= 1 << i
			}
		}
		b.less = append(b.less, m)
	}
}

// lessThan is the sources s with before[s] < t.
func (b *bitBFS) lessThan(t int32) uint64 {
	switch {
	case t <= 0:
		return 0
	case int(t) >= len(b.less):
		return b.less[len(b.less)-1]
	}
	return b.less[t]
}

// record adds to top the pairs (s, v), s among longerBits, reached at
// level, whose increase is at least threshold (before[s] < level −
// before[v] − threshold + 1): those with s < v, or all of them with all;
// past 2k+64 pairs it keeps the k first and raises threshold to the k-th
// increase.
func (b *bitBFS) record(src []int32, v int32, longerBits uint64, level int32, k int, threshold *int32, top *[]longerPair) {
	lower := ^uint64(0) // sources s < v
	if !b.all {
		if i, _ := slices.BinarySearch(src, v); i < 64 {
			lower = 1<<i - 1
		}
	}
	for m := longerBits & lower & b.lessThan(level-b.before[v]-*threshold+1); m != 0; m &= m - 1 {
		s := src[bits.TrailingZeros64(m)]
		*top = append(*top, longerPair{min(s, v), max(s, v), b.before[s] + b.before[v], level})
		if len(*top) >= 2*k+64 {
			*top = topLonger(*top, k)
			if len(*top) == k {
				last := (*top)[k-1]
				*threshold = last.after - last.before
			}
		}
	}
}

type longerPair struct{ u, v, before, after int32 }

// topLonger sorts pairs by increase descending, then u, then v (a total
// order), drops repeated pairs (found from both ends) and keeps the first
// k.
func topLonger(ps []longerPair, k int) []longerPair {
	slices.SortFunc(ps, func(a, b longerPair) int {
		if c := cmp.Compare(b.after-b.before, a.after-a.before); c != 0 {
			return c
		}
		if c := cmp.Compare(a.u, b.u); c != 0 {
			return c
		}
		return cmp.Compare(a.v, b.v)
	})
	ps = slices.Compact(ps)
	return ps[:min(k, len(ps))]
}

// noDetour reports whether every two of the nodes nb (the neighbours of
// the removed node, as nodes of h = G−X) are at most 2 apart in h, by a
// 2-hop search from each; it gives up (false) past limit steps.
func noDetour(h *simpleGraph, nb []int32, limit int64) bool {
	stamp := make([]int32, h.n)
	for i := range stamp {
		stamp[i] = -1
	}
	var work int64
	for i, a := range nb[:max(0, len(nb)-1)] {
		stamp[a] = int32(i)
		for _, b := range h.neighbours(a) {
			stamp[b] = int32(i)
			if work += int64(len(h.neighbours(b))); work > limit {
				return false
			}
			for _, w := range h.neighbours(b) {
				stamp[w] = int32(i)
			}
		}
		for _, b := range nb[i+1:] {
			if stamp[b] != int32(i) {
				return false
			}
		}
	}
	return true
}
