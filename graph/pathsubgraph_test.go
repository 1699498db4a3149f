package graph

import (
	"fmt"
	"slices"
	"testing"

	"github.com/coopgraph/coopgraph"
)

// TestShortestPathSubgraphNetworkx: on every query of the paths fixtures
// ranked by hops, the subgraph is the union of networkx's shortest node
// paths (nx.all_shortest_paths): entity x in layer k when some path has x
// at position k, a link u–w when some path steps from u to w; Total is
// networkx's count of relation sequences; each link carries the kept
// parallel relations, those the fixture's relation sequences use when it
// lists them all.
func TestShortestPathSubgraphNetworkx(t *testing.T) {
	queries := 0
	for _, fx := range loadPathsFixtures(t) {
		s := NewSnapshot(fx.dataset())
		for _, q := range fx.Queries {
			if q.Options.Weight != WeightHops {
				continue
			}
			queries++
			name := fmt.Sprintf("%s/%s-%s/%+v", fx.Name, q.From, q.To, q.Options)
			g, err := s.ShortestPathSubgraph(q.From, q.To, q.options())
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if len(q.NodePaths) == 0 {
				if g != nil {
					t.Errorf("%s: %+v, want nil (not connected)", name, g)
				}
				continue
			}
			checkSubgraph(t, name, g, &q)
		}
	}
	if queries < 50 {
		t.Fatalf("only %d queries by hops", queries)
	}
	t.Logf("%d queries", queries)
}

func checkSubgraph(t *testing.T, name string, g *PathSubgraph, q *pathsQuery) {
	t.Helper()
	d := len(q.NodePaths[0]) - 1
	layers := make([][]string, d+1)
	links := map[string][]string{}
	for _, p := range q.NodePaths {
		for k, x := range p {
			if !slices.Contains(layers[k], x) {
				layers[k] = append(layers[k], x)
			}
			if k < d {
				links[fmt.Sprint(k, p[k], p[k+1])] = nil
			}
		}
	}
	for _, l := range layers {
		slices.Sort(l)
	}
	if g == nil || g.Total != q.Total || fmt.Sprint(g.Layers) != fmt.Sprint(layers) || len(g.Links) != len(links) {
		t.Fatalf("%s: %+v\nwant layers %v, %d links, total %d", name, g, layers, len(links), q.Total)
	}
	if q.Complete {
		for _, p := range q.Paths {
			for k, r := range p.Relations {
				key := fmt.Sprint(k, p.Nodes[k], p.Nodes[k+1])
				if !slices.Contains(links[key], r) {
					links[key] = append(links[key], r)
				}
			}
		}
	}
	for _, l := range g.Links {
		want, ok := links[fmt.Sprint(l.Layer, l.From, l.To)]
		slices.Sort(want)
		if !ok || q.Complete && !slices.Equal(l.Relations, want) || len(l.Relations) == 0 {
			t.Errorf("%s: link %+v, want relations %v (listed: %v)", name, l, want, ok)
		}
	}
}

// TestShortestPathSubgraphSmall: the two routes of smallDataset in three
// layers, b–d carrying both parallel relations; the endpoint alone; a
// disconnected pair; and a weight other than hops refused.
func TestShortestPathSubgraphSmall(t *testing.T) {
	s := NewSnapshot(smallDataset())
	g, err := s.ShortestPathSubgraph("a", "d", PathOptions{})
	want := &PathSubgraph{Layers: [][]string{{"a"}, {"b", "c"}, {"d"}}, Total: 3, Links: []PathLink{
		{From: "a", To: "b", Layer: 0, Relations: []string{"r1"}},
		{From: "a", To: "c", Layer: 0, Relations: []string{"r2"}},
		{From: "b", To: "d", Layer: 1, Relations: []string{"r3", "r4"}},
		{From: "c", To: "d", Layer: 1, Relations: []string{"r5"}},
	}}
	if err != nil || fmt.Sprint(g) != fmt.Sprint(want) {
		t.Errorf("a -> d: %+v, %v\nwant %+v", g, err, want)
	}
	if g, err := s.ShortestPathSubgraph("a", "a", PathOptions{}); err != nil || fmt.Sprint(g.Layers) != "[[a]]" || len(g.Links) != 0 || g.Total != 1 {
		t.Errorf("a -> a: %+v, %v", g, err)
	}
	if g, err := s.ShortestPathSubgraph("a", "lonely", PathOptions{}); g != nil || err != nil {
		t.Errorf("a -> lonely: %+v, %v; want nil, nil", g, err)
	}
	if _, err := s.ShortestPathSubgraph("a", "d", PathOptions{Weight: WeightHub}); coopgraph.ErrorCode(err) != coopgraph.EINVALID {
		t.Errorf("weight HUB: %v, want EINVALID", err)
	}
}
