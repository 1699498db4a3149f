package graph

// harmonicApprox estimates nx.harmonic_centrality of every node by
// sampling BFS sources (Eppstein and Wang 2004), as closenessApprox does,
// and returns the estimate with a bound ε, in the units of the scores (not
// normalised: H(v) ≤ n−1), such that every score lies within ε of the
// exact one, all nodes at once, with probability at least 1 − δ.
//
// For a node v of a component C of r nodes, H(v) = Σ_{u∈C, u≠v} 1/d(v, u)
// = (r−1)·E[1/d(v, U)] for U uniform on C∖{v}, a term in [1/ecc(v), 1].
// k sources drawn uniformly from C give Ĥ(v) = (r−1)·mean 1/d(v, u_i) over
// the draws other than v, for every v at once (distances are symmetric),
// within (r−1)·t_v, t_v the smaller of Hoeffding's and the empirical
// Bernstein deviation of closenessApprox with the range 1 − 1/b_v, plus
// 2^-37 for the fixed-point sums (harmonicScale); ε is the largest
// (r−1)·t_v. Hoeffding alone would give ~r·√(ln(4n_s/δ)/(2k)), 12% of r at
// k = 512 on the linked network; the terms' small variance (most distances
// are 2 to 5) makes the Bernstein bound tighter. The components, rounds,
// seeds and costs are closenessApprox's.
func harmonicApprox(g *simpleGraph, epsilon, delta float64, seed uint64) ([]float64, float64) {
	return sampleDistances(g, true, epsilon, delta, seed, AnytimeDistanceSamples)
}
