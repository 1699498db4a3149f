package graph

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/coopgraph/coopgraph"
)

func edgesEqual(a, b []ProjectedEdge) bool {
	return len(a) == len(b) && slices.EqualFunc(a, b, func(x, y ProjectedEdge) bool {
		return x.A == y.A && x.B == y.B && x.Weight == y.Weight && slices.Equal(x.Contexts, y.Contexts)
	})
}

// TestProjectNetworkx: Project equals nx.bipartite.weighted_projected_graph(B,
// nodes of Kinds) (networkx 2.8.8), B the graph of the kept relations
// between an entity of Kinds and one of Via: the same edges with the same
// weights, each with its shared Via entities (as many as the weight), in
// order of weight desc, then A, then B; total is the number of edges and
// first a prefix. projected() gives the same graph, unweighted, on the
// nodes of Kinds in id order.
func TestProjectNetworkx(t *testing.T) {
	n := 0
	forGraphs(t, "partners", func(t *testing.T, g *structureGraph, s *Snapshot, _ []struct{}) {
		for _, c := range g.Projections {
			n++
			p := Projection{Kinds: c.Kinds, Via: c.Via, RelationTypes: c.RelationTypes}
			name := fmt.Sprintf("%+v", p)
			edges, total, err := s.Project(context.Background(), p, -1)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if total != len(c.Edges) || !edgesEqual(edges, c.Edges) {
				t.Errorf("%s: %d edges\n got %v\nwant %v", name, total, edges, c.Edges)
			}
			for _, first := range []int{0, 1, 3, len(c.Edges) + 1} {
				edges, total, err := s.Project(context.Background(), p, first)
				if want := c.Edges[:min(first, len(c.Edges))]; err != nil || total != len(c.Edges) || !edgesEqual(edges, want) {
					t.Errorf("%s, first %d: %v, %d, %v\nwant %v", name, first, edges, total, err, want)
				}
			}

			sg, nodes, err := s.projected(nil, &p)
			if err != nil {
				t.Fatalf("%s: projected: %v", name, err)
			}
			if ids := s.idsOf(nodes); !slices.Equal(ids, c.Nodes) && len(ids)+len(c.Nodes) > 0 {
				t.Errorf("%s: projected nodes %v, want %v", name, ids, c.Nodes)
			}
			var got [][2]string
			for u := range int32(sg.n) {
				if !slices.IsSorted(sg.neighbours(u)) || sg.loop[u] {
					t.Errorf("%s: projected node %d: unsorted or loop", name, u)
				}
				for _, v := range sg.neighbours(u) {
					if u < v {
						got = append(got, [2]string{s.ids[nodes[u]], s.ids[nodes[v]]})
					} else if !slices.Contains(sg.neighbours(v), u) {
						t.Errorf("%s: projected edge %d-%d one way only", name, u, v)
					}
				}
			}
			var want [][2]string
			for _, e := range c.Edges {
				want = append(want, [2]string{e.A, e.B})
			}
			slices.SortFunc(want, func(a, b [2]string) int { return slices.Compare(a[:], b[:]) })
			if !slices.Equal(got, want) {
				t.Errorf("%s: projected graph\n got %v\nwant %v", name, got, want)
			}
		}
	})
	if n < 8 {
		t.Errorf("only %d projections", n)
	}
}

func TestProjectArguments(t *testing.T) {
	s := NewSnapshot(symbiDataset())
	for _, tc := range []struct {
		p    Projection
		code string
		says string
	}{
		{Projection{}, coopgraph.EINVALID, "kinds"},
		{Projection{Kinds: []string{"Organization"}}, coopgraph.EINVALID, "Organization"},
		{Projection{Kinds: []string{"Organisation"}, Via: []string{"Projects"}}, coopgraph.EINVALID, "Projects"},
		{Projection{Kinds: []string{"Organisation", "Project"}, Via: []string{"Project"}}, coopgraph.EINVALID, "Project"},
		{Projection{Kinds: []string{"Organisation"}, RelationTypes: []string{"LIKES"}}, coopgraph.EINVALID, "LIKES"},
	} {
		_, _, err := s.Project(context.Background(), tc.p, 10)
		if coopgraph.ErrorCode(err) != tc.code || !errorMentions(err, tc.says) {
			t.Errorf("%+v: %v, want %s naming %s", tc.p, err, tc.code, tc.says)
		}
		if _, _, err := s.projected(nil, &tc.p); coopgraph.ErrorCode(err) != tc.code {
			t.Errorf("projected %+v: %v, want %s", tc.p, err, tc.code)
		}
	}
	// Organisations and regions through projects: SYMBI's five, RESPONDET's two.
	edges, total, err := s.Project(context.Background(), Projection{Kinds: []string{"Organisation", "Region"}, Via: []string{"Project"}}, 2)
	want := []ProjectedEdge{{"fundecyt", "hame", 1, []string{"symbi"}}, {"fundecyt", "hamk", 1, []string{"symbi"}}}
	if err != nil || total != 10+1 || !edgesEqual(edges, want) {
		t.Errorf("orgs and regions via projects: %v, %d, %v", edges, total, err)
	}
}

// TestProjectLimit: a Via entity linked to 6,000 projected entities meets
// 6,000·5,999 > MaxProjectionPairs pairs: an ELIMIT error naming the
// limit, not a truncated projection.
func TestProjectLimit(t *testing.T) {
	ds := &coopgraph.Dataset{Entities: []coopgraph.Entity{{ID: "poland", Kind: "Country"}}}
	for i := range 6000 {
		id := fmt.Sprintf("org%04d", i)
		ds.Entities = append(ds.Entities, coopgraph.Entity{ID: id, Kind: "Organisation"})
		ds.Relations = append(ds.Relations, coopgraph.Relation{ID: "r" + id, Type: "LOCATED_IN", From: id, To: "poland"})
	}
	s := NewSnapshot(ds)
	_, _, err := s.Project(context.Background(), Projection{Kinds: []string{"Organisation"}}, 10)
	if coopgraph.ErrorCode(err) != coopgraph.ELIMIT || !errorMentions(err, fmt.Sprint(MaxProjectionPairs)) {
		t.Errorf("err %v, want ELIMIT naming the limit", err)
	}
}
