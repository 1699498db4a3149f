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
	s.precomputing.stopLocked()
	if p == nil {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.precomputing.cancel = cancel
	// Fewer cores than the requests' analytics: one is left to them.
	procs := max(1, orDefault(s.AnalyticsProcs, graph.DefaultAnalyticsProcs())-1)
	// Its queue holds every measure and the exact rankings approximate
	// answers start (graph.MaxBackgroundRankings).
	ctx = graph.WithLimiter(ctx, s.backgroundLimiter(procs, len(graph.Measures)+graph.MaxBackgroundRankings))
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
	s.precomputing.stopLocked()
}

// stopLocked stops the computation running, if any; p.mu is held.
func (p *precomputing) stopLocked() {
	if p.cancel != nil {
		p.cancel()
		p.cancel = nil
	}
}

// exactRankings says, measure by measure, how far the exact ranking of
// the served snapshot is; nil without Precompute or snapshot.
func (s *Server) exactRankings() map[string]exactProgress {
	g := s.Snapshot()
	if !s.Precompute || g == nil {
		return nil
	}
	progress := map[string]exactProgress{}
	for _, info := range graph.Measures {
		p := g.ExactProgress(info.Name)
		e := exactProgress{Ready: p.Ready, Running: p.Running, Done: p.Done}
		if p.Expected {
			e.ExpectedInSeconds = new(p.ExpectedIn.Seconds())
		}
		progress[string(info.Name)] = e
	}
	return progress
}

// exactProgress is how far the exact ranking of a measure is, as /readyz
// details it (the fields of the API's CentralityProgress).
type exactProgress struct {
	Ready   bool `json:"ready"`
	Running bool `json:"running"`
	// Done is the fraction computed, 0 to 1.
	Done float64 `json:"done"`
	// ExpectedInSeconds is the time left at the rate so far; absent when
	// not known (not started, or too early to tell).
	ExpectedInSeconds *float64 `json:"expectedInSeconds,omitempty"`
}

// precomputeCollector exports in /metrics how far the exact rankings are.
type precomputeCollector struct{ s *Server }

var (
	exactReadyDesc = prometheus.NewDesc("coopgraph_centrality_exact_ready",
		"1 when the exact ranking of the measure on the served snapshot is computed (the server computes them in the background after publishing a snapshot; until then BETWEENNESS, CLOSENESS and HARMONIC answer with a certified approximation), else 0.",
		[]string{"measure"}, nil)
	exactDoneDesc = prometheus.NewDesc("coopgraph_centrality_exact_done_ratio",
		"The fraction of the exact ranking of the measure on the served snapshot computed so far, 0 to 1 (1 when ready).",
		[]string{"measure"}, nil)
	exactExpectedDesc = prometheus.NewDesc("coopgraph_centrality_exact_expected_seconds",
		"Seconds until the exact ranking of the measure is expected, at the rate of its computation so far; 0 when ready, absent when not known.",
		[]string{"measure"}, nil)
)

func (c precomputeCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- exactReadyDesc
	ch <- exactDoneDesc
	ch <- exactExpectedDesc
}

func (c precomputeCollector) Collect(ch chan<- prometheus.Metric) {
	for m, p := range c.s.exactRankings() {
		v := 0.0
		if p.Ready {
			v = 1
		}
		ch <- prometheus.MustNewConstMetric(exactReadyDesc, prometheus.GaugeValue, v, m)
		ch <- prometheus.MustNewConstMetric(exactDoneDesc, prometheus.GaugeValue, p.Done, m)
		if p.ExpectedInSeconds != nil {
			ch <- prometheus.MustNewConstMetric(exactExpectedDesc, prometheus.GaugeValue, *p.ExpectedInSeconds, m)
		}
	}
}
