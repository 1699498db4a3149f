package graph

// degreeCentrality is nx.degree_centrality: the fraction of the other nodes
// a node is linked to,
//
//	C_D(v) = deg(v) / (n - 1),
//
// evaluated as networkx does, deg(v) * (1.0 / (n - 1.0)). As in networkx,
// deg counts a self-loop twice (so C_D can exceed 1), parallel relations
// once, and n <= 1 gives 1 to every node. O(n).
func degreeCentrality(g *simpleGraph) []float64 {
	c := make([]float64, g.n)
	if g.n <= 1 {
		for i := range c {
			c[i] = 1
		}
		return c
	}
	s := 1.0 / (float64(g.n) - 1.0)
	for u := range c {
		d := len(g.neighbours(int32(u)))
		if g.loop[u] {
			d += 2
		}
		c[u] = float64(d) * s
	}
	return c
}
