package graph

import "testing"

// The benchmarks behind ARCHITECTURE.md's "the engine's shape": one BFS
// over the benchmark network's simple graph, reading the adjacency as the
// algorithms do (two slices), through a small interface that hands out a
// node's neighbours (what subpackages over a snapshot interface would
// read), and through one call per neighbour (gonum's iterator style).
// The searches are not inlined, so that the interface calls stay dynamic,
// as they would be in another package.

// neighbourLister is the small snapshot interface of the first kind.
type neighbourLister interface {
	neighbours(u int32) []int32
}

// neighbourAt is the interface of the second kind.
type neighbourAt interface {
	degree(u int32) int
	neighbourAt(u int32, i int) int32
}

func (g *simpleGraph) degree(u int32) int               { return int(g.off[u+1] - g.off[u]) }
func (g *simpleGraph) neighbourAt(u int32, i int) int32 { return g.adj[int(g.off[u])+i] }

// bfsState is a search's distances and queue, reused.
type bfsState struct{ dist, queue []int32 }

func (b *bfsState) start(s int32) {
	for i := range b.dist {
		b.dist[i] = -1
	}
	b.dist[s] = 0
	b.queue = append(b.queue[:0], s)
}

//go:noinline
func bfsSlices(g *simpleGraph, b *bfsState, s int32) int {
	b.start(s)
	for h := 0; h < len(b.queue); h++ {
		u := b.queue[h]
		for _, v := range g.adj[g.off[u]:g.off[u+1]] {
			if b.dist[v] < 0 {
				b.dist[v] = b.dist[u] + 1
				b.queue = append(b.queue, v)
			}
		}
	}
	return len(b.queue)
}

//go:noinline
func bfsLister(g neighbourLister, b *bfsState, s int32) int {
	b.start(s)
	for h := 0; h < len(b.queue); h++ {
		u := b.queue[h]
		for _, v := range g.neighbours(u) {
			if b.dist[v] < 0 {
				b.dist[v] = b.dist[u] + 1
				b.queue = append(b.queue, v)
			}
		}
	}
	return len(b.queue)
}

//go:noinline
func bfsAt(g neighbourAt, b *bfsState, s int32) int {
	b.start(s)
	for h := 0; h < len(b.queue); h++ {
		u := b.queue[h]
		for i, d := 0, g.degree(u); i < d; i++ {
			if v := g.neighbourAt(u, i); b.dist[v] < 0 {
				b.dist[v] = b.dist[u] + 1
				b.queue = append(b.queue, v)
			}
		}
	}
	return len(b.queue)
}

func BenchmarkBFSThroughInterface(b *testing.B) {
	g := benchNet().simple(nil, nil)
	hub := int32(0) // e0000000, the first node of the preferential attachment
	for _, c := range []struct {
		name string
		bfs  func(*bfsState) int
	}{
		{"slices", func(st *bfsState) int { return bfsSlices(g, st, hub) }},
		{"interface-neighbours", func(st *bfsState) int { return bfsLister(g, st, hub) }},
		{"interface-per-neighbour", func(st *bfsState) int { return bfsAt(g, st, hub) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			st := &bfsState{dist: make([]int32, g.n), queue: make([]int32, 0, g.n)}
			reached := 0
			for b.Loop() {
				reached = c.bfs(st)
			}
			b.ReportMetric(float64(reached), "reached")
		})
	}
}
