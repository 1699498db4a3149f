package storetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/graph"
	"github.com/coopgraph/coopgraph/memstore"
)

// sameRelationsAndNeighbours asks the embedded store and the store under
// test for every seed entity's relations and neighbours under many filters
// and pages.
func sameRelationsAndNeighbours(t *testing.T, open Open) {
	ds := Seed(t)
	s := open(t, ds)
	mem := memstore.New(ds)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(7, 11))
	dates := []string{"", "", "2013", "2013-11", "2013-04-05", "2016", "2018-03-21", "2019-02", "2021-12-31", "2022", "2023-10"}
	types := []string{"MEMBER_OF", "PARTICIPATES_IN", "PART_OF", "FOUNDED", "LOCATED_IN", "ORGANISED"}
	kinds := []string{"Region", "Network", "Project", "Organisation", "Event", "Person"}
	pick := func(from []string) []string {
		var out []string
		for _, x := range from {
			if rng.IntN(3) == 0 {
				out = append(out, x)
			}
		}
		return out
	}
	checked := 0
	for _, e := range ds.Entities {
		for range 4 {
			f := coopgraph.NeighbourFilter{RelationTypes: pick(types), Kinds: pick(kinds),
				ActiveFrom: dates[rng.IntN(len(dates))], ActiveTo: dates[rng.IntN(len(dates))]}
			offset, first := rng.IntN(4), rng.IntN(6)-1
			wantRels, wantTotal, wantErr := mem.Relations(ctx, e.ID, f, offset, first)
			gotRels, gotTotal, gotErr := s.Relations(ctx, e.ID, f, offset, first)
			if coopgraph.ErrorCode(gotErr) != coopgraph.ErrorCode(wantErr) || gotTotal != wantTotal || !sameRelations(gotRels, wantRels) {
				t.Errorf("Relations(%s, %+v, %d, %d):\ntested   %d %v %v\nembedded %d %v %v", e.ID, f, offset, first,
					gotTotal, relationIDs(gotRels), gotErr, wantTotal, relationIDs(wantRels), wantErr)
			}
			wantNs, wantTotal, wantErr := mem.Neighbours(ctx, e.ID, f, offset, first)
			gotNs, gotTotal, gotErr := s.Neighbours(ctx, e.ID, f, offset, first)
			if coopgraph.ErrorCode(gotErr) != coopgraph.ErrorCode(wantErr) || gotTotal != wantTotal || len(gotNs) != len(wantNs) {
				t.Errorf("Neighbours(%s, %+v, %d, %d): tested %d of %d (%v), embedded %d of %d (%v)", e.ID, f, offset, first,
					len(gotNs), gotTotal, gotErr, len(wantNs), wantTotal, wantErr)
				continue
			}
			for i := range gotNs {
				if !reflect.DeepEqual(normEntity(gotNs[i].Entity), normEntity(wantNs[i].Entity)) || !sameRelations(gotNs[i].Relations, wantNs[i].Relations) {
					t.Errorf("Neighbours(%s, %+v, %d, %d)[%d]: tested %s %v, embedded %s %v", e.ID, f, offset, first, i,
						gotNs[i].Entity.ID, relationIDs(gotNs[i].Relations), wantNs[i].Entity.ID, relationIDs(wantNs[i].Relations))
				}
			}
			checked++
		}
	}
	if _, _, err := s.Relations(ctx, "no-such-id", coopgraph.NeighbourFilter{}, 0, -1); coopgraph.ErrorCode(err) != coopgraph.ENOTFOUND {
		t.Errorf("unknown id: %v", err)
	}
	if _, _, err := s.Neighbours(ctx, "no-such-id", coopgraph.NeighbourFilter{}, 0, -1); coopgraph.ErrorCode(err) != coopgraph.ENOTFOUND {
		t.Errorf("unknown id: %v", err)
	}
	t.Logf("%d filters compared", checked)
}

func relationIDs(rels []coopgraph.Relation) []string {
	out := make([]string, len(rels))
	for i, r := range rels {
		out[i] = r.ID
	}
	return out
}

func sameRelations(a, b []coopgraph.Relation) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !reflect.DeepEqual(normRelation(a[i]), normRelation(b[i])) {
			return false
		}
	}
	return true
}

// datasetReadsBack: the seed dataset reads back from the store as it went
// in, every entity and relation (empty and absent collections alike).
func datasetReadsBack(t *testing.T, open Open) {
	ds := Seed(t)
	got, err := open(t, ds).Dataset(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Credits, ds.Credits) {
		t.Errorf("credits read back as %q, want %q", got.Credits, ds.Credits)
	}
	if len(ds.Documents) == 0 || !slices.Equal(got.Documents, ds.Documents) {
		t.Errorf("documents read back as %+v, want %+v", got.Documents, ds.Documents)
	}
	if len(got.Entities) != len(ds.Entities) || len(got.Relations) != len(ds.Relations) {
		t.Fatalf("%d entities and %d relations read back, the dataset has %d and %d",
			len(got.Entities), len(got.Relations), len(ds.Entities), len(ds.Relations))
	}
	for i, e := range ds.Entities {
		if !reflect.DeepEqual(normEntity(got.Entities[i]), normEntity(e)) {
			t.Errorf("entity %s reads back as\n%+v\nwant\n%+v", e.ID, got.Entities[i], e)
		}
	}
	for i, r := range ds.Relations {
		if !reflect.DeepEqual(normRelation(got.Relations[i]), normRelation(r)) {
			t.Errorf("relation %s reads back as\n%+v\nwant\n%+v", r.ID, got.Relations[i], r)
		}
	}
}

// normEntity makes empty and nil collections equal.
func normEntity(e coopgraph.Entity) coopgraph.Entity {
	if len(e.Aliases) == 0 {
		e.Aliases = nil
	}
	if len(e.Documents) == 0 {
		e.Documents = nil
	}
	if len(e.Facts) == 0 {
		e.Facts = nil
	}
	if len(e.Properties) == 0 {
		e.Properties = nil
	}
	if len(e.Records) == 0 {
		e.Records = nil
	}
	return e
}

func normRelation(r coopgraph.Relation) coopgraph.Relation {
	if len(r.Properties) == 0 {
		r.Properties = nil
	}
	return r
}

// relationsOrderFilterPage checks Relations on a small dataset against
// answers worked out by hand: order, each filter, pages, a relation to
// itself, and bad filters and ids.
func relationsOrderFilterPage(t *testing.T, open Open) {
	ds := &coopgraph.Dataset{Name: "relations",
		Entities: []coopgraph.Entity{{ID: "a", Kind: "Region", Name: "A"}, {ID: "b", Kind: "Network", Name: "B"}, {ID: "c", Kind: "Project", Name: "C"}},
		Relations: []coopgraph.Relation{
			{ID: "r3", Type: "PARTICIPATES_IN", From: "a", To: "c", Start: "2016", End: "2018-06"},
			{ID: "r2", Type: "MEMBER_OF", From: "a", To: "b", Start: "2019-03-01"},
			{ID: "r1", Type: "SUPPORTS", From: "b", To: "a", End: "2015"},
			{ID: "r0", Type: "COOPERATES_WITH", From: "a", To: "a"},
		},
	}
	s := open(t, ds)
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

// neighboursGroupByEntity checks Neighbours on a small dataset against
// answers worked out by hand: each neighbour once, with its relations.
func neighboursGroupByEntity(t *testing.T, open Open) {
	ds := &coopgraph.Dataset{Name: "neighbours",
		Entities: []coopgraph.Entity{{ID: "a", Kind: "Region", Name: "A"}, {ID: "b", Kind: "Network", Name: "B"}, {ID: "c", Kind: "Project", Name: "C"}},
		Relations: []coopgraph.Relation{
			{ID: "r4", Type: "MEMBER_OF", From: "a", To: "b", End: "2010"},
			{ID: "r3", Type: "PARTICIPATES_IN", From: "a", To: "c"},
			{ID: "r2", Type: "MEMBER_OF", From: "a", To: "b"},
			{ID: "r1", Type: "SUPPORTS", From: "b", To: "a"},
			{ID: "r0", Type: "COOPERATES_WITH", From: "a", To: "a"},
		},
	}
	s := open(t, ds)
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

// timeFilter checks the stores' time filter
// against the analytics engine's time window (graph.TimeWindow) on random
// relation dates and windows of every precision: a relation passes the
// store's filter exactly when the engine finds the one-hop path over it.
func timeFilter(t *testing.T, open Open) {
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
	ds := &coopgraph.Dataset{Name: "time-filter", Entities: []coopgraph.Entity{{ID: "hub", Kind: "Network", Name: "Hub"}}}
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
	s, snap := open(t, ds), graph.NewSnapshot(ds)
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
