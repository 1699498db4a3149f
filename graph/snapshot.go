package graph

import (
	"cmp"
	"fmt"
	"maps"
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
// A Snapshot is safe for concurrent readers. It keeps its own copy of the
// dataset, so later changes to the dataset do not affect it.
type Snapshot struct {
	ids      []string // node index -> entity id, ascending
	index    map[string]int32
	entities []coopgraph.Entity

	rels     []coopgraph.Relation // relation index -> relation, ascending id
	relIndex map[string]int32
	types    []string // distinct relation types present, ascending
	typeOf   []uint16 // relation index -> index in types
	from, to []int32  // relation index -> endpoints

	// Multigraph adjacency without self-loops (they never lie on a shortest
	// path): the edges of node u are off[u]:off[u+1] of nbr (neighbour) and
	// via (relation index), sorted by neighbour, then relation.
	off []int32
	nbr []int32
	via []int32
	// loops lists the self-loop relations, which centrality still needs.
	loops []int32

	workspaces sync.Pool // *pathSearch, reused across path queries
	cache      scoreCache
}

// NewSnapshot builds the snapshot of ds in O(m log m). The dataset must be
// validated: entity ids unique and every relation endpoint an entity;
// NewSnapshot panics otherwise, as that is a programming error. A nil
// dataset gives an empty snapshot.
func NewSnapshot(ds *coopgraph.Dataset) *Snapshot {
	s := &Snapshot{index: map[string]int32{}, relIndex: map[string]int32{}}
	if ds == nil {
		ds = &coopgraph.Dataset{}
	}
	if len(ds.Entities) > 1<<31-1 || len(ds.Relations) > 1<<31-1 {
		panic("graph: dataset too large for int32 indexes")
	}

	ents := slices.Clone(ds.Entities)
	slices.SortFunc(ents, func(a, b coopgraph.Entity) int { return cmp.Compare(a.ID, b.ID) })
	s.ids = make([]string, len(ents))
	s.entities = make([]coopgraph.Entity, len(ents))
	for i, e := range ents {
		if i > 0 && e.ID == ents[i-1].ID {
			panic(fmt.Sprintf("graph: duplicate entity id %q", e.ID))
		}
		s.ids[i] = e.ID
		s.index[e.ID] = int32(i)
		s.entities[i] = cloneEntity(e)
	}

	rels := slices.Clone(ds.Relations)
	slices.SortFunc(rels, func(a, b coopgraph.Relation) int { return cmp.Compare(a.ID, b.ID) })
	typeSet := map[string]bool{}
	for _, r := range rels {
		typeSet[r.Type] = true
	}
	s.types = slices.Sorted(maps.Keys(typeSet))
	if len(s.types) > 1<<16 {
		panic("graph: too many relation types")
	}
	typeIndex := make(map[string]uint16, len(s.types))
	for i, t := range s.types {
		typeIndex[t] = uint16(i)
	}

	n := len(ents)
	s.rels = make([]coopgraph.Relation, len(rels))
	s.typeOf = make([]uint16, len(rels))
	s.from = make([]int32, len(rels))
	s.to = make([]int32, len(rels))
	deg := make([]int32, n+1)
	for i, r := range rels {
		if i > 0 && r.ID == rels[i-1].ID {
			panic(fmt.Sprintf("graph: duplicate relation id %q", r.ID))
		}
		u, ok1 := s.index[r.From]
		v, ok2 := s.index[r.To]
		if !ok1 || !ok2 {
			panic(fmt.Sprintf("graph: relation %q links an unknown entity", r.ID))
		}
		s.rels[i] = cloneRelation(r)
		s.relIndex[r.ID] = int32(i)
		s.typeOf[i] = typeIndex[r.Type]
		s.from[i], s.to[i] = u, v
		if u == v {
			s.loops = append(s.loops, int32(i))
			continue
		}
		deg[u]++
		deg[v]++
	}

	// CSR: prefix sums, then fill each node's run and sort it by
	// (neighbour, relation) packed into one key.
	s.off = make([]int32, n+1)
	for u := 0; u < n; u++ {
		s.off[u+1] = s.off[u] + deg[u]
	}
	keys := make([]uint64, s.off[n])
	fill := slices.Clone(s.off[:n])
	for i := range rels {
		u, v := s.from[i], s.to[i]
		if u == v {
			continue
		}
		keys[fill[u]] = uint64(v)<<32 | uint64(i)
		fill[u]++
		keys[fill[v]] = uint64(u)<<32 | uint64(i)
		fill[v]++
	}
	s.nbr = make([]int32, len(keys))
	s.via = make([]int32, len(keys))
	for u := 0; u < n; u++ {
		run := keys[s.off[u]:s.off[u+1]]
		slices.Sort(run)
		for j, k := range run {
			s.nbr[int(s.off[u])+j] = int32(k >> 32)
			s.via[int(s.off[u])+j] = int32(uint32(k))
		}
	}
	return s
}

// NumNodes returns the number of entities.
func (s *Snapshot) NumNodes() int { return len(s.ids) }

// NumRelations returns the number of relations, self-loops and parallel
// relations included.
func (s *Snapshot) NumRelations() int { return len(s.rels) }

// Entity returns the entity with the given id. The result is a copy: the
// caller may modify it.
func (s *Snapshot) Entity(id string) (coopgraph.Entity, bool) {
	i, ok := s.index[id]
	if !ok {
		return coopgraph.Entity{}, false
	}
	return cloneEntity(s.entities[i]), true
}

// Relation returns the relation with the given id, as a copy.
func (s *Snapshot) Relation(id string) (coopgraph.Relation, bool) {
	i, ok := s.relIndex[id]
	if !ok {
		return coopgraph.Relation{}, false
	}
	return cloneRelation(s.rels[i]), true
}

// node resolves an entity id, with the error the API reports.
func (s *Snapshot) node(id string) (int32, error) {
	i, ok := s.index[id]
	if !ok {
		return 0, coopgraph.Errorf(coopgraph.ENOTFOUND, "unknown entity id %q", id)
	}
	return i, nil
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
	return keep == nil || keep[s.typeOf[r]]
}

// simpleGraph is the graph nx.Graph() builds from the kept relations:
// direction dropped, parallel relations collapsed, a self-loop kept as a
// flag (networkx stores it as the node being its own neighbour).
type simpleGraph struct {
	n    int
	off  []int32 // neighbours of u: adj[off[u]:off[u+1]], ascending, u excluded
	adj  []int32
	loop []bool
}

func (g *simpleGraph) neighbours(u int32) []int32 { return g.adj[g.off[u]:g.off[u+1]] }

// simple collapses the multigraph under a type mask in O(n + m).
func (s *Snapshot) simple(keep []bool) *simpleGraph {
	n := len(s.ids)
	g := &simpleGraph{n: n, off: make([]int32, n+1), adj: make([]int32, 0, len(s.nbr)/2+1), loop: make([]bool, n)}
	for u := 0; u < n; u++ {
		last := int32(-1)
		for e := s.off[u]; e < s.off[u+1]; e++ {
			if v := s.nbr[e]; v != last && s.kept(keep, s.via[e]) {
				g.adj = append(g.adj, v)
				last = v
			}
		}
		g.off[u+1] = int32(len(g.adj))
	}
	for _, r := range s.loops {
		if s.kept(keep, r) {
			g.loop[s.from[r]] = true
		}
	}
	return g
}

func cloneEntity(e coopgraph.Entity) coopgraph.Entity {
	e.Aliases = slices.Clone(e.Aliases)
	e.Properties = maps.Clone(e.Properties)
	e.Facts = slices.Clone(e.Facts)
	e.Documents = slices.Clone(e.Documents)
	return e
}

func cloneRelation(r coopgraph.Relation) coopgraph.Relation {
	r.Properties = maps.Clone(r.Properties)
	return r
}
