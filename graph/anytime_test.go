package graph

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/coopgraph/coopgraph"
)

// anytimeNetwork is a random network of AnytimeMinNodes entities: a ring
// with random chords.
func anytimeNetwork() *Snapshot {
	ds := &coopgraph.Dataset{Name: "anytime"}
	n := AnytimeMinNodes
	id := func(i int) string { return fmt.Sprintf("o%05d", i) }
	for i := range n {
		ds.Entities = append(ds.Entities, coopgraph.Entity{ID: id(i), Kind: "Organisation", Name: id(i)})
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range n {
		ds.Relations = append(ds.Relations,
			coopgraph.Relation{ID: fmt.Sprintf("r%d", i), Type: "COOPERATES_WITH", From: id(i), To: id((i + 1) % n)},
			coopgraph.Relation{ID: fmt.Sprintf("c%d", i), Type: "COOPERATES_WITH", From: id(i), To: id(rng.IntN(n))})
	}
	return NewSnapshot(ds)
}

// TestCentralityAnytime: before the exact betweenness is kept, the answer
// is the certified approximation, said so, within its bound of the exact
// scores; once the exact ranking is kept (PrecomputeRankings), the exact
// one. A cancelled precompute returns the cancellation's cause.
func TestCentralityAnytime(t *testing.T) {
	if testing.Short() {
		t.Skip("exact betweenness of 5,000 entities")
	}
	s := anytimeNetwork()
	ctx := context.Background()
	approx, _, c, err := s.CentralityAnytime(ctx, Betweenness, CentralityOptions{}, 0, -1)
	if err != nil {
		t.Fatal(err)
	}
	if c.Exact || c.Epsilon != AnytimeBetweennessEpsilon || c.Delta != AnytimeBetweennessDelta || s.ExactReady(Betweenness) {
		t.Fatalf("before the exact ranking: %+v, ready %v", c, s.ExactReady(Betweenness))
	}
	stop, cancel := context.WithCancelCause(ctx)
	cancel(errors.New("a newer snapshot"))
	if err := s.PrecomputeRankings(stop, nil); err == nil || err.Error() != "a newer snapshot" {
		t.Fatalf("cancelled precompute: %v", err)
	}
	if err := s.PrecomputeRankings(ctx, nil); err != nil {
		t.Fatal(err)
	}
	for _, m := range PrecomputeOrder {
		if !s.ExactReady(m) {
			t.Errorf("%s not ready after PrecomputeRankings", m)
		}
	}
	exact, _, c, err := s.CentralityAnytime(ctx, Betweenness, CentralityOptions{}, 0, -1)
	if err != nil || !c.Exact || c.Epsilon != 0 {
		t.Fatalf("after: %+v, %v", c, err)
	}
	want := map[string]float64{}
	for _, sc := range exact {
		want[sc.ID] = sc.Score
	}
	worst := 0.0
	for _, sc := range approx {
		worst = math.Max(worst, math.Abs(sc.Score-want[sc.ID]))
	}
	t.Logf("largest error of the approximation: %.3g (ε = %g)", worst, AnytimeBetweennessEpsilon)
	if worst > AnytimeBetweennessEpsilon {
		t.Errorf("largest error %g beyond ε = %g", worst, AnytimeBetweennessEpsilon)
	}
}
