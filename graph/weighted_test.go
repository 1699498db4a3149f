package graph

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sync"
	"testing"

	"github.com/coopgraph/coopgraph"
)

type costedPath struct {
	nodes string
	cost  float64
}

func costed(ps []Path) []costedPath {
	var out []costedPath
	for _, p := range ps {
		out = append(out, costedPath{fmt.Sprint(p.Nodes), p.Cost})
	}
	return out
}

func costedEqual(got, want []costedPath) bool {
	return slices.EqualFunc(got, want, func(a, b costedPath) bool { return a.nodes == b.nodes && costClose(a.cost, b.cost) })
}

// TestWeightHub: a path through a 3-partner project costs ln 3, through a
// 7-member network ln 7, through two organisations of two partners each
// ln 2 + ln 2; parallel relations do not add to a degree, self-loops do
// not count, Kinds and Avoid leave degrees alone, types and windows do not.
func TestWeightHub(t *testing.T) {
	ds := hubDataset()
	// m3..m5 were members of Vanguard until 2012 only.
	for i := range ds.Relations {
		if r := &ds.Relations[i]; slices.Contains([]string{"v5", "v6", "v7"}, r.ID) {
			r.Start, r.End = "2010", "2012"
		}
	}
	s := NewSnapshot(ds)
	symbi := "[malopolska symbi catalunya]"
	vanguard := "[malopolska vanguard catalunya]"
	orgs := "[malopolska org-a org-b catalunya]"
	ln := math.Log
	for _, tc := range []struct {
		opt  PathOptions
		want []costedPath // KShortestPaths
		all  int          // how many of them AllShortestPaths returns
	}{
		{PathOptions{}, []costedPath{{symbi, ln(3)}, {symbi, ln(3)}, {orgs, 2 * ln(2)}, {vanguard, ln(7)}}, 2},
		// symbi's relations ended in 2022; from 2023 on, Vanguard has 4
		// members: ln 4 = ln 2 + ln 2, a tie broken by node ids.
		{PathOptions{Window: &TimeWindow{From: "2023"}}, []costedPath{{orgs, 2 * ln(2)}, {vanguard, ln(4)}}, 2},
		{PathOptions{Kinds: []string{"Network", "Project"}}, []costedPath{{symbi, ln(3)}, {symbi, ln(3)}, {vanguard, ln(7)}}, 2},
		{PathOptions{Avoid: []string{"symbi", "org-b"}}, []costedPath{{vanguard, ln(7)}}, 1},
		{PathOptions{RelationTypes: []string{"MEMBER_OF", "COOPERATES_WITH"}}, []costedPath{{orgs, 2 * ln(2)}, {vanguard, ln(7)}}, 1},
		{PathOptions{MaxHops: 2}, []costedPath{{symbi, ln(3)}, {symbi, ln(3)}, {vanguard, ln(7)}}, 2},
	} {
		tc.opt.Weight = WeightHub
		// KShortestPaths lists routes: symbi's parallel p1 and p4 are one.
		routes := slices.CompactFunc(slices.Clone(tc.want), func(a, b costedPath) bool { return a.nodes == b.nodes })
		ks, err := s.KShortestPaths(context.Background(), "malopolska", "catalunya", 10, tc.opt)
		if err != nil || !costedEqual(costed(ks), routes) {
			t.Errorf("%+v: KShortestPaths %v, %v; want %v", tc.opt, costed(ks), err, routes)
		}
		all, total, err := s.AllShortestPaths("malopolska", "catalunya", tc.opt, -1)
		if err != nil || total != int64(tc.all) || !costedEqual(costed(all), tc.want[:tc.all]) {
			t.Errorf("%+v: AllShortestPaths %v (total %d), %v; want %v", tc.opt, costed(all), total, err, tc.want[:tc.all])
		}
	}
	// A direct link costs nothing: no intermediate.
	if p, err := s.ShortestPath("malopolska", "symbi", PathOptions{Weight: WeightHub}); err != nil || p == nil || p.Cost != 0 || len(p.Relations) != 1 {
		t.Errorf("direct link: %v, %v", p, err)
	}
}

// TestHubTieTolerance: two routes whose intermediates have degrees 3, 2, 2
// and 2, 2, 3 cost the same, but the float sums differ in the last bit
// (ln 3 + ln 2 + ln 2 > ln 2 + ln 2 + ln 3). Both are shortest paths, in
// node id order, and Yen lists them in that order.
func TestHubTieTolerance(t *testing.T) {
	ds := &coopgraph.Dataset{}
	for _, id := range []string{"s", "t", "p1", "p2", "p3", "q1", "q2", "q3", "leaf-p", "leaf-q"} {
		ds.Entities = append(ds.Entities, coopgraph.Entity{ID: id})
	}
	for i, e := range [][2]string{{"s", "p1"}, {"p1", "p2"}, {"p2", "p3"}, {"p3", "t"}, {"p1", "leaf-p"},
		{"s", "q1"}, {"q1", "q2"}, {"q2", "q3"}, {"q3", "t"}, {"q3", "leaf-q"}} {
		ds.Relations = append(ds.Relations, coopgraph.Relation{ID: fmt.Sprintf("r%d", i), Type: "COOPERATES_WITH", From: e[0], To: e[1]})
	}
	ln := math.Log
	p, q := ln(3)+ln(2)+ln(2), ln(2)+ln(2)+ln(3)
	if p <= q {
		t.Fatalf("the float sums tie (%v, %v): the test needs them apart", p, q)
	}
	s := NewSnapshot(ds)
	all, total, err := s.AllShortestPaths("s", "t", PathOptions{Weight: WeightHub}, -1)
	want := []costedPath{{"[s p1 p2 p3 t]", p}, {"[s q1 q2 q3 t]", q}}
	if err != nil || total != 2 || !costedEqual(costed(all), want) || all[0].Cost != p || all[1].Cost != q {
		t.Errorf("AllShortestPaths: %v (total %d), %v; want %v", costed(all), total, err, want)
	}
	ks, err := s.KShortestPaths(context.Background(), "s", "t", 2, PathOptions{Weight: WeightHub})
	if err != nil || !costedEqual(costed(ks), want) {
		t.Errorf("KShortestPaths: %v, %v; want %v", costed(ks), err, want)
	}
	sp, err := s.ShortestPath("s", "t", PathOptions{Weight: WeightHub})
	if err != nil || sp == nil || fmt.Sprint(sp.Nodes) != want[0].nodes {
		t.Errorf("ShortestPath: %v, %v; want %v", sp, err, want[0])
	}
}

func TestWeightProperty(t *testing.T) {
	s := NewSnapshot(hubDataset())
	opt := PathOptions{Weight: WeightProperty, WeightProperty: "km"}
	ks, err := s.KShortestPaths(context.Background(), "malopolska", "catalunya", 10, opt)
	want := []Path{
		{Nodes: []string{"malopolska", "vanguard", "catalunya"}, Relations: []string{"v1", "v2"}, Cost: 2},
		{Nodes: []string{"malopolska", "org-a", "org-b", "catalunya"}, Relations: []string{"c1", "c2", "c3"}, Cost: 3},
		{Nodes: []string{"malopolska", "symbi", "catalunya"}, Relations: []string{"p1", "p2"}, Cost: 10},
	}
	// Three routes: symbi's parallel p1 (5 km) and p4 (7 km) are one hop,
	// which costs the cheaper and carries both.
	if err != nil || !pathsEqual(ks, want) || !costedEqual(costed(ks), costed(want)) || !slices.Equal(ks[2].Hops[0], []string{"p1", "p4"}) {
		t.Errorf("KShortestPaths: %v, %v; want %v", ks, err, want)
	}
	// Of two parallel relations, a shortest path takes the cheaper.
	opt.Kinds = []string{"Project"}
	all, total, err := s.AllShortestPaths("malopolska", "catalunya", opt, -1)
	if err != nil || total != 1 || !pathsEqual(all, want[2:3]) || all[0].Cost != 10 {
		t.Errorf("through symbi: %v, %d, %v", all, total, err)
	}
}

// TestWeightPropertyValues: which values are weights, and that only the
// relations a query keeps must have one.
func TestWeightPropertyValues(t *testing.T) {
	for _, tc := range []struct {
		value   string
		ok      bool
		mention string
	}{
		{"2.5", true, ""},
		{" 3 ", true, ""},
		{"1e-3", true, ""},
		{"0x1p-2", true, ""},
		{"0", false, `"0" is not a positive number`},
		{"-1", false, "is not a positive number"},
		{"NaN", false, "is not a positive number"},
		{"+Inf", false, "is not a positive number"},
		{"1e400", false, "is not a positive number"},
		{"12 km", false, "is not a positive number"},
		{"", false, `relation "c2": weight property "km" = "" is not a positive number`},
	} {
		ds := hubDataset()
		for i := range ds.Relations {
			if ds.Relations[i].ID == "c2" {
				ds.Relations[i].Properties["km"] = tc.value
			}
		}
		s := NewSnapshot(ds)
		p, err := s.ShortestPath("malopolska", "catalunya", PathOptions{Weight: WeightProperty, WeightProperty: "km", Kinds: []string{"Organisation"}})
		switch {
		case tc.ok && (err != nil || p == nil):
			t.Errorf("km = %q: %v, %v", tc.value, p, err)
		case !tc.ok && (p != nil || coopgraph.ErrorCode(err) != coopgraph.EINVALID || !errorMentions(err, tc.mention) || !errorMentions(err, `"c2"`)):
			t.Errorf("km = %q: %v, %v; want EINVALID naming c2 and %s", tc.value, p, err, tc.mention)
		}
	}

	ds := hubDataset()
	for i := range ds.Relations {
		if ds.Relations[i].Type == "MEMBER_OF" {
			delete(ds.Relations[i].Properties, "km")
		}
	}
	s := NewSnapshot(ds)
	opt := PathOptions{Weight: WeightProperty, WeightProperty: "km"}
	// The first kept relation without one, by id, whether or not a path
	// would take it.
	_, err := s.ShortestPath("malopolska", "symbi", opt)
	if coopgraph.ErrorCode(err) != coopgraph.EINVALID || !errorMentions(err, `relation "v1" has no weight property "km"`) {
		t.Errorf("MEMBER_OF without km: %v", err)
	}
	for _, o := range []PathOptions{
		{RelationTypes: []string{"PARTICIPATES_IN", "COOPERATES_WITH"}},
		{Window: &TimeWindow{From: "2019", To: "2019"}, RelationTypes: []string{"PARTICIPATES_IN"}},
	} {
		o.Weight, o.WeightProperty = WeightProperty, "km"
		if p, err := s.ShortestPath("malopolska", "catalunya", o); err != nil || p == nil {
			t.Errorf("%+v: %v, %v", o, p, err)
		}
	}
	// The window drops symbi's relations and keeps MEMBER_OF ones.
	o := PathOptions{Window: &TimeWindow{From: "2023"}, RelationTypes: []string{"PARTICIPATES_IN", "MEMBER_OF"}, Weight: WeightProperty, WeightProperty: "km"}
	if _, err := s.ShortestPath("malopolska", "catalunya", o); !errorMentions(err, `"v1"`) {
		t.Errorf("window keeping MEMBER_OF: %v", err)
	}
}

// TestWeightedMaxHops: with MaxHops, the cheapest path of at most MaxHops
// relations, not the cheapest path if it is longer.
func TestWeightedMaxHops(t *testing.T) {
	ds := &coopgraph.Dataset{}
	for _, id := range []string{"a", "b", "c", "d", "e", "x", "y"} {
		ds.Entities = append(ds.Entities, coopgraph.Entity{ID: id, Kind: "Organisation"})
	}
	rel := func(id, from, to, w string) {
		ds.Relations = append(ds.Relations, coopgraph.Relation{ID: id, Type: "COOPERATES_WITH", From: from, To: to, Properties: map[string]string{"w": w}})
	}
	rel("r1", "a", "b", "1")
	rel("r2", "b", "c", "1")
	rel("r3", "c", "d", "1")
	rel("r4", "d", "e", "1")
	rel("r5", "a", "x", "3")
	rel("r6", "x", "e", "3")
	rel("r7", "a", "y", "2")
	rel("r8", "y", "e", "4")
	rel("r9", "a", "e", "10")
	s := NewSnapshot(ds)
	for _, tc := range []struct {
		hops  int
		want  [][]string
		cost  float64
		first []float64 // KShortestPaths costs
	}{
		{0, [][]string{{"a", "b", "c", "d", "e"}}, 4, []float64{4, 6, 6, 10}},
		{4, [][]string{{"a", "b", "c", "d", "e"}}, 4, []float64{4, 6, 6, 10}},
		{3, [][]string{{"a", "x", "e"}, {"a", "y", "e"}}, 6, []float64{6, 6, 10}},
		{2, [][]string{{"a", "x", "e"}, {"a", "y", "e"}}, 6, []float64{6, 6, 10}},
		{1, [][]string{{"a", "e"}}, 10, []float64{10}},
	} {
		opt := PathOptions{Weight: WeightProperty, WeightProperty: "w", MaxHops: tc.hops}
		all, total, err := s.AllShortestPaths("a", "e", opt, -1)
		var nodes [][]string
		for _, p := range all {
			nodes = append(nodes, p.Nodes)
			if p.Cost != tc.cost {
				t.Errorf("MaxHops %d: %v costs %v, want %v", tc.hops, p, p.Cost, tc.cost)
			}
		}
		if err != nil || total != int64(len(tc.want)) || !slices.EqualFunc(nodes, tc.want, slices.Equal) {
			t.Errorf("MaxHops %d: %v (total %d), %v; want %v", tc.hops, nodes, total, err, tc.want)
		}
		ks, err := s.KShortestPaths(context.Background(), "a", "e", 10, opt)
		var costs []float64
		for _, p := range ks {
			costs = append(costs, p.Cost)
		}
		if err != nil || !slices.Equal(costs, tc.first) {
			t.Errorf("MaxHops %d: KShortestPaths costs %v, %v; want %v", tc.hops, costs, err, tc.first)
		}
	}
}

// TestWeightedCountSaturates: 64 hops of three parallel relations, two of
// them the cheapest: 2^64 weighted shortest paths saturate total, and the
// first ones come out at once, in relation id order.
func TestWeightedCountSaturates(t *testing.T) {
	ds := &coopgraph.Dataset{}
	for i := range 65 {
		ds.Entities = append(ds.Entities, coopgraph.Entity{ID: fmt.Sprintf("c%02d", i)})
		if i > 0 {
			for j, w := range []string{"2", "1", "1"} {
				ds.Relations = append(ds.Relations, coopgraph.Relation{ID: fmt.Sprintf("r%02d-%d", i, j), Type: "PART_OF",
					From: fmt.Sprintf("c%02d", i-1), To: fmt.Sprintf("c%02d", i), Properties: map[string]string{"w": w}})
			}
		}
	}
	s := NewSnapshot(ds)
	opt := PathOptions{Weight: WeightProperty, WeightProperty: "w"}
	ps, n, err := s.AllShortestPaths("c00", "c64", opt, 3)
	if err != nil || n != math.MaxInt64 || len(ps) != 3 || ps[0].Cost != 64 {
		t.Fatalf("%d paths, total %d, %v; want 3, MaxInt64", len(ps), n, err)
	}
	if ps[0].Relations[63] != "r64-1" || ps[1].Relations[63] != "r64-2" || ps[2].Relations[62] != "r63-2" || ps[2].Relations[63] != "r64-1" {
		t.Errorf("relation order: %v / %v / %v", ps[0].Relations[60:], ps[1].Relations[60:], ps[2].Relations[60:])
	}
	_, n, _ = s.AllShortestPaths("c00", "c62", opt, 0)
	if n != 1<<62 {
		t.Errorf("2^62 paths: total %d", n)
	}
	_, n, _ = s.AllShortestPaths("c00", "c63", opt, 0)
	if n != math.MaxInt64 {
		t.Errorf("2^63 paths: total %d, want MaxInt64", n)
	}
	// Hub: every relation costs the same, 3^64 paths.
	_, n, _ = s.AllShortestPaths("c00", "c64", PathOptions{Weight: WeightHub}, 0)
	if n != math.MaxInt64 {
		t.Errorf("hub: total %d, want MaxInt64", n)
	}
}

// TestWeightedDeterministic: weighted and k-shortest queries from many
// goroutines sharing the snapshot's pooled workspaces and caches give the
// first call's answer.
func TestWeightedDeterministic(t *testing.T) {
	ds := randomDataset(2000, 6000, 23)
	for i := range ds.Relations {
		ds.Relations[i].Properties = map[string]string{"w": fmt.Sprint(1 + i%4)}
	}
	s := NewSnapshot(ds)
	opts := []PathOptions{
		{Weight: WeightHub},
		{Weight: WeightProperty, WeightProperty: "w"},
		{Weight: WeightHub, MaxHops: 6, RelationTypes: []string{"MEMBER_OF", "COOPERATES_WITH"}},
		{Kinds: []string{"Organisation"}},
	}
	type query struct {
		from, to string
		opt      PathOptions
	}
	var qs []query
	for i := range 40 {
		qs = append(qs, query{fmt.Sprintf("e%07d", (i*7919)%2000), fmt.Sprintf("e%07d", (i*104729+13)%2000), opts[i%len(opts)]})
	}
	answer := func(q query) string {
		p, err := s.ShortestPath(q.from, q.to, q.opt)
		if err != nil {
			return err.Error()
		}
		ks, err := s.KShortestPaths(context.Background(), q.from, q.to, 3, q.opt)
		if err != nil {
			return err.Error()
		}
		all, n, err := s.AllShortestPaths(q.from, q.to, q.opt, 5)
		return fmt.Sprint(p, ks, all, n, err)
	}
	want := make([]string, len(qs))
	for i, q := range qs {
		want[i] = answer(q)
	}
	var wg sync.WaitGroup
	for g := range 6 {
		wg.Go(func() {
			for r := range 15 {
				i := (g*17 + r*7) % len(qs)
				if got := answer(qs[i]); got != want[i] {
					t.Errorf("%+v: %s\nfirst call %s", qs[i], got, want[i])
				}
			}
		})
	}
	wg.Wait()
}

// TestWeightCacheBound: the parsed weights of at most maxWeightProperties
// properties are kept, and an evicted property is parsed again.
func TestWeightCacheBound(t *testing.T) {
	ds := hubDataset()
	for i := range ds.Relations {
		for k := range maxWeightProperties + 3 {
			ds.Relations[i].Properties[fmt.Sprintf("p%d", k)] = fmt.Sprint(k + 1)
		}
	}
	s := NewSnapshot(ds)
	for round := range 2 {
		for k := range maxWeightProperties + 3 {
			p, err := s.ShortestPath("malopolska", "catalunya", PathOptions{Weight: WeightProperty, WeightProperty: fmt.Sprintf("p%d", k)})
			if err != nil || p == nil || p.Cost != float64(2*(k+1)) {
				t.Fatalf("round %d, p%d: %v, %v", round, k, p, err)
			}
		}
	}
	if len(s.weights.items) != maxWeightProperties || len(s.weights.order) != maxWeightProperties {
		t.Errorf("%d properties cached, want %d", len(s.weights.items), maxWeightProperties)
	}
}
