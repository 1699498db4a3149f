package coopgraph

import "context"

// Store answers the questions the API asks of the stored network. Two
// implementations exist, the embedded in-process store and Neo4j, and both
// give identical answers: same entities, same order.
type Store interface {
	// Search returns the entities whose name or an alias matches text,
	// best first (see SearchRank), at most first of them; kinds, when not
	// empty, keeps only those kinds.
	Search(ctx context.Context, text string, kinds []string, first int) ([]Entity, error)
	// Entities returns the entities with the given ids, in the same order;
	// an id that does not exist is an ENOTFOUND error naming it.
	Entities(ctx context.Context, ids []string) ([]Entity, error)
	// Neighbours returns the relations touching id, in either direction,
	// of the given types (all when empty), ordered by type, then the other
	// entity's id, then relation id; at most first (all when first < 0).
	Neighbours(ctx context.Context, id string, relationTypes []string, first int) ([]Relation, error)
	// Dataset returns everything the store holds, for building the
	// analytics snapshot.
	Dataset(ctx context.Context) (*Dataset, error)
	// Ready reports whether the store can answer (the database is reachable).
	Ready(ctx context.Context) error
	Close(ctx context.Context) error
}

// LessNeighbour orders the relations touching id as both stores list them:
// by the entity at the other end, then relation type, then relation id.
func LessNeighbour(id string, a, b Relation) bool {
	oa, ob := a.Other(id), b.Other(id)
	if oa != ob {
		return oa < ob
	}
	if a.Type != b.Type {
		return a.Type < b.Type
	}
	return a.ID < b.ID
}

// Other returns the id at the other end of r from id.
func (r Relation) Other(id string) string {
	if r.From == id {
		return r.To
	}
	return r.From
}

// CheckRelationTypes returns an EINVALID error naming the first type that is
// not in the vocabulary.
func CheckRelationTypes(types []string) error {
	for _, t := range types {
		if !IsRelationType(t) {
			return Errorf(EINVALID, "unknown relation type %q", t)
		}
	}
	return nil
}

// CheckKinds returns an EINVALID error naming the first kind that is not in
// the vocabulary.
func CheckKinds(kinds []string) error {
	for _, k := range kinds {
		if !IsKind(k) {
			return Errorf(EINVALID, "unknown kind %q", k)
		}
	}
	return nil
}

// StringSet returns the set of ss (nil for none).
func StringSet(ss []string) map[string]bool {
	if len(ss) == 0 {
		return nil
	}
	m := make(map[string]bool, len(ss))
	for _, s := range ss {
		m[s] = true
	}
	return m
}
