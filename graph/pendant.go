package graph

import (
	"cmp"
	"slices"
)

// pendantTrees is the reduction of a graph by its pendant trees (Baglioni,
// Geraci, Pellegrini and Lastres, Fast exact computation of betweenness
// centrality in social networks, ASONAM 2012): repeatedly removing a node
// of degree 1 strips every tree that hangs off the rest of the graph by a
// single node, its root. What remains, the core, has no node of degree 1;
// a component that is a tree shrinks to its root alone, of degree 0, and
// an isolated node stays a root of a tree of one node.
//
// A shortest path between two nodes of different trees runs down the tree
// of the first to its root, along shortest core paths to the root of the
// second, and up its tree. So a search over the core, where each root
// weighs as many nodes as its tree holds, answers for every pair whose
// roots differ, and the rest — pairs within a tree, and the tree part of
// the other pairs — follows in closed form from the sizes of subtrees.
// On collaboration networks, where many projects have one partner and
// many partners one project, the core is a fraction of the graph: CORDIS
// H2020's 67,322 nodes and 144,726 edges leave a core of 24,178 nodes and
// 105,979 edges.
//
// Building it costs O(n + m) time and space.
type pendantTrees struct {
	n int
	// The core graph: the roots of degree >= 1, relabelled
	// 0..len(orig)-1 in BFS order, with the edges among them.
	core  *simpleGraph
	orig  []int32 // core index -> node
	index []int32 // node -> core index, -1 off the core
	// peeled lists the removed nodes in removal order (a node after
	// every node of its subtree); parent[v] is the neighbour a removed
	// node hung from when it was removed.
	peeled []int32
	parent []int32
	root   []int32 // node -> the root of its tree (itself for a root)
	sub    []int64 // node -> size of its subtree (its tree, for a root)
	comp   []int64 // node -> size of its connected component
	label  []int32 // core index -> its component in the core, 0, 1, …
	ncomp  int     // the number of components of the core
}

func newPendantTrees(g *simpleGraph) *pendantTrees {
	n := g.n
	tr := peelTrees(g)
	pt := &pendantTrees{n: n, peeled: tr.peeled, parent: tr.parent, root: make([]int32, n),
		sub: make([]int64, n), comp: make([]int64, n), index: make([]int32, n)}
	deg := tr.deg // -1 once removed
	for u := range n {
		pt.root[u], pt.sub[u] = int32(u), 1
	}
	for _, v := range pt.peeled { // bottom up: v's subtree is complete, its children went first
		pt.sub[pt.parent[v]] += pt.sub[v]
	}
	for i := len(pt.peeled) - 1; i >= 0; i-- { // top down
		v := pt.peeled[i]
		pt.root[v] = pt.root[pt.parent[v]]
	}

	// The core, relabelled in BFS order: a component at a time, each from
	// its node of highest degree (the least such node on ties), so that
	// neighbours get close indexes and a search touches fewer cache lines.
	// The components are numbered in the same pass.
	var starts []int32
	for u := range n {
		pt.index[u] = -1
		if deg[u] > 0 {
			starts = append(starts, int32(u))
		}
	}
	slices.SortStableFunc(starts, func(a, b int32) int { return cmp.Compare(deg[b], deg[a]) })
	var sizes []int64
	for _, r := range starts {
		if pt.index[r] >= 0 {
			continue
		}
		head := len(pt.orig)
		pt.index[r] = int32(head)
		pt.orig = append(pt.orig, r)
		size := int64(0)
		for ; head < len(pt.orig); head++ {
			u := pt.orig[head]
			size += pt.sub[u]
			pt.label = append(pt.label, int32(len(sizes)))
			for _, v := range g.neighbours(u) {
				if deg[v] >= 0 && pt.index[v] < 0 {
					pt.index[v] = int32(len(pt.orig))
					pt.orig = append(pt.orig, v)
				}
			}
		}
		sizes = append(sizes, size)
	}
	pt.ncomp = len(sizes)
	for u := range n {
		if c := pt.index[pt.root[u]]; c >= 0 {
			pt.comp[u] = sizes[pt.label[c]]
		} else { // a tree component (or an isolated node): its root's tree
			pt.comp[u] = pt.sub[pt.root[u]]
		}
	}

	nc := len(pt.orig)
	core := &simpleGraph{n: nc, off: make([]int32, nc+1), loop: make([]bool, nc), job: g.job}
	core.adj = make([]int32, 0, len(g.adj)-2*len(pt.peeled))
	for c, u := range pt.orig {
		start := len(core.adj)
		for _, v := range g.neighbours(u) {
			if i := pt.index[v]; i >= 0 {
				core.adj = append(core.adj, i)
			}
		}
		slices.Sort(core.adj[start:])
		core.off[c+1] = int32(len(core.adj))
	}
	pt.core = core
	return pt
}

// weights returns the size of each core node's tree, as f(size).
func pendantWeights[T int32 | int64 | float64](pt *pendantTrees) []T {
	w := make([]T, len(pt.orig))
	for c, u := range pt.orig {
		w[c] = T(pt.sub[u])
	}
	return w
}

// treePairs returns, for every node x, the number of ordered pairs (s, t),
// s ≠ x ≠ t, whose single shortest path runs through x inside x's tree:
// both ends in the tree in different parts of it once x is taken out, or
// one end in the subtree below x and the other outside the tree. Each is
// an exact integer below n². O(n).
func (pt *pendantTrees) treePairs() []int64 {
	childSq := make([]int64, pt.n) // Σ of the squared sizes of x's child subtrees
	for _, v := range pt.peeled {
		childSq[pt.parent[v]] += pt.sub[v] * pt.sub[v]
	}
	pairs := make([]int64, pt.n)
	for x := range pairs {
		r := pt.root[x]
		w := pt.sub[r]        // the tree's size
		out := pt.comp[x] - w // nodes of the component outside the tree
		up := w - pt.sub[x]   // nodes of the tree above x (0 at the root)
		within := (w-1)*(w-1) - childSq[x] - up*up
		cross := 2 * (pt.sub[x] - 1) * out
		pairs[x] = within + cross
	}
	return pairs
}

// treeDistances completes the sums of distances from every node given
// those of the core nodes: coreTotal[c] is Σ_y sub(y)·d(c, y) over the
// core nodes y of c's component, the distances from c to the roots of the
// other trees, weighted by their sizes. It returns total[u] = Σ_v d(u, v)
// over the nodes v of u's component. O(n).
//
// Within a tree of size w, the sum of the distances from x to the tree's
// nodes is depthSum(root) at the root, and moving from a node to its child
// x brings sub(x) nodes one step closer and w - sub(x) one step farther.
// A node of the tree at depth k is k farther than the root from each of
// the out = comp - w nodes outside the tree, whose distances from the root
// are coreTotal plus, for each other tree, the depths of its nodes.
func (pt *pendantTrees) treeDistances(coreTotal []int64) []int64 {
	n := pt.n
	depth := make([]int64, n)
	for i := len(pt.peeled) - 1; i >= 0; i-- { // top down
		v := pt.peeled[i]
		depth[v] = depth[pt.parent[v]] + 1
	}
	// The sum of the depths of the nodes of each tree, at its root.
	depthSum := make([]int64, n)
	for _, v := range pt.peeled {
		depthSum[pt.root[v]] += depth[v]
	}
	// within[x]: Σ of the distances from x to the nodes of its tree.
	within := make([]int64, n)
	for u := range n {
		if pt.root[u] == int32(u) {
			within[u] = depthSum[u]
		}
	}
	for i := len(pt.peeled) - 1; i >= 0; i-- {
		v := pt.peeled[i]
		within[v] = within[pt.parent[v]] + pt.sub[pt.root[v]] - 2*pt.sub[v]
	}
	// rootOut[r]: Σ of the distances from root r to the nodes outside its
	// tree. For a core root: the weighted core distances plus the depths
	// of the other trees of its component (the depth sums of the whole
	// core component minus its own).
	rootOut := make([]int64, n)
	compDepth := make([]int64, pt.ncomp)
	for c, u := range pt.orig {
		compDepth[pt.label[c]] += depthSum[u]
	}
	for c, u := range pt.orig {
		rootOut[u] = coreTotal[c] + compDepth[pt.label[c]] - depthSum[u]
	}
	total := make([]int64, n)
	for u := range n {
		r := pt.root[u]
		out := pt.comp[u] - pt.sub[r]
		total[u] = within[u] + rootOut[r] + depth[u]*out
	}
	return total
}
