package graph

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/coopgraph/coopgraph"
)

// tieTolerance is the relative difference below which two path costs are
// the same cost (see AllShortestPaths and KShortestPaths).
const tieTolerance = 1e-12

// within returns the largest cost that ties with d.
func within(d float64) float64 { return d + d*tieTolerance }

// weightedSearch is the state of one weighted search, kept in pathSearch.
//
// Its result is a set of labels: for a node x, the least cost of a path
// from x to dst, as the path pays it going forward (the relation's
// weight, or with WeightHub the cost of entering the next node, ln deg, 0
// for dst). The walks from src (enumerateWeighted, countWeighted) need it
// only for the nodes that can lie on a path of cost at most within(d),
// and get it as follows.
//
// Without a hop limit, bidirectional Dijkstra (dijkstra): a forward search
// from src (fdist) and a backward one from dst (the labels) alternate,
// each step on the side whose next cost is smaller; a relation between
// the two sides gives a candidate cost mu. They stop once the two next
// costs add up to more than within(mu): then mu = d, and a node x on a
// path of cost at most within(d) has fdist(x) + dist(x, dst) <= within(d),
// so it is settled forward or backward. The backward search then goes on
// through the forward-settled nodes only: their least cost to dst through
// settled nodes is exact for every node on such a path (the rest of that
// path is settled) and too high, hence pruned, for the others.
//
// With a hop limit, a backward search alone (labelSearch), label-setting
// over (cost, hops): labels are settled in order of cost, then hops, and a
// label at x is kept only when it has fewer hops than every label x
// already has (the others are dominated: no cheaper and no shorter). So x
// keeps at most hops+1 labels, in increasing cost and decreasing hops, and
// the least cost from x within b relations is that of its first label with
// at most b hops.
//
// Without a hop limit every label has 0 hops.
type weightedSearch struct {
	labels  []label
	head    []int32 // node -> its first label (settle order), -1: none
	tail    []int32 // node -> its last label
	bestH   []int32 // node -> hops of its last label, MaxInt32: none
	touched []int32 // nodes with labels or tentative costs
	heap    []hitem // backward
	bdist   []float64
	d       float64 // least cost from src to dst
	bound   float64 // within(d): the largest cost of a shortest path

	fheap    []hitem   // forward
	fdist    []float64 // node -> least cost from src found so far, +Inf: none
	fdone    []bool    // settled forward
	ftouched []int32

	onPath []bool // the walk of enumerateWeighted
	memo   map[int64]int64
	combo  []int32 // scratch for relation choices

	hub        []float64 // node -> ln deg under the relation filter, NaN: not yet
	hubTouched []int32
}

type label struct {
	cost float64
	hops int32
	next int32 // next label of the same node, -1: none
}

type hitem struct {
	cost float64
	hops int32
	node int32
}

func (a hitem) less(b hitem) bool {
	return a.cost < b.cost || a.cost == b.cost && (a.hops < b.hops || a.hops == b.hops && a.node < b.node)
}

func (ps *pathSearch) weighted() *weightedSearch {
	if ps.w == nil {
		n := len(ps.blocked)
		w := &weightedSearch{head: make([]int32, n), tail: make([]int32, n), bestH: make([]int32, n),
			bdist: make([]float64, n), fdist: make([]float64, n), fdone: make([]bool, n),
			onPath: make([]bool, n), hub: make([]float64, n), memo: map[int64]int64{}}
		for i := range n {
			w.head[i], w.tail[i], w.bestH[i], w.hub[i] = -1, -1, math.MaxInt32, math.NaN()
			w.bdist[i], w.fdist[i] = math.Inf(1), math.Inf(1)
		}
		ps.w = w
	}
	return ps.w
}

// clear forgets the last search; hub costs stay for the query.
func (w *weightedSearch) clear() {
	for _, x := range w.touched {
		w.head[x], w.tail[x], w.bestH[x], w.bdist[x] = -1, -1, math.MaxInt32, math.Inf(1)
	}
	for _, x := range w.ftouched {
		w.fdist[x], w.fdone[x] = math.Inf(1), false
	}
	w.touched, w.labels, w.heap = w.touched[:0], w.labels[:0], w.heap[:0]
	w.ftouched, w.fheap = w.ftouched[:0], w.fheap[:0]
	clear(w.memo)
}

func (w *weightedSearch) clearHub() {
	for _, x := range w.hubTouched {
		w.hub[x] = math.NaN()
	}
	w.hubTouched = w.hubTouched[:0]
}

func push(heap *[]hitem, it hitem) {
	h := append(*heap, it)
	for i := len(h) - 1; i > 0; {
		p := (i - 1) / 2
		if !h[i].less(h[p]) {
			break
		}
		h[i], h[p] = h[p], h[i]
		i = p
	}
	*heap = h
}

func pop(heap *[]hitem) hitem {
	h := *heap
	top := h[0]
	last := len(h) - 1
	h[0] = h[last]
	h = h[:last]
	for i := 0; ; {
		l, m := 2*i+1, i
		if l < len(h) && h[l].less(h[m]) {
			m = l
		}
		if r := l + 1; r < len(h) && h[r].less(h[m]) {
			m = r
		}
		if m == i {
			break
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
	*heap = h
	return top
}

func top(heap []hitem) float64 {
	if len(heap) == 0 {
		return math.Inf(1)
	}
	return heap[0].cost
}

// relaxBackward offers cost c for u to the backward search: a cheaper cost
// replaces the old one and queues u (first touches are remembered for clear).
func (w *weightedSearch) relaxBackward(u int32, c float64) {
	if c < w.bdist[u] {
		if math.IsInf(w.bdist[u], 1) {
			w.touched = append(w.touched, u)
		}
		w.bdist[u] = c
		push(&w.heap, hitem{cost: c, node: u})
	}
}

func (w *weightedSearch) settle(x int32, it hitem) {
	i := int32(len(w.labels))
	w.labels = append(w.labels, label{cost: it.cost, hops: it.hops, next: -1})
	if w.head[x] < 0 {
		w.head[x] = i
		if math.IsInf(w.bdist[x], 1) {
			w.touched = append(w.touched, x)
		}
	} else {
		w.labels[w.tail[x]].next = i
	}
	w.tail[x] = i
	w.bestH[x] = it.hops
}

// least returns the least cost from x to dst within left relations (any
// number without a hop limit), if dijkstra settled one.
func (ps *pathSearch) least(x int32, left int) (float64, bool) {
	w := ps.w
	for i := w.head[x]; i >= 0; i = w.labels[i].next {
		if ps.hops == 0 || int(w.labels[i].hops) <= left {
			return w.labels[i].cost, true
		}
	}
	return 0, false
}

// arc is what a path pays for relation r into x.
func (ps *pathSearch) arc(r, x int32) float64 {
	switch ps.q.weight {
	case WeightProperty:
		return ps.q.prop.w[r]
	case WeightHub:
		if x == ps.dst {
			return 0
		}
		return ps.hubCost(x)
	}
	return 1
}

// dijkstra computes the least costs to dst of every node that can lie on
// a shortest path from src (see weightedSearch), and reports whether src
// reaches dst. Bidirectional: each round settles one node on the side
// whose next cost is smaller, until the two next costs add up to more than
// within(mu), mu the least cost of a path found across the two sides.
func (ps *pathSearch) dijkstra() bool {
	if ps.hops > 0 {
		return ps.labelSearch()
	}
	w := ps.weighted()
	mu := math.Inf(1)
	w.fdist[ps.src] = 0
	w.ftouched = append(w.ftouched, ps.src)
	push(&w.fheap, hitem{node: ps.src})
	w.bdist[ps.dst] = 0
	w.touched = append(w.touched, ps.dst)
	push(&w.heap, hitem{node: ps.dst})
	for len(w.fheap) > 0 && len(w.heap) > 0 && top(w.fheap)+top(w.heap) <= within(mu) {
		if top(w.fheap) <= top(w.heap) {
			mu = min(mu, ps.forwardStep())
			continue
		}
		it := pop(&w.heap)
		if w.bestH[it.node] == 0 {
			continue // settled
		}
		mu = min(mu, ps.settleBackward(it, false))
	}
	if math.IsInf(mu, 1) {
		return false
	}
	w.d, w.bound = mu, within(mu)
	// Go on backwards through the forward-settled nodes.
	for len(w.heap) > 0 && top(w.heap) <= w.bound {
		it := pop(&w.heap)
		if w.bestH[it.node] == 0 || !w.fdone[it.node] {
			continue
		}
		ps.settleBackward(it, true)
	}
	return true
}

// forwardStep settles the next node of the forward search and relaxes its
// relations; it returns the least cost of a path from src to dst through a
// node it reached that the backward search has a cost for (+Inf: none).
func (ps *pathSearch) forwardStep() float64 {
	w, s := ps.w, ps.q.s
	it := pop(&w.fheap)
	x := it.node
	if w.fdone[x] {
		return math.Inf(1)
	}
	w.fdone[x] = true
	if x == ps.dst {
		return math.Inf(1) // no path passes through its end
	}
	mu := math.Inf(1)
	for _, r := range s.via[s.off[x]:s.off[x+1]] {
		y := s.other(x, r)
		if y == ps.src || w.fdone[y] || !ps.step(x, y, r) {
			continue
		}
		c := it.cost + ps.arc(r, y)
		if c < w.fdist[y] {
			if math.IsInf(w.fdist[y], 1) {
				w.ftouched = append(w.ftouched, y)
			}
			w.fdist[y] = c
			push(&w.fheap, hitem{cost: c, node: y})
		}
		mu = min(mu, c+w.bdist[y])
	}
	return mu
}

// settleBackward settles label it of its node x in the backward search and
// offers each neighbour u that may step to x the cost of going on through
// x: without a hop limit as a tentative cost (relaxBackward; only to
// forward-settled neighbours when settledOnly), with one as a new label of
// one more hop. Neighbours whose labels already dominate the offer are
// skipped. It returns the least cost of a path from src to dst through a
// neighbour the forward search has reached (+Inf: none).
func (ps *pathSearch) settleBackward(it hitem, settledOnly bool) float64 {
	w, s := ps.w, ps.q.s
	x := it.node
	w.settle(x, it)
	if x == ps.src {
		return math.Inf(1) // no path passes through its start
	}
	h := it.hops // 0 without a hop limit, where bestH is 0 once settled
	if ps.hops > 0 {
		if int(h) == ps.hops {
			return math.Inf(1)
		}
		h++
	}
	hub := ps.q.weight == WeightHub
	into := 0.0 // WeightHub: entering x
	if hub && x != ps.dst {
		into = ps.hubCost(x)
	}
	mu := math.Inf(1)
	for _, r := range s.via[s.off[x]:s.off[x+1]] {
		u := s.other(x, r)
		if u == ps.dst || h >= w.bestH[u] || settledOnly && !w.fdone[u] || !ps.step(x, u, r) {
			continue
		}
		c := it.cost + into
		if !hub {
			c = it.cost + ps.arc(r, x)
		}
		if ps.hops > 0 {
			push(&w.heap, hitem{cost: c, hops: h, node: u})
			continue
		}
		w.relaxBackward(u, c)
		mu = min(mu, w.fdist[u]+c)
	}
	return mu
}

// labelSearch is the backward, hop-constrained search (see
// weightedSearch): it stops once every label up to within(d) is settled.
func (ps *pathSearch) labelSearch() bool {
	w := ps.weighted()
	found := false
	push(&w.heap, hitem{node: ps.dst})
	for len(w.heap) > 0 {
		it := pop(&w.heap)
		if found && it.cost > w.bound {
			break
		}
		if it.hops >= w.bestH[it.node] {
			continue // dominated
		}
		if it.node == ps.src && !found {
			found, w.d, w.bound = true, it.cost, within(it.cost)
		}
		ps.settleBackward(it, false)
	}
	return found
}

// enumerateWeighted calls emit with every shortest path in order (see
// AllShortestPaths), until emit returns false. It walks node sequences
// depth first in node id order, entering x from u only when the cost so
// far, plus the cheapest kept relation u–x, plus the least cost from x
// stays within the bound; on reaching dst, it lists the relation choices of
// that node sequence in id order.
func (ps *pathSearch) enumerateWeighted(emit func(nodes, rels []int32, cost float64) bool) {
	w, s := ps.w, ps.q.s
	nodes := []int32{ps.src}
	var hops [][]int32 // per hop: kept parallel relations, ascending
	var minCost []float64
	w.onPath[ps.src] = true
	defer func() {
		for _, x := range nodes {
			w.onPath[x] = false
		}
	}()

	var walk func(g float64, left int) bool
	walk = func(g float64, left int) bool {
		u := nodes[len(nodes)-1]
		if u == ps.dst {
			return ps.combos(nodes, hops[:len(nodes)-1], minCost, g, emit)
		}
		k := len(nodes) - 1
		if k == len(hops) {
			hops = append(hops, nil)
			minCost = append(minCost, 0)
		}
		return s.neighbours(u, func(x int32, run []int32) bool {
			if w.onPath[x] || !ps.enter(x) {
				return true
			}
			lx, ok := ps.least(x, left-1)
			if !ok {
				return true
			}
			h, c := ps.links(hops[k][:0], u, x, run), math.Inf(1)
			for _, r := range h {
				c = min(c, ps.arc(r, x))
			}
			hops[k] = h
			if len(h) == 0 || g+c+lx > w.bound {
				return true
			}
			minCost[k] = c
			nodes = append(nodes, x)
			w.onPath[x] = true
			more := walk(g+c, left-1)
			w.onPath[x] = false
			nodes = nodes[:len(nodes)-1]
			return more
		})
	}
	walk(0, ps.hops)
}

// combos emits the relation sequences of one node sequence whose cost is
// within the bound, in relation id order. g is the cost of the cheapest
// choice. With WeightHub (and hops) every choice costs the same.
func (ps *pathSearch) combos(nodes []int32, hops [][]int32, minCost []float64, g float64, emit func(nodes, rels []int32, cost float64) bool) bool {
	d := len(nodes) - 1
	w := ps.w
	w.combo = slices.Grow(w.combo[:0], d)[:d]
	rels := w.combo
	if ps.q.weight != WeightProperty {
		return eachChoice(hops, rels, func() bool { return emit(nodes, rels, g) })
	}
	// Parallel relations of different weights: depth first over the hops,
	// each relation in id order, pruning by the cheapest rest.
	rest := make([]float64, d+1)
	for i := d - 1; i >= 0; i-- {
		rest[i] = rest[i+1] + minCost[i]
	}
	wt := ps.q.prop.w
	var pick func(i int, cost float64) bool
	pick = func(i int, cost float64) bool {
		if i == d {
			return cost > w.bound || emit(nodes, rels, cost)
		}
		for _, r := range hops[i] {
			if c := cost + wt[r]; c+rest[i+1] <= w.bound {
				rels[i] = r
				if !pick(i+1, c) {
					return false
				}
			}
		}
		return true
	}
	return pick(0, 0)
}

// countWeighted counts the shortest paths without listing them: the
// number of ways from (x, relations left) to dst, summed over the
// relations r to y on a least-cost continuation (arc(r, y) + least(y) within
// the tolerance of least(x)), memoised per (x, relations left). A state
// met again while it is being counted (a cycle of zero-cost relations)
// adds nothing. Saturates at MaxInt64.
func (ps *pathSearch) countWeighted() int64 {
	w, s := ps.w, ps.q.s
	tol := w.bound - w.d
	var count func(x int32, left int) int64
	count = func(x int32, left int) int64 {
		if x == ps.dst {
			return 1
		}
		key := int64(x)
		if ps.hops > 0 {
			key = key*int64(ps.hops+1) + int64(left)
		}
		if v, ok := w.memo[key]; ok {
			return max(v, 0)
		}
		w.memo[key] = -1
		lx, _ := ps.least(x, left)
		var total int64
		for _, r := range s.via[s.off[x]:s.off[x+1]] {
			y := s.other(x, r)
			if y == ps.src || !ps.step(x, y, r) {
				continue
			}
			if ly, ok := ps.least(y, left-1); ok && ps.arc(r, y)+ly <= lx+tol {
				total = satAdd(total, count(y, left-1))
			}
		}
		w.memo[key] = total
		return total
	}
	return count(ps.src, ps.hops)
}

// pathCost is the cost of a path under the query's weight, summed from
// its start as the searches sum it.
func (ps *pathSearch) pathCost(nodes, rels []int32) float64 {
	c := 0.0
	switch ps.q.weight {
	case WeightHops:
		return float64(len(rels))
	case WeightProperty:
		for _, r := range rels {
			c += ps.q.prop.w[r]
		}
	case WeightHub:
		for _, x := range nodes[1 : len(nodes)-1] {
			c += ps.hubCost(x)
		}
	}
	return c
}

// hubCost is ln deg(x), deg(x) the number of distinct entities linked to x
// by relations kept by the query's types and window (see WeightHub).
func (ps *pathSearch) hubCost(x int32) float64 {
	q := ps.q
	if !q.relFilter {
		return q.s.hubCosts()[x]
	}
	w := ps.weighted()
	if c := w.hub[x]; !math.IsNaN(c) {
		return c
	}
	c := math.Log(float64(q.s.distinctNeighbours(x, q.relOK)))
	w.hub[x] = c
	w.hubTouched = append(w.hubTouched, x)
	return c
}

// hubCosts is ln deg(x) for every node, all relations kept; computed once.
func (s *Snapshot) hubCosts() []float64 {
	s.hubOnce.Do(func() {
		s.hubAll = make([]float64, len(s.ids))
		for x := range s.hubAll {
			s.hubAll[x] = math.Log(float64(s.distinctNeighbours(int32(x), nil)))
		}
	})
	return s.hubAll
}

// distinctNeighbours counts the entities other than x linked to x by a
// relation that passes keep (nil: all).
func (s *Snapshot) distinctNeighbours(x int32, keep func(r int32) bool) int {
	n, last := 0, int32(-1)
	for _, r := range s.via[s.off[x]:s.off[x+1]] {
		if y := s.other(x, r); y != last && (keep == nil || keep(r)) {
			n++
			last = y
		}
	}
	return n
}

// propWeights are the values of one relation property, parsed once per
// snapshot.
type propWeights struct {
	name string
	w    []float64 // relation -> weight, NaN: missing or not a positive number
	bad  []int32   // the relations without a weight, ascending
	any  bool      // some relation has the property
}

// weightCache keeps the parsed weights of the last few properties asked for.
type weightCache struct {
	mu    sync.Mutex
	items map[string]*propWeights
	order []string
}

const maxWeightProperties = 16

func (c *weightCache) get(s *Snapshot, name string) *propWeights {
	c.mu.Lock()
	defer c.mu.Unlock()
	if p, ok := c.items[name]; ok {
		return p
	}
	p := &propWeights{name: name, w: make([]float64, s.NumRelations())}
	for i := range p.w {
		v, ok := s.relation(int32(i)).Properties[name]
		p.any = p.any || ok
		if x, err := strconv.ParseFloat(strings.TrimSpace(v), 64); ok && err == nil && x > 0 && !math.IsInf(x, 0) {
			p.w[i] = x
		} else {
			p.w[i] = math.NaN()
			p.bad = append(p.bad, int32(i))
		}
	}
	if c.items == nil {
		c.items = map[string]*propWeights{}
	}
	c.items[name] = p
	c.order = append(c.order, name)
	if len(c.order) > maxWeightProperties {
		delete(c.items, c.order[0])
		c.order = c.order[1:]
	}
	return p
}

// check fails when a relation kept by q's types and window (self-loops
// aside: no path uses them) has no valid weight, naming the first such
// relation by id. O(number of relations without one).
func (p *propWeights) check(q *query) error {
	if !p.any {
		return coopgraph.Errorf(coopgraph.EINVALID, "no relation has the weight property %q", p.name)
	}
	for _, r := range p.bad {
		if q.s.word[r]&q.s.nodeMask == 0 || !q.relOK(r) {
			continue
		}
		rel := q.s.relation(r)
		if v, ok := rel.Properties[p.name]; ok {
			return coopgraph.Errorf(coopgraph.EINVALID, "relation %q: weight property %q = %q is not a positive number", rel.ID, p.name, v)
		}
		return coopgraph.Errorf(coopgraph.EINVALID, "relation %q has no weight property %q (narrow %s to those that have it)", rel.ID, p.name, coopgraph.Option("relationTypes"))
	}
	return nil
}
