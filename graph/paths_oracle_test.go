package graph

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/coopgraph/coopgraph"
)

// The oracle lists every simple path (no entity twice) by brute force over
// the dataset's relations, with the constraints applied by their
// definitions (dates through time.Date-independent parsing is not needed:
// day numbers are checked against time in window_test.go), and ranks them
// by EXACT cost: hops as an integer, PROPERTY with weights that are
// multiples of 1/2 (float sums are exact), HUB as the product of the
// degrees. It checks the engine's tie tolerance against exact ties, and
// parallel relations, self-loops, MaxHops with weights and Yen on
// multigraphs, which networkx's functions do not cover.

type oraclePath struct {
	nodes, rels []string
	hops        int
	prop        float64
	hub         uint64 // product of the intermediates' degrees
}

// exact returns a comparable exact cost under w.
func (p *oraclePath) exact(w Weighting) float64 {
	switch w {
	case WeightProperty:
		return p.prop
	case WeightHub:
		return float64(p.hub) // < 2^53 on the oracle's graphs
	}
	return float64(p.hops)
}

func (p *oraclePath) cost(w Weighting) float64 {
	if w == WeightHub {
		return math.Log(float64(p.hub))
	}
	return p.exact(w)
}

type oracle struct {
	ds   *coopgraph.Dataset
	kind map[string]string
}

func newOracle(ds *coopgraph.Dataset) *oracle {
	o := &oracle{ds: ds, kind: map[string]string{}}
	for _, e := range ds.Entities {
		o.kind[e.ID] = e.Kind
	}
	return o
}

// paths returns every simple path from -> to under opt, sorted by (exact
// cost, node ids, relation ids).
func (o *oracle) paths(from, to string, opt PathOptions) []oraclePath {
	var win *window
	if opt.Window != nil {
		win, _ = parseWindow(opt.Window)
	}
	keep := func(r coopgraph.Relation) bool {
		if r.From == r.To || len(opt.RelationTypes) > 0 && !slices.Contains(opt.RelationTypes, r.Type) {
			return false
		}
		if win != nil {
			start, _ := parseDay(r.Start, false)
			end, _ := parseDay(r.End, true)
			return start <= win.to && end >= win.from
		}
		return true
	}
	adj := map[string][]coopgraph.Relation{}
	nbrs := map[string]map[string]bool{}
	for _, r := range o.ds.Relations {
		if !keep(r) {
			continue
		}
		adj[r.From] = append(adj[r.From], r)
		adj[r.To] = append(adj[r.To], r)
		for _, e := range [][2]string{{r.From, r.To}, {r.To, r.From}} {
			if nbrs[e[0]] == nil {
				nbrs[e[0]] = map[string]bool{}
			}
			nbrs[e[0]][e[1]] = true
		}
	}
	allowed := func(x string) bool {
		if x == from || x == to {
			return true
		}
		return (len(opt.Kinds) == 0 || slices.Contains(opt.Kinds, o.kind[x])) && !slices.Contains(opt.Avoid, x)
	}
	var out []oraclePath
	nodes, rels := []string{from}, []string{}
	var walk func(prop float64)
	walk = func(prop float64) {
		u := nodes[len(nodes)-1]
		if u == to {
			p := oraclePath{nodes: slices.Clone(nodes), rels: slices.Clone(rels), hops: len(rels), prop: prop, hub: 1}
			for _, x := range nodes[1 : len(nodes)-1] {
				p.hub *= uint64(len(nbrs[x]))
			}
			out = append(out, p)
			return
		}
		if opt.MaxHops > 0 && len(rels) == opt.MaxHops {
			return
		}
		for _, r := range adj[u] {
			v := r.To
			if v == u {
				v = r.From
			}
			if slices.Contains(nodes, v) || !allowed(v) {
				continue
			}
			w, _ := strconv.ParseFloat(r.Properties["w"], 64)
			nodes, rels = append(nodes, v), append(rels, r.ID)
			walk(prop + w)
			nodes, rels = nodes[:len(nodes)-1], rels[:len(rels)-1]
		}
	}
	if from == to {
		return []oraclePath{{nodes: []string{from}, rels: []string{}, hub: 1}}
	}
	walk(0)
	slices.SortFunc(out, func(a, b oraclePath) int {
		return cmp.Or(cmp.Compare(a.exact(opt.Weight), b.exact(opt.Weight)), slices.Compare(a.nodes, b.nodes), slices.Compare(a.rels, b.rels))
	})
	return out
}

// oracleDataset is a small random multigraph: kinds, three relation types,
// periods, weights w in {0.5, 1, 1.5, 2, 3}, parallel relations, self-loops.
func oracleDataset(n, m int, seed uint64) *coopgraph.Dataset {
	rng := rand.New(rand.NewPCG(seed, 7))
	ds := &coopgraph.Dataset{Name: "oracle"}
	kinds := []string{"Organisation", "Project", "Network"}
	for i := range n {
		ds.Entities = append(ds.Entities, coopgraph.Entity{ID: fmt.Sprintf("v%02d", i), Kind: kinds[rng.IntN(3)]})
	}
	types := []string{"MEMBER_OF", "PARTICIPATES_IN", "COOPERATES_WITH"}
	weights := []string{"0.5", "1", "1.5", "2", "3"}
	dates := []string{"", "2010", "2012-05", "2014", "2015-07-20", "2018", "2020-02"}
	for k := range m {
		a, b := rng.IntN(n), rng.IntN(n)
		if rng.IntN(20) == 0 {
			b = a
		} else if a == b {
			b = (a + 1) % n
		}
		r := coopgraph.Relation{ID: fmt.Sprintf("r%03d", rng.IntN(1000)*1000+k), Type: types[rng.IntN(3)],
			From: ds.Entities[a].ID, To: ds.Entities[b].ID, Properties: map[string]string{"w": weights[rng.IntN(5)]}}
		if k > 0 && rng.IntN(6) == 0 { // parallel to the previous relation
			prev := ds.Relations[k-1]
			r.From, r.To = prev.To, prev.From
		}
		if s, e := dates[rng.IntN(len(dates))], dates[rng.IntN(len(dates))]; s == "" || e == "" || s <= e {
			r.Start, r.End = s, e
		}
		ds.Relations = append(ds.Relations, r)
	}
	return ds
}

func oracleOptions() []PathOptions {
	var out []PathOptions
	for _, w := range []Weighting{WeightHops, WeightProperty, WeightHub} {
		prop := ""
		if w == WeightProperty {
			prop = "w"
		}
		for _, o := range []PathOptions{
			{},
			{MaxHops: 2},
			{MaxHops: 3},
			{Window: &TimeWindow{From: "2013", To: "2016"}},
			{Window: &TimeWindow{To: "2012-04"}, MaxHops: 4},
			{Kinds: []string{"Organisation", "Network"}},
			{Avoid: []string{"v00", "v03"}},
			{RelationTypes: []string{"MEMBER_OF", "COOPERATES_WITH"}, Kinds: []string{"Organisation", "Project"}, MaxHops: 5},
		} {
			o.Weight, o.WeightProperty = w, prop
			out = append(out, o)
		}
	}
	return out
}

// TestPathsAgainstOracle checks ShortestPath, AllShortestPaths (paths,
// order, total, costs) and KShortestPaths against the brute force on
// random multigraphs, for every weight and constraint.
func TestPathsAgainstOracle(t *testing.T) {
	checked, kpaths := 0, 0
	for seed := range uint64(12) {
		ds := oracleDataset(11, 24, seed)
		s := NewSnapshot(ds)
		o := newOracle(ds)
		for _, opt := range oracleOptions() {
			for _, from := range ds.Entities {
				for _, to := range ds.Entities {
					opt := opt
					opt.Avoid = slices.DeleteFunc(slices.Clone(opt.Avoid), func(x string) bool { return x == from.ID || x == to.ID })
					name := fmt.Sprintf("seed %d %s-%s %+v", seed, from.ID, to.ID, opt)
					kpaths += checkAgainstOracle(t, name, s, o, from.ID, to.ID, opt)
					checked++
				}
			}
		}
	}
	t.Logf("%d queries, %d k-shortest paths", checked, kpaths)
}

// checkAgainstOracle checks one query's AllShortestPaths, ShortestPath and
// KShortestPaths against the oracle's paths, and returns how many
// k-shortest paths it got.
func checkAgainstOracle(t *testing.T, name string, s *Snapshot, o *oracle, from, to string, opt PathOptions) (kpaths int) {
	t.Helper()
	all := o.paths(from, to, opt)
	best := shortestOf(all, opt.Weight)
	got, total, err := s.AllShortestPaths(from, to, opt, -1)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if !oracleEqual(got, best, opt.Weight) || total != int64(len(best)) {
		t.Fatalf("%s: AllShortestPaths %v (total %d)\nwant %v", name, got, total, best)
	}
	sp, err := s.ShortestPath(from, to, opt)
	if err != nil || (sp == nil) != (len(best) == 0) || sp != nil && !oracleEqual([]Path{*sp}, best[:1], opt.Weight) {
		t.Fatalf("%s: ShortestPath %v, %v; want %v", name, sp, err, best)
	}
	routes := oracleRoutes(all)
	for _, k := range []int{1, 4, 15} {
		ks, err := s.KShortestPaths(context.Background(), from, to, k, opt)
		if err != nil || !oracleEqual(ks, routes[:min(k, len(routes))], opt.Weight) {
			t.Fatalf("%s: KShortestPaths(%d) %v, %v\nwant %v", name, k, ks, err, routes[:min(k, len(routes))])
		}
		kpaths += len(ks)
	}
	return kpaths
}

// shortestOf returns the paths of least exact cost among all (sorted by
// cost), in node then relation order: the order of AllShortestPaths.
func shortestOf(all []oraclePath, w Weighting) []oraclePath {
	var best []oraclePath
	for _, p := range all {
		if p.exact(w) == all[0].exact(w) {
			best = append(best, p)
		}
	}
	slices.SortFunc(best, func(a, b oraclePath) int {
		return cmp.Or(slices.Compare(a.nodes, b.nodes), slices.Compare(a.rels, b.rels))
	})
	return best
}

// oracleRoutes keeps the first of the paths (in the oracle's order) of
// each sequence of entities: the routes KShortestPaths lists, each with
// its cheapest relations, the first by id among equals.
func oracleRoutes(all []oraclePath) []oraclePath {
	seen := map[string]bool{}
	var out []oraclePath
	for _, p := range all {
		if key := strings.Join(p.nodes, "\x00"); !seen[key] {
			seen[key] = true
			out = append(out, p)
		}
	}
	return out
}

func oracleEqual(got []Path, want []oraclePath, w Weighting) bool {
	return len(got) == len(want) && slices.EqualFunc(got, want, func(g Path, o oraclePath) bool {
		return slices.Equal(g.Nodes, o.nodes) && slices.Equal(g.Relations, o.rels) && costClose(g.Cost, o.cost(w))
	})
}
