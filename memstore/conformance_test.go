package memstore_test

import (
	"testing"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/memstore"
	"github.com/coopgraph/coopgraph/storetest"
)

// TestConformance runs the store conformance suite (storetest) against the
// embedded store, which is also its reference: the checks with answers
// worked out by hand and the engine's time window keep the reference true.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T, ds *coopgraph.Dataset) coopgraph.Store {
		return memstore.New(ds)
	})
}

// TestLinkedConformance runs the suite's checks on the built-in linked
// network (storetest.RunLinked), which also keeps its answers worked out
// by hand true of the reference.
func TestLinkedConformance(t *testing.T) {
	storetest.RunLinked(t, func(t *testing.T, ds *coopgraph.Dataset) coopgraph.Store {
		return memstore.New(ds)
	})
}
