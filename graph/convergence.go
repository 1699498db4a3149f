package graph

import (
	"context"
	"math"
)

// convergence reports an iterative solver's progress (WithProgress):
// done is the iterations so far, total their number extrapolated from the
// geometric rate at which the error has fallen since the first iteration,
// as power iteration, conjugate gradients and restarted Lanczos converge
// (log error about linear in the iterations): i + ln(err/goal)/r with r =
// ln(err₁/err)/(i − 1), at most limit. An estimate, for a progress bar;
// it does not change what the solver does.
type convergence struct {
	j     *job
	limit int     // the solver's iteration bound
	iter  int     // iterations reported
	first float64 // the first iteration's error
}

// step reports one more iteration, whose error is err, toward goal.
func (c *convergence) step(err, goal float64) {
	if c.j == nil {
		return
	}
	c.iter++
	if c.iter == 1 {
		c.first = err
	}
	total := c.limit
	if c.iter > 1 && err > goal && err < c.first {
		rate := math.Log(c.first/err) / float64(c.iter-1)
		total = min(c.limit, c.iter+int(math.Ceil(math.Log(err/goal)/rate)))
	}
	if err <= goal {
		total = c.iter
	}
	c.j.progress(int64(c.iter), int64(max(total, c.iter)))
}

// withProgressShare returns j, whose loops report done of total units,
// reporting instead offset + done·size/total of all: a stage of size
// units of a computation of all units (what-if's successive searches).
func withProgressShare(j *job, offset, size, all int64) *job {
	if j == nil {
		return nil
	}
	report, ok := j.ctx.Value(progressKey{}).(func(done, total int64))
	if !ok {
		return j
	}
	sub := *j
	sub.ctx = context.WithValue(j.ctx, progressKey{}, func(done, total int64) {
		if total > 0 {
			report(min(all, offset+done*size/total), all)
		}
	})
	return &sub
}
