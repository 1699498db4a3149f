// Package schema is the GraphQL API: the schema (schema.graphqls), the code
// gqlgen generates from it, and the resolvers that answer it from a Store
// and the analytics engine.
package schema

import (
	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/graph"
)

// Resolver is where dependencies are injected: the store that holds the
// network, and the analytics snapshot built from it.
type Resolver struct {
	Store coopgraph.Store
	// Snapshot returns the current analytics snapshot. It is swapped
	// atomically when the data changes, so one call sees one whole snapshot;
	// a request pinned to one with WithSnapshot sees only that one.
	Snapshot func() *graph.Snapshot
	// Anytime answers centrality without insisting on exact with a
	// certified approximation while the exact ranking is not ready (see
	// graph.Snapshot.CentralityAnytime): for a server that computes the
	// exact rankings in the background.
	Anytime bool
}
