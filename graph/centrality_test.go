package graph

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/coopgraph/coopgraph"
)

// allMeasures are the registry's: a measure added to it is compared with
// networkx's scores in every fixture, so it needs its reference fixture.
var allMeasures = func() []Measure {
	var ms []Measure
	for _, m := range Measures {
		ms = append(ms, m.Name)
	}
	return ms
}()

// centralityFixture is what the centrality tests read of a fixture of
// testdata (see scripts/reference/networkx_fixtures.py): the dataset with
// its kinds, networkx's scores per relation-type filter, sampled
// betweenness for given sources, and rankings with a kinds filter or on a
// projection.
type centralityFixture struct {
	file      string
	Name      string
	Reference string
	Entities  []string
	Kinds     map[string]string // absent: every entity is an Organisation
	Relations []struct{ ID, Type, From, To string }
	Cases     []struct {
		RelationTypes []string
		Centrality    map[Measure]map[string]float64
		Errors        map[Measure]string
	}
	Sampled []struct {
		RelationTypes []string
		K             int
		Seed          int
		Sources       []string
		Betweenness   map[string]float64
	}
	Ranked []struct {
		Measure       Measure
		RelationTypes []string
		Kinds         []string
		Projection    *Projection
		Error         string
		Scores        [][2]any // (id, score)
	}
}

// loadCentralityFixtures reads testdata/*.json and the large
// testdata/*.json.gz, keeping those written by networkx_fixtures.py (the
// other scripts' files have no centrality cases).
func loadCentralityFixtures(t testing.TB) []*centralityFixture {
	t.Helper()
	var files []string
	for _, pat := range []string{"*.json", "*.json.gz"} {
		f, err := filepath.Glob(filepath.Join("testdata", pat))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f...)
	}
	var out []*centralityFixture
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(f, ".gz") {
			z, err := gzip.NewReader(bytes.NewReader(b))
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			if b, err = io.ReadAll(z); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
		}
		fx := &centralityFixture{file: filepath.Base(f)}
		if err := json.Unmarshal(b, fx); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if len(fx.Cases) > 0 {
			out = append(out, fx)
		}
	}
	if len(out) < 25 {
		t.Fatalf("found %d centrality fixtures in testdata; run scripts/reference/networkx_fixtures.py", len(out))
	}
	return out
}

func (fx *centralityFixture) dataset() *coopgraph.Dataset {
	ds := &coopgraph.Dataset{Name: fx.Name}
	for _, id := range fx.Entities {
		kind := fx.Kinds[id]
		if kind == "" {
			kind = "Organisation"
		}
		ds.Entities = append(ds.Entities, coopgraph.Entity{ID: id, Kind: kind, Name: strings.ToUpper(id)})
	}
	for _, r := range fx.Relations {
		ds.Relations = append(ds.Relations, coopgraph.Relation{ID: r.ID, Type: r.Type, From: r.From, To: r.To})
	}
	return ds
}

// TestCentralityNetworkx compares every score with networkx 2.8.8's
// defaults: nx.degree_centrality, nx.betweenness_centrality,
// nx.closeness_centrality, nx.harmonic_centrality, nx.pagerank and
// nx.eigenvector_centrality on nx.Graph(kept relations), within 1e-9
// relative (1e-12 absolute near 0), on every fixture including the large
// ones (ba2000: 2,000 nodes; cordis-v4: 2.5k nodes of real CORDIS data).
// Where networkx raised PowerIterationFailedConvergence, Centrality must
// fail with EINVALID. It also counts the scores equal bit for bit
// (networkx's graph is built in sorted order): all of them for degree,
// closeness, PageRank and eigenvector, whose sums the engine reproduces;
// betweenness and harmonic sum in another order.
func TestCentralityNetworkx(t *testing.T) {
	exact, total := map[Measure]int{}, map[Measure]int{}
	for _, fx := range loadCentralityFixtures(t) {
		s := NewSnapshot(fx.dataset())
		for _, c := range fx.Cases {
			for _, m := range allMeasures {
				name := fmt.Sprintf("%s/%v/%s", fx.Name, c.RelationTypes, m)
				got, err := s.Centrality(context.Background(), m, CentralityOptions{RelationTypes: c.RelationTypes})
				if exc, ok := c.Errors[m]; ok {
					if coopgraph.ErrorCode(err) != coopgraph.EINVALID {
						t.Errorf("%s: networkx raised %s, got err %v", name, exc, err)
					}
					continue
				}
				if err != nil {
					t.Errorf("%s: %v", name, err)
					continue
				}
				want := c.Centrality[m]
				if len(got) != len(want) || len(got) != s.NumNodes() {
					t.Errorf("%s: %d scores, networkx has %d, snapshot %d nodes", name, len(got), len(want), s.NumNodes())
					continue
				}
				for _, sc := range got {
					w, ok := want[sc.ID]
					if !ok {
						t.Errorf("%s: score for %q, unknown to networkx", name, sc.ID)
						continue
					}
					total[m]++
					if sc.Score == w {
						exact[m]++
					} else if !closeTo(sc.Score, w) {
						t.Errorf("%s: %s = %.17g, networkx %.17g", name, sc.ID, sc.Score, w)
					}
				}
				checkRanked(t, name, got)
			}
		}
	}
	for _, m := range allMeasures {
		t.Logf("%-11s %5d/%5d scores equal to networkx's bit for bit", m, exact[m], total[m])
	}
}

// TestSampledBetweennessNetworkx runs betweennessSampled on the sources
// the fixture script drew, and compares with networkx 2.8.8's
// betweenness_centrality(G, k, seed) for those sources (the script checks
// that its values are networkx's own), within 1e-9 relative.
func TestSampledBetweennessNetworkx(t *testing.T) {
	cases := 0
	for _, fx := range loadCentralityFixtures(t) {
		s := NewSnapshot(fx.dataset())
		for _, c := range fx.Sampled {
			name := fmt.Sprintf("%s/%v/k=%d", fx.Name, c.RelationTypes, c.K)
			g := fixtureGraph(t, s, c.RelationTypes)
			var sources []int32
			for _, id := range c.Sources {
				sources = append(sources, s.index[id])
			}
			if len(sources) != c.K {
				t.Fatalf("%s: %d sources", name, len(sources))
			}
			got := betweennessSampled(g, sources)
			for i, v := range got {
				if w := c.Betweenness[s.ids[i]]; !closeTo(v, w) {
					t.Errorf("%s: %s = %.17g, networkx %.17g", name, s.ids[i], v, w)
				}
			}
			cases++
		}
	}
	if cases < 10 {
		t.Errorf("%d sampled cases, want at least 10", cases)
	}
}

// TestRankedNetworkx checks rankings with a kinds filter and on
// projections against networkx's scores (on nx.bipartite.projected_graph
// for projections; see the fixture script): the same entities, scores
// within 1e-9 relative, in ranking order.
func TestRankedNetworkx(t *testing.T) {
	cases := map[string]int{}
	for _, fx := range loadCentralityFixtures(t) {
		s := NewSnapshot(fx.dataset())
		for _, c := range fx.Ranked {
			name := fmt.Sprintf("%s/%s/types %v/kinds %v/projection %+v", fx.Name, c.Measure, c.RelationTypes, c.Kinds, c.Projection)
			got, err := s.Centrality(context.Background(), c.Measure, CentralityOptions{RelationTypes: c.RelationTypes, Kinds: c.Kinds, Projection: c.Projection})
			if c.Error != "" {
				if coopgraph.ErrorCode(err) != coopgraph.EINVALID {
					t.Errorf("%s: networkx raised %s, got err %v", name, c.Error, err)
				}
				continue
			}
			if err != nil {
				t.Errorf("%s: %v", name, err)
				continue
			}
			if len(got) != len(c.Scores) {
				t.Errorf("%s: %d scores, networkx %d", name, len(got), len(c.Scores))
				continue
			}
			want := map[string]float64{}
			for _, p := range c.Scores {
				want[p[0].(string)] = p[1].(float64)
			}
			for _, sc := range got {
				if w, ok := want[sc.ID]; !ok || !closeTo(sc.Score, w) {
					t.Errorf("%s: %s = %.17g, networkx %.17g (present %v)", name, sc.ID, sc.Score, w, ok)
				}
			}
			checkRanked(t, name, got)
			switch {
			case c.Projection != nil:
				cases["projection"]++
			default:
				cases["kinds"]++
			}
		}
	}
	if cases["projection"] < 10 || cases["kinds"] < 5 {
		t.Errorf("ranked cases: %v, want at least 10 on projections and 5 with kinds", cases)
	}
}

// checkRanked: scores descending, ties (to 2^-40) by id ascending.
func checkRanked(t *testing.T, name string, got []Score) {
	t.Helper()
	for i := 1; i < len(got); i++ {
		a, b := got[i-1], got[i]
		ka, kb := tieKey(a.Score), tieKey(b.Score)
		if ka < kb || ka == kb && a.ID >= b.ID {
			t.Errorf("%s: %v before %v", name, a, b)
		}
	}
}

// TestCentralityTies: symmetric nodes whose scores differ by rounding only
// (the grid's corners) are ranked by id.
func TestCentralityTies(t *testing.T) {
	for _, fx := range loadCentralityFixtures(t) {
		if fx.Name != "grid4x4" && fx.Name != "ladder5" {
			continue
		}
		s := NewSnapshot(fx.dataset())
		for _, m := range []Measure{Betweenness, Closeness, Harmonic, PageRank, Eigenvector} {
			got, err := s.Centrality(context.Background(), m, CentralityOptions{})
			if err != nil {
				t.Fatal(err)
			}
			distinct := 0
			for i := range got {
				if i == 0 || tieKey(got[i].Score) != tieKey(got[i-1].Score) {
					distinct++
				}
			}
			// Three orbits: the grid's corners, sides and centre; the
			// ladder's end rungs, next rungs and middle rung.
			if distinct != 3 {
				t.Errorf("%s/%s: %d distinct ranks, want 3: %v", fx.Name, m, distinct, got)
			}
			checkRanked(t, fx.Name+"/"+string(m), got)
		}
	}
}

func TestCentralityErrors(t *testing.T) {
	s := NewSnapshot(&coopgraph.Dataset{
		Entities:  []coopgraph.Entity{{ID: "a"}, {ID: "b"}},
		Relations: []coopgraph.Relation{{ID: "r", Type: "MEMBER_OF", From: "a", To: "b"}},
	})
	_, err := s.Centrality(context.Background(), "KATZ", CentralityOptions{})
	if coopgraph.ErrorCode(err) != coopgraph.EINVALID {
		t.Errorf("unknown measure: err %v, want EINVALID", err)
	}
	_, err = s.Centrality(context.Background(), Degree, CentralityOptions{RelationTypes: []string{"MEMBER_OF", "LIKES"}})
	if coopgraph.ErrorCode(err) != coopgraph.EINVALID || !errorMentions(err, "LIKES") {
		t.Errorf("unknown relation type: err %v, want EINVALID naming LIKES", err)
	}
	// A type of the vocabulary that no relation has keeps no edge.
	got, err := s.Centrality(context.Background(), Degree, CentralityOptions{RelationTypes: []string{"FUNDED_BY"}})
	if err != nil || len(got) != 2 || got[0].Score != 0 || got[1].Score != 0 {
		t.Errorf("FUNDED_BY only: %v, %v; want two zero scores", got, err)
	}
	path := &coopgraph.Dataset{}
	for i := range 20 {
		path.Entities = append(path.Entities, coopgraph.Entity{ID: fmt.Sprintf("v%02d", i)})
		if i > 0 {
			path.Relations = append(path.Relations, coopgraph.Relation{ID: fmt.Sprint(i), Type: "PART_OF", From: fmt.Sprintf("v%02d", i-1), To: fmt.Sprintf("v%02d", i)})
		}
	}
	p20 := NewSnapshot(path)
	// PageRank converges within 100 iterations on every graph (the error
	// shrinks by alpha each step), so its failure is forced here.
	if _, err := pageRankIter(p20.simple(nil, nil), 3, pageRankTol); coopgraph.ErrorCode(err) != coopgraph.EINVALID {
		t.Errorf("PageRank, 3 iterations on P20: err %v, want EINVALID", err)
	}
}

func TestCentralityEmpty(t *testing.T) {
	for _, ds := range []*coopgraph.Dataset{nil, {}} {
		s := NewSnapshot(ds)
		for _, m := range allMeasures {
			got, err := s.Centrality(context.Background(), m, CentralityOptions{})
			if err != nil || len(got) != 0 {
				t.Errorf("%s on the empty graph: %v, %v; want no scores, no error", m, got, err)
			}
		}
	}
}

// TestCentralityCache: results are shared between callers but the slices
// they get are theirs, and concurrent callers agree.
func TestCentralityCache(t *testing.T) {
	s := NewSnapshot(randomDataset(300, 900, 3))
	first, err := s.Centrality(context.Background(), Betweenness, CentralityOptions{RelationTypes: []string{"MEMBER_OF", "PARTICIPATES_IN"}})
	if err != nil {
		t.Fatal(err)
	}
	want := slices.Clone(first)
	first[0].Score = -1
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			// Same filter in another order and with a duplicate: same key.
			got, err := s.Centrality(context.Background(), Betweenness, CentralityOptions{RelationTypes: []string{"PARTICIPATES_IN", "MEMBER_OF", "MEMBER_OF"}})
			if err != nil || !slices.Equal(got, want) {
				t.Errorf("cached betweenness differs: %v", err)
			}
		})
	}
	wg.Wait()
	for i := range 2 * maxCached {
		types := []string{coopgraph.RelationTypes[i%len(coopgraph.RelationTypes)].Name}
		if _, err := s.Centrality(context.Background(), allMeasures[i%4], CentralityOptions{RelationTypes: types}); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(s.computed.items); n > maxCached {
		t.Errorf("cache holds %d results, bound is %d", n, maxCached)
	}
}

// TestCentralityDeterministic: every measure gives the same bits whatever
// the number of workers (betweenness sums its lanes in a fixed order;
// PageRank and eigenvector split their iterations into chunks whose
// results do not depend on who computes them), here with the parallel
// paths forced on.
func TestCentralityDeterministic(t *testing.T) {
	g := NewSnapshot(randomDataset(2000, 6000, 5)).simple(nil, nil)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	defer func(w int) { minParallelWork = w }(minParallelWork)
	minParallelWork = 0
	measures := map[string]func(*simpleGraph) ([]float64, error){
		"sampled": infallible(func(g *simpleGraph) []float64 { return betweennessSampled(g, sampleSources(g.n, 300, 9)) }),
	}
	for _, m := range Measures { // every measure of the registry
		measures[string(m.Name)] = m.compute
	}
	for name, f := range measures {
		var ref []float64
		for _, procs := range []int{1, 2, 3, 8} {
			runtime.GOMAXPROCS(procs)
			got, err := f(g)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if ref == nil {
				ref = got
				continue
			}
			for i := range got {
				if math.Float64bits(got[i]) != math.Float64bits(ref[i]) {
					t.Fatalf("%s, GOMAXPROCS=%d: node %d = %v, with 1 worker %v", name, procs, i, got[i], ref[i])
				}
			}
		}
	}
}

// TestSampledBetweenness: Centrality with Samples draws the same sources
// for the same seed (and others for another seed), every node once with
// Samples = n, where the estimate is the exact betweenness; sampleSources
// draws distinct nodes, uniformly enough that each node of a small graph
// turns up about as often as it should.
func TestSampledBetweenness(t *testing.T) {
	s := NewSnapshot(randomDataset(500, 1500, 11))
	n := s.NumNodes()
	exact, err := s.Centrality(context.Background(), Betweenness, CentralityOptions{})
	if err != nil {
		t.Fatal(err)
	}
	all, err := s.Centrality(context.Background(), Betweenness, CentralityOptions{Samples: n, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]float64{}
	for _, sc := range exact {
		byID[sc.ID] = sc.Score
	}
	for _, sc := range all {
		if !closeTo(sc.Score, byID[sc.ID]) {
			t.Errorf("Samples = n: %s = %v, exact %v", sc.ID, sc.Score, byID[sc.ID])
		}
	}

	a, err := s.Centrality(context.Background(), Betweenness, CentralityOptions{Samples: 50, Seed: 42})
	if err != nil {
		t.Fatal(err)
	}
	s2 := NewSnapshot(randomDataset(500, 1500, 11)) // no shared cache
	b, err := s2.Centrality(context.Background(), Betweenness, CentralityOptions{Samples: 50, Seed: 42})
	if err != nil || !slices.Equal(a, b) {
		t.Errorf("the same seed twice: different scores (err %v)", err)
	}
	c, err := s2.Centrality(context.Background(), Betweenness, CentralityOptions{Samples: 50, Seed: 43})
	if err != nil || slices.Equal(a, c) {
		t.Errorf("another seed: the same scores (err %v)", err)
	}
	checkRanked(t, "sampled", a)

	for _, k := range []int{0, 1, 7, 100} {
		src := sampleSources(100, k, uint64(k))
		if len(src) != k || !slices.IsSorted(src) || len(slices.Compact(slices.Clone(src))) != k {
			t.Errorf("sampleSources(100, %d): %v", k, src)
		}
	}
	count := make([]int, 10)
	for seed := range uint64(10000) {
		for _, v := range sampleSources(10, 3, seed) {
			count[v]++
		}
	}
	for v, c := range count { // 3000 expected, σ ≈ 46
		if c < 2700 || c > 3300 {
			t.Errorf("node %d drawn %d times in 10000 samples of 3 of 10, want ~3000", v, c)
		}
	}
}

// TestCentralityOptions: the kinds filter keeps scores, only fewer; bad
// options are EINVALID errors naming what is wrong.
func TestCentralityOptions(t *testing.T) {
	ds := &coopgraph.Dataset{}
	for i, k := range []string{"Project", "Organisation", "Organisation", "Region", "Project"} {
		ds.Entities = append(ds.Entities, coopgraph.Entity{ID: fmt.Sprintf("e%d", i), Kind: k})
	}
	for i := range 4 {
		ds.Relations = append(ds.Relations, coopgraph.Relation{ID: fmt.Sprint(i), Type: "PARTICIPATES_IN", From: fmt.Sprintf("e%d", i), To: fmt.Sprintf("e%d", i+1)})
	}
	s := NewSnapshot(ds)
	all, err := s.Centrality(context.Background(), Betweenness, CentralityOptions{})
	if err != nil {
		t.Fatal(err)
	}
	orgs, err := s.Centrality(context.Background(), Betweenness, CentralityOptions{Kinds: []string{"Organisation", "Region"}})
	if err != nil {
		t.Fatal(err)
	}
	var want []Score
	for _, sc := range all {
		if sc.ID == "e1" || sc.ID == "e2" || sc.ID == "e3" {
			want = append(want, sc)
		}
	}
	if !slices.Equal(orgs, want) {
		t.Errorf("kinds Organisation, Region: %v, want %v", orgs, want)
	}
	if got, err := s.Centrality(context.Background(), Degree, CentralityOptions{Kinds: []string{"Person"}}); err != nil || got == nil || len(got) != 0 {
		t.Errorf("kinds Person: %v, %v; want no scores, no error", got, err)
	}

	proj := &Projection{Kinds: []string{"Organisation"}}
	for _, c := range []struct {
		opt     CentralityOptions
		m       Measure
		mention string
	}{
		{CentralityOptions{Kinds: []string{"Organisation", "Company"}}, Degree, `"Company"`},
		{CentralityOptions{Samples: -1}, Betweenness, "samples"},
		{CentralityOptions{Samples: 2}, Closeness, "samples"},
		{CentralityOptions{Samples: 6}, Betweenness, "samples"},
		{CentralityOptions{Samples: 2, Projection: proj}, Betweenness, "samples"}, // 2 organisations only: fine
		{CentralityOptions{Samples: 3, Projection: proj}, Betweenness, "samples"},
		{CentralityOptions{RelationTypes: []string{"MEMBER_OF"}, Projection: proj}, Degree, "relationTypes"},
		{CentralityOptions{Projection: &Projection{}}, Degree, "kinds"},
		{CentralityOptions{Projection: &Projection{Kinds: []string{"Organisation"}, RelationTypes: []string{"LIKES"}}}, Degree, "LIKES"},
		{CentralityOptions{}, "HARMONY", "HARMONY"},
	} {
		_, err := s.Centrality(context.Background(), c.m, c.opt)
		if c.opt.Samples == 2 && c.opt.Projection != nil {
			if err != nil {
				t.Errorf("%s %+v: %v", c.m, c.opt, err)
			}
			continue
		}
		if coopgraph.ErrorCode(err) != coopgraph.EINVALID || !errorMentions(err, c.mention) {
			t.Errorf("%s %+v: err %v, want EINVALID mentioning %s", c.m, c.opt, err, c.mention)
		}
	}

	// A projection scores only its entities; kinds filter those further.
	got, err := s.Centrality(context.Background(), Degree, CentralityOptions{Projection: &Projection{Kinds: []string{"Organisation", "Project"}, Via: []string{"Region"}}, Kinds: []string{"Organisation"}})
	if err != nil || len(got) != 2 || got[0].ID != "e2" || got[0].Score != 1.0/3 || got[1].ID != "e1" || got[1].Score != 0 {
		t.Errorf("degree on Organisation+Project via Region, Organisations: %v, %v; want e2 1/3, e1 0", got, err)
	}
}

// randomDataset is a seeded multigraph: preferential attachment with
// parallel relations, three relation types, a few self-loops and isolated
// nodes. Ids are zero-padded so that their order is the numeric order.
func randomDataset(n, m int, seed uint64) *coopgraph.Dataset {
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	id := func(i int) string { return fmt.Sprintf("e%07d", i) }
	types := []string{"MEMBER_OF", "PARTICIPATES_IN", "COOPERATES_WITH"}
	ds := &coopgraph.Dataset{Name: "random"}
	for i := range n {
		ds.Entities = append(ds.Entities, coopgraph.Entity{ID: id(i), Kind: "Organisation"})
	}
	// Endpoints of earlier relations, drawn from to attach preferentially.
	ends := []int{0}
	for k := range m {
		var a, b int
		switch r := rng.IntN(100); {
		case r < 2 && len(ds.Relations) > 0: // parallel to an earlier relation
			prev := ds.Relations[rng.IntN(len(ds.Relations))]
			ds.Relations = append(ds.Relations, coopgraph.Relation{ID: fmt.Sprintf("r%08d", k), Type: types[rng.IntN(3)], From: prev.To, To: prev.From})
			continue
		case r < 3:
			a = rng.IntN(n)
			b = a // self-loop
		default:
			a = rng.IntN(max(1, n*19/20)) // the last 5% stay mostly isolated
			b = ends[rng.IntN(len(ends))]
		}
		ends = append(ends, a, b)
		ds.Relations = append(ds.Relations, coopgraph.Relation{ID: fmt.Sprintf("r%08d", k), Type: types[rng.IntN(3)], From: id(a), To: id(b)})
	}
	rng.Shuffle(len(ds.Relations), func(i, j int) { ds.Relations[i], ds.Relations[j] = ds.Relations[j], ds.Relations[i] })
	return ds
}

func errorMentions(err error, s string) bool {
	return err != nil && strings.Contains(err.Error(), s)
}

// TestClosenessBitParallel checks the 64-source BFS against one BFS per
// source on a random multigraph with isolated nodes, across batch edges.
func TestClosenessBitParallel(t *testing.T) {
	for _, n := range []int{1, 2, 63, 64, 65, 700} {
		g := NewSnapshot(randomDataset(n, 2*n, uint64(n))).simple(nil, nil)
		got := closeness(g)
		for s := range n {
			dist := bfsDistances(g, int32(s))
			var total, reach int64
			for _, d := range dist {
				if d >= 0 {
					total += int64(d)
					reach++
				}
			}
			want := 0.0
			if total > 0 && n > 1 {
				want = (float64(reach) - 1) / float64(total)
				want *= (float64(reach) - 1) / float64(n-1)
			}
			if got[s] != want {
				t.Fatalf("n=%d: closeness[%d] = %v, want %v", n, s, got[s], want)
			}
		}
	}
}

// bfsDistances is a plain BFS over g: dist[v] = d(s, v), -1 if unreached.
func bfsDistances(g *simpleGraph, s int32) []int32 {
	dist := newDist(g.n)
	dist[s] = 0
	queue := []int32{s}
	for h := 0; h < len(queue); h++ {
		u := queue[h]
		for _, w := range g.neighbours(u) {
			if dist[w] < 0 {
				dist[w] = dist[u] + 1
				queue = append(queue, w)
			}
		}
	}
	return dist
}

// graphOf builds a simple graph of n nodes from an edge list (duplicates
// and self-loops dropped, as simple drops them).
func graphOf(n int, edges [][2]int32) *simpleGraph {
	adj := make([][]int32, n)
	for _, e := range edges {
		if e[0] != e[1] {
			adj[e[0]] = append(adj[e[0]], e[1])
			adj[e[1]] = append(adj[e[1]], e[0])
		}
	}
	g := &simpleGraph{n: n, off: make([]int32, n+1), loop: make([]bool, n)}
	for u, a := range adj {
		slices.Sort(a)
		g.adj = append(g.adj, slices.Compact(a)...)
		g.off[u+1] = int32(len(g.adj))
	}
	return g
}

// treeHeavyGraph is a random graph made to exercise the pendant-tree
// reduction: a core of cycles and chords, trees of every depth hanging
// from it and from each other, tree components (paths, stars, single
// edges), and isolated nodes, with node numbers shuffled.
func treeHeavyGraph(n int, seed uint64) *simpleGraph {
	rng := rand.New(rand.NewPCG(seed, 1))
	perm := rng.Perm(n)
	var edges [][2]int32
	link := func(a, b int) { edges = append(edges, [2]int32{int32(perm[a]), int32(perm[b])}) }
	core := min(n, max(3, n/5))
	for i := 1; i < core; i++ {
		link(i, rng.IntN(i))
		if rng.IntN(3) == 0 {
			link(i, rng.IntN(i))
		}
	}
	i := core
	for ; i < n*3/4; i++ { // trees on the core and on earlier tree nodes
		link(i, rng.IntN(i))
	}
	for i < n-3 { // tree components, and a few isolated nodes at the end
		size := 1 + rng.IntN(min(8, n-3-i))
		for j := 1; j < size; j++ {
			link(i+j, i+rng.IntN(j))
		}
		i += size
	}
	return graphOf(n, edges)
}

// referenceBetweenness is networkx's betweenness_centrality, as written
// there: Brandes on the whole graph, pushing dependencies to predecessors.
func referenceBetweenness(g *simpleGraph) []float64 {
	n := g.n
	bc := make([]float64, n)
	for s := range int32(n) {
		dist := newDist(n)
		sigma := make([]float64, n)
		delta := make([]float64, n)
		order := []int32{s}
		dist[s], sigma[s] = 0, 1
		for h := 0; h < len(order); h++ {
			v := order[h]
			for _, w := range g.neighbours(v) {
				if dist[w] < 0 {
					dist[w] = dist[v] + 1
					order = append(order, w)
				}
				if dist[w] == dist[v]+1 {
					sigma[w] += sigma[v]
				}
			}
		}
		for i := len(order) - 1; i >= 0; i-- {
			w := order[i]
			for _, v := range g.neighbours(w) {
				if dist[v] == dist[w]-1 {
					delta[v] += sigma[v] / sigma[w] * (1 + delta[w])
				}
			}
			if w != s {
				bc[w] += delta[w]
			}
		}
	}
	if n > 2 {
		for v := range bc {
			bc[v] /= float64((n - 1) * (n - 2))
		}
	}
	return bc
}

// referenceCloseness is nx.closeness_centrality from one plain BFS per node.
func referenceCloseness(g *simpleGraph) []float64 {
	c := make([]float64, g.n)
	for s := range g.n {
		var total, reach int64
		for _, d := range bfsDistances(g, int32(s)) {
			if d >= 0 {
				total += int64(d)
				reach++
			}
		}
		if total > 0 && g.n > 1 {
			c[s] = (float64(reach) - 1) / float64(total) * ((float64(reach) - 1) / float64(g.n-1))
		}
	}
	return c
}

// TestPendantTrees checks betweenness and closeness, which reduce the
// graph by its pendant trees, against the plain algorithms on graphs
// made mostly of trees: closeness exactly, betweenness within 1e-12.
func TestPendantTrees(t *testing.T) {
	for seed := range uint64(40) {
		n := []int{1, 2, 3, 5, 12, 40, 150, 400}[seed%8]
		g := treeHeavyGraph(n, seed)
		for _, c := range []struct {
			name      string
			got, want []float64
			tol       float64
		}{
			{"betweenness", betweenness(g), referenceBetweenness(g), 1e-12},
			{"closeness", closeness(g), referenceCloseness(g), 0},
		} {
			for v := range c.want {
				if d := math.Abs(c.got[v] - c.want[v]); d > c.tol*math.Abs(c.want[v]) && d > 1e-15 {
					t.Errorf("seed %d, n=%d: %s[%d] = %.17g, want %.17g", seed, n, c.name, v, c.got[v], c.want[v])
				}
			}
		}
	}
	// Whole graphs that are trees, paths and stars, and no edges at all.
	for n := range 9 {
		path, star := make([][2]int32, 0, n), make([][2]int32, 0, n)
		for i := 1; i < n; i++ {
			path = append(path, [2]int32{int32(i - 1), int32(i)})
			star = append(star, [2]int32{0, int32(i)})
		}
		for _, g := range []*simpleGraph{graphOf(n, path), graphOf(n, star), graphOf(n, nil)} {
			want := referenceBetweenness(g)
			for v, x := range betweenness(g) {
				if math.Abs(x-want[v]) > 1e-15 {
					t.Errorf("n=%d: betweenness[%d] = %v, want %v", n, v, x, want[v])
				}
			}
			if got, want := closeness(g), referenceCloseness(g); !slices.Equal(got, want) {
				t.Errorf("n=%d: closeness %v, want %v", n, got, want)
			}
		}
	}
}

// TestCentralityPage: every page, with and without kinds (one of them a
// kind no entity has), is the matching slice of Centrality's answer, and
// the total its length; a caller changing a page changes no later answer.
func TestCentralityPage(t *testing.T) {
	s := NewSnapshot(bipartiteDataset(40, 60, 9))
	for _, kinds := range [][]string{nil, {"Organisation"}, {"Project", "Region"}, {"Person"}} {
		opt := CentralityOptions{Kinds: kinds}
		all, err := s.Centrality(context.Background(), PageRank, opt)
		if err != nil {
			t.Fatal(err)
		}
		for _, offset := range []int{0, 1, 7, len(all) - 1, len(all), len(all) + 5} {
			for _, first := range []int{-1, 0, 1, 10, 1000} {
				page, total, err := s.CentralityPage(context.Background(), PageRank, opt, offset, first)
				if err != nil {
					t.Fatal(err)
				}
				lo := min(max(offset, 0), len(all))
				hi := len(all)
				if first >= 0 {
					hi = min(hi, lo+first)
				}
				if total != len(all) || !slices.Equal(page, all[lo:hi]) {
					t.Fatalf("kinds %v, offset %d, first %d: %d scores of %d, want %v of %d", kinds, offset, first, len(page), total, all[lo:hi], len(all))
				}
				if len(page) > 0 {
					page[0].ID = "changed"
				}
			}
		}
	}
}
