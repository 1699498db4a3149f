package graph

import "math/bits"

// closeness is nx.closeness_centrality with its default wf_improved=True
// (Wasserman and Faust's formula for disconnected graphs): for a node u
// that reaches r-1 other nodes at total distance D,
//
//	C(u) = (r-1)/D · (r-1)/(n-1),
//
// the inverse mean distance within u's component, scaled by the share of
// the graph that component covers. A node that reaches nothing (isolated,
// or n == 1) gets 0. Self-loops and parallel relations change nothing.
//
// The distances come from one BFS per node, O(n·m), run 64 sources at a
// time as a multi-source BFS over bit sets (Then et al., The More the
// Merrier: Efficient Multi-Source Graph Traversal, VLDB 2014): a node
// reached by several of the 64 BFSs at the same level is expanded once.
// Batches are spread over GOMAXPROCS workers. D and r are integers and the
// formula is evaluated as networkx does, so the scores equal networkx's bit
// for bit whatever the number of workers.
func closeness(g *simpleGraph) []float64 {
	n := g.n
	c := make([]float64, n)
	batches := (n + 63) / 64
	parallelFor(0, batches, workers(batches, func() func(b int32) {
		seen := make([]uint64, n)  // bit i: reached by source lo+i
		visit := make([]uint64, n) // the current level
		next := make([]uint64, n)  // the next level, before removing seen
		var frontier, touched, all []int32
		return func(b int32) {
			lo, hi := int(b)*64, min(n, int(b)*64+64)
			var total, reach [64]int64
			frontier = frontier[:0]
			all = all[:0]
			for s := lo; s < hi; s++ {
				bit := uint64(1) << (s - lo)
				seen[s], visit[s] = bit, bit
				reach[s-lo] = 1
				frontier = append(frontier, int32(s))
				all = append(all, int32(s))
			}
			for level := int64(1); len(frontier) > 0; level++ {
				touched = touched[:0]
				for _, v := range frontier {
					for _, w := range g.neighbours(v) {
						if next[w] == 0 {
							touched = append(touched, w)
						}
						next[w] |= visit[v]
					}
				}
				for _, v := range frontier {
					visit[v] = 0
				}
				frontier = frontier[:0]
				for _, w := range touched {
					nw := next[w] &^ seen[w]
					next[w] = 0
					if nw == 0 {
						continue
					}
					if seen[w] == 0 {
						all = append(all, w)
					}
					seen[w] |= nw
					visit[w] = nw
					frontier = append(frontier, w)
					for ; nw != 0; nw &= nw - 1 {
						i := bits.TrailingZeros64(nw)
						total[i] += level
						reach[i]++
					}
				}
			}
			for _, v := range all {
				seen[v] = 0
			}
			for s := lo; s < hi; s++ {
				// networkx: (len(sp) - 1.0) / totsp * ((len(sp) - 1.0) / (len(G) - 1))
				if r := float64(reach[s-lo]); total[s-lo] > 0 && n > 1 {
					cc := (r - 1.0) / float64(total[s-lo])
					cc *= (r - 1.0) / float64(n-1)
					c[s] = cc
				}
			}
		}
	}))
	return c
}
