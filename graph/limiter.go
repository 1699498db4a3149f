package graph

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coopgraph/coopgraph"
)

// Limiter admits analytics computations by the cores they take, so that no
// number of requests can make the engine use more than its share of the
// machine. At most Procs computations run at once; a computation started
// while k run gets max(1, Procs/(k+1)) goroutines for its parallel loops.
// Up to Queue more wait, first come first served; beyond that a computation
// is refused at once with EUNAVAILABLE (the API adds Retry-After), rather
// than queueing work that could not start before its request times out.
//
// Admission is per computation, not per request: requests asking for a
// computation already running or waiting join it (see Snapshot's shared
// computations) and take no place of their own. A computation leaves the
// queue, or stops running, when no request waits for it any more.
//
// Give a Limiter to the engine through the context of the calls it should
// admit (WithLimiter). Calls without one are not limited: the command line
// runs one computation with every core.
type Limiter struct {
	procs, queue int

	mu      sync.Mutex
	running int
	waiting []chan struct{} // closed to admit, in arrival order
	stats   LimiterStats

	// busy, when set (Yielding), makes the computations admitted give way,
	// for at most maxPause at a time.
	busy     func() bool
	maxPause time.Duration
}

// LimiterStats counts what a Limiter did.
type LimiterStats struct {
	Running, Waiting int   // now
	Admitted         int64 // ever: computations that started running
	Refused          int64 // ever: computations refused because the queue was full
	Abandoned        int64 // ever: computations whose requests left while they waited
	// With Yielding: the pauses the computations made, and their time.
	Yields     int64
	YieldedFor time.Duration
}

// Default limits of the analytics engine in a server.
const (
	// DefaultAnalyticsQueue is how many computations may wait.
	DefaultAnalyticsQueue = 16
)

// DefaultAnalyticsProcs is the default number of cores analytics may use:
// all but one, so that a long computation never takes the core the
// server's quick answers (search, entities, paths) run on.
func DefaultAnalyticsProcs() int { return max(1, runtime.GOMAXPROCS(0)-1) }

// NewLimiter returns a Limiter running at most procs computations at once,
// with up to queue waiting. procs < 1 is taken as 1, queue < 0 as 0.
func NewLimiter(procs, queue int) *Limiter {
	return &Limiter{procs: max(1, procs), queue: max(0, queue)}
}

// Stats returns the limiter's counts.
func (l *Limiter) Stats() LimiterStats {
	l.mu.Lock()
	defer l.mu.Unlock()
	st := l.stats
	st.Running, st.Waiting = l.running, len(l.waiting)
	return st
}

// Yielding makes the computations l admits give way to a server's quick
// answers, and returns l: while busy reports true (requests are being
// answered, or were a moment ago), a computation pauses at its next check
// between units of work (see job), polling every yieldPoll, until busy is
// false or it has paused maxYield; then it does at least one more unit.
// For background work nobody waits for (the exact rankings a server
// computes after a load): on two cores, one computation holding a core
// for a unit of work (a level of 64 breadth-first searches on the linked
// network: 10–20 ms) makes the requests arriving meanwhile queue for the
// other core, which they share with the garbage collector. Under steady
// load the computation so does one unit per maxYield: slowed to a crawl,
// never stopped, and it resumes its pace as soon as the requests stop.
// A request that joins such a computation (asks for the result being
// computed) ends its pauses: it is waiting for it. busy is called often and must be cheap. Call
// Yielding before l admits anything.
func (l *Limiter) Yielding(busy func() bool) *Limiter {
	l.busy, l.maxPause = busy, maxYield
	return l
}

// Bounds of a yielding computation's pause (see Yielding).
const (
	maxYield  = 5 * time.Second
	yieldPoll = time.Millisecond
)

// yielding reports whether l's computations give way to requests.
func (l *Limiter) yielding() bool { return l != nil && l.busy != nil }

// yield pauses the caller while l's server is busy, at most maxYield and
// not past ctx's end, nor while a request waits for the computation
// (urgent, when not nil, counts them); a no-op unless l is Yielding.
func (l *Limiter) yield(ctx context.Context, urgent *atomic.Int32) {
	wanted := func() bool { return urgent != nil && urgent.Load() > 0 }
	if !l.yielding() || wanted() || !l.busy() {
		return
	}
	start := time.Now()
	for l.busy() && !wanted() && ctx.Err() == nil && time.Since(start) < l.maxPause {
		time.Sleep(yieldPoll)
	}
	l.mu.Lock()
	l.stats.Yields++
	l.stats.YieldedFor += time.Since(start)
	l.mu.Unlock()
}

// Procs is the number of computations the limiter runs at once.
func (l *Limiter) Procs() int { return l.procs }

type limiterKey struct{}

// WithLimiter returns a context whose analytics computations l admits.
func WithLimiter(ctx context.Context, l *Limiter) context.Context {
	return context.WithValue(ctx, limiterKey{}, l)
}

func limiterFrom(ctx context.Context) *Limiter {
	l, _ := ctx.Value(limiterKey{}).(*Limiter)
	return l
}

// admit waits until the computation of ctx may run and returns the
// goroutines it may use and the function to call when it ends. It fails
// with EUNAVAILABLE when the queue is full, and with ctx's error when ctx
// ends while it waits. A nil Limiter admits at once with GOMAXPROCS.
func (l *Limiter) admit(ctx context.Context) (procs int, release func(), err error) {
	if l == nil {
		return 0, func() {}, nil
	}
	l.mu.Lock()
	if l.running < l.procs && len(l.waiting) == 0 {
		procs = l.start()
		l.mu.Unlock()
		return procs, l.release, nil
	}
	if len(l.waiting) >= l.queue {
		l.stats.Refused++
		l.mu.Unlock()
		return 0, nil, coopgraph.Errorf(coopgraph.EUNAVAILABLE,
			"the server is busy with %d analyses and %d more wait: try again in a few seconds", l.running, len(l.waiting))
	}
	turn := make(chan struct{})
	l.waiting = append(l.waiting, turn)
	l.mu.Unlock()
	select {
	case <-turn:
		// release started it for us (counted it running).
		l.mu.Lock()
		procs = l.share()
		l.mu.Unlock()
		return procs, l.release, nil
	case <-ctx.Done():
		l.mu.Lock()
		defer l.mu.Unlock()
		for i, c := range l.waiting {
			if c == turn {
				l.waiting = append(l.waiting[:i], l.waiting[i+1:]...)
				l.stats.Abandoned++
				return 0, nil, context.Cause(ctx)
			}
		}
		// Admitted just as ctx ended: give the place back.
		l.releaseLocked()
		l.stats.Abandoned++
		return 0, nil, context.Cause(ctx)
	}
}

// start counts a computation running; l.mu held.
func (l *Limiter) start() int {
	l.running++
	l.stats.Admitted++
	return l.share()
}

// share is the goroutines of a computation starting now; l.mu held.
func (l *Limiter) share() int { return max(1, l.procs/l.running) }

func (l *Limiter) release() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.releaseLocked()
}

func (l *Limiter) releaseLocked() {
	l.running--
	for l.running < l.procs && len(l.waiting) > 0 {
		next := l.waiting[0]
		l.waiting = l.waiting[1:]
		l.start()
		close(next)
	}
}

func (st LimiterStats) String() string {
	s := fmt.Sprintf("running %d, waiting %d, admitted %d, refused %d, abandoned %d",
		st.Running, st.Waiting, st.Admitted, st.Refused, st.Abandoned)
	if st.Yields > 0 {
		s += fmt.Sprintf(", yielded %d times for %v", st.Yields, st.YieldedFor.Round(time.Millisecond))
	}
	return s
}
