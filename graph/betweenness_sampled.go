package graph

import (
	"math/rand/v2"
	"slices"
)

// samplingStream is the second word of the PCG state of sampleSources,
// fixed so that a seed alone determines the sample.
const samplingStream = 0x636f6f7067726170 // "coopgrap"

// sampleSources draws k distinct nodes of [0, n) uniformly without
// replacement, by a partial Fisher–Yates shuffle driven by PCG (math/rand/v2)
// seeded with (seed, samplingStream), and returns them ascending. The same
// (n, k, seed) always gives the same nodes. O(n) time and space.
func sampleSources(n, k int, seed uint64) []int32 {
	rng := rand.New(rand.NewPCG(seed, samplingStream))
	perm := make([]int32, n)
	for i := range perm {
		perm[i] = int32(i)
	}
	for i := range k {
		j := i + rng.IntN(n-i)
		perm[i], perm[j] = perm[j], perm[i]
	}
	src := perm[:k:k]
	slices.Sort(src)
	return src
}

// betweennessSampled is nx.betweenness_centrality(G, k=len(sources)) for a
// given sample of sources: Brandes' dependencies summed over the k sources
// only, an estimate of the exact score (Brandes and Pich, Centrality
// estimation in large networks, 2007), scaled as networkx does for k
// sources,
//
//	C_B(v) ≈ n/k · 1/((n-1)(n-2)) · Σ_{s ∈ sources} Σ_{t ≠ s, v} σ_st(v)/σ_st,
//
// unscaled when n <= 2. The estimate is unbiased; with every node a source
// it is the exact betweenness. networkx draws the sources with Python's
// random.sample; Centrality draws them with sampleSources, so the two
// agree for the same sources, not for the same seed.
//
// O(k·m) time: one BFS and one accumulation per source (brandes, with
// unit weights, on the whole graph).
func betweennessSampled(g *simpleGraph, sources []int32) []float64 {
	n := g.n
	ones := make([]float64, n)
	for i := range ones {
		ones[i] = 1
	}
	bc := brandes(g, ones, sources)
	if n > 2 && len(sources) > 0 {
		scale := 1 / float64((n-1)*(n-2))
		scale = scale * float64(n) / float64(len(sources)) // networkx: scale * n / k
		for v := range bc {
			bc[v] *= scale
		}
	}
	return bc
}
