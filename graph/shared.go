package graph

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/coopgraph/coopgraph"
)

// computations runs and keeps the snapshot's expensive results (rankings,
// communities, components, cut structure, what-if), so that:
//
//   - identical computations in flight are joined, not repeated: a request
//     asking for a result being computed waits for that computation;
//   - a computation stops once no request waits for it any more (each
//     waiter that leaves — client gone, timeout, shutdown — gives up its
//     interest; the last one cancels the job, which the algorithms notice
//     within milliseconds, see job);
//   - a computation runs only when the context's Limiter admits it;
//   - what is kept is bounded: at most maxCached results and maxCachedBytes
//     of them (estimated), least recently used first out. Computations in
//     flight are bounded by the Limiter (running and queued), so the keys a
//     client can make (relation types, samples, seeds) bound nothing but
//     the CPU the Limiter already rations.
//
// A stopped or refused computation is forgotten; a result or a domain error
// (an invalid argument) is kept.
type computations struct {
	mu    sync.Mutex
	items map[string]*flight
	lru   []string // finished keys, least recently used first
	bytes int
}

type flight struct {
	done    chan struct{} // closed when val, err and size are set
	val     any
	err     error
	size    int
	waiters int // requests waiting for it; guarded by computations.mu
	cancel  context.CancelCauseFunc
	track   tracker // how far it is, for progress reports (anytime.go)
	// urgent counts the waiters that are requests rather than background
	// work (their context's Limiter does not yield): while one waits, the
	// computation does not give way to requests (see Limiter.Yielding),
	// as it is what a request is waiting for.
	urgent atomic.Int32
}

// Bounds of the results a snapshot keeps. A ranking of a whole programme
// (~70,000 entities) takes ~2 MB, its communities ~5 MB.
const (
	maxCached      = 64
	maxCachedBytes = 256 << 20
)

// shared returns the result of compute for key, computed once for all the
// requests that ask for it at the same time and kept (see computations).
// compute returns the result and its estimated size in bytes; it runs on a
// goroutine of its own with a job whose context ends when the last waiting
// request leaves. shared returns ctx's error when ctx ends first.
func shared[T any](ctx context.Context, c *computations, key string, compute func(j *job) (T, int, error)) (T, error) {
	var zero T
	if err := ctx.Err(); err != nil {
		return zero, context.Cause(ctx)
	}
	c.mu.Lock()
	if c.items == nil {
		c.items = map[string]*flight{}
	}
	f, ok := c.items[key]
	if ok {
		select {
		case <-f.done:
			c.touch(key)
			c.mu.Unlock()
			return result[T](f)
		default:
		}
	} else {
		f = &flight{done: make(chan struct{})}
		var jctx context.Context
		// The job outlives no waiter, but it is nobody's request: it
		// keeps the context's values (its Limiter), not its deadline.
		jctx, f.cancel = context.WithCancelCause(context.WithoutCancel(ctx))
		c.items[key] = f
		go c.run(jctx, key, f, func(j *job) (any, int, error) { return compute(j) })
	}
	f.waiters++
	c.mu.Unlock()
	if !limiterFrom(ctx).yielding() {
		f.urgent.Add(1)
		defer f.urgent.Add(-1)
	}

	select {
	case <-f.done:
		c.mu.Lock()
		f.waiters--
		c.mu.Unlock()
		return result[T](f)
	case <-ctx.Done():
		c.mu.Lock()
		f.waiters--
		if f.waiters == 0 {
			select {
			case <-f.done:
			default:
				f.cancel(errNobodyWaits)
				if c.items[key] == f {
					delete(c.items, key)
				}
			}
		}
		c.mu.Unlock()
		return zero, context.Cause(ctx)
	}
}

// result is a finished flight's outcome.
func result[T any](f *flight) (T, error) {
	if f.err != nil {
		var zero T
		return zero, f.err
	}
	return f.val.(T), nil
}

// errNobodyWaits stops a computation whose requests have all left.
var errNobodyWaits = errors.New("no request waits for this computation any more")

// run admits and runs one computation, then keeps or forgets its result.
func (c *computations) run(ctx context.Context, key string, f *flight, compute func(j *job) (any, int, error)) {
	var val any
	var size int
	err := func() (err error) {
		l := limiterFrom(ctx)
		procs, release, err := l.admit(ctx)
		if err != nil {
			return err
		}
		defer release()
		defer func() {
			if v := recover(); v != nil {
				err = coopgraph.Errorf(coopgraph.EINTERNAL, "analytics computation failed: %v", v)
			}
		}()
		j := &job{ctx: ctx, procs: procs, track: &f.track, urgent: &f.urgent, limiter: l}
		j.track.admitted()
		val, size, err = compute(j)
		if jerr := j.err(); jerr != nil {
			return jerr // stopped: what it returned is partial
		}
		return err
	}()

	c.mu.Lock()
	defer c.mu.Unlock()
	f.val, f.err, f.size = val, err, size
	if keep(err) && c.items[key] == f {
		c.lru = append(c.lru, key)
		c.bytes += size
		c.evict()
	} else if c.items[key] == f {
		delete(c.items, key)
	}
	close(f.done)
	f.cancel(nil)
}

// keep reports whether a computation's outcome is worth keeping: a result
// or a domain error about the arguments, not a refusal, a stop or a crash.
func keep(err error) bool {
	if err == nil {
		return true
	}
	switch coopgraph.ErrorCode(err) {
	case coopgraph.EINVALID, coopgraph.ENOTFOUND, coopgraph.ELIMIT:
		return true
	}
	return false
}

// touch moves a finished key to the most recently used end; c.mu held.
func (c *computations) touch(key string) {
	for i, k := range c.lru {
		if k == key {
			copy(c.lru[i:], c.lru[i+1:])
			c.lru[len(c.lru)-1] = key
			return
		}
	}
}

// evict drops the least recently used results beyond the bounds; c.mu held.
func (c *computations) evict() {
	for len(c.lru) > 0 && (len(c.lru) > maxCached || c.bytes > maxCachedBytes) {
		k := c.lru[0]
		c.lru = c.lru[1:]
		if f, ok := c.items[k]; ok {
			c.bytes -= f.size
			delete(c.items, k)
		}
	}
}

// admitted runs compute once, not shared and not kept, under ctx's
// Limiter, with a job that stops when ctx ends: for computations whose
// arguments make every call different (k shortest paths, projections).
func admitted[T any](ctx context.Context, compute func(j *job) (T, error)) (T, error) {
	var zero T
	l := limiterFrom(ctx)
	procs, release, err := l.admit(ctx)
	if err != nil {
		return zero, err
	}
	defer release()
	j := &job{ctx: ctx, procs: procs, limiter: l}
	v, err := compute(j)
	if jerr := j.err(); jerr != nil {
		return zero, jerr
	}
	return v, err
}

// cacheKey joins the parts of a computation's key.
func cacheKey(parts ...any) string {
	b := make([]byte, 0, 64)
	for i, p := range parts {
		if i > 0 {
			b = append(b, '|')
		}
		b = fmt.Append(b, p)
	}
	return string(b)
}
