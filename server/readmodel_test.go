package server_test

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/coopgraph/coopgraph/graph"
	"github.com/coopgraph/coopgraph/memstore"
	"github.com/coopgraph/coopgraph/server"
	"github.com/coopgraph/coopgraph/storetest"
)

// A store outside the process (here: the embedded store behind a
// counting wrapper, which is not coopgraph.InProcess) is read through the
// read model by default: the answers are the embedded store's and the
// store is asked nothing; with ReadThrough, the same answers come from
// the store itself.
func TestReadModelAnswersWithoutAskingTheStore(t *testing.T) {
	ctx := context.Background()
	ds := storetest.Seed(t)
	for _, through := range []bool{false, true} {
		counted := storetest.NewCountingStore(memstore.New(ds))
		srv := &server.Server{Store: counted, ReadThrough: through, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
		read, err := counted.Dataset(ctx)
		if err != nil {
			t.Fatal(err)
		}
		srv.PublishLoad(graph.NewSnapshot(read), read, "v1")
		n := storetest.SameServed(t, ds, srv.Handler())
		calls, _ := counted.Reset()
		switch {
		case !through && len(calls) > 0:
			t.Errorf("read model: the store was asked %v for %d documents; want nothing", calls, n)
		case through && (calls["Entities"] == 0 || calls["Neighbours"] == 0 || calls["Relations"] == 0):
			t.Errorf("ReadThrough: the store was asked %v for %d documents; want entities, neighbours and relations", calls, n)
		}
	}
}

// BenchmarkReadModelLinked is what the read model adds to publishing a
// load of the built-in linked network read from a store outside the
// process: indexing the dataset as the embedded store does.
func BenchmarkReadModelLinked(b *testing.B) {
	ds := storetest.Linked(b)
	g := graph.NewSnapshot(ds)
	counted := storetest.NewCountingStore(memstore.New(ds))
	b.ResetTimer()
	for b.Loop() {
		srv := &server.Server{Store: counted}
		srv.PublishLoad(g, ds, "v1")
	}
}
