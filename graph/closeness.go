package graph

import "math/bits"

// closeness is nx.closeness_centrality with its default wf_improved=True
// (Wasserman and Faust's formula for disconnected graphs): for a node u
// that reaches r-1 other nodes at total distance D,
//
//	C(u) = (r-1)/D · (r-1)/(n-1),
//
// the inverse mean distance within u's component, scaled by the share of
// the graph that component covers (L. C. Freeman, Centrality in social
// networks, 1979; S. Wasserman and K. Faust, Social Network Analysis,
// 1994). A node that reaches nothing (isolated, or n == 1) gets 0.
// Self-loops and parallel relations change nothing.
//
// The sums of distances come from one BFS per node of the core left by
// removing the pendant trees (see pendantTrees), each core node weighing
// the size of its tree, and in closed form for the trees' nodes:
// O(n_c·m_c + n + m) time for a core of n_c nodes and m_c edges (see
// distanceProfiles). D and r are exact integers and the formula is
// evaluated as networkx does, so the scores equal networkx's bit for bit
// whatever the number of workers.
func closeness(g *simpleGraph) []float64 {
	n := g.n
	c := make([]float64, n)
	pt := newPendantTrees(g)
	coreTotal := make([]int64, pt.core.n)
	distanceProfiles(pt.core, pendantWeights[int64](pt), func(s int32, p *profile) {
		coreTotal[s] = p.total
	})
	for u, total := range pt.treeDistances(coreTotal) {
		// networkx: (len(sp) - 1.0) / totsp * ((len(sp) - 1.0) / (len(G) - 1))
		if r := float64(pt.comp[u]); total > 0 && n > 1 {
			cc := (r - 1.0) / float64(total)
			cc *= (r - 1.0) / float64(n-1)
			c[u] = cc
		}
	}
	return c
}

// profile sums up the distances from one source to the nodes it reaches,
// each node v counted weight[v] times: reach counts the nodes (the source
// included), total sums their distances, and harmonic the inverse
// distances Σ 1/d(s, v), v ≠ s, added one level at a time as count/d (one
// rounding per level).
type profile struct {
	reach, total int64
	harmonic     float64
}

// distanceProfiles calls done(s, p) once for every node s with the
// profile of its distances, nodes weighing weight[v] (nil: 1 each), from
// one BFS per node, O(n·m) time.
//
// The BFSs run 64 sources at a time as a multi-source BFS over bit sets
// (Then et al., The More the Merrier: Efficient Multi-Source Graph
// Traversal, VLDB 2014): a node reached by several of the 64 BFSs at the
// same level is expanded once. Batches are spread over GOMAXPROCS workers,
// each with O(n) space; done is called from the workers, each s once.
func distanceProfiles(g *simpleGraph, weight []int64, done func(s int32, p *profile)) {
	n := g.n
	if weight == nil {
		weight = make([]int64, n)
		for i := range weight {
			weight[i] = 1
		}
	}
	batches := (n + 63) / 64
	parallelFor(g.job, 0, batches, workers(g.job, batches, func() func(b int32) {
		seen := make([]uint64, n)  // bit i: reached by source lo+i
		visit := make([]uint64, n) // the current level
		next := make([]uint64, n)  // the next level, before removing seen
		var frontier, touched, all []int32
		return func(b int32) {
			lo, hi := int(b)*64, min(n, int(b)*64+64)
			var prof [64]profile
			var count [64]int64 // nodes first reached at this level
			frontier = frontier[:0]
			all = all[:0]
			for s := lo; s < hi; s++ {
				bit := uint64(1) << (s - lo)
				seen[s], visit[s] = bit, bit
				prof[s-lo].reach = weight[s]
				frontier = append(frontier, int32(s))
				all = append(all, int32(s))
			}
			// A batch takes up to ~100 ms on a whole programme: the job is
			// checked at every level too (a stopped batch's partial
			// profiles are discarded with the rest).
			for level := int64(1); len(frontier) > 0 && !g.job.stopped(); level++ {
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
				var reached uint64 // sources that reached a node at this level
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
					reached |= nw
					for wt := weight[w]; nw != 0; nw &= nw - 1 {
						count[bits.TrailingZeros64(nw)] += wt
					}
				}
				for ; reached != 0; reached &= reached - 1 {
					i := bits.TrailingZeros64(reached)
					c := count[i]
					count[i] = 0
					prof[i].reach += c
					prof[i].total += c * level
					prof[i].harmonic += float64(c) / float64(level)
				}
			}
			for _, v := range all {
				seen[v] = 0
			}
			for s := lo; s < hi; s++ {
				done(int32(s), &prof[s-lo])
			}
		}
	}))
}
