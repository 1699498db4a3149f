package server

import (
	"sync"
	"time"
)

// workers runs functions on goroutines that outlive them.
//
// withTimeout runs every request on a goroutine of its own, so that it can
// answer at the deadline while the request still computes. A new goroutine
// starts with a small stack, and gqlgen's execution is deep: growing it
// (copying it, twice or three times) cost 6 % of the server's CPU under
// load. A worker keeps its grown stack from one request to the next; it
// ends after workerIdle without work, so a burst leaves no goroutines
// behind. The zero value is ready to use.
type workers struct {
	once sync.Once
	jobs chan func()
}

// workerIdle is how long an idle worker waits for work before it ends.
const workerIdle = 10 * time.Second

// Go runs f on an idle worker, or on a new one when none is idle; it never
// waits. f must not panic past its own recover: a worker that panics takes
// the process down, as a goroutine of `go f()` would.
func (p *workers) Go(f func()) {
	p.once.Do(func() { p.jobs = make(chan func()) })
	select {
	case p.jobs <- f: // an idle worker took it
	default:
		go p.work(f)
	}
}

func (p *workers) work(f func()) {
	f()
	idle := time.NewTimer(workerIdle)
	defer idle.Stop()
	for {
		select {
		case f := <-p.jobs:
			f()
			idle.Reset(workerIdle)
		case <-idle.C:
			return
		}
	}
}
