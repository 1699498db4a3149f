package server

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/graph"
	"github.com/coopgraph/coopgraph/memstore"
	"github.com/coopgraph/coopgraph/server/graphqltest"
	"github.com/coopgraph/coopgraph/sources"
)

// TestColdStartCentrality times the first centrality request of every
// measure on the built-in linked network (111k entities) and on CORDIS
// H2020 with its countries (data/cordis-h2020, 67k), right after the
// snapshot is published by a server that precomputes (as `coopgraph serve`
// does by default): the target is under a second each, exact or a
// certified approximation (exact false, with epsilon and delta). It needs
// a few cores for several seconds, so it runs only with COOPGRAPH_COLDSTART=1
// (go test ./server -run TestColdStartCentrality -v), or a comma-separated
// list of measures; the times it logs are the figures of BENCHMARKS.md.
func TestColdStartCentrality(t *testing.T) {
	if os.Getenv("COOPGRAPH_COLDSTART") == "" {
		t.Skip("set COOPGRAPH_COLDSTART=1 to time the first centrality requests on the linked network")
	}
	measures := graph.MeasureNames(false)
	if v := os.Getenv("COOPGRAPH_COLDSTART"); v != "1" {
		measures = strings.Split(v, ",") // e.g. BETWEENNESS,PAGERANK
	}
	for _, rn := range sources.RealNetworks() {
		t.Run(rn.Name, func(t *testing.T) {
			ds, err := rn.Load()
			if err != nil {
				t.Fatal(err)
			}
			coldStart(t, ds, measures)
		})
	}
}

func coldStart(t *testing.T, ds *coopgraph.Dataset, measures []string) {
	t.Logf("%d entities, %d relations", len(ds.Entities), len(ds.Relations))
	for _, measure := range measures {
		srv := &Server{Store: memstore.New(ds), Precompute: true}
		h := srv.Handler()
		srv.SetSnapshot(graph.NewSnapshot(ds))
		start := time.Now()
		resp := graphqltest.Do(t, h, fmt.Sprintf(`{ centralityConnection(measure: %s, first: 10) { exact epsilon delta exactExpectedInSeconds totalCount edges { node { score entity { id } } } } }`, measure), nil)
		took := time.Since(start)
		srv.StopPrecompute()
		if len(resp.Errors) > 0 {
			t.Errorf("%s: %+v", measure, resp.Errors)
			continue
		}
		var got struct {
			CentralityConnection struct {
				Exact          bool
				Epsilon, Delta *float64
			}
		}
		if err := json.Unmarshal(resp.Data, &got); err != nil {
			t.Fatal(err)
		}
		c := got.CentralityConnection
		if !c.Exact && (c.Epsilon == nil || c.Delta == nil) {
			t.Errorf("%s: an approximation without its bound: %s", measure, resp.Data)
		}
		t.Logf("%-12s first answer in %6.0f ms: %.260s", measure, took.Seconds()*1000, resp.Data)
		if took > time.Second {
			t.Errorf("%s: the first answer took %v, over a second", measure, took)
		}
	}
}
