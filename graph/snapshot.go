package graph

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"math/bits"
	"slices"
	"sync"

	"github.com/coopgraph/coopgraph"
)

// Snapshot is an immutable, compact form of the network: a CSR adjacency of
// the undirected multigraph of relations with int32 node indexes. Node
// indexes follow the sorted order of entity ids and relation indexes the
// sorted order of relation ids, so that comparing indexes compares ids: the
// orders the API promises (paths, ties) fall out of index order.
//
// The topology takes 12 bytes per relation and 4 per entity, plus 8 per
// distinct period of relations (see TopologyBytes), and the entity kinds
// one byte per entity:
//
//   - off, via: the CSR. The relations of node u are via[off[u]:off[u+1]]
//     (relation indexes), sorted by neighbour, then relation; a relation
//     has one slot at each end, a self-loop none.
//   - word: one 32-bit word per relation. Its low nodeBits bits (enough
//     for any node index) hold from^to, so that the neighbour of u over r
//     is u^(word[r]&nodeMask) without storing it per slot; bit 31 says
//     from > to (the direction, see isFrom); the bits between hold the
//     relation's attributes, type | period<<typeBits, when they fit.
//   - periods: the distinct active periods [start, end] of relations
//     (days), ascending. When the attributes do not fit in the word (more
//     than about 2^31/n periods and types), each relation's are in attr16
//     or attr32 instead, 2 or 4 more bytes per relation.
//   - kindOf: the kind of each entity, as an index in kinds.
//
// A BFS reads via sequentially and word at random; a type filter reads
// nothing more, a window the period table, which is small.
//
// A Snapshot is safe for concurrent readers. It reads the dataset it was
// built from without copying it (entities' and relations' attributes stay
// there): the dataset must not change afterwards. Datasets from the loader
// and the stores are never changed once built.
type Snapshot struct {
	ids    []string // node index -> entity id, ascending
	index  map[string]int32
	kinds  []string // distinct entity kinds present, ascending
	kindOf []uint8  // node index -> index in kinds

	// ds is the dataset, read, never copied: a second copy of its entities
	// and relations cost 37 MB of pointers for CORDIS, which the garbage
	// collector walked on every cycle. entAt and relAt map node and
	// relation indexes (ascending ids) to their places in it.
	ds    *coopgraph.Dataset
	entAt []int32
	relAt []int32
	types []string // distinct relation types present, ascending

	periods  []period // distinct (start, end) of relations, ascending
	word     []int32  // relation index -> from^to | attr<<nodeBits | (from > to)<<31
	nodeBits uint8    // the from^to bits of word
	nodeMask int32    // 1<<nodeBits - 1
	typeBits uint8    // attr = type | period<<typeBits
	attr16   []uint16 // relation index -> attr, when not in word and < 1<<16
	attr32   []uint32 // ... larger

	// Multigraph adjacency without self-loops (they never lie on a path).
	off []int32
	via []int32
	// loops lists the self-loop relations, ascending, and loopAt their
	// entity: centrality still needs them.
	loops  []int32
	loopAt []int32

	workspaces sync.Pool    // *pathSearch, reused across path queries
	rowIndexes sync.Pool    // *[]int32 of -1s, one per entity (partners)
	computed   computations // rankings, communities, …: shared and kept (shared.go)
	background background   // exact rankings computed behind approximate answers (anytime.go)
	// kindLinks[t][k] has bit j set when a relation of type t joins an
	// entity of kind k to one of kind j (self-loops aside); nil beyond 64
	// kinds. It tells a graph bipartite by kinds without a search.
	kindLinks [][64]uint64

	hubOnce sync.Once
	hubAll  []float64 // log of the simple degree, all relations kept (hubCost)
	weights weightCache
}

// period is when a relation is active, in days as parseDay gives them:
// start <= end for a validated dataset, openPast and openFuture for
// missing dates.
type period struct{ start, end int32 }

func comparePeriod(a, b period) int {
	return cmp.Or(cmp.Compare(a.start, b.start), cmp.Compare(a.end, b.end))
}

// NewSnapshot builds the snapshot of ds in O(m log m). The dataset must be
// validated: entity ids unique, every relation endpoint an entity and every
// date YYYY, YYYY-MM or YYYY-MM-DD; NewSnapshot panics otherwise, as that
// is a programming error. At most 256 distinct entity kinds and 65536
// relation types are supported (the vocabulary has 11 and 14). A nil
// dataset gives an empty snapshot. The snapshot keeps ds and reads it: ds
// must not be changed afterwards.
func NewSnapshot(ds *coopgraph.Dataset) *Snapshot {
	s := &Snapshot{index: map[string]int32{}}
	if ds == nil {
		ds = &coopgraph.Dataset{}
	}
	if len(ds.Entities) > 1<<31-1 || len(ds.Relations) > 1<<31-1 {
		panic("graph: dataset too large for int32 indexes")
	}

	s.ds = ds
	s.entAt = ascendingBy(ds.Entities, func(e *coopgraph.Entity) string { return e.ID })
	s.ids = make([]string, len(s.entAt))
	kindSet := map[string]bool{}
	for i, at := range s.entAt {
		e := &ds.Entities[at]
		if i > 0 && e.ID == s.ids[i-1] {
			panic(fmt.Sprintf("graph: duplicate entity id %q", e.ID))
		}
		s.ids[i] = e.ID
		s.index[e.ID] = int32(i)
		kindSet[e.Kind] = true
	}
	s.indexRecords()
	s.kinds = slices.Sorted(maps.Keys(kindSet))
	if len(s.kinds) > 1<<8 {
		panic("graph: too many entity kinds")
	}
	s.kindOf = make([]uint8, len(s.entAt))
	for i := range s.entAt {
		k, _ := slices.BinarySearch(s.kinds, s.entity(int32(i)).Kind)
		s.kindOf[i] = uint8(k)
	}

	s.relAt = ascendingBy(ds.Relations, func(r *coopgraph.Relation) string { return r.ID })
	m := len(s.relAt)
	typeSet := map[string]bool{}
	for _, at := range s.relAt {
		r := &ds.Relations[at]
		typeSet[r.Type] = true
	}
	s.types = slices.Sorted(maps.Keys(typeSet))
	if len(s.types) > 1<<16 {
		panic("graph: too many relation types")
	}

	n := len(s.ids)
	if len(s.kinds) <= 64 {
		s.kindLinks = make([][64]uint64, len(s.types))
	}
	s.word = make([]int32, m)
	s.nodeBits = uint8(bits.Len32(uint32(max(n, 1) - 1)))
	s.nodeMask = int32(1)<<s.nodeBits - 1
	s.typeBits = uint8(bits.Len32(uint32(max(len(s.types), 1) - 1)))
	typ := make([]uint32, m)
	when := make([]period, m)
	from := make([]int32, m)
	deg := make([]int32, n+1)
	for i := range m {
		r := s.relation(int32(i))
		if i > 0 && r.ID == s.relation(int32(i-1)).ID {
			panic(fmt.Sprintf("graph: duplicate relation id %q", r.ID))
		}
		u, ok1 := s.index[r.From]
		v, ok2 := s.index[r.To]
		if !ok1 || !ok2 {
			panic(fmt.Sprintf("graph: relation %q links an unknown entity", r.ID))
		}
		start, ok1 := parseDay(r.Start, false)
		end, ok2 := parseDay(r.End, true)
		if !ok1 || !ok2 {
			panic(fmt.Sprintf("graph: relation %q has a bad date", r.ID))
		}
		t, _ := slices.BinarySearch(s.types, r.Type)
		typ[i], when[i], from[i] = uint32(t), period{start, end}, u
		s.word[i] = u ^ v
		if u > v {
			s.word[i] |= math.MinInt32
		}
		if u == v {
			s.loops = append(s.loops, int32(i))
			s.loopAt = append(s.loopAt, u)
			continue
		}
		deg[u]++
		deg[v]++
		if s.kindLinks != nil {
			ku, kv := s.kindOf[u], s.kindOf[v]
			s.kindLinks[t][ku] |= 1 << kv
			s.kindLinks[t][kv] |= 1 << ku
		}
	}
	s.storeAttrs(typ, when)

	// CSR: prefix sums, then fill each node's run and sort it by
	// (neighbour, relation) packed into one key.
	s.off = make([]int32, n+1)
	for u := 0; u < n; u++ {
		s.off[u+1] = s.off[u] + deg[u]
	}
	keys := make([]uint64, s.off[n])
	fill := slices.Clone(s.off[:n])
	for i, u := range from {
		v := s.other(u, int32(i))
		if u == v {
			continue
		}
		keys[fill[u]] = uint64(v)<<32 | uint64(i)
		fill[u]++
		keys[fill[v]] = uint64(u)<<32 | uint64(i)
		fill[v]++
	}
	s.via = make([]int32, len(keys))
	for u := 0; u < n; u++ {
		run := keys[s.off[u]:s.off[u+1]]
		slices.Sort(run)
		for j, k := range run {
			s.via[int(s.off[u])+j] = int32(uint32(k))
		}
	}
	return s
}

// storeAttrs interns the periods and stores each relation's attributes,
// type | period<<typeBits, in its word when every value fits in the spare
// bits, else in attr16 or attr32.
func (s *Snapshot) storeAttrs(typ []uint32, when []period) {
	s.periods = slices.Clone(when)
	slices.SortFunc(s.periods, comparePeriod)
	s.periods = slices.Clip(slices.Compact(s.periods))
	attr := func(i int) uint32 {
		p, _ := slices.BinarySearchFunc(s.periods, when[i], comparePeriod)
		return typ[i] | uint32(p)<<s.typeBits
	}
	switch top := uint64(len(s.periods)) << s.typeBits; {
	case top <= 1<<(31-s.nodeBits):
		for i := range when {
			s.word[i] |= int32(attr(i) << s.nodeBits)
		}
	case top <= 1<<16:
		s.attr16 = make([]uint16, len(when))
		for i := range when {
			s.attr16[i] = uint16(attr(i))
		}
	case top <= 1<<32:
		s.attr32 = make([]uint32, len(when))
		for i := range when {
			s.attr32[i] = attr(i)
		}
	default:
		panic("graph: too many relation types and periods")
	}
}

// indexRecords lets every lookup by id (paths' ends, partners, what-if…)
// find an entity by the id of a record merged into it (coopgraph.Record),
// as the stores' Entities does: nuts:PL21 is the region kept as
// malopolskie. An entity's own id always wins over a record's.
func (s *Snapshot) indexRecords() {
	for i := range s.entAt {
		for _, r := range s.entity(int32(i)).Records {
			if _, ok := s.index[r.ID]; !ok && r.ID != "" {
				s.index[r.ID] = int32(i)
			}
		}
	}
}

// Credits returns the credit lines of the snapshot's dataset
// (coopgraph.Dataset.Credits), as a copy.
func (s *Snapshot) Credits() []string { return slices.Clone(s.ds.Credits) }

// Documents returns the source documents of the snapshot's dataset
// (coopgraph.Dataset.Documents, ordered by id), as a copy.
func (s *Snapshot) Documents() []coopgraph.Document { return slices.Clone(s.ds.Documents) }

// Document returns the document a relation, fact or entity cites by id
// (see coopgraph.FindDocument).
func (s *Snapshot) Document(id string) coopgraph.Document {
	return coopgraph.FindDocument(s.ds.Documents, id)
}

// NumNodes returns the number of entities.
func (s *Snapshot) NumNodes() int { return len(s.ids) }

// NumRelations returns the number of relations, self-loops and parallel
// relations included.
func (s *Snapshot) NumRelations() int { return len(s.relAt) }

// entity is node x's entity in the dataset: read only.
func (s *Snapshot) entity(x int32) *coopgraph.Entity { return &s.ds.Entities[s.entAt[x]] }

// relation is relation r in the dataset: read only.
func (s *Snapshot) relation(r int32) *coopgraph.Relation { return &s.ds.Relations[s.relAt[r]] }

// ascendingBy returns the indexes of xs in ascending order of key.
func ascendingBy[T any](xs []T, key func(*T) string) []int32 {
	at := make([]int32, len(xs))
	for i := range at {
		at[i] = int32(i)
	}
	slices.SortFunc(at, func(a, b int32) int { return cmp.Compare(key(&xs[a]), key(&xs[b])) })
	return at
}

// TopologyBytes returns the size in bytes of the topology arrays: the CSR
// offsets and slots, the relation words (endpoints, direction, type and
// period), the period table and any attributes that did not fit in the
// words, and the self-loop lists. Entity attributes are not counted: ids,
// names, properties, the lookup maps, nor the kinds the Kinds filter reads
// (one byte per entity). For m relations, n entities and p distinct
// periods it is about 12m + 4n + 8p bytes while the attributes fit in the
// words, that is while p·2^typeBits <= 2^31/2^nodeBits (about 16,000
// periods for 25,000 entities and 3 relation types): under 16 bytes per
// relation when m >= n and p is small against m, as when the relations of
// a project share its period.
func (s *Snapshot) TopologyBytes() int {
	return 4*(len(s.off)+len(s.via)+len(s.word)+len(s.loops)+len(s.loopAt)) +
		2*len(s.attr16) + 4*len(s.attr32) + 8*len(s.periods)
}

// Entity returns the entity with the given id. The result is a copy: the
// caller may modify it.
func (s *Snapshot) Entity(id string) (coopgraph.Entity, bool) {
	i, ok := s.index[id]
	if !ok {
		return coopgraph.Entity{}, false
	}
	return cloneEntity(*s.entity(i)), true
}

// Kind returns the kind of the entity with the given id.
func (s *Snapshot) Kind(id string) (string, bool) {
	i, ok := s.index[id]
	if !ok {
		return "", false
	}
	return s.kinds[s.kindOf[i]], true
}

// Relation returns the relation with the given id, as a copy.
func (s *Snapshot) Relation(id string) (coopgraph.Relation, bool) {
	i, ok := s.relationIndex(id)
	if !ok {
		return coopgraph.Relation{}, false
	}
	return cloneRelation(*s.relation(i)), true
}

// relationIndex finds a relation by binary search in id order, O(log m):
// the lookups are few (the hops of the paths an answer explains), and a
// map of every relation id would be 8 MB for CORDIS, walked by the
// garbage collector.
func (s *Snapshot) relationIndex(id string) (int32, bool) {
	i, ok := slices.BinarySearchFunc(s.relAt, id, func(at int32, id string) int { return cmp.Compare(s.ds.Relations[at].ID, id) })
	return int32(i), ok
}

// node resolves an entity id, with the error the API reports.
func (s *Snapshot) node(id string) (int32, error) {
	i, ok := s.index[id]
	if !ok {
		return 0, coopgraph.Errorf(coopgraph.ENOTFOUND, "unknown entity id %q", id)
	}
	return i, nil
}

// other returns the endpoint of relation r that is not u (u for a
// self-loop); u must be an endpoint of r.
func (s *Snapshot) other(u, r int32) int32 { return u ^ (s.word[r] & s.nodeMask) }

// isFrom reports whether u, an endpoint of relation r, is its From end
// (true for both ends of a self-loop).
func (s *Snapshot) isFrom(u, r int32) bool {
	x := s.word[r]
	v := u ^ (x & s.nodeMask)
	if x < 0 { // from > to
		return u >= v
	}
	return u <= v
}

// attr returns the type | period<<typeBits of relation r.
func (s *Snapshot) attr(r int32) uint32 {
	switch {
	case s.attr16 != nil:
		return uint32(s.attr16[r])
	case s.attr32 != nil:
		return s.attr32[r]
	}
	return uint32(s.word[r]&math.MaxInt32) >> s.nodeBits
}

// typeOf returns the index in s.types of relation r's type.
func (s *Snapshot) typeOf(r int32) int { return int(s.attr(r) & (1<<s.typeBits - 1)) }

// period returns when relation r is active.
func (s *Snapshot) period(r int32) period { return s.periods[s.attr(r)>>s.typeBits] }

// active reports whether relation r is active at some day of w (nil: any).
func (s *Snapshot) active(r int32, w *window) bool {
	if w == nil {
		return true
	}
	p := s.period(r)
	return w.meets(p.start, p.end)
}

// typeFilter turns a list of relation types into a mask indexed like
// s.types; nil keeps every type. A type of the vocabulary that no relation
// has is valid and keeps nothing; any other type is an EINVALID error.
func (s *Snapshot) typeFilter(types []string) ([]bool, error) {
	if len(types) == 0 {
		return nil, nil
	}
	keep := make([]bool, len(s.types))
	for _, t := range types {
		i, found := slices.BinarySearch(s.types, t)
		switch {
		case found:
			keep[i] = true
		case !coopgraph.IsRelationType(t):
			return nil, coopgraph.Errorf(coopgraph.EINVALID, "unknown relation type %q", t)
		}
	}
	return keep, nil
}

// kept reports whether relation r passes the mask.
func (s *Snapshot) kept(keep []bool, r int32) bool {
	return keep == nil || keep[s.typeOf(r)]
}

// simpleGraph is the graph nx.Graph() builds from the kept relations:
// direction dropped, parallel relations collapsed, a self-loop kept as a
// flag (networkx stores it as the node being its own neighbour).
type simpleGraph struct {
	n    int
	off  []int32 // neighbours of u: adj[off[u]:off[u+1]], ascending, u excluded
	adj  []int32
	loop []bool
	// kindSide, when set, 2-colours the graph by kinds: every edge joins
	// a node u of side kindSide[kindOf[u]] (1 or 2) to one of the other.
	kindOf, kindSide []uint8
	// job is the computation the graph was built for: its algorithms
	// stop early when it is stopped and use its goroutines (nil: never
	// stopped, GOMAXPROCS).
	job *job
}

func (g *simpleGraph) neighbours(u int32) []int32 { return g.adj[g.off[u]:g.off[u+1]] }

// simple collapses the multigraph under a type mask in O(n + m). Chunks
// of nodes (chunkBounds) collapse on all cores, each into the slots of its
// own multigraph run, which collapsing only shortens; the runs are then
// moved together in order.
func (s *Snapshot) simple(j *job, keep []bool) *simpleGraph {
	n := len(s.ids)
	g := &simpleGraph{n: n, off: make([]int32, n+1), adj: make([]int32, len(s.via)), loop: make([]bool, n), job: j}
	bounds := chunkBounds(s.off)
	ends := make([]int32, len(bounds)-1)
	parallelChunks(j, len(ends), len(s.via)+n, func(c int) {
		i := s.off[bounds[c]]
		for u := bounds[c]; u < bounds[c+1]; u++ {
			last := int32(-1)
			for _, r := range s.via[s.off[u]:s.off[u+1]] {
				if v := s.other(u, r); v != last && s.kept(keep, r) {
					g.adj[i] = v
					i++
					last = v
				}
			}
			g.off[u+1] = i
		}
		ends[c] = i
	})
	at := int32(0) // where the next run goes
	for c, end := range ends {
		lo := s.off[bounds[c]]
		if shift := lo - at; shift > 0 {
			copy(g.adj[at:], g.adj[lo:end])
			for u := bounds[c] + 1; u <= bounds[c+1]; u++ {
				g.off[u] -= shift
			}
		}
		at += end - lo
	}
	g.adj = slices.Clip(g.adj[:at])
	for i, r := range s.loops {
		if s.kept(keep, r) {
			g.loop[s.loopAt[i]] = true
		}
	}
	if g.kindSide = s.kindSides(keep); g.kindSide != nil {
		g.kindOf = s.kindOf
	}
	return g
}

// kindSides 2-colours the kinds by the kept relation types, when the
// relations between kinds allow it (as participations do: organisations
// on one side, projects and countries on the other): the side (1 or 2) of
// each kind, 0 for a kind no kept relation touches. nil when some kept
// relation joins two entities of one kind, when the kinds form an odd
// cycle, or beyond 64 kinds. O(types·kinds).
func (s *Snapshot) kindSides(keep []bool) []uint8 {
	if s.kindLinks == nil {
		return nil
	}
	var links [64]uint64
	for t, l := range s.kindLinks {
		if keep == nil || keep[t] {
			for k, m := range l {
				links[k] |= m
			}
		}
	}
	side := make([]uint8, len(s.kinds))
	var queue []int
	for k := range side {
		if side[k] != 0 || links[k] == 0 {
			continue
		}
		side[k] = 1
		queue = append(queue[:0], k)
		for len(queue) > 0 {
			a := queue[0]
			queue = queue[1:]
			for m := links[a]; m != 0; m &= m - 1 {
				b := bits.TrailingZeros64(m)
				switch side[b] {
				case 0:
					side[b] = 3 - side[a]
					queue = append(queue, b)
				case side[a]:
					return nil
				}
			}
		}
	}
	return side
}

func cloneEntity(e coopgraph.Entity) coopgraph.Entity {
	e.Aliases = slices.Clone(e.Aliases)
	e.Properties = maps.Clone(e.Properties)
	e.Facts = slices.Clone(e.Facts)
	e.Documents = slices.Clone(e.Documents)
	e.Records = slices.Clone(e.Records)
	return e
}

func cloneRelation(r coopgraph.Relation) coopgraph.Relation {
	r.Properties = maps.Clone(r.Properties)
	return r
}
