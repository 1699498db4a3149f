package graph

import (
	"math"

	"github.com/coopgraph/coopgraph"
)

// PathOptions restricts a path query.
type PathOptions struct {
	// RelationTypes keeps only relations of these types; empty keeps all.
	RelationTypes []string
	// MaxHops bounds the path length: 0 is unlimited, otherwise a pair
	// farther apart than MaxHops is not connected.
	MaxHops int
}

// Path is a walk through the network: Nodes[0] is the start, Nodes[len-1]
// the end, and Relations[i] the id of the relation linking Nodes[i] and
// Nodes[i+1], in either direction.
type Path struct {
	Nodes     []string
	Relations []string
}

// ShortestPath returns a shortest path between from and to over the
// undirected multigraph of the kept relations, or (nil, nil) when there is
// none within opt.MaxHops. When from == to the path has one node and no
// relation.
//
// The result is deterministic: it is the first path in AllShortestPaths'
// order, the one whose node ids are lexicographically least, then whose
// relation ids are. It is found by a bidirectional BFS that expands the
// side with the smaller frontier, then one greedy walk over the nodes known
// to lie on shortest paths; cost O(b^(d/2)) on a graph of branching factor b
// where a plain BFS costs O(b^d), O(n + m) at worst.
//
// Unknown ids are ENOTFOUND errors, unknown relation types EINVALID errors.
func (s *Snapshot) ShortestPath(from, to string, opt PathOptions) (*Path, error) {
	paths, _, err := s.shortestPaths(from, to, opt, 1, false)
	if err != nil || len(paths) == 0 {
		return nil, err
	}
	return &paths[0], nil
}

// shortestPaths does the work of ShortestPath and AllShortestPaths: it
// returns at most limit paths in order (limit < 0: all) and, when count is
// set, the saturated number of shortest paths.
func (s *Snapshot) shortestPaths(from, to string, opt PathOptions, limit int, count bool) ([]Path, int64, error) {
	u, err := s.node(from)
	if err != nil {
		return nil, 0, err
	}
	v, err := s.node(to)
	if err != nil {
		return nil, 0, err
	}
	keep, err := s.typeFilter(opt.RelationTypes)
	if err != nil {
		return nil, 0, err
	}
	if opt.MaxHops < 0 {
		return nil, 0, coopgraph.Errorf(coopgraph.EINVALID, "maxHops must not be negative, got %d", opt.MaxHops)
	}
	if limit < 0 {
		limit = math.MaxInt
	}
	if u == v {
		var paths []Path
		if limit > 0 {
			paths = []Path{{Nodes: []string{from}, Relations: []string{}}}
		}
		return paths, 1, nil
	}

	ps := s.getSearch()
	defer s.putSearch(ps)
	if !ps.run(s, u, v, keep, opt.MaxHops) {
		return nil, 0, nil
	}
	var total int64
	if count {
		total = ps.count()
	}
	var paths []Path
	if limit > 0 {
		ps.markOnPath(s, keep)
		paths = ps.enumerate(s, keep, limit)
	}
	return paths, total, nil
}

// pathSearch is the state of one bidirectional BFS; pooled per snapshot so
// that a query costs what it explores, not O(n) allocation.
type pathSearch struct {
	f, t  bfsSide
	on    []bool // on a shortest path (F side, set by markOnPath)
	from  int32
	to    int32
	d     int // distance from -> to, when found
	meetF bool
}

// bfsSide is one direction of the search: BFS levels from one endpoint with
// distances and multigraph path counts.
type bfsSide struct {
	dist  []int32 // -1: not reached
	sigma []int64 // number of shortest relation sequences from the root, saturated
	order []int32 // reached nodes in BFS order
	level []int   // level k is order[level[k]:level[k+1]]
}

func (s *Snapshot) getSearch() *pathSearch {
	if ps, ok := s.workspaces.Get().(*pathSearch); ok {
		return ps
	}
	n := len(s.ids)
	newSide := func() bfsSide {
		b := bfsSide{dist: make([]int32, n), sigma: make([]int64, n)}
		for i := range b.dist {
			b.dist[i] = -1
		}
		return b
	}
	return &pathSearch{f: newSide(), t: newSide(), on: make([]bool, n)}
}

// putSearch clears only what the query touched and returns it to the pool.
func (s *Snapshot) putSearch(ps *pathSearch) {
	for _, v := range ps.f.order {
		ps.f.dist[v], ps.f.sigma[v], ps.on[v] = -1, 0, false
	}
	for _, v := range ps.t.order {
		ps.t.dist[v], ps.t.sigma[v] = -1, 0
	}
	ps.f.order, ps.f.level = ps.f.order[:0], ps.f.level[:0]
	ps.t.order, ps.t.level = ps.t.order[:0], ps.t.level[:0]
	s.workspaces.Put(ps)
}

func (b *bfsSide) start(root int32) {
	b.dist[root], b.sigma[root] = 0, 1
	b.order = append(b.order, root)
	b.level = append(b.level, 0, 1)
}

func (b *bfsSide) radius() int { return len(b.level) - 2 }

func (b *bfsSide) frontier() []int32 { return b.order[b.level[len(b.level)-2]:] }

// expand adds the next BFS level; every node of the current level is
// expanded in full so that sigma of the new level is final.
func (b *bfsSide) expand(s *Snapshot, keep []bool) {
	next := int32(b.radius() + 1)
	for _, u := range b.frontier() {
		for e := s.off[u]; e < s.off[u+1]; e++ {
			if !s.kept(keep, s.via[e]) {
				continue
			}
			w := s.nbr[e]
			if b.dist[w] < 0 {
				b.dist[w] = next
				b.order = append(b.order, w)
			}
			if b.dist[w] == next {
				b.sigma[w] = satAdd(b.sigma[w], b.sigma[u])
			}
		}
	}
	b.level = append(b.level, len(b.order))
}

// work estimates the cost of expanding the frontier: its edge count.
func (b *bfsSide) work(s *Snapshot) int {
	w := 0
	for _, u := range b.frontier() {
		w += int(s.off[u+1] - s.off[u])
	}
	return w
}

// run searches from u towards v and reports whether they are connected
// within maxHops (0: unlimited). On success d = a + b where a, b are the
// radii of the two sides, and the meeting set {x : distF[x] = a, distT[x] =
// b} holds exactly one node of every shortest path: the one at position a.
// (Before the last expansion no node was reached from both sides, so d >
// a+b-1; a node reached from both at the end has distF + distT <= a+b.)
func (ps *pathSearch) run(s *Snapshot, u, v int32, keep []bool, maxHops int) bool {
	ps.from, ps.to = u, v
	ps.f.start(u)
	ps.t.start(v)
	for {
		a, b := ps.f.radius(), ps.t.radius()
		if maxHops > 0 && a+b >= maxHops {
			return false // d >= a+b+1 > maxHops
		}
		if len(ps.f.frontier()) == 0 || len(ps.t.frontier()) == 0 {
			return false
		}
		side, other := &ps.f, &ps.t
		ps.meetF = true
		if ps.t.work(s) < ps.f.work(s) {
			side, other = &ps.t, &ps.f
			ps.meetF = false
		}
		side.expand(s, keep)
		for _, x := range side.frontier() {
			if other.dist[x] >= 0 {
				ps.d = ps.f.radius() + ps.t.radius()
				return true
			}
		}
	}
}

// meeting returns the nodes at F-distance a and T-distance b.
func (ps *pathSearch) meeting(yield func(int32)) {
	side, other := &ps.f, &ps.t
	if !ps.meetF {
		side, other = &ps.t, &ps.f
	}
	for _, x := range side.frontier() {
		if other.dist[x] >= 0 {
			yield(x)
		}
	}
}

// count is the number of shortest paths: the sum over the meeting set of
// the paths from u to x times the paths from x to v. Parallel relations
// multiply it; the sum saturates at MaxInt64.
func (ps *pathSearch) count() int64 {
	var total int64
	ps.meeting(func(x int32) {
		total = satAdd(total, satMul(ps.f.sigma[x], ps.t.sigma[x]))
	})
	return total
}

// markOnPath flags the F-side nodes that lie on a shortest path: the
// meeting set, then level by level backwards every node with an edge to a
// flagged node one level up. T-side nodes need no flag: any neighbour one
// step closer to v is on a shortest path.
func (ps *pathSearch) markOnPath(s *Snapshot, keep []bool) {
	ps.meeting(func(x int32) { ps.on[x] = true })
	for k := ps.f.radius() - 1; k >= 0; k-- {
		for _, u := range ps.f.order[ps.f.level[k]:ps.f.level[k+1]] {
			for e := s.off[u]; e < s.off[u+1]; e++ {
				if w := s.nbr[e]; ps.on[w] && ps.f.dist[w] == int32(k+1) && s.kept(keep, s.via[e]) {
					ps.on[u] = true
					break
				}
			}
		}
	}
}

// next reports whether w may follow the node at position k of a shortest
// path: flagged one level up on the F side, or one step closer to v on the
// T side.
func (ps *pathSearch) next(k int, w int32) bool {
	if k < ps.f.radius() {
		return ps.f.dist[w] == int32(k+1) && ps.on[w]
	}
	return ps.t.dist[w] == int32(ps.d-k-1)
}

func satAdd(a, b int64) int64 {
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}

func satMul(a, b int64) int64 {
	if a != 0 && b > math.MaxInt64/a {
		return math.MaxInt64
	}
	return a * b
}
