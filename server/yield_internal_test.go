package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/graph"
	"github.com/coopgraph/coopgraph/loader"
	"github.com/coopgraph/coopgraph/memstore"
)

// blockingStore holds every search until release is closed.
type blockingStore struct {
	*memstore.Store
	entered chan struct{}
	release chan struct{}
}

func (b blockingStore) Search(ctx context.Context, text string, kinds []string, first int) ([]coopgraph.Entity, error) {
	b.entered <- struct{}{}
	<-b.release
	return b.Store.Search(ctx, text, kinds, first)
}

// The server is busy, for its background computations, while a GraphQL
// request is being answered, and idle soon after.
func TestBusyWhileAnswering(t *testing.T) {
	ds, err := loader.LoadDir("../data/seed", "seed")
	if err != nil {
		t.Fatal(err)
	}
	st := blockingStore{memstore.New(ds), make(chan struct{}), make(chan struct{})}
	srv := &Server{Store: st}
	srv.SetSnapshot(graph.NewSnapshot(ds))
	h := srv.Handler()
	if srv.busy() {
		t.Fatal("busy before any request")
	}
	done := make(chan int)
	go func() {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(`{"query":"{ search(text: \"Malopolska\") { id } }"}`))
		req.Header.Set("Content-Type", "application/json")
		h.ServeHTTP(rec, req)
		done <- rec.Code
	}()
	select {
	case <-st.entered:
	case code := <-done:
		t.Fatalf("answered %d without searching", code)
	}
	if !srv.busy() {
		t.Error("not busy while a request is answered")
	}
	close(st.release)
	if code := <-done; code != http.StatusOK {
		t.Fatalf("status %d", code)
	}
	// Busy a moment longer (quietAfter), then idle.
	deadline := time.Now().Add(time.Second)
	for srv.busy() && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if srv.busy() {
		t.Errorf("still busy %v after the request was answered", time.Second)
	}
}
