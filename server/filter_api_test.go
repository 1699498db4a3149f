package server_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/memstore"
	"github.com/coopgraph/coopgraph/server/graphqltest"
)

// TestFilterArgumentsErrorsNameTheValue: every field taking the views'
// filter refuses a bad value with INVALID_ARGUMENT (LIMIT_EXCEEDED past
// the limit of values) and names it.
func TestFilterArgumentsErrorsNameTheValue(t *testing.T) {
	ds := pageSeed(t)
	h := servePage(t, memstore.New(ds), ds)
	fields := []string{
		`centralityConnection(measure: DEGREE, filter: %s) { totalCount }`,
		`search(text: "region", filter: %s) { id }`,
		`subgraph(ids: ["malopolskie"], filter: %s) { hidden }`,
		`allShortestPaths(from: "opolskie", to: "malopolskie", filter: %s) { length }`,
		`kShortestPaths(from: "opolskie", to: "malopolskie", k: 2, filter: %s) { length }`,
		`shortestPath(from: "opolskie", to: "malopolskie", filter: %s) { length }`,
		`shortestPathSubgraph(from: "opolskie", to: "malopolskie", filter: %s) { length }`,
		`entity(id: "malopolskie") { neighboursConnection(filter: %s) { totalCount } }`,
	}
	many := make([]string, 51)
	for i := range many {
		many[i] = fmt.Sprintf("%q", fmt.Sprint("c", i))
	}
	for _, bad := range []struct{ filter, code, names string }{
		{`{kinds: ["Planet"]}`, coopgraph.EINVALID, `"Planet"`},
		{`{countries: ["malopolskie"]}`, coopgraph.EINVALID, `"malopolskie"`},
		{`{regions: ["poland"]}`, coopgraph.EINVALID, `"poland"`},
		{`{programmes: ["atlantis"]}`, coopgraph.EINVALID, `"atlantis"`},
		{`{datasets: ["wikipedia"]}`, coopgraph.EINVALID, `"wikipedia"`},
		{`{activeFrom: "2013-02-30"}`, coopgraph.EINVALID, `"2013-02-30"`},
		{`{activeFrom: "2016", activeTo: "2015"}`, coopgraph.EINVALID, `"2016"`},
		{`{countries: [` + strings.Join(many, ", ") + `]}`, coopgraph.ELIMIT, "countries"},
	} {
		for _, f := range fields {
			doc := "{ " + fmt.Sprintf(f, bad.filter) + " }"
			r := graphqltest.Do(t, h, doc, nil)
			if len(r.Errors) != 1 || r.Errors[0].Extensions.Code != bad.code || !strings.Contains(r.Errors[0].Message, bad.names) {
				t.Errorf("%.150s: got %+v, want %s naming %s", doc, r.Errors, bad.code, bad.names)
			}
		}
	}
}

// TestFilteredViewsAgree: on the seed, the entities the filter keeps are
// the same for the rankings, the subgraph and search, and paths pass only
// through them.
func TestFilteredViewsAgree(t *testing.T) {
	ds := pageSeed(t)
	h := servePage(t, memstore.New(ds), ds)
	const filter = `{countries: ["poland"], kinds: ["Region", "Organisation", "Network"]}`
	var ranked struct {
		CentralityConnection struct {
			TotalCount int
			Edges      []struct {
				Node struct{ Entity struct{ ID, Kind string } }
			}
		}
	}
	graphqltest.Data(t, h, `{ centralityConnection(measure: DEGREE, first: 1000, filter: `+filter+`) { totalCount edges { node { entity { id kind } } } } }`, nil, &ranked)
	var ids []string
	for _, e := range ranked.CentralityConnection.Edges {
		ids = append(ids, e.Node.Entity.ID)
	}
	if len(ids) < 5 || len(ids) >= len(ds.Entities) || ranked.CentralityConnection.TotalCount != len(ids) {
		t.Fatalf("ranked %d of %d entities (total %d)", len(ids), len(ds.Entities), ranked.CentralityConnection.TotalCount)
	}
	every := make([]string, len(ds.Entities))
	for i, e := range ds.Entities {
		every[i] = e.ID
	}
	var sub struct {
		Subgraph struct {
			Hidden   int
			Entities []struct{ ID string }
		}
	}
	graphqltest.Data(t, h, `query($ids: [ID!]!) { subgraph(ids: $ids, filter: `+filter+`) { hidden entities { id } } }`, map[string]any{"ids": every}, &sub)
	if sub.Subgraph.Hidden != len(every)-len(ids) || len(sub.Subgraph.Entities) != len(ids) {
		t.Errorf("subgraph kept %d and hid %d; the ranking kept %d of %d", len(sub.Subgraph.Entities), sub.Subgraph.Hidden, len(ids), len(every))
	}
	in := map[string]bool{}
	for _, id := range ids {
		in[id] = true
	}
	for _, e := range sub.Subgraph.Entities {
		if !in[e.ID] {
			t.Errorf("subgraph keeps %s, which the ranking leaves out", e.ID)
		}
	}
	var found struct{ Search []struct{ ID string } }
	graphqltest.Data(t, h, `{ search(text: "a", first: 1000, filter: `+filter+`) { id } }`, nil, &found)
	for _, e := range found.Search {
		if !in[e.ID] {
			t.Errorf("search finds %s, which the ranking leaves out", e.ID)
		}
	}
	var paths struct {
		KShortestPaths []struct{ Nodes []struct{ ID string } }
	}
	graphqltest.Data(t, h, `{ kShortestPaths(from: "opolskie", to: "malopolskie", k: 5, filter: `+filter+`) { nodes { id } } }`, nil, &paths)
	if len(paths.KShortestPaths) == 0 {
		t.Fatal("no path through Polish regions, organisations and networks")
	}
	for _, p := range paths.KShortestPaths {
		for _, n := range p.Nodes[1 : len(p.Nodes)-1] {
			if !in[n.ID] {
				t.Errorf("a path passes through %s, which the filter leaves out", n.ID)
			}
		}
	}
}
