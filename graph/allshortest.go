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
// (BFS path counting, Brandes 2001, multiplied through parallel relations)
// and saturated at math.MaxInt64. It is 0 when the nodes are not connected
// within opt.MaxHops, and 1 when from == to.
//
// Cost: the bidirectional BFS of ShortestPath, plus O(d·Δ) per path
// returned (d the length, Δ the largest degree): every branch of the
// enumeration reaches to, since it only follows nodes known to lie on a
// shortest path.
//
// Unknown ids are ENOTFOUND errors, unknown relation types EINVALID errors.
func (s *Snapshot) AllShortestPaths(from, to string, opt PathOptions, first int) (paths []Path, total int64, err error) {
	return s.shortestPaths(from, to, opt, first, true)
}

// enumerate lists up to limit shortest paths in order. A depth-first walk
// over node sequences in ascending node index (= id) order gives the node
// order; for each node sequence, an odometer over the sorted parallel
// relations of each hop gives the relation order.
func (ps *pathSearch) enumerate(s *Snapshot, keep []bool, limit int) []Path {
	d := ps.d
	nodes := make([]int32, d+1)
	hops := make([][]int32, d) // kept parallel relations of each hop, ascending
	nodes[0] = ps.from
	var out []Path

	emit := func() bool {
		idx := make([]int, d)
		for {
			p := Path{Nodes: make([]string, d+1), Relations: make([]string, d)}
			for i, x := range nodes {
				p.Nodes[i] = s.ids[x]
			}
			for i, h := range hops {
				p.Relations[i] = s.rels[h[idx[i]]].ID
			}
			out = append(out, p)
			if len(out) >= limit {
				return false
			}
			i := d - 1
			for ; i >= 0; i-- {
				if idx[i]++; idx[i] < len(hops[i]) {
					break
				}
				idx[i] = 0
			}
			if i < 0 {
				return true
			}
		}
	}

	var walk func(k int) bool
	walk = func(k int) bool {
		if k == d {
			return emit()
		}
		u := nodes[k]
		end := s.off[u+1]
		for e := s.off[u]; e < end; {
			w := s.nbr[e]
			// The run of edges to w: its kept relations are the hop's
			// choices, already sorted by relation index (= id).
			h := hops[k][:0]
			for ; e < end && s.nbr[e] == w; e++ {
				if s.kept(keep, s.via[e]) {
					h = append(h, s.via[e])
				}
			}
			if len(h) == 0 || !ps.next(k, w) {
				continue
			}
			hops[k] = h
			nodes[k+1] = w
			if !walk(k + 1) {
				return false
			}
		}
		return true
	}
	walk(0)
	return out
}
