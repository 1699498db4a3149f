package graph

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

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

// TestCentralityAnytime: before the exact ranking of a measure with an
// approximation (betweenness, closeness, harmonic) is kept, the answer is
// its certified approximation, said so, within its bound of the exact
// scores; once the exact ranking is kept (PrecomputeRankings), the exact
// one. A cancelled precompute returns the cancellation's cause.
func TestCentralityAnytime(t *testing.T) {
	if testing.Short() {
		t.Skip("exact betweenness of 5,000 entities")
	}
	s := anytimeNetwork()
	ctx := context.Background()
	measures := []Measure{Betweenness, Closeness, Harmonic}
	approx := map[Measure][]Score{}
	bound := map[Measure]float64{}
	for _, m := range measures {
		scores, _, c, err := s.CentralityAnytime(ctx, m, CentralityOptions{}, 0, -1)
		if err != nil {
			t.Fatal(err)
		}
		if c.Exact || !(c.Epsilon > 0) || c.Delta != AnytimeDelta || s.ExactProgress(m).Done == 1 || c.Progress.Ready {
			t.Fatalf("%s before the exact ranking: %+v, progress %+v", m, c, s.ExactProgress(m))
		}
		if m == Betweenness && c.Epsilon != AnytimeBetweennessEpsilon {
			t.Errorf("betweenness: ε = %g, want %g", c.Epsilon, AnytimeBetweennessEpsilon)
		}
		approx[m], bound[m] = scores, c.Epsilon
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
		if p := s.ExactProgress(m); !p.Ready || p.Done != 1 || p.ExpectedIn != 0 || !p.Expected {
			t.Errorf("%s not ready after PrecomputeRankings: %+v", m, p)
		}
	}
	for _, m := range measures {
		exact, _, c, err := s.CentralityAnytime(ctx, m, CentralityOptions{}, 0, -1)
		if err != nil || !c.Exact || c.Epsilon != 0 {
			t.Fatalf("%s after: %+v, %v", m, c, err)
		}
		want := map[string]float64{}
		for _, sc := range exact {
			want[sc.ID] = sc.Score
		}
		worst := 0.0
		for _, sc := range approx[m] {
			worst = math.Max(worst, math.Abs(sc.Score-want[sc.ID]))
		}
		t.Logf("%s: largest error of the approximation %.3g, ε = %.3g", m, worst, bound[m])
		if worst > bound[m] {
			t.Errorf("%s: largest error %g beyond ε = %g", m, worst, bound[m])
		}
	}
}

// TestCentralityAnytimeOnDemand: an exact ranking PrecomputeRankings does
// not compute (other relation types, a projection) is started in the
// background by the first approximate answer, under PrecomputeRankings'
// context, so that a later request gets it exact; with kinds too.
func TestCentralityAnytimeOnDemand(t *testing.T) {
	// Organisations taking part in projects, two each, and cooperating.
	ds := &coopgraph.Dataset{Name: "anytime projects"}
	n := AnytimeMinNodes
	org, project := func(i int) string { return fmt.Sprintf("o%05d", i) }, func(i int) string { return fmt.Sprintf("p%05d", i) }
	for i := range n {
		ds.Entities = append(ds.Entities, coopgraph.Entity{ID: org(i), Kind: "Organisation", Name: org(i)})
	}
	for i := range n / 2 {
		ds.Entities = append(ds.Entities, coopgraph.Entity{ID: project(i), Kind: "Project", Name: project(i)})
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range n {
		ds.Relations = append(ds.Relations,
			coopgraph.Relation{ID: fmt.Sprintf("a%d", i), Type: "PARTICIPATES_IN", From: org(i), To: project(i / 2)},
			coopgraph.Relation{ID: fmt.Sprintf("b%d", i), Type: "PARTICIPATES_IN", From: org(i), To: project(rng.IntN(n / 2))},
			coopgraph.Relation{ID: fmt.Sprintf("c%d", i), Type: "COOPERATES_WITH", From: org(i), To: org(rng.IntN(n))})
	}
	s := NewSnapshot(ds)
	ctx := context.Background()
	// No precompute yet: an approximate answer starts nothing.
	opt := CentralityOptions{RelationTypes: []string{"COOPERATES_WITH"}, Kinds: []string{"Organisation"}}
	if _, _, c, err := s.CentralityAnytime(ctx, Harmonic, opt, 0, 5); err != nil || c.Exact {
		t.Fatalf("first: %+v %v", c, err)
	}
	if s.computed.known(centralityKey(Harmonic, opt)) {
		t.Fatal("an exact ranking started without a precompute")
	}
	bg, cancel := context.WithCancel(ctx)
	defer cancel()
	s.background.set(bg, true) // as PrecomputeRankings does, without its work
	for _, o := range []CentralityOptions{opt, {Projection: &Projection{Kinds: []string{"Organisation"}, Via: []string{"Project"}}}} {
		_, _, c, err := s.CentralityAnytime(ctx, Closeness, o, 0, 5)
		if err != nil || c.Exact {
			t.Fatalf("%+v: %+v %v", o, c, err)
		}
		deadline := time.Now().Add(30 * time.Second)
		for !s.computed.finished(centralityKey(Closeness, o)) && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		_, _, c, err = s.CentralityAnytime(ctx, Closeness, o, 0, 5)
		if err != nil || !c.Exact {
			t.Errorf("%+v later: %+v %v", o, c, err)
		}
	}
}

// TestCentralityAnytimeSmallProjection: on a large network, a projection
// that leaves fewer than AnytimeMinNodes entities to rank is ranked exactly
// at once — said so, and equal to the exact ranking — rather than
// estimated with a bound.
func TestCentralityAnytimeSmallProjection(t *testing.T) {
	ds := &coopgraph.Dataset{Name: "small-projection"}
	const orgs = 100
	org := func(i int) string { return fmt.Sprintf("o%03d", i) }
	for i := range orgs {
		ds.Entities = append(ds.Entities, coopgraph.Entity{ID: org(i), Kind: "Organisation", Name: org(i)})
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for p := range AnytimeMinNodes {
		id := fmt.Sprintf("p%05d", p)
		ds.Entities = append(ds.Entities, coopgraph.Entity{ID: id, Kind: "Project", Name: id})
		for k := range 2 {
			ds.Relations = append(ds.Relations, coopgraph.Relation{ID: fmt.Sprintf("r%d-%d", p, k),
				Type: "PARTICIPATES_IN", From: org(rng.IntN(orgs)), To: id})
		}
	}
	s := NewSnapshot(ds)
	opt := CentralityOptions{Projection: &Projection{Kinds: []string{"Organisation"}, Via: []string{"Project"}}}
	for _, m := range []Measure{Betweenness, Closeness, Harmonic} {
		got, total, c, err := s.CentralityAnytime(context.Background(), m, opt, 0, -1)
		if err != nil {
			t.Fatal(err)
		}
		if !c.Exact || c.Epsilon != 0 || total != orgs {
			t.Errorf("%s on a %d-entity projection: %+v, %d ranked; want exact", m, orgs, c, total)
		}
		want, _, _, err := s.CentralityCertified(context.Background(), m, opt, 0, -1)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: the anytime answer differs from the exact ranking", m)
		}
	}
}
