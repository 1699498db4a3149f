package graph

import (
	"context"
	"sync"
	"testing"
)

// TestProgressReports: betweenness and closeness report one unit per
// source (closeness: per batch of 64) through WithProgress, up to their
// total, and the scores do not change.
func TestProgressReports(t *testing.T) {
	s := NewSnapshot(randomDataset(300, 900, 3))
	for _, m := range []Measure{Betweenness, Closeness} {
		var mu sync.Mutex
		calls, last := 0, map[int64]int64{}
		ctx := WithProgress(context.Background(), func(done, total int64) {
			mu.Lock()
			defer mu.Unlock()
			calls++
			last[total] = max(last[total], done+1)
		})
		got, err := s.Centrality(ctx, m, CentralityOptions{})
		if err != nil {
			t.Fatal(err)
		}
		want, err := NewSnapshot(randomDataset(300, 900, 3)).Centrality(context.Background(), m, CentralityOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("%s: scores differ with progress: %v, %v", m, got[i], want[i])
			}
		}
		if calls == 0 {
			t.Errorf("%s: no progress reported", m)
		}
		for total, done := range last {
			if done != total {
				t.Errorf("%s: reached %d of %d units", m, done, total)
			}
		}
	}
}
