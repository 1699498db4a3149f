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
	// the stopping condition; a batch is otherwise a tenth of the paths
	// drawn so far, so the check's O(n) stays small against the sampling
	// and the run overshoots the stopping point by at most ~10%.
	kadabraMinBatch = 256
	// kadabraChunk is the number of consecutive paths a worker draws at
	// a time (and between two polls of its job).
	kadabraChunk = 32
	// kadabraMaxSimplicial is the largest degree up to which a node whose
	// neighbours are all adjacent to each other is recognised as one that
	// no shortest path crosses.
	kadabraMaxSimplicial = 16
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
// node, at least 3). The martingale bound of their Theorem 6 makes
// b(v) < b̃(v) − f with probability at most δ_L(v) and b(v) > b̃(v) + g
// with probability at most δ_U(v) at the stopping time; the δ's of the
// nodes sum to δ/2, so all bounds hold at once with probability 1 − δ.
// The δ's are spread as the paper does: a first phase of ω/100 paths
// (from its own random stream, then discarded) estimates b₀, and
// δ_L(v) = δ_U(v) = exp(−C·ε_b²/b₀(v)) + δ·β/(4n'), with C found by
// bisection so that the sum is δ/2 (β = 0.001, n' the nodes counted
// below): nodes of large betweenness, whose estimates converge slowest,
// get most of δ; most nodes, of tiny betweenness, certify after a few
// thousand paths. Nodes of degree ≤ 1, and nodes of degree ≤ 16 whose
// neighbours are all adjacent, lie inside no shortest path: their
// betweenness and estimate are exactly 0, and they take no share of δ.
//
// Each pair's paths are found by a balanced bidirectional BFS
// (pathSampler), which meets after touching ~√m edges in small-world
// networks: O(τ·√m) expected, O(τ·m) at worst, τ ≤ ω, plus O(n + m) for
// the components and VD and O(n) per check of the stopping condition,
// done after batches of a tenth of the paths drawn so far; O(n) space per
// worker. With n ≤ 2 every score is 0, as in networkx. Unknown nodes do not
// arise (the graph is given); isolated nodes score 0 but count in n. Ties
// are broken by Centrality's ranking, as for every measure.
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
	omega := kadabraOmega(vd, eb, delta)
	limit := int(math.Ceil(omega))
	k.omega, k.vd = omega, vd
	r := newKadabraRun(g, comp, seed)
	counts := make([]int32, n)

	guess := max(1, int(math.Ceil(omega/kadabraStartFactor)))
	r.draw(counts, phaseGuess, 0, guess)
	k.guess = guess
	if g.job.stopped() {
		return bc, k
	}
	lnDelta := kadabraDeltas(g, counts, guess, eb, delta)
	if lnDelta == nil {
		return bc, k // no node lies inside a shortest path
	}
	clear(counts)

	tau := 0
	for tau < limit {
		batch := min(limit-tau, max(kadabraMinBatch, tau/10))
		r.draw(counts, phaseMain, tau, tau+batch)
		tau += batch
		k.tau, k.checks = tau, k.checks+1
		if g.job.stopped() {
			return bc, k
		}
		if kadabraCertified(counts, tau, omega, eb, lnDelta) {
			break
		}
	}
	scale := float64(n) / float64(n-2) / float64(tau)
	for v, c := range counts {
		bc[v] = float64(c) * scale
	}
	return bc, k
}

// kadabraStats describes a run of kadabra.
type kadabraStats struct {
	vd     int     // the bound on the vertex diameter
	omega  float64 // ω, the most paths the second phase may draw
	guess  int     // paths of the first phase
	tau    int     // paths of the second phase
	checks int     // checks of the stopping condition
}

// kadabraOmega is ω, the number of paths after which the VC-dimension
// bound alone certifies every estimate within ε_b with probability 1 − δ/2.
func kadabraOmega(vd int, eb, delta float64) float64 {
	vc := math.Floor(math.Log2(float64(max(vd, 3)-2))) + 1
	return rkConstant / (eb * eb) * (vc + math.Log(2/delta))
}

// kadabraDeltas spreads δ/2 among the nodes from the first phase's counts
// of guess paths, as betweennessKadabra describes, and returns ln(1/δ_v) for
// each node, 0 for the nodes whose betweenness is exactly 0 (nil when
// every node is one). O(n + k·60) for the k nodes the first phase met.
func kadabraDeltas(g *simpleGraph, counts []int32, guess int, eb, delta float64) []float64 {
	lnDelta := make([]float64, g.n)
	var met []float64 // b₀ of the nodes the first phase met
	nodes := 0
	for v := range int32(g.n) {
		if zeroBetweenness(g, v) {
			continue
		}
		nodes++
		if counts[v] > 0 {
			met = append(met, float64(counts[v])/float64(guess))
		}
	}
	if nodes == 0 {
		return nil
	}
	// The smallest C whose exponentials, twice each (δ_L and δ_U), sum to
	// at most δ/2·(1 − β); at hi every term is at most δ(1 − β)/(4n').
	target := delta / 2 * (1 - kadabraBalance)
	sum := func(c float64) float64 {
		s := 0.0
		for _, b := range met {
			s += 2 * math.Exp(-c*eb*eb/b)
		}
		return s
	}
	lo, hi := 0.0, math.Log(4*float64(nodes)/(delta*(1-kadabraBalance)))/(eb*eb)
	for range 64 {
		mid := (lo + hi) / 2
		if sum(mid) <= target {
			hi = mid
		} else {
			lo = mid
		}
	}
	floor := delta * kadabraBalance / (4 * float64(nodes))
	for v := range int32(g.n) {
		if zeroBetweenness(g, v) {
			continue
		}
		d := floor
		if counts[v] > 0 {
			d += math.Exp(-hi * eb * eb * float64(guess) / float64(counts[v]))
		}
		lnDelta[v] = -math.Log(d)
	}
	return lnDelta
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
// each path with v inside it. Workers take chunks of kadabraChunk paths;
// path i's stream depends on (phase, i) alone and the counts are integers,
// so the result does not depend on which worker drew which path.
func (r *kadabraRun) draw(counts []int32, phase uint64, from, to int) {
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
