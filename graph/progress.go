package graph

import "context"

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
	if report, ok := j.ctx.Value(progressKey{}).(func(done, total int64)); ok {
		report(done, total)
	}
}
