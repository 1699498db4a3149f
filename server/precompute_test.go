package server_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/coopgraph/coopgraph/graph"
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
