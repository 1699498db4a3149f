package graph

import (
	"sync"
	"sync/atomic"
)

// workers returns one func per goroutine for a loop over n sources: as
// many as the job may use (GOMAXPROCS without a Limiter), fewer for small
// n. newWorker gives each its own scratch space.
func workers(j *job, n int, newWorker func() func(s int32)) []func(s int32) {
	fs := make([]func(int32), max(1, min(j.goroutines(), n)))
	for i := range fs {
		fs[i] = newWorker()
	}
	return fs
}

// parallelFor calls one of fs for every s in [lo, hi), each func on its own
// goroutine, handing out sources one at a time (BFS costs vary a lot from
// source to source). The funcs must only write results indexed by s. Once
// the job is stopped no further source is handed out (the loop's results
// are then partial, see job).
func parallelFor(j *job, lo, hi int, fs []func(s int32)) {
	total := int64(hi - lo)
	if len(fs) == 1 || hi-lo <= 1 {
		for s := lo; s < hi && !j.stopped(); s++ {
			j.progress(int64(s-lo), total)
			fs[0](int32(s))
		}
		return
	}
	var next atomic.Int64
	next.Store(int64(lo))
	var wg sync.WaitGroup
	for _, f := range fs {
		wg.Go(func() {
			for {
				s := next.Add(1) - 1
				if s >= int64(hi) || j.stopped() {
					return
				}
				j.progress(s-int64(lo), total)
				f(int32(s))
			}
		})
	}
	wg.Wait()
}

// newDist returns a distance array of n unreached (-1) nodes.
func newDist(n int) []int32 {
	d := make([]int32, n)
	for i := range d {
		d[i] = -1
	}
	return d
}

// minParallelWork is the number of edge visits below which a loop of the
// iterative measures runs on one goroutine: under it, starting goroutines
// costs more than it saves. A variable so that tests can force the
// parallel path on small graphs.
var minParallelWork = 1 << 16

// parallelChunks calls f(c) for every c in [0, chunks), on as many
// goroutines as the job may use, handing chunks out one at a time, or on
// the calling goroutine when work (the loop's cost in edge visits) is
// below minParallelWork. f must only write results indexed by c. A chunk
// is a small part of one O(n + m) pass: the iterative measures check the
// job between passes, not here.
func parallelChunks(j *job, chunks, work int, f func(c int)) {
	procs := min(j.goroutines(), chunks)
	if procs <= 1 || work < minParallelWork {
		for c := range chunks {
			f(c)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range procs {
		wg.Go(func() {
			for {
				c := int(next.Add(1) - 1)
				if c >= chunks {
					return
				}
				f(c)
			}
		})
	}
	wg.Wait()
}
