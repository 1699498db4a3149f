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
	j := &job{ctx: ctx, procs: 1}

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
	pj := &job{ctx: WithLimiter(context.Background(), plain), procs: 1}
	pj.stopped()
	if plain.Stats().Yields != 0 {
		t.Error("a job of a limiter that does not yield paused")
	}
	var none *job
	none.stopped() // the command line's job: never pauses, never stops
}
