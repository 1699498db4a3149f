package graph

import (
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"
)

// twinHeavyGraph is a random organisation–project graph made to exercise
// the reduction by twins: organisations that copy an earlier one's
// projects, projects that copy an earlier one's partners (so twins of
// both sides, some of them in the same search), organisations in one
// project (pendant trees hanging from twins), blocks joined through a
// single organisation (articulation points) and blocks left apart
// (several components), and complete bipartite blocks where a side is
// one class. Node numbers are shuffled.
func twinHeavyGraph(n int, seed uint64) *simpleGraph {
	rng := rand.New(rand.NewPCG(seed, 3))
	perm := rng.Perm(n)
	var edges [][2]int32
	link := func(a, b int) { edges = append(edges, [2]int32{int32(perm[a]), int32(perm[b])}) }
	next := 0
	var joint = -1 // an organisation of the previous block
	for next < n {
		size := min(n-next, 8+rng.IntN(max(1, n/3)))
		lo := next
		next += size
		if size >= 4 && rng.IntN(4) == 0 { // K_{a,b}
			a := 1 + rng.IntN(size-1)
			for i := lo; i < lo+a; i++ {
				for j := lo + a; j < lo+size; j++ {
					link(i, j)
				}
			}
			continue
		}
		projects := max(1, size/3)
		var sets [][]int // organisation -> its projects
		for o := lo + projects; o < lo+size; o++ {
			var set []int
			switch r := rng.IntN(10); {
			case r < 4 && len(sets) > 0: // a twin of an earlier organisation
				set = slices.Clone(sets[rng.IntN(len(sets))])
			case r < 6: // one project: a pendant leaf
				set = []int{lo + rng.IntN(projects)}
			default:
				for range 2 + rng.IntN(3) {
					set = append(set, lo+rng.IntN(projects))
				}
			}
			for _, p := range set {
				link(o, p)
			}
			sets = append(sets, set)
		}
		for p := 1; p < projects; p++ { // some projects copy an earlier one's partners
			if rng.IntN(3) == 0 {
				orig := lo + rng.IntN(p)
				for i, set := range sets {
					if slices.Contains(set, orig) {
						link(lo+projects+i, lo+p)
					}
				}
			}
		}
		if joint >= 0 && rng.IntN(3) > 0 { // joined to the previous block through one node
			link(joint, lo)
		}
		joint = lo + projects
	}
	return graphOf(n, edges)
}

// TestBetweennessTwins checks betweenness, which merges twins after
// folding pendant trees, against plain Brandes (networkx's, as written
// there) on graphs full of twins, within 1e-12 relative, for any number
// of workers to the bit, and that the graphs do have twins.
func TestBetweennessTwins(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	merged := 0
	for seed := range uint64(40) {
		n := []int{4, 6, 9, 16, 30, 60, 150, 400}[seed%8]
		g := twinHeavyGraph(n, seed)
		pt := newPendantTrees(g)
		tw := newTwins(pt.core, pendantWeights[float64](pt))
		merged += pt.core.n - tw.q.n
		want := referenceBetweenness(g)
		var first []float64
		for _, procs := range []int{1, 3} {
			runtime.GOMAXPROCS(procs)
			got := betweenness(g)
			if first == nil {
				first = got
				for v := range want {
					if d := math.Abs(got[v] - want[v]); d > 1e-12*math.Abs(want[v]) && d > 1e-15 {
						t.Errorf("seed %d, n=%d: betweenness[%d] = %.17g, want %.17g", seed, n, v, got[v], want[v])
					}
				}
				continue
			}
			for v := range got {
				if math.Float64bits(got[v]) != math.Float64bits(first[v]) {
					t.Fatalf("seed %d: GOMAXPROCS=%d: node %d = %v, with 1 %v", seed, procs, v, got[v], first[v])
				}
			}
		}
	}
	t.Logf("%d twins merged into their classes", merged)
	if merged < 100 {
		t.Errorf("the graphs had %d twins beyond the first of each class: too few to test the reduction", merged)
	}
}

// TestTwinsCompleteBipartite: in K_{a,b} each side is one class (the
// quotient is a single edge, and every path between two nodes is a pair
// of siblings: twins.addSiblings alone), checked against plain Brandes.
func TestTwinsCompleteBipartite(t *testing.T) {
	for a := 2; a <= 5; a++ {
		for b := a; b <= 6; b++ {
			var edges [][2]int32
			for i := range a {
				for j := a; j < a+b; j++ {
					edges = append(edges, [2]int32{int32(i), int32(j)})
				}
			}
			g := graphOf(a+b, edges)
			if tw := newTwins(g, slices.Repeat([]float64{1}, g.n)); tw.q.n != 2 {
				t.Errorf("K_{%d,%d}: %d classes, want 2", a, b, tw.q.n)
			}
			want := referenceBetweenness(g)
			for v, x := range betweenness(g) {
				if math.Abs(x-want[v]) > 1e-15 {
					t.Errorf("K_{%d,%d}: betweenness[%d] = %v, want %v", a, b, v, x, want[v])
				}
			}
		}
	}
}

// TestTwinClasses: twins are exactly the nodes with equal neighbour
// lists, found by comparing every pair; isolated nodes stay apart; the
// quotient's edges join the classes of adjacent nodes, once each.
func TestTwinClasses(t *testing.T) {
	for seed := range uint64(10) {
		g := twinHeavyGraph(120, seed)
		w := make([]float64, g.n)
		for v := range w {
			w[v] = float64(1 + v%3)
		}
		tw := newTwins(g, w)
		mult := make([]float64, tw.q.n)
		weight := make([]float64, tw.q.n)
		for u := range int32(g.n) {
			mult[tw.class[u]]++
			weight[tw.class[u]] += w[u]
			for v := range int32(g.n) {
				same := len(g.neighbours(u)) > 0 && slices.Equal(g.neighbours(u), g.neighbours(v))
				if (tw.class[u] == tw.class[v]) != (same || u == v) {
					t.Fatalf("seed %d: nodes %d and %d: classes %d and %d, same neighbours %v",
						seed, u, v, tw.class[u], tw.class[v], same)
				}
			}
			for _, v := range g.neighbours(u) {
				if _, ok := slices.BinarySearch(tw.q.neighbours(tw.class[u]), tw.class[v]); !ok {
					t.Fatalf("seed %d: edge %d–%d missing between classes", seed, u, v)
				}
			}
		}
		if !slices.Equal(mult, tw.mult) || !slices.Equal(weight, tw.weight) {
			t.Errorf("seed %d: multiplicities %v / weights %v, want %v / %v", seed, tw.mult, tw.weight, mult, weight)
		}
		pairs := map[[2]int32]bool{}
		for u := range int32(g.n) {
			for _, v := range g.neighbours(u) {
				pairs[[2]int32{tw.class[u], tw.class[v]}] = true
			}
		}
		for c := range int32(tw.q.n) {
			nb := tw.q.neighbours(c)
			if !slices.IsSorted(nb) || len(slices.Compact(slices.Clone(nb))) != len(nb) || slices.Contains(nb, c) {
				t.Fatalf("seed %d: class %d's neighbours %v: not sorted, repeated or itself", seed, c, nb)
			}
		}
		if len(tw.q.adj) != len(pairs) {
			t.Errorf("seed %d: the quotient has %d edge ends, the classes of adjacent nodes make %d", seed, len(tw.q.adj), len(pairs))
		}
	}
}
