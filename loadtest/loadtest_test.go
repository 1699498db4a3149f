package loadtest

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coopgraph/coopgraph/data"
	"github.com/coopgraph/coopgraph/graph"
	"github.com/coopgraph/coopgraph/loader"
	"github.com/coopgraph/coopgraph/memstore"
	"github.com/coopgraph/coopgraph/server"
)

// serveSeed serves the seed dataset on a loopback httptest server.
func serveSeed(t *testing.T) string {
	t.Helper()
	return serveSeedThrough(t, func(h http.Handler) http.Handler { return h })
}

// serveSeedThrough is serveSeed with the handler wrapped.
func serveSeedThrough(t *testing.T, wrap func(http.Handler) http.Handler) string {
	t.Helper()
	ds, err := loader.LoadFS(data.Seed(), "data/seed", data.SeedName)
	if err != nil {
		t.Fatal(err)
	}
	srv := &server.Server{Store: memstore.New(ds), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	srv.SetSnapshot(graph.NewSnapshot(ds))
	ts := httptest.NewServer(wrap(srv.Handler()))
	t.Cleanup(ts.Close)
	return ts.URL
}

// TestRun drives the seed dataset with every operation of the mix and a
// bounded number of requests: all of them answered without error, each
// operation measured.
func TestRun(t *testing.T) {
	url := serveSeed(t)
	rep, err := Run(context.Background(), Config{URL: url, Concurrency: 8, Requests: 600, Duration: time.Minute, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Requests != 600 {
		t.Errorf("%d requests, want exactly the 600 asked for", rep.Requests)
	}
	if rep.Errors != 0 {
		for _, s := range rep.Operations {
			if s.Errors > 0 {
				t.Errorf("%s: %d errors, first: %s", s.Operation, s.Errors, s.ErrorSeen)
			}
		}
	}
	seen := map[string]int{}
	for _, s := range rep.Operations {
		seen[s.Operation] = s.Requests
		if !(s.P50 > 0 && s.P50 <= s.P95 && s.P95 <= s.P99 && s.P99 <= s.Max) {
			t.Errorf("%s: quantiles out of order: %+v", s.Operation, s)
		}
	}
	for op, w := range DefaultMix {
		// 600 draws: each share within a wide margin of its weight.
		if want := 600 * w / 100; seen[op] < want/3 || seen[op] > want*3 {
			t.Errorf("%s: %d requests, expected about %d", op, seen[op], want)
		}
	}
	if rep.Throughput <= 0 {
		t.Errorf("throughput %v", rep.Throughput)
	}
	var b bytes.Buffer
	if err := rep.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	for _, op := range opNames() {
		if !strings.Contains(b.String(), op) {
			t.Errorf("report lacks %s:\n%s", op, b.String())
		}
	}
}

// TestRunDuration: without a request bound the run stops at its duration.
func TestRunDuration(t *testing.T) {
	url := serveSeed(t)
	start := time.Now()
	rep, err := Run(context.Background(), Config{URL: url, Concurrency: 4, Duration: 300 * time.Millisecond, Mix: map[string]int{OpEntity: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("the run took %s, bounded by 300ms", took)
	}
	if rep.Requests == 0 || rep.Errors != 0 || len(rep.Operations) != 1 || rep.Operations[0].Operation != OpEntity {
		t.Errorf("report %+v", rep)
	}
}

// TestRunAtARate: with a rate the requests are sent at that pace, not as
// fast as answered; and a server slower than the pace is charged for the
// backlog: latency counts from when each request was due, so it grows
// well past the server's own 20 ms (with one client, a closed loop would
// report 20 ms throughout).
func TestRunAtARate(t *testing.T) {
	url := serveSeed(t)
	rep, err := Run(context.Background(), Config{URL: url, Concurrency: 4, Rate: 400, Duration: 500 * time.Millisecond, Mix: map[string]int{OpEntity: 1}})
	if err != nil {
		t.Fatal(err)
	}
	// 200 due in 0.5 s; a loaded CI machine may fall short, never above.
	if rep.Requests > 200 || rep.Requests < 100 || rep.Errors != 0 || rep.Rate != 400 {
		t.Errorf("at 400/s for 0.5 s: %d requests, %d errors, rate %v", rep.Requests, rep.Errors, rep.Rate)
	}
	var b bytes.Buffer
	if err := rep.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "400 requests/s offered") {
		t.Errorf("report does not say the offered rate:\n%s", b.String())
	}

	slow := serveSeedThrough(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			time.Sleep(20 * time.Millisecond)
			h.ServeHTTP(w, r)
		})
	})
	rep, err = Run(context.Background(), Config{URL: slow, Concurrency: 1, Rate: 200, Duration: time.Second, Mix: map[string]int{OpEntity: 1}})
	if err != nil {
		t.Fatal(err)
	}
	st := rep.Operations[0]
	// At most 50 answered in the second, while 200 fell due: the last
	// answered waited about 0.75 s.
	if rep.Requests > 50 || st.P50 < 20 || st.Max < 300 {
		t.Errorf("a server 4 times slower than the pace: %d requests, p50 %.1f ms, max %.1f ms; want at most 50, p50 ≥ 20 ms, max ≥ 300 ms", rep.Requests, st.P50, st.Max)
	}
}

// TestLimits: non-loopback addresses and unbounded or oversized runs are
// refused before anything is sent.
func TestLimits(t *testing.T) {
	for _, bad := range []Config{
		{URL: "http://example.org:8080", Concurrency: 1, Duration: time.Second},
		{URL: "http://10.0.0.1:8080", Concurrency: 1, Duration: time.Second},
		{URL: "http://[2001:db8::1]:8080", Concurrency: 1, Duration: time.Second},
		{URL: "ftp://127.0.0.1", Concurrency: 1, Duration: time.Second},
		{URL: "http://127.0.0.1:1", Concurrency: 0, Duration: time.Second},
		{URL: "http://127.0.0.1:1", Concurrency: MaxConcurrency + 1, Duration: time.Second},
		{URL: "http://127.0.0.1:1", Concurrency: 1, Duration: 0},
		{URL: "http://127.0.0.1:1", Concurrency: 1, Duration: MaxDuration + time.Second},
		{URL: "http://127.0.0.1:1", Concurrency: 1, Duration: time.Second, Requests: MaxRequests + 1},
		{URL: "http://127.0.0.1:1", Concurrency: 1, Duration: time.Second, Mix: map[string]int{"drop": 1}},
		{URL: "http://127.0.0.1:1", Concurrency: 1, Duration: time.Second, Mix: map[string]int{OpSearch: 0}},
		{URL: "http://127.0.0.1:1", Concurrency: 1, Duration: time.Second, Rate: -1},
		{URL: "http://127.0.0.1:1", Concurrency: 1, Duration: time.Second, Rate: MaxRate + 1},
		{URL: "https://127.0.0.1:1", Concurrency: 1, Duration: time.Second},
	} {
		if _, err := Run(context.Background(), bad); err == nil {
			t.Errorf("%+v: accepted", bad)
		}
	}
	for _, ok := range []string{"http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:8080", "http://127.1.2.3"} {
		if err := CheckLoopback(ok); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
}
