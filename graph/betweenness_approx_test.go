package graph

import (
	"context"
	"math"
	"testing"
)

// TestBetweennessApproxBound checks the guarantee of betweennessKadabra
// empirically against networkx's exact betweenness (the fixtures of
// scripts/reference/networkx_fixtures.py: karate, florentine, the random
// graphs, ba2000 and 2.5k nodes of CORDIS): over many seeds, the largest
// error over all nodes exceeds ε in at most a fraction δ of the runs. Each
// fixture runs at ε = 0.05 and, from 1,000 nodes, at 0.01 and 0.02 too;
// the test prints the observed failure rate, the largest error seen
// relative to ε (how conservative the bound is), the mean number of
// paths and how many runs stopped adaptively rather than at Riondato and
// Kornaropoulos' fixed size, and requires both kinds of run to occur.
func TestBetweennessApproxBound(t *testing.T) {
	const delta = 0.1
	runs := 40
	if testing.Short() {
		runs = 10
	}
	adaptive, fixed := 0, 0
	for _, fx := range loadCentralityFixtures(t) {
		for _, c := range fx.Cases {
			want := c.Centrality[Betweenness]
			if want == nil || len(fx.Entities) < 20 {
				continue
			}
			s := NewSnapshot(fx.dataset())
			g := fixtureGraph(t, s, c.RelationTypes)
			epsilons := []float64{0.05}
			if len(fx.Entities) >= 1000 {
				epsilons = []float64{0.01, 0.02, 0.05}
			}
			for _, eps := range epsilons {
				failed, worst, paths, adapt := 0, 0.0, 0, 0
				for seed := range uint64(runs) {
					got, k := kadabra(g, eps, delta, seed)
					maxErr := 0.0
					for v, x := range got {
						maxErr = math.Max(maxErr, math.Abs(x-want[s.ids[v]]))
					}
					worst = math.Max(worst, maxErr)
					if maxErr > eps {
						failed++
					}
					paths += k.tau
					if !k.fixed {
						adapt++
					}
				}
				adaptive, fixed = adaptive+adapt, fixed+runs-adapt
				t.Logf("%s %v: n=%d ε=%g δ=%g: %d of %d runs beyond ε; largest error %.3g (%.2f ε); %d paths on average, %d runs adaptive",
					fx.file, c.RelationTypes, len(fx.Entities), eps, delta, failed, runs, worst, worst/eps, paths/runs, adapt)
				if float64(failed) > delta*float64(runs) {
					t.Errorf("%s %v: %d of %d runs beyond ε = %g, more than δ = %g allows", fx.file, c.RelationTypes, failed, runs, eps, delta)
				}
			}
		}
	}
	if adaptive == 0 || fixed == 0 {
		t.Errorf("%d adaptive runs, %d at the fixed size: the test should see both", adaptive, fixed)
	}
}

// TestBetweennessApproxCentrality: Centrality with Epsilon answers
// betweennessKadabra's estimate on the graph of the relation types asked.
func TestBetweennessApproxCentrality(t *testing.T) {
	for _, fx := range loadCentralityFixtures(t) {
		if fx.file != "cordis-v4.json.gz" {
			continue
		}
		s := NewSnapshot(fx.dataset())
		types := []string{"PARTICIPATES_IN"}
		got, err := s.Centrality(context.Background(), Betweenness, CentralityOptions{RelationTypes: types, Epsilon: 0.02, Seed: 3})
		if err != nil {
			t.Fatal(err)
		}
		keep, err := s.typeFilter(types)
		if err != nil {
			t.Fatal(err)
		}
		want := betweennessKadabra(s.simple(nil, keep), 0.02, DefaultBetweennessDelta, 3)
		for _, sc := range got {
			v := s.index[sc.ID]
			if sc.Score != want[v] {
				t.Fatalf("%s: %v from Centrality, %v from betweennessKadabra", sc.ID, sc.Score, want[v])
			}
		}
		return
	}
	t.Fatal("no cordis-v4 fixture")
}

// TestKadabraDeltaBudget: the failure probabilities planKadabra gives the
// nodes, δ_L(v) = δ_U(v) = exp(−lnDelta[v]), sum to at most δ/2, and
// nodes of exactly zero betweenness take none.
func TestKadabraDeltaBudget(t *testing.T) {
	const delta = 0.1
	checked := 0
	for _, fx := range loadCentralityFixtures(t) {
		if len(fx.Entities) < 1000 {
			continue
		}
		s := NewSnapshot(fx.dataset())
		g := s.simple(nil, nil)
		comp, vd := componentsAndVD(g)
		for _, eps := range []float64{0.005, 0.01, 0.05} {
			eb := eps * float64(g.n-2) / float64(g.n)
			omega := kadabraOmega(vd, eb, delta)
			guess := int(math.Ceil(omega / kadabraStartFactor))
			counts := make([]int32, g.n)
			newKadabraRun(g, comp, 1).draw(counts, phaseGuess, 0, guess)
			// A fixed size above any τ*, so that the plan is adaptive.
			p := planKadabra(g, counts, guess, eb, delta, omega, math.MaxInt32)
			if p.lnDelta == nil {
				// Even at ω the bounds would not certify every node:
				// the run takes the fixed size.
				t.Logf("%s ε=%g: no adaptive plan (expect %d, ω %.0f)", fx.file, eps, p.expect, omega)
				continue
			}
			sum := 0.0
			for v, ln := range p.lnDelta {
				if ln == 0 {
					if !zeroBetweenness(g, int32(v)) {
						t.Fatalf("%s: node %d takes no δ but lies on shortest paths", fx.file, v)
					}
					continue
				}
				sum += 2 * math.Exp(-ln)
			}
			t.Logf("%s ε=%g: Σ δ_L + δ_U = %.6g (δ/2 = %g); expected τ %d of ω %.0f", fx.file, eps, sum, delta/2, p.expect, omega)
			if sum > delta/2*(1+1e-9) {
				t.Errorf("%s ε=%g: the nodes' δ sum to %g, beyond δ/2 = %g", fx.file, eps, sum, delta/2)
			}
			checked++
		}
	}
	if checked == 0 {
		t.Fatal("no fixture of 1,000 nodes or more")
	}
}

// TestZeroBetweenness: the nodes zeroBetweenness rules out (degree ≤ 1,
// or all neighbours adjacent) have exact betweenness 0 on every fixture,
// and some node of each kind occurs.
func TestZeroBetweenness(t *testing.T) {
	leaves, simplicial := 0, 0
	for _, fx := range loadCentralityFixtures(t) {
		for _, c := range fx.Cases {
			want := c.Centrality[Betweenness]
			if want == nil {
				continue
			}
			s := NewSnapshot(fx.dataset())
			g := fixtureGraph(t, s, c.RelationTypes)
			for v := range int32(g.n) {
				if !zeroBetweenness(g, v) {
					continue
				}
				if len(g.neighbours(v)) <= 1 {
					leaves++
				} else {
					simplicial++
				}
				if w := want[s.ids[v]]; w != 0 {
					t.Errorf("%s %v: %s has betweenness %g, but zeroBetweenness rules it out", fx.file, c.RelationTypes, s.ids[v], w)
				}
			}
		}
	}
	t.Logf("%d leaves, %d simplicial nodes of higher degree", leaves, simplicial)
	if leaves == 0 || simplicial == 0 {
		t.Error("the fixtures should hold both kinds of zero-betweenness node")
	}
}

// TestBetweennessApproxDeterministic: the same seed gives the same bits on
// any number of workers, another seed other paths, for a run that stops
// adaptively and one that draws the fixed size.
func TestBetweennessApproxDeterministic(t *testing.T) {
	for _, f := range loadCentralityFixtures(t) {
		if f.file != "cordis-v4.json.gz" {
			continue
		}
		s := NewSnapshot(f.dataset())
		keep, err := s.typeFilter([]string{"PARTICIPATES_IN"})
		if err != nil {
			t.Fatal(err)
		}
		g := s.simple(nil, keep)
		on := func(procs int) *simpleGraph { return onProcs(g, procs) }
		arms := map[bool]bool{}
		for _, eps := range []float64{0.02, 0.05} {
			one, k := kadabra(on(1), eps, 0.1, 7)
			many, _ := kadabra(on(4), eps, 0.1, 7)
			other, _ := kadabra(g, eps, 0.1, 8)
			same := true
			for v := range one {
				if one[v] != many[v] {
					t.Fatalf("ε=%g node %d: %v on 1 worker, %v on 4", eps, v, one[v], many[v])
				}
				same = same && one[v] == other[v]
			}
			if same {
				t.Errorf("ε=%g: seeds 7 and 8 gave the same estimate", eps)
			}
			arms[k.fixed] = true
			t.Logf("ε=%g: %d paths, fixed size %v", eps, k.tau, k.fixed)
		}
		if len(arms) != 2 {
			t.Error("both runs took the same arm: the test should see an adaptive run and a fixed one")
		}
		return
	}
	t.Fatal("no cordis-v4 fixture")
}

// TestBetweennessApproxStops: a stopped job ends the sampling early.
func TestBetweennessApproxStops(t *testing.T) {
	for _, f := range loadCentralityFixtures(t) {
		if f.file != "ba2000.json.gz" {
			continue
		}
		g := NewSnapshot(f.dataset()).simple(nil, nil)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		g.job = &job{ctx: ctx}
		if _, k := kadabra(g, 0.001, 0.1, 1); k.tau != 0 || k.guess != 0 {
			t.Errorf("a stopped job drew %d + %d paths", k.guess, k.tau)
		}
		return
	}
	t.Fatal("no ba2000 fixture")
}
