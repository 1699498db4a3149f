package graph

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"
	"testing"

	"github.com/coopgraph/coopgraph"
)

// TestShortestPathsNetworkx compares, for the sampled pairs of every
// fixture and relation-type filter:
//   - the length with nx.shortest_path_length;
//   - total with the multigraph count: the sum over
//     nx.all_shortest_paths(G) of the product of relation multiplicities
//     along the path (igraph's get_all_shortest_paths agrees);
//   - the paths, in order, with the expansion of those node paths into
//     relation sequences, sorted by node ids then relation ids;
//   - the set of node sequences with nx.all_shortest_paths;
//   - ShortestPath with the first of them;
//   - MaxHops = length (found) and length-1 (not found).
func TestShortestPathsNetworkx(t *testing.T) {
	pairs := 0
	for _, fx := range loadFixtures(t) {
		s := NewSnapshot(fx.dataset())
		for _, c := range fx.Cases {
			for _, p := range c.Pairs {
				pairs++
				name := fmt.Sprintf("%s/%v/%s-%s", fx.Name, c.RelationTypes, p.From, p.To)
				checkPair(t, name, s, c.RelationTypes, p)
			}
		}
	}
	t.Logf("%d pairs", pairs)
}

func checkPair(t *testing.T, name string, s *Snapshot, types []string, p fixturePair) {
	t.Helper()
	opt := PathOptions{RelationTypes: types}
	first := -1
	if !p.Complete {
		first = len(p.Paths)
	}
	got, total, err := s.AllShortestPaths(p.From, p.To, opt, first)
	if err != nil {
		t.Errorf("%s: %v", name, err)
		return
	}
	if total != p.Total {
		t.Errorf("%s: total %d, networkx %d", name, total, p.Total)
	}
	if !pathsEqual(got, p.Paths) {
		t.Errorf("%s: paths\n got %v\nwant %v", name, got, p.Paths)
	}
	sp, err := s.ShortestPath(p.From, p.To, opt)
	switch {
	case err != nil:
		t.Errorf("%s: ShortestPath: %v", name, err)
	case p.Length < 0:
		if sp != nil {
			t.Errorf("%s: ShortestPath %v, want none", name, sp)
		}
	case sp == nil:
		t.Errorf("%s: ShortestPath none, want length %d", name, p.Length)
	case len(sp.Nodes) != p.Length+1 || !pathsEqual([]Path{*sp}, p.Paths[:1]):
		t.Errorf("%s: ShortestPath %v, want %v", name, *sp, p.Paths[0])
	}

	if p.NodePaths != nil && (p.Complete || p.Total <= 100_000) {
		all := got
		if !p.Complete {
			all, _, _ = s.AllShortestPaths(p.From, p.To, opt, -1)
		}
		if int64(len(all)) != p.Total {
			t.Errorf("%s: %d paths, total says %d", name, len(all), p.Total)
		}
		var nodePaths [][]string
		for _, q := range all {
			if len(nodePaths) == 0 || !slices.Equal(nodePaths[len(nodePaths)-1], q.Nodes) {
				nodePaths = append(nodePaths, q.Nodes)
			}
		}
		if !slices.EqualFunc(nodePaths, p.NodePaths, slices.Equal) {
			t.Errorf("%s: node paths\n got %v\nwant %v", name, nodePaths, p.NodePaths)
		}
	}

	if p.Length >= 1 {
		_, n, _ := s.AllShortestPaths(p.From, p.To, PathOptions{RelationTypes: types, MaxHops: p.Length}, 0)
		if n != p.Total {
			t.Errorf("%s: MaxHops=%d: total %d, want %d", name, p.Length, n, p.Total)
		}
	}
	if p.Length > 1 { // MaxHops 0 would mean unlimited
		q, err := s.ShortestPath(p.From, p.To, PathOptions{RelationTypes: types, MaxHops: p.Length - 1})
		paths, n, _ := s.AllShortestPaths(p.From, p.To, PathOptions{RelationTypes: types, MaxHops: p.Length - 1}, -1)
		if q != nil || err != nil || n != 0 || paths != nil {
			t.Errorf("%s: MaxHops=%d: %v, %d paths, total %d, %v; want none", name, p.Length-1, q, len(paths), n, err)
		}
	}
}

func pathsEqual(a, b []Path) bool {
	return len(a) == len(b) && slices.EqualFunc(a, b, func(x, y Path) bool {
		return slices.Equal(x.Nodes, y.Nodes) && slices.Equal(x.Relations, y.Relations)
	})
}

// smallDataset: two routes from a to d, one of them over two parallel
// relations, a longer route over another type, and an isolated entity.
//
//	a -r1- b -r3- d        (r3, r4 parallel, r4 written d -> b)
//	a -r2- c -r5- d
//	a -x1- e -x2- f -x3- d (COOPERATES_WITH)
func smallDataset() *coopgraph.Dataset {
	ds := &coopgraph.Dataset{Name: "small"}
	for _, id := range []string{"a", "b", "c", "d", "e", "f", "lonely"} {
		ds.Entities = append(ds.Entities, coopgraph.Entity{ID: id, Name: id})
	}
	rel := func(id, typ, from, to string) {
		ds.Relations = append(ds.Relations, coopgraph.Relation{ID: id, Type: typ, From: from, To: to})
	}
	rel("r1", "MEMBER_OF", "a", "b")
	rel("r3", "MEMBER_OF", "b", "d")
	rel("r4", "PARTICIPATES_IN", "d", "b")
	rel("r2", "MEMBER_OF", "c", "a")
	rel("r5", "MEMBER_OF", "c", "d")
	rel("x1", "COOPERATES_WITH", "a", "e")
	rel("x2", "COOPERATES_WITH", "e", "f")
	rel("x3", "COOPERATES_WITH", "f", "d")
	rel("loop", "COOPERATES_WITH", "b", "b")
	return ds
}

func TestPathOptions(t *testing.T) {
	s := NewSnapshot(smallDataset())
	all := []Path{
		{Nodes: []string{"a", "b", "d"}, Relations: []string{"r1", "r3"}},
		{Nodes: []string{"a", "b", "d"}, Relations: []string{"r1", "r4"}},
		{Nodes: []string{"a", "c", "d"}, Relations: []string{"r2", "r5"}},
	}
	for _, tc := range []struct {
		name  string
		opt   PathOptions
		want  []Path
		total int64
	}{
		{"all types", PathOptions{}, all, 3},
		{"MEMBER_OF", PathOptions{RelationTypes: []string{"MEMBER_OF"}}, []Path{all[0], all[2]}, 2},
		{"PARTICIPATES_IN + MEMBER_OF", PathOptions{RelationTypes: []string{"PARTICIPATES_IN", "MEMBER_OF"}}, all, 3},
		{"COOPERATES_WITH", PathOptions{RelationTypes: []string{"COOPERATES_WITH"}},
			[]Path{{Nodes: []string{"a", "e", "f", "d"}, Relations: []string{"x1", "x2", "x3"}}}, 1},
		{"COOPERATES_WITH within 3", PathOptions{RelationTypes: []string{"COOPERATES_WITH"}, MaxHops: 3},
			[]Path{{Nodes: []string{"a", "e", "f", "d"}, Relations: []string{"x1", "x2", "x3"}}}, 1},
		{"COOPERATES_WITH within 2", PathOptions{RelationTypes: []string{"COOPERATES_WITH"}, MaxHops: 2}, nil, 0},
		{"PARTICIPATES_IN", PathOptions{RelationTypes: []string{"PARTICIPATES_IN"}}, nil, 0},
		{"within 1", PathOptions{MaxHops: 1}, nil, 0},
		{"within 2", PathOptions{MaxHops: 2}, all, 3},
		{"vocabulary type without relations", PathOptions{RelationTypes: []string{"FUNDED_BY"}}, nil, 0},
	} {
		got, total, err := s.AllShortestPaths("a", "d", tc.opt, -1)
		if err != nil || total != tc.total || !pathsEqual(got, tc.want) {
			t.Errorf("%s: %v, %d, %v; want %v, %d", tc.name, got, total, err, tc.want, tc.total)
		}
		// Reversed, the same paths, read backwards.
		back, total, err := s.AllShortestPaths("d", "a", tc.opt, -1)
		if err != nil || total != tc.total || len(back) != len(tc.want) {
			t.Errorf("%s reversed: %v, %d, %v", tc.name, back, total, err)
		}
		sp, err := s.ShortestPath("a", "d", tc.opt)
		if err != nil || (sp == nil) != (len(tc.want) == 0) || sp != nil && !pathsEqual([]Path{*sp}, tc.want[:1]) {
			t.Errorf("%s: ShortestPath %v, %v; want %v", tc.name, sp, err, tc.want)
		}
	}
	back, _, _ := s.AllShortestPaths("d", "a", PathOptions{}, -1)
	wantBack := []Path{
		{Nodes: []string{"d", "b", "a"}, Relations: []string{"r3", "r1"}},
		{Nodes: []string{"d", "b", "a"}, Relations: []string{"r4", "r1"}},
		{Nodes: []string{"d", "c", "a"}, Relations: []string{"r5", "r2"}},
	}
	if !pathsEqual(back, wantBack) {
		t.Errorf("d -> a: %v, want %v", back, wantBack)
	}
	// Disconnected pair.
	if p, err := s.ShortestPath("a", "lonely", PathOptions{}); p != nil || err != nil {
		t.Errorf("a -> lonely: %v, %v; want nil, nil", p, err)
	}
	if ps, n, err := s.AllShortestPaths("lonely", "a", PathOptions{}, -1); ps != nil || n != 0 || err != nil {
		t.Errorf("lonely -> a: %v, %d, %v; want nil, 0, nil", ps, n, err)
	}
}

func TestPathErrors(t *testing.T) {
	s := NewSnapshot(smallDataset())
	for _, tc := range []struct {
		from, to string
		opt      PathOptions
		code     string
		mention  string
	}{
		{"nobody", "a", PathOptions{}, coopgraph.ENOTFOUND, `"nobody"`},
		{"a", "nobody", PathOptions{}, coopgraph.ENOTFOUND, `"nobody"`},
		{"nobody", "nobody", PathOptions{}, coopgraph.ENOTFOUND, `"nobody"`},
		{"a", "d", PathOptions{RelationTypes: []string{"MEMBER_OF", "LIKES"}}, coopgraph.EINVALID, `"LIKES"`},
		{"a", "a", PathOptions{RelationTypes: []string{"LIKES"}}, coopgraph.EINVALID, `"LIKES"`},
		{"a", "d", PathOptions{MaxHops: -1}, coopgraph.EINVALID, "maxHops"},
	} {
		p, err := s.ShortestPath(tc.from, tc.to, tc.opt)
		if p != nil || coopgraph.ErrorCode(err) != tc.code || !errorMentions(err, tc.mention) {
			t.Errorf("ShortestPath(%q, %q, %+v): %v, %v; want %s naming %s", tc.from, tc.to, tc.opt, p, err, tc.code, tc.mention)
		}
		ps, n, err := s.AllShortestPaths(tc.from, tc.to, tc.opt, -1)
		if ps != nil || n != 0 || coopgraph.ErrorCode(err) != tc.code {
			t.Errorf("AllShortestPaths(%q, %q, %+v): %v, %d, %v; want %s", tc.from, tc.to, tc.opt, ps, n, err, tc.code)
		}
	}
	_, err := s.ShortestPath("x", "a", PathOptions{})
	var e *coopgraph.Error
	if !errors.As(err, &e) || e.Message != `unknown entity id "x"` {
		t.Errorf("unknown id: %#v", err)
	}
}

func TestPathSameNode(t *testing.T) {
	s := NewSnapshot(smallDataset())
	for _, id := range []string{"a", "b", "lonely"} {
		for _, opt := range []PathOptions{{}, {MaxHops: 1}, {RelationTypes: []string{"SIGNED"}}} {
			want := Path{Nodes: []string{id}, Relations: []string{}}
			p, err := s.ShortestPath(id, id, opt)
			if err != nil || p == nil || !pathsEqual([]Path{*p}, []Path{want}) || p.Relations == nil {
				t.Errorf("ShortestPath(%q, %q, %+v) = %v, %v; want %v", id, id, opt, p, err, want)
			}
			ps, n, err := s.AllShortestPaths(id, id, opt, -1)
			if err != nil || n != 1 || !pathsEqual(ps, []Path{want}) {
				t.Errorf("AllShortestPaths(%q, %q) = %v, %d, %v", id, id, ps, n, err)
			}
			ps, n, err = s.AllShortestPaths(id, id, opt, 0)
			if err != nil || n != 1 || len(ps) != 0 {
				t.Errorf("AllShortestPaths(%q, %q, first 0) = %v, %d, %v", id, id, ps, n, err)
			}
		}
	}
}

// TestPathFirst: first caps the list to a prefix of the full order and
// leaves total alone.
func TestPathFirst(t *testing.T) {
	s := NewSnapshot(gridDataset(5, 4, 2)) // 5x4 grid, every edge doubled
	all, total, err := s.AllShortestPaths(gridID(0, 0), gridID(4, 3), PathOptions{}, -1)
	// C(7,3) = 35 node paths, each of 7 hops with 2 relations per hop.
	if err != nil || total != 35*128 || len(all) != int(total) {
		t.Fatalf("all: %d paths, total %d, %v; want %d", len(all), total, err, 35*128)
	}
	for i := 1; i < len(all); i++ {
		if !pathLess(all[i-1], all[i]) {
			t.Fatalf("paths %d and %d out of order: %v, %v", i-1, i, all[i-1], all[i])
		}
	}
	for _, first := range []int{0, 1, 2, 3, 127, 128, 129, 1000} {
		got, n, err := s.AllShortestPaths(gridID(0, 0), gridID(4, 3), PathOptions{}, first)
		if err != nil || n != total || !pathsEqual(got, all[:min(first, len(all))]) {
			t.Errorf("first %d: %d paths, total %d, %v", first, len(got), n, err)
		}
	}
}

func pathLess(a, b Path) bool {
	if c := slices.Compare(a.Nodes, b.Nodes); c != 0 {
		return c < 0
	}
	return slices.Compare(a.Relations, b.Relations) < 0
}

func gridID(x, y int) string { return fmt.Sprintf("g%02d-%02d", x, y) }

// gridDataset is a w x h grid with mult parallel relations per edge.
func gridDataset(w, h, mult int) *coopgraph.Dataset {
	ds := &coopgraph.Dataset{}
	k := 0
	rel := func(a, b string) {
		for range mult {
			// Ids in reverse creation order, so that relation order is
			// not node order.
			ds.Relations = append(ds.Relations, coopgraph.Relation{ID: fmt.Sprintf("r%05d", 99999-k), Type: "COOPERATES_WITH", From: a, To: b})
			k++
		}
	}
	for x := range w {
		for y := range h {
			ds.Entities = append(ds.Entities, coopgraph.Entity{ID: gridID(x, y)})
			if x > 0 {
				rel(gridID(x, y), gridID(x-1, y))
			}
			if y > 0 {
				rel(gridID(x, y-1), gridID(x, y))
			}
		}
	}
	return ds
}

// TestPathCountSaturates: 3^64 shortest paths (64 hops, 3 parallel
// relations each) exceed int64; total saturates and the first paths still
// come out at once.
func TestPathCountSaturates(t *testing.T) {
	ds := &coopgraph.Dataset{}
	for i := range 65 {
		ds.Entities = append(ds.Entities, coopgraph.Entity{ID: fmt.Sprintf("c%02d", i)})
		if i > 0 {
			for j := range 3 {
				ds.Relations = append(ds.Relations, coopgraph.Relation{ID: fmt.Sprintf("r%02d-%d", i, j), Type: "PART_OF", From: fmt.Sprintf("c%02d", i-1), To: fmt.Sprintf("c%02d", i)})
			}
		}
	}
	s := NewSnapshot(ds)
	ps, n, err := s.AllShortestPaths("c00", "c64", PathOptions{}, 4)
	if err != nil || n != math.MaxInt64 || len(ps) != 4 {
		t.Fatalf("%d paths, total %d, %v; want 4, MaxInt64", len(ps), n, err)
	}
	if got := ps[3].Relations[63]; got != "r64-0" || ps[2].Relations[63] != "r64-2" || ps[3].Relations[62] != "r63-1" {
		t.Errorf("odometer order wrong: %v", ps[3].Relations[60:])
	}
	// 3^39 < 2^63 < 3^40.
	_, n, _ = s.AllShortestPaths("c00", "c39", PathOptions{}, 0)
	if want := int64(4052555153018976267); n != want {
		t.Errorf("3^39 paths: total %d, want %d", n, want)
	}
	_, n, _ = s.AllShortestPaths("c00", "c40", PathOptions{}, 0)
	if n != math.MaxInt64 {
		t.Errorf("3^40 paths: total %d, want MaxInt64", n)
	}
}

// TestShortestPathDeterministic: the same path on every call, from many
// goroutines sharing the snapshot (and its pooled workspaces), equal to the
// first of AllShortestPaths.
func TestShortestPathDeterministic(t *testing.T) {
	s := NewSnapshot(randomDataset(3000, 9000, 11))
	type pair struct{ from, to string }
	var pairs []pair
	for i := range 50 {
		pairs = append(pairs, pair{fmt.Sprintf("e%07d", (i*7919)%3000), fmt.Sprintf("e%07d", (i*104729+13)%3000)})
	}
	want := make([]*Path, len(pairs))
	for i, p := range pairs {
		var err error
		if want[i], err = s.ShortestPath(p.from, p.to, PathOptions{}); err != nil {
			t.Fatal(err)
		}
		all, _, err := s.AllShortestPaths(p.from, p.to, PathOptions{}, 1)
		if err != nil || (want[i] == nil) != (len(all) == 0) || want[i] != nil && !pathsEqual(all, []Path{*want[i]}) {
			t.Fatalf("%v: ShortestPath %v, AllShortestPaths first %v", p, want[i], all)
		}
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for r := range 20 {
				i := (g*31 + r*7) % len(pairs)
				got, err := s.ShortestPath(pairs[i].from, pairs[i].to, PathOptions{})
				if err != nil || (got == nil) != (want[i] == nil) || got != nil && !pathsEqual([]Path{*got}, []Path{*want[i]}) {
					t.Errorf("%v: %v, first call %v", pairs[i], got, want[i])
				}
			}
		})
	}
	wg.Wait()
}

// TestPathsAgainstBFS checks the bidirectional search against a plain BFS
// from the source on a random multigraph: the same distance and count.
func TestPathsAgainstBFS(t *testing.T) {
	ds := randomDataset(500, 1000, 17)
	s := NewSnapshot(ds)
	for _, types := range [][]string{nil, {"MEMBER_OF"}, {"MEMBER_OF", "COOPERATES_WITH"}} {
		keep, _ := s.typeFilter(types)
		for src := int32(0); src < 500; src += 37 {
			dist, sigma := plainBFS(s, src, keep)
			for dst := int32(0); dst < 500; dst++ {
				ps, n, err := s.AllShortestPaths(s.ids[src], s.ids[dst], PathOptions{RelationTypes: types}, 1)
				if err != nil {
					t.Fatal(err)
				}
				if n != sigma[dst] || (dist[dst] < 0) != (len(ps) == 0) || len(ps) > 0 && len(ps[0].Nodes)-1 != int(dist[dst]) {
					t.Fatalf("%v %s -> %s: total %d, %v; BFS dist %d count %d", types, s.ids[src], s.ids[dst], n, ps, dist[dst], sigma[dst])
				}
			}
		}
	}
}

func plainBFS(s *Snapshot, src int32, keep []bool) ([]int32, []int64) {
	dist := newDist(len(s.ids))
	sigma := make([]int64, len(s.ids))
	dist[src], sigma[src] = 0, 1
	queue := []int32{src}
	for h := 0; h < len(queue); h++ {
		u := queue[h]
		for _, r := range s.via[s.off[u]:s.off[u+1]] {
			if !s.kept(keep, r) {
				continue
			}
			w := s.other(u, r)
			if dist[w] < 0 {
				dist[w] = dist[u] + 1
				queue = append(queue, w)
			}
			if dist[w] == dist[u]+1 {
				sigma[w] = satAdd(sigma[w], sigma[u])
			}
		}
	}
	return dist, sigma
}
