package graph

import (
	"context"
	"sync"
	"time"
)

// Certainty says how a ranking's scores relate to the exact measure.
type Certainty struct {
	// Exact is true for the measure as defined (see Measure).
	Exact bool
	// Epsilon and Delta bound an approximation: every score lies within
	// Epsilon of the exact one (in the units of the scores), all at once,
	// with probability at least 1 - Delta. Zero for an exact ranking.
	Epsilon, Delta float64
	// Progress, for CentralityAnytime's approximations, is how far the
	// exact ranking being computed in the background is.
	Progress Progress
}

// Progress is how far the exact ranking of a measure is.
type Progress struct {
	// Ready is true once the exact ranking is computed and kept.
	Ready bool
	// Running is true while it is being computed (not waiting for a
	// core, not yet started).
	Running bool
	// Done is the fraction of its main loop (the BFSs of closeness,
	// harmonic and betweenness) under way, in [0, 1]; 1 when Ready, 0
	// when unknown (the measures of a few passes do not report one).
	Done float64
	// ExpectedIn is the time left until it is ready, from the rate of its
	// loop so far, when Expected; 0 when Ready.
	ExpectedIn time.Duration
	Expected   bool
}

// AnytimeMinNodes is the size of network from which CentralityAnytime
// answers with an approximation while the exact ranking is being computed:
// on smaller networks the exact ranking takes less than the approximation.
const AnytimeMinNodes = 5000

// AnytimeDelta is the δ of CentralityAnytime's approximations.
const AnytimeDelta = 0.1

// MaxBackgroundRankings is how many exact rankings CentralityAnytime
// starts computing in the background at once beyond PrecomputeRankings'
// (relation types or projections a request asked for); a request beyond
// that gets its approximation all the same, and a later one starts the
// exact ranking.
const MaxBackgroundRankings = 4

// CentralityAnytime answers as CentralityCertified, except when the answer
// would have to wait for an exact ranking that is not ready: when opt asks
// for the exact measure (no Samples, Tolerance or Epsilon), the measure
// has a certified approximation (BETWEENNESS, CLOSENESS, HARMONIC), the
// network has at least AnytimeMinNodes entities and the exact ranking is
// not in the snapshot's cache (computed by PrecomputeRankings or an earlier
// request), it answers with the measure's anytime approximation (its fixed
// work: AnytimeBetweennessEpsilon for betweenness, AnytimeDistanceSamples
// BFS sources for closeness and harmonic, whose bound is what they give),
// at AnytimeDelta and seed 0 (every request gets the same estimate), and
// says so in the Certainty, with the exact ranking's Progress. Such an
// exact ranking that PrecomputeRankings does not compute (other relation
// types, a projection) is then started in the background, under
// PrecomputeRankings' context, so that a later request gets it exact.
// Kinds filter the ranking, not the computation: they do not change the
// ranking that must be ready. A projection or relation types that leave
// fewer than AnytimeMinNodes entities to rank are ranked exactly at once.
func (s *Snapshot) CentralityAnytime(ctx context.Context, m Measure, opt CentralityOptions, offset, first int) ([]Score, int, Certainty, error) {
	info, ok := LookupMeasure(m)
	key := centralityKey(m, opt)
	if opt.Samples == 0 && opt.Epsilon == 0 && opt.Tolerance == 0 && ok && info.approximate != nil &&
		len(s.ids) >= AnytimeMinNodes && !s.computed.finished(key) {
		est := opt
		est.anytime, est.Delta, est.Seed = true, AnytimeDelta, 0
		page, total, eps, err := s.centralityPage(ctx, m, est, offset, first)
		if err != nil {
			return nil, 0, Certainty{}, err
		}
		if eps == exactAnyway {
			return page, total, Certainty{Exact: true}, nil
		}
		s.background.start(s, m, opt, key)
		return page, total, Certainty{Epsilon: eps, Delta: est.Delta, Progress: s.progress(key)}, nil
	}
	return s.CentralityCertified(ctx, m, opt, offset, first)
}

// CentralityCertified is CentralityPage with the Certainty of its answer:
// exact unless opt asks for Samples (no bound) or Epsilon (the bound
// achieved, at most Epsilon).
func (s *Snapshot) CentralityCertified(ctx context.Context, m Measure, opt CentralityOptions, offset, first int) ([]Score, int, Certainty, error) {
	page, total, eps, err := s.centralityPage(ctx, m, opt, offset, first)
	if err != nil {
		return nil, 0, Certainty{}, err
	}
	c := Certainty{Exact: opt.Samples == 0 && opt.Epsilon == 0}
	if opt.Epsilon != 0 {
		c.Epsilon, c.Delta = eps, opt.Delta
		if c.Delta == 0 {
			c.Delta = DefaultBetweennessDelta
		}
	}
	return page, total, c, nil
}

// ExactProgress is how far the exact ranking of m on the whole network is.
func (s *Snapshot) ExactProgress(m Measure) Progress {
	return s.progress(centralityKey(m, CentralityOptions{}))
}

// RankingProgress is how far the exact ranking Centrality computes for m
// and opt is (opt.Kinds aside: they filter a ranking, not compute one).
func (s *Snapshot) RankingProgress(m Measure, opt CentralityOptions) Progress {
	return s.progress(centralityKey(m, opt))
}

// progress is how far the computation of key is.
func (s *Snapshot) progress(key string) Progress {
	c := &s.computed
	c.mu.Lock()
	f, ok := c.items[key]
	c.mu.Unlock()
	if !ok {
		return Progress{}
	}
	select {
	case <-f.done:
		return Progress{Ready: f.err == nil, Done: 1, Expected: f.err == nil}
	default:
	}
	var p Progress
	p.Running, p.Done, p.ExpectedIn, p.Expected = f.track.state(time.Now())
	return p
}

// PrecomputeOrder is the order in which PrecomputeRankings computes the
// exact rankings: cheapest first (one pass, then iterations of one pass,
// then one BFS per node).
var PrecomputeOrder = []Measure{Degree, PageRank, Eigenvector, Closeness, Harmonic, Betweenness}

// PrecomputeRankings computes the exact ranking of every measure on the
// whole network, in PrecomputeOrder, one after the other, and keeps them in
// the snapshot's cache, where requests join them (a request asking for one
// being computed waits for it rather than starting another). Computations
// run under ctx's Limiter (see WithLimiter): give it one of its own, with
// fewer cores than the requests' one, so that precomputing never delays a
// request's own analytics, and room in its queue for MaxBackgroundRankings
// more (CentralityAnytime starts those under ctx too). It stops when ctx
// ends (a newer snapshot) and returns ctx's cause, or the first error other
// than a measure's own (a measure that does not converge stays an error
// for its requests too, and the others are computed all the same). done,
// when not nil, is called after each measure.
func (s *Snapshot) PrecomputeRankings(ctx context.Context, done func(m Measure, err error)) error {
	s.background.set(ctx, true)
	defer s.background.set(ctx, false)
	for _, m := range PrecomputeOrder {
		_, err := s.Centrality(ctx, m, CentralityOptions{})
		if done != nil {
			done(m, err)
		}
		if ctx.Err() != nil {
			return context.Cause(ctx)
		}
	}
	return nil
}

// background starts the exact rankings CentralityAnytime answered
// approximately for, under PrecomputeRankings' context (none before it
// runs: a snapshot nobody precomputes computes on request only).
type background struct {
	mu          sync.Mutex
	ctx         context.Context
	precomputes bool // PrecomputeRankings is running
	running     int
}

func (b *background) set(ctx context.Context, precomputes bool) {
	b.mu.Lock()
	b.ctx, b.precomputes = ctx, precomputes
	b.mu.Unlock()
}

// start computes the exact ranking of m with opt (cache key key) in the
// background, unless it is being computed or kept already, it is one of
// PrecomputeRankings' while that runs (it computes them in its order,
// cheapest first; once it has, one evicted from the cache is computed
// again here), or MaxBackgroundRankings run already.
func (b *background) start(s *Snapshot, m Measure, opt CentralityOptions, key string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.ctx == nil || b.ctx.Err() != nil || b.running >= MaxBackgroundRankings ||
		b.precomputes && key == centralityKey(m, CentralityOptions{}) || s.computed.known(key) {
		return
	}
	b.running++
	ctx := b.ctx
	opt.Kinds, opt.Members = nil, nil
	go func() {
		_, _ = s.Centrality(ctx, m, opt) // an error is kept for the requests, or forgotten (see shared)
		b.mu.Lock()
		b.running--
		b.mu.Unlock()
	}()
}

// finished reports whether the result of key is computed and kept.
func (c *computations) finished(key string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	f, ok := c.items[key]
	if !ok {
		return false
	}
	select {
	case <-f.done:
		return true
	default:
		return false
	}
}

// known reports whether key is being computed or kept.
func (c *computations) known(key string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, ok := c.items[key]
	return ok
}
