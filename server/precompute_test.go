package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coopgraph/coopgraph/gen"
	"github.com/coopgraph/coopgraph/graph"
	"github.com/coopgraph/coopgraph/loader"
	"github.com/coopgraph/coopgraph/memstore"
	"github.com/coopgraph/coopgraph/server"
	"github.com/coopgraph/coopgraph/server/graphqltest"
)

// TestPrecomputeShowsProgress: a server that precomputes has every exact
// ranking of the seed ready soon after publishing, and says so in
// centralityProgress, /readyz (exactRankings) and /metrics; its answers
// say they are exact (the seed is below graph.AnytimeMinNodes, so no
// approximation is ever served for it).
func TestPrecomputeShowsProgress(t *testing.T) {
	ds := seedDataset(t)
	srv := &server.Server{Store: memstore.New(ds), Precompute: true}
	h := srv.Handler()
	srv.SetSnapshot(graph.NewSnapshot(ds))
	defer srv.StopPrecompute()
	var ready map[string]bool
	for deadline := time.Now().Add(10 * time.Second); ; {
		var body struct{ ExactRankings map[string]bool }
		if err := json.Unmarshal(get(t, h, "/readyz").Body.Bytes(), &body); err != nil {
			t.Fatal(err)
		}
		ready = body.ExactRankings
		done := len(ready) == len(graph.Measures)
		for m, ok := range ready {
			done = done && (ok || m == string(graph.Eigenvector)) // the seed's eigenvector may not converge: an error, kept
		}
		if done || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !ready[string(graph.Betweenness)] {
		t.Fatalf("/readyz exactRankings %v: betweenness not ready within 10 s", ready)
	}
	metrics := get(t, h, "/metrics").Body.String()
	if !strings.Contains(metrics, `coopgraph_centrality_exact_ready{measure="BETWEENNESS"} 1`) {
		t.Errorf("/metrics lacks the betweenness progress")
	}
	var got struct {
		CentralityProgress []struct {
			Measure    string
			ExactReady bool
		}
		CentralityConnection struct {
			Exact   bool
			Epsilon *float64
		}
	}
	graphqltest.Data(t, h, `{ centralityProgress { measure exactReady }
		centralityConnection(measure: BETWEENNESS, first: 3) { exact epsilon } }`, nil, &got)
	if len(got.CentralityProgress) != len(graph.Measures) || !got.CentralityConnection.Exact || got.CentralityConnection.Epsilon != nil {
		t.Errorf("got %+v", got)
	}
	// A certified approximation asked for says its bound.
	var est struct {
		Centrality []struct {
			Exact          bool
			Epsilon, Delta float64
		}
	}
	graphqltest.Data(t, h, `{ centrality(measure: BETWEENNESS, epsilon: 0.1, first: 2) { exact epsilon delta } }`, nil, &est)
	if len(est.Centrality) != 2 || est.Centrality[0].Exact || est.Centrality[0].Epsilon != 0.1 || est.Centrality[0].Delta != graph.DefaultBetweennessDelta {
		t.Errorf("approximation asked for: %+v", est)
	}
}

// TestPrecomputeAnytime: on a network of graph.AnytimeMinNodes entities or
// more, a server that precomputes answers BETWEENNESS, CLOSENESS and
// HARMONIC at once with a certified approximation while their exact
// rankings are being computed (exact false, with epsilon and delta; by
// kind, and on relation types it does not precompute, whose exact ranking
// the approximate answer starts in the background), shows the progress in
// centralityProgress, /readyz and /metrics, and answers the same requests
// exactly once the exact rankings are ready; exact: true waits for them.
func TestPrecomputeAnytime(t *testing.T) {
	if testing.Short() {
		t.Skip("computes every exact ranking of a generated programme")
	}
	nw, err := gen.New(gen.Config{Participations: 12000, Seed: 13})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := nw.WriteDir(context.Background(), dir, true); err != nil {
		t.Fatal(err)
	}
	ds, err := loader.LoadDir(dir, "generated")
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Entities) < graph.AnytimeMinNodes {
		t.Fatalf("the programme has %d entities, fewer than %d", len(ds.Entities), graph.AnytimeMinNodes)
	}
	srv := &server.Server{Store: memstore.New(ds), Precompute: true}
	h := srv.Handler()
	srv.SetSnapshot(graph.NewSnapshot(ds))
	defer srv.StopPrecompute()
	type answer struct {
		CentralityConnection struct {
			Exact                  bool
			Epsilon, Delta         *float64
			ExactExpectedInSeconds *float64
			TotalCount             int
		}
	}
	ask := func(measure, args string) answer {
		var a answer
		graphqltest.Data(t, h, `{ centralityConnection(measure: `+measure+args+`, first: 5) {
			exact epsilon delta exactExpectedInSeconds totalCount } }`, nil, &a)
		return a
	}
	queries := []struct{ measure, args string }{
		{"BETWEENNESS", ""},
		{"HARMONIC", `, relationTypes: ["PARTICIPATES_IN"]`}, // not precomputed: started on demand
		{"CLOSENESS", `, kinds: ["Organisation"]`},
		{"HARMONIC", ""},
	}
	ids := topIDs(t, h)
	if sc := scoresOf(t, h, "HARMONIC", ids); !sc[0].Exact && (sc[0].Epsilon == nil || sc[0].Delta == nil) {
		t.Errorf("scores, approximate without its bound: %+v", sc)
	}
	approximate := 0
	for _, q := range queries {
		c := ask(q.measure, q.args).CentralityConnection
		t.Logf("%s%s at once: %+v", q.measure, q.args, c)
		if c.Exact {
			continue // its exact ranking was quicker than the request
		}
		approximate++
		if c.Epsilon == nil || c.Delta == nil || *c.Delta != graph.AnytimeDelta || *c.Epsilon < 0 {
			t.Errorf("%s%s: an approximation without its bound: %+v", q.measure, q.args, c)
		}
	}
	if approximate == 0 {
		t.Error("no approximate answer before the exact rankings")
	}
	if c := ask("CLOSENESS", ", exact: true").CentralityConnection; !c.Exact || c.Epsilon != nil {
		t.Errorf("exact: true: %+v", c)
	}
	waitExactRankings(t, h)
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(50 * time.Millisecond) {
		if c := ask(queries[1].measure, queries[1].args).CentralityConnection; c.Exact || time.Now().After(deadline) {
			break
		}
	}
	for _, q := range queries {
		if c := ask(q.measure, q.args).CentralityConnection; !c.Exact || c.Epsilon != nil || c.ExactExpectedInSeconds != nil {
			t.Errorf("%s%s once ready: %+v", q.measure, q.args, c)
		}
	}
	for _, sc := range scoresOf(t, h, "HARMONIC", ids) {
		if !sc.Exact || sc.Epsilon != nil || sc.Rank < 1 {
			t.Errorf("scores once ready: %+v", sc)
		}
	}
	checkReadyProgress(t, h)
}

type entityScore struct {
	ID             string
	Score          float64
	Rank           int
	Exact          bool
	Epsilon, Delta *float64
}

// topIDs are the ids of the three entities of highest degree.
func topIDs(t *testing.T, h http.Handler) []string {
	t.Helper()
	var d struct {
		CentralityConnection struct {
			Edges []struct {
				Node struct{ Entity struct{ ID string } }
			}
		}
	}
	graphqltest.Data(t, h, `{ centralityConnection(measure: DEGREE, first: 3) { edges { node { entity { id } } } } }`, nil, &d)
	var ids []string
	for _, e := range d.CentralityConnection.Edges {
		ids = append(ids, e.Node.Entity.ID)
	}
	return ids
}

// scoresOf is the page's scores query for ids.
func scoresOf(t *testing.T, h http.Handler, measure string, ids []string) []entityScore {
	t.Helper()
	var d struct{ Scores []entityScore }
	graphqltest.Data(t, h, `query($ids: [ID!]!) { scores(measure: `+measure+`, ids: $ids) { id score rank exact epsilon delta } }`,
		map[string]any{"ids": ids}, &d)
	if len(d.Scores) != len(ids) {
		t.Fatalf("scores of %d ids: %+v", len(ids), d.Scores)
	}
	return d.Scores
}

// waitExactRankings waits until /readyz says every exact ranking is ready.
func waitExactRankings(t *testing.T, h http.Handler) {
	t.Helper()
	var ready bool
	for deadline := time.Now().Add(2 * time.Minute); !ready && time.Now().Before(deadline); {
		var body struct {
			ExactProgress map[string]struct {
				Ready bool
				Done  float64
			}
		}
		if err := json.Unmarshal(get(t, h, "/readyz").Body.Bytes(), &body); err != nil {
			t.Fatal(err)
		}
		ready = len(body.ExactProgress) == len(graph.Measures)
		for _, p := range body.ExactProgress {
			ready = ready && p.Ready && p.Done == 1
		}
		time.Sleep(50 * time.Millisecond)
	}
	if !ready {
		t.Fatal("the exact rankings were not ready within 2 minutes")
	}
}

// checkReadyProgress: centralityProgress and /metrics say every exact
// ranking is ready.
func checkReadyProgress(t *testing.T, h http.Handler) {
	t.Helper()
	var progress struct {
		CentralityProgress []struct {
			Measure           string
			ExactReady        bool
			Done              float64
			ExpectedInSeconds *float64
		}
	}
	graphqltest.Data(t, h, `{ centralityProgress { measure exactReady done expectedInSeconds } }`, nil, &progress)
	for _, p := range progress.CentralityProgress {
		if !p.ExactReady || p.Done != 1 || p.ExpectedInSeconds == nil || *p.ExpectedInSeconds != 0 {
			t.Errorf("centralityProgress once ready: %+v", p)
		}
	}
	metrics := get(t, h, "/metrics").Body.String()
	for _, want := range []string{`coopgraph_centrality_exact_done_ratio{measure="HARMONIC"} 1`, `coopgraph_centrality_exact_expected_seconds{measure="CLOSENESS"} 0`} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

// TestPrecomputeExactTooLate: a request insisting on an exact ranking that
// the server is computing and expects only after the request's time limit
// is refused at once, UNAVAILABLE, saying when to ask again.
func TestPrecomputeExactTooLate(t *testing.T) {
	ds, err := programme() // exact betweenness takes tens of seconds
	if err != nil {
		t.Fatal(err)
	}
	if testing.Short() {
		t.Skip("computes on a generated programme for some seconds")
	}
	srv := &server.Server{Store: memstore.New(ds), Precompute: true, RequestTimeout: 2 * time.Second}
	h := srv.Handler()
	srv.SetSnapshot(graph.NewSnapshot(ds))
	defer srv.StopPrecompute()
	for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(100 * time.Millisecond) {
		var p struct {
			CentralityProgress []struct {
				Measure           string
				ExpectedInSeconds *float64
			}
		}
		graphqltest.Data(t, h, `{ centralityProgress { measure expectedInSeconds } }`, nil, &p)
		var eta *float64
		for _, m := range p.CentralityProgress {
			if m.Measure == "BETWEENNESS" {
				eta = m.ExpectedInSeconds
			}
		}
		if eta != nil && *eta > 5 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no expected time beyond 5 s for the exact betweenness within 2 minutes")
		}
	}
	start := time.Now()
	resp := graphqltest.Do(t, h, `{ centralityConnection(measure: BETWEENNESS, exact: true, first: 3) { exact } }`, nil)
	took := time.Since(start)
	if len(resp.Errors) != 1 || resp.Errors[0].Extensions.Code != "UNAVAILABLE" || !strings.Contains(resp.Errors[0].Message, "expected in") {
		t.Fatalf("exact: true, expected later: %+v", resp.Errors)
	}
	if took > time.Second {
		t.Errorf("refused after %v, not at once", took)
	}
	t.Logf("%s (in %v)", resp.Errors[0].Message, took.Round(time.Millisecond))
	// Retry-After says when: a client that insists on exact waits that long.
	rec := post(t, h, `{"query":"{ centralityConnection(measure: BETWEENNESS, exact: true, first: 3) { exact } }"}`, nil)
	if after, err := strconv.Atoi(rec.Header().Get("Retry-After")); err != nil || after <= 5 {
		t.Errorf("Retry-After %q, want the seconds the exact ranking is expected in (over 5)", rec.Header().Get("Retry-After"))
	}
}
