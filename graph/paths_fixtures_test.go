package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/coopgraph/coopgraph"
)

// pathsFixture is a graph/testdata/paths_*.json file, written by
// scripts/reference/paths_fixtures.py with networkx 2.8.8; see that script
// for how each constraint and weight is expressed in networkx.
type pathsFixture struct {
	Name, Description, Reference string
	Graph                        struct {
		Entities  []struct{ ID, Kind string }
		Relations []coopgraph.Relation
	}
	Queries []pathsQuery
}

type pathsQuery struct {
	From, To string
	Options  struct {
		RelationTypes, Kinds, Avoid []string
		Window                      *TimeWindow
		Weight                      Weighting
		WeightProperty              string
		MaxHops                     int
	}
	// Cost is the least cost, null when not connected.
	Cost *float64
	// Total is the number of shortest relation sequences, NodePaths the
	// sorted shortest node paths, Paths the relation sequences in the
	// engine's order (all of them when Complete, else a prefix).
	Total     int64
	NodePaths [][]string
	Paths     []Path
	Complete  bool
	// KShortest are the first K simple paths in the engine's order, from
	// KReference (nx.shortest_simple_paths or nx.all_simple_paths).
	K          int
	KShortest  []Path
	KReference string
}

func (q *pathsQuery) options() PathOptions {
	o := q.Options
	return PathOptions{RelationTypes: o.RelationTypes, Kinds: o.Kinds, Avoid: o.Avoid, Window: o.Window,
		Weight: o.Weight, WeightProperty: o.WeightProperty, MaxHops: o.MaxHops}
}

func loadPathsFixtures(t *testing.T) []pathsFixture {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "paths_*.json"))
	if err != nil {
		t.Fatal(err)
	}
	var out []pathsFixture
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var fx pathsFixture
		if err := json.Unmarshal(b, &fx); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out = append(out, fx)
	}
	if len(out) < 4 {
		t.Fatalf("found %d paths fixtures in testdata; run scripts/reference/paths_fixtures.py", len(out))
	}
	return out
}

func (fx *pathsFixture) dataset() *coopgraph.Dataset {
	ds := &coopgraph.Dataset{Name: fx.Name, Relations: fx.Graph.Relations}
	for _, e := range fx.Graph.Entities {
		ds.Entities = append(ds.Entities, coopgraph.Entity{ID: e.ID, Kind: e.Kind, Name: e.ID})
	}
	return ds
}

// costClose: costs agree within 1e-9 relative (HUB: the sum of logs against
// the log of the product of degrees).
func costClose(got, want float64) bool {
	return math.Abs(got-want) <= 1e-9*max(1, math.Abs(want))
}

// TestPathsNetworkx compares every query of the paths fixtures:
//   - AllShortestPaths: the least cost with nx.shortest_path_length /
//     nx.dijkstra_path_length (or the least of nx.all_simple_paths with
//     MaxHops), the node paths with nx.all_shortest_paths (weight= for
//     PROPERTY and HUB) in sorted order, total and the relation sequences
//     with their expansion over parallel relations; every path's Cost;
//   - ShortestPath with the first of them;
//   - KShortestPaths(k) with the first k routes (node paths, parallel
//     relations one hop carried by the cheapest, first by id) of
//     nx.shortest_simple_paths (Yen) by (cost, node ids), or of the
//     brute-force nx.all_simple_paths by (cost, node ids) on multigraphs
//     and with MaxHops: the same paths in the same order, each with its
//     cost.
func TestPathsNetworkx(t *testing.T) {
	queries, kpaths := 0, 0
	refs := map[string]int{}
	for _, fx := range loadPathsFixtures(t) {
		s := NewSnapshot(fx.dataset())
		for _, q := range fx.Queries {
			queries++
			name := fmt.Sprintf("%s/%s-%s/%+v", fx.Name, q.From, q.To, q.Options)
			if !checkAllShortestPaths(t, name, s, &q) {
				continue
			}
			checkShortestPath(t, name, s, &q)
			if ks, ok := checkKShortestPaths(t, name, s, &q); ok {
				kpaths += ks
				refs[q.KReference]++
			}
		}
	}
	t.Logf("%d queries, %d k-shortest paths (%v)", queries, kpaths, refs)
}

// checkAllShortestPaths compares AllShortestPaths with networkx: total,
// relation sequences, every path's cost and, when complete, the node
// paths. It reports false when the query fails, which leaves nothing else
// to check.
func checkAllShortestPaths(t *testing.T, name string, s *Snapshot, q *pathsQuery) bool {
	t.Helper()
	first := -1
	if !q.Complete {
		first = len(q.Paths)
	}
	got, total, err := s.AllShortestPaths(q.From, q.To, q.options(), first)
	if err != nil {
		t.Errorf("%s: %v", name, err)
		return false
	}
	if total != q.Total {
		t.Errorf("%s: total %d, networkx %d", name, total, q.Total)
	}
	if !pathsEqual(got, q.Paths) {
		t.Errorf("%s: paths\n got %v\nwant %v", name, got, q.Paths)
	}
	for _, p := range got {
		if q.Cost == nil || !costClose(p.Cost, *q.Cost) {
			t.Errorf("%s: path %v costs %v, networkx %v", name, p, p.Cost, q.Cost)
		}
	}
	if q.Complete {
		if nodePaths := distinctNodePaths(got); !slices.EqualFunc(nodePaths, q.NodePaths, slices.Equal) {
			t.Errorf("%s: node paths\n got %v\nwant %v", name, nodePaths, q.NodePaths)
		}
	}
	return true
}

// distinctNodePaths are the node paths of paths in their order, each once
// (parallel relations make several paths of one node path, one after the
// other).
func distinctNodePaths(paths []Path) [][]string {
	var nodePaths [][]string
	for _, p := range paths {
		if len(nodePaths) == 0 || !slices.Equal(nodePaths[len(nodePaths)-1], p.Nodes) {
			nodePaths = append(nodePaths, p.Nodes)
		}
	}
	return nodePaths
}

// checkShortestPath: ShortestPath is the first of networkx's shortest
// paths, with its cost, or none when they are not connected.
func checkShortestPath(t *testing.T, name string, s *Snapshot, q *pathsQuery) {
	t.Helper()
	sp, err := s.ShortestPath(q.From, q.To, q.options())
	switch {
	case err != nil:
		t.Errorf("%s: ShortestPath: %v", name, err)
	case q.Cost == nil && sp != nil:
		t.Errorf("%s: ShortestPath %v, want none", name, sp)
	case q.Cost != nil && (sp == nil || !pathsEqual([]Path{*sp}, q.Paths[:1]) || !costClose(sp.Cost, *q.Cost)):
		t.Errorf("%s: ShortestPath %v, want %v", name, sp, q.Paths[0])
	}
}

// checkKShortestPaths compares KShortestPaths(k) with networkx's first k
// simple paths, in order and each with its cost. It returns how many
// paths it got, and false when the query failed.
func checkKShortestPaths(t *testing.T, name string, s *Snapshot, q *pathsQuery) (int, bool) {
	t.Helper()
	ks, err := s.KShortestPaths(context.Background(), q.From, q.To, q.K, q.options())
	if err != nil {
		t.Errorf("%s: KShortestPaths: %v", name, err)
		return 0, false
	}
	if !pathsEqual(ks, q.KShortest) {
		t.Errorf("%s: KShortestPaths(%d) [%s]\n got %v\nwant %v", name, q.K, q.KReference, ks, q.KShortest)
		return len(ks), true
	}
	for i := range ks {
		if !costClose(ks[i].Cost, q.KShortest[i].Cost) {
			t.Errorf("%s: KShortestPaths path %d costs %v, networkx %v", name, i, ks[i].Cost, q.KShortest[i].Cost)
		}
	}
	return len(ks), true
}
