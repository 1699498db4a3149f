package graph

import (
	"slices"

	"github.com/coopgraph/coopgraph"
)

// PathSubgraph is the union of every shortest path between two entities,
// drawn in layers: Layers[k] holds the entities at k relations from the
// start on some shortest path (Layers[0] the start, the last layer the
// end), ascending by id, and Links the pairs of entities of consecutive
// layers that some shortest path steps between, each with every kept
// relation between them.
type PathSubgraph struct {
	Layers [][]string
	Links  []PathLink
	// Total is the number of shortest paths as AllShortestPaths counts
	// them (parallel relations multiply it), saturated at math.MaxInt64.
	Total int64
}

// PathLink is one hop of a PathSubgraph: From in layer Layer, To in layer
// Layer+1, and the kept relations between them, ascending by id.
type PathLink struct {
	From, To  string
	Layer     int
	Relations []string
}

// ShortestPathSubgraph returns the shortest paths between from and to as
// one layered subgraph rather than a list: where AllShortestPaths may give
// thousands of paths through a few dozen entities (their number multiplies
// at every layer), the subgraph has each entity and each hop once, so that
// a page can draw it readably from left to right. It is nil (and no error)
// when the two are not connected under the constraints; when from == to
// it is the one entity.
//
// It is the bidirectional BFS of ShortestPath, then one breadth-first walk
// from from over the entities known to lie on shortest paths: an entity x
// is in layer k exactly when dist(from, x) = k and dist(x, to) = d - k, d
// the length of the shortest paths, and a hop u–w is listed when u is in
// layer k, w in layer k+1 and a kept relation joins them. Cost O(n + m) at
// worst, as one BFS; the answer holds at most every entity and relation
// once. Paths are ranked by hops only: another weight is an EINVALID
// error, since a minimal-cost route need not put an entity at one hop
// count. Other constraints and errors are those of ShortestPath.
func (s *Snapshot) ShortestPathSubgraph(from, to string, opt PathOptions) (*PathSubgraph, error) {
	q, err := s.compile(from, to, opt)
	if err != nil {
		return nil, err
	}
	if q.weight != WeightHops {
		return nil, coopgraph.Errorf(coopgraph.EINVALID, "the shortest-path subgraph ranks paths by hops; weight %s is not supported", q.weight)
	}
	if q.src == q.dst {
		return &PathSubgraph{Layers: [][]string{{from}}, Links: []PathLink{}, Total: 1}, nil
	}
	ps := s.getSearch(q)
	defer s.putSearch(ps)
	ps.target(q.src, q.dst, q.maxHops)
	if !ps.run() {
		return nil, nil
	}
	g := &PathSubgraph{Total: ps.count(), Links: []PathLink{}}
	ps.markOnPath()
	layer := []int32{q.src}
	var h []int32
	for k := 0; ; k++ {
		g.Layers = append(g.Layers, s.idsOf(layer))
		if k == ps.d {
			break
		}
		var next []int32
		seen := map[int32]bool{}
		for _, u := range layer {
			s.neighbours(u, func(w int32, run []int32) bool {
				if !ps.next(k, w) {
					return true
				}
				if h = ps.links(h[:0], u, w, run); len(h) == 0 {
					return true
				}
				l := PathLink{From: s.ids[u], To: s.ids[w], Layer: k, Relations: make([]string, len(h))}
				for i, r := range h {
					l.Relations[i] = s.relation(r).ID
				}
				g.Links = append(g.Links, l)
				if !seen[w] {
					seen[w] = true
					next = append(next, w)
				}
				return true
			})
		}
		slices.Sort(next)
		layer = next
	}
	return g, nil
}
