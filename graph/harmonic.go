package graph

// harmonic is nx.harmonic_centrality with its defaults: the sum of the
// inverse distances from a node to every other node it reaches,
//
//	H(u) = Σ_{v ≠ u} 1/d(u, v),
//
// where an unreachable v adds 0 (1/∞), so the measure needs no special
// case for disconnected graphs (Marchiori and Latora, Harmony in the
// small-world, Physica A 285, 2000; Boldi and Vigna, Axioms for
// centrality, 2014). Like networkx's it is not normalised: divide by n-1
// for a value in [0, 1]. An isolated node, or the only node, gets 0;
// self-loops and parallel relations change nothing.
//
// The distances come from distanceProfiles, O(n·m) time, and are summed a
// level at a time (the number of nodes at distance d, times 1/d) where
// networkx adds 1/d node by node: the scores agree to ~1e-15 relative.
func harmonic(g *simpleGraph) []float64 {
	h := make([]float64, g.n)
	distanceProfiles(g, nil, func(s int32, p *profile) { h[s] = p.harmonic })
	return h
}
