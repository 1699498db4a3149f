package graph

import (
	"context"
)

// Certainty says how a ranking's scores relate to the exact measure.
type Certainty struct {
	// Exact is true for the measure as defined (see Measure).
	Exact bool
	// Epsilon and Delta bound an approximation: every score lies within
	// Epsilon of the exact one, all at once, with probability at least
	// 1 - Delta. Zero for an exact ranking.
	Epsilon, Delta float64
}

// AnytimeMinNodes is the size of network from which CentralityAnytime
// answers with an approximation while the exact ranking is being computed:
// on smaller networks the exact ranking takes less than the approximation.
const AnytimeMinNodes = 5000

// CentralityAnytime answers as CentralityPage, except when the answer would
// have to wait for an exact ranking that is not ready: when opt asks for the
// exact measure (no Samples, Tolerance or Epsilon), the measure has a
// certified approximation (BETWEENNESS), the network has at least
// AnytimeMinNodes entities and the exact ranking is not in the snapshot's
// cache (computed by PrecomputeRankings or an earlier request), it answers
// with the approximation at AnytimeBetweennessEpsilon and
// AnytimeBetweennessDelta (seed 0: every request gets the same estimate)
// and says so in the Certainty. Otherwise the ranking is computed as
// CentralityPage does and is exact unless opt asked otherwise.
func (s *Snapshot) CentralityAnytime(ctx context.Context, m Measure, opt CentralityOptions, offset, first int) ([]Score, int, Certainty, error) {
	c := Certainty{Exact: opt.Samples == 0 && opt.Epsilon == 0}
	if opt.Epsilon != 0 {
		c.Epsilon, c.Delta = opt.Epsilon, opt.Delta
		if c.Delta == 0 {
			c.Delta = DefaultBetweennessDelta
		}
	}
	info, ok := LookupMeasure(m)
	if c.Exact && opt.Tolerance == 0 && ok && info.approximate != nil && len(s.ids) >= AnytimeMinNodes &&
		!s.computed.finished(centralityKey(m, opt)) {
		opt.Epsilon, opt.Delta, opt.Seed = AnytimeBetweennessEpsilon, AnytimeBetweennessDelta, 0
		c = Certainty{Epsilon: opt.Epsilon, Delta: opt.Delta}
	}
	page, total, err := s.CentralityPage(ctx, m, opt, offset, first)
	return page, total, c, err
}

// ExactReady reports whether the exact ranking of m on the whole network
// (all relation types, no projection) is computed and kept.
func (s *Snapshot) ExactReady(m Measure) bool {
	return s.computed.finished(centralityKey(m, CentralityOptions{}))
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
// request's own analytics. It stops when ctx ends (a newer snapshot) and
// returns ctx's cause, or the first error other than a measure's own (a
// measure that does not converge stays an error for its requests too, and
// the others are computed all the same). done, when not nil, is called after
// each measure.
func (s *Snapshot) PrecomputeRankings(ctx context.Context, done func(m Measure, err error)) error {
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
