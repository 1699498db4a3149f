package graph

import (
	"context"
	"sync/atomic"
	"testing"
	"time"
)

// A job of a Yielding Limiter pauses at its checks while the server is
// busy (at most maxPause at a time), goes on at once when it is not, and
// stops pausing when its context ends; jobs of other limiters never pause.
func TestYieldingLimiterPausesJobsWhileBusy(t *testing.T) {
	var busy atomic.Bool
	l := NewLimiter(1, 1).Yielding(busy.Load)
	l.maxPause = 20 * time.Millisecond // maxYield is seconds
	ctx, cancel := context.WithCancel(WithLimiter(context.Background(), l))
	defer cancel()
	j := &job{ctx: ctx, procs: 1, limiter: l}

	if j.stopped() || l.Stats().Yields != 0 {
		t.Fatalf("idle server: stopped %v, %d pauses; want a job that goes on without pausing", j.stopped(), l.Stats().Yields)
	}
	busy.Store(true)
	start := time.Now()
	if j.stopped() {
		t.Fatal("a busy server stopped the job; it should only pause it")
	}
	if took, st := time.Since(start), l.Stats(); st.Yields != 1 || took < l.maxPause || st.YieldedFor < l.maxPause {
		t.Errorf("busy server: %d pauses for %v (the check took %v); want 1 pause of at least %v", st.Yields, st.YieldedFor, took, l.maxPause)
	}
	// The server becomes idle during the pause: the job goes on.
	go func() { time.Sleep(l.maxPause / 5); busy.Store(false) }()
	busy.Store(true)
	j.stopped()
	if st := l.Stats(); st.Yields != 2 {
		t.Errorf("%d pauses, want 2", st.Yields)
	}
	busy.Store(true)
	cancel()
	if !j.stopped() {
		t.Error("a cancelled job is not stopped")
	}

	plain := NewLimiter(1, 1)
	pj := &job{ctx: WithLimiter(context.Background(), plain), procs: 1, limiter: plain}
	pj.stopped()
	if plain.Stats().Yields != 0 {
		t.Error("a job of a limiter that does not yield paused")
	}
	var none *job
	none.stopped() // the command line's job: never pauses, never stops
}

// TestRequestJoiningBackgroundWorkEndsItsPauses: a request that asks for a
// result the background is computing (a Yielding Limiter's job) is not
// kept waiting by the job's pauses for requests: the job stops giving way
// while a request waits for it, so the answer comes in the time the
// computation takes, not after pauses of maxYield.
func TestRequestJoiningBackgroundWorkEndsItsPauses(t *testing.T) {
	s := NewSnapshot(randomDataset(3000, 9000, 4))
	var busy atomic.Bool
	busy.Store(true) // a server answering requests all the time
	background := WithLimiter(context.Background(), NewLimiter(1, 4).Yielding(busy.Load))
	bgDone := make(chan error, 1)
	go func() {
		_, err := s.Centrality(background, Closeness, CentralityOptions{})
		bgDone <- err
	}()
	key := centralityKey(Closeness, CentralityOptions{})
	for waiters(s, key) < 1 {
		time.Sleep(100 * time.Microsecond)
	}
	start := time.Now()
	request := WithLimiter(context.Background(), NewLimiter(1, 4))
	if _, err := s.Centrality(request, Closeness, CentralityOptions{}); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took >= maxYield {
		t.Errorf("the request waited %v for the background computation, paused for requests (maxYield %v)", took, maxYield)
	}
	if err := <-bgDone; err != nil {
		t.Fatal(err)
	}
}
