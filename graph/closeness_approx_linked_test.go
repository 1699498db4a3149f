package graph

import (
	"math"
	"os"
	"testing"
	"time"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/loader"
	"github.com/coopgraph/coopgraph/sources"
)

// TestDistanceApproxRealNetworks measures the anytime approximations of
// closeness and harmonic on the real networks — the built-in linked
// network and CORDIS H2020 with its countries — on one core: the time,
// the bound they state (δ = AnytimeDelta) and their largest error against
// the exact measure (computed here, on every core: minutes). It needs
// COOPGRAPH_APPROX_REAL=1; the figures it logs are BENCHMARKS.md's.
func TestDistanceApproxRealNetworks(t *testing.T) {
	if os.Getenv("COOPGRAPH_APPROX_REAL") == "" {
		t.Skip("set COOPGRAPH_APPROX_REAL=1 to measure the approximations on the real networks (minutes)")
	}
	for _, rn := range sources.RealNetworks() {
		t.Run(rn.Name, func(t *testing.T) {
			ds, err := rn.Load()
			if err != nil {
				t.Fatal(err)
			}
			approxOnReal(t, ds)
		})
	}
}

func approxOnReal(t *testing.T, ds *coopgraph.Dataset) {
	s := NewSnapshot(ds)
	g := s.simple(nil, nil)
	one := onProcs(g, 1)
	for _, m := range []Measure{Closeness, Harmonic} {
		start := time.Now()
		got, bound := sampleDistances(one, m == Harmonic, 0, AnytimeDelta, 0, AnytimeDistanceSamples)
		took := time.Since(start)
		start = time.Now()
		var want []float64
		if m == Harmonic {
			want = harmonic(g)
		} else {
			want = closeness(g)
		}
		exactTook := time.Since(start)
		maxErr, top := 0.0, 0.0
		for v := range got {
			maxErr = math.Max(maxErr, math.Abs(got[v]-want[v]))
			top = math.Max(top, want[v])
		}
		t.Logf("%s n=%d: anytime (%d sources, one core) %v, ε = %.4g (δ = %g, %.1f%% of the top score %.4g); largest error %.4g (%.3f ε); exact on %d cores %v",
			m, g.n, AnytimeDistanceSamples, took.Round(time.Millisecond), bound, AnytimeDelta, 100*bound/top, top, maxErr, maxErr/bound,
			g.job.goroutines(), exactTook.Round(time.Second))
		if maxErr > bound {
			t.Errorf("%s: largest error %g beyond the bound %g", m, maxErr, bound)
		}
	}
}

// BenchmarkAnytimeLinked times the anytime approximations on the linked
// network on one core, side by side, so that the ratios survive a loaded
// machine: go test ./graph -run '^$' -bench AnytimeLinked -benchtime 3x.
func BenchmarkAnytimeLinked(b *testing.B) {
	n, _, err := sources.BuiltinNetwork(loader.Options{})
	if err != nil {
		b.Fatal(err)
	}
	s := NewSnapshot(n.Dataset)
	g := s.simple(nil, nil)
	one := onProcs(g, 1)
	for _, m := range []Measure{Betweenness, Closeness, Harmonic} {
		info, _ := LookupMeasure(m)
		b.Run(string(m), func(b *testing.B) {
			for b.Loop() {
				info.approximate(one, 0, AnytimeDelta, 0)
			}
		})
	}
}
