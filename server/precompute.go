package server

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/graph"
)

// precomputing is the background computation of the exact rankings of the
// snapshot being served (see Server.Precompute).
type precomputing struct {
	mu     sync.Mutex
	cancel context.CancelFunc
}

// publish serves p (nil: nothing) and, with Precompute, starts computing
// its exact rankings in the background, stopping the computation for the
// snapshot it replaces.
func (s *Server) publish(p *published) {
	s.snap.Store(p)
	if !s.Precompute {
		return
	}
	s.precomputing.mu.Lock()
	defer s.precomputing.mu.Unlock()
	if s.precomputing.cancel != nil {
		s.precomputing.cancel()
		s.precomputing.cancel = nil
	}
	if p == nil {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.precomputing.cancel = cancel
	// Fewer cores than the requests' analytics: one is left to them.
	procs := max(1, orDefault(s.AnalyticsProcs, graph.DefaultAnalyticsProcs())-1)
	ctx = graph.WithLimiter(ctx, s.backgroundLimiter(procs, len(graph.Measures)))
	g, log := p.g, s.logger()
	go func() {
		start := time.Now()
		err := g.PrecomputeRankings(ctx, func(m graph.Measure, err error) {
			attrs := []slog.Attr{slog.String("measure", string(m)), slog.Duration("since_publish", time.Since(start))}
			if err != nil && ctx.Err() == nil {
				attrs = append(attrs, slog.String("code", coopgraph.ErrorCode(err)), slog.String("error", coopgraph.ErrorMessage(err)))
			}
			log.LogAttrs(ctx, slog.LevelInfo, "exact ranking computed", attrs...)
		})
		if err == nil {
			log.LogAttrs(ctx, slog.LevelInfo, "every exact ranking computed", slog.Duration("took", time.Since(start)))
		}
	}()
}

// StopPrecompute stops computing exact rankings in the background (at
// shutdown).
func (s *Server) StopPrecompute() {
	s.precomputing.mu.Lock()
	defer s.precomputing.mu.Unlock()
	if s.precomputing.cancel != nil {
		s.precomputing.cancel()
		s.precomputing.cancel = nil
	}
}

// exactRankings says, measure by measure, whether the exact ranking of
// the served snapshot is computed; nil without Precompute or snapshot.
func (s *Server) exactRankings() map[string]bool {
	g := s.Snapshot()
	if !s.Precompute || g == nil {
		return nil
	}
	out := map[string]bool{}
	for _, info := range graph.Measures {
		out[string(info.Name)] = g.ExactReady(info.Name)
	}
	return out
}

// precomputeCollector exports in /metrics which exact rankings are ready.
type precomputeCollector struct{ s *Server }

var exactReadyDesc = prometheus.NewDesc("coopgraph_centrality_exact_ready",
	"1 when the exact ranking of the measure on the served snapshot is computed (the server computes them in the background after publishing a snapshot; until then BETWEENNESS answers with a certified approximation), else 0.",
	[]string{"measure"}, nil)

func (c precomputeCollector) Describe(ch chan<- *prometheus.Desc) { ch <- exactReadyDesc }

func (c precomputeCollector) Collect(ch chan<- prometheus.Metric) {
	for m, ready := range c.s.exactRankings() {
		v := 0.0
		if ready {
			v = 1
		}
		ch <- prometheus.MustNewConstMetric(exactReadyDesc, prometheus.GaugeValue, v, m)
	}
}
