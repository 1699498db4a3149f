package graph

import (
	"cmp"
	"context"
	"math"
	"math/bits"
	"math/rand/v2"
	"slices"

	"github.com/coopgraph/coopgraph"
)

// CommunityOptions parameterise Communities.
type CommunityOptions struct {
	// Resolution is γ of the modularity; 0 means 1. Above 1 favours more,
	// smaller communities, below 1 fewer, larger ones.
	Resolution float64
	// Seed fixes the order in which Louvain visits the nodes: the same seed
	// on the same snapshot gives the same communities.
	Seed uint64
	// RelationTypes keeps only relations of these types; empty keeps all.
	RelationTypes []string
}

// Communities is a partition of the entities.
type Communities struct {
	// Membership maps every entity id to its community, an index into
	// Groups.
	Membership map[string]int
	// Groups lists each community's entity ids, ascending; communities are
	// ordered by size descending, then by first (least) id.
	Groups [][]string
	// Modularity is the partition's modularity at the requested resolution,
	// nx.community.modularity(G, Groups, resolution=γ); 0 when the graph has
	// no edge (where networkx divides by zero).
	Modularity float64
}

// louvainThreshold is networkx's default: a level whose modularity gain is
// at most this ends the algorithm.
const louvainThreshold = 1e-7

// maxLouvainPasses bounds the passes over the nodes in one level. Every
// move strictly increases modularity, so passes end by themselves; the
// bound only guards against a cycle of moves through floating-point
// rounding when γ ≠ 1 (with γ = 1 the gains are compared exactly, in
// integers). It is never reached on the test and benchmark graphs.
const maxLouvainPasses = 1000

// Communities partitions the entities by the Louvain method (Blondel,
// Guillaume, Lambiotte, Lefebvre 2008) maximising the modularity with
// resolution γ (Reichardt & Bornholdt 2006; Newman 2006 for γ = 1):
//
//	Q = Σ_c [ L_c/m − γ·(d_c/2m)² ]
//
// where m is the number of edges, L_c the number of edges inside community
// c and d_c the sum of its degrees. It runs on the simple undirected graph
// of the kept relations, unweighted, as nx.Graph(relations): parallel
// relations are one edge; a self-loop is an edge inside its node's
// community and adds 2 to the degree, as in networkx. Entities without
// relations are communities of their own.
//
// The algorithm is networkx's louvain_communities (2.8): each level visits
// the nodes in a random order (Seed), moving each to the neighbouring
// community of greatest positive modularity gain
//
//	ΔQ(u → c) ∝ 2m·(w_u,c − w_u,own) − γ·d_u·(d_c − d_own∖u),
//
// (ties to the community of least label), repeating passes until none
// moves; then communities become the nodes of the next level (internal
// edges a self-loop, parallel edges summed). It stops when a level improves
// modularity by at most 10^-7 and returns the last partition.
//
// One departure from networkx, for speed: after a pass over every node, a
// node is visited again only when a neighbour has changed community since
// its last visit (the pruning of Ozaki, Tezuka and Inaba 2016); when such
// pruned passes stop moving nodes, a full pass checks every node again, and
// the level ends, as networkx's, with a full pass that moves nothing: a
// local optimum. Late passes move a few nodes each, and networkx's full
// passes spend most of their time there: pruning makes Louvain 2–3 times
// faster on the benchmark networks (25,000 to 67,000 entities), for the
// same modularity. Each full pass costs O(n + m) time, the whole O(n + m)
// space; levels shrink the graph fast. The node order differs from
// networkx's (Python's Mersenne Twister), so partitions agree with
// networkx's in quality, not node by node (see the tests).
//
// A negative, infinite or NaN resolution, or an unknown relation type, is
// an EINVALID error.
//
// References:
//
//   - V. D. Blondel, J.-L. Guillaume, R. Lambiotte, E. Lefebvre, Fast
//     unfolding of communities in large networks, J. Stat. Mech. (2008)
//     P10008.
//   - M. E. J. Newman, Modularity and community structure in networks,
//     PNAS 103(23):8577–8582, 2006.
//   - J. Reichardt, S. Bornholdt, Statistical mechanics of community
//     detection, Phys. Rev. E 74, 016110, 2006.
//   - H. Ozaki, M. Tezuka, M. Inaba, A simple acceleration method for the
//     Louvain algorithm, Int. J. Computer and Electrical Engineering
//     8(3):207–218, 2016.
//
// The partition is shared and kept like a ranking (see Centrality): the
// caller must not modify it. ctx ending first gives its cause.
func (s *Snapshot) Communities(ctx context.Context, opt CommunityOptions) (*Communities, error) {
	gamma := opt.Resolution
	if gamma == 0 {
		gamma = 1
	}
	if !(gamma > 0) || math.IsInf(gamma, 0) {
		return nil, coopgraph.Errorf(coopgraph.EINVALID, "%s must be a positive number, got %v", coopgraph.Option("resolution"), opt.Resolution)
	}
	keep, err := s.typeFilter(opt.RelationTypes)
	if err != nil {
		return nil, err
	}
	key := cacheKey("communities", gamma, opt.Seed, sortedKey(opt.RelationTypes))
	return shared(ctx, &s.computed, key, func(j *job) (*Communities, int, error) {
		g := s.simple(j, keep)
		comm := louvain(g, gamma, opt.Seed)
		if j.stopped() {
			return nil, 0, nil
		}
		out := &Communities{}
		out.Groups, out.Membership = s.groups(comm)
		// comm now holds the index in Groups: Modularity sums over the
		// communities in the order of Groups.
		out.Modularity = modularity(g, comm, gamma)
		// Membership's map: ~64 bytes an entity; Groups: 16.
		return out, 80 * g.n, nil
	})
}

// groups turns community labels into Communities' Groups and Membership,
// and relabels comm in place with the index of each group.
func (s *Snapshot) groups(comm []int32) ([][]string, map[string]int) {
	k := int32(0)
	for _, c := range comm {
		k = max(k, c+1)
	}
	size := make([]int32, k)
	first := make([]int32, k)
	for i := range first {
		first[i] = -1
	}
	for u, c := range comm {
		size[c]++
		if first[c] < 0 {
			first[c] = int32(u)
		}
	}
	var order []int32 // non-empty labels, by size desc, then least node
	for c := range k {
		if size[c] > 0 {
			order = append(order, c)
		}
	}
	slices.SortFunc(order, func(a, b int32) int {
		if c := cmp.Compare(size[b], size[a]); c != 0 {
			return c
		}
		return cmp.Compare(first[a], first[b])
	})
	rank := make([]int, k)
	groups := make([][]string, len(order))
	for r, c := range order {
		rank[c] = r
		groups[r] = make([]string, 0, size[c])
	}
	member := make(map[string]int, len(comm))
	for u, c := range comm {
		groups[rank[c]] = append(groups[rank[c]], s.ids[u])
		member[s.ids[u]] = rank[c]
		comm[u] = int32(rank[c])
	}
	return groups, member
}

// modularity is nx.community.modularity(G, communities, resolution=γ) of
// the partition comm (a label per node) of the simple graph g:
//
//	Q = Σ_c [ L_c/m − γ·d_c·d_c/(2m)² ]
//
// with m the number of edges (a self-loop one edge), L_c the edges with
// both ends in c (a self-loop counts once) and d_c the sum of the degrees
// in c (a self-loop adds 2), each term evaluated as networkx does. It is 0
// when m = 0, where networkx raises ZeroDivisionError. O(n + m).
func modularity(g *simpleGraph, comm []int32, gamma float64) float64 {
	k := int32(0)
	for _, c := range comm {
		k = max(k, c+1)
	}
	inside := make([]int64, k)
	degree := make([]int64, k)
	var degSum int64
	for u := range int32(g.n) {
		c := comm[u]
		d := int64(len(g.neighbours(u)))
		if g.loop[u] {
			d += 2
			inside[c]++
		}
		for _, v := range g.neighbours(u) {
			if v > u && comm[v] == c {
				inside[c]++
			}
		}
		degree[c] += d
		degSum += d
	}
	if degSum == 0 {
		return 0
	}
	m := float64(degSum) / 2
	norm := 1 / (float64(degSum) * float64(degSum))
	q := 0.0
	for c := range k {
		q += float64(inside[c])/m - gamma*float64(degree[c])*float64(degree[c])*norm
	}
	return q
}

// wgraph is one level of Louvain: a weighted graph whose nodes are the
// communities of the level below.
type wgraph struct {
	job  *job // Louvain stops early with it (see job)
	n    int
	off  []int32
	adj  []int32 // neighbours, ascending, the node itself excluded
	w    []int64 // weight of each adjacency entry
	loop []int64 // self-loop weight: the edges inside the node
	deg  []int64 // weighted degree, Σ w + 2·loop
}

// louvain returns a community label per node of g (see Communities).
func louvain(g *simpleGraph, gamma float64, seed uint64) []int32 {
	wg := &wgraph{job: g.job, n: g.n, off: g.off, adj: g.adj, w: make([]int64, len(g.adj)),
		loop: make([]int64, g.n), deg: make([]int64, g.n)}
	for i := range wg.w {
		wg.w[i] = 1
	}
	var degSum int64
	for u := range g.n {
		if g.loop[u] {
			wg.loop[u] = 1
		}
		wg.deg[u] = int64(g.off[u+1]-g.off[u]) + 2*wg.loop[u]
		degSum += wg.deg[u]
	}
	membership := make([]int32, g.n)
	for i := range membership {
		membership[i] = int32(i)
	}
	if degSum == 0 {
		return membership
	}
	rng := rand.New(rand.NewPCG(seed, 0x5851f42d4c957f2d))
	mod := wg.modularity(degSum, gamma)
	for {
		comm, k, moved := wg.oneLevel(degSum, gamma, shuffled(rng, wg.n))
		for i, c := range membership {
			membership[i] = comm[c]
		}
		next := wg.aggregate(comm, k)
		newMod := next.modularity(degSum, gamma)
		if !moved || newMod-mod <= louvainThreshold || wg.job.stopped() {
			return membership
		}
		mod, wg = newMod, next
	}
}

// shuffled returns 0..n-1 in a random order (Fisher–Yates). The bounded
// draws are spelt out, rather than rand.Shuffle's, so that a seed gives the
// same order with every Go version (PCG's output is fixed).
func shuffled(rng *rand.Rand, n int) []int32 {
	p := make([]int32, n)
	for i := range p {
		p[i] = int32(i)
	}
	for i := n - 1; i > 0; i-- {
		hi, _ := bits.Mul64(rng.Uint64(), uint64(i+1))
		j := int(hi)
		p[i], p[j] = p[j], p[i]
	}
	return p
}

// modularity of the partition of the original graph whose communities are
// wg's nodes: Σ_c [ L_c/m − γ·d_c²/(2m)² ] with L_c = loop[c].
func (wg *wgraph) modularity(degSum int64, gamma float64) float64 {
	m := float64(degSum) / 2
	norm := 1 / (float64(degSum) * float64(degSum))
	q := 0.0
	for c := range wg.n {
		q += float64(wg.loop[c])/m - gamma*float64(wg.deg[c])*float64(wg.deg[c])*norm
	}
	return q
}

// oneLevel moves nodes between communities until no move improves
// modularity (networkx's _one_level), visiting them in the given order.
// It returns each node's community renumbered 0..k-1 in order of least
// node, and whether any node moved.
//
// The gain of moving u from its community (without u) to c, times 2m², is
//
//	m2·(w_u,c − w_u,own) − γ·d_u·(Σtot_c − Σtot_own∖u)
//
// with m2 = 2m; u moves to the c of greatest positive gain, the least
// label among equals. Self-loops count in d_u, not in w_u,c.
func (wg *wgraph) oneLevel(m2 int64, gamma float64, order []int32) (comm []int32, k int, moved bool) {
	mv := newLocalMoves(wg, m2, gamma)
	full := true // this pass visits every node
	for pass := 0; pass < maxLouvainPasses && !wg.job.stopped(); pass++ {
		if full {
			mv.markAll()
		}
		moves := mv.pass(order)
		if moves == 0 {
			if full {
				break // a local optimum: no node gains by moving
			}
			full = true
			continue
		}
		moved = true
		full = false
	}
	k = renumberByLeastNode(mv.comm)
	return mv.comm, k, moved
}

// localMoves is the state of oneLevel's passes: each node's community,
// the communities' total degrees, and which nodes the next pass visits.
type localMoves struct {
	wg    *wgraph
	m2    int64
	gamma float64

	comm    []int32
	stot    []int64 // Σtot: the weighted degree of each community
	wto     []int64 // weight from u to each community; 0 = untouched
	touched []int32 // the communities with a wto
	stale   []bool  // visit u in this pass
}

// newLocalMoves starts with every node in a community of its own.
func newLocalMoves(wg *wgraph, m2 int64, gamma float64) *localMoves {
	n := wg.n
	mv := &localMoves{wg: wg, m2: m2, gamma: gamma, comm: make([]int32, n), stot: slices.Clone(wg.deg),
		wto: make([]int64, n), stale: make([]bool, n)}
	for i := range mv.comm {
		mv.comm[i] = int32(i)
	}
	return mv
}

// markAll has the next pass visit every node.
func (mv *localMoves) markAll() {
	for i := range mv.stale {
		mv.stale[i] = true
	}
}

// pass visits the stale nodes in order, moving each to the community of
// greatest gain; a node that moves makes its neighbours stale, their
// gains having changed. It returns the number of moves. Its progress
// (WithProgress) is the nodes of order passed, every 4,096: each pass of
// each level counts afresh, the first pass of the first level (every
// entity) being the longest.
func (mv *localMoves) pass(order []int32) (moves int) {
	wg, comm, stot, wto, stale := mv.wg, mv.comm, mv.stot, mv.wto, mv.stale
	m2, gamma := mv.m2, mv.gamma
	touched := mv.touched
	for i, u := range order {
		if i%4096 == 0 {
			wg.job.progress(int64(i), int64(len(order)))
		}
		if !stale[u] {
			continue
		}
		stale[u] = false
		own := comm[u]
		touched = touched[:0]
		for e := wg.off[u]; e < wg.off[u+1]; e++ {
			c := comm[wg.adj[e]]
			if wto[c] == 0 {
				touched = append(touched, c)
			}
			wto[c] += wg.w[e]
		}
		d := wg.deg[u]
		stot[own] -= d
		best, bestGain := own, 0.0
		for _, c := range touched {
			if c == own {
				continue
			}
			gain := float64(m2*(wto[c]-wto[own])) - gamma*float64(d*(stot[c]-stot[own]))
			if gain > bestGain || gain == bestGain && gain > 0 && c < best {
				best, bestGain = c, gain
			}
		}
		stot[best] += d
		if best != own {
			comm[u] = best
			moves++
			for e := wg.off[u]; e < wg.off[u+1]; e++ {
				stale[wg.adj[e]] = true
			}
		}
		for _, c := range touched {
			wto[c] = 0
		}
	}
	mv.touched = touched
	return moves
}

// renumberByLeastNode relabels the communities of comm 0..k-1 in order of
// their least node, in place, and returns k.
func renumberByLeastNode(comm []int32) (k int) {
	label := make([]int32, len(comm))
	for i := range label {
		label[i] = -1
	}
	for u, c := range comm {
		if label[c] < 0 {
			label[c] = int32(k)
			k++
		}
		comm[u] = label[c]
	}
	return k
}

// aggregate builds the next level: one node per community, its self-loop
// the weight inside it, edges between communities summed (networkx's
// _gen_graph).
func (wg *wgraph) aggregate(comm []int32, k int) *wgraph {
	next := &wgraph{job: wg.job, n: k, off: make([]int32, k+1), loop: make([]int64, k), deg: make([]int64, k)}
	// Members of each community, by counting sort.
	start := make([]int32, k+1)
	for _, c := range comm {
		start[c+1]++
	}
	for c := range k {
		start[c+1] += start[c]
	}
	members := make([]int32, wg.n)
	fill := slices.Clone(start[:k])
	for u, c := range comm {
		members[fill[c]] = int32(u)
		fill[c]++
	}
	acc := make([]int64, k)
	var touched []int32
	for c := range int32(k) {
		touched = touched[:0]
		for _, u := range members[start[c]:start[c+1]] {
			next.loop[c] += wg.loop[u]
			next.deg[c] += wg.deg[u]
			for e := wg.off[u]; e < wg.off[u+1]; e++ {
				v := wg.adj[e]
				d := comm[v]
				if d == c {
					if v > u { // an edge inside c, seen from both ends
						next.loop[c] += wg.w[e]
					}
					continue
				}
				if acc[d] == 0 {
					touched = append(touched, d)
				}
				acc[d] += wg.w[e]
			}
		}
		slices.Sort(touched)
		for _, d := range touched {
			next.adj = append(next.adj, d)
			next.w = append(next.w, acc[d])
			acc[d] = 0
		}
		next.off[c+1] = int32(len(next.adj))
	}
	return next
}
