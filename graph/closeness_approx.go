package graph

import (
	"math"
	"math/rand/v2"
	"slices"
)

// AnytimeDistanceSamples is the number of BFS sources closenessApprox and
// harmonicApprox draw per connected component when asked for no particular
// bound (CentralityAnytime): on the linked network (one component of
// 111,204 nodes) 512 BFSs, 8 batches of 64, ~0.4 s of one core (2.0–2.4
// times the betweenness approximation's, BenchmarkAnytimeLinked), with
// ε ≈ 0.11 for CLOSENESS and ε ≈ 12,400 for HARMONIC at δ = 0.1 (the
// errors measured were ~10 times smaller; BENCHMARKS.md, "Cold start of
// every measure").
const AnytimeDistanceSamples = 512

// harmonicScale is the fixed point of harmonicApprox's sums: 1/d and 1/d²
// are added as integers in units of 2^-36, so that the sums, hence the
// estimates, are the same whatever the order of the workers. The rounding
// moves a mean by at most 2^-37, which the bound adds.
const harmonicScale = 1 << 36

// closenessApprox estimates nx.closeness_centrality (wf_improved) of every
// node by sampling BFS sources (Eppstein and Wang, Fast approximation of
// centrality, SODA 2001 / J. Graph Algorithms Appl. 8, 2004), and returns
// the estimate with a bound ε such that every score lies within ε of the
// exact one, all nodes at once, with probability at least 1 − δ.
//
// For a node v of a component C of r nodes, C(v) = (r−1)²/((n−1)·D(v)) with
// D(v) = Σ_{u∈C} d(v, u) = (r−1)·E[d(v, U)] for U uniform on C∖{v}. The
// distances are symmetric, so one BFS from a source u gives d(v, u) for
// every v of its component: k sources drawn uniformly, independently, from
// C estimate every D(v) at once by D̂(v) = (r−1)·mean d(v, u_i) over the
// k_v draws other than v (given k_v, uniform on C∖{v}). Each such term lies
// in [1, ecc(v)], and ecc(v) ≤ b_v = min(d(v, S) + max_s ecc(s),
// 2·min_s ecc(s), d(v, h) + ecc(h)) over the drawn sources s and the node h
// of largest degree (one more BFS: a hub's eccentricity is small). The
// mean deviates by more than
//
//	t_v = min( (b_v−1)·√(ln(2/δ')/(2k_v)),                                  Hoeffding (1963)
//	           √(2·V_v·ln(4/δ')/k_v) + 7·(b_v−1)·ln(4/δ')/(3(k_v−1)) )       empirical Bernstein
//
// with probability at most 2δ' (V_v the sample variance of v's terms;
// Maurer and Pontil, Empirical Bernstein bounds and sample variance
// penalization, COLT 2009, Theorem 4, on both tails), and δ' = δ/(2·n_s)
// over the n_s nodes of the sampled components (union bound). Then D(v)
// lies in (r−1)·[max(1, m̂−t_v), max(1, m̂+t_v)], C(v) in the image of that
// interval, and ε is the largest distance from an estimate to the end of
// its interval. The Bernstein bound profits from the small variance of
// distances in a small world; its range term, 7/3·b·ln(8n_s/δ)/k, is what
// keeps ε ~10 times above the errors seen at k = 512.
//
// A component of at most k nodes is computed exactly (its BFSs cost no
// more than the samples): its nodes' scores are exact and n_s leaves them
// out. With epsilon = 0 the function draws AnytimeDistanceSamples sources
// per component and reports the ε they give; with epsilon > 0 it doubles
// the sources (512, 1024, …) until the bound is at most epsilon, the i-th
// round at δ/2^i (so that all rounds hold together with probability
// 1 − δ), a component becoming exact once the sources would outnumber it.
// The sources come from one PCG a component, seeded with (seed, component):
// the same (graph, epsilon, delta, seed) give the same bits on any number of
// workers (the sums are integers). O(k·(n + m)) time for k sources,
// 64 BFSs at a time (batchBFS); O(n) space per worker.
func closenessApprox(g *simpleGraph, epsilon, delta float64, seed uint64) ([]float64, float64) {
	return sampleDistances(g, false, epsilon, delta, seed, AnytimeDistanceSamples)
}

// sampleDistances runs closenessApprox (harmonic false) or harmonicApprox,
// from k sources a component in the first round.
func sampleDistances(g *simpleGraph, harmonic bool, epsilon, delta float64, seed uint64, k int64) ([]float64, float64) {
	e := newDistanceSampler(g, harmonic, seed)
	for round := 1; ; round++ {
		di := delta
		if epsilon > 0 {
			di = delta / math.Exp2(float64(round))
		}
		sampled := e.draw(k)
		if g.job.stopped() {
			return e.scores, 0
		}
		bound := e.estimate(sampled, di)
		if epsilon <= 0 || bound <= epsilon || len(sampled) == 0 || g.job.stopped() {
			return e.scores, bound
		}
		k *= 2
	}
}

// distanceSampler holds the state of sampleDistances across its rounds.
type distanceSampler struct {
	g        *simpleGraph
	harmonic bool
	seed     uint64

	label   []int32   // node -> component
	members [][]int32 // component -> its nodes, ascending
	exact   []bool    // component computed exactly
	rng     []*rand.Rand
	drawn   []int64 // component -> sources drawn so far
	drawnAt []int32 // node -> times drawn as a source
	ecc     [][2]int32
	// pivot[v] is v's distance to the node of largest degree of its
	// component (sampled components only), pivotEcc[c] that node's
	// eccentricity: ecc(v) ≤ pivot[v] + pivotEcc[c], a hub's tight bound.
	pivot    []int32
	pivotEcc []int32

	sums   *targetSums
	scores []float64
}

func newDistanceSampler(g *simpleGraph, harmonic bool, seed uint64) *distanceSampler {
	label, sizes := components(g)
	members := make([][]int32, len(sizes))
	for c, size := range sizes {
		members[c] = make([]int32, 0, size)
	}
	for v, c := range label {
		members[c] = append(members[c], int32(v))
	}
	return &distanceSampler{g: g, harmonic: harmonic, seed: seed, label: label, members: members,
		exact: make([]bool, len(sizes)), rng: make([]*rand.Rand, len(sizes)), drawn: make([]int64, len(sizes)),
		drawnAt: make([]int32, g.n), ecc: make([][2]int32, len(sizes)), pivot: newDist(g.n), pivotEcc: make([]int32, len(sizes)),
		sums: newTargetSums(g.n, harmonic), scores: make([]float64, g.n)}
}

// pivotBFS fills pivot and pivotEcc for component c, once: one BFS from
// its node of largest degree (the least such).
func (e *distanceSampler) pivotBFS(c int) {
	g, nodes := e.g, e.members[c]
	if e.pivot[nodes[0]] >= 0 {
		return
	}
	hub := nodes[0]
	for _, v := range nodes {
		if len(g.neighbours(v)) > len(g.neighbours(hub)) {
			hub = v
		}
	}
	e.pivot[hub] = 0
	queue := append(make([]int32, 0, len(nodes)), hub)
	for i := 0; i < len(queue); i++ {
		u := queue[i]
		for _, w := range g.neighbours(u) {
			if e.pivot[w] < 0 {
				e.pivot[w] = e.pivot[u] + 1
				queue = append(queue, w)
			}
		}
	}
	e.pivotEcc[c] = e.pivot[queue[len(queue)-1]]
}

// draw brings every component to k sources: components of at most k nodes
// are computed exactly (once), the others get the sources they lack. It
// returns the components still sampled.
func (e *distanceSampler) draw(k int64) []int32 {
	var exactNodes []int32
	var sampled []int32
	var draws []int32
	for c, nodes := range e.members {
		switch {
		case e.exact[c]:
		case int64(len(nodes)) <= k:
			e.exact[c] = true
			exactNodes = append(exactNodes, nodes...)
		default:
			sampled = append(sampled, int32(c))
			if e.rng[c] == nil {
				e.rng[c] = rand.New(rand.NewPCG(e.seed, samplingStream+uint64(c)))
			}
			e.pivotBFS(c)
			for ; e.drawn[c] < k; e.drawn[c]++ {
				u := nodes[e.rng[c].IntN(len(nodes))]
				e.drawnAt[u]++
				draws = append(draws, u)
			}
		}
	}
	e.exactly(exactNodes)
	e.sample(draws)
	return sampled
}

// exactly computes the scores of the nodes of the exact components from
// one BFS each, as closeness and harmonic do (the same bits).
func (e *distanceSampler) exactly(nodes []int32) {
	g, n := e.g, e.g.n
	batches := (len(nodes) + 63) / 64
	parallelFor(g.job, 0, batches, workers(g.job, batches, func() func(b int32) {
		bfs := newBatchBFS(g, unitWeights(n))
		return func(b int32) {
			src := nodes[int(b)*64 : min(len(nodes), int(b)*64+64)]
			bfs.runSources(src)
			for i, s := range src {
				p := &bfs.prof[i]
				switch {
				case e.harmonic:
					e.scores[s] = p.harmonic
				case p.total > 0 && n > 1:
					r := float64(p.reach)
					e.scores[s] = (r - 1.0) / float64(p.total) * ((r - 1.0) / float64(n-1))
				}
			}
		}
	}))
}

// sample runs a BFS from every distinct source of draws, each counted as
// many times as it was drawn, and adds what every node sees of them to
// e.sums; it records each component's least and largest eccentricity of a
// drawn source.
func (e *distanceSampler) sample(draws []int32) {
	g := e.g
	slices.Sort(draws)
	var src []int32
	var mult []int64
	for i, s := range draws {
		if i > 0 && s == draws[i-1] {
			mult[len(mult)-1]++
			continue
		}
		src, mult = append(src, s), append(mult, 1)
	}
	batches := (len(src) + 63) / 64
	var parts []*targetSums
	parallelFor(g.job, 0, batches, workers(g.job, batches, func() func(b int32) {
		bfs := newBatchBFS(g, unitWeights(g.n))
		bfs.sums = newTargetSums(g.n, e.harmonic)
		bfs.sums.ecc = make([]int32, len(src))
		parts = append(parts, bfs.sums)
		return func(b int32) {
			lo, hi := int(b)*64, min(len(src), int(b)*64+64)
			bfs.ones = true
			for i := lo; i < hi; i++ {
				bfs.mult[i-lo] = mult[i]
				bfs.ones = bfs.ones && mult[i] == 1
			}
			bfs.runSources(src[lo:hi])
			for i := lo; i < hi; i++ {
				bfs.sums.ecc[i] = int32(bfs.prof[i-lo].ecc)
			}
		}
	}))
	for i, s := range src {
		var ecc int32
		for _, p := range parts {
			ecc = max(ecc, p.ecc[i])
		}
		c := e.label[s]
		if lo, hi := e.ecc[c][0], e.ecc[c][1]; hi == 0 {
			e.ecc[c] = [2]int32{ecc, ecc}
		} else {
			e.ecc[c] = [2]int32{min(lo, ecc), max(hi, ecc)}
		}
	}
	for _, p := range parts {
		e.sums.merge(p)
	}
}

// estimate sets the scores of the sampled components' nodes from the sums
// and returns the bound that holds for all of them with probability at
// least 1 − delta (see closenessApprox).
func (e *distanceSampler) estimate(sampled []int32, delta float64) float64 {
	ns := 0
	for _, c := range sampled {
		ns += len(e.members[c])
	}
	if ns == 0 {
		return 0
	}
	lnH := math.Log(4 * float64(ns) / delta) // Hoeffding, both tails, δ' = δ/(2 n_s)
	lnB := math.Log(8 * float64(ns) / delta) // empirical Bernstein, both tails
	n := float64(e.g.n)
	bound := 0.0
	for _, c := range sampled {
		r := float64(len(e.members[c]))
		for _, v := range e.members[c] {
			// The draws of other nodes than v are uniform on C∖{v}: given
			// their number k, the bounds hold for them (v's own draws, at
			// distance 0, would only widen the range).
			k := float64(e.drawn[c] - int64(e.drawnAt[v]))
			ecc := min(e.sums.dmin[v]+e.ecc[c][1], 2*e.ecc[c][0], e.pivot[v]+e.pivotEcc[c])
			var est, err float64
			if k < 2 { // v drawn nearly every time: nothing known of the others
				est, err = e.unknown(r, n)
			} else {
				m1, m2 := e.sums.moments(v)
				mean := m1 / k
				variance := max(0, (m2-m1*m1/k)/(k-1)) + 1e-12
				b := float64(ecc) - 1 // d ∈ [1, ecc(v)]
				if e.harmonic {
					b = 1 - 1/float64(ecc) // 1/d ∈ [1/ecc(v), 1]
				}
				t := min(b*math.Sqrt(lnH/(2*k)), math.Sqrt(2*variance*lnB/k)+7*b*lnB/(3*(k-1)))
				if e.harmonic {
					t += 1.0 / (2 * harmonicScale) // the fixed point's rounding
					est, err = min(max((r-1)*mean, 0), r-1), (r-1)*t
				} else {
					est, err = closenessInterval(r, n, mean, t)
				}
			}
			e.scores[v] = est
			bound = max(bound, err)
		}
	}
	return bound
}

// unknown is the estimate of a node of a component of r nodes (of n) whose
// distances are not sampled, and its bound: the middle of the range the
// score may take.
func (e *distanceSampler) unknown(r, n float64) (est, err float64) {
	if e.harmonic {
		return (r - 1) / 2, (r - 1) / 2
	}
	hi := (r - 1) / (n - 1) // every other node at distance 1
	return hi / 2, hi / 2
}

// closenessInterval is the closeness estimate of a node of a component of
// r nodes (of n) whose mean distance to the component is estimated as mean
// within t, and the farthest the exact value may lie from it.
func closenessInterval(r, n, mean, t float64) (est, err float64) {
	score := func(total float64) float64 { return (r - 1.0) / total * ((r - 1.0) / (n - 1)) }
	lo, hi := (r-1)*max(1, mean-t), (r-1)*max(1, mean+t) // every other node is at least 1 away
	est = score((r - 1) * max(1, mean))
	return est, max(score(lo)-est, est-score(hi))
}

// targetSums gathers, for every node v, the sums over the drawn sources u
// of its component of x and x², x = d(v, u) (closeness) or 1/d(v, u) in
// units of 1/harmonicScale (harmonic, 0 for u = v), each source counted as
// many times as it was drawn, and the distance from v to the nearest
// drawn source.
type targetSums struct {
	harmonic bool
	s1, s2   []int64
	dmin     []int32
	ecc      []int32 // the eccentricity of each source (sample's scratch)
	x1, x2   []int64 // x and x² by level
}

func newTargetSums(n int, harmonic bool) *targetSums {
	t := &targetSums{harmonic: harmonic, s1: make([]int64, n), s2: make([]int64, n), dmin: make([]int32, n)}
	for i := range t.dmin {
		t.dmin[i] = math.MaxInt32
	}
	return t
}

// add counts c sources that reach v at distance level.
func (t *targetSums) add(v int32, c, level int64) {
	for int64(len(t.x1)) <= level {
		d := int64(len(t.x1))
		switch {
		case d == 0:
			t.x1, t.x2 = append(t.x1, 0), append(t.x2, 0)
		case t.harmonic:
			t.x1 = append(t.x1, int64(math.Round(harmonicScale/float64(d))))
			t.x2 = append(t.x2, int64(math.Round(harmonicScale/float64(d*d))))
		default:
			t.x1, t.x2 = append(t.x1, d), append(t.x2, d*d)
		}
	}
	t.s1[v] += c * t.x1[level]
	t.s2[v] += c * t.x2[level]
	t.dmin[v] = min(t.dmin[v], int32(level))
}

// merge adds o's sums to t's.
func (t *targetSums) merge(o *targetSums) {
	for v := range t.s1 {
		t.s1[v] += o.s1[v]
		t.s2[v] += o.s2[v]
		t.dmin[v] = min(t.dmin[v], o.dmin[v])
	}
}

// moments are v's sums of x and x² in the measure's units.
func (t *targetSums) moments(v int32) (float64, float64) {
	if t.harmonic {
		return float64(t.s1[v]) / harmonicScale, float64(t.s2[v]) / harmonicScale
	}
	return float64(t.s1[v]), float64(t.s2[v])
}
