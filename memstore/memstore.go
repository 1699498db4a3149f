// Package memstore is the embedded in-process store: a validated dataset
// held in memory, answering exactly what the Neo4j store answers, so that
// `coopgraph serve` works on a machine with nothing else installed.
package memstore

import (
	"context"
	"sort"

	"github.com/coopgraph/coopgraph"
)

// Store holds one dataset. It is immutable after New and safe for
// concurrent use.
type Store struct {
	ds   *coopgraph.Dataset
	byID map[string]int // entity id -> index in ds.Entities
	// byRecord finds an entity by the id of a record merged into it
	// (coopgraph.Record), for the ids that are no entity's own.
	byRecord map[string]int
	search   *searchIndex
	incident map[string][]int // entity id -> indexes of relations touching it, ordered
}

var _ coopgraph.Store = (*Store)(nil)

// New indexes ds. ds must be validated (unique ids, known endpoints).
func New(ds *coopgraph.Dataset) *Store {
	s := &Store{
		ds:       ds,
		byID:     make(map[string]int, len(ds.Entities)),
		search:   newSearchIndex(ds.Entities),
		incident: make(map[string][]int),
	}
	for i, e := range ds.Entities {
		s.byID[e.ID] = i
	}
	for i, e := range ds.Entities {
		for _, r := range e.Records {
			if _, own := s.byID[r.ID]; !own && r.ID != "" {
				if s.byRecord == nil {
					s.byRecord = map[string]int{}
				}
				s.byRecord[r.ID] = i
			}
		}
	}
	for i, r := range ds.Relations {
		s.incident[r.From] = append(s.incident[r.From], i)
		if r.To != r.From {
			s.incident[r.To] = append(s.incident[r.To], i)
		}
	}
	for id, rels := range s.incident {
		sort.Slice(rels, func(a, b int) bool {
			return coopgraph.LessNeighbour(id, ds.Relations[rels[a]], ds.Relations[rels[b]])
		})
	}
	return s
}

// Search ranks as coopgraph.RankSearch does, through the search index (see
// searchIndex): the same entities in the same order, without a scan.
func (s *Store) Search(ctx context.Context, text string, kinds []string, first int) ([]coopgraph.Entity, error) {
	q, err := coopgraph.SearchQuery(text, kinds)
	if err != nil {
		return nil, err
	}
	pos := s.search.search(q, kinds, first)
	out := make([]coopgraph.Entity, len(pos))
	for i, p := range pos {
		out[i] = s.ds.Entities[s.search.entity[p]]
	}
	return out, nil
}

// Entities returns the entities in the order of ids, an id of a merged
// record giving the entity it was merged into.
func (s *Store) Entities(ctx context.Context, ids []string) ([]coopgraph.Entity, error) {
	out := make([]coopgraph.Entity, len(ids))
	for i, id := range ids {
		j, ok := s.byID[id]
		if !ok {
			j, ok = s.byRecord[id]
		}
		if !ok {
			return nil, coopgraph.Errorf(coopgraph.ENOTFOUND, "unknown entity id %q", id)
		}
		out[i] = s.ds.Entities[j]
	}
	return out, nil
}

// Relations returns a page of the relations touching id that pass f, in
// coopgraph.LessNeighbour order, and how many pass in all. Only the page
// is copied out: a hub has tens of thousands of relations.
func (s *Store) Relations(ctx context.Context, id string, f coopgraph.NeighbourFilter, offset, first int) ([]coopgraph.Relation, int, error) {
	idx, err := s.incidentPassing(id, f)
	if err != nil {
		return nil, 0, err
	}
	var out []coopgraph.Relation
	for _, i := range page(idx, offset, first) {
		out = append(out, s.ds.Relations[i])
	}
	return out, len(idx), nil
}

// Neighbours groups the relations passing f by the entity at the other end:
// the incident list is ordered by that entity first, so each group is a run.
// Groups are counted; only the page's are copied out.
func (s *Store) Neighbours(ctx context.Context, id string, f coopgraph.NeighbourFilter, offset, first int) ([]coopgraph.Neighbour, int, error) {
	idx, err := s.incidentPassing(id, f)
	if err != nil {
		return nil, 0, err
	}
	offset = max(offset, 0)
	inPage := func(g int) bool { return g >= offset && (first < 0 || g < offset+first) }
	// The relations to one neighbour are adjacent in idx. The page's are
	// copied into one array, cut per neighbour: one allocation, not one a
	// neighbour.
	var page, starts []int // relation indexes; where each neighbour's begin in page
	groups, prev := 0, ""
	for _, i := range idx {
		if o := s.ds.Relations[i].Other(id); groups == 0 || o != prev {
			groups, prev = groups+1, o
			if inPage(groups - 1) {
				starts = append(starts, len(page))
			}
		}
		if inPage(groups - 1) {
			page = append(page, i)
		}
	}
	rels := make([]coopgraph.Relation, len(page))
	for j, i := range page {
		rels[j] = s.ds.Relations[i]
	}
	out := make([]coopgraph.Neighbour, len(starts))
	for g, lo := range starts {
		hi := len(rels)
		if g+1 < len(starts) {
			hi = starts[g+1]
		}
		out[g] = coopgraph.Neighbour{Entity: s.ds.Entities[s.byID[rels[lo].Other(id)]], Relations: rels[lo:hi:hi]}
	}
	return out, groups, nil
}

// incidentPassing lists the relations touching id that pass f, as indexes
// into the dataset's relations, in coopgraph.LessNeighbour order.
func (s *Store) incidentPassing(id string, f coopgraph.NeighbourFilter) ([]int, error) {
	if _, ok := s.byID[id]; !ok {
		return nil, coopgraph.Errorf(coopgraph.ENOTFOUND, "unknown entity id %q", id)
	}
	if err := f.Check(); err != nil {
		return nil, err
	}
	all := s.incident[id]
	if len(f.RelationTypes) == 0 && len(f.Kinds) == 0 && f.ActiveFrom == "" && f.ActiveTo == "" {
		return all, nil
	}
	var out []int
	for _, i := range all {
		r := &s.ds.Relations[i]
		kind := ""
		if len(f.Kinds) > 0 { // the map lookup only when it matters
			kind = s.ds.Entities[s.byID[r.Other(id)]].Kind
		}
		if f.Keeps(*r, kind) {
			out = append(out, i)
		}
	}
	return out, nil
}

// page is xs[offset:offset+first], clipped to xs (all from offset when
// first < 0; a negative offset is 0).
func page[T any](xs []T, offset, first int) []T {
	offset = max(offset, 0)
	if offset >= len(xs) {
		return nil
	}
	xs = xs[offset:]
	if first >= 0 && len(xs) > first {
		xs = xs[:first]
	}
	return xs
}

// Version is a constant: the embedded store never changes after New.
func (s *Store) Version(ctx context.Context) (string, error) { return "memstore", nil }

// InProcess says that reads cost no round trip (see coopgraph.InProcess).
func (s *Store) InProcess() {}

// Dataset returns the dataset the store holds.
func (s *Store) Dataset(ctx context.Context) (*coopgraph.Dataset, error) { return s.ds, nil }

// Ready is always nil: memory is always reachable.
func (s *Store) Ready(ctx context.Context) error { return nil }

// Close does nothing.
func (s *Store) Close(ctx context.Context) error { return nil }
