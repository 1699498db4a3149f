package server_test

import (
	"io"
	"log/slog"
	"net/http"
	"slices"
	"testing"

	"github.com/coopgraph/coopgraph/graph"
	"github.com/coopgraph/coopgraph/loader"
	"github.com/coopgraph/coopgraph/memstore"
	"github.com/coopgraph/coopgraph/server"
	"github.com/coopgraph/coopgraph/server/graphqltest"
)

// regionHandler serves the engine's region fixture (graph/testdata/
// regionpartners: Kraków's, Katowice's, Barcelona's and Stuttgart's
// organisations in six projects).
func regionHandler(t testing.TB) http.Handler {
	t.Helper()
	ds, err := loader.LoadDir("../graph/testdata/regionpartners", "regionpartners")
	if err != nil {
		t.Fatal(err)
	}
	srv := &server.Server{Store: memstore.New(ds), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	srv.SetSnapshot(graph.NewSnapshot(ds))
	return srv.Handler()
}

func TestRegionPartners(t *testing.T) {
	h := regionHandler(t)
	type partner struct {
		Region      entity
		Projects    int
		ProjectList []entity
		Programmes  []entity
	}
	var got struct{ Nuts2, Countries, Top, Interreg []partner }
	graphqltest.Data(t, h, `{
	  nuts2: regionPartners(region: "nuts:PL21") { region { id name } projects projectList { id } programmes { id } }
	  countries: regionPartners(region: "nuts:PL21", level: 0) { region { id } projects }
	  top: regionPartners(region: "nuts:PL21", first: 1) { region { id } projects projectList(first: 2) { id } }
	  interreg: regionPartners(region: "nuts:PL21", programmes: ["prog:interreg"], activeFrom: "2019", activeTo: "2020") { region { id } projects }
	}`, nil, &got)
	ids := func(ps []partner) (out []string) {
		for _, p := range ps {
			out = append(out, p.Region.ID)
		}
		return out
	}
	// Barcelona's UPC shares P1, P2 and P6 with Kraków; Stuttgart's
	// university P1, and P5 with Małopolskie itself; Katowice's P2.
	if w := []string{"nuts:ES51", "nuts:DE11", "nuts:PL22"}; !slices.Equal(ids(got.Nuts2), w) {
		t.Fatalf("partners %v, want %v", ids(got.Nuts2), w)
	}
	es := got.Nuts2[0]
	if es.Region.Name != "Cataluña" || es.Projects != 3 || len(es.ProjectList) != 3 || es.ProjectList[0].ID != "p1" ||
		len(es.Programmes) != 2 || es.Programmes[0].ID != "prog:h2020" {
		t.Errorf("Cataluña: %+v", es)
	}
	if w := []string{"country:ES", "country:DE"}; !slices.Equal(ids(got.Countries), w) || got.Countries[1].Projects != 2 {
		t.Errorf("countries %+v, want %v (Poland is not its own partner)", got.Countries, w)
	}
	if len(got.Top) != 1 || got.Top[0].Projects != 3 || len(got.Top[0].ProjectList) != 2 {
		t.Errorf("first 1, projectList first 2: %+v", got.Top)
	}
	if w := []string{"nuts:ES51", "nuts:PL22"}; !slices.Equal(ids(got.Interreg), w) {
		t.Errorf("Interreg 2019–2020: %v, want %v", ids(got.Interreg), w)
	}

	for q, code := range map[string]string{
		`{ regionPartners(region: "nuts:XX1") { projects } }`:               "NOT_FOUND",
		`{ regionPartners(region: "agh") { projects } }`:                    "INVALID_ARGUMENT",
		`{ regionPartners(region: "nuts:PL21", level: 5) { projects } }`:    "INVALID_ARGUMENT",
		`{ regionPartners(region: "nuts:PL21", first: 5000) { projects } }`: "LIMIT_EXCEEDED",
	} {
		resp := graphqltest.Do(t, h, q, nil)
		if len(resp.Errors) == 0 || resp.Errors[0].Extensions.Code != code {
			t.Errorf("%s: errors %+v, want %s", q, resp.Errors, code)
		}
	}
	resp := graphqltest.Do(t, h, `{ regionPartners(region: "nuts:XX1") { projects } }`, nil)
	if len(resp.Errors) == 0 || !slices.Contains([]string{`unknown entity id "nuts:XX1"`}, resp.Errors[0].Message) {
		t.Errorf("unknown region: %+v, want the id named", resp.Errors)
	}
}

// TestRegionPartnersPage: the page form says how many partners there are
// in all and which programmes are behind them all, whatever first cuts.
func TestRegionPartnersPage(t *testing.T) {
	h := regionHandler(t)
	type partner struct {
		Region     entity
		Projects   int
		Programmes []entity
	}
	type page struct {
		TotalCount int
		Partners   []partner
		Programmes []entity
	}
	var got struct {
		All      []partner
		Page     page
		Interreg page
	}
	graphqltest.Data(t, h, `{
	  all: regionPartners(region: "nuts:PL21", first: 1000) { region { id } projects programmes { id } }
	  page: regionPartnersPage(region: "nuts:PL21", first: 1) { totalCount partners { region { id } projects } programmes { id } }
	  interreg: regionPartnersPage(region: "nuts:PL21", programmes: ["prog:interreg"], activeFrom: "2019", activeTo: "2020") { totalCount partners { region { id } } }
	}`, nil, &got)
	if got.Page.TotalCount != len(got.All) || len(got.All) < 2 || len(got.Page.Partners) != 1 || got.Page.Partners[0].Region.ID != got.All[0].Region.ID {
		t.Fatalf("page of 1: %+v, want the first of %d", got.Page, len(got.All))
	}
	var want []string
	for _, p := range got.All {
		for _, g := range p.Programmes {
			if !slices.Contains(want, g.ID) {
				want = append(want, g.ID)
			}
		}
	}
	slices.Sort(want)
	var ids []string
	for _, g := range got.Page.Programmes {
		ids = append(ids, g.ID)
	}
	if !slices.Equal(ids, want) {
		t.Errorf("programmes %v, want every partner's %v", ids, want)
	}
	if got.Interreg.TotalCount != 2 || len(got.Interreg.Partners) != 2 {
		t.Errorf("Interreg 2019–2020: %+v, want 2 of 2", got.Interreg)
	}
	resp := graphqltest.Do(t, h, `{ regionPartnersPage(region: "nuts:PL21", first: 5000) { totalCount } }`, nil)
	if len(resp.Errors) == 0 || resp.Errors[0].Extensions.Code != "LIMIT_EXCEEDED" {
		t.Errorf("first 5000: %+v, want LIMIT_EXCEEDED", resp.Errors)
	}
}

// TestRegionNetwork: the region–region projection through the API, and
// centrality on it.
func TestRegionNetwork(t *testing.T) {
	h := regionHandler(t)
	var got struct {
		Projection struct {
			TotalCount int
			Links      []struct {
				A, B     entity
				Weight   int
				Contexts []entity
			}
		}
		Centrality []struct {
			Entity entity
			Score  float64
		}
	}
	graphqltest.Data(t, h, `{
	  projection(kinds: ["Country"], regionLevel: 0) { totalCount links { a { id } b { id } weight contexts { id } } }
	  centrality(measure: DEGREE, kinds: ["Region"], projection: {kinds: ["Region"], regionLevel: 2}) { entity { id } score }
	}`, nil, &got)
	// Spain and Poland share P1, P2 and P6; Germany and Poland P1, P3, P5;
	// Germany and Spain P1.
	links := got.Projection.Links
	if got.Projection.TotalCount != 3 || len(links) != 3 || links[0].Weight != 3 || links[2].Weight != 1 ||
		links[2].A.ID != "country:DE" || links[2].B.ID != "country:ES" || len(links[2].Contexts) != 1 || links[2].Contexts[0].ID != "p1" {
		t.Errorf("country network: %+v", got.Projection)
	}
	if len(got.Centrality) != 4 || got.Centrality[0].Score != 1 {
		t.Errorf("degree of the NUTS 2 regions: %+v", got.Centrality)
	}
	resp := graphqltest.Do(t, h, `{ projection(kinds: ["Organisation"], regionLevel: 2) { totalCount } }`, nil)
	if len(resp.Errors) == 0 || resp.Errors[0].Extensions.Code != "INVALID_ARGUMENT" {
		t.Errorf("a region network of organisations: %+v", resp.Errors)
	}
}
