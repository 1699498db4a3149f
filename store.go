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
