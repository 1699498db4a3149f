package neo4jstore

// The API's reads against a real Neo4j: the load version and the snapshot
// refresh, the routing scheme, cancellation, and batched entity reads. The
// comparisons with the embedded store are storetest's, run by
// TestConformance.

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/graph"
	"github.com/coopgraph/coopgraph/server"
	"github.com/coopgraph/coopgraph/server/graphqltest"
	"github.com/coopgraph/coopgraph/storetest"
)

func TestVersionChangesWithEveryLoad(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	v0, err := s.Version(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ds := storetest.Seed(t)
	mustLoad(t, s, ds)
	v1, err := s.Version(ctx)
	if err != nil || v1 == v0 || !strings.Contains(v1, ds.Name+"@") {
		t.Fatalf("after a load: %q (%v), before: %q", v1, err, v0)
	}
	if again, _ := s.Version(ctx); again != v1 {
		t.Errorf("the version changed without a load: %q, %q", v1, again)
	}
	mustLoad(t, s, ds)
	v2, _ := s.Version(ctx)
	if v2 == v1 {
		t.Errorf("a second load left the version at %q", v2)
	}
	mustLoad(t, s, other(t))
	v3, _ := s.Version(ctx)
	if v3 == v2 || !strings.Contains(v3, "other@") || !strings.Contains(v3, ds.Name+"@") {
		t.Errorf("after loading another dataset: %q", v3)
	}
	if n := count(t, s, `MATCH (l:CoopgraphLoad) RETURN count(l) AS n`, nil); n != 2 {
		t.Errorf("%d load markers, want one per dataset", n)
	}
	// A load that fails before writing leaves the version as it is.
	if _, err := Load(ctx, s, &coopgraph.Dataset{Name: "bad", Entities: []coopgraph.Entity{{ID: "x", Kind: "Region", Name: "X",
		Properties: map[string]string{"datasets": "reserved"}}}}); err == nil {
		t.Fatal("a dataset with a reserved property name loaded")
	}
	if v4, _ := s.Version(ctx); v4 != v3 {
		t.Errorf("a failed load changed the version from %q to %q", v3, v4)
	}
}

// TestServedSnapshotFollowsANewLoad serves from Neo4j with the refresher
// running, loads a changed dataset with the load code, and sees the change
// through GraphQL: in the store's reads and in the analytics snapshot.
func TestServedSnapshotFollowsANewLoad(t *testing.T) {
	s := openTestStore(t)
	ds := storetest.Seed(t)
	mustLoad(t, s, ds)
	first, err := s.Dataset(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	srv := &server.Server{Store: s, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	srv.SetSnapshot(graph.NewSnapshot(first))
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { srv.WatchStore(ctx, 50*time.Millisecond); close(done) }()
	defer func() { cancel(); <-done }()

	const query = `{ shortestPath(from: "opolskie", to: "city-of-turin") { length hops { text } }
	  centrality(measure: DEGREE, first: 1) { entity { id } } }`
	ask := func() (length int, top string) {
		var got struct {
			ShortestPath struct{ Length int }
			Centrality   []struct{ Entity struct{ ID string } }
		}
		graphqltest.Data(t, ts.Config.Handler, query, nil, &got)
		return got.ShortestPath.Length, got.Centrality[0].Entity.ID
	}
	length, top := ask()
	if length < 3 || top != "malopolskie" {
		t.Fatalf("before: length %d, most central %s", length, top)
	}

	// Opolskie now cooperates with the City of Turin directly, and a new
	// network gathers every entity, becoming the most central.
	changed := *ds
	changed.Entities = append(append([]coopgraph.Entity{}, ds.Entities...), coopgraph.Entity{ID: "zz-everyone", Kind: "Network", Name: "Everyone"})
	changed.Relations = append([]coopgraph.Relation{}, ds.Relations...)
	changed.Relations = append(changed.Relations, coopgraph.Relation{ID: "zz-direct", Type: "COOPERATES_WITH", From: "opolskie", To: "city-of-turin",
		Document: "test", Quote: "a test relation"})
	for _, e := range ds.Entities {
		changed.Relations = append(changed.Relations, coopgraph.Relation{ID: "zz-member-" + e.ID, Type: "MEMBER_OF", From: e.ID, To: "zz-everyone"})
	}
	mustLoad(t, s, &changed)

	deadline := time.Now().Add(15 * time.Second)
	for {
		length, top = ask()
		if length == 1 && top == "zz-everyone" {
			break
		}
		// Never a mix: the new path and the old ranking together would be one.
		if length == 1 && top != "zz-everyone" || length != 1 && top == "zz-everyone" {
			t.Fatalf("one answer mixes two snapshots: length %d, most central %s", length, top)
		}
		if time.Now().After(deadline) {
			t.Fatalf("the new load was not served within 15s: length %d, most central %s", length, top)
		}
		time.Sleep(20 * time.Millisecond)
	}
	var hop struct {
		ShortestPath struct{ Hops []struct{ Text string } }
	}
	graphqltest.Data(t, ts.Config.Handler, `{ shortestPath(from: "opolskie", to: "city-of-turin") { hops { text } } }`, nil, &hop)
	if len(hop.ShortestPath.Hops) != 1 || !strings.Contains(hop.ShortestPath.Hops[0].Text, "— cooperates with →") {
		t.Errorf("the new relation's hop: %+v", hop.ShortestPath.Hops)
	}
}

// TestRoutingURI opens the store with the neo4j:// routing scheme against
// the single local server: the driver asks it for a routing table and
// sends reads and writes where that table says.
func TestRoutingURI(t *testing.T) {
	direct := openTestStore(t) // skips without Neo4j; empties the database
	cfg := testConfig(storetest.Neo4j(t, "the routing test"))
	uri := cfg.URI
	routed := strings.Replace(strings.Replace(uri, "bolt://", "neo4j://", 1), "localhost", "127.0.0.1", 1)
	if !strings.HasPrefix(routed, "neo4j://") {
		t.Fatalf("NEO4J_URI %q has no bolt:// or neo4j:// scheme", uri)
	}
	ctx := context.Background()
	cfg.URI = routed
	s, err := Open(ctx, cfg)
	if err != nil {
		t.Fatalf("open %s: %v", routed, err)
	}
	defer s.Close(ctx)
	ds := storetest.Seed(t)
	mustLoad(t, s, ds) // writes through the routing table
	got, err := s.Search(ctx, "Malopolska", nil, 1)
	if err != nil || len(got) != 1 || got[0].ID != "malopolskie" {
		t.Fatalf("search through %s: %+v %v", routed, got, err)
	}
	rels, total, err := s.Relations(ctx, "malopolskie", coopgraph.NeighbourFilter{}, 0, 5)
	if err != nil || len(rels) != 5 || total < 20 {
		t.Errorf("relations through %s: %d of %d, %v", routed, len(rels), total, err)
	}
	whole, err := s.Dataset(ctx)
	if err != nil || len(whole.Entities) != len(ds.Entities) || len(whole.Relations) != len(ds.Relations) {
		t.Errorf("dataset through %s: %v", routed, err)
	}
	v, err := s.Version(ctx)
	if dv, _ := direct.Version(ctx); err != nil || v != dv {
		t.Errorf("version through %s: %q %v, directly %q", routed, v, err, dv)
	}
}

// TestCancelledRequestStopsItsQuery: a read whose context ends returns at
// once, and Neo4j stops running it (the request timeout of the API cancels
// the database's work, not just the wait for it).
func TestCancelledRequestStopsItsQuery(t *testing.T) {
	s := openTestStore(t)
	const slow = `UNWIND range(1, 2000000000) AS x WITH x WHERE x % 7 = 123 RETURN count(x) AS n`
	running := func() int64 {
		return count(t, s, `SHOW TRANSACTIONS YIELD currentQuery WHERE currentQuery CONTAINS $q RETURN count(*) AS n`,
			map[string]any{"q": "range(1, 2000000000)"})
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	errc := make(chan error, 1)
	go func() {
		_, err := read(ctx, s, slow, nil, func(r *neo4j.Record) (any, error) { return nil, nil })
		errc <- err
	}()
	deadline := time.Now().Add(10 * time.Second)
	for running() == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the slow query never showed among Neo4j's transactions")
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel() // as the request timeout or a client going away does
	start := time.Now()
	select {
	case err := <-errc:
		if err == nil {
			t.Fatal("a query of two billion rows finished")
		}
		if coopgraph.ErrorCode(err) != coopgraph.EUNAVAILABLE && !errors.Is(err, context.Canceled) {
			t.Errorf("error %v (%s)", err, coopgraph.ErrorCode(err))
		}
	case <-time.After(3 * time.Second):
		t.Fatal("the read did not return within 3s of its context ending")
	}
	// The server stops running it.
	deadline = time.Now().Add(10 * time.Second)
	for running() != 0 {
		if time.Now().After(deadline) {
			t.Fatalf("Neo4j still runs the cancelled query 10s later")
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("Neo4j stopped the query %s after its context ended", time.Since(start).Round(time.Millisecond))
}

// TestNoQueryPerItem: the ends of 60 relations are read from Neo4j in a few
// batched calls, not one per relation end (120).
func TestNoQueryPerItem(t *testing.T) {
	s := openTestStore(t)
	ds := storetest.Seed(t)
	mustLoad(t, s, ds)
	st := storetest.NewCountingStore(s)
	h := storetest.Serve(t, st)
	st.Reset()
	var got map[string]struct {
		Relations []struct{ From, To struct{ ID, Name string } }
	}
	graphqltest.Data(t, h, `{ a: entity(id: "malopolskie") { relations { from { id name } to { id name } } }
	  b: entity(id: "symbi") { relations { from { id name } to { id name } } }
	  c: entity(id: "vanguard-initiative") { relations { from { id name } to { id name } } } }`, nil, &got)
	n := 0
	for _, e := range got {
		for _, r := range e.Relations {
			if r.From.Name == "" || r.To.Name == "" {
				t.Errorf("relation end without its entity: %+v", r)
			}
			n++
		}
	}
	counted, _ := st.Reset()
	calls := counted["Entities"]
	// One read for the three entities asked by id (two if their resolvers
	// start far apart), then one per list of relations for their ends.
	if n < 50 || calls > 5 {
		t.Errorf("%d relations with both ends took %d Entities calls, want a few", n, calls)
	}
	t.Logf("%d relations, %d Entities calls", n, calls)
}
