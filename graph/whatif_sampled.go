package graph

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
)

// whatIfStream is the PCG stream of what-if's sampling, apart from the
// sampled betweenness's for the same seed.
const whatIfStream = 0x77686174

// longerEstimate is estimateLonger's answer, in ordered pairs (each
// unordered pair twice).
type longerEstimate struct {
	longer   float64 // the count, or its estimate
	bound    float64 // half-width of the confidence interval; 0 when exact
	exact    bool
	searched int          // the entities searched from
	top      []longerPair // the first longer pairs those searches saw
}

// estimateLonger counts, or estimates within a bound, the ordered pairs of
// h = G−X whose distance got longer (WhatIfRemoved's LongerPairs, twice),
// with at most about budget steps of search, where a search from every
// entity would cost more. Let S(u) be the entities whose distance from u
// got longer, u's longer partners, and L(u) = |S(u)| (the count is
// Σ_u L(u)).
//
// The longer pairs gather near X, and a bound says where: if (u, v) got
// longer and w is a neighbour of u one step closer to X (d(w, X) = d(u, X)
// − 1 ≥ 1), then (w, v) got longer too, since d_{G−X}(w, v) ≥
// d_{G−X}(u, v) − 1 > d(u, X) + d(X, v) − 1 = d(w, X) + d(X, v). So
// S(u) ⊆ S(w) for each such w, and L(u) ≤ U(u) = min_w U(w),
// down from the neighbours a of X, where U(a) = L(a), counted by searching
// from every neighbour of X (capped at the size of u's piece less one).
// And U(u) = 0 for an entity u no neighbour of X has as a longer partner
// (v ∈ S(u) puts u in S(v), so in S(a) of v's neighbour a of X): it
// needs no search.
//
// Searches from whole layers of entities at distance 2, 3, … from X
// follow, while a layer costs at most half of the budget left: their
// exact L tightens U below them (on the linked network, the layer at
// distance 2 divides Σ U by about 20 for AGH). The
// others with U(u) > 0, R, are counted by importance sampling: k sources
// u_1..u_k drawn independently with probability U(u)/W, W = Σ_{u∈R} U(u),
// give the unbiased estimate W·mean_i Y_i of Σ_{u∈R} L(u), Y_i =
// L(u_i)/U(u_i) in [0, 1]; those with U(u)·k ≥ W (expected to be drawn at
// least once) are searched instead, and W counts the rest. The half-width
// of the interval is W times the empirical Bernstein bound for [0, 1]
// values (A. Maurer, M. Pontil, Empirical Bernstein bounds and sample
// variance penalization, COLT 2009, Theorem 4, both sides at δ/2):
//
//	√(2·V·ln(4/δ)/k) + 7·ln(4/δ)/(3(k − 1)),
//
// V the sample variance of the Y_i (k − 1 in the denominator): it
// shrinks with the spread of L(u)/U(u), not with the size of the largest
// piece, and its range term is at most about that of the smallest
// sampled U over k. So P(|estimate − count| > bound) ≤ δ = WhatIfDelta.
// When all of R fits in the budget, the count is exact.
//
// Each search is costed as one BFS of its piece (entities + 2·links); the
// sampled part gets what is left of the budget over the cost of a search
// in the largest piece (at least 64 draws; a source drawn several times
// is searched once). When the neighbours of X alone cost more than the
// budget, the estimate falls back to uniformly sampled sources
// (uniformLonger). The draws use a PCG seeded with seed: the same answer
// every time, whatever the number of workers. O(c + e) space besides the
// searches', O((c + e)·layers) time besides them.
func estimateLonger(j *job, h *simpleGraph, before, nx, piece, sizes []int32, first int, budget int64, seed uint64) longerEstimate {
	cost := sourceCost(h, piece, sizes)
	near := slices.Clone(nx)
	slices.Sort(near)
	var spent, unit int64
	for _, a := range near {
		spent += cost[piece[a]]
	}
	for _, c := range cost {
		unit = max(unit, c)
	}
	if spent > budget || unit == 0 {
		return uniformLonger(j, h, before, piece, sizes, first, budget, seed)
	}
	known := make([]int64, h.n) // L(u) of the searched entities, else −1
	for i := range known {
		known[i] = -1
	}
	est := longerEstimate{exact: true}
	// Progress (WithProgress) counts searches, of those the budget buys.
	planned := int64(len(near)) + (budget-spent)/unit
	search := func(src []int32, partners []int32) {
		if len(src) == 0 {
			return // (longerPairs would search from every entity)
		}
		per := make([]int64, len(src))
		sj := withProgressShare(j, int64(est.searched), int64(len(src)), max(planned, int64(est.searched+len(src))))
		_, top := longerPairs(sj, h, before, src, first, per, partners)
		for i, u := range src {
			known[u] = per[i]
			est.longer += float64(per[i])
		}
		est.searched += len(src)
		est.top = topLonger(append(est.top, top...), first)
	}
	partners := make([]int32, h.n)
	search(near, partners)
	upper := upperBounds(h, before, known, partners, piece, sizes)
	// Whole layers by distance from X, while one costs at most half of
	// what is left: they tighten U below them.
	far := slices.Max(before)
	for d := int32(2); d <= far; d++ {
		var layer []int32
		var layerCost int64
		for u, b := range before {
			if b == d && known[u] < 0 && upper[u] > 0 {
				layer = append(layer, int32(u))
				layerCost += cost[piece[u]]
			}
		}
		if len(layer) == 0 {
			continue
		}
		if layerCost > (budget-spent)/2 {
			break
		}
		search(layer, nil)
		spent += layerCost
		upper = upperBounds(h, before, known, partners, piece, sizes)
	}

	// R, by U descending (then index: a total order).
	var cand []int32
	for u := range before {
		if known[u] < 0 && upper[u] > 0 {
			cand = append(cand, int32(u))
		}
	}
	slices.SortFunc(cand, func(a, b int32) int {
		if c := cmp.Compare(upper[b], upper[a]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	affordable := int((budget - spent) / unit)
	if len(cand) <= affordable {
		src := slices.Clone(cand)
		slices.Sort(src)
		search(src, nil)
		return est
	}

	// The heaviest m of R are searched, k draws from the rest.
	const minDraws = 64
	var rest int64
	for _, u := range cand {
		rest += upper[u]
	}
	m := 0
	for m < affordable-minDraws && upper[cand[m]]*int64(affordable-m) >= rest {
		rest -= upper[cand[m]]
		m++
	}
	k := max(minDraws, affordable-m)
	draws := drawWeighted(cand[m:], upper, rest, k, seed)
	src := slices.Clone(cand[:m])
	src = append(src, draws...)
	slices.Sort(src)
	src = slices.Compact(src)
	// The drawn entities' counts enter the estimate, not the count.
	sum := est.longer
	search(src, nil)
	for _, u := range cand[:m] {
		sum += float64(known[u])
	}
	ys := make([]float64, len(draws))
	for i, u := range draws {
		ys[i] = float64(known[u]) / float64(upper[u])
	}
	mean, half := empiricalBernstein(ys, WhatIfDelta)
	est.longer = sum + float64(rest)*mean
	est.bound = float64(rest) * half
	est.exact = false
	return est
}

// sourceCost is, for each piece of h, the steps of one search in it: its
// entities plus twice its links.
func sourceCost(h *simpleGraph, piece, sizes []int32) []int64 {
	cost := make([]int64, len(sizes))
	for i, sz := range sizes {
		cost[i] = int64(sz)
	}
	for u := range int32(h.n) {
		cost[piece[u]] += int64(len(h.neighbours(u)))
	}
	return cost
}

// upperBounds is U(u) of estimateLonger for every entity of h: L(u) for
// the searched ones (known ≥ 0: the neighbours of X, with partners, for
// each entity, the neighbours of X of which it is a longer partner), 0
// for an entity no neighbour of X has as longer partner, else, by
// increasing distance from X, the least U of its neighbours one step
// closer, at most the size of its piece less one. O(c + e).
func upperBounds(h *simpleGraph, before []int32, known []int64, partners, piece, sizes []int32) []int64 {
	upper := make([]int64, h.n)
	far := slices.Max(before)
	// Counting sort by distance from X.
	start := make([]int32, far+2)
	for _, b := range before {
		start[b+1]++
	}
	for d := 1; d < len(start); d++ {
		start[d] += start[d-1]
	}
	order := make([]int32, h.n)
	for u, b := range before {
		order[start[b]] = int32(u)
		start[b]++
	}
	for _, u := range order {
		switch {
		case known[u] >= 0:
			upper[u] = known[u]
			continue
		case before[u] < 2 || partners[u] == 0:
			continue
		}
		least := int64(sizes[piece[u]]) - 1
		for _, w := range h.neighbours(u) {
			if before[w] == before[u]-1 {
				least = min(least, upper[w])
			}
		}
		upper[u] = least
	}
	return upper
}

// drawWeighted draws k of items independently with probability
// weight[u]/total (total = Σ weight over items), with a PCG seeded with
// seed: O(len(items) + k·log len(items)).
func drawWeighted(items []int32, weight []int64, total int64, k int, seed uint64) []int32 {
	cum := make([]int64, len(items)) // cum[i] = Σ weight of items[:i+1]
	var sum int64
	for i, u := range items {
		sum += weight[u]
		cum[i] = sum
	}
	rng := rand.New(rand.NewPCG(seed, whatIfStream))
	draws := make([]int32, k)
	for i := range draws {
		r := rng.Int64N(total)
		at, _ := slices.BinarySearch(cum, r+1) // the first cum ≥ r + 1
		draws[i] = items[at]
	}
	return draws
}

// empiricalBernstein is the mean of k ≥ 2 independent draws ys of a value
// in [0, 1], and the half-width of its confidence interval at level
// 1 − delta (Maurer and Pontil 2009, Theorem 4, each side at delta/2):
// √(2·V·ln(4/δ)/k) + 7·ln(4/δ)/(3(k − 1)), V the sample variance.
func empiricalBernstein(ys []float64, delta float64) (mean, half float64) {
	k := float64(len(ys))
	for _, y := range ys {
		mean += y
	}
	mean /= k
	var v float64
	for _, y := range ys {
		v += (y - mean) * (y - mean)
	}
	v /= k - 1
	l := math.Log(4 / delta)
	return mean, math.Sqrt(2*v*l/k) + 7*l/(3*(k-1))
}

// uniformLonger estimates the count from k sources drawn uniformly without
// replacement from the c entities of h (sampleSources), k the multiple of
// 64 that budget buys (at least 64): Σ_u L(u) ≈ (c/k)·Σ_i L(u_i), L(u) in
// [0, s_max − 1], within c times estimateMean's bound. The fallback of
// estimateLonger when searching from every neighbour of X costs more than
// the budget; its bound is wide, its range term (s_max − 1)/k.
func uniformLonger(j *job, h *simpleGraph, before, piece, sizes []int32, first int, budget int64, seed uint64) longerEstimate {
	c := h.n
	work := pairWork(h, piece, sizes)
	k := int(min(int64(c), budget*int64(c)/work)) / 64 * 64
	k = min(c, max(64, k))
	sources := sampleSources(c, k, seed)
	per := make([]int64, k)
	_, top := longerPairs(j, h, before, sources, first, per, nil)
	var largest int32
	for _, sz := range sizes {
		largest = max(largest, sz)
	}
	mean, bound := estimateMean(per, c, float64(largest-1), WhatIfDelta)
	if k == c {
		bound = 0
	}
	return longerEstimate{longer: float64(c) * mean, bound: float64(c) * bound, exact: k == c, searched: k, top: top}
}
