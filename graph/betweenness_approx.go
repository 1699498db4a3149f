package graph

import (
	"math/rand/v2"
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
	// on the linked network 1,261 paths, 0.15 s of CPU on one core. At
	// ε = 0.01 KADABRA stops after ~22,700 paths, 2.2 s of CPU: its hubs
	// (countries, NUTS regions, programmes) make each bidirectional BFS
	// costly (BenchmarkKadabraLinked).
	AnytimeBetweennessEpsilon = 0.05
	AnytimeBetweennessDelta   = 0.1
)

// componentsAndVD labels the connected components of g (comp[v], from 0)
// and bounds the number of nodes on any shortest path: per component, a
// BFS from its first node, whose eccentricity e bounds the component's
// diameter by 2e (the vertex diameter by 2e + 1). O(n + m).
func componentsAndVD(g *simpleGraph) (comp []int32, vd int) {
	comp = newDist(g.n)
	dist := newDist(g.n)
	queue := make([]int32, 0, g.n)
	vd = 1
	var c int32
	for root := range int32(g.n) {
		if comp[root] >= 0 {
			continue
		}
		comp[root], dist[root] = c, 0
		queue = append(queue[:0], root)
		var ecc int32
		for i := 0; i < len(queue); i++ {
			u := queue[i]
			ecc = dist[u]
			for _, w := range g.neighbours(u) {
				if comp[w] < 0 {
					comp[w], dist[w] = c, dist[u]+1
					queue = append(queue, w)
				}
			}
		}
		vd = max(vd, 2*int(ecc)+1) // any two nodes lie within ecc of the root
		c++
	}
	return comp, vd
}

// pathSampler draws a uniformly random shortest path between two nodes by
// a balanced bidirectional BFS (the side whose frontier has the smaller
// degree sum grows a level; Borassi and Natale 2016), which meets after
// touching ~√m edges in small-world networks. The two balls are disjoint
// until they meet, so one array holds both sides' distances (the sign
// tells the side) and one their path counts: the BFS reads one int32 per
// neighbour, which keeps the arrays of a 100k-node network in cache.
// Scratch arrays are reset through the list of nodes touched, so one
// sample costs what its BFSs visit and allocates nothing once the buffers
// have grown.
type pathSampler struct {
	g    *simpleGraph
	comp []int32 // component of each node (componentsAndVD)
	// state is 0 for a node not reached, d+1 for a node at distance d
	// from s, −(d+1) for one at distance d from t.
	state        []int32
	σ            []float64 // shortest paths from the node's root
	touched      []int32
	fs, ft, next []int32 // frontiers
	cross        []int32 // crossing edges, two nodes each
	crossW       []float64
	// inner collects the inner nodes of the paths drawn, one entry per
	// node and path, until its owner empties it.
	inner []int32
	pcg   rand.PCG
	rng   *rand.Rand
}

func newPathSampler(g *simpleGraph, comp []int32) *pathSampler {
	p := &pathSampler{g: g, comp: comp, state: make([]int32, g.n), σ: make([]float64, g.n)}
	p.rng = rand.New(&p.pcg)
	return p
}

// draw draws a pair (s, t), s ≠ t, uniformly at random from the n(n−1)
// ordered pairs, and a shortest s–t path uniformly at random among the
// σ_st, appending its inner nodes to p.inner (nothing when t is not
// reachable from s). The draw depends on (seed, stream) alone.
func (p *pathSampler) draw(seed, stream uint64) {
	p.pcg.Seed(seed, stream)
	n := p.g.n
	s := int32(p.rng.IntN(n))
	t := int32(p.rng.IntN(n - 1))
	if t >= s {
		t++
	}
	if p.comp[s] != p.comp[t] {
		return
	}
	p.sample(s, t)
}

// sample appends the inner nodes of one shortest s–t path drawn uniformly
// at random to p.inner; s and t lie in one component.
func (p *pathSampler) sample(s, t int32) {
	g := p.g
	defer p.reset()
	p.state[s], p.σ[s], p.state[t], p.σ[t] = 1, 1, -1, 1
	p.touched = append(p.touched, s, t)
	p.fs, p.ft = append(p.fs[:0], s), append(p.ft[:0], t)
	degS, degT := len(g.neighbours(s)), len(g.neighbours(t))
	for len(p.fs) > 0 && len(p.ft) > 0 {
		// Grow the side whose next level costs less.
		var met bool
		if degS <= degT {
			met, degS = p.grow(&p.fs, 1)
		} else {
			met, degT = p.grow(&p.ft, -1)
		}
		if met {
			p.walk()
			return
		}
	}
}

// grow expands the frontier *front of one side (sign 1: s, −1: t) by a
// level. When the level touches the other side, it records the crossing
// edges (x, y), x on this side and y on the other, each weighing
// σ(x)·σ(y), and reports met (the level's expansion is then left
// unfinished: it is not needed). Otherwise it returns the new frontier's
// degree sum. Before the sides meet, the balls they have grown are
// disjoint, so a node y the other side reached lies at distance exactly
// its frontier's level from its root, and every shortest s–t path crosses
// one of the recorded edges.
func (p *pathSampler) grow(front *[]int32, sign int32) (bool, int) {
	g, state, σ := p.g, p.state, p.σ
	p.cross, p.crossW = p.cross[:0], p.crossW[:0]
	p.next = p.next[:0]
	deg := 0
	lvl := state[(*front)[0]] + sign
	for _, x := range *front {
		σx := σ[x]
		for _, y := range g.neighbours(x) {
			st := state[y]
			switch {
			case st == 0:
				if len(p.cross) == 0 {
					state[y], σ[y] = lvl, σx
					p.touched = append(p.touched, y)
					p.next = append(p.next, y)
					deg += int(g.off[y+1] - g.off[y])
				}
			case (st < 0) != (sign < 0):
				p.cross = append(p.cross, x, y)
				p.crossW = append(p.crossW, σx*σ[y])
			case st == lvl && len(p.cross) == 0:
				σ[y] += σx
			}
		}
	}
	if len(p.cross) > 0 {
		return true, 0
	}
	*front, p.next = p.next, *front
	return false, deg
}

// walk picks a crossing edge by weight and walks back to s and to t,
// each step choosing a predecessor q of x with probability σ(q)/σ(x),
// collecting the inner nodes.
func (p *pathSampler) walk() {
	total := 0.0
	for _, w := range p.crossW {
		total += w
	}
	pick, i := p.rng.Float64()*total, 0
	for ; i < len(p.crossW)-1 && pick >= p.crossW[i]; i++ {
		pick -= p.crossW[i]
	}
	p.back(p.cross[2*i])
	p.back(p.cross[2*i+1])
}

// back collects x and its ancestors down to (not including) the root of
// x's side.
func (p *pathSampler) back(x int32) {
	state, σ := p.state, p.σ
	for state[x] > 1 || state[x] < -1 {
		p.inner = append(p.inner, x)
		pick := p.rng.Float64() * σ[x]
		up := state[x] - 1 // the predecessors' state
		if state[x] < 0 {
			up = state[x] + 1
		}
		var last int32 = -1
		for _, y := range p.g.neighbours(x) {
			if state[y] == up {
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
		p.state[v] = 0
	}
	p.touched = p.touched[:0]
}
