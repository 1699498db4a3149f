package graph

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/coopgraph/coopgraph"
)

// filterFixture is a small network with every relation a filter reads:
// places nesting by PART_OF, organisations LOCATED_IN them, projects
// FUNDED_BY programmes with partners in two periods, records of two
// datasets and documents.
func filterFixture() *Snapshot {
	ents := []coopgraph.Entity{
		{ID: "poland", Kind: "Country"}, {ID: "italy", Kind: "Country"},
		{ID: "pl21", Kind: "Region"}, {ID: "pl213", Kind: "Region", Records: []coopgraph.Record{{Dataset: "nuts", ID: "nuts:PL213"}}},
		{ID: "itc4", Kind: "Region"},
		{ID: "orgA", Kind: "Organisation", Records: []coopgraph.Record{{Dataset: "seed", ID: "orgA"}, {Dataset: "cordis-h2020", ID: "pic:1"}}},
		{ID: "orgB", Kind: "Organisation"}, {ID: "orgC", Kind: "Organisation", Documents: []string{"note.txt"}},
		{ID: "proj1", Kind: "Project"}, {ID: "proj2", Kind: "Project"},
		{ID: "h2020", Kind: "Programme"}, {ID: "interreg", Kind: "Programme"},
	}
	rel := func(id, typ, from, to, start, end, doc string) coopgraph.Relation {
		return coopgraph.Relation{ID: id, Type: typ, From: from, To: to, Start: start, End: end, Document: doc}
	}
	rels := []coopgraph.Relation{
		rel("r01", "PART_OF", "pl21", "poland", "", "", ""),
		rel("r02", "PART_OF", "pl213", "pl21", "", "", ""),
		rel("r03", "PART_OF", "itc4", "italy", "", "", ""),
		rel("r04", "LOCATED_IN", "orgA", "pl213", "", "", ""),
		rel("r05", "LOCATED_IN", "orgB", "itc4", "", "", ""),
		rel("r06", "LOCATED_IN", "orgC", "italy", "", "", ""),
		rel("r07", "FUNDED_BY", "proj1", "h2020", "", "", ""),
		rel("r08", "FUNDED_BY", "proj2", "interreg", "", "", ""),
		rel("r09", "PARTICIPATES_IN", "orgA", "proj1", "2015", "2017", "cordis"),
		rel("r10", "PARTICIPATES_IN", "orgB", "proj1", "2015", "2017", "cordis"),
		rel("r11", "PARTICIPATES_IN", "orgB", "proj2", "2019", "2020", "keep"),
		rel("r12", "PARTICIPATES_IN", "orgC", "proj2", "2019", "2020", "keep"),
	}
	return NewSnapshot(&coopgraph.Dataset{Entities: ents, Relations: rels})
}

func memberIDs(s *Snapshot, m *Members) []string {
	var out []string
	for _, id := range s.ids {
		if m.Has(id) {
			out = append(out, id)
		}
	}
	return out
}

func TestFilterSemantics(t *testing.T) {
	s := filterFixture()
	for _, tc := range []struct {
		name string
		f    EntityFilter
		want string
	}{
		{"country", EntityFilter{Countries: []string{"italy"}}, "italy itc4 orgB orgC proj1 proj2"},
		{"country and kind", EntityFilter{Countries: []string{"italy"}, Kinds: []string{"Organisation"}}, "orgB orgC"},
		{"two countries", EntityFilter{Countries: []string{"italy", "poland"}, Kinds: []string{"Organisation"}}, "orgA orgB orgC"},
		{"region nests", EntityFilter{Regions: []string{"pl21"}}, "orgA pl21 pl213 proj1"},
		{"region by record id", EntityFilter{Regions: []string{"nuts:PL213"}}, "orgA pl213 proj1"},
		{"programme", EntityFilter{Programmes: []string{"h2020"}}, "h2020 orgA orgB proj1"},
		{"period", EntityFilter{ActiveFrom: "2019", ActiveTo: "2020"}, "orgB orgC proj2"},
		{"period open end", EntityFilter{ActiveTo: "2016"}, "orgA orgB proj1"},
		{"dataset", EntityFilter{Datasets: []string{"cordis-h2020"}}, "orgA"},
		{"document of a relation", EntityFilter{Documents: []string{"keep"}}, "orgB orgC proj2"},
		{"document of an entity", EntityFilter{Documents: []string{"note.txt"}}, "orgC"},
		{"all fields", EntityFilter{Countries: []string{"italy"}, Programmes: []string{"interreg"}, ActiveFrom: "2020", Kinds: []string{"Organisation"}}, "orgB orgC"},
	} {
		m, err := s.Filter(context.Background(), tc.f)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := strings.Join(memberIDs(s, m), " "); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
		if m.Count() != len(strings.Fields(tc.want)) {
			t.Errorf("%s: Count %d", tc.name, m.Count())
		}
	}
	if m, err := s.Filter(context.Background(), EntityFilter{}); m != nil || err != nil || !m.Has("orgA") {
		t.Errorf("zero filter: %v %v", m, err)
	}
}

func TestFilterErrorsNameTheValue(t *testing.T) {
	s := filterFixture()
	many := make([]string, MaxFilterValues+1)
	for i := range many {
		many[i] = fmt.Sprint("c", i)
	}
	for _, tc := range []struct {
		f          EntityFilter
		code, name string
	}{
		{EntityFilter{Kinds: []string{"Planet"}}, coopgraph.EINVALID, `"Planet"`},
		{EntityFilter{Countries: []string{"pl21"}}, coopgraph.EINVALID, `"pl21"`},
		{EntityFilter{Countries: []string{"atlantis"}}, coopgraph.EINVALID, `"atlantis"`},
		{EntityFilter{Regions: []string{"italy"}}, coopgraph.EINVALID, `"italy"`},
		{EntityFilter{Programmes: []string{"orgA"}}, coopgraph.EINVALID, `"orgA"`},
		{EntityFilter{Datasets: []string{"wikipedia"}}, coopgraph.EINVALID, `"wikipedia"`},
		{EntityFilter{ActiveFrom: "2020-13"}, coopgraph.EINVALID, `"2020-13"`},
		{EntityFilter{ActiveFrom: "2021", ActiveTo: "2020"}, coopgraph.EINVALID, `"2021"`},
		{EntityFilter{Countries: many}, coopgraph.ELIMIT, "countries"},
	} {
		_, err := s.Filter(context.Background(), tc.f)
		if coopgraph.ErrorCode(err) != tc.code || !strings.Contains(err.Error(), tc.name) {
			t.Errorf("%+v: got %v (%s), want %s naming %s", tc.f, err, coopgraph.ErrorCode(err), tc.code, tc.name)
		}
	}
}

func TestFilterPathsPassOnlyThroughMembers(t *testing.T) {
	s := filterFixture()
	ctx := context.Background()
	path := func(f EntityFilter) string {
		t.Helper()
		m, err := s.Filter(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		opt := PathOptions{RelationTypes: coopgraph.PathRelationTypes(nil, false), Members: m, Window: f.Window()}
		p, err := s.ShortestPath("orgA", "orgC", opt)
		if err != nil {
			t.Fatal(err)
		}
		if p == nil {
			return "none"
		}
		return strings.Join(p.Nodes, " ")
	}
	if got := path(EntityFilter{}); got != "orgA proj1 orgB proj2 orgC" {
		t.Errorf("unfiltered: %s", got)
	}
	// The ends need not pass: orgA is in Poland.
	if got := path(EntityFilter{Countries: []string{"italy"}}); got != "orgA proj1 orgB proj2 orgC" {
		t.Errorf("italy: %s", got)
	}
	if got := path(EntityFilter{Programmes: []string{"h2020"}}); got != "none" {
		t.Errorf("h2020 only: %s (proj2 is Interreg's)", got)
	}
	if got := path(EntityFilter{ActiveFrom: "2019"}); got != "none" {
		t.Errorf("from 2019: %s (proj1 ended in 2017)", got)
	}
	// k shortest paths keep the filter in their cache key.
	m, _ := s.Filter(ctx, EntityFilter{Programmes: []string{"h2020"}})
	ps, err := s.KShortestPaths(ctx, "orgA", "orgC", 3, PathOptions{Members: m})
	if err != nil || len(ps) != 0 {
		t.Errorf("k shortest with h2020: %v %v", ps, err)
	}
}

func TestFilterRankingKeepsWholeNetworkScores(t *testing.T) {
	s := filterFixture()
	ctx := context.Background()
	all, err := s.Centrality(ctx, Degree, CentralityOptions{})
	if err != nil {
		t.Fatal(err)
	}
	m, _ := s.Filter(ctx, EntityFilter{Countries: []string{"italy"}, Kinds: []string{"Organisation"}})
	got, total, err := s.CentralityPage(ctx, Degree, CentralityOptions{Members: m}, 0, -1)
	if err != nil {
		t.Fatal(err)
	}
	var want []Score
	for _, sc := range all {
		if m.Has(sc.ID) {
			want = append(want, sc)
		}
	}
	if total != 2 || !slices.Equal(got, want) {
		t.Errorf("got %v (%d), want %v", got, total, want)
	}
}

func TestFilterNeighbours(t *testing.T) {
	s := filterFixture()
	m, _ := s.Filter(context.Background(), EntityFilter{ActiveFrom: "2019"})
	got, err := s.Neighbours("orgB", coopgraph.NeighbourFilter{}, m)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != "[{proj2 [r11]}]" {
		t.Errorf("orgB from 2019: %v", got)
	}
	got, _ = s.Neighbours("orgB", coopgraph.NeighbourFilter{}, nil)
	if fmt.Sprint(got) != "[{itc4 [r05]} {proj1 [r10]} {proj2 [r11]}]" {
		t.Errorf("orgB unfiltered: %v", got)
	}
}
