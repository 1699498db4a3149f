package server_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/graph"
	"github.com/coopgraph/coopgraph/memstore"
	"github.com/coopgraph/coopgraph/server"
	"github.com/coopgraph/coopgraph/server/graphqltest"
)

// changingStore is a store whose data can be replaced, as a database's is
// by a new load; its Dataset can be made to fail.
type changingStore struct {
	mu      sync.Mutex
	current *memstore.Store
	version string
	fail    error
}

func (c *changingStore) store() *memstore.Store {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.current
}

func (c *changingStore) load(ds *coopgraph.Dataset, version string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.current, c.version = memstore.New(ds), version
}

func (c *changingStore) failDataset(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.fail = err
}

func (c *changingStore) Search(ctx context.Context, text string, kinds []string, first int) ([]coopgraph.Entity, error) {
	return c.store().Search(ctx, text, kinds, first)
}
func (c *changingStore) Entities(ctx context.Context, ids []string) ([]coopgraph.Entity, error) {
	return c.store().Entities(ctx, ids)
}
func (c *changingStore) Relations(ctx context.Context, id string, f coopgraph.NeighbourFilter, offset, first int) ([]coopgraph.Relation, int, error) {
	return c.store().Relations(ctx, id, f, offset, first)
}
func (c *changingStore) Neighbours(ctx context.Context, id string, f coopgraph.NeighbourFilter, offset, first int) ([]coopgraph.Neighbour, int, error) {
	return c.store().Neighbours(ctx, id, f, offset, first)
}
func (c *changingStore) Dataset(ctx context.Context) (*coopgraph.Dataset, error) {
	c.mu.Lock()
	fail := c.fail
	c.mu.Unlock()
	if fail != nil {
		return nil, fail
	}
	return c.store().Dataset(ctx)
}
func (c *changingStore) Version(ctx context.Context) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.version, nil
}
func (c *changingStore) Ready(ctx context.Context) error { return nil }
func (c *changingStore) Close(ctx context.Context) error { return nil }

func TestWatchStoreSwapsTheSnapshotWhenALoadLands(t *testing.T) {
	before, after := newcomerLoad()

	st := &changingStore{}
	st.load(before, "v1")
	var logs logBuffer
	srv := &server.Server{Store: st, Logger: slog.New(slog.NewTextHandler(&logs, nil))}
	srv.SetSnapshot(graph.NewSnapshot(before))
	h := srv.Handler()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { srv.WatchStore(ctx, 5*time.Millisecond); close(done) }()
	defer func() { cancel(); <-done }()

	path := func() string {
		resp := graphqltest.Do(t, h, `{ shortestPath(from: "region-0000", to: "newcomer") { length } }`, nil)
		if len(resp.Errors) > 0 {
			return resp.Errors[0].Extensions.Code
		}
		return string(resp.Data)
	}
	first := srv.Snapshot()
	time.Sleep(30 * time.Millisecond)
	if srv.Snapshot() != first {
		t.Fatal("the snapshot was replaced while the store's version stayed the same")
	}
	if got := path(); got != "NOT_FOUND" {
		t.Fatalf("before the load: %s, want NOT_FOUND", got)
	}

	// A load whose dataset cannot be read keeps the old snapshot, and says why.
	st.failDataset(coopgraph.Errorf(coopgraph.EUNAVAILABLE, "neo4j is unavailable: test"))
	st.load(after, "v2")
	waitFor(t, func() bool { return strings.Contains(logs.String(), "snapshot refresh failed") })
	if srv.Snapshot() != first {
		t.Fatal("a failed read replaced the snapshot")
	}

	// Once it can be read, the new data is served.
	st.failDataset(nil)
	waitFor(t, func() bool { return srv.Snapshot() != first })
	if got := path(); got != `{"shortestPath":{"length":2}}` {
		t.Errorf("after the load: %s", got)
	}
	if !strings.Contains(logs.String(), "snapshot refreshed") {
		t.Errorf("no log of the refresh: %s", logs.String())
	}
	second := srv.Snapshot()
	time.Sleep(30 * time.Millisecond)
	if srv.Snapshot() != second {
		t.Error("the snapshot was rebuilt again without a new load")
	}
}

func TestWatchStoreDisabledAndStops(t *testing.T) {
	srv := &server.Server{Store: &changingStore{current: memstore.New(hubDataset(1))}}
	done := make(chan struct{})
	go func() { srv.WatchStore(context.Background(), 0); close(done) }()
	select {
	case <-done:
	case <-time.After(time.Second):
		t.Fatal("WatchStore with 0 did not return")
	}
	ctx, cancel := context.WithCancel(context.Background())
	done = make(chan struct{})
	go func() { srv.WatchStore(ctx, time.Millisecond); close(done) }()
	cancel()
	select {
	case <-done:
	case <-time.After(time.Second):
		t.Fatal("WatchStore did not stop with its context")
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal(errors.New("timed out waiting"))
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestWatchStoreNoticesALoadBeforeItStarts: a snapshot published with the
// version it was read at is refreshed when a load landed before the watch
// began (between serve's first read and the watch's start).
func TestWatchStoreNoticesALoadBeforeItStarts(t *testing.T) {
	before, after := newcomerLoad()
	st := &changingStore{}
	st.load(before, "v1")
	srv := &server.Server{Store: st}
	srv.PublishSnapshot(graph.NewSnapshot(before), "v1")
	st.load(after, "v2") // lands before the watch starts
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { srv.WatchStore(ctx, 5*time.Millisecond); close(done) }()
	defer func() { cancel(); <-done }()
	waitFor(t, func() bool { return srv.Snapshot().NumNodes() == len(after.Entities) })
}

// newcomerLoad is a network before and after a load that adds a region
// member of its hub.
func newcomerLoad() (before, after *coopgraph.Dataset) {
	before, after = hubDataset(3), hubDataset(3)
	after.Entities = append(after.Entities, coopgraph.Entity{ID: "newcomer", Kind: "Region", Name: "Newcomer"})
	after.Relations = append(after.Relations, coopgraph.Relation{ID: "m-newcomer", Type: "MEMBER_OF", From: "newcomer", To: "hub"})
	return before, after
}
