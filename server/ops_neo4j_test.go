package server_test

import (
	"context"
	"strings"
	"testing"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/graph"
	"github.com/coopgraph/coopgraph/neo4jstore"
	"github.com/coopgraph/coopgraph/server"
)

// /readyz asks the real Neo4j store: ready while its driver reaches the
// server, not ready once it cannot (here: closed), and the failure is
// counted in /metrics. It reads nothing and writes nothing, so it runs
// beside tests that wipe the database. scripts/test runs it with
// COOPGRAPH_REQUIRE_NEO4J=1, so a missing server fails it.
func TestReadyzAsksNeo4j(t *testing.T) {
	ctx := context.Background()
	cfg := sharedNeo4j(t, "the Neo4j readiness test")
	st, err := neo4jstore.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := &server.Server{Store: st}
	srv.SetSnapshot(graph.NewSnapshot(&coopgraph.Dataset{}))
	h := srv.Handler()
	if rec := get(t, h, "/readyz"); rec.Code != 200 || rec.Body.String() != "{\"ready\":true}\n" {
		t.Fatalf("/readyz with Neo4j up: %d %s", rec.Code, rec.Body)
	}
	if err := st.Close(ctx); err != nil {
		t.Fatal(err)
	}
	rec := get(t, h, "/readyz")
	if rec.Code != 503 || rec.Body.String() != "{\"ready\":false,\"notReady\":[\"store\"]}\n" {
		t.Errorf("/readyz with the driver closed: %d %s", rec.Code, rec.Body)
	}
	if strings.Contains(rec.Body.String(), cfg.Password) && cfg.Password != "" || strings.Contains(rec.Body.String(), "neo4j") {
		t.Errorf("/readyz tells internals: %s", rec.Body)
	}
	failed := 0.0
	for k, v := range series(t, h) {
		if strings.HasPrefix(k, `coopgraph_store_errors_total{call="ready"`) {
			failed += v
		}
	}
	if failed != 1 {
		t.Errorf("%v failed readiness checks counted, want 1", failed)
	}
	if rec := get(t, h, "/healthz"); rec.Code != 200 {
		t.Errorf("/healthz: %d, want 200 while the process serves", rec.Code)
	}
}
