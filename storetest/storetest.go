// Package storetest checks that a coopgraph.Store answers as the API
// promises, as gonum's graph/testgraph does for graph implementations: a new
// store's tests call Run with a function that opens it holding a dataset,
// and every check of this package runs against it.
//
// The reference is the embedded store (memstore): for the seed dataset and
// for generated ones, the store under test must give the same answers, to
// the byte of the GraphQL JSON, errors included; checks on small datasets
// compare with answers worked out by hand, and the time filter with the
// analytics engine's, so the reference itself is checked too. RunLinked
// asks the same kinds of questions of the built-in linked network, which
// takes minutes to load into a store outside the process.
//
// It imports memstore and server, and is imported only by tests.
package storetest

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"testing"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/data"
	"github.com/coopgraph/coopgraph/graph"
	"github.com/coopgraph/coopgraph/loader"
	"github.com/coopgraph/coopgraph/server"
)

// Open returns the store under test holding ds and nothing else. It may
// empty what earlier calls stored (Neo4j's tests share one database), and
// it registers the store's closing with t.Cleanup.
type Open func(t *testing.T, ds *coopgraph.Dataset) coopgraph.Store

// Run runs every conformance check against the stores open returns, each
// as a subtest.
func Run(t *testing.T, open Open) {
	t.Run("SameAnswers", func(t *testing.T) { sameAnswers(t, open) })
	t.Run("SameConnectionPages", func(t *testing.T) { sameConnectionPages(t, open) })
	t.Run("SameRelationsAndNeighbours", func(t *testing.T) { sameRelationsAndNeighbours(t, open) })
	t.Run("DatasetReadsBack", func(t *testing.T) { datasetReadsBack(t, open) })
	t.Run("RelationsOrderFilterPageAndSelfLoop", func(t *testing.T) { relationsOrderFilterPage(t, open) })
	t.Run("NeighboursGroupByEntity", func(t *testing.T) { neighboursGroupByEntity(t, open) })
	t.Run("TimeFilterMeansWhatTheEngineMeans", func(t *testing.T) { timeFilter(t, open) })
	t.Run("SameSearches", func(t *testing.T) { sameSearches(t, open) })
	t.Run("RecordsCreditsAndMergedIDs", func(t *testing.T) { recordsAndCredits(t, open) })
	t.Run("FilterKeepingAllListsNeighboursAsStored", func(t *testing.T) { filterKeepingAll(t, open) })
}

// Seed is the curated seed dataset embedded in the binary.
func Seed(t testing.TB) *coopgraph.Dataset {
	t.Helper()
	ds, err := loader.LoadFS(data.Seed(), "data/seed", data.SeedName)
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// Serve is the API's handler over st, with the analytics snapshot of
// st's dataset.
func Serve(t testing.TB, st coopgraph.Store) http.Handler {
	t.Helper()
	ds, err := st.Dataset(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	srv := &server.Server{Store: st, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	srv.SetSnapshot(graph.NewSnapshot(ds))
	return srv.Handler()
}
