package graph

import (
	"context"
	"math"
	"reflect"
	"slices"
	"sync"
	"testing"
)

// progressLog records what a computation reports through WithProgress.
type progressLog struct {
	mu      sync.Mutex
	reports [][2]int64
}

func (l *progressLog) ctx() context.Context {
	return WithProgress(context.Background(), func(done, total int64) {
		l.mu.Lock()
		defer l.mu.Unlock()
		l.reports = append(l.reports, [2]int64{done, total})
	})
}

// check requires at least one report with a total, and every report
// within it; with finished, the last report is done = total.
func (l *progressLog) check(t *testing.T, name string, finished bool) {
	t.Helper()
	if len(l.reports) == 0 {
		t.Errorf("%s: no progress reported", name)
		return
	}
	for _, r := range l.reports {
		if r[1] <= 0 || r[0] < 0 || r[0] > r[1] {
			t.Errorf("%s: reported %d of %d", name, r[0], r[1])
			return
		}
	}
	if last := l.reports[len(l.reports)-1]; finished && last[0] != last[1] {
		t.Errorf("%s: ended at %d of %d", name, last[0], last[1])
	}
}

// TestProgressIterative: PageRank (power iteration and the certified
// solver), eigenvector centrality, Louvain and what-if's sampled searches
// report their progress through WithProgress, within their totals (the
// converging solvers ending at done = total), and answer the same as
// without it.
func TestProgressIterative(t *testing.T) {
	ds := randomDataset(3000, 4500, 5)
	for _, tc := range []struct {
		name string
		m    Measure
		opt  CentralityOptions
	}{
		{"pagerank", PageRank, CentralityOptions{}},
		{"pagerank 1e-10", PageRank, CentralityOptions{Tolerance: 1e-10}},
		{"eigenvector", Eigenvector, CentralityOptions{}},
	} {
		var log progressLog
		got, err := NewSnapshot(ds).Centrality(log.ctx(), tc.m, tc.opt)
		if err != nil {
			t.Fatal(err)
		}
		want, err := NewSnapshot(ds).Centrality(context.Background(), tc.m, tc.opt)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: scores differ with progress (%v)", tc.name, err)
		}
		log.check(t, tc.name, tc.m == PageRank)
		t.Logf("%s: %d reports, last %v", tc.name, len(log.reports), log.reports[len(log.reports)-1])
	}

	var log progressLog
	got, err := NewSnapshot(ds).Communities(log.ctx(), CommunityOptions{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	want, err := NewSnapshot(ds).Communities(context.Background(), CommunityOptions{Seed: 1})
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("communities differ with progress (%v)", err)
	}
	log.check(t, "communities", false)

	// What-if from a sample: the searches of every stage count toward one
	// total, never going back.
	s := NewSnapshot(ds)
	g := s.simple(nil, nil)
	hub := slices.MaxFunc(slices.Collect(func(yield func(int32) bool) {
		for u := range int32(g.n) {
			if !yield(u) {
				return
			}
		}
	}), func(a, b int32) int { return len(g.neighbours(a)) - len(g.neighbours(b)) })
	comp, _ := componentWithout(g, hub)
	h, _ := withoutNode(nil, g, hub, comp)
	piece, sizes := components(h)
	budget := pairWork(h, piece, sizes) / 10
	log = progressLog{}
	est, err := s.whatIf(&job{ctx: log.ctx()}, hub, nil, 5, budget, 1)
	if err != nil || est.Exact {
		t.Fatalf("what-if: %+v, %v", est, err)
	}
	plain, _ := s.whatIf(nil, hub, nil, 5, budget, 1)
	if est.LongerPairs != plain.LongerPairs || math.Abs(est.LongerPairsBound-plain.LongerPairsBound) > 0 {
		t.Errorf("what-if differs with progress: %d ± %g, %d ± %g", est.LongerPairs, est.LongerPairsBound, plain.LongerPairs, plain.LongerPairsBound)
	}
	log.check(t, "what-if", false)
	total := log.reports[0][1]
	for _, r := range log.reports {
		total = max(total, r[1])
	}
	if total < int64(est.Samples) {
		t.Errorf("what-if: a total of %d searches, %d searched", total, est.Samples)
	}
}
