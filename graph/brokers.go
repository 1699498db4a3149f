package graph

import (
	"cmp"
	"context"
	"slices"
)

// Brokers: the entities and links whose loss disconnects the network.
//
// Both are computed on the simple undirected graph of the kept relations,
// the graph networkx builds with nx.Graph(relations): direction dropped,
// parallel relations one edge, self-loops ignored.
//
// Reference: J. Hopcroft, R. Tarjan, Algorithm 447: efficient algorithms
// for graph manipulation, Communications of the ACM 16(6):372–378, 1973.

// ArticulationPoints returns the entities whose removal (with their
// relations) increases the number of connected components, sorted by id:
// nx.articulation_points on nx.Graph(kept relations).
//
// Hopcroft–Tarjan: one depth-first search computing for every node u its
// discovery time disc(u) and low(u), the least discovery time reachable
// from u's DFS subtree by one back edge. A non-root u is an articulation
// point when some DFS child v has low(v) >= disc(u); the root of a DFS tree
// when it has two or more children. O(n + m) time and space, iterative (no
// recursion depth limit).
//
// An unknown relation type is an EINVALID error. The search is shared and
// kept like a ranking's (see Centrality): ctx ending first gives its cause.
func (s *Snapshot) ArticulationPoints(ctx context.Context, relationTypes []string) ([]string, error) {
	cs, err := s.cutStructure(ctx, relationTypes)
	if err != nil {
		return nil, err
	}
	out := []string{}
	for u, a := range cs.art {
		if a {
			out = append(out, s.ids[u])
		}
	}
	return out, nil
}

// cuts is the cut structure of the simple graph of some relation types.
type cuts struct {
	art     []bool
	bridges [][2]int32
}

// cutStructure is cutStructure of the simple graph of relationTypes,
// shared and kept.
func (s *Snapshot) cutStructure(ctx context.Context, relationTypes []string) (*cuts, error) {
	keep, err := s.typeFilter(relationTypes)
	if err != nil {
		return nil, err
	}
	return shared(ctx, &s.computed, cacheKey("cuts", sortedKey(relationTypes)), func(j *job) (*cuts, int, error) {
		art, bridges := cutStructure(s.simple(j, keep))
		return &cuts{art, bridges}, len(art) + 8*len(bridges), nil
	})
}

// Bridge is an edge of the simple graph whose removal disconnects its
// ends.
type Bridge struct {
	A, B string // A < B
	// Relations are the ids of the kept relations between A and B, in
	// either direction, ascending.
	Relations []string
}

// Bridges returns the bridges of the simple graph of the kept relations,
// as nx.bridges on nx.Graph(kept relations), ordered by A, then B.
//
// A bridge is a pair of entities whose link is the only connection between
// the two sides. The test runs on the simple graph, as networkx does: two
// parallel relations between A and B (a membership stated by two
// documents, a partner under two roles) are one link, so the pair is still
// a bridge when nothing else joins the two sides, and Relations lists
// every relation that makes the link: all of them would have to go.
//
// Hopcroft–Tarjan as in ArticulationPoints: the tree edge u–v is a bridge
// when low(v) > disc(u). O(n + m).
//
// An unknown relation type is an EINVALID error.
func (s *Snapshot) Bridges(ctx context.Context, relationTypes []string) ([]Bridge, error) {
	keep, err := s.typeFilter(relationTypes)
	if err != nil {
		return nil, err
	}
	cs, err := s.cutStructure(ctx, relationTypes)
	if err != nil {
		return nil, err
	}
	out := make([]Bridge, len(cs.bridges))
	for i, b := range cs.bridges {
		rels := []string{}
		s.incident(b[0], keep, func(v, r int32) {
			if v == b[1] {
				rels = append(rels, s.relation(r).ID)
			}
		})
		out[i] = Bridge{A: s.ids[b[0]], B: s.ids[b[1]], Relations: rels}
	}
	return out, nil
}

// cutStructure finds the articulation points and bridges of g (self-loops
// play no part: neighbours never include the node itself). bridges are
// (u, v) with u < v, sorted.
func cutStructure(g *simpleGraph) (art []bool, bridges [][2]int32) {
	n := g.n
	art = make([]bool, n)
	disc := make([]int32, n) // 0: not visited; discovery times start at 1
	low := make([]int32, n)
	parent := make([]int32, n)
	next := make([]int32, n) // next neighbour to scan, an offset into adj
	var stack []int32
	t := int32(0)
	for root := range int32(n) {
		if disc[root] != 0 {
			continue
		}
		t++
		disc[root], low[root], parent[root], next[root] = t, t, -1, g.off[root]
		stack = append(stack[:0], root)
		rootChildren := 0
		for len(stack) > 0 {
			u := stack[len(stack)-1]
			if e := next[u]; e < g.off[u+1] {
				next[u]++
				v := g.adj[e]
				switch {
				case disc[v] == 0:
					t++
					disc[v], low[v], parent[v], next[v] = t, t, u, g.off[v]
					stack = append(stack, v)
					if u == root {
						rootChildren++
					}
				case v != parent[u]:
					low[u] = min(low[u], disc[v])
				}
				continue
			}
			// u is finished: report to its parent.
			stack = stack[:len(stack)-1]
			p := parent[u]
			if p < 0 {
				continue
			}
			low[p] = min(low[p], low[u])
			if low[u] >= disc[p] && p != root {
				art[p] = true
			}
			if low[u] > disc[p] {
				bridges = append(bridges, [2]int32{min(p, u), max(p, u)})
			}
		}
		if rootChildren >= 2 {
			art[root] = true
		}
	}
	slices.SortFunc(bridges, func(a, b [2]int32) int {
		if c := cmp.Compare(a[0], b[0]); c != 0 {
			return c
		}
		return cmp.Compare(a[1], b[1])
	})
	return art, bridges
}
