package graph

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"unsafe"

	"github.com/coopgraph/coopgraph"
)

// Score is the centrality of one entity.
type Score struct {
	ID    string
	Score float64
}

// CentralityOptions restricts a centrality query.
type CentralityOptions struct {
	// RelationTypes keeps only relations of these types; empty keeps all.
	// Entities left without relations stay in the graph: they count in n.
	RelationTypes []string
	// Kinds keeps only entities of these kinds in the ranking; empty keeps
	// all. Scores are computed on the whole graph all the same (a
	// project's betweenness counts the paths between organisations), so
	// filtering changes which scores are returned, never their values.
	Kinds []string
	// Members, when not nil, keeps only the entities of a filter (see
	// Snapshot.Filter) in the ranking, as Kinds does: the scores are still
	// those of the whole network (or of RelationTypes' network), so a
	// filtered ranking is the whole ranking with the others left out.
	Members *Members
	// Samples, when positive, estimates BETWEENNESS from that many source
	// nodes drawn without replacement (nx.betweenness_centrality(G,
	// k=Samples)): O(Samples·m) instead of O(n·m). It must not exceed the
	// number of nodes, and applies to BETWEENNESS only.
	Samples int
	// Seed seeds the draw of the Samples sources (PCG): the same seed gives
	// the same sources and scores. Ignored without Samples.
	Seed uint64
	// Tolerance, when positive, computes PAGERANK to a certified
	// accuracy instead of with networkx's stopping rule: the L1 distance
	// between the scores and the exact PageRank vector is at most
	// Tolerance (see pageRankSolve; conjugate gradients, O(n + m) per
	// iteration, ~40 iterations for 1e-10). It must lie in
	// [MinPageRankTolerance, MaxPageRankTolerance] and applies to PAGERANK
	// only. Zero keeps networkx's power iteration, whose scores equal
	// nx.pagerank's bit for bit but lie up to ~n·1e-6·α/(1-α) (L1) from
	// the fixed point.
	Tolerance float64
	// Epsilon, when positive, estimates the measure within Epsilon of
	// every node's exact score (in the units of the scores), all nodes at
	// once, with probability at least 1 - Delta, drawing with Seed:
	// BETWEENNESS from random shortest paths, stopping adaptively (see
	// betweennessKadabra; KADABRA, Borassi and Natale 2016), CLOSENESS and HARMONIC from
	// random BFS sources (see closenessApprox, harmonicApprox; Eppstein
	// and Wang 2004). Epsilon must lie in the measure's [MinEpsilon,
	// MaxEpsilon] (see MeasureInfo) and applies to those measures only.
	Epsilon float64
	// Delta is the probability that the Epsilon bound fails, in
	// [MinBetweennessDelta, MaxBetweennessDelta]; zero takes
	// DefaultBetweennessDelta. Ignored without Epsilon.
	Delta float64
	// anytime asks for the approximation CentralityAnytime answers with
	// (the measure's own fixed work, whatever bound it gives, at Delta).
	anytime bool
	// Projection, when set, computes the measure on the one-mode
	// projection it describes (see Projection; nx.bipartite.projected_graph,
	// unweighted) instead of the network: only the projected entities are
	// ranked, and n is their number. Its own RelationTypes select the
	// relations; CentralityOptions.RelationTypes must then be empty.
	Projection *Projection
}

// Centrality computes measure m for every entity, on the simple undirected
// graph networkx builds from the kept relations:
//
//	G = nx.Graph(); G.add_nodes_from(entities); G.add_edges_from(relations)
//
// so direction is ignored, parallel relations are one edge, a self-loop
// makes the node its own neighbour, and isolated entities stay (they count
// in n). With opt.Projection the graph is instead the projection's, with
// the projected entities as its nodes. See each Measure for its formula and
// cost. An empty graph gives no scores and no error. Computations use
// GOMAXPROCS cores, or what ctx's Limiter admits (see WithLimiter), and
// give the same bits on any number of them.
//
// Scores are sorted by score descending, then by entity id ascending. Two
// scores within a relative 2^-40 (~1e-12) of each other count as a tie:
// floating-point sums give nodes that are symmetric in the graph values a
// few ulps apart (networkx does the same), and ranking those by rounding
// noise rather than by id would look arbitrary. opt.Kinds then keeps the
// scores of entities of those kinds, in that order.
//
// Results are kept per measure, relation types, sample and projection (a
// bounded number), as the snapshot never changes, and requests asking for
// the same one at once share one computation, which stops when none of
// them waits any more (see computations); the caller owns the returned
// slice. When ctx ends first the error is ctx's cause.
//
// An unknown measure, relation type or kind is an EINVALID error naming
// it, and so are a negative Samples, Samples with another measure than
// BETWEENNESS, Samples beyond the number of nodes, RelationTypes given
// with a Projection, and an iterative measure that does not converge (see
// pageRank). A projection fails as Snapshot.Project does
// (EINVALID, or ELIMIT beyond MaxProjectionPairs).
func (s *Snapshot) Centrality(ctx context.Context, m Measure, opt CentralityOptions) ([]Score, error) {
	page, _, err := s.CentralityPage(ctx, m, opt, 0, -1)
	return page, err
}

// CentralityPage is the part of Centrality's answer from place offset (0
// is the first), at most first scores (all when first < 0), and the number
// of scores in the whole answer. Only the page is copied: the ranking of a
// whole programme holds ~70,000 scores, and a request asks for a few.
// O(page) once the measure is cached, O(n) with Kinds.
func (s *Snapshot) CentralityPage(ctx context.Context, m Measure, opt CentralityOptions, offset, first int) ([]Score, int, error) {
	page, total, _, err := s.centralityPage(ctx, m, opt, offset, first)
	return page, total, err
}

// centralityPage is CentralityPage, with the bound of the ranking's
// approximation (0 when it is none).
func (s *Snapshot) centralityPage(ctx context.Context, m Measure, opt CentralityOptions, offset, first int) ([]Score, int, float64, error) {
	r, kinds, err := s.ranking(ctx, m, opt)
	if err != nil {
		return nil, 0, 0, err
	}
	offset = max(offset, 0)
	inPage := func(i int) bool { return i >= offset && (first < 0 || i < offset+first) }
	if kinds == nil && opt.Members == nil {
		lo, hi := min(offset, len(r.scores)), len(r.scores)
		if first >= 0 {
			hi = min(hi, lo+first)
		}
		return slices.Clone(r.scores[lo:hi]), len(r.scores), r.epsilon, nil
	}
	out, total := []Score{}, 0
	for i, sc := range r.scores {
		if (kinds == nil || kinds[s.kindOf[r.nodes[i]]]) && opt.Members.has(r.nodes[i]) {
			if inPage(total) {
				out = append(out, sc)
			}
			total++
		}
	}
	return out, total, r.epsilon, nil
}

// ranking returns the cached ranking Centrality answers from (shared: the
// caller must not modify it) and the kinds opt keeps, by index in s.kinds
// (nil: all).
func (s *Snapshot) ranking(ctx context.Context, m Measure, opt CentralityOptions) (*ranking, []bool, error) {
	info, ok := LookupMeasure(m)
	if !ok {
		return nil, nil, unknownMeasure(string(m))
	}
	f := info.compute
	if err := checkOptions(info, opt); err != nil {
		return nil, nil, err
	}
	var kinds []bool
	for _, k := range opt.Kinds {
		if !coopgraph.IsKind(k) {
			return nil, nil, coopgraph.Errorf(coopgraph.EINVALID, "unknown kind %q in %s", k, coopgraph.Option("kinds"))
		}
		if kinds == nil {
			kinds = make([]bool, len(s.kinds))
		}
		if i, ok := slices.BinarySearch(s.kinds, k); ok { // a kind no entity has keeps nothing
			kinds[i] = true
		}
	}
	keep, err := s.typeFilter(opt.RelationTypes)
	if err != nil {
		return nil, nil, err
	}

	if opt.Epsilon != 0 && opt.Delta == 0 {
		opt.Delta = DefaultBetweennessDelta
	}
	key := centralityKey(m, opt)
	if opt.Tolerance != 0 {
		f = func(g *simpleGraph) ([]float64, error) { return info.certified(g, opt.Tolerance) }
	}
	var bound float64 // of the approximation, set by f
	if opt.Epsilon != 0 || opt.anytime {
		exact := f
		f = func(g *simpleGraph) ([]float64, error) {
			if opt.anytime && g.n < AnytimeMinNodes {
				// A small graph to rank (a projection, other relation
				// types): the exact ranking takes less than the estimate.
				bound = exactAnyway
				return exact(g)
			}
			var x []float64
			x, bound = info.approximate(g, opt.Epsilon, opt.Delta, opt.Seed)
			return x, nil
		}
	}
	r, err := shared(ctx, &s.computed, key, func(j *job) (*ranking, int, error) {
		var g *simpleGraph
		var nodes []int32 // projected node -> snapshot node
		if opt.Projection == nil {
			g = s.simple(j, keep)
		} else {
			var err error
			if g, nodes, err = s.projected(j, opt.Projection); err != nil {
				return nil, 0, err
			}
		}
		if opt.Samples > 0 {
			if opt.Samples > g.n {
				return nil, 0, coopgraph.Errorf(coopgraph.EINVALID,
					"samples (%d) exceeds the number of nodes (%d)", opt.Samples, g.n)
			}
			f = infallible(func(g *simpleGraph) []float64 {
				return info.sampled(g, sampleSources(g.n, opt.Samples, opt.Seed))
			})
		}
		x, err := f(g)
		if err != nil || j.stopped() {
			return nil, 0, err
		}
		r := s.ranked(x, nodes)
		r.epsilon = bound
		return r, len(r.scores) * int(unsafe.Sizeof(Score{})+4), nil
	})
	if err != nil {
		return nil, nil, err
	}
	return r, kinds, nil
}

// checkOptions refuses options the measure does not take, and values out
// of their range (EINVALID).
func checkOptions(info MeasureInfo, opt CentralityOptions) error {
	switch {
	case opt.Samples < 0:
		return coopgraph.Errorf(coopgraph.EINVALID, "%s must not be negative, got %d", coopgraph.Option("samples"), opt.Samples)
	case opt.Samples > 0 && info.sampled == nil:
		return coopgraph.Errorf(coopgraph.EINVALID, "%s applies to %s only, not to %s", coopgraph.Option("samples"), measuresTaking(OptionSamples), info.Name)
	case opt.Tolerance != 0 && info.certified == nil:
		return coopgraph.Errorf(coopgraph.EINVALID, "%s applies to %s only, not to %s", coopgraph.Option("tolerance"), measuresTaking(OptionTolerance), info.Name)
	case opt.Tolerance != 0 && !(opt.Tolerance >= MinPageRankTolerance && opt.Tolerance <= MaxPageRankTolerance):
		return coopgraph.Errorf(coopgraph.EINVALID, "%s must lie between %g and %g, got %g",
			coopgraph.Option("tolerance"), MinPageRankTolerance, MaxPageRankTolerance, opt.Tolerance)
	case opt.Epsilon != 0 && info.approximate == nil:
		return coopgraph.Errorf(coopgraph.EINVALID, "%s applies to %s only, not to %s", coopgraph.Option("epsilon"), measuresTaking(OptionEpsilon), info.Name)
	case opt.Epsilon != 0 && opt.Samples > 0:
		return coopgraph.Errorf(coopgraph.EINVALID, "%s and %s are two ways to estimate: give one", coopgraph.Option("epsilon"), coopgraph.Option("samples"))
	case opt.Epsilon != 0 && info.MaxEpsilon == math.MaxFloat64 && !(opt.Epsilon >= info.MinEpsilon):
		return coopgraph.Errorf(coopgraph.EINVALID, "%s of %s must be at least %g (in the units of its scores), got %g",
			coopgraph.Option("epsilon"), info.Name, info.MinEpsilon, opt.Epsilon)
	case opt.Epsilon != 0 && !(opt.Epsilon >= info.MinEpsilon && opt.Epsilon <= info.MaxEpsilon):
		return coopgraph.Errorf(coopgraph.EINVALID, "%s must lie between %g and %g, got %g",
			coopgraph.Option("epsilon"), info.MinEpsilon, info.MaxEpsilon, opt.Epsilon)
	case opt.Epsilon != 0 && !(opt.Delta == 0 || opt.Delta >= MinBetweennessDelta && opt.Delta <= MaxBetweennessDelta):
		return coopgraph.Errorf(coopgraph.EINVALID, "%s must lie between %g and %g, got %g",
			coopgraph.Option("delta"), MinBetweennessDelta, MaxBetweennessDelta, opt.Delta)
	case opt.Projection != nil && len(opt.RelationTypes) > 0:
		return coopgraph.Errorf(coopgraph.EINVALID,
			"%s cannot be combined with a projection: give them as the projection's relationTypes", coopgraph.Option("relationTypes"))
	}
	return nil
}

// centralityKey is the key of the computations cache under which the
// ranking of m with opt is kept.
func centralityKey(m Measure, opt CentralityOptions) string {
	key := "centrality|" + string(m) + "|" + sortedKey(opt.RelationTypes)
	if opt.Samples > 0 {
		key += fmt.Sprintf("|samples=%d,seed=%d", opt.Samples, opt.Seed)
	}
	if opt.Tolerance != 0 {
		key += fmt.Sprintf("|tolerance=%g", opt.Tolerance)
	}
	if opt.Epsilon != 0 {
		key += fmt.Sprintf("|epsilon=%g,delta=%g,seed=%d", opt.Epsilon, opt.Delta, opt.Seed)
	}
	if opt.anytime {
		key += fmt.Sprintf("|anytime,delta=%g,seed=%d", opt.Delta, opt.Seed)
	}
	if p := opt.Projection; p != nil {
		key += "|projection=" + sortedKey(p.Kinds) + "/" + sortedKey(p.Via) + "/" + sortedKey(p.RelationTypes)
		if p.RegionLevel != nil {
			key += fmt.Sprintf("/regions=%d", *p.RegionLevel)
		}
	}
	return key
}

// sortedKey is a cache key part for a set of names: sorted, deduplicated.
func sortedKey(names []string) string {
	names = slices.Clone(names)
	slices.Sort(names)
	return strings.Join(slices.Compact(names), ",")
}

func infallible(f func(*simpleGraph) []float64) func(*simpleGraph) ([]float64, error) {
	return func(g *simpleGraph) ([]float64, error) { return f(g), nil }
}

// ranking is a measure's scores sorted as Centrality answers them, and
// the snapshot node of each (for the Kinds filter).
type ranking struct {
	scores []Score
	nodes  []int32
	// epsilon bounds an approximation's error (see Certainty); 0 for
	// the others, exactAnyway for an anytime ranking computed exactly.
	epsilon float64
}

// exactAnyway is the epsilon of a ranking CentralityAnytime asked for
// that was computed exactly, its graph being smaller than AnytimeMinNodes.
const exactAnyway = -1.0

// ranked pairs scores with ids and sorts them (see Centrality). x[i] is the
// score of node nodes[i], or of node i when nodes is nil; nodes ascend, so
// ids ascend with i, and a stable sort on the score alone leaves ties in
// id order. The sort is a radix sort of the tie-rounded scores: O(n), where
// a comparison sort of a whole programme's 70k scores took ~20 ms.
func (s *Snapshot) ranked(x []float64, nodes []int32) *ranking {
	keys := make([]uint64, len(x))
	for i, v := range x {
		keys[i] = descendingKey(tieKey(v))
	}
	out := &ranking{scores: make([]Score, len(x)), nodes: make([]int32, len(x))}
	for r, i := range radixOrder(keys) {
		u := i
		if nodes != nil {
			u = nodes[i]
		}
		out.scores[r] = Score{ID: s.ids[u], Score: x[i]}
		out.nodes[r] = u
	}
	return out
}

// descendingKey maps a float64 to a uint64 that orders the other way round:
// larger floats get smaller keys (NaN last).
func descendingKey(f float64) uint64 {
	if math.IsNaN(f) {
		return math.MaxUint64
	}
	u := math.Float64bits(f)
	if u>>63 == 1 { // negative: flipping every bit orders them
		u = ^u
	} else {
		u |= 1 << 63
	}
	return ^u
}

// radixOrder returns the indexes of keys in ascending key order, equal keys
// in index order: a least-significant-digit radix sort, 11 bits a pass,
// skipping the passes where every key has the same digit. The low
// tieBits bits are not sorted on: in a key descendingKey(tieKey(x)) they
// are all the complement of the top bit, so they never order two keys the
// higher bits leave equal.
func radixOrder(keys []uint64) []int32 {
	n := len(keys)
	idx, tmp := make([]int32, n), make([]int32, n)
	for i := range idx {
		idx[i] = int32(i)
	}
	const bits = 11
	var count [1 << bits]int
	for shift := tieBits; shift < 64; shift += bits {
		clear(count[:])
		for _, k := range keys {
			count[(k>>shift)&(1<<bits-1)]++
		}
		if n == 0 || count[(keys[0]>>shift)&(1<<bits-1)] == n {
			continue // one digit for all: the pass would not move anything
		}
		sum := 0
		for d, c := range count {
			count[d] = sum
			sum += c
		}
		for _, i := range idx {
			d := (keys[i] >> shift) & (1<<bits - 1)
			tmp[count[d]] = i
			count[d]++
		}
		idx, tmp = tmp, idx
	}
	return idx
}

// tieBits is the number of the 52 stored mantissa bits tieKey drops.
const tieBits = 12

// tieKey rounds x to 40 significant bits. It is monotone, so ordering by it
// never inverts two scores that differ by more than the rounding.
func tieKey(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) || x == 0 {
		return x
	}
	bits := math.Float64bits(math.Abs(x))
	bits = (bits + 1<<(tieBits-1)) &^ (1<<tieBits - 1)
	return math.Copysign(math.Float64frombits(bits), x)
}
