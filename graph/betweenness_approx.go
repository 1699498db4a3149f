package graph

import (
	"math"
	"math/rand/v2"
	"sync"
)

// Bounds of the (ε, δ) a certified betweenness approximation takes.
const (
	MinBetweennessEpsilon = 1e-3
	MaxBetweennessEpsilon = 0.5
	MinBetweennessDelta   = 1e-6
	MaxBetweennessDelta   = 0.5
	// DefaultBetweennessDelta is Delta when a request gives Epsilon alone.
	DefaultBetweennessDelta = 0.1
	// AnytimeBetweennessEpsilon and AnytimeBetweennessDelta are the bound
	// CentralityAnytime answers with while the exact ranking is not ready:
	// ~2,300 sampled paths on the linked network, under half a second on
	// one core (at ε = 0.01, 25 times as many: ~10 s, as its hubs, the
	// countries and NUTS regions, make each bidirectional BFS costly).
	AnytimeBetweennessEpsilon = 0.05
	AnytimeBetweennessDelta   = 0.1
)

// rkConstant is the universal constant c of the VC-dimension sample bound
// that Riondato and Kornaropoulos use (≈ 0.5, from Löffler and Phillips
// 2009).
const rkConstant = 0.5

// approxLanes is the number of random streams betweennessApprox draws
// from: the samples are dealt to the lanes, each lane has its own PCG
// seeded with (seed, lane), so the estimate depends on the seed alone, not
// on the number of workers; the counts are integers, so their sum does not
// depend on the order either.
const approxLanes = 16

// betweennessApprox estimates nx.betweenness_centrality (normalized) of
// every node within an additive ε of the exact value, for all nodes at once,
// with probability at least 1 − δ: Riondato and Kornaropoulos, "Fast
// approximation of betweenness centrality through sampling" (Data Mining
// and Knowledge Discovery 30, 2016), Algorithm 1.
//
// It draws r pairs (s, t), s ≠ t, uniformly at random, and for each one a
// shortest s–t path uniformly at random among the σ_st (none when t is
// unreachable); the estimate of v is the fraction of the r paths that run
// through v (v ≠ s, t). That fraction estimates
//
//	b(v) = 1/(n(n−1)) · Σ_{s≠v≠t} σ_st(v)/σ_st,
//
// and with
//
//	r = ⌈(c/ε_b²) · (⌊log2(VD − 2)⌋ + 1 + ln(1/δ))⌉,   c = 0.5,
//
// where VD bounds the vertex diameter (the most nodes on a shortest path),
// Pr(∃v: |b̃(v) − b(v)| > ε_b) < δ (their Theorem 2: the range space of
// shortest paths has VC-dimension at most ⌊log2(VD − 2)⌋ + 1). networkx's
// normalised value is C_B(v) = n/(n−2) · b(v) (it divides the same sum by
// (n−1)(n−2)), so the function runs with ε_b = ε·(n−2)/n and returns
// n/(n−2) · b̃: |C̃_B(v) − C_B(v)| ≤ ε for every v at once, with probability
// at least 1 − δ, on the values the API returns. VD is bounded by 2-
// approximating the diameter: one BFS per connected component from its
// first node, VD ≤ max over components of 2e + 1 for the eccentricity e
// of that node (taken at least 3, so the logarithm is defined).
//
// Each pair's paths are found by a balanced bidirectional BFS (the side
// whose frontier has the smaller degree sum grows a level; Borassi and
// Natale, KADABRA, 2016), which meets after touching ~√m edges in small-
// world networks: O(r·√m) expected, O(r·m) at worst, plus O(n + m) for VD;
// O(n) space per worker. With n ≤ 2 every score is 0, as in networkx.
// Unknown nodes do not arise (the graph is given); isolated nodes score 0
// but count in n. Ties are broken by Centrality's ranking, as for every
// measure. The same (graph, ε, δ, seed) always gives the same estimate.
func betweennessApprox(g *simpleGraph, epsilon, delta float64, seed uint64) []float64 {
	n := g.n
	bc := make([]float64, n)
	if n <= 2 || g.job.stopped() {
		return bc
	}
	r := approxSamples(n, vertexDiameterBound(g), epsilon, delta)
	counts := make([]int64, n)
	var mu sync.Mutex
	var wg sync.WaitGroup
	next := make(chan int, approxLanes)
	for l := range approxLanes {
		next <- l
	}
	close(next)
	for range max(1, min(g.job.goroutines(), approxLanes)) {
		wg.Go(func() {
			w := newPathSampler(g)
			local := make([]int32, n)
			for l := range next {
				rng := rand.New(rand.NewPCG(seed, samplingStream+uint64(l)))
				for i := l; i < r; i += approxLanes {
					if (i/approxLanes)%64 == 0 && g.job.stopped() {
						break
					}
					s := int32(rng.IntN(n))
					t := int32(rng.IntN(n - 1))
					if t >= s {
						t++
					}
					w.sample(s, t, rng, local)
				}
			}
			mu.Lock()
			for v, c := range local {
				counts[v] += int64(c)
			}
			mu.Unlock()
		})
	}
	wg.Wait()
	scale := float64(n) / float64(n-2) / float64(r)
	for v, c := range counts {
		bc[v] = float64(c) * scale
	}
	return bc
}

// approxSamples is the r of betweennessApprox for ε on networkx's scale.
func approxSamples(n, vd int, epsilon, delta float64) int {
	eb := epsilon * float64(n-2) / float64(n)
	vc := math.Floor(math.Log2(float64(max(vd, 3)-2))) + 1
	return int(math.Ceil(rkConstant / (eb * eb) * (vc + math.Log(1/delta))))
}

// vertexDiameterBound bounds the number of nodes on any shortest path of
// g: per component, a BFS from its first node, whose eccentricity e bounds
// the component's diameter by 2e (the vertex diameter by 2e + 1). O(n + m).
func vertexDiameterBound(g *simpleGraph) int {
	dist := newDist(g.n)
	queue := make([]int32, 0, g.n)
	vd := 1
	for root := range int32(g.n) {
		if dist[root] >= 0 {
			continue
		}
		dist[root] = 0
		queue = append(queue[:0], root)
		var ecc int32
		for i := 0; i < len(queue); i++ {
			u := queue[i]
			ecc = dist[u]
			for _, w := range g.neighbours(u) {
				if dist[w] < 0 {
					dist[w] = dist[u] + 1
					queue = append(queue, w)
				}
			}
		}
		vd = max(vd, 2*int(ecc)+1) // any two nodes lie within ecc of the root
	}
	return vd
}

// pathSampler draws a uniformly random shortest path between two nodes by
// a balanced bidirectional BFS. Scratch arrays are reset through the list
// of nodes touched, so one sample costs what its BFSs visit.
type pathSampler struct {
	g              *simpleGraph
	ds, dt         []int32 // distance from s / to t; -1: not reached
	σs, σt         []float64
	touched        []int32
	fs, ft, next   []int32 // frontiers
	crossX, crossY []int32
	crossW         []float64
}

func newPathSampler(g *simpleGraph) *pathSampler {
	return &pathSampler{g: g, ds: newDist(g.n), dt: newDist(g.n), σs: make([]float64, g.n), σt: make([]float64, g.n)}
}

// sample adds 1 to count[v] for every inner node v of one shortest s–t
// path drawn uniformly at random (nothing when t is unreachable from s).
func (p *pathSampler) sample(s, t int32, rng *rand.Rand, count []int32) {
	g := p.g
	defer p.reset()
	p.ds[s], p.σs[s], p.dt[t], p.σt[t] = 0, 1, 0, 1
	p.touched = append(p.touched, s, t)
	p.fs, p.ft = append(p.fs[:0], s), append(p.ft[:0], t)
	degS, degT := len(g.neighbours(s)), len(g.neighbours(t))
	for len(p.fs) > 0 && len(p.ft) > 0 {
		// Grow the side whose next level costs less.
		var met bool
		if degS <= degT {
			met, degS = p.grow(&p.fs, p.ds, p.σs, p.dt, p.σt)
		} else {
			met, degT = p.grow(&p.ft, p.dt, p.σt, p.ds, p.σs)
		}
		if met {
			p.walk(rng, count)
			return
		}
	}
}

// grow expands the frontier *front of one side (distances d, counts σ)
// by a level. When the level touches the other side's frontier (od, oσ),
// it records the crossing edges (x, y), x on this side and y on the
// other, each weighing σ(x)·oσ(y), oriented s→t, and reports met (the
// level's expansion is then left unfinished: it is not needed). Otherwise
// it returns the new frontier's degree sum. Before the sides meet, the
// balls they have grown are disjoint, so a node y the other side reached
// lies at distance exactly its frontier's level from its root, and every
// shortest s–t path crosses one of the recorded edges.
func (p *pathSampler) grow(front *[]int32, d []int32, σ []float64, od []int32, oσ []float64) (bool, int) {
	g := p.g
	p.crossX, p.crossY, p.crossW = p.crossX[:0], p.crossY[:0], p.crossW[:0]
	fromS := &d[0] == &p.ds[0]
	p.next = p.next[:0]
	deg := 0
	lvl := d[(*front)[0]] + 1
	for _, x := range *front {
		for _, y := range g.neighbours(x) {
			if od[y] >= 0 {
				a, b := x, y
				if !fromS {
					a, b = y, x
				}
				p.crossX, p.crossY = append(p.crossX, a), append(p.crossY, b)
				p.crossW = append(p.crossW, σ[x]*oσ[y])
				continue
			}
			if len(p.crossX) > 0 {
				continue
			}
			switch d[y] {
			case -1:
				d[y] = lvl
				σ[y] = σ[x]
				p.touched = append(p.touched, y)
				p.next = append(p.next, y)
				deg += len(g.neighbours(y))
			case lvl:
				σ[y] += σ[x]
			}
		}
	}
	if len(p.crossX) > 0 {
		return true, 0
	}
	*front, p.next = p.next, *front
	return false, deg
}

// walk picks a crossing edge by weight and walks back to s and to t,
// each step choosing a predecessor p of x with probability σ(p)/σ(x),
// counting the inner nodes.
func (p *pathSampler) walk(rng *rand.Rand, count []int32) {
	total := 0.0
	for _, w := range p.crossW {
		total += w
	}
	pick, i := rng.Float64()*total, 0
	for ; i < len(p.crossW)-1 && pick >= p.crossW[i]; i++ {
		pick -= p.crossW[i]
	}
	p.back(p.crossX[i], p.ds, p.σs, rng, count)
	p.back(p.crossY[i], p.dt, p.σt, rng, count)
}

// back counts x and its ancestors down to (not including) the root of the
// side with distances d and counts σ.
func (p *pathSampler) back(x int32, d []int32, σ []float64, rng *rand.Rand, count []int32) {
	for d[x] > 0 {
		count[x]++
		pick := rng.Float64() * σ[x]
		var last int32 = -1
		for _, y := range p.g.neighbours(x) {
			if d[y] == d[x]-1 {
				last = y
				if pick < σ[y] {
					break
				}
				pick -= σ[y]
			}
		}
		x = last
	}
}

func (p *pathSampler) reset() {
	for _, v := range p.touched {
		p.ds[v], p.dt[v], p.σs[v], p.σt[v] = -1, -1, 0, 0
	}
	p.touched = p.touched[:0]
}
