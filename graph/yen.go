package graph

import (
	"context"
	"encoding/binary"
	"slices"

	"github.com/coopgraph/coopgraph"
)

// MaxK is the largest k KShortestPaths accepts.
const MaxK = 100

// KShortestPaths returns the k cheapest simple paths (no entity twice)
// from from to to under the constraints of opt, cheapest first: fewer when
// there are fewer. The paths are different routes, that is different
// sequences of entities: parallel relations between two entities are one
// hop (Path.Hops lists them all), not several paths, so that k
// alternatives are k ways to go, not one way told by k sources. On each
// hop, Relations holds the cheapest kept relation, the first by id among
// equals. Paths of the same cost (within a relative 1e-12, see
// AllShortestPaths) come in node id order, so the first paths are the
// first node sequences of AllShortestPaths whenever there are enough
// shortest routes. Precisely, each next path is the first, in that order,
// of the remaining candidates whose cost is within 1e-12 of the cheapest
// remaining candidate. When from == to the only path is the entity alone.
//
// Algorithm: Yen's (J. Y. Yen, Finding the K shortest loopless paths in a
// network, Management Science 17(11):712–716, 1971) on the simple graph
// whose edge between two entities stands for their kept parallel
// relations, costing the least of them, with Lawler's refinement (E. L.
// Lawler, A procedure for computing the K best solutions to discrete
// optimization problems, Management Science 18(7):401–405, 1972) of
// spurring each new path only from the node where it left the path it was
// found from. For the spur at position i of path P, the root P[0..i] is
// kept, its entities other than the spur node are blocked, and every
// relation between the spur node and the next entity of an earlier path
// with the same root is removed; the shortest spur path under these and
// the query's constraints (ShortestPath's search, within MaxHops-i
// relations), joined to the root, is a candidate. Cost O(k·L·S) for paths
// of at most L relations and S the cost of one ShortestPath search.
//
// Errors are those of ShortestPath, and: k <= 0 is an EINVALID error, k >
// MaxK an ELIMIT error. The search is shared and kept like a ranking (see
// Centrality; the paths must not be modified), runs when ctx's Limiter
// admits it (see WithLimiter) and stops between spur searches when no
// request waits for it any more; ctx ending first gives its cause.
func (s *Snapshot) KShortestPaths(ctx context.Context, from, to string, k int, opt PathOptions) ([]Path, error) {
	q, err := s.compile(from, to, opt)
	if err != nil {
		return nil, err
	}
	if k <= 0 {
		return nil, coopgraph.Errorf(coopgraph.EINVALID, "%s must be positive, got %d", coopgraph.Option("k"), k)
	}
	if k > MaxK {
		return nil, coopgraph.Errorf(coopgraph.ELIMIT, "%s = %d is above the limit of %d paths", coopgraph.Option("k"), k, MaxK)
	}
	if q.src == q.dst {
		return []Path{{Nodes: []string{from}, Relations: []string{}}}, nil
	}
	key := cacheKey("yen", from, to, k, sortedKey(opt.RelationTypes), opt.MaxHops, sortedKey(opt.Kinds),
		sortedKey(opt.Avoid), opt.Window != nil, opt.Window, opt.Weight, opt.WeightProperty, opt.Members.cacheKey())
	paths, err := shared(ctx, &s.computed, key, func(j *job) ([]Path, int, error) {
		paths, err := s.yen(j, q, k)
		size := 0
		for _, p := range paths {
			size += 48 * (len(p.Nodes) + len(p.Relations))
		}
		return paths, size, err
	})
	return slices.Clone(paths), err
}

// yen is KShortestPaths' search for the compiled query q.
func (s *Snapshot) yen(j *job, q *query, k int) ([]Path, error) {
	ps := s.getSearch(q)
	defer s.putSearch(ps)
	type cand struct {
		nodes, rels []int32
		cost        float64
		dev         int // where it left the path it was found from
	}
	nodes, rels, ok := ps.first(q.src, q.dst, q.maxHops)
	if !ok {
		return nil, nil
	}
	a := []cand{{nodes, rels, ps.pathCost(nodes, rels), 0}}
	seen := map[string]bool{nodeKey(nodes): true}
	var b []cand
	for len(a) < k {
		last := a[len(a)-1]
		for i := last.dev; i < len(last.rels); i++ {
			if q.maxHops > 0 && i >= q.maxHops || j.stopped() {
				break
			}
			ps.cut = ps.cut[:0]
			for _, p := range a {
				if len(p.rels) > i && slices.Equal(p.nodes[:i+1], last.nodes[:i+1]) {
					ps.cut = append(ps.cut, p.nodes[i+1])
				}
			}
			ps.cutAt = last.nodes[i]
			for _, x := range last.nodes[:i] {
				ps.blocked[x] = true
			}
			hops := 0
			if q.maxHops > 0 {
				hops = q.maxHops - i
			}
			spurNodes, spurRels, ok := ps.first(last.nodes[i], q.dst, hops)
			for _, x := range last.nodes[:i] {
				ps.blocked[x] = false
			}
			ps.cutAt = -1
			if !ok {
				continue
			}
			c := cand{
				nodes: append(slices.Clone(last.nodes[:i]), spurNodes...),
				rels:  append(slices.Clone(last.rels[:i]), spurRels...),
				dev:   i,
			}
			if key := nodeKey(c.nodes); !seen[key] {
				seen[key] = true
				c.cost = ps.pathCost(c.nodes, c.rels)
				b = append(b, c)
			}
		}
		if len(b) == 0 {
			break
		}
		cheapest := b[0].cost
		for _, c := range b {
			cheapest = min(cheapest, c.cost)
		}
		best := -1
		for i, c := range b {
			if c.cost <= within(cheapest) && (best < 0 || slices.Compare(c.nodes, b[best].nodes) < 0) {
				best = i
			}
		}
		a = append(a, b[best])
		b = slices.Delete(b, best, best+1)
	}
	out := make([]Path, len(a))
	for i, c := range a {
		out[i] = ps.toPath(c.nodes, c.rels, c.cost)
	}
	return out, nil
}

// first returns the first shortest path from src to dst within hops
// relations (0: unlimited) under the search's constraints, as fresh
// slices, and leaves the search ready for the next one.
func (ps *pathSearch) first(src, dst int32, hops int) (nodes, rels []int32, ok bool) {
	ps.target(src, dst, hops)
	defer ps.reset()
	emit := func(n, r []int32, _ float64) bool {
		nodes, rels, ok = slices.Clone(n), slices.Clone(r), true
		return false
	}
	if ps.q.weight == WeightHops {
		if ps.run() {
			ps.markOnPath()
			ps.enumerate(emit)
		}
	} else if ps.dijkstra() {
		ps.enumerateWeighted(emit)
	}
	return nodes, rels, ok
}

// nodeKey identifies a route by its entities.
func nodeKey(nodes []int32) string {
	b := make([]byte, 0, 4*len(nodes))
	for _, x := range nodes {
		b = binary.LittleEndian.AppendUint32(b, uint32(x))
	}
	return string(b)
}
