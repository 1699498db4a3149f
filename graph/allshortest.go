package graph

// AllShortestPaths returns the shortest paths between from and to over the
// undirected multigraph of the kept relations, each as a sequence of
// relations: two parallel relations on one hop give two paths, as Neo4j's
// allShortestPaths counts them. Paths are ordered by their sequence of node
// ids, then by their sequence of relation ids (both lexicographically), and
// at most first are returned (first < 0: all of them, which can be
// exponentially many; callers facing users should cap it).
//
// total is the number of shortest paths, counted without enumerating them
// and saturated at math.MaxInt64. It is 0 when the nodes are not connected
// under the constraints, and 1 when from == to.
//
// Unweighted (opt.Weight == WeightHops), shortest means fewest relations:
// total comes from BFS path counting (Brandes 2001), multiplied through
// parallel relations, and the paths cost the bidirectional BFS of
// ShortestPath plus O(d·Δ) each (d the length, Δ the largest degree):
// every branch of the enumeration reaches to, since it only follows nodes
// known to lie on a shortest path.
//
// Weighted, shortest means of minimal cost D, within a relative 1e-12: a
// path counts when its cost, summed along the path from from, is at most
// D·(1 + 1e-12), so that paths whose costs differ only by floating-point
// rounding (ln 2 + ln 3 against ln 3 + ln 2) are all returned, in the same
// order, rather than one of them at random. With MaxHops, D is the least
// cost of the paths of at most MaxHops relations, and only those count.
// Dijkstra's algorithm from to gives, for every node x, the least cost
// from x to to (with MaxHops, for each number of relations left: the
// labels of a hop-constrained, Pareto-optimal search over (cost, hops));
// the paths are then listed by a depth-first walk from from in node id
// order that enters x only when the cost so far plus the least cost from x
// stays within the bound, so that, as unweighted, every branch reaches to.
// On each node sequence, parallel relations are chosen in id order among
// those that keep the cost within the bound (with WeightProperty parallel
// relations may cost differently; with WeightHub they cost the same).
// total counts the same paths by dynamic programming over (node, relations
// left), without enumerating them.
//
// Errors are those of ShortestPath.
func (s *Snapshot) AllShortestPaths(from, to string, opt PathOptions, first int) (paths []Path, total int64, err error) {
	return s.shortestPaths(from, to, opt, first, true)
}

// enumerate calls emit with every shortest path in order, until emit
// returns false. A depth-first walk over node sequences in ascending node
// index (= id) order gives the node order; for each node sequence, an
// odometer over the sorted parallel relations of each hop gives the
// relation order. The slices passed to emit are reused.
func (ps *pathSearch) enumerate(emit func(nodes, rels []int32, cost float64) bool) {
	s := ps.q.s
	d := ps.d
	nodes := make([]int32, d+1)
	rels := make([]int32, d)
	hops := make([][]int32, d) // kept parallel relations of each hop, ascending
	nodes[0] = ps.src
	each := func() bool { return emit(nodes, rels, float64(d)) }

	var walk func(k int) bool
	walk = func(k int) bool {
		if k == d {
			return eachChoice(hops, rels, each)
		}
		u := nodes[k]
		return s.neighbours(u, func(w int32, run []int32) bool {
			if !ps.next(k, w) {
				return true
			}
			h := ps.links(hops[k][:0], u, w, run)
			if len(h) == 0 {
				return true
			}
			hops[k] = h
			nodes[k+1] = w
			return walk(k + 1)
		})
	}
	walk(0)
}
