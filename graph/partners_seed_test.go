package graph_test

import (
	"slices"
	"testing"

	"github.com/coopgraph/coopgraph/data"
	"github.com/coopgraph/coopgraph/graph"
	"github.com/coopgraph/coopgraph/loader"
)

// TestPartnersSeed checks the partner rule on the curated seed dataset:
// the partners of a project are everything that takes part in it,
// networks included (REVES PARTICIPATES_IN RESPONDET), and not what only
// describes it (its programme, its missions PART_OF it).
func TestPartnersSeed(t *testing.T) {
	ds, err := loader.LoadFS(data.Seed(), "data/seed", data.SeedName)
	if err != nil {
		t.Fatal(err)
	}
	s := graph.NewSnapshot(ds)

	got, err := s.Partners("respondet", graph.PartnerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, p := range got {
		ids = append(ids, p.ID)
		if !slices.Equal(p.Contexts, []string{"respondet"}) {
			t.Errorf("partner %s of respondet through %v, want [respondet]", p.ID, p.Contexts)
		}
	}
	want := []string{"catalonia-department-business-knowledge", "city-of-turin", "concertes", "coopcat",
		"malopolskie", "reves", "rops-krakow", "spw-social-economy-directorate", "torino-chamber-of-commerce"}
	if !slices.Equal(ids, want) {
		t.Errorf("partners of respondet:\n got %v\nwant %v", ids, want)
	}

	kind := map[string]string{}
	for _, e := range ds.Entities {
		kind[e.ID] = e.Kind
	}
	got, err = s.Partners("symbi", graph.PartnerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	partners := map[string][]string{}
	for _, p := range got {
		partners[p.ID] = p.Contexts
	}
	n := 0
	for _, r := range ds.Relations {
		if r.Type != "PARTICIPATES_IN" || r.To != "symbi" || kind[r.From] != "Organisation" {
			continue
		}
		n++
		if ctx, ok := partners[r.From]; !ok || !slices.Contains(ctx, "symbi") {
			t.Errorf("organisation %s PARTICIPATES_IN symbi but is not its partner through it (%v)", r.From, ctx)
		}
	}
	if n < 5 {
		t.Errorf("only %d organisations PARTICIPATES_IN symbi in the seed", n)
	}
}
