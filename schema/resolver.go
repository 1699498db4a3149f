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
}
