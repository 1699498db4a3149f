package server_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/gen"
	"github.com/coopgraph/coopgraph/graph"
	"github.com/coopgraph/coopgraph/loader"
	"github.com/coopgraph/coopgraph/memstore"
	"github.com/coopgraph/coopgraph/server"
)

// programme is a generated network of a programme's shape (gen, calibrated
// on CORDIS H2020) on which betweenness and closeness take seconds.
var programme = sync.OnceValues(func() (*coopgraph.Dataset, error) {
	nw, err := gen.New(gen.Config{Participations: 40000, Seed: 13})
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "coopgraph-programme-")
	if err != nil {
		return nil, err
	}
	defer func() { _ = os.RemoveAll(dir) }() // a temporary directory; nothing depends on its removal
	if err := nw.WriteDir(context.Background(), dir, true); err != nil {
		return nil, err
	}
	return loader.LoadDir(dir, "generated")
})

// programmeServer serves the generated programme with the given settings.
func programmeServer(t *testing.T, srv *server.Server) *httptest.Server {
	t.Helper()
	if testing.Short() {
		t.Skip("computes on a generated programme for some seconds")
	}
	ds, err := programme()
	if err != nil {
		t.Fatal(err)
	}
	srv.Store = memstore.New(ds)
	srv.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	srv.SetSnapshot(graph.NewSnapshot(ds))
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts
}

// analyticsRunning reads coopgraph_analytics_running and _waiting from
// /metrics.
func analyticsBusy(t *testing.T, base string) (running, waiting string) {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	for _, line := range strings.Split(string(body), "\n") {
		if v, ok := strings.CutPrefix(line, "coopgraph_analytics_running "); ok {
			running = v
		}
		if v, ok := strings.CutPrefix(line, "coopgraph_analytics_waiting "); ok {
			waiting = v
		}
	}
	return running, waiting
}

// waitAnalyticsIdle waits until /metrics shows no analytics running or
// waiting, and returns how long that took; it fails after limit.
func waitAnalyticsIdle(t *testing.T, base string, limit time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	for {
		r, w := analyticsBusy(t, base)
		if r == "0" && w == "0" {
			return time.Since(start)
		}
		if time.Since(start) > limit {
			t.Fatalf("%s after the answer, analytics still running %s, waiting %s", limit, r, w)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestWorkStopsWithItsRequest (issue 13, attack 1): a betweenness that
// cannot finish in time answers UNAVAILABLE at the request's time limit,
// and the computation behind it, and behind ten aliases of it with other
// relation types, stops with it instead of running on for minutes.
func TestWorkStopsWithItsRequest(t *testing.T) {
	ts := programmeServer(t, &server.Server{RequestTimeout: 500 * time.Millisecond, AnalyticsProcs: 1, AnalyticsQueue: 16})
	client := &http.Client{Timeout: 30 * time.Second}
	types := []string{`["PARTICIPATES_IN"]`, `["LOCATED_IN"]`, `["PARTICIPATES_IN", "LOCATED_IN"]`, `[]`}
	var q strings.Builder
	q.WriteString("{ ")
	for i, ty := range types {
		q.WriteString("a" + string(rune('0'+i)) + `: centrality(measure: BETWEENNESS, first: 1, relationTypes: ` + ty + `) { score } `)
	}
	q.WriteString("}")
	a := ask(client, ts.URL, q.String(), nil)
	if a.status != http.StatusServiceUnavailable || !a.onlyCode("UNAVAILABLE") {
		t.Fatalf("answer %d %s, want 503 UNAVAILABLE at the time limit", a.status, a.body)
	}
	if a.took > 3*time.Second {
		t.Errorf("answered after %s; the time limit is 500ms", a.took)
	}
	idle := waitAnalyticsIdle(t, ts.URL, 2*time.Second)
	t.Logf("answered 503 after %s; analytics idle %s later", a.took.Round(time.Millisecond), idle.Round(time.Millisecond))

	// The same through the export: the client gives up after 300 ms.
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, ts.URL+"/export/nodes.csv?measure=closeness", nil)
	if resp, err := client.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("the export answered %d within 300 ms; the test needs a slower one", resp.StatusCode)
	}
	idle = waitAnalyticsIdle(t, ts.URL, 2*time.Second)
	t.Logf("export abandoned by its client after 300ms; analytics idle %s later", idle.Round(time.Millisecond))
}

// TestBusyAnalyticsAnswerUnavailableWithRetryAfter: with the analytics
// core taken and the queue full, another computation is refused at once
// with UNAVAILABLE and Retry-After, and requests asking for a computation
// already running join it rather than queueing a second.
func TestBusyAnalyticsAnswerUnavailableWithRetryAfter(t *testing.T) {
	ts := programmeServer(t, &server.Server{RequestTimeout: 20 * time.Second, AnalyticsProcs: 1, AnalyticsQueue: 1})
	client := &http.Client{Timeout: 30 * time.Second}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	post := func(query string) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, ts.URL+"/graphql", strings.NewReader(`{"query":"`+query+`"}`))
		req.Header.Set("Content-Type", "application/json")
		if resp, err := client.Do(req); err == nil {
			resp.Body.Close()
		}
	}
	var wg sync.WaitGroup
	// Runs; three more join it; one waits.
	for range 4 {
		wg.Go(func() { post(`{ centrality(measure: CLOSENESS, first: 1) { score } }`) })
	}
	wg.Go(func() { post(`{ centrality(measure: HARMONIC, first: 1) { score } }`) })
	deadline := time.Now().Add(5 * time.Second)
	for {
		r, w := analyticsBusy(t, ts.URL)
		if r == "1" && w == "1" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("analytics running %s, waiting %s; want 1 and 1", r, w)
		}
		time.Sleep(2 * time.Millisecond)
	}
	a := ask(client, ts.URL, `{ centrality(measure: BETWEENNESS, first: 1) { score } }`, nil)
	if !a.onlyCode("UNAVAILABLE") || a.header.Get("Retry-After") == "" {
		t.Errorf("third computation: %d %s, Retry-After %q; want UNAVAILABLE with Retry-After", a.status, a.body, a.header.Get("Retry-After"))
	}
	if a.took > time.Second {
		t.Errorf("refused after %s; a refusal must not wait", a.took)
	}
	cancel()
	wg.Wait()
	t.Logf("refused in %s; analytics idle %s after the clients left", a.took.Round(time.Millisecond), waitAnalyticsIdle(t, ts.URL, 2*time.Second).Round(time.Millisecond))
}
