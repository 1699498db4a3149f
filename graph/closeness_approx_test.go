package graph

import (
	"math"
	"testing"
)

// TestDistanceApproxBound checks the guarantee of closenessApprox and
// harmonicApprox empirically against networkx's exact closeness and
// harmonic centrality (the fixtures of scripts/reference/networkx_fixtures.py:
// karate, florentine, the random graphs, ba2000 and 2.5k nodes of CORDIS):
// over many seeds, the largest error over all nodes exceeds the bound the
// estimate states in at most a fraction δ of the runs. The estimates draw
// k = n/8 sources (at least 8), so that every fixture is sampled rather
// than computed exactly. It logs the observed failure rate and the largest
// ratio of error to bound, which shows how conservative the bound is.
func TestDistanceApproxBound(t *testing.T) {
	const delta = 0.1
	runs := 40
	if testing.Short() {
		runs = 10
	}
	for _, fx := range loadCentralityFixtures(t) {
		if len(fx.Entities) < 20 {
			continue
		}
		s := NewSnapshot(fx.dataset())
		for _, c := range fx.Cases {
			g := fixtureGraph(t, s, c.RelationTypes)
			k := int64(max(8, g.n/8))
			for _, m := range []Measure{Closeness, Harmonic} {
				want := c.Centrality[m]
				if want == nil {
					continue
				}
				failed, worst, bounds := 0, 0.0, 0.0
				for seed := range uint64(runs) {
					got, bound := sampleDistances(g, m == Harmonic, 0, delta, seed, k)
					maxErr := 0.0
					for u, x := range got {
						// Rounding aside: exact components agree with networkx to ~1e-15.
						maxErr = math.Max(maxErr, math.Abs(x-want[s.ids[u]])-1e-12*math.Max(1, math.Abs(x)))
					}
					if maxErr > bound {
						failed++
					}
					if bound > 0 {
						worst = math.Max(worst, maxErr/bound)
					}
					bounds += bound / float64(runs)
				}
				t.Logf("%s %v %s: n=%d k=%d δ=%g: %d of %d runs beyond the bound (mean bound %.3g); largest error/bound %.2f",
					fx.file, c.RelationTypes, m, g.n, k, delta, failed, runs, bounds, worst)
				if float64(failed) > delta*float64(runs) {
					t.Errorf("%s %v %s: %d of %d runs beyond the bound, more than δ = %g allows", fx.file, c.RelationTypes, m, failed, runs, delta)
				}
			}
		}
	}
}

// TestDistanceApproxEpsilon: asked for a bound, the estimate reaches it
// (doubling its sources) and its errors stay within it; on a network no
// larger than the first round's sources it is exact.
func TestDistanceApproxEpsilon(t *testing.T) {
	for _, fx := range loadCentralityFixtures(t) {
		if fx.file != "cordis-v4.json.gz" && fx.file != "karate.json" {
			continue
		}
		s := NewSnapshot(fx.dataset())
		g := s.simple(nil, nil)
		c := fx.Cases[0]
		for _, m := range []Measure{Closeness, Harmonic} {
			want := c.Centrality[m]
			eps := 0.02
			if m == Harmonic {
				eps = 0.05 * float64(g.n)
			}
			for seed := range uint64(5) {
				got, bound := sampleDistances(g, m == Harmonic, eps, 0.1, seed, 16)
				if bound > eps {
					t.Errorf("%s %s: asked for ε = %g, bound %g", fx.file, m, eps, bound)
				}
				for u, x := range got {
					if d := math.Abs(x - want[s.ids[u]]); d > eps {
						t.Errorf("%s %s seed %d: %s off by %g > ε = %g", fx.file, m, seed, s.ids[u], d, eps)
						break
					}
				}
			}
			// The anytime sources outnumber the nodes: exact.
			got, bound := sampleDistances(g, m == Harmonic, 0, 0.1, 1, int64(g.n))
			if bound != 0 {
				t.Errorf("%s %s: n = k but bound %g", fx.file, m, bound)
			}
			for u, x := range got {
				if d := math.Abs(x - want[s.ids[u]]); d > 1e-12*math.Max(1, math.Abs(x)) {
					t.Errorf("%s %s exact: %s = %v, networkx %v", fx.file, m, s.ids[u], x, want[s.ids[u]])
				}
			}
		}
	}
}

// TestDistanceApproxDeterministic: the same seed gives the same bits on
// any number of workers, another seed other sources.
func TestDistanceApproxDeterministic(t *testing.T) {
	for _, fx := range loadCentralityFixtures(t) {
		if fx.file != "ba2000.json.gz" {
			continue
		}
		s := NewSnapshot(fx.dataset())
		g := s.simple(nil, nil)
		with := func(procs int) *simpleGraph { return onProcs(g, procs) }
		for _, harmonic := range []bool{false, true} {
			one, b1 := sampleDistances(with(1), harmonic, 0, 0.1, 7, 200)
			many, b4 := sampleDistances(with(4), harmonic, 0, 0.1, 7, 200)
			other, _ := sampleDistances(g, harmonic, 0, 0.1, 8, 200)
			if b1 != b4 {
				t.Fatalf("harmonic %v: bound %v on 1 worker, %v on 4", harmonic, b1, b4)
			}
			same := true
			for v := range one {
				if one[v] != many[v] {
					t.Fatalf("harmonic %v: node %d: %v on 1 worker, %v on 4", harmonic, v, one[v], many[v])
				}
				same = same && one[v] == other[v]
			}
			if same {
				t.Errorf("harmonic %v: seeds 7 and 8 gave the same estimate", harmonic)
			}
		}
		return
	}
	t.Fatal("no ba2000 fixture")
}
