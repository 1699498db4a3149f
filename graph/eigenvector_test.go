package graph

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/coopgraph/coopgraph"
)

// TestEigenvectorPath compares eigenvector centrality on paths with the
// closed form of the path's principal eigenvector, x_i = √(2/(n+1))·
// sin((i+1)π/(n+1)) (eigenvalues λ_k = 2·cos(kπ/(n+1))), within the
// bound the stopping rule gives, 1e-12·λ₁/(λ₁−λ₂) (twice that, for
// rounding): on P20, where networkx's 100 power iterations do not
// converge (bound 6e-11), and on P500, whose spectral gap is 1.2e-4
// (bound 3.4e-8).
func TestEigenvectorPath(t *testing.T) {
	for _, n := range []int{2, 3, 20, 500} {
		ds := &coopgraph.Dataset{}
		for i := range n {
			ds.Entities = append(ds.Entities, coopgraph.Entity{ID: fmt.Sprintf("v%04d", i)})
			if i > 0 {
				ds.Relations = append(ds.Relations, coopgraph.Relation{ID: fmt.Sprint(i), Type: "PART_OF",
					From: fmt.Sprintf("v%04d", i-1), To: fmt.Sprintf("v%04d", i)})
			}
		}
		s := NewSnapshot(ds)
		got, err := s.Centrality(context.Background(), Eigenvector, CentralityOptions{})
		if err != nil {
			t.Fatalf("P%d: %v", n, err)
		}
		worst := 0.0
		for _, sc := range got {
			var i int
			if _, err := fmt.Sscanf(sc.ID, "v%d", &i); err != nil {
				t.Fatal(err)
			}
			want := math.Sqrt(2/float64(n+1)) * math.Sin(float64(i+1)*math.Pi/float64(n+1))
			worst = max(worst, math.Abs(sc.Score-want))
		}
		l1, l2 := 2*math.Cos(math.Pi/float64(n+1)), 2*math.Cos(2*math.Pi/float64(n+1))
		if bound := max(1e-14, 2e-12*l1/(l1-l2)); worst > bound {
			t.Errorf("P%d: largest difference from the closed form %.3g, bound %.3g", n, worst, bound)
		}
	}
}

// TestEigenvectorTies: components sharing the largest eigenvalue share
// the vector as the all-ones vector's projection on the eigenspace
// (here checked by hand: two triangles and a disjoint edge; C3 and C5,
// both of eigenvalue 2); a network without edges gives 1/√n everywhere.
func TestEigenvectorTies(t *testing.T) {
	ds := &coopgraph.Dataset{}
	edge := func(a, b string) {
		ds.Relations = append(ds.Relations, coopgraph.Relation{ID: a + b, Type: "MEMBER_OF", From: a, To: b})
	}
	for _, id := range []string{"a", "b", "c", "d", "e", "f", "g", "h", "i"} {
		ds.Entities = append(ds.Entities, coopgraph.Entity{ID: id})
	}
	edge("a", "b")
	edge("b", "c")
	edge("c", "a")
	edge("d", "e")
	edge("e", "f")
	edge("f", "d")
	edge("g", "h") // eigenvalue 1: 0; i is isolated: 0
	got := scoresByID(t, NewSnapshot(ds))
	for id, want := range map[string]float64{"a": 1 / math.Sqrt(6), "f": 1 / math.Sqrt(6), "g": 0, "i": 0} {
		if math.Abs(got[id]-want) > 1e-12 {
			t.Errorf("two triangles: %s = %v, want %v", id, got[id], want)
		}
	}
	// C3 and C5: v_c = 1/√k on a cycle of k nodes, ⟨v_c, 1⟩ = √k, so each
	// node gets 1 before normalising: 1/√8.
	ds.Relations = ds.Relations[:3]
	edge("d", "e")
	edge("e", "f")
	edge("f", "g")
	edge("g", "h")
	edge("h", "d")
	got = scoresByID(t, NewSnapshot(ds))
	for _, id := range []string{"a", "c", "d", "h"} {
		if math.Abs(got[id]-1/math.Sqrt(8)) > 1e-12 {
			t.Errorf("C3 and C5: %s = %v, want 1/√8", id, got[id])
		}
	}
	ds.Relations = nil
	got = scoresByID(t, NewSnapshot(ds))
	for id, v := range got {
		if math.Abs(v-1/3.0) > 1e-15 {
			t.Errorf("no edges: %s = %v, want 1/3", id, v)
		}
	}
}

func scoresByID(t *testing.T, s *Snapshot) map[string]float64 {
	t.Helper()
	got, err := s.Centrality(context.Background(), Eigenvector, CentralityOptions{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, sc := range got {
		out[sc.ID] = sc.Score
	}
	return out
}
