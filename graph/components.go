package graph

import (
	"cmp"
	"context"
	"slices"
)

// Components returns the connected components of the simple undirected
// graph of the kept relations (nx.connected_components on
// nx.Graph(relations), every entity a node): each component's entity ids
// ascending, components ordered by size descending, then by their first
// (least) id. An entity without kept relations is a component of its own;
// an empty snapshot gives no component.
//
// Cost O(n + m) by breadth-first search (J. Hopcroft, R. Tarjan, Algorithm
// 447: efficient algorithms for graph manipulation, CACM 16(6), 1973),
// plus O(n) to bucket the answer.
//
// An unknown relation type is an EINVALID error. The labelling is shared
// and kept like a ranking's (see Centrality): ctx ending first gives its
// cause.
func (s *Snapshot) Components(ctx context.Context, relationTypes []string) ([][]string, error) {
	keep, err := s.typeFilter(relationTypes)
	if err != nil {
		return nil, err
	}
	type labelling struct{ label, sizes []int32 }
	l, err := shared(ctx, &s.computed, cacheKey("components", sortedKey(relationTypes)), func(j *job) (labelling, int, error) {
		label, sizes := components(s.simple(j, keep))
		return labelling{label, sizes}, 4 * (len(label) + len(sizes)), nil
	})
	if err != nil {
		return nil, err
	}
	label, sizes := l.label, l.sizes
	// Labels follow the least node of each component, so a stable sort by
	// size leaves ties ordered by first id.
	order := make([]int32, len(sizes))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortStableFunc(order, func(a, b int32) int { return cmp.Compare(sizes[b], sizes[a]) })
	rank := make([]int32, len(sizes))
	out := make([][]string, len(sizes))
	for r, c := range order {
		rank[c] = int32(r)
		out[r] = make([]string, 0, sizes[c])
	}
	for x, c := range label {
		out[rank[c]] = append(out[rank[c]], s.ids[x])
	}
	return out, nil
}

// components labels the connected components of g: label[u] is the
// component of u, numbered in order of their least node, and sizes[c] the
// size of component c. O(n + m).
func components(g *simpleGraph) (label []int32, sizes []int32) {
	label = make([]int32, g.n)
	for i := range label {
		label[i] = -1
	}
	var queue []int32
	for root := range g.n {
		if label[root] >= 0 {
			continue
		}
		c := int32(len(sizes))
		label[root] = c
		queue = append(queue[:0], int32(root))
		for head := 0; head < len(queue); head++ {
			for _, v := range g.neighbours(queue[head]) {
				if label[v] < 0 {
					label[v] = c
					queue = append(queue, v)
				}
			}
		}
		sizes = append(sizes, int32(len(queue)))
	}
	return label, sizes
}
