package graph

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/coopgraph/coopgraph"
)

func TestKShortestPathsArguments(t *testing.T) {
	s := NewSnapshot(smallDataset())
	for _, tc := range []struct {
		k       int
		code    string
		mention string
	}{
		{0, coopgraph.EINVALID, "k must be positive, got 0"},
		{-3, coopgraph.EINVALID, "got -3"},
		{MaxK + 1, coopgraph.ELIMIT, fmt.Sprintf("k = %d is above the limit of %d", MaxK+1, MaxK)},
		{1 << 40, coopgraph.ELIMIT, "above the limit"},
	} {
		ps, err := s.KShortestPaths(context.Background(), "a", "d", tc.k, PathOptions{})
		if ps != nil || coopgraph.ErrorCode(err) != tc.code || !errorMentions(err, tc.mention) {
			t.Errorf("k = %d: %v, %v; want %s naming %s", tc.k, ps, err, tc.code, tc.mention)
		}
	}
	// Ids and options are checked before k.
	if _, err := s.KShortestPaths(context.Background(), "ghost", "d", 0, PathOptions{}); coopgraph.ErrorCode(err) != coopgraph.ENOTFOUND {
		t.Errorf("unknown id with k = 0: %v", err)
	}
	if ps, err := s.KShortestPaths(context.Background(), "a", "d", MaxK, PathOptions{}); err != nil || len(ps) != 3 {
		t.Errorf("k = MaxK: %v, %v", ps, err)
	}
}

// TestKShortestPathsSmall: every route (simple path of entities) of
// smallDataset from a to d, the parallel relations r3 and r4 one hop,
// cheapest first, ties by node ids; then fewer than k, MaxHops and a
// disconnected pair.
func TestKShortestPathsSmall(t *testing.T) {
	s := NewSnapshot(smallDataset())
	all := []Path{
		{Nodes: []string{"a", "b", "d"}, Relations: []string{"r1", "r3"}, Cost: 2},
		{Nodes: []string{"a", "c", "d"}, Relations: []string{"r2", "r5"}, Cost: 2},
		{Nodes: []string{"a", "e", "f", "d"}, Relations: []string{"x1", "x2", "x3"}, Cost: 3},
	}
	for k := 1; k <= 6; k++ {
		got, err := s.KShortestPaths(context.Background(), "a", "d", k, PathOptions{})
		if err != nil || !pathsEqual(got, all[:min(k, 3)]) || !costedEqual(costed(got), costed(all[:min(k, 3)])) {
			t.Errorf("k = %d: %v, %v", k, got, err)
		}
	}
	got, err := s.KShortestPaths(context.Background(), "a", "d", 10, PathOptions{})
	if err != nil || len(got) != 3 || !slices.Equal(got[0].Hops[1], []string{"r3", "r4"}) || !slices.Equal(got[1].Hops[1], []string{"r5"}) {
		t.Errorf("hops: %v, %v; want b–d carrying r3 and r4", got, err)
	}
	got, err = s.KShortestPaths(context.Background(), "a", "d", 10, PathOptions{MaxHops: 2})
	if err != nil || !pathsEqual(got, all[:2]) {
		t.Errorf("MaxHops 2: %v, %v", got, err)
	}
	got, err = s.KShortestPaths(context.Background(), "a", "d", 10, PathOptions{RelationTypes: []string{"MEMBER_OF"}})
	if err != nil || !pathsEqual(got, []Path{all[0], all[1]}) {
		t.Errorf("MEMBER_OF: %v, %v", got, err)
	}
	got, err = s.KShortestPaths(context.Background(), "d", "a", 2, PathOptions{})
	back := []Path{{Nodes: []string{"d", "b", "a"}, Relations: []string{"r3", "r1"}}, {Nodes: []string{"d", "c", "a"}, Relations: []string{"r5", "r2"}}}
	if err != nil || !pathsEqual(got, back) {
		t.Errorf("d -> a: %v, %v", got, err)
	}
	if got, err := s.KShortestPaths(context.Background(), "a", "lonely", 3, PathOptions{}); got != nil || err != nil {
		t.Errorf("a -> lonely: %v, %v; want nil, nil", got, err)
	}
}

// TestKShortestPathsStartWithAllShortest: on every networkx fixture pair,
// the first k simple paths are the first k shortest paths when there are
// that many, and then costs never decrease and the paths are distinct and
// simple.
func TestKShortestPathsStartWithAllShortest(t *testing.T) {
	for _, fx := range loadFixtures(t) {
		s := NewSnapshot(fx.dataset())
		for _, c := range fx.Cases {
			for _, p := range c.Pairs {
				name := fmt.Sprintf("%s/%v/%s-%s", fx.Name, c.RelationTypes, p.From, p.To)
				opt := PathOptions{RelationTypes: c.RelationTypes}
				ks, err := s.KShortestPaths(context.Background(), p.From, p.To, 6, opt)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				var want []Path // the first routes of AllShortestPaths
				if p.Length >= 0 {
					all, _, _ := s.AllShortestPaths(p.From, p.To, opt, 100000)
					want = routesOf(all, 6)
				}
				n := len(want)
				if len(ks) < n || !pathsEqual(ks[:n], want) {
					t.Errorf("%s: %v, want first %v", name, ks, want)
				}
				seen := map[string]bool{}
				for i, q := range ks {
					key := fmt.Sprint(q.Nodes)
					nodes := slices.Clone(q.Nodes)
					slices.Sort(nodes)
					if seen[key] || len(slices.Compact(nodes)) != len(q.Nodes) || i > 0 && q.Cost < ks[i-1].Cost || q.Cost != float64(len(q.Relations)) {
						t.Errorf("%s: path %d %v (cost %v) repeated, not simple or out of order", name, i, q, q.Cost)
					}
					seen[key] = true
				}
			}
		}
	}
}

// routesOf keeps the first path of each sequence of entities, at most n.
func routesOf(paths []Path, n int) []Path {
	seen := map[string]bool{}
	var out []Path
	for _, p := range paths {
		if key := fmt.Sprint(p.Nodes); !seen[key] && len(out) < n {
			seen[key] = true
			out = append(out, p)
		}
	}
	return out
}
