package graph

import (
	"context"
	"runtime"
	"sync/atomic"
)

// job is one computation's run: the context that says whether it is still
// wanted, and how many goroutines its parallel loops may use.
//
// The algorithms poll stopped between units of work of at most a few
// milliseconds on a whole programme (one BFS, a batch of 64 BFSs, one
// iteration of PageRank, one Louvain pass, one spur search) and return
// early when it is true, leaving a partial result: whoever started the job
// checks its context afterwards and answers with the context's error, never
// with the partial result. So a computation nobody waits for any more stops
// within milliseconds, without every algorithm returning an error.
//
// A nil *job is a job that is never stopped and uses GOMAXPROCS
// goroutines: what the command line and the tests use.
type job struct {
	ctx   context.Context
	procs int      // goroutines of a parallel loop; 0: GOMAXPROCS
	track *tracker // how far a shared computation is (see Snapshot.ExactProgress); nil: not tracked
	// urgent, for a shared computation, counts the requests waiting for
	// it: a Yielding Limiter's job does not pause while one does.
	urgent *atomic.Int32
	// limiter admitted the job (its context's); nil: none, never pauses.
	limiter *Limiter
}

// stopped reports whether the job's context has ended. A job of a
// Yielding Limiter first gives way to the requests being answered (see
// Limiter.Yielding): stopped is where every algorithm already pauses
// between units of work.
func (j *job) stopped() bool {
	if j == nil {
		return false
	}
	j.limiter.yield(j.ctx, j.urgent)
	select {
	case <-j.ctx.Done():
		return true
	default:
		return false
	}
}

// goroutines is the number of goroutines a parallel loop of the job may
// run.
func (j *job) goroutines() int {
	if j == nil || j.procs <= 0 {
		return runtime.GOMAXPROCS(0)
	}
	return j.procs
}

// err is the error of a stopped job: its context's cause. Nil while the job
// runs (and for a nil job).
func (j *job) err() error {
	if j == nil {
		return nil
	}
	if j.ctx.Err() == nil {
		return nil
	}
	return context.Cause(j.ctx)
}
