package server_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/coopgraph/coopgraph/data"
	"github.com/coopgraph/coopgraph/graph"
	"github.com/coopgraph/coopgraph/loader"
	"github.com/coopgraph/coopgraph/memstore"
	"github.com/coopgraph/coopgraph/server"
	"github.com/coopgraph/coopgraph/server/graphqltest"
)

// seedHandler serves the built-in seed dataset from the embedded store.
func seedHandler(t testing.TB) http.Handler {
	t.Helper()
	ds, err := loader.LoadFS(data.Seed(), "data/seed", data.SeedName)
	if err != nil {
		t.Fatal(err)
	}
	srv := &server.Server{Store: memstore.New(ds), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	srv.SetSnapshot(graph.NewSnapshot(ds))
	return srv.Handler()
}

type entity struct {
	ID, Kind, Name string
	Aliases        []string
}

func TestSearchFindsTheRightRegionFirst(t *testing.T) {
	h := seedHandler(t)
	for text, want := range map[string]string{
		"Malopolska":    "malopolskie",
		"Małopolska":    "malopolskie",
		"lesser poland": "malopolskie",
		"Slaskie":       "slaskie",
		"ŚLĄSKIE":       "slaskie",
		"Opolskie":      "opolskie",
		"Vanguard":      "vanguard-initiative",
		"Awangarda":     "vanguard-initiative",
		"symbi":         "symbi",
		"Turyn":         "turin",
		"miasto turyn":  "city-of-turin",
	} {
		var got struct{ Search []entity }
		graphqltest.Data(t, h, `query($t: String!) { search(text: $t) { id kind name aliases } }`, map[string]any{"t": text}, &got)
		if len(got.Search) == 0 || got.Search[0].ID != want {
			t.Errorf("search %q: first is %+v, want %s", text, got.Search, want)
		}
	}
}

func TestShortestPathOpolskieMalopolskieRunsThroughDomPolskiPoludniowej(t *testing.T) {
	h := seedHandler(t)
	var got struct {
		ShortestPath struct {
			Length    int
			Nodes     []entity
			Relations []struct {
				Type     string
				From, To entity
				Document string
				Quote    string
			}
		}
		AllShortestPaths []struct{ Nodes []entity }
	}
	graphqltest.Data(t, h, `{
	  shortestPath(from: "opolskie", to: "malopolskie") { length nodes { id name } relations { type from { id } to { id } document quote } }
	  allShortestPaths(from: "opolskie", to: "malopolskie") { nodes { id } } }`, nil, &got)
	p := got.ShortestPath
	if p.Length != 2 || len(p.Nodes) != 3 || p.Nodes[1].ID != "dom-polski-poludniowej" {
		t.Fatalf("path %+v, want opolskie – dom-polski-poludniowej – malopolskie", p)
	}
	for _, r := range p.Relations {
		if r.Document == "" || r.Quote == "" {
			t.Errorf("relation %+v carries no provenance", r)
		}
	}
	for _, q := range got.AllShortestPaths {
		if len(q.Nodes) != 3 {
			t.Errorf("a shortest path of another length: %+v", q)
		}
	}
	if len(got.AllShortestPaths) < 1 {
		t.Errorf("allShortestPaths found nothing")
	}
}

// The partner lists of SYMBI (lead partner and 8 partners) and RESPONDET
// (coordinator and 7 partners, plus Województwo Małopolskie behind ROPS)
// as documents 003 and 004 name them.
func TestProjectPartnersAreAllThere(t *testing.T) {
	h := seedHandler(t)
	cases := map[string][]string{
		"symbi": {"andalusia-ministry-environment", "fundecyt", "hame", "hamk", "isernia-chamber-of-commerce",
			"kozani-development-office", "malopolskie", "pannon-novum", "slovenia-government-office-development-cohesion"},
		"respondet": {"catalonia-department-business-knowledge", "coopcat", "reves", "spw-social-economy-directorate",
			"concertes", "rops-krakow", "city-of-turin", "torino-chamber-of-commerce"},
	}
	for project, want := range cases {
		var got struct{ Entity struct{ Neighbours []entity } }
		graphqltest.Data(t, h, `query($id: ID!) { entity(id: $id) { neighbours(relationTypes: ["PARTICIPATES_IN"]) { id } } }`,
			map[string]any{"id": project}, &got)
		var ids []string
		for _, e := range got.Entity.Neighbours {
			ids = append(ids, e.ID)
		}
		for _, w := range want {
			if !slices.Contains(ids, w) {
				t.Errorf("%s: partner %s missing from %v", project, w, ids)
			}
		}
	}
}

func TestMalopolskaIsAmongTheMostCentral(t *testing.T) {
	h := seedHandler(t)
	for _, m := range graph.MeasureNames(false) {
		var got struct {
			Centrality []struct {
				Rank   int
				Score  float64
				Entity entity
			}
		}
		graphqltest.Data(t, h, `query($m: CentralityMeasure!) { centrality(measure: $m, first: 5) { rank score entity { id } } }`,
			map[string]any{"m": m}, &got)
		if len(got.Centrality) != 5 {
			t.Fatalf("%s: %d scores, want 5", m, len(got.Centrality))
		}
		found := false
		for i, s := range got.Centrality {
			if s.Rank != i+1 {
				t.Errorf("%s: rank %d at position %d", m, s.Rank, i)
			}
			if i > 0 && s.Score > got.Centrality[i-1].Score {
				t.Errorf("%s: scores not descending: %+v", m, got.Centrality)
			}
			found = found || s.Entity.ID == "malopolskie"
		}
		if !found {
			t.Errorf("%s: malopolskie not in the top 5: %+v", m, got.Centrality)
		}
	}
}

func TestCentralityWithinAKind(t *testing.T) {
	h := seedHandler(t)
	var got struct {
		Centrality []struct {
			Rank   int
			Entity entity
		}
	}
	graphqltest.Data(t, h, `{ centrality(measure: DEGREE, kinds: ["Region"], first: 3) { rank entity { id kind } } }`, nil, &got)
	if len(got.Centrality) != 3 || got.Centrality[0].Entity.ID != "malopolskie" {
		t.Fatalf("regions by degree: %+v", got.Centrality)
	}
	for _, s := range got.Centrality {
		if s.Entity.Kind != "Region" {
			t.Errorf("a %s among regions", s.Entity.Kind)
		}
	}
}

func TestErrorsCarryCodes(t *testing.T) {
	h := seedHandler(t)
	cases := []struct {
		query, code, phrase string
	}{
		{`{ entity(id: "no-such-region") { id } }`, "NOT_FOUND", `"no-such-region"`},
		{`{ shortestPath(from: "malopolskie", to: "atlantis") { length } }`, "NOT_FOUND", `"atlantis"`},
		{`{ allShortestPaths(from: "ghost", to: "malopolskie") { length } }`, "NOT_FOUND", `"ghost"`},
		{`{ entity(id: "ghost") { neighbours { id } } }`, "NOT_FOUND", `"ghost"`},
		{`{ search(text: "   ") { id } }`, "INVALID_ARGUMENT", "no letters or digits"},
		{`{ search(text: "x", kinds: ["Planet"]) { id } }`, "INVALID_ARGUMENT", `"Planet"`},
		{`{ search(text: "x", first: 100000) { id } }`, "LIMIT_EXCEEDED", "1000"},
		{`{ shortestPath(from: "malopolskie", to: "opolskie", maxHops: 1000) { length } }`, "LIMIT_EXCEEDED", "12"},
		{`{ shortestPath(from: "malopolskie", to: "opolskie", relationTypes: ["LIKES"]) { length } }`, "INVALID_ARGUMENT", `"LIKES"`},
		{`{ nope }`, "GRAPHQL_VALIDATION_FAILED", "nope"},
	}
	for _, c := range cases {
		resp := graphqltest.Do(t, h, c.query, nil)
		if len(resp.Errors) == 0 {
			t.Errorf("%s: no error", c.query)
			continue
		}
		e := resp.Errors[0]
		if e.Extensions.Code != c.code || !strings.Contains(e.Message, c.phrase) {
			t.Errorf("%s: got %q (%s), want code %s and %q", c.query, e.Message, e.Extensions.Code, c.code, c.phrase)
		}
	}
}

func TestNotConnectedWithinMaxHopsIsNull(t *testing.T) {
	h := seedHandler(t)
	resp := graphqltest.Do(t, h, `{ shortestPath(from: "opolskie", to: "city-of-turin", maxHops: 1) { length } }`, nil)
	if len(resp.Errors) != 0 || string(resp.Data) != `{"shortestPath":null}` {
		t.Errorf("got %s %+v, want null", resp.Data, resp.Errors)
	}
}

// /healthz says the process is alive; whether it can answer (a snapshot
// loaded) is /readyz's (see ops_test.go).
func TestHealthz(t *testing.T) {
	srv := &server.Server{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	h := srv.Handler()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
	if rec.Code != http.StatusServiceUnavailable {
		t.Errorf("/readyz before a snapshot: %d, want 503", rec.Code)
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/healthz", nil))
	if rec.Code != http.StatusOK {
		t.Errorf("/healthz before a snapshot: %d, want 200", rec.Code)
	}
	for _, path := range []string{"/healthz", "/readyz"} {
		rec = httptest.NewRecorder()
		seedHandler(t).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != http.StatusOK {
			t.Errorf("%s ready: %d, want 200", path, rec.Code)
		}
	}
}

func TestBodyLimit(t *testing.T) {
	h := seedHandler(t)
	body := strings.NewReader(`{"query":"` + strings.Repeat(" ", server.MaxBodyBytes+1) + `{ __typename }"}`)
	req := httptest.NewRequest(http.MethodPost, "/graphql", body)
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized body: %d, want 413", rec.Code)
	}
}
