package graph

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/coopgraph/coopgraph"
)

// hubDataset: two regions linked through a 3-partner project, a large
// network (7 members), and a chain of two organisations.
//
//	malopolska -PARTICIPATES_IN-> symbi <-PARTICIPATES_IN- catalunya, hame -> symbi
//	malopolska -MEMBER_OF-> vanguard <-MEMBER_OF- catalunya, m1..m5 -> vanguard
//	malopolska -COOPERATES_WITH- org-a -COOPERATES_WITH- org-b -COOPERATES_WITH- catalunya
//
// Every relation has a "km" property; symbi's relations are dated 2019–2022.
func hubDataset() *coopgraph.Dataset {
	ds := &coopgraph.Dataset{Name: "hub"}
	ent := func(id, kind string) { ds.Entities = append(ds.Entities, coopgraph.Entity{ID: id, Kind: kind}) }
	rel := func(id, typ, from, to, km string) {
		ds.Relations = append(ds.Relations, coopgraph.Relation{ID: id, Type: typ, From: from, To: to,
			Properties: map[string]string{"km": km}})
	}
	ent("malopolska", "Region")
	ent("catalunya", "Region")
	ent("symbi", "Project")
	ent("hame", "Organisation")
	ent("vanguard", "Network")
	ent("org-a", "Organisation")
	ent("org-b", "Organisation")
	rel("p1", "PARTICIPATES_IN", "malopolska", "symbi", "5")
	rel("p2", "PARTICIPATES_IN", "catalunya", "symbi", "5")
	rel("p3", "PARTICIPATES_IN", "hame", "symbi", "5")
	rel("p4", "PARTICIPATES_IN", "malopolska", "symbi", "7") // a second role: a parallel relation
	for i := range ds.Relations {
		ds.Relations[i].Start, ds.Relations[i].End = "2019", "2022"
	}
	rel("v1", "MEMBER_OF", "malopolska", "vanguard", "1")
	rel("v2", "MEMBER_OF", "catalunya", "vanguard", "1")
	for i := 1; i <= 5; i++ {
		ent(fmt.Sprintf("m%d", i), "Region")
		rel(fmt.Sprintf("v%d", i+2), "MEMBER_OF", fmt.Sprintf("m%d", i), "vanguard", "1")
	}
	rel("c1", "COOPERATES_WITH", "malopolska", "org-a", "1")
	rel("c2", "COOPERATES_WITH", "org-a", "org-b", "1")
	rel("c3", "COOPERATES_WITH", "catalunya", "org-b", "1")
	rel("loop", "COOPERATES_WITH", "vanguard", "vanguard", "none") // never on a path: not checked
	return ds
}

func TestPathKindsAndAvoid(t *testing.T) {
	s := NewSnapshot(hubDataset())
	via := func(ps []Path) []string {
		var out []string
		for _, p := range ps {
			out = append(out, fmt.Sprint(p.Nodes[1:len(p.Nodes)-1]))
		}
		return out
	}
	for _, tc := range []struct {
		opt  PathOptions
		want []string // the intermediates of each shortest path
	}{
		{PathOptions{}, []string{"[symbi]", "[symbi]", "[vanguard]"}},
		{PathOptions{Kinds: []string{"Network"}}, []string{"[vanguard]"}},
		{PathOptions{Kinds: []string{"Project", "Network"}}, []string{"[symbi]", "[symbi]", "[vanguard]"}},
		{PathOptions{Kinds: []string{"Organisation"}}, []string{"[org-a org-b]"}},
		// The endpoints are Regions: allowed whatever Kinds says.
		{PathOptions{Kinds: []string{"Person"}}, nil},
		{PathOptions{Avoid: []string{"vanguard"}}, []string{"[symbi]", "[symbi]"}},
		{PathOptions{Avoid: []string{"vanguard", "symbi", "vanguard"}}, []string{"[org-a org-b]"}},
		{PathOptions{Avoid: []string{"org-a"}, Kinds: []string{"Organisation"}}, nil},
		{PathOptions{Avoid: []string{"symbi"}, Window: &TimeWindow{From: "2020"}}, []string{"[vanguard]"}},
	} {
		got, total, err := s.AllShortestPaths("malopolska", "catalunya", tc.opt, -1)
		if err != nil || !slices.Equal(via(got), tc.want) || total != int64(len(tc.want)) {
			t.Errorf("%+v: %v (total %d), %v; want %v", tc.opt, via(got), total, err, tc.want)
		}
		ks, err := s.KShortestPaths(context.Background(), "malopolska", "catalunya", MaxK, tc.opt)
		if err != nil {
			t.Errorf("%+v: KShortestPaths: %v", tc.opt, err)
		}
		for _, p := range ks {
			for _, x := range p.Nodes[1 : len(p.Nodes)-1] {
				k, _ := s.Kind(x)
				if len(tc.opt.Kinds) > 0 && !slices.Contains(tc.opt.Kinds, k) || slices.Contains(tc.opt.Avoid, x) {
					t.Errorf("%+v: KShortestPaths passes through %s (%s): %v", tc.opt, x, k, p)
				}
			}
		}
	}
	// Every route, once each: through symbi (one hop carrying the
	// parallel p1 and p4), through vanguard, through the organisations,
	// and none through hame or m1..m5 (dead ends).
	ks, err := s.KShortestPaths(context.Background(), "malopolska", "catalunya", 10, PathOptions{})
	if err != nil || len(ks) != 3 || ks[2].Cost != 3 || !slices.Equal(ks[0].Hops[0], []string{"p1", "p4"}) {
		t.Errorf("all simple paths: %v, %v", ks, err)
	}
}

// TestPathErrorsConstrained: every validation error, with its code and the
// argument it names, from all three path functions.
func TestPathErrorsConstrained(t *testing.T) {
	s := NewSnapshot(hubDataset())
	cases := []struct {
		from, to string
		opt      PathOptions
		code     string
		mention  string
	}{
		{"nobody", "catalunya", PathOptions{Kinds: []string{"Dragon"}}, coopgraph.ENOTFOUND, `unknown entity id "nobody"`},
		{"malopolska", "catalunya", PathOptions{Kinds: []string{"Region", "Dragon"}}, coopgraph.EINVALID, `unknown kind "Dragon" in viaKinds`},
		{"malopolska", "catalunya", PathOptions{Kinds: []string{"region"}}, coopgraph.EINVALID, `"region"`},
		{"malopolska", "catalunya", PathOptions{Avoid: []string{"vanguard", "ghost"}}, coopgraph.ENOTFOUND, `unknown entity id "ghost"`},
		{"malopolska", "catalunya", PathOptions{Avoid: []string{"catalunya"}}, coopgraph.EINVALID, `avoid lists "catalunya", an endpoint`},
		{"malopolska", "malopolska", PathOptions{Avoid: []string{"malopolska"}}, coopgraph.EINVALID, `avoid lists "malopolska"`},
		{"malopolska", "catalunya", PathOptions{Window: &TimeWindow{From: "2020", To: "2019"}}, coopgraph.EINVALID, "activeFrom"},
		{"malopolska", "catalunya", PathOptions{Window: &TimeWindow{To: "2019-02-29"}}, coopgraph.EINVALID, "activeTo"},
		{"malopolska", "catalunya", PathOptions{Weight: "KM"}, coopgraph.EINVALID, `unknown weight "KM"`},
		{"malopolska", "catalunya", PathOptions{Weight: WeightProperty}, coopgraph.EINVALID, "needs a weightProperty"},
		{"malopolska", "catalunya", PathOptions{Weight: WeightHub, WeightProperty: "km"}, coopgraph.EINVALID, `weightProperty "km"`},
		{"malopolska", "catalunya", PathOptions{WeightProperty: "km"}, coopgraph.EINVALID, `weightProperty "km"`},
		{"malopolska", "catalunya", PathOptions{Weight: WeightProperty, WeightProperty: "euros"}, coopgraph.EINVALID, `no relation has the weight property "euros"`},
		{"malopolska", "catalunya", PathOptions{MaxHops: -2, Kinds: []string{"Dragon"}}, coopgraph.EINVALID, "maxHops"},
		{"malopolska", "catalunya", PathOptions{RelationTypes: []string{"LIKES"}, Kinds: []string{"Dragon"}}, coopgraph.EINVALID, `"LIKES"`},
	}
	for _, tc := range cases {
		check := func(fn string, err error, empty bool) {
			if !empty || coopgraph.ErrorCode(err) != tc.code || !errorMentions(err, tc.mention) {
				t.Errorf("%s(%q, %q, %+v): %v; want %s naming %s", fn, tc.from, tc.to, tc.opt, err, tc.code, tc.mention)
			}
		}
		p, err := s.ShortestPath(tc.from, tc.to, tc.opt)
		check("ShortestPath", err, p == nil)
		ps, n, err := s.AllShortestPaths(tc.from, tc.to, tc.opt, -1)
		check("AllShortestPaths", err, ps == nil && n == 0)
		ps, err = s.KShortestPaths(context.Background(), tc.from, tc.to, 3, tc.opt)
		check("KShortestPaths", err, ps == nil)
	}
}

// TestPathSameNodeConstrained: from == to is the entity alone whatever
// the constraints allow, once they are valid.
func TestPathSameNodeConstrained(t *testing.T) {
	s := NewSnapshot(hubDataset())
	for _, opt := range []PathOptions{
		{Kinds: []string{"Person"}},
		{Avoid: []string{"vanguard"}},
		{Window: &TimeWindow{To: "1990"}},
		{Weight: WeightHub, MaxHops: 1},
		{Weight: WeightProperty, WeightProperty: "km", RelationTypes: []string{"MEMBER_OF"}},
	} {
		want := []Path{{Nodes: []string{"symbi"}, Relations: []string{}}}
		p, err := s.ShortestPath("symbi", "symbi", opt)
		if err != nil || p == nil || !pathsEqual([]Path{*p}, want) || p.Cost != 0 {
			t.Errorf("%+v: ShortestPath %v, %v", opt, p, err)
		}
		ps, n, err := s.AllShortestPaths("symbi", "symbi", opt, -1)
		if err != nil || n != 1 || !pathsEqual(ps, want) {
			t.Errorf("%+v: AllShortestPaths %v, %d, %v", opt, ps, n, err)
		}
		ps, err = s.KShortestPaths(context.Background(), "symbi", "symbi", 5, opt)
		if err != nil || !pathsEqual(ps, want) || ps[0].Relations == nil {
			t.Errorf("%+v: KShortestPaths %v, %v", opt, ps, err)
		}
	}
}

func TestKind(t *testing.T) {
	s := NewSnapshot(hubDataset())
	if k, ok := s.Kind("symbi"); !ok || k != "Project" {
		t.Errorf("Kind(symbi) = %q, %v", k, ok)
	}
	if k, ok := s.Kind("nobody"); ok || k != "" {
		t.Errorf("Kind(nobody) = %q, %v", k, ok)
	}
	// A kind of the vocabulary that no entity has is valid: it allows no
	// intermediate.
	if p, err := s.ShortestPath("malopolska", "catalunya", PathOptions{Kinds: []string{"Agreement"}}); p != nil || err != nil {
		t.Errorf("Kinds [Agreement]: %v, %v; want none", p, err)
	}
	if p, err := s.ShortestPath("malopolska", "symbi", PathOptions{Kinds: []string{"Agreement"}}); p == nil || err != nil || p.Cost != 1 {
		t.Errorf("Kinds [Agreement], direct link: %v, %v", p, err)
	}
}
