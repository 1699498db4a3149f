package server_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/server"
	"github.com/coopgraph/coopgraph/server/graphqltest"
)

// loadingStore is a changingStore that can hold a load that has not
// completed: then every read refuses, as the Neo4j store does.
type loadingStore struct {
	changingStore
	mu         sync.Mutex
	incomplete *coopgraph.NotServableError
}

func (l *loadingStore) begin(ds *coopgraph.Dataset) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.incomplete = &coopgraph.NotServableError{Reason: `the store holds an incomplete load of dataset "test": run coopgraph load again`}
	if ds != nil {
		l.load(ds, "being written")
	}
}

func (l *loadingStore) complete(ds *coopgraph.Dataset, version string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.incomplete = nil
	l.load(ds, version)
}

func (l *loadingStore) refusal() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.incomplete != nil {
		return l.incomplete
	}
	return nil
}

func (l *loadingStore) Search(ctx context.Context, text string, kinds []string, first int) ([]coopgraph.Entity, error) {
	if err := l.refusal(); err != nil {
		return nil, err
	}
	return l.changingStore.Search(ctx, text, kinds, first)
}
func (l *loadingStore) Entities(ctx context.Context, ids []string) ([]coopgraph.Entity, error) {
	if err := l.refusal(); err != nil {
		return nil, err
	}
	return l.changingStore.Entities(ctx, ids)
}
func (l *loadingStore) Relations(ctx context.Context, id string, f coopgraph.NeighbourFilter, offset, first int) ([]coopgraph.Relation, int, error) {
	if err := l.refusal(); err != nil {
		return nil, 0, err
	}
	return l.changingStore.Relations(ctx, id, f, offset, first)
}
func (l *loadingStore) Neighbours(ctx context.Context, id string, f coopgraph.NeighbourFilter, offset, first int) ([]coopgraph.Neighbour, int, error) {
	if err := l.refusal(); err != nil {
		return nil, 0, err
	}
	return l.changingStore.Neighbours(ctx, id, f, offset, first)
}
func (l *loadingStore) Dataset(ctx context.Context) (*coopgraph.Dataset, error) {
	if err := l.refusal(); err != nil {
		return nil, err
	}
	return l.changingStore.Dataset(ctx)
}
func (l *loadingStore) Version(ctx context.Context) (string, error) {
	if err := l.refusal(); err != nil {
		return "", err
	}
	return l.changingStore.Version(ctx)
}

// TestServerServesTheLastCompleteLoadOnly: started on a store holding an
// incomplete load, the server is not ready and refuses every query naming
// the reason; it serves the first complete load as soon as it lands; while
// a later load is incomplete it keeps answering from the last complete
// one, store reads included, and says why once in its log.
func TestServerServesTheLastCompleteLoadOnly(t *testing.T) {
	before, after := newcomerLoad()
	st := &loadingStore{}
	st.begin(before)
	var logs logBuffer
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("server log:\n%s", logs.String())
		}
	})
	srv := &server.Server{Store: st, Logger: slog.New(slog.NewTextHandler(&logs, nil))}
	_, err := st.Dataset(context.Background())
	srv.NoteServable(err) // as serve does with its first read
	h := srv.Handler()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { srv.WatchStore(ctx, 5*time.Millisecond); close(done) }()
	defer func() { cancel(); <-done }()

	readyz := func() (int, string) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
		var body struct{ Reason string }
		_ = json.Unmarshal(rec.Body.Bytes(), &body)
		return rec.Code, body.Reason
	}
	const newcomer = `{ entity(id: "newcomer") { name } search(text: "newcomer") { id } }`
	const path = `{ shortestPath(from: "region-0000", to: "newcomer") { length } }`

	// Nothing complete: not ready, every query refused with the reason.
	if code, reason := readyz(); code != 503 || !strings.Contains(reason, "incomplete load") {
		t.Errorf("/readyz on an incomplete load: %d %q", code, reason)
	}
	for _, q := range []string{newcomer, path, `{ search(text: "hub") { id } }`} {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(`{"query":`+jsonString(q)+`}`))
		req.Header.Set("Content-Type", "application/json")
		h.ServeHTTP(rec, req)
		if rec.Code != 503 || rec.Header().Get("Retry-After") == "" || !strings.Contains(rec.Body.String(), `"code":"UNAVAILABLE"`) ||
			!strings.Contains(rec.Body.String(), "incomplete load") || strings.Contains(rec.Body.String(), `"data"`) {
			t.Errorf("%s on an incomplete load: %d %s", q, rec.Code, rec.Body)
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/export/nodes.csv", nil))
	if rec.Code != 503 || !strings.Contains(rec.Body.String(), "incomplete load") {
		t.Errorf("export on an incomplete load: %d %.300s", rec.Code, rec.Body)
	}

	// The load completes: served.
	st.complete(before, "v1")
	waitFor(t, func() bool { return srv.Snapshot() != nil })
	if code, _ := readyz(); code != 200 {
		t.Errorf("/readyz after the load completed: %d", code)
	}
	if resp := graphqltest.Do(t, h, newcomer, nil); len(resp.Errors) != 1 || resp.Errors[0].Extensions.Code != "NOT_FOUND" {
		t.Fatalf("the first load has no newcomer: %+v", resp)
	}
	hub := graphqltest.Do(t, h, `{ entity(id: "hub") { neighbours(first: 100) { id } } search(text: "region") { id } }`, nil)
	if len(hub.Errors) > 0 {
		t.Fatalf("hub: %+v", hub.Errors)
	}
	first := srv.Snapshot()

	// A second load begins and stops midway: the first load is still
	// served, the snapshot and the store reads alike.
	st.begin(after)
	waitFor(t, func() bool { return strings.Contains(logs.String(), "snapshot not refreshed") })
	time.Sleep(30 * time.Millisecond) // more ticks: logged once
	if n := strings.Count(logs.String(), "snapshot not refreshed"); n != 1 {
		t.Errorf("the incomplete load is logged %d times, want once:\n%s", n, logs.String())
	}
	if srv.Snapshot() != first {
		t.Error("the snapshot was replaced during an incomplete load")
	}
	if resp := graphqltest.Do(t, h, newcomer, nil); len(resp.Errors) != 1 || resp.Errors[0].Extensions.Code != "NOT_FOUND" {
		t.Errorf("during the incomplete load, the newcomer: %+v, want NOT_FOUND (the last complete load)", resp)
	}
	if got := graphqltest.Do(t, h, `{ entity(id: "hub") { neighbours(first: 100) { id } } search(text: "region") { id } }`, nil); len(got.Errors) > 0 || string(got.Data) != string(hub.Data) {
		t.Errorf("during the incomplete load, store reads: %s %+v, want %s", got.Data, got.Errors, hub.Data)
	}
	if resp := graphqltest.Do(t, h, path, nil); len(resp.Errors) != 1 || resp.Errors[0].Extensions.Code != "NOT_FOUND" {
		t.Errorf("during the incomplete load, the path: %+v", resp)
	}
	if code, _ := readyz(); code != 200 {
		t.Errorf("/readyz while serving the last complete load: %d", code)
	}

	// Its rerun completes: the new data is served.
	st.complete(after, "v2")
	waitFor(t, func() bool { return srv.Snapshot() != first })
	if resp := graphqltest.Do(t, h, newcomer, nil); len(resp.Errors) > 0 || !strings.Contains(string(resp.Data), "Newcomer") {
		t.Errorf("after the rerun, the newcomer: %s %+v", resp.Data, resp.Errors)
	}
	if !strings.Contains(logs.String(), "complete loads only again") {
		t.Errorf("no log of the store being servable again:\n%s", logs.String())
	}
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// TestWatchStoreWithoutASnapshotReadsWhatTheStoreHolds: serve started on an
// incomplete load has no snapshot; if the load completes before the watch
// first looks, the watch must still read it, not take its version as seen.
func TestWatchStoreWithoutASnapshotReadsWhatTheStoreHolds(t *testing.T) {
	before, _ := newcomerLoad()
	st := &loadingStore{}
	st.begin(before)
	srv := &server.Server{Store: st}
	_, err := st.Dataset(context.Background())
	srv.NoteServable(err)
	st.complete(before, "v1") // before the watch begins
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { srv.WatchStore(ctx, 5*time.Millisecond); close(done) }()
	defer func() { cancel(); <-done }()
	waitFor(t, func() bool { return srv.Snapshot() != nil })
	if n := srv.Snapshot().NumNodes(); n != len(before.Entities) {
		t.Errorf("snapshot of %d entities, want %d", n, len(before.Entities))
	}
}
