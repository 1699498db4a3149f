package graph

import "testing"

// The benchmarks behind ARCHITECTURE.md's "the engine's shape": one BFS
// over the benchmark network's simple graph, reading the adjacency as the
// algorithms do (two slices), through a small interface that hands out a
// node's neighbours (what subpackages over a snapshot interface would
// read), and through one call per neighbour (gonum's iterator style).
// The searches are not inlined, so that the interface calls stay dynamic,
// as they would be in another package.

// benchNeighbourLister is the small snapshot interface of the first kind.
type benchNeighbourLister interface {
	neighbours(u int32) []int32
}

// benchNeighbourAt is the interface of the second kind.
type benchNeighbourAt interface {
	benchDegree(u int32) int
	benchNeighbourAt(u int32, i int) int32
}

func (g *simpleGraph) benchDegree(u int32) int               { return int(g.off[u+1] - g.off[u]) }
func (g *simpleGraph) benchNeighbourAt(u int32, i int) int32 { return g.adj[int(g.off[u])+i] }

// benchBFSState is a search's distances and queue, reused.
type benchBFSState struct{ dist, queue []int32 }

func (b *benchBFSState) start(s int32) {
	for i := range b.dist {
		b.dist[i] = -1
	}
	b.dist[s] = 0
	b.queue = append(b.queue[:0], s)
}

//go:noinline
func benchBFSSlices(g *simpleGraph, b *benchBFSState, s int32) int {
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
func benchBFSLister(g benchNeighbourLister, b *benchBFSState, s int32) int {
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
func benchBFSAt(g benchNeighbourAt, b *benchBFSState, s int32) int {
	b.start(s)
	for h := 0; h < len(b.queue); h++ {
		u := b.queue[h]
		for i, d := 0, g.benchDegree(u); i < d; i++ {
			if v := g.benchNeighbourAt(u, i); b.dist[v] < 0 {
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
		bfs  func(*benchBFSState) int
	}{
		{"slices", func(st *benchBFSState) int { return benchBFSSlices(g, st, hub) }},
		{"interface-neighbours", func(st *benchBFSState) int { return benchBFSLister(g, st, hub) }},
		{"interface-per-neighbour", func(st *benchBFSState) int { return benchBFSAt(g, st, hub) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			st := &benchBFSState{dist: make([]int32, g.n), queue: make([]int32, 0, g.n)}
			reached := 0
			for b.Loop() {
				reached = c.bfs(st)
			}
			b.ReportMetric(float64(reached), "reached")
		})
	}
}
