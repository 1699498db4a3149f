package server_test

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/gen"
	"github.com/coopgraph/coopgraph/graph"
	"github.com/coopgraph/coopgraph/loader"
	"github.com/coopgraph/coopgraph/neo4jstore"
	"github.com/coopgraph/coopgraph/server"
	"github.com/coopgraph/coopgraph/storetest"
)

// With Neo4j and the read model (the default), the server answers the
// conformance documents as the embedded store does, to the byte, on the
// seed and on a generated network, as serve publishes a load: the
// dataset read back from Neo4j, with its version. And it asks Neo4j for
// none of those reads.
func TestReadModelOnNeo4jAnswersAsEmbedded(t *testing.T) {
	ctx := context.Background()
	cfg := sharedNeo4j(t, "the read model test")
	st, err := neo4jstore.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close(ctx) })
	nw, err := gen.New(gen.Config{Participations: 3000, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := nw.WriteDir(ctx, dir, false); err != nil {
		t.Fatal(err)
	}
	generated, err := loader.LoadDir(dir, "gen")
	if err != nil {
		t.Fatal(err)
	}
	for _, ds := range []*coopgraph.Dataset{storetest.Seed(t), generated} {
		t.Run(ds.Name, func(t *testing.T) {
			if err := neo4jstore.Wipe(ctx, st); err != nil {
				t.Fatal(err)
			}
			if _, err := neo4jstore.Load(ctx, st, ds); err != nil {
				t.Fatal(err)
			}
			counted := storetest.NewCountingStore(st)
			srv := &server.Server{Store: counted, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
			version, err := counted.Version(ctx)
			if err != nil {
				t.Fatal(err)
			}
			read, err := counted.Dataset(ctx)
			if err != nil {
				t.Fatal(err)
			}
			srv.PublishLoad(graph.NewSnapshot(read), read, version)
			counted.Reset()
			n := storetest.SameServed(t, ds, srv.Handler())
			if calls, ids := counted.Reset(); len(calls) > 0 {
				t.Errorf("the read model asked Neo4j %v (%d ids) for %d documents; want no call", calls, ids, n)
			}
			t.Logf("%d documents answered alike", n)
		})
	}
}
