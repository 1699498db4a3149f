package graph

import (
	"slices"
)

// twins is the quotient of a graph by its classes of twins: nodes with
// the same neighbours (Sariyüce, Saule, Kaya and Çatalyürek, Shattering
// and compressing networks for betweenness centrality, SDM 2013: identical
// vertices of type I). Twins are never adjacent (a node is not its own
// neighbour) and lie on the same shortest paths, at the same distance from
// any other node and with the same number of shortest paths: a search
// from one member of a class, and the dependencies of the members, serve
// them all. In an organisation–project graph they are organisations in
// exactly the same projects and projects of exactly the same partners:
// CORDIS H2020's core of 24,178 nodes has 1,049 nodes more than classes.
//
// The quotient has one node per class, in the order of the classes' first
// members, and an edge between two classes whose members are adjacent
// (then every member of one is adjacent to every member of the other).
// brandesTwins counts paths and dependencies on it with each class's
// multiplicity, and addSiblings adds the pairs of twins of one class,
// whose shortest paths run through their common neighbours.
//
// Building it costs O(n + m) expected time (a hash of each neighbour
// list, then comparisons within equal hashes) and O(n + m) space.
type twins struct {
	q     *simpleGraph // the quotient
	class []int32      // node -> its class
	// Per class: the number of members, the sum of their weights W, the
	// sum over ordered pairs of distinct members of the product of their
	// weights (W² - Σ w²), and a member's degree in the graph.
	mult, weight, pairs, deg []float64
}

func newTwins(g *simpleGraph, weight []float64) *twins {
	t := &twins{class: make([]int32, g.n)}
	var first []int32              // class -> its first member
	byHash := map[uint64][]int32{} // hash of a neighbour list -> classes
	open := func(u int32) int32 {
		first = append(first, u)
		t.mult = append(t.mult, 0)
		t.weight = append(t.weight, 0)
		t.pairs = append(t.pairs, 0)
		t.deg = append(t.deg, float64(g.off[u+1]-g.off[u]))
		return int32(len(first) - 1)
	}
	for u := range int32(g.n) {
		nb := g.neighbours(u)
		c := int32(-1)
		if len(nb) > 0 { // an isolated node is a class of its own
			h := hashNeighbours(nb)
			for _, d := range byHash[h] {
				if slices.Equal(g.neighbours(first[d]), nb) {
					c = d
					break
				}
			}
			if c < 0 {
				c = open(u)
				byHash[h] = append(byHash[h], c)
			}
		} else {
			c = open(u)
		}
		t.class[u] = c
		t.mult[c]++
		t.weight[c] += weight[u]
		t.pairs[c] -= weight[u] * weight[u]
	}
	for c := range t.pairs {
		t.pairs[c] += t.weight[c] * t.weight[c] // exact: weights are node counts below 2^26
	}

	nc := len(first)
	q := &simpleGraph{n: nc, off: make([]int32, nc+1), loop: make([]bool, nc), job: g.job}
	q.adj = make([]int32, 0, len(g.adj))
	for c, u := range first {
		start := len(q.adj)
		for _, v := range g.neighbours(u) {
			q.adj = append(q.adj, t.class[v])
		}
		row := q.adj[start:]
		slices.Sort(row)
		q.adj = q.adj[:start+len(slices.Compact(row))]
		q.off[c+1] = int32(len(q.adj))
	}
	t.q = q
	return t
}

// hashNeighbours mixes a neighbour list into 64 bits (FNV-1a over the
// ids, then a final avalanche): equal lists hash equal, and unequal ones
// rarely do.
func hashNeighbours(nb []int32) uint64 {
	h := uint64(14695981039346656037)
	for _, v := range nb {
		h ^= uint64(uint32(v))
		h *= 1099511628211
	}
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	return h
}

// addSiblings adds to the per-member scores bc (indexed by class) the
// ordered pairs of distinct members of a class, which a search from the
// class does not reach: twins u ≠ u' are at distance 2, joined by one
// shortest path through each of their deg common neighbours, so each
// member of a neighbouring class lies on w(u)·w(u')/deg of their weighted
// pairs. Classes in order, then neighbours in order: the same sums on
// every run.
func (t *twins) addSiblings(bc []float64) {
	for c, p := range t.pairs {
		if p == 0 {
			continue
		}
		x := p / t.deg[c]
		for _, v := range t.q.neighbours(int32(c)) {
			bc[v] += x
		}
	}
}
