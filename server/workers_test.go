package server

import (
	"runtime"
	"sync"
	"testing"
	"time"
)

// TestWorkersReuseIdleGoroutinesAndNeverWait: jobs one after the other run
// on the same few goroutines; jobs that all block at once each get a
// goroutine (Go never waits for a free worker).
func TestWorkersReuseIdleGoroutinesAndNeverWait(t *testing.T) {
	var p workers
	before := runtime.NumGoroutine()
	for range 1000 {
		done := make(chan struct{})
		p.Go(func() { close(done) })
		<-done
	}
	// A worker that just finished may not yet be back waiting, so a job can
	// start a second one; never one per job.
	if n := runtime.NumGoroutine() - before; n > 4 {
		t.Errorf("%d goroutines after 1,000 jobs in turn, want at most a few", n)
	}

	release := make(chan struct{})
	var started sync.WaitGroup
	started.Add(100)
	for range 100 {
		p.Go(func() {
			started.Done()
			<-release
		})
	}
	waited := make(chan struct{})
	go func() { started.Wait(); close(waited) }()
	select {
	case <-waited:
	case <-time.After(10 * time.Second):
		t.Fatal("100 blocking jobs did not all start: Go waited for a free worker")
	}
	close(release)
}
