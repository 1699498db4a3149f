package graph

import (
	"fmt"
	"math"
	"slices"
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

	// A returned value is a copy: changing it changes nothing in the
	// snapshot. (The snapshot reads the dataset, which must not change, as
	// the memstore reads it.)
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
			a, b := s.other(int32(u), s.via[e-1]), s.other(int32(u), s.via[e])
			if a > b || a == b && s.via[e-1] >= s.via[e] {
				t.Errorf("node %s: edges out of order", s.ids[u])
			}
		}
		for e := s.off[u]; e < s.off[u+1]; e++ {
			if s.other(int32(u), s.via[e]) == int32(u) {
				t.Errorf("node %s: self-loop in path adjacency", s.ids[u])
			}
		}
	}
	b := s.index["b"]
	if got := s.off[b+1] - s.off[b]; got != 3 { // r1 to a, r3 and r4 to d
		t.Errorf("b has %d path edges, want 3", got)
	}
	g := s.simple(nil, nil)
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

// TestRelationWords: every relation's endpoints, direction, type and
// period read back from the packed words.
func TestRelationWords(t *testing.T) {
	ds := datedDataset(3000, 9000, 31)
	s := NewSnapshot(ds)
	if s.attr16 != nil || s.attr32 != nil {
		t.Errorf("%d periods for %d nodes: spilled, want them inline", len(s.periods), s.NumNodes())
	}
	checkRelationWords(t, s, ds)
}

func checkRelationWords(t *testing.T, s *Snapshot, ds *coopgraph.Dataset) {
	t.Helper()
	for _, r := range ds.Relations {
		i, ok := s.relationIndex(r.ID)
		if !ok {
			t.Fatalf("relation %s not found", r.ID)
		}
		u, v := s.index[r.From], s.index[r.To]
		if s.other(u, i) != v || s.other(v, i) != u || !s.isFrom(u, i) || s.isFrom(v, i) != (u == v) {
			t.Fatalf("relation %s (%d -> %d): other %d, %d; isFrom %v, %v", r.ID, u, v, s.other(u, i), s.other(v, i), s.isFrom(u, i), s.isFrom(v, i))
		}
		start, _ := parseDay(r.Start, false)
		end, _ := parseDay(r.End, true)
		if s.types[s.typeOf(i)] != r.Type || s.period(i) != (period{start, end}) {
			t.Fatalf("relation %s: type %s, period %+v; want %s [%d, %d]", r.ID, s.types[s.typeOf(i)], s.period(i), r.Type, start, end)
		}
	}
}

// TestAttrSpill: when types and periods do not fit in the spare bits of
// the words, they go to attr16, then attr32, and read back the same.
func TestAttrSpill(t *testing.T) {
	for _, tc := range []struct {
		nodeBits, typeBits uint8
		periods            int
		inline, wide       bool
	}{
		{20, 2, 512, true, false},
		{20, 2, 513, false, false},
		{28, 2, 100, false, false},
		{30, 4, 4096, false, false},
		{30, 4, 70000, false, true},
	} {
		m := tc.periods + 50
		typ, when := make([]uint32, m), make([]period, m)
		for i := range m {
			k := (i * 7919) % tc.periods
			typ[i], when[i] = uint32(i)%(1<<tc.typeBits), period{int32(k), int32(k + 10)}
		}
		s := &Snapshot{word: make([]int32, m), nodeBits: tc.nodeBits, nodeMask: 1<<tc.nodeBits - 1, typeBits: tc.typeBits}
		for i := range s.word {
			s.word[i] = int32(i*31) & s.nodeMask
			if i%2 == 0 {
				s.word[i] |= math.MinInt32
			}
		}
		words := slices.Clone(s.word)
		s.storeAttrs(typ, when)
		name := fmt.Sprintf("%d node bits, %d type bits, %d periods", tc.nodeBits, tc.typeBits, tc.periods)
		if len(s.periods) != tc.periods || (s.attr16 == nil && s.attr32 == nil) != tc.inline || (s.attr32 != nil) != tc.wide {
			t.Errorf("%s: inline %v, attr16 %v, attr32 %v", name, s.attr16 == nil && s.attr32 == nil, s.attr16 != nil, s.attr32 != nil)
		}
		for i := range m {
			r := int32(i)
			if s.typeOf(r) != int(typ[i]) || s.period(r) != when[i] || s.word[i]&(s.nodeMask|math.MinInt32) != words[i] {
				t.Fatalf("%s: relation %d: type %d, period %+v; want %d, %+v; word %x, was %x", name, i, s.typeOf(r), s.period(r), typ[i], when[i], s.word[i], words[i])
			}
		}
	}
}

// TestAttrSpillPaths: a snapshot of 2^17 entities and 3 relation types
// leaves 12 bits for periods; 20,000 relations with distinct periods spill
// them to attr16, and windowed paths are those of the same relations in a
// small snapshot, where they fit.
func TestAttrSpillPaths(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 131,072-entity snapshot")
	}
	small := datedDataset(2000, 20000, 5)
	for i := range small.Relations {
		small.Relations[i].Start = fmt.Sprintf("%04d-%02d-%02d", 1990+i%30, 1+i/30%12, 1+i/360%28)
		small.Relations[i].End = ""
	}
	big := &coopgraph.Dataset{Relations: small.Relations, Entities: slices.Clone(small.Entities)}
	for i := len(small.Entities); i < 1<<17; i++ {
		big.Entities = append(big.Entities, coopgraph.Entity{ID: fmt.Sprintf("z%07d", i), Kind: "Person"})
	}
	a, b := NewSnapshot(small), NewSnapshot(big)
	if a.attr16 != nil || b.attr16 == nil {
		t.Fatalf("%d periods: small spilled %v, big spilled %v", len(a.periods), a.attr16 != nil, b.attr16 != nil)
	}
	checkRelationWords(t, b, big)
	for i := range 60 {
		from, to := small.Entities[(i*7919)%2000].ID, small.Entities[(i*104729+3)%2000].ID
		opt := PathOptions{Window: &TimeWindow{From: "2000", To: "2004-06"}, RelationTypes: []string{"MEMBER_OF", "PARTICIPATES_IN"}}
		pa, na, ea := a.AllShortestPaths(from, to, opt, 10)
		pb, nb, eb := b.AllShortestPaths(from, to, opt, 10)
		if ea != nil || eb != nil || na != nb || !pathsEqual(pa, pb) {
			t.Fatalf("%s-%s: %v %d %v; spilled %v %d %v", from, to, pa, na, ea, pb, nb, eb)
		}
	}
}

// TestTopologyBytes: the byte count adds up, and stays under 16 bytes per
// relation on the benchmark network, undated and dated.
func TestTopologyBytes(t *testing.T) {
	s := NewSnapshot(smallDataset()) // 7 entities, 9 relations (1 loop), undated
	if got, want := s.TopologyBytes(), 4*(8+16+9+1+1)+8; got != want || len(s.periods) != 1 {
		t.Errorf("TopologyBytes() = %d, want %d (%d periods)", got, want, len(s.periods))
	}
	if testing.Short() {
		return
	}
	for name, s := range map[string]*Snapshot{"undated": benchNet(), "dated": benchDated()} {
		per := float64(s.TopologyBytes()) / float64(s.NumRelations())
		t.Logf("%s: %d entities, %d relations, %d periods: %d bytes, %.2f per relation", name, s.NumNodes(), s.NumRelations(), len(s.periods), s.TopologyBytes(), per)
		if per >= 16 {
			t.Errorf("%s: %.2f bytes per relation, want < 16", name, per)
		}
	}
}
