// Package memstore is the embedded in-process store: a validated dataset
// held in memory, answering exactly what the Neo4j store answers, so that
// `coopgraph serve` works on a machine with nothing else installed.
package memstore

import (
	"context"
	"sort"
	"strings"

	"github.com/coopgraph/coopgraph"
)

// Store holds one dataset. It is immutable after New and safe for
// concurrent use.
type Store struct {
	ds       *coopgraph.Dataset
	byID     map[string]int   // entity id -> index in ds.Entities
	words    []string         // per entity: " " + SearchText + " ", for a quick prefilter
	incident map[string][]int // entity id -> indexes of relations touching it, ordered
}

var _ coopgraph.Store = (*Store)(nil)

// New indexes ds. ds must be validated (unique ids, known endpoints).
func New(ds *coopgraph.Dataset) *Store {
	s := &Store{
		ds:       ds,
		byID:     make(map[string]int, len(ds.Entities)),
		words:    make([]string, len(ds.Entities)),
		incident: make(map[string][]int),
	}
	for i, e := range ds.Entities {
		s.byID[e.ID] = i
		s.words[i] = " " + coopgraph.SearchText(e)
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

// Search ranks with coopgraph.RankSearch, after a cheap prefilter: every
// query word must start some word of the entity's names.
func (s *Store) Search(ctx context.Context, text string, kinds []string, first int) ([]coopgraph.Entity, error) {
	q, err := coopgraph.SearchQuery(text, kinds)
	if err != nil {
		return nil, err
	}
	var candidates []coopgraph.Entity
	for i, w := range s.words {
		ok := true
		for _, t := range q {
			if !strings.Contains(w, " "+t) {
				ok = false
				break
			}
		}
		if ok {
			candidates = append(candidates, s.ds.Entities[i])
		}
	}
	return coopgraph.RankSearch(candidates, q, kinds, first), nil
}

// Entities returns the entities in the order of ids.
func (s *Store) Entities(ctx context.Context, ids []string) ([]coopgraph.Entity, error) {
	out := make([]coopgraph.Entity, len(ids))
	for i, id := range ids {
		j, ok := s.byID[id]
		if !ok {
			return nil, coopgraph.Errorf(coopgraph.ENOTFOUND, "unknown entity id %q", id)
		}
		out[i] = s.ds.Entities[j]
	}
	return out, nil
}

// Neighbours returns the relations touching id in coopgraph.LessNeighbour order.
func (s *Store) Neighbours(ctx context.Context, id string, relationTypes []string, first int) ([]coopgraph.Relation, error) {
	if _, ok := s.byID[id]; !ok {
		return nil, coopgraph.Errorf(coopgraph.ENOTFOUND, "unknown entity id %q", id)
	}
	if err := coopgraph.CheckRelationTypes(relationTypes); err != nil {
		return nil, err
	}
	keep := coopgraph.StringSet(relationTypes)
	var out []coopgraph.Relation
	for _, i := range s.incident[id] {
		r := s.ds.Relations[i]
		if len(keep) > 0 && !keep[r.Type] {
			continue
		}
		if first >= 0 && len(out) >= first {
			break
		}
		out = append(out, r)
	}
	return out, nil
}

// Dataset returns the dataset the store holds.
func (s *Store) Dataset(ctx context.Context) (*coopgraph.Dataset, error) { return s.ds, nil }

// Ready is always nil: memory is always reachable.
func (s *Store) Ready(ctx context.Context) error { return nil }

// Close does nothing.
func (s *Store) Close(ctx context.Context) error { return nil }
