package graph

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/coopgraph/coopgraph"
)

// bigNetwork is a network on which the O(n·m) measures take seconds, so
// that stopping them early is visible.
var bigNetwork = sync.OnceValue(func() *Snapshot { return NewSnapshot(randomDataset(30000, 90000, 11)) })

var whatIfNetwork = sync.OnceValue(func() *Snapshot { return NewSnapshot(randomDataset(12000, 36000, 11)) })

// waitIdle waits until l runs and queues nothing, and returns how long it
// took; it fails the test after limit.
func waitIdle(t *testing.T, l *Limiter, limit time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	for {
		st := l.Stats()
		if st.Running == 0 && st.Waiting == 0 {
			return time.Since(start)
		}
		if time.Since(start) > limit {
			t.Fatalf("after %s the limiter still has work: %s", limit, st)
		}
		time.Sleep(time.Millisecond)
	}
}

// TestComputationsStopWhenTheirRequestLeaves: every long computation stops
// within a few milliseconds of its only request giving up, and the call
// answers with the request's cause at once.
func TestComputationsStopWhenTheirRequestLeaves(t *testing.T) {
	s := bigNetwork()
	w := whatIfNetwork() // smaller: on bigNetwork the pairs are beyond MaxWhatIfWork
	calls := map[string]func(ctx context.Context) error{
		"betweenness": func(ctx context.Context) error {
			_, err := s.Centrality(ctx, Betweenness, CentralityOptions{})
			return err
		},
		"closeness": func(ctx context.Context) error {
			_, err := s.Centrality(ctx, Closeness, CentralityOptions{})
			return err
		},
		"harmonic": func(ctx context.Context) error {
			_, err := s.Centrality(ctx, Harmonic, CentralityOptions{RelationTypes: []string{"MEMBER_OF", "COOPERATES_WITH", "PARTICIPATES_IN"}})
			return err
		},
		"sampled betweenness": func(ctx context.Context) error {
			_, err := s.Centrality(ctx, Betweenness, CentralityOptions{Samples: 20000, Seed: 3})
			return err
		},
		"what-if": func(ctx context.Context) error {
			_, err := w.WhatIfRemoved(ctx, w.ids[0], nil, 10)
			return err
		},
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			l := NewLimiter(2, 4)
			cause := errors.New("the client left")
			ctx, cancel := context.WithCancelCause(WithLimiter(context.Background(), l))
			time.AfterFunc(50*time.Millisecond, func() { cancel(cause) })
			start := time.Now()
			err := call(ctx)
			answered := time.Since(start)
			if !errors.Is(err, cause) {
				t.Fatalf("error %v, want the request's cause", err)
			}
			stopped := waitIdle(t, l, 2*time.Second)
			t.Logf("answered after %s, the computation stopped %s later", answered.Round(time.Millisecond), stopped.Round(time.Microsecond))
			if answered > time.Second {
				t.Errorf("answered after %s: the call must return when its request ends", answered)
			}
			if stopped > 500*time.Millisecond {
				t.Errorf("the computation ran %s after its request left", stopped)
			}
		})
	}
}

// TestCommunitiesStopWhenTheirRequestLeaves: Louvain stops between passes.
// Its passes are fast, so the network here is the largest of the tests.
func TestCommunitiesStopWhenTheirRequestLeaves(t *testing.T) {
	s := bigNetwork()
	l := NewLimiter(1, 4)
	ctx, cancel := context.WithCancel(WithLimiter(context.Background(), l))
	go func() {
		// Cancel as soon as the computation runs.
		for l.Stats().Running == 0 {
			time.Sleep(100 * time.Microsecond)
		}
		cancel()
	}()
	_, err := s.Communities(ctx, CommunityOptions{Seed: 5})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	t.Logf("stopped %s after the request left", waitIdle(t, l, 2*time.Second))
	if _, ok := s.computed.items[cacheKey("communities", 1.0, uint64(5), "")]; ok {
		t.Error("a stopped computation was kept")
	}
}

// TestComputationsAreSharedAndKept: requests asking for the same result
// at once share one computation; one leaving does not stop it for the
// others; the result equals the unshared one and is kept.
func TestComputationsAreSharedAndKept(t *testing.T) {
	s := NewSnapshot(randomDataset(3000, 9000, 4))
	want, err := s.Centrality(context.Background(), Closeness, CentralityOptions{Kinds: []string{"Organisation"}})
	if err != nil {
		t.Fatal(err)
	}
	s = NewSnapshot(randomDataset(3000, 9000, 4)) // nothing kept
	l := NewLimiter(1, 1)
	base := WithLimiter(context.Background(), l)
	// The one core is taken until every request has joined and the leaver
	// has left, so that the leaver cannot be answered before it leaves
	// (on a loaded machine the computation could otherwise finish first).
	_, unblock, err := l.admit(base)
	if err != nil {
		t.Fatal(err)
	}
	leaver, leave := context.WithCancel(base)
	left := make(chan struct{})
	go func() {
		defer close(left)
		if _, err := s.Centrality(leaver, Closeness, CentralityOptions{}); !errors.Is(err, context.Canceled) {
			t.Errorf("the request that left got %v", err)
		}
	}()
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			got, err := s.Centrality(base, Closeness, CentralityOptions{})
			if err != nil || !slices.Equal(got, want) {
				t.Errorf("shared closeness differs from the unshared one (error %v)", err)
			}
		})
	}
	key := centralityKey(Closeness, CentralityOptions{})
	for waiters(s, key) < 9 {
		time.Sleep(100 * time.Microsecond)
	}
	leave()
	<-left
	unblock()
	wg.Wait()
	if st := l.Stats(); st.Admitted != 2 || st.Refused != 0 {
		t.Errorf("9 requests for one result (and the test's own hold of the core): %s; want 2 admitted", st)
	}
	if _, err := s.Centrality(base, Closeness, CentralityOptions{}); err != nil || l.Stats().Admitted != 2 {
		t.Errorf("the kept result was computed again (error %v): %s", err, l.Stats())
	}
}

// TestLimiterQueuesThenRefuses: beyond Procs computations wait, beyond
// Queue more they are refused with UNAVAILABLE at once; a waiting one
// whose request leaves gives its place up.
func TestLimiterQueuesThenRefuses(t *testing.T) {
	l := NewLimiter(1, 1)
	ctx := context.Background()
	_, releaseFirst, err := l.admit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	admitted := make(chan func())
	go func() {
		_, release, err := l.admit(ctx)
		if err != nil {
			t.Error(err)
		}
		admitted <- release
	}()
	for l.Stats().Waiting == 0 {
		time.Sleep(100 * time.Microsecond)
	}
	start := time.Now()
	if _, _, err := l.admit(ctx); coopgraph.ErrorCode(err) != coopgraph.EUNAVAILABLE {
		t.Fatalf("third computation with one running and one waiting: %v, want UNAVAILABLE", err)
	} else if d := time.Since(start); d > 100*time.Millisecond {
		t.Errorf("refused after %s; a refusal must not wait", d)
	}
	releaseFirst()
	(<-admitted)()

	// A waiter whose request leaves gives its place up.
	_, release, _ := l.admit(ctx)
	gone, cancel := context.WithCancel(ctx)
	done := make(chan error)
	go func() { _, _, err := l.admit(gone); done <- err }()
	for l.Stats().Waiting == 0 {
		time.Sleep(100 * time.Microsecond)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("abandoned wait: %v", err)
	}
	release()
	if st := l.Stats(); st.Running != 0 || st.Waiting != 0 || st.Abandoned != 1 || st.Refused != 1 || st.Admitted != 3 {
		t.Errorf("limiter left with %s", st)
	}
}

// TestLimiterSharesCores: the second computation running at once gets
// half the cores.
func TestLimiterSharesCores(t *testing.T) {
	l := NewLimiter(4, 0)
	p1, r1, _ := l.admit(context.Background())
	p2, r2, _ := l.admit(context.Background())
	r1()
	r2()
	if p1 != 4 || p2 != 2 {
		t.Errorf("goroutines %d then %d, want 4 then 2", p1, p2)
	}
}

// TestKeptResultsAreBounded: arbitrary keys (seeds) keep at most
// maxCached results, and refusals are not kept.
func TestKeptResultsAreBounded(t *testing.T) {
	s := NewSnapshot(randomDataset(200, 600, 2))
	ctx := context.Background()
	for seed := range uint64(3 * maxCached) {
		if _, err := s.Communities(ctx, CommunityOptions{Seed: seed}); err != nil {
			t.Fatal(err)
		}
	}
	s.computed.mu.Lock()
	n, lru := len(s.computed.items), len(s.computed.lru)
	s.computed.mu.Unlock()
	if n > maxCached || lru != n {
		t.Errorf("%d results kept (%d in the LRU list), bound %d", n, lru, maxCached)
	}
	l := NewLimiter(1, 0)
	_, release, _ := l.admit(ctx)
	_, err := s.Centrality(WithLimiter(ctx, l), Harmonic, CentralityOptions{})
	release()
	if coopgraph.ErrorCode(err) != coopgraph.EUNAVAILABLE {
		t.Fatalf("with the limiter full: %v, want UNAVAILABLE", err)
	}
	if _, err := s.Centrality(ctx, Harmonic, CentralityOptions{}); err != nil {
		t.Errorf("a refusal was kept: %v", err)
	}
}

// waiters is the number of requests waiting for the computation of key.
func waiters(s *Snapshot, key string) int {
	s.computed.mu.Lock()
	defer s.computed.mu.Unlock()
	if f, ok := s.computed.items[key]; ok {
		return f.waiters
	}
	return 0
}
