package scope_test

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/data"
	"github.com/coopgraph/coopgraph/export"
	"github.com/coopgraph/coopgraph/export/scope"
	"github.com/coopgraph/coopgraph/graph"
	"github.com/coopgraph/coopgraph/loader"
)

func seedNetwork(t *testing.T) (*coopgraph.Dataset, *graph.Snapshot, *scope.Network) {
	t.Helper()
	ds, err := loader.LoadFS(data.Seed(), "data/seed", data.SeedName)
	if err != nil {
		t.Fatal(err)
	}
	snap := graph.NewSnapshot(ds)
	n, err := scope.NewNetwork(snap, ds)
	if err != nil {
		t.Fatal(err)
	}
	return ds, snap, n
}

func ids(sub *export.Subgraph) (ents, rels []string) {
	for _, e := range sub.Entities {
		ents = append(ents, e.ID)
	}
	for _, r := range sub.Relations {
		rels = append(rels, r.ID)
	}
	return ents, rels
}

// attribute returns the values of the named attribute.
func attribute(t *testing.T, sub *export.Subgraph, name string) map[string]string {
	t.Helper()
	for _, a := range sub.Attributes {
		if a.Name == name {
			return a.Values
		}
	}
	t.Fatalf("no attribute %q among %d", name, len(sub.Attributes))
	return nil
}

func TestWholeGraph(t *testing.T) {
	ds, _, n := seedNetwork(t)
	sub, err := n.Select(context.Background(), scope.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	if len(sub.Entities) != len(ds.Entities) || len(sub.Relations) != len(ds.Relations) {
		t.Fatalf("%d entities, %d relations; the seed has %d, %d", len(sub.Entities), len(sub.Relations), len(ds.Entities), len(ds.Relations))
	}
	ents, rels := ids(sub)
	if !slices.IsSorted(ents) || !slices.IsSorted(rels) {
		t.Error("not in id order")
	}

	// Keeping one relation type keeps every entity and those relations.
	sub, err = n.Select(context.Background(), scope.Scope{RelationTypes: []string{"MEMBER_OF"}})
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, r := range ds.Relations {
		if r.Type == "MEMBER_OF" {
			want++
		}
	}
	if len(sub.Entities) != len(ds.Entities) || len(sub.Relations) != want || want == 0 {
		t.Errorf("MEMBER_OF: %d entities, %d relations; want %d, %d", len(sub.Entities), len(sub.Relations), len(ds.Entities), want)
	}
	for _, r := range sub.Relations {
		if r.Type != "MEMBER_OF" {
			t.Errorf("relation %s is %s", r.ID, r.Type)
		}
	}
}

// A path scope holds exactly the entities and relations of the paths the
// snapshot answers.
func TestPaths(t *testing.T) {
	_, snap, n := seedNetwork(t)
	union := func(paths ...graph.Path) (ents, rels []string) {
		e, r := map[string]bool{}, map[string]bool{}
		for _, p := range paths {
			for _, id := range p.Nodes {
				e[id] = true
			}
			for _, hop := range p.Hops { // every parallel relation: the hop's sources
				for _, id := range hop {
					r[id] = true
				}
			}
		}
		return slices.Sorted(maps.Keys(e)), slices.Sorted(maps.Keys(r))
	}
	// Paths follow cooperation unless the scope asks for the structural relations.
	coop := graph.PathOptions{RelationTypes: coopgraph.PathRelationTypes(nil, false)}
	one, err := snap.ShortestPath("opolskie", "malopolskie", coop)
	if err != nil || one == nil {
		t.Fatal(one, err)
	}
	all, total, err := snap.AllShortestPaths("slaskie", "city-of-turin", coop, -1)
	if err != nil || total < 2 {
		t.Fatalf("want several shortest paths from slaskie to city-of-turin for this test; got %d, %v", total, err)
	}
	coop.MaxHops = 6
	k, err := snap.KShortestPaths(context.Background(), "opolskie", "city-of-turin", 5, coop)
	if err != nil || len(k) != 5 {
		t.Fatal(len(k), err)
	}
	structural, _, err := snap.AllShortestPaths("opolskie", "city-of-turin", graph.PathOptions{}, -1)
	if err != nil || len(structural) == 0 {
		t.Fatal(structural, err)
	}
	for name, c := range map[string]struct {
		p     scope.Path
		paths []graph.Path
	}{
		"shortest":   {scope.Path{From: "opolskie", To: "malopolskie"}, []graph.Path{*one}},
		"all":        {scope.Path{From: "slaskie", To: "city-of-turin", All: true}, all},
		"k":          {scope.Path{From: "opolskie", To: "city-of-turin", K: 5, MaxHops: 6}, k},
		"structural": {scope.Path{From: "opolskie", To: "city-of-turin", All: true, Structural: true}, structural},
	} {
		sub, err := n.Select(context.Background(), scope.Scope{Path: &c.p})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		gotE, gotR := ids(sub)
		wantE, wantR := union(c.paths...)
		if !slices.Equal(gotE, wantE) || !slices.Equal(gotR, wantR) {
			t.Errorf("%s:\n got %q %q\nwant %q %q", name, gotE, gotR, wantE, wantR)
		}
		if len(gotR) < len(gotE)-1 {
			t.Errorf("%s: %d relations cannot link %d entities", name, len(gotR), len(gotE))
		}
	}

	// Relation types apply to the paths.
	sub, err := n.Select(context.Background(), scope.Scope{Path: &scope.Path{From: "opolskie", To: "malopolskie"}, RelationTypes: []string{"MEMBER_OF", "PART_OF"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range sub.Relations {
		if r.Type != "MEMBER_OF" && r.Type != "PART_OF" {
			t.Errorf("relation %s is %s", r.ID, r.Type)
		}
	}
}

// A neighbourhood is networkx's ego_graph: the entities within depth
// relations (checked here against the snapshot's shortest paths) and every
// kept relation among them.
func TestNeighbourhood(t *testing.T) {
	ds, snap, n := seedNetwork(t)
	for _, c := range []struct {
		id    string
		depth int
		types []string
	}{
		{"malopolskie", 0, nil},
		{"malopolskie", 1, nil},
		{"malopolskie", 2, nil},
		{"respondet", 2, []string{"PARTICIPATES_IN", "LOCATED_IN"}},
		{"vanguard-initiative", 3, []string{"MEMBER_OF"}},
	} {
		name := fmt.Sprintf("%s at depth %d, types %v", c.id, c.depth, c.types)
		sub, err := n.Select(context.Background(), scope.Scope{Neighbourhood: &scope.Neighbourhood{ID: c.id, Depth: c.depth}, RelationTypes: c.types})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		wantDepth := map[string]string{}
		for _, e := range ds.Entities {
			p, err := snap.ShortestPath(c.id, e.ID, graph.PathOptions{RelationTypes: c.types, MaxHops: max(c.depth, 1)})
			if err != nil {
				t.Fatal(err)
			}
			if p != nil && len(p.Relations) <= c.depth {
				wantDepth[e.ID] = strconv.Itoa(len(p.Relations))
			}
		}
		keep := coopgraph.StringSet(c.types)
		var wantR []string
		for _, r := range ds.Relations {
			_, in1 := wantDepth[r.From]
			_, in2 := wantDepth[r.To]
			if in1 && in2 && (keep == nil || keep[r.Type]) {
				wantR = append(wantR, r.ID)
			}
		}
		slices.Sort(wantR)
		gotE, gotR := ids(sub)
		if !slices.Equal(gotE, slices.Sorted(maps.Keys(wantDepth))) || !slices.Equal(gotR, wantR) {
			t.Errorf("%s:\n got %q\n %q\nwant %q\n %q", name, gotE, gotR, slices.Sorted(maps.Keys(wantDepth)), wantR)
		}
		if got := attribute(t, sub, "depth"); !maps.Equal(got, wantDepth) {
			t.Errorf("%s: depths %v, want %v", name, got, wantDepth)
		}
		if c.depth > 0 && len(gotE) < 2 {
			t.Errorf("%s: a neighbourhood of %d entities tests little", name, len(gotE))
		}
	}
}

// A neighbourhood over the limit is refused, not cut.
func TestNeighbourhoodLimit(t *testing.T) {
	ds := &coopgraph.Dataset{Entities: []coopgraph.Entity{{ID: "hub", Kind: "Network", Name: "Hub"}}}
	for i := range scope.MaxNeighbourhoodRelations + 1 {
		id := "m" + strconv.Itoa(i)
		ds.Entities = append(ds.Entities, coopgraph.Entity{ID: id, Kind: "Organisation", Name: id})
		ds.Relations = append(ds.Relations, coopgraph.Relation{ID: "r" + strconv.Itoa(i), Type: "MEMBER_OF", From: id, To: "hub"})
	}
	// A second hub with exactly the limit is fine.
	ds.Entities = append(ds.Entities, coopgraph.Entity{ID: "hub2", Kind: "Network", Name: "Hub 2"})
	for i := range scope.MaxNeighbourhoodRelations {
		ds.Relations = append(ds.Relations, coopgraph.Relation{ID: "s" + strconv.Itoa(i), Type: "PART_OF", From: "m" + strconv.Itoa(i), To: "hub2"})
	}
	n, err := scope.NewNetwork(graph.NewSnapshot(ds), ds)
	if err != nil {
		t.Fatal(err)
	}
	_, err = n.Select(context.Background(), scope.Scope{Neighbourhood: &scope.Neighbourhood{ID: "hub", Depth: 1}})
	if coopgraph.ErrorCode(err) != coopgraph.ELIMIT || !strings.Contains(err.Error(), "more than 50000 relations") {
		t.Errorf("hub: %v, want LIMIT_EXCEEDED", err)
	}
	sub, err := n.Select(context.Background(), scope.Scope{Neighbourhood: &scope.Neighbourhood{ID: "hub2", Depth: 1}, RelationTypes: []string{"PART_OF"}})
	if err != nil || len(sub.Relations) != scope.MaxNeighbourhoodRelations {
		t.Errorf("hub2: %v", err)
	}
	// At depth 2 hub2's members bring hub and its relations: over.
	if _, err := n.Select(context.Background(), scope.Scope{Neighbourhood: &scope.Neighbourhood{ID: "hub2", Depth: 2}}); coopgraph.ErrorCode(err) != coopgraph.ELIMIT {
		t.Errorf("hub2 at depth 2: %v, want LIMIT_EXCEEDED", err)
	}
}

// A community scope is one group of the partition the API computes, with
// the relations among its members.
func TestCommunity(t *testing.T) {
	ds, snap, n := seedNetwork(t)
	part, err := snap.Communities(context.Background(), graph.CommunityOptions{Resolution: 1.5, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(part.Groups) < 3 {
		t.Fatalf("the seed has %d communities", len(part.Groups))
	}
	for _, i := range []int{1, 2, len(part.Groups)} {
		sub, err := n.Select(context.Background(), scope.Scope{Community: &scope.Community{Index: i, Resolution: 1.5, Seed: 3}})
		if err != nil {
			t.Fatal(err)
		}
		members := part.Groups[i-1]
		in := coopgraph.StringSet(members)
		var wantR []string
		for _, r := range ds.Relations {
			if in[r.From] && in[r.To] {
				wantR = append(wantR, r.ID)
			}
		}
		slices.Sort(wantR)
		gotE, gotR := ids(sub)
		if !slices.Equal(gotE, members) || !slices.Equal(gotR, wantR) {
			t.Errorf("community %d:\n got %q %q\nwant %q %q", i, gotE, gotR, members, wantR)
		}
		for id, v := range attribute(t, sub, "community") {
			if v != strconv.Itoa(i) || !in[id] {
				t.Errorf("community %d: %s has community %s", i, id, v)
			}
		}
	}
}

func TestMeasureAddsScores(t *testing.T) {
	_, snap, n := seedNetwork(t)
	scores, err := snap.Centrality(context.Background(), graph.Betweenness, graph.CentralityOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sub, err := n.Select(context.Background(), scope.Scope{Neighbourhood: &scope.Neighbourhood{ID: "malopolskie", Depth: 1}, Measure: graph.Betweenness})
	if err != nil {
		t.Fatal(err)
	}
	got := attribute(t, sub, "betweenness")
	if len(got) != len(sub.Entities) {
		t.Errorf("%d scores for %d entities", len(got), len(sub.Entities))
	}
	for _, s := range scores {
		if v, ok := got[s.ID]; ok && v != strconv.FormatFloat(s.Score, 'g', -1, 64) {
			t.Errorf("%s: %s, want %v", s.ID, v, s.Score)
		}
	}
	if got["malopolskie"] == "" || got["malopolskie"] == "0" {
		t.Errorf("Małopolska's betweenness is %q", got["malopolskie"])
	}
}

func TestBadScopes(t *testing.T) {
	_, _, n := seedNetwork(t)
	p := func(p scope.Path) scope.Scope { return scope.Scope{Path: &p} }
	nb := func(id string, d int) scope.Scope {
		return scope.Scope{Neighbourhood: &scope.Neighbourhood{ID: id, Depth: d}}
	}
	cm := func(i int, r float64) scope.Scope {
		return scope.Scope{Community: &scope.Community{Index: i, Resolution: r}}
	}
	for _, c := range []struct {
		sc   scope.Scope
		code string
		msg  string
	}{
		{p(scope.Path{From: "nowhere", To: "malopolskie"}), coopgraph.ENOTFOUND, `unknown entity id "nowhere"`},
		{p(scope.Path{From: "opolskie", To: "malopolskie", MaxHops: 13}), coopgraph.ELIMIT, "maxHops is 13; the limit is 12"},
		{p(scope.Path{From: "opolskie", To: "malopolskie", MaxHops: -1}), coopgraph.EINVALID, "maxHops must not be negative"},
		{p(scope.Path{From: "opolskie", To: "malopolskie", K: 101}), coopgraph.ELIMIT, "limit of 100"},
		{p(scope.Path{From: "opolskie", To: "malopolskie", K: 2, All: true}), coopgraph.EINVALID, "not both"},
		{p(scope.Path{From: "opolskie", To: "city-of-turin", MaxHops: 1}), coopgraph.ENOTFOUND, "no path links"},
		{scope.Scope{Path: &scope.Path{From: "opolskie", To: "malopolskie"}, RelationTypes: []string{"LIKES"}}, coopgraph.EINVALID, `unknown relation type "LIKES"`},
		{nb("nowhere", 1), coopgraph.ENOTFOUND, `unknown entity id "nowhere"`},
		{nb("malopolskie", 4), coopgraph.ELIMIT, "depth is 4; the limit is 3"},
		{nb("malopolskie", -1), coopgraph.EINVALID, "depth must not be negative"},
		{cm(0, 1), coopgraph.EINVALID, "community must be at least 1"},
		{cm(1000, 1), coopgraph.ENOTFOUND, "there is no community 1000"},
		{cm(1, -2), coopgraph.EINVALID, "resolution must be a positive number"},
		{scope.Scope{Measure: "FAME"}, coopgraph.EINVALID, `unknown centrality measure "FAME"`},
		{scope.Scope{Path: &scope.Path{From: "opolskie", To: "malopolskie"}, Neighbourhood: &scope.Neighbourhood{ID: "malopolskie"}}, coopgraph.EINVALID, "choose one"},
	} {
		_, err := n.Select(context.Background(), c.sc)
		if coopgraph.ErrorCode(err) != c.code || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%+v: error %v, want %s containing %q", c.sc, err, c.code, c.msg)
		}
	}
}

// An export index built from a dataset that is not the snapshot's is
// refused: the store has changed since the snapshot was taken.
func TestNetworkOfAnotherDatasetIsRefused(t *testing.T) {
	ds, snap, _ := seedNetwork(t)
	smaller := &coopgraph.Dataset{Entities: ds.Entities[:10]}
	moved := &coopgraph.Dataset{Entities: ds.Entities, Relations: slices.Clone(ds.Relations)}
	moved.Relations[7].To = "malopolskie"
	if moved.Relations[7].From == "malopolskie" {
		moved.Relations[7].From = "slaskie"
	}
	renamed := &coopgraph.Dataset{Entities: slices.Clone(ds.Entities), Relations: ds.Relations}
	renamed.Entities[3].ID = "someone-new"
	twice := &coopgraph.Dataset{Entities: slices.Clone(ds.Entities), Relations: ds.Relations}
	twice.Entities[3] = twice.Entities[4]
	for name, other := range map[string]*coopgraph.Dataset{"smaller": smaller, "a relation moved": moved, "an entity renamed": renamed, "an entity twice": twice} {
		if _, err := scope.NewNetwork(snap, other); coopgraph.ErrorCode(err) != coopgraph.EUNAVAILABLE {
			t.Errorf("%s: error %v, want UNAVAILABLE", name, err)
		}
	}
}
