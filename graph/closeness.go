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
	ecc          int64 // the source's eccentricity: the last level that reached a node
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
	if weight == nil {
		weight = unitWeights(g.n)
	}
	batches := (g.n + 63) / 64
	parallelFor(g.job, 0, batches, workers(g.job, batches, func() func(b int32) {
		bfs := newBatchBFS(g, weight)
		return func(b int32) {
			lo, hi := int(b)*64, min(g.n, int(b)*64+64)
			bfs.run(lo, hi)
			for s := lo; s < hi; s++ {
				done(int32(s), &bfs.prof[s-lo])
			}
		}
	}))
}

// unitWeights is n weights of 1: every node counts once.
func unitWeights(n int) []int64 {
	w := make([]int64, n)
	for i := range w {
		w[i] = 1
	}
	return w
}

// batchBFS is one worker's multi-source BFS of distanceProfiles: the
// sources lo..hi-1 of a batch are the bits 0..hi-lo-1 of its bit sets, and
// its O(n) space is reused from batch to batch.
type batchBFS struct {
	g      *simpleGraph
	weight []int64

	seen  []uint64 // bit i: reached by source lo+i
	visit []uint64 // the current level
	next  []uint64 // the next level, before removing seen

	frontier []int32 // the nodes of the current level
	touched  []int32 // the nodes next reaches, seen or not
	all      []int32 // every node seen: those to clear after the batch

	prof  [64]profile // the batch's answers, one a source
	count [64]int64   // nodes first reached at this level, one a source

	src []int32 // the batch's sources: bit i is src[i]
	// sums, when set, also gathers the distances seen from the other
	// side, per node reached (see targetSums); mult[i] is the number of
	// draws of source i, all 1 when ones.
	sums *targetSums
	mult [64]int64
	ones bool
}

func newBatchBFS(g *simpleGraph, weight []int64) *batchBFS {
	n := g.n
	return &batchBFS{g: g, weight: weight, seen: make([]uint64, n), visit: make([]uint64, n), next: make([]uint64, n)}
}

// run fills prof[0:hi-lo] with the profiles of the sources lo..hi-1.
//
// A batch takes up to ~100 ms on a whole programme: the job is checked at
// every level too (a stopped batch's partial profiles are discarded with
// the rest).
func (b *batchBFS) run(lo, hi int) {
	b.src = b.src[:0]
	for s := lo; s < hi; s++ {
		b.src = append(b.src, int32(s))
	}
	b.runSources(b.src)
}

// runSources fills prof[0:len(src)] with the profiles of the (at most 64,
// distinct) sources src, and adds to sums, when set, what each node they
// reach sees of them.
func (b *batchBFS) runSources(src []int32) {
	b.start(src)
	for level := int64(1); len(b.frontier) > 0 && !b.g.job.stopped(); level++ {
		b.expand()
		reached := b.settle(level)
		b.credit(reached, level)
	}
	b.forget()
}

// start puts every source at distance 0 from itself, counting its own
// weight in its reach.
func (b *batchBFS) start(src []int32) {
	b.prof = [64]profile{}
	b.frontier, b.all = b.frontier[:0], b.all[:0]
	seen, visit := b.seen, b.visit
	for i, s := range src {
		bit := uint64(1) << i
		seen[s], visit[s] = bit, bit
		b.prof[i].reach = b.weight[s]
		b.frontier = append(b.frontier, s)
		b.all = append(b.all, s)
		if b.sums != nil {
			b.sums.add(s, b.mult[i], 0)
		}
	}
}

// expand spreads the current level to its neighbours: next[w] gathers the
// sources that reach w through it, touched lists each such w once.
func (b *batchBFS) expand() {
	g, visit, next := b.g, b.visit, b.next
	touched := b.touched[:0]
	for _, v := range b.frontier {
		for _, w := range g.neighbours(v) {
			if next[w] == 0 {
				touched = append(touched, w)
			}
			next[w] |= visit[v]
		}
	}
	for _, v := range b.frontier {
		visit[v] = 0
	}
	b.touched = touched
}

// settle makes the next level the current one: the nodes touched by
// sources that had not reached them yet, counted for those sources (and,
// with sums, those sources counted for the nodes). It returns the sources
// that reached a node at this level.
func (b *batchBFS) settle(level int64) (reached uint64) {
	seen, visit, next, weight := b.seen, b.visit, b.next, b.weight
	frontier, all := b.frontier[:0], b.all
	for _, w := range b.touched {
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
		if b.sums != nil {
			b.sums.add(w, b.draws(nw), level)
		}
		for wt := weight[w]; nw != 0; nw &= nw - 1 {
			b.count[bits.TrailingZeros64(nw)] += wt
		}
	}
	b.frontier, b.all = frontier, all
	return reached
}

// credit adds the nodes the reached sources found at this level to their
// profiles, and clears their counts for the next level.
func (b *batchBFS) credit(reached uint64, level int64) {
	for ; reached != 0; reached &= reached - 1 {
		i := bits.TrailingZeros64(reached)
		c := b.count[i]
		b.count[i] = 0
		b.prof[i].reach += c
		b.prof[i].total += c * level
		b.prof[i].harmonic += float64(c) / float64(level)
		b.prof[i].ecc = level
	}
}

// draws is the number of draws of the sources in set.
func (b *batchBFS) draws(set uint64) int64 {
	if b.ones {
		return int64(bits.OnesCount64(set))
	}
	var c int64
	for ; set != 0; set &= set - 1 {
		c += b.mult[bits.TrailingZeros64(set)]
	}
	return c
}

// forget clears what the batch has seen, for the next batch.
func (b *batchBFS) forget() {
	for _, v := range b.all {
		b.seen[v] = 0
	}
}
