package neo4jstore

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/storetest"
)

// expectNotServable checks that every read of s refuses, naming an
// incomplete load and what to do, with code UNAVAILABLE.
func expectNotServable(t *testing.T, s *Store) {
	t.Helper()
	ctx := context.Background()
	check := func(call string, err error) {
		t.Helper()
		var ns *coopgraph.NotServableError
		if !errors.As(err, &ns) || coopgraph.ErrorCode(err) != coopgraph.EUNAVAILABLE ||
			!strings.Contains(ns.Reason, "incomplete load") || !strings.Contains(ns.Reason, "coopgraph load") {
			t.Errorf("%s on an incomplete load: %v, want a NotServableError (UNAVAILABLE) naming the reason", call, err)
		}
	}
	_, err := s.Version(ctx)
	check("Version", err)
	_, err = s.Dataset(ctx)
	check("Dataset", err)
	_, err = s.Search(ctx, "pol", nil, 5)
	check("Search", err)
	_, err = s.Entities(ctx, []string{"c:PL"})
	check("Entities", err)
	_, _, err = s.Relations(ctx, "c:PL", coopgraph.NeighbourFilter{}, 0, 5)
	check("Relations", err)
	_, _, err = s.Neighbours(ctx, "c:PL", coopgraph.NeighbourFilter{}, 0, 5)
	check("Neighbours", err)
}

// TestALoadIsServableOnlyOnceComplete: the marker is "loading" from before
// the first write to the last; a load that fails midway (here: its
// context cancelled after some batches) leaves the store not servable, and
// the next complete load makes it servable again.
func TestALoadIsServableOnlyOnceComplete(t *testing.T) {
	s := openTestStore(t)
	ds := storetest.Seed(t)
	mustLoad(t, s, ds)
	v1, err := s.Version(context.Background())
	if err != nil || !strings.HasPrefix(v1, ds.Name+"@") {
		t.Fatalf("Version after a complete load: %q %v", v1, err)
	}
	if n := count(t, s, `MATCH (l:CoopgraphLoad {state: 'complete'}) WHERE l.run = l.id RETURN count(l) AS n`, nil); n != 1 {
		t.Errorf("a complete load's marker: %d complete markers, want 1", n)
	}

	// Stopped midway: after its marker said loading, before its last write.
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan error, 1)
	go func() {
		_, err := LoadWith(ctx, s, ds, LoadOptions{BatchSize: 1, Parallel: 1})
		stopped <- err
	}()
	for count(t, s, `MATCH (l:CoopgraphLoad {state: 'loading'}) RETURN count(l) AS n`, nil) == 0 {
		select {
		case err := <-stopped:
			t.Fatalf("the load ended (%v) before it was seen loading", err)
		default:
		}
	}
	cancel()
	if err := <-stopped; err == nil {
		t.Fatal("the load was not stopped midway: it completed")
	}
	expectNotServable(t, s)

	mustLoad(t, s, ds)
	v2, err := s.Version(context.Background())
	if err != nil || v2 == v1 {
		t.Errorf("Version after the next complete load: %q %v, want a new version (was %q)", v2, err, v1)
	}
	got, err := s.Dataset(context.Background())
	if err != nil || len(got.Entities) != len(ds.Entities) || len(got.Relations) != len(ds.Relations) {
		t.Errorf("Dataset after the next complete load: %v", err)
	}
}

// TestAMarkerFromBeforeStatesIsComplete: a database loaded by a coopgraph
// whose marker had no state (written last by a complete load) is served.
func TestAMarkerFromBeforeStatesIsComplete(t *testing.T) {
	s := openTestStore(t)
	ds := storetest.Seed(t)
	mustLoad(t, s, ds)
	if err := s.write(context.Background(), `MATCH (l:CoopgraphLoad) REMOVE l.state, l.run`, nil); err != nil {
		t.Fatal(err)
	}
	v, err := s.Version(context.Background())
	if err != nil || !strings.HasPrefix(v, ds.Name+"@") {
		t.Errorf("Version with an older marker: %q %v", v, err)
	}
	if es, err := s.Search(context.Background(), "malopolska", nil, 1); err != nil || len(es) != 1 {
		t.Errorf("Search with an older marker: %v %v", es, err)
	}
	// A state this version does not know is refused, saying so.
	if err := s.write(context.Background(), `MATCH (l:CoopgraphLoad) SET l.state = 'verifying'`, nil); err != nil {
		t.Fatal(err)
	}
	var ns *coopgraph.NotServableError
	if _, err := s.Version(context.Background()); !errors.As(err, &ns) || !strings.Contains(ns.Reason, "newer coopgraph") {
		t.Errorf("Version with an unknown state: %v", err)
	}
}

// BenchmarkMarkerCheck measures what the look at the load markers
// add to a small read: the same entity read with them (Store.Entities) and
// without (one read transaction of the same query).
func BenchmarkMarkerCheck(b *testing.B) {
	cfg := testConfig(storetest.Neo4j(b, "the marker benchmark"))
	ctx := context.Background()
	s, err := Open(ctx, cfg)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close(ctx)
	if err := Wipe(ctx, s); err != nil {
		b.Fatal(err)
	}
	if _, err := Load(ctx, s, storetest.Seed(b)); err != nil {
		b.Fatal(err)
	}
	ids := []string{"malopolskie"}
	b.Run("with", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.Entities(context.Background(), ids); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("without", func(b *testing.B) {
		for b.Loop() {
			if _, err := read(context.Background(), s, entitiesCypher, map[string]any{"ids": ids}, recordEntity("n")); err != nil {
				b.Fatal(err)
			}
		}
	})
}
