package graph

import (
	"context"
	"sync"
	"time"
)

type progressKey struct{}

// WithProgress returns a context that carries report: the long
// computations started under it (betweenness, closeness, harmonic and
// what-if, a unit being one search or one batch of searches; PageRank and
// eigenvector centrality, a unit an iteration, of a total estimated from
// the convergence so far; Louvain, a node of the current pass) call
// report(done, total) as units are handed out, from any of their
// goroutines, so report must be safe for concurrent use and cheap (it may
// be called once a millisecond per core). A shared computation (see
// Centrality) reports to the context of the request that started it. For
// progress bars (the command line's); the answers do not depend on it.
func WithProgress(ctx context.Context, report func(done, total int64)) context.Context {
	return context.WithValue(ctx, progressKey{}, report)
}

// progress reports that done of total units of the job's current loop are
// under way, to the job's WithProgress function, if any.
func (j *job) progress(done, total int64) {
	if j == nil {
		return
	}
	j.track.report(done, total)
	if report, ok := j.ctx.Value(progressKey{}).(func(done, total int64)); ok {
		report(done, total)
	}
}

// tracker is how far a shared computation is: whether it runs (admitted
// by its Limiter), and the units done of its current loop with the time
// that loop started, from which Snapshot.ExactProgress tells the
// fraction done and the time left. Safe for concurrent use; a nil
// tracker tracks nothing.
type tracker struct {
	mu          sync.Mutex
	running     bool
	done, total int64
	loopStart   time.Time
}

// admitted records that the computation runs.
func (t *tracker) admitted() {
	t.mu.Lock()
	t.running = true
	t.mu.Unlock()
}

// report records that done of total units of the current loop are under
// way; a new total, or fewer units done than before, starts a new loop.
func (t *tracker) report(done, total int64) {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if total != t.total || done < t.done || t.loopStart.IsZero() {
		t.loopStart = time.Now()
	}
	t.done, t.total = done, total
}

// state is whether the computation runs, the fraction of its current loop
// done, and the time the rest of that loop should take at the rate so far
// (ok false when there is no rate yet).
func (t *tracker) state(now time.Time) (running bool, frac float64, left time.Duration, ok bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.total <= 0 {
		return t.running, 0, 0, false
	}
	frac = float64(t.done) / float64(t.total)
	elapsed := now.Sub(t.loopStart)
	if t.done <= 0 || elapsed <= 0 {
		return t.running, frac, 0, false
	}
	left = time.Duration(float64(elapsed) * float64(t.total-t.done) / float64(t.done))
	return t.running, frac, left, true
}
