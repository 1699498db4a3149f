package graph

import (
	"context"
	"slices"

	"github.com/coopgraph/coopgraph"
)

// Projection describes a one-mode projection of the network: the entities
// of Kinds, two of them linked when they share a neighbour of a kind in Via
// (an organisation–organisation network through shared projects, a
// region–region network through shared networks).
//
// The projection is that of the bipartite graph B whose two sides are the
// entities of Kinds and the entities of Via kinds, and whose edges are the
// kept relations between the two sides, direction ignored and parallel
// relations counted once (relations between two entities of the same side
// play no part). It is nx.bipartite.weighted_projected_graph(B, nodes of
// Kinds): every entity of Kinds is a node, isolated or not, and an edge's
// weight is the number of Via entities its two ends share.
type Projection struct {
	// Kinds are the kinds of the projected entities; at least one, each of
	// the vocabulary.
	Kinds []string
	// Via are the kinds of the shared neighbours; empty means every kind
	// not in Kinds. Via and Kinds must not overlap (the graph would not be
	// bipartite).
	Via []string
	// RelationTypes keeps only relations of these types; empty keeps all.
	RelationTypes []string
	// RegionLevel, when set, makes this the region–region network instead
	// (see regionProjection): the places at that level (0 countries, 1–3
	// NUTS levels), linked when organisations located in them take part in
	// the same projects, weighted by the number of such projects, so that
	// centrality ranks regions by their cooperation. Kinds may then only
	// hold Region and Country, Via only Project, and RelationTypes must be
	// empty.
	RegionLevel *int
}

// ProjectedEdge links two entities of a projection.
type ProjectedEdge struct {
	A, B     string   // A < B
	Weight   int      // the number of shared Via entities, len(Contexts)
	Contexts []string // the shared Via entities, ascending
}

// MaxProjectionPairs bounds the work of a projection: the number of
// (entity, entity) pairs met through a shared neighbour, Σ_w d(w)·(d(w)−1)
// over the Via entities w with d(w) neighbours of Kinds. Every projected
// edge is met at least twice (once from each end), so it also bounds the
// projection's size: at most 2^24 edges, 256 MB of adjacency and weights
// at worst. CORDIS H2020's organisation projection through projects
// (35,871 organisations, 796,670 edges, ~160 ms) is well within it;
// projecting organisations through the countries they are located in is
// not, and fails with an ELIMIT error.
const MaxProjectionPairs = 1 << 25

// Project computes the projection p and returns its edges ordered by
// weight descending, then by A, then by B (ids), at most first of them
// (first < 0: all), and the total number of edges. Weights are counts, so
// ties are common and broken by ids.
//
// Cost O(Σ_w d(w)² + n + m) time over the Via entities w, O(n + m + E)
// space for E projected edges (built as a compressed adjacency, no map per
// pair); the answer's Contexts cost O(d(A) + d(B)) per edge returned.
//
// An empty Kinds, an unknown kind or relation type, or Kinds and Via
// overlapping is an EINVALID error naming the argument; a projection beyond
// MaxProjectionPairs is an ELIMIT error. The projection runs when ctx's
// Limiter admits it (see WithLimiter); ctx ending first gives its cause.
func (s *Snapshot) Project(ctx context.Context, p Projection, first int) (edges []ProjectedEdge, total int, err error) {
	pg, err := admitted(ctx, func(*job) (*projGraph, error) { return s.projection(&p) })
	if err != nil {
		return nil, 0, err
	}
	total = len(pg.adj) / 2
	k := total
	if first >= 0 && first < k {
		k = first
	}

	// Select the first k edges (u < v) by weight descending then (u, v)
	// without sorting them all: a histogram of the weights says how many of
	// each weight are taken; one pass in (u, v) order fills each weight's
	// slots in order.
	maxW := int32(0)
	for _, w := range pg.wt {
		maxW = max(maxW, w)
	}
	hist := make([]int, maxW+1)
	pg.upper(func(_, _, w int32) { hist[w]++ })
	start := make([]int, maxW+1) // slot of the next edge of weight w
	left := k
	next := 0
	for w := maxW; w >= 1; w-- {
		take := min(hist[w], left)
		start[w] = next
		hist[w] = take // now: how many of weight w are still to take
		next += take
		left -= take
	}
	type pick struct{ u, v, w int32 }
	picks := make([]pick, k)
	if k > 0 {
		pg.upper(func(u, v, w int32) {
			if hist[w] > 0 {
				picks[start[w]] = pick{u, v, w}
				start[w]++
				hist[w]--
			}
		})
	}

	edges = make([]ProjectedEdge, k)
	for i, pk := range picks {
		a, b := pg.nodes[pk.u], pg.nodes[pk.v]
		ctx := make([]string, 0, pk.w)
		intersectSorted(pg.via(a), pg.via(b), func(x int32) { ctx = append(ctx, s.ids[x]) })
		edges[i] = ProjectedEdge{A: s.ids[a], B: s.ids[b], Weight: int(pk.w), Contexts: ctx}
	}
	return edges, total, nil
}

// projected returns the projection p as a simple graph whose node i is the
// entity nodes[i] of the snapshot; nodes are the entities of p.Kinds in
// index (= id) order, all of them. Edge weights are dropped and no node has
// a self-loop. Errors as Project's.
func (s *Snapshot) projected(j *job, p *Projection) (*simpleGraph, []int32, error) {
	pg, err := s.projection(p)
	if err != nil {
		return nil, nil, err
	}
	n := len(pg.nodes)
	return &simpleGraph{n: n, off: pg.off, adj: pg.adj, loop: make([]bool, n), job: j}, pg.nodes, nil
}

// projGraph is a weighted projection: the bipartite adjacency it was built
// from and the projected CSR.
type projGraph struct {
	nodes []int32 // projected index -> snapshot index, ascending
	// Bipartite adjacency of the projected nodes: the distinct Via
	// neighbours of nodes[i] are bv[boff[i]:boff[i+1]], ascending.
	boff, bv []int32
	pos      []int32 // snapshot index -> projected index, -1 when not projected
	// The projection: neighbours of projected node i are
	// adj[off[i]:off[i+1]] (projected indexes, ascending), wt the weights.
	off, adj, wt []int32
}

// via returns the Via neighbours of snapshot node a, a projected node.
func (pg *projGraph) via(a int32) []int32 {
	i := pg.pos[a]
	return pg.bv[pg.boff[i]:pg.boff[i+1]]
}

// upper calls f for every edge u < v (projected indexes) in (u, v) order.
func (pg *projGraph) upper(f func(u, v, w int32)) {
	for u := range len(pg.nodes) {
		for e := pg.off[u]; e < pg.off[u+1]; e++ {
			if v := pg.adj[e]; v > int32(u) {
				f(int32(u), v, pg.wt[e])
			}
		}
	}
}

// projection validates p and builds its projected graph.
func (s *Snapshot) projection(p *Projection) (*projGraph, error) {
	if p.RegionLevel != nil {
		return s.regionProjection(p)
	}
	if len(p.Kinds) == 0 {
		return nil, coopgraph.Errorf(coopgraph.EINVALID, "the projection's %s must not be empty", coopgraph.Option("kinds"))
	}
	for _, k := range p.Kinds {
		if !coopgraph.IsKind(k) {
			return nil, coopgraph.Errorf(coopgraph.EINVALID, "unknown kind %q in the projection's %s", k, coopgraph.Option("kinds"))
		}
	}
	for _, k := range p.Via {
		if !coopgraph.IsKind(k) {
			return nil, coopgraph.Errorf(coopgraph.EINVALID, "unknown kind %q in the projection's %s", k, coopgraph.Option("via"))
		}
		if slices.Contains(p.Kinds, k) {
			return nil, coopgraph.Errorf(coopgraph.EINVALID, "kind %q is both in the projection's %s and %s", k, coopgraph.Option("kinds"), coopgraph.Option("via"))
		}
	}
	keep, err := s.typeFilter(p.RelationTypes)
	if err != nil {
		return nil, err
	}

	n := len(s.ids)
	const (
		other = iota
		side  // an entity of Kinds
		via   // an entity of a Via kind
	)
	role := make([]uint8, n)
	pg := &projGraph{pos: make([]int32, n)}
	for x := range n {
		pg.pos[x] = -1
		switch k := s.kinds[s.kindOf[x]]; {
		case slices.Contains(p.Kinds, k):
			role[x] = side
			pg.pos[x] = int32(len(pg.nodes))
			pg.nodes = append(pg.nodes, int32(x))
		case len(p.Via) == 0 || slices.Contains(p.Via, k):
			role[x] = via
		}
	}
	np := len(pg.nodes)

	// Bipartite adjacency, both ways: side -> via (bv), via -> side (wv,
	// the transpose, filled in side order so each run is ascending).
	pg.boff = make([]int32, np+1)
	deg := make([]int32, n+1) // via node -> number of side neighbours
	for i, u := range pg.nodes {
		last := int32(-1)
		s.incident(u, keep, func(w, _ int32) {
			if w != last && role[w] == via {
				pg.bv = append(pg.bv, w)
				deg[w]++
				last = w
			}
		})
		pg.boff[i+1] = int32(len(pg.bv))
	}
	return pg, pg.project(n, deg)
}

// project builds the projected CSR of pg from its bipartite adjacency
// (nodes, boff, bv, pos): deg[w] is the number of projected nodes Via
// entity w of the n of the snapshot is a neighbour of.
func (pg *projGraph) project(n int, deg []int32) error {
	np := len(pg.nodes)
	var work int64
	for _, d := range deg {
		work += int64(d) * int64(d-1)
	}
	if work > MaxProjectionPairs {
		return coopgraph.Errorf(coopgraph.ELIMIT,
			"the projection meets %d pairs of entities through shared neighbours, more than the limit of %d; narrow %s, %s or %s",
			work, MaxProjectionPairs, coopgraph.Option("kinds"), coopgraph.Option("via"), coopgraph.Option("relationTypes"))
	}
	woff := make([]int32, n+1)
	for w := range n {
		woff[w+1] = woff[w] + deg[w]
	}
	wv := make([]int32, len(pg.bv))
	fill := slices.Clone(woff[:n])
	for i := range np {
		for _, w := range pg.bv[pg.boff[i]:pg.boff[i+1]] {
			wv[fill[w]] = int32(i)
			fill[w]++
		}
	}

	// The projection, row by row with a dense counter (a sparse
	// accumulator): O(Σ_w d(w)²) in all.
	count := make([]int32, np)
	var touched []int32
	pg.off = make([]int32, np+1)
	// work bounds the number of entries (each meeting of u and v through a
	// shared w is one), and is exact when no pair shares two neighbours,
	// the common case; past 2^23 entries (64 MB) the slices grow instead.
	pg.adj = make([]int32, 0, min(work, 1<<23))
	pg.wt = make([]int32, 0, min(work, 1<<23))
	for i := range np {
		touched = touched[:0]
		for _, w := range pg.bv[pg.boff[i]:pg.boff[i+1]] {
			for _, j := range wv[woff[w]:woff[w+1]] {
				if j == int32(i) {
					continue
				}
				if count[j] == 0 {
					touched = append(touched, j)
				}
				count[j]++
			}
		}
		slices.Sort(touched)
		for _, j := range touched {
			pg.adj = append(pg.adj, j)
			pg.wt = append(pg.wt, count[j])
			count[j] = 0
		}
		pg.off[i+1] = int32(len(pg.adj))
	}
	return nil
}

// intersectSorted calls f for every element common to the ascending
// slices a and b, in order.
func intersectSorted(a, b []int32, f func(int32)) {
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			f(a[i])
			i++
			j++
		}
	}
}
