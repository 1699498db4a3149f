package memstore

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/graph"
)

func relationIDs(rels []coopgraph.Relation) (out []string) {
	for _, r := range rels {
		out = append(out, r.ID)
	}
	return out
}

func TestRelationsOrderFilterPageAndSelfLoop(t *testing.T) {
	ds := &coopgraph.Dataset{
		Entities: []coopgraph.Entity{{ID: "a", Kind: "Region", Name: "A"}, {ID: "b", Kind: "Network", Name: "B"}, {ID: "c", Kind: "Project", Name: "C"}},
		Relations: []coopgraph.Relation{
			{ID: "r3", Type: "PARTICIPATES_IN", From: "a", To: "c", Start: "2016", End: "2018-06"},
			{ID: "r2", Type: "MEMBER_OF", From: "a", To: "b", Start: "2019-03-01"},
			{ID: "r1", Type: "SUPPORTS", From: "b", To: "a", End: "2015"},
			{ID: "r0", Type: "COOPERATES_WITH", From: "a", To: "a"},
		},
	}
	s := New(ds)
	ctx := context.Background()
	cases := []struct {
		f             coopgraph.NeighbourFilter
		offset, first int
		want          []string
		total         int
	}{
		{coopgraph.NeighbourFilter{}, 0, -1, []string{"r0", "r2", "r1", "r3"}, 4}, // other end a, b (MEMBER_OF < SUPPORTS), c; the loop once
		{coopgraph.NeighbourFilter{RelationTypes: []string{"MEMBER_OF", "PARTICIPATES_IN"}}, 0, -1, []string{"r2", "r3"}, 2},
		{coopgraph.NeighbourFilter{}, 0, 2, []string{"r0", "r2"}, 4},
		{coopgraph.NeighbourFilter{}, 2, 2, []string{"r1", "r3"}, 4},
		{coopgraph.NeighbourFilter{}, 3, 5, []string{"r3"}, 4},
		{coopgraph.NeighbourFilter{}, 9, 5, nil, 4},
		{coopgraph.NeighbourFilter{Kinds: []string{"Network", "Project"}}, 0, -1, []string{"r2", "r1", "r3"}, 3},
		{coopgraph.NeighbourFilter{Kinds: []string{"Region"}}, 0, -1, []string{"r0"}, 1},
		// r1 ended in 2015, r3 ran 2016 to June 2018, r2 started March 2019; r0 is undated.
		{coopgraph.NeighbourFilter{ActiveFrom: "2017", ActiveTo: "2017"}, 0, -1, []string{"r0", "r3"}, 2},
		{coopgraph.NeighbourFilter{ActiveFrom: "2018-06-30"}, 0, -1, []string{"r0", "r2", "r3"}, 3},
		{coopgraph.NeighbourFilter{ActiveFrom: "2018-07"}, 0, -1, []string{"r0", "r2"}, 2},
		{coopgraph.NeighbourFilter{ActiveTo: "2015-12-31"}, 0, -1, []string{"r0", "r1"}, 2},
		{coopgraph.NeighbourFilter{ActiveFrom: "2019-02", ActiveTo: "2019-02"}, 0, -1, []string{"r0"}, 1},
		{coopgraph.NeighbourFilter{ActiveFrom: "2019-03", ActiveTo: "2019-03", Kinds: []string{"Network"}}, 0, -1, []string{"r2"}, 1},
	}
	for _, c := range cases {
		got, total, err := s.Relations(ctx, "a", c.f, c.offset, c.first)
		if err != nil {
			t.Fatal(err)
		}
		if g := relationIDs(got); !slices.Equal(g, c.want) || total != c.total {
			t.Errorf("Relations(a, %+v, %d, %d) = %v of %d, want %v of %d", c.f, c.offset, c.first, g, total, c.want, c.total)
		}
	}
	if _, _, err := s.Relations(ctx, "zz", coopgraph.NeighbourFilter{}, 0, -1); coopgraph.ErrorCode(err) != coopgraph.ENOTFOUND {
		t.Errorf("unknown id: %v", err)
	}
	for _, f := range []coopgraph.NeighbourFilter{
		{RelationTypes: []string{"LOVES"}},
		{Kinds: []string{"Planet"}},
		{ActiveFrom: "2013-02-30"},
		{ActiveTo: "13"},
		{ActiveFrom: "2014", ActiveTo: "2013-12"},
	} {
		if _, _, err := s.Relations(ctx, "a", f, 0, -1); coopgraph.ErrorCode(err) != coopgraph.EINVALID {
			t.Errorf("filter %+v: %v, want INVALID_ARGUMENT", f, err)
		}
	}
	if _, err := s.Entities(ctx, []string{"a", "nope"}); coopgraph.ErrorCode(err) != coopgraph.ENOTFOUND {
		t.Errorf("unknown entity: %v", err)
	}
}

func TestNeighboursGroupByEntity(t *testing.T) {
	ds := &coopgraph.Dataset{
		Entities: []coopgraph.Entity{{ID: "a", Kind: "Region", Name: "A"}, {ID: "b", Kind: "Network", Name: "B"}, {ID: "c", Kind: "Project", Name: "C"}},
		Relations: []coopgraph.Relation{
			{ID: "r4", Type: "MEMBER_OF", From: "a", To: "b", End: "2010"},
			{ID: "r3", Type: "PARTICIPATES_IN", From: "a", To: "c"},
			{ID: "r2", Type: "MEMBER_OF", From: "a", To: "b"},
			{ID: "r1", Type: "SUPPORTS", From: "b", To: "a"},
			{ID: "r0", Type: "COOPERATES_WITH", From: "a", To: "a"},
		},
	}
	s := New(ds)
	ctx := context.Background()
	say := func(ns []coopgraph.Neighbour) (out []string) {
		for _, n := range ns {
			out = append(out, fmt.Sprint(n.Entity.ID, relationIDs(n.Relations)))
		}
		return out
	}
	cases := []struct {
		f             coopgraph.NeighbourFilter
		offset, first int
		want          []string
		total         int
	}{
		{coopgraph.NeighbourFilter{}, 0, -1, []string{"a[r0]", "b[r2 r4 r1]", "c[r3]"}, 3},
		{coopgraph.NeighbourFilter{}, 1, 1, []string{"b[r2 r4 r1]"}, 3},
		{coopgraph.NeighbourFilter{ActiveFrom: "2011"}, 1, -1, []string{"b[r2 r1]", "c[r3]"}, 3},
		{coopgraph.NeighbourFilter{RelationTypes: []string{"SUPPORTS"}}, 0, -1, []string{"b[r1]"}, 1},
		{coopgraph.NeighbourFilter{Kinds: []string{"Project"}}, 0, -1, []string{"c[r3]"}, 1},
	}
	for _, c := range cases {
		got, total, err := s.Neighbours(ctx, "a", c.f, c.offset, c.first)
		if err != nil {
			t.Fatal(err)
		}
		if g := say(got); !slices.Equal(g, c.want) || total != c.total {
			t.Errorf("Neighbours(a, %+v, %d, %d) = %v of %d, want %v of %d", c.f, c.offset, c.first, g, total, c.want, c.total)
		}
	}
	if _, _, err := s.Neighbours(ctx, "zz", coopgraph.NeighbourFilter{}, 0, -1); coopgraph.ErrorCode(err) != coopgraph.ENOTFOUND {
		t.Errorf("unknown id: %v", err)
	}
}

// TestTimeFilterMeansWhatTheEngineMeans checks the stores' time filter
// against the analytics engine's time window (graph.TimeWindow) on random
// relation dates and windows of every precision: a relation passes the
// store's filter exactly when the engine finds the one-hop path over it.
func TestTimeFilterMeansWhatTheEngineMeans(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 2))
	date := func() string {
		y, m, d := 2010+rng.IntN(4), 1+rng.IntN(12), 1+rng.IntN(28)
		switch rng.IntN(4) {
		case 0:
			return ""
		case 1:
			return fmt.Sprintf("%04d", y)
		case 2:
			return fmt.Sprintf("%04d-%02d", y, m)
		}
		return fmt.Sprintf("%04d-%02d-%02d", y, m, d)
	}
	ds := &coopgraph.Dataset{Entities: []coopgraph.Entity{{ID: "hub", Kind: "Network", Name: "Hub"}}}
	for i := 0; i < 300; i++ {
		start, end := date(), date()
		if start != "" && end != "" && !coopgraph.DateOnOrBefore(start, end) {
			start, end = end, start
		}
		if start != "" && end != "" && !coopgraph.DateOnOrBefore(start, end) {
			continue // a relation that ends before it starts: the loader refuses it
		}
		id := fmt.Sprintf("e%03d", i)
		ds.Entities = append(ds.Entities, coopgraph.Entity{ID: id, Kind: "Region", Name: id})
		ds.Relations = append(ds.Relations, coopgraph.Relation{ID: "r" + id, Type: "MEMBER_OF", From: id, To: "hub", Start: start, End: end})
	}
	s, snap := New(ds), graph.NewSnapshot(ds)
	ctx := context.Background()
	for w := 0; w < 200; w++ {
		from, to := date(), date()
		f := coopgraph.NeighbourFilter{ActiveFrom: from, ActiveTo: to}
		rels, _, err := s.Relations(ctx, "hub", f, 0, -1)
		_, engineErr := snap.ShortestPath("hub", "e000", graph.PathOptions{Window: &graph.TimeWindow{From: from, To: to}})
		if (err != nil) != (engineErr != nil) {
			t.Fatalf("window %q–%q: store says %v, engine %v", from, to, err, engineErr)
		}
		if err != nil {
			continue
		}
		kept := map[string]bool{}
		for _, r := range rels {
			kept[r.From] = true
		}
		for _, r := range ds.Relations {
			p, err := snap.ShortestPath("hub", r.From, graph.PathOptions{MaxHops: 1, Window: &graph.TimeWindow{From: from, To: to}})
			if err != nil {
				t.Fatal(err)
			}
			if (p != nil) != kept[r.From] {
				t.Errorf("relation %s–%s, window %s–%s: engine keeps it: %v, store: %v", r.Start, r.End, from, to, p != nil, kept[r.From])
			}
		}
	}
}

func TestVersionIsConstant(t *testing.T) {
	s := New(&coopgraph.Dataset{})
	a, err := s.Version(context.Background())
	if err != nil || a == "" {
		t.Fatalf("Version = %q, %v", a, err)
	}
	if b, _ := s.Version(context.Background()); b != a {
		t.Errorf("Version changed from %q to %q without a load", a, b)
	}
}
