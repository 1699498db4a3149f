package graph

import (
	"context"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/coopgraph/coopgraph"
)

// TestWhatIfRemovedNetworkx compares WhatIfRemoved with networkx 2.8.8:
// for a sample of nodes X of every fixture graph and filter, the pairs of
// X's component whose nx.shortest_path_length changes when
// G.remove_node(X) (G = nx.Graph(kept relations)), from
// nx.all_pairs_shortest_path_length before and after: the counts of
// disconnected and longer pairs, the sizes of the pieces
// (nx.connected_components after), and the changed pairs in order.
func TestWhatIfRemovedNetworkx(t *testing.T) {
	n := 0
	forGraphs(t, "brokers", func(t *testing.T, g *structureGraph, s *Snapshot, cases []brokersCase) {
		for _, c := range cases {
			for _, w := range c.WhatIf {
				n++
				name := fmt.Sprintf("%v/%s", c.RelationTypes, w.Entity)
				first := len(w.Changes)
				if w.Complete {
					first += 3 // asking for more gives no more
				}
				imp, err := s.WhatIfRemoved(context.Background(), w.Entity, c.RelationTypes, first)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if imp.Entity != w.Entity || imp.DisconnectedPairs != w.DisconnectedPairs || imp.LongerPairs != w.LongerPairs {
					t.Errorf("%s: %s disconnected %d, longer %d; networkx %d, %d", name, imp.Entity,
						imp.DisconnectedPairs, imp.LongerPairs, w.DisconnectedPairs, w.LongerPairs)
				}
				if !slices.Equal(imp.Components, w.Components) && len(imp.Components)+len(w.Components) > 0 {
					t.Errorf("%s: pieces %v, networkx %v", name, imp.Components, w.Components)
				}
				if !slices.Equal(imp.Examples, w.Changes) && len(imp.Examples)+len(w.Changes) > 0 {
					t.Errorf("%s: examples\n got %v\nwant %v", name, imp.Examples, w.Changes)
				}
				// A prefix of the order for a smaller first.
				if k := len(w.Changes) / 2; k > 0 {
					imp, err := s.WhatIfRemoved(context.Background(), w.Entity, c.RelationTypes, k)
					if err != nil || !slices.Equal(imp.Examples, w.Changes[:k]) {
						t.Errorf("%s, first %d: %v, %v; want %v", name, k, imp.Examples, err, w.Changes[:k])
					}
				}
			}
		}
	})
	if n < 100 {
		t.Errorf("only %d cases", n)
	}
}

// TestWhatIfRemovedBruteForce checks the counts and the examples against a
// plain recomputation (all-pairs BFS before and after on a copy without X)
// on random multigraphs, with one worker and with several.
func TestWhatIfRemovedBruteForce(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		s := NewSnapshot(randomDataset(300, 420, seed))
		g := s.simple(nil, nil)
		for _, x := range []int32{0, 1, 7, 150, 299} {
			id := s.ids[x]
			want := bruteImpact(g, x)
			imp, err := s.WhatIfRemoved(context.Background(), id, nil, 50)
			if err != nil {
				t.Fatal(err)
			}
			if imp.DisconnectedPairs != want.disconnected || imp.LongerPairs != want.longer {
				t.Errorf("seed %d, %s: %d, %d; brute force %d, %d", seed, id, imp.DisconnectedPairs, imp.LongerPairs, want.disconnected, want.longer)
			}
			var wantEx []PairChange
			for _, p := range want.changes[:min(50, len(want.changes))] {
				wantEx = append(wantEx, PairChange{A: s.ids[p.u], B: s.ids[p.v], Before: int(p.before), After: int(p.after)})
			}
			if !slices.Equal(imp.Examples, wantEx) && len(wantEx) > 0 {
				t.Errorf("seed %d, %s: examples\n got %v\nwant %v", seed, id, imp.Examples, wantEx)
			}
		}
	}
}

type bruteResult struct {
	disconnected, longer int64
	changes              []longerPair // disconnected (after -1) by (u, v), then longer by increase desc
}

func bruteImpact(g *simpleGraph, x int32) bruteResult {
	bfs := func(src int32, skip int32) []int32 {
		d := newDist(g.n)
		d[src] = 0
		q := []int32{src}
		for h := 0; h < len(q); h++ {
			for _, v := range g.neighbours(q[h]) {
				if v != skip && d[v] < 0 {
					d[v] = d[q[h]] + 1
					q = append(q, v)
				}
			}
		}
		return d
	}
	var r bruteResult
	var longer []longerPair
	for u := range int32(g.n) {
		if u == x {
			continue
		}
		before, after := bfs(u, -1), bfs(u, x)
		for v := u + 1; v < int32(g.n); v++ {
			switch {
			case v == x || before[v] < 0:
			case after[v] < 0:
				r.disconnected++
				r.changes = append(r.changes, longerPair{u, v, before[v], -1})
			case after[v] > before[v]:
				r.longer++
				longer = append(longer, longerPair{u, v, before[v], after[v]})
			}
		}
	}
	r.changes = append(r.changes, topLonger(longer, len(longer))...)
	return r
}

func TestWhatIfRemovedArguments(t *testing.T) {
	s := NewSnapshot(smallDataset())
	for _, tc := range []struct {
		id    string
		types []string
		first int
		code  string
		says  string
	}{
		{"nobody", nil, 5, coopgraph.ENOTFOUND, "nobody"},
		{"a", []string{"LIKES"}, 5, coopgraph.EINVALID, "LIKES"},
		{"a", nil, -1, coopgraph.EINVALID, "first"},
		{"a", nil, MaxWhatIfExamples + 1, coopgraph.ELIMIT, "10000"},
	} {
		_, err := s.WhatIfRemoved(context.Background(), tc.id, tc.types, tc.first)
		if coopgraph.ErrorCode(err) != tc.code || !errorMentions(err, tc.says) {
			t.Errorf("%+v: err %v, want %s naming %s", tc, err, tc.code, tc.says)
		}
	}
	// An isolated entity changes nothing.
	imp, err := s.WhatIfRemoved(context.Background(), "lonely", nil, 10)
	if err != nil || imp.DisconnectedPairs != 0 || imp.LongerPairs != 0 || len(imp.Components) != 0 || imp.Components == nil || imp.Examples == nil {
		t.Errorf("lonely: %+v, %v", imp, err)
	}
}

// TestWhatIfRemovedLimit: on a cycle of 30,000 entities, removing one
// leaves a path of 29,999 whose every pair must be compared, 29,999 ·
// (29,999 + 2·29,998) steps > the budget: the answer is an estimate
// (Exact false) within its bound of the count worked out by hand — the
// pairs at distance d > n/2 along the path of n−1 entities left,
// Σ_{d=⌊n/2⌋+1}^{n−2} (n−1−d) — and its examples are longer pairs. (A smaller budget than MaxWhatIfWork keeps the test short.)
// Removing the hub of a large star (every piece a single entity) or a
// leaf (nothing changes, by the 2-hop check) is cheap and exact.
func TestWhatIfRemovedLimit(t *testing.T) {
	const n = 30_000
	id := func(i int) string { return fmt.Sprintf("e%05d", i) }
	ds := &coopgraph.Dataset{}
	for i := range n {
		ds.Entities = append(ds.Entities, coopgraph.Entity{ID: id(i)})
		ds.Relations = append(ds.Relations,
			coopgraph.Relation{ID: "c" + id(i), Type: "COOPERATES_WITH", From: id(i), To: id((i + 1) % n)})
		if i > 0 {
			ds.Relations = append(ds.Relations, coopgraph.Relation{ID: "m" + id(i), Type: "MEMBER_OF", From: id(i), To: id(0)})
		}
	}
	s := NewSnapshot(ds)
	keep, err := s.typeFilter([]string{"COOPERATES_WITH"})
	if err != nil {
		t.Fatal(err)
	}
	x, _ := s.node(id(5))
	imp, err := s.whatIf(nil, x, keep, 5, 100_000_000, 1)
	var want int64
	for d := int64(n/2 + 1); d <= n-2; d++ {
		want += n - 1 - d
	}
	switch {
	case err != nil:
		t.Fatalf("cycle: %v", err)
	case imp.Exact || imp.Samples >= n-1:
		t.Errorf("cycle: exact %v from %d sources, want an estimate", imp.Exact, imp.Samples)
	case math.Abs(float64(imp.LongerPairs-want)) > imp.LongerPairsBound:
		t.Errorf("cycle: %d ± %.0f longer pairs, by hand %d", imp.LongerPairs, imp.LongerPairsBound, want)
	case imp.DisconnectedPairs != 0 || !slices.Equal(imp.Components, []int{n - 1}):
		t.Errorf("cycle: %d disconnected, pieces %v", imp.DisconnectedPairs, imp.Components)
	}
	t.Logf("cycle of %d: %d ± %.0f longer pairs from %d sources, exactly %d", n, imp.LongerPairs, imp.LongerPairsBound, imp.Samples, want)
	for _, ex := range imp.Examples {
		a, _ := s.node(ex.A)
		b, _ := s.node(ex.B)
		d := int(max(a, b) - min(a, b))
		// Without e00005 the cycle is the path e00006, …, e29999, e00000, …, e00004.
		pa, pb := (int(a)-6+n)%n, (int(b)-6+n)%n
		if after := max(pa, pb) - min(pa, pb); ex.Before != min(d, n-d) || ex.After != after || after <= ex.Before {
			t.Errorf("cycle: example %+v is not a longer pair", ex)
		}
	}
	imp, err = s.WhatIfRemoved(context.Background(), id(0), []string{"MEMBER_OF"}, 2)
	if err != nil || imp.DisconnectedPairs != (n-1)*(n-2)/2 || imp.LongerPairs != 0 || len(imp.Components) != n-1 || len(imp.Examples) != 2 || !imp.Exact {
		t.Errorf("star hub: %v", err)
	}
	imp, err = s.WhatIfRemoved(context.Background(), id(5), []string{"MEMBER_OF"}, 2)
	if err != nil || imp.DisconnectedPairs != 0 || imp.LongerPairs != 0 || !slices.Equal(imp.Components, []int{n - 1}) || !imp.Exact {
		t.Errorf("star leaf: %v", err)
	}
}

// TestWhatIfRemovedSampledWithinBound: on random networks of 3,000
// entities, removing each of the three best-connected, the estimate from
// a sample (a budget of a tenth of the exact count's work) lies within its
// stated bound of the exact count (the engine's exact count, itself
// checked against networkx and brute force above) in at least 1 − δ of the
// runs over many sample seeds; the exact parts (disconnected pairs,
// pieces) are the same; every example is a pair the brute force finds
// longer, with its distances.
func TestWhatIfRemovedSampledWithinBound(t *testing.T) {
	runs, outside := 0, 0
	var worst float64 // |error| / bound
	for _, gseed := range []uint64{1, 2, 3} {
		s := NewSnapshot(randomDataset(3000, 4500, gseed))
		g := s.simple(nil, nil)
		hubs := make([]int32, g.n)
		for i := range hubs {
			hubs[i] = int32(i)
		}
		slices.SortFunc(hubs, func(a, b int32) int { return len(g.neighbours(b)) - len(g.neighbours(a)) })
		for _, x := range hubs[:3] {
			exact, err := s.whatIf(nil, x, nil, 0, math.MaxInt64, 1)
			if err != nil || !exact.Exact {
				t.Fatalf("exact: %v", err)
			}
			comp, _ := componentWithout(g, x)
			h, _ := withoutNode(nil, g, x, comp)
			piece, sizes := components(h)
			budget := pairWork(h, piece, sizes) / 10
			brute := bruteImpact(g, x)
			longer := map[[2]string][2]int{}
			for _, p := range brute.changes {
				longer[[2]string{s.ids[p.u], s.ids[p.v]}] = [2]int{int(p.before), int(p.after)}
			}
			if brute.longer != exact.LongerPairs {
				t.Fatalf("exact %d, brute force %d", exact.LongerPairs, brute.longer)
			}
			for seed := uint64(1); seed <= 40; seed++ {
				est, err := s.whatIf(nil, x, nil, 20, budget, seed)
				if err != nil || est.Exact {
					t.Fatalf("estimate: %+v, %v", est, err)
				}
				runs++
				e := math.Abs(float64(est.LongerPairs - exact.LongerPairs))
				worst = max(worst, e/est.LongerPairsBound)
				if e > est.LongerPairsBound {
					outside++
				}
				if est.DisconnectedPairs != exact.DisconnectedPairs || !slices.Equal(est.Components, exact.Components) {
					t.Errorf("estimate's exact parts %d %v, want %d %v", est.DisconnectedPairs, est.Components, exact.DisconnectedPairs, exact.Components)
				}
				for _, ex := range est.Examples {
					if d, ok := longer[[2]string{ex.A, ex.B}]; !ok || (ex.After >= 0 && d != [2]int{ex.Before, ex.After}) {
						t.Errorf("example %+v is not a changed pair (brute force %v)", ex, d)
					}
				}
			}
			e, _ := s.whatIf(nil, x, nil, 0, budget, 1)
			t.Logf("graph %d, %s: %d longer pairs; seed 1's sample of %d of %d: %d ± %.0f", gseed, s.ids[x],
				exact.LongerPairs, e.Samples, len(comp), e.LongerPairs, e.LongerPairsBound)
		}
	}
	t.Logf("%d runs: %d outside the bound (δ = %g), worst |error|/bound %.3f", runs, outside, WhatIfDelta, worst)
	if float64(outside) > WhatIfDelta*float64(runs) {
		t.Errorf("%d of %d estimates outside their bound, more than δ = %g", outside, runs, WhatIfDelta)
	}
}

// TestWhatIfUpperBounds checks the bound estimateLonger samples by: on
// random networks, removing each of the five best-connected entities, no
// entity's count of longer partners L(u) (a search from every entity)
// exceeds U(u) computed from the searches from X's neighbours alone, and
// U is 0 for at least one entity (the pruning does something).
func TestWhatIfUpperBounds(t *testing.T) {
	for _, gseed := range []uint64{1, 2, 3} {
		s := NewSnapshot(randomDataset(2000, 3000, gseed))
		g := s.simple(nil, nil)
		hubs := make([]int32, g.n)
		for i := range hubs {
			hubs[i] = int32(i)
		}
		slices.SortFunc(hubs, func(a, b int32) int { return len(g.neighbours(b)) - len(g.neighbours(a)) })
		for _, x := range hubs[:5] {
			comp, before := componentWithout(g, x)
			h, nx := withoutNode(nil, g, x, comp)
			piece, sizes := components(h)
			near := slices.Sorted(slices.Values(nx))
			per := make([]int64, len(near))
			partners := make([]int32, h.n)
			longerPairs(nil, h, before, near, 0, per, partners)
			known := make([]int64, h.n)
			for i := range known {
				known[i] = -1
			}
			for i, a := range near {
				known[a] = per[i]
			}
			upper := upperBounds(h, before, known, partners, piece, sizes)
			all := make([]int32, h.n)
			for i := range all {
				all[i] = int32(i)
			}
			l := make([]int64, h.n)
			total, _ := longerPairs(nil, h, before, all, 0, l, nil)
			zero, positive := 0, 0
			var sumU int64
			for u := range h.n {
				if l[u] > upper[u] {
					t.Fatalf("graph %d, without %s: L(%s) = %d > U = %d", gseed, s.ids[x], s.ids[comp[u]], l[u], upper[u])
				}
				if upper[u] == 0 {
					zero++
				}
				if l[u] > 0 {
					positive++
				}
				sumU += upper[u]
			}
			if zero == 0 {
				t.Errorf("graph %d, without %s: U > 0 everywhere", gseed, s.ids[x])
			}
			t.Logf("graph %d, without %s: ΣL %d, ΣU %d; L > 0 for %d, U = 0 for %d of %d", gseed, s.ids[x], total, sumU, positive, zero, h.n)
		}
	}
}

// TestWhatIfRemovedPrunedExact: with a budget just below the exact
// count's, the searches from the neighbours and the layers, and the bound
// U = 0 for the rest, leave few enough entities to search every one:
// the answer is exact (Exact true, no bound) and equals the brute force's,
// examples included.
func TestWhatIfRemovedPrunedExact(t *testing.T) {
	exact := 0
	for _, seed := range []uint64{1, 2, 3} {
		s := NewSnapshot(randomDataset(300, 420, seed))
		g := s.simple(nil, nil)
		for _, x := range []int32{0, 1, 7, 150, 299} {
			comp, _ := componentWithout(g, x)
			h, _ := withoutNode(nil, g, x, comp)
			piece, sizes := components(h)
			imp, err := s.whatIf(nil, x, nil, 30, pairWork(h, piece, sizes)-1, 1)
			if err != nil {
				t.Fatal(err)
			}
			want := bruteImpact(g, x)
			if !imp.Exact {
				if math.Abs(float64(imp.LongerPairs-want.longer)) > imp.LongerPairsBound {
					t.Errorf("seed %d, %s: %d ± %.0f, brute force %d", seed, s.ids[x], imp.LongerPairs, imp.LongerPairsBound, want.longer)
				}
				continue
			}
			exact++
			var wantEx []PairChange
			for _, p := range want.changes[:min(30, len(want.changes))] {
				wantEx = append(wantEx, PairChange{A: s.ids[p.u], B: s.ids[p.v], Before: int(p.before), After: int(p.after)})
			}
			if imp.LongerPairs != want.longer || imp.LongerPairsBound != 0 || imp.Samples != len(comp) ||
				!slices.Equal(imp.Examples, wantEx) && len(wantEx) > 0 {
				t.Errorf("seed %d, %s: %d longer (bound %g, %d samples), brute force %d; examples\n got %v\nwant %v",
					seed, s.ids[x], imp.LongerPairs, imp.LongerPairsBound, imp.Samples, want.longer, imp.Examples, wantEx)
			}
		}
	}
	if exact < 5 {
		t.Errorf("only %d of 15 answers exact by the bounds", exact)
	}
	t.Logf("%d of 15 exact by the bounds", exact)
}

// TestWhatIfRemovedUniformFallback: when searching from every neighbour
// of X costs more than the budget, the sources are drawn uniformly
// (uniformLonger), a multiple of 64 of them, and the estimate lies within
// its (wider) bound of the exact count in at least 1 − δ of the runs.
func TestWhatIfRemovedUniformFallback(t *testing.T) {
	s := NewSnapshot(randomDataset(3000, 4500, 1))
	g := s.simple(nil, nil)
	x := int32(0)
	for u := range int32(g.n) {
		if len(g.neighbours(u)) > len(g.neighbours(x)) {
			x = u
		}
	}
	exact, err := s.whatIf(nil, x, nil, 0, math.MaxInt64, 1)
	if err != nil {
		t.Fatal(err)
	}
	comp, _ := componentWithout(g, x)
	h, nx := withoutNode(nil, g, x, comp)
	piece, sizes := components(h)
	cost := sourceCost(h, piece, sizes)
	var nearCost int64
	for _, a := range nx {
		nearCost += cost[piece[a]]
	}
	runs, outside := 0, 0
	for seed := uint64(1); seed <= 20; seed++ {
		est, err := s.whatIf(nil, x, nil, 5, nearCost-1, seed)
		if err != nil || est.Exact || est.Samples%64 != 0 || est.Samples == 0 {
			t.Fatalf("fallback: %+v, %v", est, err)
		}
		runs++
		if math.Abs(float64(est.LongerPairs-exact.LongerPairs)) > est.LongerPairsBound {
			outside++
		}
	}
	e, _ := s.whatIf(nil, x, nil, 0, nearCost-1, 1)
	t.Logf("without %s (%d neighbours): exactly %d; seed 1: %d ± %.0f from %d sources; %d of %d outside",
		s.ids[x], len(nx), exact.LongerPairs, e.LongerPairs, e.LongerPairsBound, e.Samples, outside, runs)
	if float64(outside) > WhatIfDelta*float64(runs) {
		t.Errorf("%d of %d estimates outside their bound", outside, runs)
	}
}
