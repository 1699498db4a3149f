package graph

import (
	"math"
	"sync"
	"sync/atomic"
)

// Constants of betweennessKadabra.
const (
	// rkConstant is the universal constant c of the VC-dimension sample
	// bound (≈ 0.5, Löffler and Phillips 2009) that gives ω.
	rkConstant = 0.5
	// kadabraStartFactor: the first phase draws ω/kadabraStartFactor
	// paths to allocate δ among the nodes (NetworKit's default, 100).
	kadabraStartFactor = 100
	// kadabraBalance is the share of the adaptive phase's δ/2 spread
	// evenly over the nodes, so that a node the first phase missed still
	// gets a failure probability of δ·β/(4n') (Borassi and Natale's
	// balancing factor, 0.001 in NetworKit).
	kadabraBalance = 0.001
	// kadabraMinBatch is the fewest paths drawn between two checks of
	// the stopping condition; a batch is otherwise a twentieth of the
	// paths drawn so far, so the check's O(n) stays small against the
	// sampling and the run overshoots the stopping point by at most ~5%.
	kadabraMinBatch = 256
	// kadabraChunk is the number of consecutive paths a worker draws at
	// a time (and between two polls of its job).
	kadabraChunk = 32
	// kadabraSpan is the most paths drawn before their inner nodes are
	// counted: the workers' lists then hold at most kadabraSpan·(VD − 2)
	// nodes, whatever ε.
	kadabraSpan = 1 << 16
	// kadabraMaxSimplicial is the largest degree up to which a node whose
	// neighbours are all adjacent to each other is recognised as one that
	// no shortest path crosses.
	kadabraMaxSimplicial = 16
	// kadabraMargin: the adaptive phase runs when the first phase expects
	// it to stop below 1/kadabraMargin of Riondato and Kornaropoulos'
	// fixed number of paths (it overshoots its expectation a little:
	// noise, and the checks falling after batches).
	kadabraMargin = 1.15
)

// The phases of betweennessKadabra draw from separate random streams.
const (
	phaseGuess = 1
	phaseMain  = 2
)

// betweennessKadabra estimates nx.betweenness_centrality (normalized) of
// every node within an additive ε of the exact value, for all nodes at once,
// with probability at least 1 − δ: KADABRA, Borassi and Natale, "KADABRA
// is an ADaptive Algorithm for Betweenness via Random Approximation"
// (ESA 2016; ACM JEA 24, 2019), absolute-error variant.
//
// It draws pairs (s, t), s ≠ t, uniformly at random, and for each one a
// shortest s–t path uniformly at random among the σ_st (none when t is
// unreachable); the fraction b̃(v) of the τ paths that run through v
// (v ≠ s, t) estimates
//
//	b(v) = 1/(n(n−1)) · Σ_{s≠v≠t} σ_st(v)/σ_st.
//
// networkx's normalised value is C_B(v) = n/(n−2) · b(v) (it divides the
// same sum by (n−1)(n−2)), so the function works with ε_b = ε·(n−2)/n and
// returns n/(n−2) · b̃: |C̃_B(v) − C_B(v)| ≤ ε for every v at once, with
// probability at least 1 − δ, on the values the API returns.
//
// Instead of Riondato and Kornaropoulos' fixed number of paths, KADABRA
// stops as soon as every node's estimate is certified: it stops at τ when,
// for every node v,
//
//	f(b̃, δ_L(v), ω, τ) = ln(1/δ_L)/τ · (1/3 − ω/τ + √((1/3 − ω/τ)² + 2·b̃·ω/ln(1/δ_L))) < ε_b
//	g(b̃, δ_U(v), ω, τ) = ln(1/δ_U)/τ · (1/3 + ω/τ + √((1/3 + ω/τ)² + 2·b̃·ω/ln(1/δ_U))) < ε_b
//
// (f capped at b̃, g at 1 − b̃), and at the latest after
//
//	ω = (c/ε_b²) · (⌊log2(VD − 2)⌋ + 1 + ln(2/δ)),   c = 0.5,
//
// paths, where the VC-dimension bound of Riondato and Kornaropoulos alone
// certifies the estimate with probability 1 − δ/2 (VD bounds the vertex
// diameter: per component, 2e + 1 for the eccentricity e of its first
// node, at least 3). KADABRA's martingale (Bernstein-type) bound makes
// b(v) < b̃(v) − f with probability at most δ_L(v) and b(v) > b̃(v) + g
// with probability at most δ_U(v) at the stopping time; the δ's of the
// nodes sum to δ/2, so all bounds hold at once with probability 1 − δ.
// The δ's are planned from a first phase of ω/100 paths (its own random
// stream, then discarded), so that all nodes are expected to be certified
// after the same number of paths (planKadabra, a refinement of the paper's
// δ_v ∝ exp(−C·ε²/b)); nodes of large betweenness, whose estimates
// converge slowest, get most of δ, and most nodes, of tiny betweenness,
// certify early. When the first phase expects the adaptive phase to stop
// no sooner than Riondato and Kornaropoulos' fixed number of paths,
//
//	r = ⌈(c/ε_b²) · (⌊log2(VD − 2)⌋ + 1 + ln(1/δ))⌉
//
// (above r/1.15), the second phase draws r paths instead, certified with
// probability 1 − δ by the VC-dimension bound alone: the choice depends on
// the first phase only, independent of the second, so either way the
// bound holds (that arm is what networks with hubs of large betweenness,
// such as CORDIS with its countries, take at ε = 0.01; and small networks
// at ε = 0.05). Nodes of degree ≤ 1, and nodes of degree ≤ 16 whose
// neighbours are all adjacent, lie inside no shortest path: their
// betweenness and estimate are exactly 0, and they take no share of δ.
//
// Each pair's paths are found by a balanced bidirectional BFS
// (pathSampler), which meets after touching ~√m edges in small-world
// networks: O(τ·√m) expected, O(τ·m) at worst, τ ≤ ω, plus O(n + m) for
// the components and VD and O(n) per check of the stopping condition,
// done first at 90% of the expected stop, then after every 5% more
// paths; O(n) space per worker. With n ≤ 2 every score is 0, as in
// networkx. Unknown nodes do not arise (the graph is given); isolated
// nodes score 0 but count in n. Ties are broken by Centrality's ranking,
// as for every measure.
//
// Path i of a phase is drawn from a PCG seeded by (seed, phase, i) alone,
// and the checks fall after fixed numbers of paths, so the same
// (graph, ε, δ, seed) always gives the same estimate on any number of
// workers.
func betweennessKadabra(g *simpleGraph, epsilon, delta float64, seed uint64) []float64 {
	bc, _ := kadabra(g, epsilon, delta, seed)
	return bc
}

// kadabra is betweennessKadabra, also returning the number of paths of
// its second phase and ω (for tests and benchmarks).
func kadabra(g *simpleGraph, epsilon, delta float64, seed uint64) (bc []float64, k kadabraStats) {
	n := g.n
	bc = make([]float64, n)
	if n <= 2 || g.job.stopped() {
		return bc, k
	}
	comp, vd := componentsAndVD(g)
	eb := epsilon * float64(n-2) / float64(n)
	k.vd, k.omega = vd, kadabraOmega(vd, eb, delta)
	r := newKadabraRun(g, comp, seed)
	counts := make([]int32, n)

	k.guess = max(1, int(math.Ceil(k.omega/kadabraStartFactor)))
	r.draw(counts, phaseGuess, 0, k.guess)
	if g.job.stopped() {
		return bc, k
	}
	p := planKadabra(g, counts, k.guess, eb, delta, k.omega, rkSamples(vd, eb, delta))
	if p.lnDelta == nil && p.expect == 0 {
		return bc, k // no node lies inside a shortest path
	}
	k.expect = p.expect
	clear(counts)

	if p.lnDelta == nil {
		// The adaptive bound would not stop before Riondato and
		// Kornaropoulos' fixed sample size: draw that (δ whole).
		k.tau, k.fixed = rkSamples(vd, eb, delta), true
		r.draw(counts, phaseMain, 0, k.tau)
	} else {
		limit := int(math.Ceil(k.omega))
		for k.tau < limit {
			batch := max(kadabraMinBatch, k.tau/20)
			if k.tau == 0 {
				batch = max(batch, p.expect*9/10)
			}
			batch = min(limit-k.tau, batch)
			r.draw(counts, phaseMain, k.tau, k.tau+batch)
			k.tau, k.checks = k.tau+batch, k.checks+1
			if g.job.stopped() {
				return bc, k
			}
			if kadabraCertified(counts, k.tau, k.omega, eb, p.lnDelta) {
				break
			}
		}
	}
	if g.job.stopped() {
		return bc, k
	}
	scale := float64(n) / float64(n-2) / float64(k.tau)
	for v, c := range counts {
		bc[v] = float64(c) * scale
	}
	return bc, k
}

// rkSamples is Riondato and Kornaropoulos' fixed number of paths that
// certifies every estimate within ε_b with probability 1 − δ.
func rkSamples(vd int, eb, delta float64) int {
	vc := math.Floor(math.Log2(float64(max(vd, 3)-2))) + 1
	return int(math.Ceil(rkConstant / (eb * eb) * (vc + math.Log(1/delta))))
}

// kadabraStats describes a run of kadabra.
type kadabraStats struct {
	vd     int     // the bound on the vertex diameter
	omega  float64 // ω, the most paths the second phase may draw
	guess  int     // paths of the first phase
	expect int     // paths the first phase predicts for the second
	tau    int     // paths of the second phase
	checks int     // checks of the stopping condition
	fixed  bool    // the second phase drew Riondato and Kornaropoulos' number
}

// kadabraOmega is ω, the number of paths after which the VC-dimension
// bound alone certifies every estimate within ε_b with probability 1 − δ/2.
func kadabraOmega(vd int, eb, delta float64) float64 {
	vc := math.Floor(math.Log2(float64(max(vd, 3)-2))) + 1
	return rkConstant / (eb * eb) * (vc + math.Log(2/delta))
}

// kadabraPlan is the second phase as the first one plans it: ln(1/δ_v)
// for each node (0 for the nodes whose betweenness is exactly 0), and the
// number of paths after which it expects to stop; lnDelta is nil when that
// number would not be below Riondato and Kornaropoulos' fixed one (or
// when no node lies inside a shortest path: expect is then 0).
type kadabraPlan struct {
	lnDelta []float64
	expect  int
}

// planKadabra spreads δ/2 among the nodes from the first phase's counts of
// guess paths so that every node is expected to be certified after the same
// number τ* of paths, the fewest for which that is possible. After τ
// paths, g (the stricter of f and g) certifies a node of betweenness b
// with failure probability δ_v = exp(−L_v(τ)), where, solving g < ε_b for
// ln(1/δ),
//
//	L_v(τ) = (ε_b·τ)² / (2·b·ω + 2·ε_b·(ω + τ/3));
//
// τ* is the smallest τ with Σ_v 2·exp(−L_v(τ)) ≤ δ/2·(1 − β) (bisection;
// the sum falls as τ grows), each b taken a standard deviation above the
// first phase's estimate ((c + √c + 1)/guess for c paths of guess), so
// that a node the first phase underrated does not hold the run up; then
// δ_v = exp(−L_v(τ*)) + δ·β/(4n'). This is Borassi and Natale's heuristic
// δ_v ∝ exp(−C·ε²/b) (the allocation balancing the nodes' stopping
// times) with the ω/τ terms of g kept, which the paper drops: without
// them, nodes of small but non-zero betweenness get no more than the
// floor δ·β/(4n'), and hold the run up to ω on networks with many of
// them. O(n + k·log ω) for the k distinct counts of the first phase.
func planKadabra(g *simpleGraph, counts []int32, guess int, eb, delta, omega float64, rk int) kadabraPlan {
	// hist[c]: the nodes the first phase counted c times, c ascending (a
	// slice, so that the sums below add in one order: the same plan for
	// the same counts).
	hist := make([]int, guess+1)
	nodes := 0
	for v := range int32(g.n) {
		if !zeroBetweenness(g, v) {
			hist[counts[v]]++
			nodes++
		}
	}
	if nodes == 0 {
		return kadabraPlan{}
	}
	upper := func(c int32) float64 {
		return (float64(c) + math.Sqrt(float64(c)) + 1) / float64(guess)
	}
	lnInv := func(b, tau float64) float64 {
		x := eb * tau
		return x * x / (2*b*omega + 2*eb*(omega+tau/3))
	}
	target := delta / 2 * (1 - kadabraBalance)
	fails := func(tau float64) bool {
		s := 0.0
		for c, k := range hist {
			if k > 0 {
				s += 2 * float64(k) * math.Exp(-lnInv(upper(int32(c)), tau))
			}
		}
		return s > target
	}
	if fails(omega) {
		return kadabraPlan{expect: int(omega)}
	}
	lo, hi := 1.0, omega
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if fails(mid) {
			lo = mid
		} else {
			hi = mid
		}
	}
	p := kadabraPlan{expect: int(math.Ceil(hi))}
	if hi*kadabraMargin >= float64(rk) {
		return p
	}
	floor := delta * kadabraBalance / (4 * float64(nodes))
	p.lnDelta = make([]float64, g.n)
	for v := range int32(g.n) {
		if !zeroBetweenness(g, v) {
			p.lnDelta[v] = -math.Log(math.Exp(-lnInv(upper(counts[v]), hi)) + floor)
		}
	}
	return p
}

// zeroBetweenness reports whether no shortest path has v inside it, as
// betweennessKadabra counts: v has at most one neighbour, or at most
// kadabraMaxSimplicial neighbours all adjacent to each other (a path
// through v from one to another would be longer than their edge).
func zeroBetweenness(g *simpleGraph, v int32) bool {
	nb := g.neighbours(v)
	if len(nb) <= 1 {
		return true
	}
	if len(nb) > kadabraMaxSimplicial {
		return false
	}
	for i, a := range nb {
		for _, b := range nb[i+1:] {
			if !g.adjacent(a, b) {
				return false
			}
		}
	}
	return true
}

// adjacent reports whether u and w share an edge, by binary search in u's
// ascending neighbours.
func (g *simpleGraph) adjacent(u, w int32) bool {
	nb := g.neighbours(u)
	lo, hi := 0, len(nb)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if nb[mid] < w {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo < len(nb) && nb[lo] == w
}

// kadabraCertified reports whether, after tau paths, f and g certify every
// node's estimate within ε_b (nodes with lnDelta 0 are exact). It stops at
// the first node not yet certified.
func kadabraCertified(counts []int32, tau int, omega, eb float64, lnDelta []float64) bool {
	t := float64(tau)
	a := omega / t
	lower, upper := 1.0/3-a, 1.0/3+a
	for v, ln := range lnDelta {
		if ln == 0 {
			continue
		}
		b := float64(counts[v]) / t
		q := 2 * b * omega / ln
		if b > 0 && min(ln/t*(lower+math.Sqrt(lower*lower+q)), b) >= eb {
			return false
		}
		if min(ln/t*(upper+math.Sqrt(upper*upper+q)), 1-b) >= eb {
			return false
		}
	}
	return true
}

// kadabraRun draws the paths of betweennessKadabra on the job's workers,
// each with its own pathSampler, kept from batch to batch.
type kadabraRun struct {
	g        *simpleGraph
	seed     uint64
	samplers []*pathSampler
	comp     []int32
}

func newKadabraRun(g *simpleGraph, comp []int32, seed uint64) *kadabraRun {
	return &kadabraRun{g: g, seed: seed, comp: comp}
}

// sampler returns worker w's pathSampler, made on first use.
func (r *kadabraRun) sampler(w int) *pathSampler {
	for len(r.samplers) <= w {
		r.samplers = append(r.samplers, newPathSampler(r.g, r.comp))
	}
	return r.samplers[w]
}

// draw draws paths [from, to) of the phase and adds 1 to counts[v] for
// each path with v inside it, kadabraSpan paths at a time, so that the
// workers' lists of inner nodes stay bounded.
func (r *kadabraRun) draw(counts []int32, phase uint64, from, to int) {
	for lo := from; lo < to && !r.g.job.stopped(); lo += kadabraSpan {
		r.span(counts, phase, lo, min(lo+kadabraSpan, to))
	}
}

// span draws paths [from, to) of the phase. Workers take chunks of
// kadabraChunk paths; path i's stream depends on (phase, i) alone and the
// counts are integers, so the result does not depend on which worker drew
// which path.
func (r *kadabraRun) span(counts []int32, phase uint64, from, to int) {
	chunks := (to - from + kadabraChunk - 1) / kadabraChunk
	workers := max(1, min(r.g.job.goroutines(), chunks))
	for w := range workers {
		r.sampler(w)
	}
	var next atomic.Int64
	work := func(p *pathSampler) {
		for {
			lo := from + int(next.Add(1)-1)*kadabraChunk
			if lo >= to || r.g.job.stopped() {
				return
			}
			for i := lo; i < min(lo+kadabraChunk, to); i++ {
				p.draw(r.seed, pathStream(phase, uint64(i)))
			}
		}
	}
	if workers == 1 {
		work(r.samplers[0])
	} else {
		var wg sync.WaitGroup
		for _, p := range r.samplers[:workers] {
			wg.Go(func() { work(p) })
		}
		wg.Wait()
	}
	for _, p := range r.samplers[:workers] {
		for _, v := range p.inner {
			counts[v]++
		}
		p.inner = p.inner[:0]
	}
}

// pathStream is the second word of path i's PCG state in a phase: the
// phase and index mixed by SplitMix64's finaliser, so that neighbouring
// paths start from unrelated states.
func pathStream(phase, i uint64) uint64 {
	z := samplingStream ^ (phase<<56 | i)
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}
