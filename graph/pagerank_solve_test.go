package graph

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/coopgraph/coopgraph"
)

// TestPageRankSolveNetworkx compares the certified-tolerance PageRank with
// the fixed point of networkx 2.8.8's own Google matrix (nx.google_matrix,
// solved directly by numpy.linalg.solve: "PAGERANK_EXACT" in the fixtures,
// scripts/reference/networkx_fixtures.py) on every fixture: within 1e-9
// relative at tolerance 1e-12, and for every tolerance the L1 distance to
// the exact vector is at most the tolerance, as the certificate promises.
func TestPageRankSolveNetworkx(t *testing.T) {
	cases := 0
	for _, fx := range loadCentralityFixtures(t) {
		s := NewSnapshot(fx.dataset())
		for _, c := range fx.Cases {
			want, ok := c.Centrality["PAGERANK_EXACT"]
			if !ok {
				t.Fatalf("%s: no PAGERANK_EXACT: regenerate the fixtures", fx.Name)
			}
			for _, tol := range []float64{1e-2, 1e-4, 1e-7, 1e-10, 1e-12, MinPageRankTolerance} {
				name := fmt.Sprintf("%s/%v/tolerance %g", fx.Name, c.RelationTypes, tol)
				got, err := s.Centrality(context.Background(), PageRank, CentralityOptions{RelationTypes: c.RelationTypes, Tolerance: tol})
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if len(got) != len(want) {
					t.Fatalf("%s: %d scores, networkx %d", name, len(got), len(want))
				}
				l1 := 0.0
				for _, sc := range got {
					w, ok := want[sc.ID]
					if !ok {
						t.Fatalf("%s: score for %q, unknown to networkx", name, sc.ID)
					}
					l1 += math.Abs(sc.Score - w)
					if tol <= 1e-12 && !closeTo(sc.Score, w) {
						t.Errorf("%s: %s = %.17g, networkx %.17g", name, sc.ID, sc.Score, w)
					}
				}
				// The reference's own rounding is ~n·1e-17.
				if l1 > tol+float64(len(want))*1e-16 {
					t.Errorf("%s: L1 distance to the exact vector %.3g exceeds the tolerance", name, l1)
				}
				checkRanked(t, name, got)
				cases++
			}
		}
	}
	t.Logf("%d fixture cases within their tolerance", cases)
}

// bipartiteDataset is a participation network: projects with a
// heavy-tailed number of partners (many with one), organisations in
// several projects, a few organisations and projects alone, and one
// self-loop on a pendant organisation (which keeps the core bipartite).
func bipartiteDataset(projects, orgs int, seed uint64) *coopgraph.Dataset {
	rng := rand.New(rand.NewPCG(seed, 7))
	ds := &coopgraph.Dataset{Name: "bipartite"}
	for p := range projects {
		ds.Entities = append(ds.Entities, coopgraph.Entity{ID: fmt.Sprintf("p%05d", p), Kind: "Project"})
	}
	for o := range orgs {
		ds.Entities = append(ds.Entities, coopgraph.Entity{ID: fmt.Sprintf("o%05d", o), Kind: "Organisation"})
	}
	k := 0
	rel := func(o, p int) {
		ds.Relations = append(ds.Relations, coopgraph.Relation{ID: fmt.Sprintf("r%07d", k), Type: "PARTICIPATES_IN",
			From: fmt.Sprintf("o%05d", o), To: fmt.Sprintf("p%05d", p)})
		k++
	}
	for p := range projects - 3 { // the last three projects stay alone
		partners := 1
		if rng.IntN(10) >= 6 {
			partners = 2 + int(rng.ExpFloat64()*4)
		}
		for range partners {
			// Low numbers are popular: a heavy tail of projects per organisation.
			rel(int(float64(orgs-3)*math.Pow(rng.Float64(), 2.5)), p)
		}
	}
	ds.Relations = append(ds.Relations, coopgraph.Relation{ID: fmt.Sprintf("r%07d", k), Type: "PARTICIPATES_IN",
		From: fmt.Sprintf("o%05d", orgs-4), To: fmt.Sprintf("o%05d", orgs-4)})
	return ds
}

// TestPageRankSolveBipartite checks the red-black reduction (taken when
// the core is bipartite) and the plain core iteration against networkx's
// power iteration run to convergence (pageRankIter, whose every step is
// nx.pagerank's, to an L1 change below 1e-15), within the certified
// tolerance; and that both give the same bits on any number of workers,
// with the parallel paths forced on.
func TestPageRankSolveBipartite(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	defer func(w int) { minParallelWork = w }(minParallelWork)
	for _, tc := range []struct {
		name    string
		ds      *coopgraph.Dataset
		reduced bool
	}{
		{"participations", bipartiteDataset(3000, 3500, 1), true},
		{"random", randomDataset(2000, 6000, 5), false},
	} {
		g := NewSnapshot(tc.ds).simple(nil, nil)
		tr := peelTrees(g)
		if len(tr.peeled) == 0 || len(tr.roots) == 0 {
			t.Fatalf("%s: %d peeled, %d roots: the test graph should have both", tc.name, len(tr.peeled), len(tr.roots))
		}
		if cs := newCoreSolver(g, tr, make([]float64, g.n), make([]float64, g.n), pageRankAlpha); cs.reduced != tc.reduced {
			t.Fatalf("%s: reduced %v, want %v", tc.name, cs.reduced, tc.reduced)
		}
		ref, err := pageRankIter(g, 100000, 1e-15/float64(g.n))
		if err != nil {
			t.Fatal(err)
		}
		for _, tol := range []float64{1e-6, 1e-10, 1e-13} {
			runtime.GOMAXPROCS(1)
			minParallelWork = 1 << 16
			want, err := pageRankSolve(g, tol)
			if err != nil {
				t.Fatal(err)
			}
			l1 := 0.0
			for i := range want {
				l1 += math.Abs(want[i] - ref[i])
			}
			if l1 > tol+1e-14 {
				t.Errorf("%s, tolerance %g: L1 distance to networkx's converged iteration %.3g", tc.name, tol, l1)
			}
			minParallelWork = 0
			for _, procs := range []int{2, 3, 8} {
				runtime.GOMAXPROCS(procs)
				got, err := pageRankSolve(g, tol)
				if err != nil {
					t.Fatal(err)
				}
				for i := range got {
					if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
						t.Fatalf("%s, GOMAXPROCS=%d: node %d = %v, with 1 worker %v", tc.name, procs, i, got[i], want[i])
					}
				}
			}
		}
	}
}

// TestPageRankTolerance: Tolerance is checked (PAGERANK only, within its
// bounds), cached apart from the networkx-compatible default, and differs
// from it by no more than networkx's own stopping error.
func TestPageRankTolerance(t *testing.T) {
	s := NewSnapshot(bipartiteDataset(400, 500, 2))
	for _, bad := range []struct {
		m   Measure
		tol float64
	}{{Betweenness, 1e-10}, {Eigenvector, 1e-10}, {PageRank, -1}, {PageRank, 1e-14}, {PageRank, 0.5}, {PageRank, math.NaN()}, {PageRank, math.Inf(1)}} {
		if _, err := s.Centrality(context.Background(), bad.m, CentralityOptions{Tolerance: bad.tol}); coopgraph.ErrorCode(err) != coopgraph.EINVALID {
			t.Errorf("%s with tolerance %g: err %v, want EINVALID", bad.m, bad.tol, err)
		}
	}
	nx, err := s.Centrality(context.Background(), PageRank, CentralityOptions{})
	if err != nil {
		t.Fatal(err)
	}
	exact, err := s.Centrality(context.Background(), PageRank, CentralityOptions{Tolerance: 1e-12})
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]float64{}
	for _, sc := range exact {
		byID[sc.ID] = sc.Score
	}
	l1, differ := 0.0, 0
	for _, sc := range nx {
		l1 += math.Abs(sc.Score - byID[sc.ID])
		if sc.Score != byID[sc.ID] {
			differ++
		}
	}
	// networkx stops at an L1 change below n·1e-6: its error is below
	// α/(1-α) times that.
	bound := pageRankAlpha / (1 - pageRankAlpha) * float64(s.NumNodes()) * 1e-6
	if differ == 0 || l1 > bound {
		t.Errorf("default vs tolerance 1e-12: %d scores differ, L1 %.3g (bound %.3g): want some, within the bound", differ, l1, bound)
	}
}

// TestTwoColour: the colouring by kinds (simpleGraph.kindSide) and the
// breadth-first search agree on whether the core is bipartite, both give
// a proper colouring, and the solver gives the same bits either way.
// Kinds are a colouring only under the kept relation types that allow it.
func TestTwoColour(t *testing.T) {
	proper := func(g *simpleGraph, deg []int32, side []uint8) bool {
		for u := range g.n {
			for _, v := range g.neighbours(int32(u)) {
				if deg[u] > 0 && deg[v] > 0 && (side[u] == side[v] || side[u] == 0) {
					return false
				}
			}
		}
		return true
	}
	ds := bipartiteDataset(300, 400, 3)
	g := NewSnapshot(ds).simple(nil, nil)
	if g.kindSide == nil {
		t.Fatal("participations: no colouring by kinds")
	}
	tr := peelTrees(g)
	byKind, ok := twoColour(g, tr.deg)
	if !ok || !proper(g, tr.deg, byKind) {
		t.Fatalf("by kinds: bipartite %v, proper %v", ok, proper(g, tr.deg, byKind))
	}
	want, err := pageRankSolve(g, 1e-12)
	if err != nil {
		t.Fatal(err)
	}
	bfs := *g
	bfs.kindSide, bfs.kindOf = nil, nil
	searched, ok := twoColour(&bfs, tr.deg)
	if !ok || !proper(&bfs, tr.deg, searched) {
		t.Fatalf("by search: bipartite %v, proper %v", ok, proper(&bfs, tr.deg, searched))
	}
	got, err := pageRankSolve(&bfs, 1e-12)
	if err != nil {
		t.Fatal(err)
	}
	for i := range got {
		if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
			t.Fatalf("node %d: %v coloured by search, %v by kinds", i, got[i], want[i])
		}
	}

	// An organisation–organisation relation: no colouring by kinds, unless
	// its type is left out; an odd cycle of organisations: not bipartite.
	ds.Relations = append(ds.Relations,
		coopgraph.Relation{ID: "x1", Type: "COOPERATES_WITH", From: "o00000", To: "o00001"},
		coopgraph.Relation{ID: "x2", Type: "COOPERATES_WITH", From: "o00001", To: "o00002"},
		coopgraph.Relation{ID: "x3", Type: "COOPERATES_WITH", From: "o00002", To: "o00000"})
	s := NewSnapshot(ds)
	if g := s.simple(nil, nil); g.kindSide != nil {
		t.Error("organisations linked to organisations: coloured by kinds")
	} else if _, ok := twoColour(g, peelTrees(g).deg); ok {
		t.Error("a triangle of organisations: bipartite by search")
	}
	keep, err := s.typeFilter([]string{"PARTICIPATES_IN"})
	if err != nil {
		t.Fatal(err)
	}
	if g := s.simple(nil, keep); g.kindSide == nil {
		t.Error("PARTICIPATES_IN alone: no colouring by kinds")
	}
}
