package graph

import (
	"math"
	"slices"
)

// PathOptions restricts a path query. The zero value keeps every relation
// and entity and ranks paths by their number of relations.
type PathOptions struct {
	// RelationTypes keeps only relations of these types; empty keeps all.
	RelationTypes []string
	// MaxHops bounds the path length: 0 is unlimited, otherwise a path with
	// more than MaxHops relations does not count, whatever its cost.
	MaxHops int
	// Kinds are the kinds an INTERMEDIATE entity may have (the two
	// endpoints are always allowed); empty allows all. A kind outside the
	// vocabulary is an EINVALID error.
	Kinds []string
	// Avoid lists entities no path may pass through. An unknown id is an
	// ENOTFOUND error, an endpoint of the path an EINVALID error.
	Avoid []string
	// Window keeps only the relations active at some moment of the window
	// (see TimeWindow); nil keeps all.
	Window *TimeWindow
	// Weight says what a path costs: WeightHops (the default), WeightHub
	// or WeightProperty.
	Weight Weighting
	// WeightProperty names the relation property that gives each relation
	// its cost when Weight == WeightProperty (see WeightProperty).
	WeightProperty string
	// Members, when not nil, are the only entities an INTERMEDIATE entity
	// may be (see Snapshot.Filter; the two endpoints are always allowed).
	// Its period, when it has one, narrows Window: relations must be active
	// in both.
	Members *Members
}

// Weighting says how paths are ranked.
type Weighting string

const (
	// WeightHops: a path costs its number of relations.
	WeightHops Weighting = ""
	// WeightProperty: a path costs the sum of its relations' values of
	// PathOptions.WeightProperty, each a finite positive number written as
	// Go's strconv.ParseFloat reads it (surrounding spaces allowed). Every
	// relation kept by RelationTypes and Window, self-loops aside, must
	// carry one: a missing or bad value is an EINVALID error naming the
	// relation, raised whether or not a path would use it, so that the
	// answer never depends on how far a search happened to look. There is
	// no default: filter the relation types to those that carry the
	// property.
	WeightProperty Weighting = "PROPERTY"
	// WeightHub: hub-aware ranking of indirect links. A path costs the sum
	// over its intermediate entities x of ln(deg(x)), deg(x) the number of
	// distinct entities x is linked to by the relations kept by
	// RelationTypes and Window (parallel relations count once, self-loops
	// not at all; Kinds and Avoid do not change degrees). A direct link
	// costs 0, a path through a 3-partner project ln 3 ≈ 1.1, through a
	// 2,000-member network ln 2000 ≈ 7.6: the small project says more about
	// how its two partners are linked. This is the logarithmic discounting
	// of shared neighbours of Adamic and Adar (Friends and neighbors on the
	// Web, Social Networks 25(3):211–230, 2003), where a common neighbour z
	// weighs 1/ln(deg z): two-hop paths rank here in the order of their
	// Adamic–Adar contribution, and longer paths add their intermediates'
	// costs. The degree is the simple one because a partner that is linked
	// to a project twice (as coordinator and as partner, or by two source
	// documents) does not make the project bigger.
	WeightHub Weighting = "HUB"
)

// Path is a walk through the network: Nodes[0] is the start, Nodes[len-1]
// the end, and Relations[i] the id of the relation linking Nodes[i] and
// Nodes[i+1], in either direction. Cost is what the path costs under the
// query's Weight: its number of relations by default.
//
// Hops[i] lists every relation linking Nodes[i] and Nodes[i+1] that the
// query keeps (its types and window), ascending by id, Relations[i] among
// them: parallel relations between two entities (a partnership stated by
// two documents, a member that also coordinates) are one hop with all its
// sources.
type Path struct {
	Nodes     []string
	Relations []string
	Hops      [][]string
	Cost      float64
}

// ShortestPath returns a shortest path between from and to over the
// undirected multigraph of the kept relations, or (nil, nil) when there is
// none under the constraints. When from == to the path has one node, no
// relation and cost 0.
//
// The result is deterministic: it is the first path in AllShortestPaths'
// order, the one whose node ids are lexicographically least, then whose
// relation ids are.
//
// Unweighted, it is found by a bidirectional BFS that expands the side
// with the smaller frontier, then one greedy walk over the nodes known to
// lie on shortest paths; cost O(b^(d/2)) on a graph of branching factor b
// where a plain BFS costs O(b^d), O(n + m) at worst. Weighted, by a
// bidirectional Dijkstra (E. W. Dijkstra, A note on two problems in
// connexion with graphs, Numerische Mathematik 1:269–271, 1959), then a
// depth-first walk from from that only follows relations on a
// minimal-cost path (see AllShortestPaths), O((n + m) log n) at worst;
// with MaxHops = h, a hop-constrained search from to instead, O(h·m
// log(h·m)) at worst, since it keeps up to h+1 labels per entity.
//
// Unknown ids are ENOTFOUND errors, unknown relation types or kinds,
// invalid windows and weights EINVALID errors (see PathOptions).
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
	q, err := s.compile(from, to, opt)
	if err != nil {
		return nil, 0, err
	}
	if limit < 0 {
		limit = math.MaxInt
	}
	if q.src == q.dst {
		var paths []Path
		if limit > 0 {
			paths = []Path{{Nodes: []string{from}, Relations: []string{}}}
		}
		return paths, 1, nil
	}

	ps := s.getSearch(q)
	defer s.putSearch(ps)
	ps.target(q.src, q.dst, q.maxHops)
	var paths []Path
	emit := func(nodes, rels []int32, cost float64) bool {
		paths = append(paths, ps.toPath(nodes, rels, cost))
		return len(paths) < limit
	}
	var total int64
	if q.weight == WeightHops {
		if !ps.run() {
			return nil, 0, nil
		}
		if count {
			total = ps.count()
		}
		if limit > 0 {
			ps.markOnPath()
			ps.enumerate(emit)
		}
	} else {
		if !ps.dijkstra() {
			return nil, 0, nil
		}
		if count {
			total = ps.countWeighted()
		}
		if limit > 0 {
			ps.enumerateWeighted(emit)
		}
	}
	return paths, total, nil
}

// toPath writes a path found by ps with its ids, and each hop's kept
// parallel relations.
func (ps *pathSearch) toPath(nodes, rels []int32, cost float64) Path {
	s := ps.q.s
	p := Path{Nodes: make([]string, len(nodes)), Relations: make([]string, len(rels)), Hops: make([][]string, len(rels)), Cost: cost}
	for i, x := range nodes {
		p.Nodes[i] = s.ids[x]
	}
	for i, r := range rels {
		p.Relations[i] = s.relation(r).ID
		u, w := nodes[i], nodes[i+1]
		for _, h := range s.via[s.off[u]:s.off[u+1]] {
			if s.other(u, h) == w && ps.q.relOK(h) {
				p.Hops[i] = append(p.Hops[i], s.relation(h).ID)
			}
		}
	}
	return p
}

// pathSearch is the state of one path query; pooled per snapshot so that a
// query costs what it explores, not O(n) allocation. One query may run
// several searches (Yen's spur searches), each between src and dst within
// hops relations, with extra nodes blocked and relations cut.
//
// Every search and walk asks one rule whether a path may take a step:
// step (relation kept by the types and window, not cut, entity enterable)
// or its relation half, link. The searches are the bidirectional BFS (run,
// expand), the bidirectional Dijkstra (dijkstra: forwardStep and
// settleBackward) and the hop-constrained label search (labelSearch, on
// settleBackward too); the walks that list and count their paths
// (enumerate, enumerateWeighted, countWeighted) share the grouping of
// parallel relations (Snapshot.neighbours) and the odometer over them
// (eachChoice). A new constraint goes into query (constraints.go), step,
// and relFilter or nodeFilter, which tell filter that the BFS may not use
// its fast modes; TestStepFilterAgreesWithStep holds those modes to step
// (add the constraint to benchPathOptions so that it covers it).
type pathSearch struct {
	q        *query
	src, dst int32
	hops     int // 0: unlimited

	blocked     []bool  // avoided entities, and Yen's root path
	blockedList []int32 // the avoided entities set in blocked
	cutAt       int32   // -1, or the entity whose relations with the entities in cut are removed
	cut         []int32

	f, t  bfsSide
	on    []bool // on a shortest path (F side, set by markOnPath)
	d     int    // distance from -> to, when found
	meetF bool

	w *weightedSearch // allocated on the first weighted query
}

// bfsSide is one direction of the search: BFS levels from one endpoint with
// distances and multigraph path counts.
type bfsSide struct {
	dist  []int32 // -1: not reached
	sigma []int64 // number of shortest relation sequences from the root, saturated
	order []int32 // reached nodes in BFS order
	level []int   // level k is order[level[k]:level[k+1]]
}

func (s *Snapshot) getSearch(q *query) *pathSearch {
	ps, ok := s.workspaces.Get().(*pathSearch)
	if !ok {
		n := len(s.ids)
		newSide := func() bfsSide {
			b := bfsSide{dist: make([]int32, n), sigma: make([]int64, n)}
			for i := range b.dist {
				b.dist[i] = -1
			}
			return b
		}
		ps = &pathSearch{f: newSide(), t: newSide(), on: make([]bool, n), blocked: make([]bool, n)}
	}
	ps.q, ps.cutAt = q, -1
	for _, x := range q.avoid {
		ps.blocked[x] = true
	}
	ps.blockedList = append(ps.blockedList[:0], q.avoid...)
	return ps
}

// putSearch clears only what the query touched and returns it to the pool.
func (s *Snapshot) putSearch(ps *pathSearch) {
	ps.reset()
	for _, x := range ps.blockedList {
		ps.blocked[x] = false
	}
	if ps.w != nil {
		ps.w.clearHub()
	}
	ps.q = nil
	s.workspaces.Put(ps)
}

// target sets the endpoints and hop limit of the next search.
func (ps *pathSearch) target(src, dst int32, hops int) {
	ps.src, ps.dst, ps.hops = src, dst, hops
}

// reset clears the state of the last search, keeping the blocked entities.
func (ps *pathSearch) reset() {
	for _, v := range ps.f.order {
		ps.f.dist[v], ps.f.sigma[v], ps.on[v] = -1, 0, false
	}
	for _, v := range ps.t.order {
		ps.t.dist[v], ps.t.sigma[v] = -1, 0
	}
	ps.f.order, ps.f.level = ps.f.order[:0], ps.f.level[:0]
	ps.t.order, ps.t.level = ps.t.order[:0], ps.t.level[:0]
	if ps.w != nil {
		ps.w.clear()
	}
}

// enter reports whether a path may pass through x: an endpoint, or an
// entity neither blocked nor of a disallowed kind.
func (ps *pathSearch) enter(x int32) bool {
	return x == ps.dst || x == ps.src || !ps.blocked[x] && ps.q.kindOK(x) && ps.q.members.has(x)
}

// nodeFilter reports whether some entity may not be entered: a kind
// constraint, an avoided entity or a blocked root path.
func (ps *pathSearch) nodeFilter() bool {
	return ps.q.kinds != nil || ps.q.members != nil || len(ps.blockedList) > 0 || ps.cutAt >= 0
}

// isCut reports whether the relations between u and w are removed (Yen):
// all of them, since parallel relations make one hop.
func (ps *pathSearch) isCut(u, w int32) bool {
	return ps.cutAt >= 0 && (u == ps.cutAt && slices.Contains(ps.cut, w) || w == ps.cutAt && slices.Contains(ps.cut, u))
}

func (b *bfsSide) start(root int32) {
	b.dist[root], b.sigma[root] = 0, 1
	b.order = append(b.order, root)
	b.level = append(b.level, 0, 1)
}

func (b *bfsSide) radius() int { return len(b.level) - 2 }

func (b *bfsSide) frontier() []int32 { return b.order[b.level[len(b.level)-2]:] }

// expand adds the next BFS level; every node of the current level is
// expanded in full so that sigma of the new level is final. This is the
// inner loop of every unweighted search, so the filter is chosen once per
// level (see pathSearch.filter) and the plain and type-only cases read no
// more than the relation's word.
func (ps *pathSearch) expand(b *bfsSide) {
	s := ps.q.s
	off, via, word, mask := s.off, s.via, s.word, s.nodeMask
	dist, sigma, order := b.dist, b.sigma, b.order
	next := int32(b.radius() + 1)
	f := ps.filter()
	for _, u := range b.frontier() {
		su := sigma[u]
		for _, r := range via[off[u]:off[u+1]] {
			x := word[r]
			w := u ^ (x & mask)
			switch f.mode {
			case keepTypes:
				if !f.keepsType(x) {
					continue
				}
			case keepSome:
				if !ps.stepWord(u, w, r, x) {
					continue
				}
			}
			switch dist[w] {
			case -1:
				dist[w] = next
				order = append(order, w)
				sigma[w] = su
			case next:
				sigma[w] = satAdd(sigma[w], su)
			}
		}
	}
	b.order = order
	b.level = append(b.level, len(order))
}

// stepFilter is the constraint on one step of a BFS, chosen once per
// level so that the inner loop branches on a mode rather than on every
// constraint: the one specialisation of the path searches.
type stepFilter struct {
	mode  uint8
	types []bool // keepTypes: the relation types kept
	shift int32  // keepTypes: where the type is in a relation's word
	tmask uint32
}

const (
	keepAll   = iota // no constraint
	keepTypes        // a relation type filter on inline attributes, nothing else
	keepSome         // anything else: ask pathSearch.stepWord
)

// filter chooses the stepFilter of the current constraints.
func (ps *pathSearch) filter() stepFilter {
	q := ps.q
	switch {
	case !q.relFilter && !ps.nodeFilter():
		return stepFilter{mode: keepAll}
	case q.types != nil && q.win == nil && q.inline && !ps.nodeFilter():
		return stepFilter{mode: keepTypes, types: q.types, shift: int32(q.s.nodeBits), tmask: uint32(1)<<q.s.typeBits - 1}
	}
	return stepFilter{mode: keepSome}
}

// keepsType is step under keepTypes, read from the relation's word x.
func (f *stepFilter) keepsType(x int32) bool {
	return f.types[uint32(x&math.MaxInt32)>>f.shift&f.tmask]
}

// step reports whether a path may step from u to w over relation r: r is
// kept by the relation types and window and not cut (Yen), and w may be
// entered (see enter). Every search asks it (the walks over their
// results ask link), so that a constraint is written once.
func (ps *pathSearch) step(u, w, r int32) bool {
	return ps.stepWord(u, w, r, ps.q.s.word[r])
}

// stepWord is step for a relation whose word x the caller has read.
func (ps *pathSearch) stepWord(u, w, r, x int32) bool {
	return (!ps.q.relFilter || ps.q.keep(r, x)) && !ps.isCut(u, w) && ps.enter(w)
}

// link reports whether relation r between u and w may be used: step
// without the check on w, for the walks that only meet entities a search
// has already entered.
func (ps *pathSearch) link(u, w, r int32) bool {
	return ps.q.relOK(r) && !ps.isCut(u, w)
}

// links appends to h the relations of run, the parallel relations between
// u and w, that may be used; ascending, as run is.
func (ps *pathSearch) links(h []int32, u, w int32, run []int32) []int32 {
	for _, r := range run {
		if ps.link(u, w, r) {
			h = append(h, r)
		}
	}
	return h
}

// neighbours calls yield with each neighbour w of u in ascending order and
// the run of parallel relations between them (ascending), until yield
// returns false. Relations are sorted by neighbour, so a run is a slice.
func (s *Snapshot) neighbours(u int32, yield func(w int32, run []int32) bool) bool {
	rels := s.via[s.off[u]:s.off[u+1]]
	for i := 0; i < len(rels); {
		w := s.other(u, rels[i])
		j := i + 1
		for j < len(rels) && s.other(u, rels[j]) == w {
			j++
		}
		if !yield(w, rels[i:j]) {
			return false
		}
		i = j
	}
	return true
}

// eachChoice sets rels to every choice of one relation per hop, in order
// (an odometer over hops, the last hop turning fastest), and calls emit
// after each until it returns false; it reports whether emit never did.
func eachChoice(hops [][]int32, rels []int32, emit func() bool) bool {
	idx := make([]int, len(hops))
	for i, h := range hops {
		rels[i] = h[0]
	}
	for {
		if !emit() {
			return false
		}
		i := len(hops) - 1
		for ; i >= 0; i-- {
			if idx[i]++; idx[i] < len(hops[i]) {
				break
			}
			idx[i] = 0
		}
		if i < 0 {
			return true
		}
		for j := i; j < len(hops); j++ {
			rels[j] = hops[j][idx[j]]
		}
	}
}

// work estimates the cost of expanding the frontier: its edge count.
func (ps *pathSearch) work(b *bfsSide) int {
	s := ps.q.s
	w := 0
	for _, u := range b.frontier() {
		w += int(s.off[u+1] - s.off[u])
	}
	return w
}

// run searches from src towards dst and reports whether they are
// connected within hops (0: unlimited). On success d = a + b where a, b
// are the radii of the two sides, and the meeting set {x : distF[x] = a,
// distT[x] = b} holds exactly one node of every shortest path: the one at
// position a. (Before the last expansion no node was reached from both
// sides, so d > a+b-1; a node reached from both at the end has distF +
// distT <= a+b.)
func (ps *pathSearch) run() bool {
	ps.f.start(ps.src)
	ps.t.start(ps.dst)
	for {
		a, b := ps.f.radius(), ps.t.radius()
		if ps.hops > 0 && a+b >= ps.hops {
			return false // d >= a+b+1 > hops
		}
		if len(ps.f.frontier()) == 0 || len(ps.t.frontier()) == 0 {
			return false
		}
		side, other := &ps.f, &ps.t
		ps.meetF = true
		if ps.work(&ps.t) < ps.work(&ps.f) {
			side, other = &ps.t, &ps.f
			ps.meetF = false
		}
		ps.expand(side)
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
func (ps *pathSearch) markOnPath() {
	s := ps.q.s
	ps.meeting(func(x int32) { ps.on[x] = true })
	for k := ps.f.radius() - 1; k >= 0; k-- {
		for _, u := range ps.f.order[ps.f.level[k]:ps.f.level[k+1]] {
			for _, r := range s.via[s.off[u]:s.off[u+1]] {
				if w := s.other(u, r); ps.on[w] && ps.f.dist[w] == int32(k+1) && ps.link(u, w, r) {
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
