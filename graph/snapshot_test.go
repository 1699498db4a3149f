package graph

import (
	"testing"

	"github.com/coopgraph/coopgraph"
)

func TestSnapshot(t *testing.T) {
	ds := smallDataset()
	ds.Entities[0].Aliases = []string{"A"}
	ds.Entities[0].Properties = map[string]string{"country": "PL"}
	ds.Relations[0].Properties = map[string]string{"weight": "1"}
	s := NewSnapshot(ds)
	if s.NumNodes() != 7 || s.NumRelations() != 9 {
		t.Errorf("%d nodes, %d relations; want 7, 9 (self-loop and parallel relations count)", s.NumNodes(), s.NumRelations())
	}

	// The snapshot owns its data: neither the dataset nor a returned value
	// can change it.
	ds.Entities[0].Properties["country"] = "DE"
	ds.Entities[0].Aliases[0] = "Z"
	e, ok := s.Entity("a")
	if !ok || e.Name != "a" || e.Aliases[0] != "A" || e.Properties["country"] != "PL" {
		t.Fatalf("Entity(a) = %+v, %v", e, ok)
	}
	e.Properties["country"] = "FR"
	if e, _ := s.Entity("a"); e.Properties["country"] != "PL" {
		t.Errorf("Entity returned shared state")
	}
	r, ok := s.Relation("r1")
	if !ok || r.From != "a" || r.To != "b" || r.Type != "MEMBER_OF" || r.Properties["weight"] != "1" {
		t.Errorf("Relation(r1) = %+v, %v", r, ok)
	}
	r.Properties["weight"] = "2"
	if r, _ := s.Relation("r1"); r.Properties["weight"] != "1" {
		t.Errorf("Relation returned shared state")
	}
	if _, ok := s.Entity("nobody"); ok {
		t.Error("Entity(nobody) found")
	}
	if _, ok := s.Relation("nothing"); ok {
		t.Error("Relation(nothing) found")
	}

	// Adjacency: both directions, no self-loop, sorted by (neighbour,
	// relation) with indexes in id order.
	for u := range s.NumNodes() {
		for e := s.off[u] + 1; e < s.off[u+1]; e++ {
			a, b := s.nbr[e-1], s.nbr[e]
			if a > b || a == b && s.via[e-1] >= s.via[e] {
				t.Errorf("node %s: edges out of order", s.ids[u])
			}
		}
		for e := s.off[u]; e < s.off[u+1]; e++ {
			if s.nbr[e] == int32(u) {
				t.Errorf("node %s: self-loop in path adjacency", s.ids[u])
			}
		}
	}
	b := s.index["b"]
	if got := s.off[b+1] - s.off[b]; got != 3 { // r1 to a, r3 and r4 to d
		t.Errorf("b has %d path edges, want 3", got)
	}
	g := s.simple(nil)
	if len(g.neighbours(b)) != 2 || !g.loop[b] {
		t.Errorf("simple graph at b: %v, loop %v; want [a d], true", g.neighbours(b), g.loop[b])
	}
}

func TestNewSnapshotInvalid(t *testing.T) {
	for name, ds := range map[string]*coopgraph.Dataset{
		"duplicate entity": {Entities: []coopgraph.Entity{{ID: "a"}, {ID: "a"}}},
		"duplicate relation": {Entities: []coopgraph.Entity{{ID: "a"}, {ID: "b"}},
			Relations: []coopgraph.Relation{{ID: "r", From: "a", To: "b"}, {ID: "r", From: "b", To: "a"}}},
		"unknown endpoint": {Entities: []coopgraph.Entity{{ID: "a"}},
			Relations: []coopgraph.Relation{{ID: "r", From: "a", To: "b"}}},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			NewSnapshot(ds)
		}()
	}
}
