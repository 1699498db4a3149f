package graph

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/coopgraph/coopgraph"
)

// Measure names a centrality measure.
type Measure string

// The measures, each equal to networkx's function with default arguments.
const (
	Degree      Measure = "DEGREE"      // nx.degree_centrality
	Betweenness Measure = "BETWEENNESS" // nx.betweenness_centrality
	Closeness   Measure = "CLOSENESS"   // nx.closeness_centrality
	PageRank    Measure = "PAGERANK"    // nx.pagerank
	Eigenvector Measure = "EIGENVECTOR" // nx.eigenvector_centrality
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
}

// Centrality computes measure m for every entity, on the simple undirected
// graph networkx builds from the kept relations:
//
//	G = nx.Graph(); G.add_nodes_from(entities); G.add_edges_from(relations)
//
// so direction is ignored, parallel relations are one edge, a self-loop
// makes the node its own neighbour, and isolated entities stay (they count
// in n). See each measure's function for its formula and for what it does
// with self-loops. An empty snapshot gives no scores and no error.
//
// Scores are sorted by score descending, then by entity id ascending. Two
// scores within a relative 2^-40 (~1e-12) of each other count as a tie:
// floating-point sums give nodes that are symmetric in the graph values a
// few ulps apart (networkx does the same), and ranking those by rounding
// noise rather than by id would look arbitrary.
//
// Results are cached per measure and relation types (a bounded number), as
// the snapshot never changes; the caller owns the returned slice.
//
// An unknown measure or relation type is an EINVALID error, and so is an
// iterative measure that does not converge (see pageRank, eigenvector).
func (s *Snapshot) Centrality(m Measure, opt CentralityOptions) ([]Score, error) {
	var f func(*simpleGraph) ([]float64, error)
	switch m {
	case Degree:
		f = infallible(degreeCentrality)
	case Betweenness:
		f = infallible(betweenness)
	case Closeness:
		f = infallible(closeness)
	case PageRank:
		f = pageRank
	case Eigenvector:
		f = eigenvector
	default:
		return nil, coopgraph.Errorf(coopgraph.EINVALID, "unknown centrality measure %q", m)
	}
	keep, err := s.typeFilter(opt.RelationTypes)
	if err != nil {
		return nil, err
	}
	types := slices.Clone(opt.RelationTypes)
	slices.Sort(types)
	key := string(m) + "|" + strings.Join(slices.Compact(types), "|")
	scores, err := s.cache.get(key, func() ([]Score, error) {
		x, err := f(s.simple(keep))
		if err != nil {
			return nil, err
		}
		return s.ranked(x), nil
	})
	return slices.Clone(scores), err
}

func infallible(f func(*simpleGraph) []float64) func(*simpleGraph) ([]float64, error) {
	return func(g *simpleGraph) ([]float64, error) { return f(g), nil }
}

// ranked pairs scores with ids and sorts them (see Centrality).
func (s *Snapshot) ranked(x []float64) []Score {
	out := make([]Score, len(x))
	for i, v := range x {
		out[i] = Score{ID: s.ids[i], Score: v}
	}
	// Ids are distinct and already ascending, so a stable sort on the key
	// alone leaves ties in id order.
	slices.SortStableFunc(out, func(a, b Score) int { return cmp.Compare(tieKey(b.Score), tieKey(a.Score)) })
	return out
}

// tieKey rounds x to 40 significant bits. It is monotone, so ordering by it
// never inverts two scores that differ by more than the rounding.
func tieKey(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) || x == 0 {
		return x
	}
	const drop = 12 // of the 52 stored mantissa bits
	bits := math.Float64bits(math.Abs(x))
	bits = (bits + 1<<(drop-1)) &^ (1<<drop - 1)
	return math.Copysign(math.Float64frombits(bits), x)
}

// scoreCache memoises centrality results. Concurrent requests for the same
// key wait for one computation; beyond maxCached keys the oldest goes.
type scoreCache struct {
	mu    sync.Mutex
	items map[string]*cached
	order []string
}

type cached struct {
	done   chan struct{}
	scores []Score
	err    error
}

const maxCached = 64

func (c *scoreCache) get(key string, compute func() ([]Score, error)) ([]Score, error) {
	c.mu.Lock()
	if it, ok := c.items[key]; ok {
		c.mu.Unlock()
		<-it.done
		return it.scores, it.err
	}
	if c.items == nil {
		c.items = map[string]*cached{}
	}
	it := &cached{done: make(chan struct{})}
	c.items[key] = it
	c.order = append(c.order, key)
	if len(c.order) > maxCached {
		delete(c.items, c.order[0])
		c.order = c.order[1:]
	}
	c.mu.Unlock()

	finished := false
	defer func() {
		if !finished { // compute panicked: release the waiters, forget the key
			it.err = coopgraph.Errorf(coopgraph.EINTERNAL, "centrality computation failed")
			c.mu.Lock()
			if c.items[key] == it {
				delete(c.items, key)
			}
			c.mu.Unlock()
		}
		close(it.done)
	}()
	it.scores, it.err = compute()
	finished = true
	return it.scores, it.err
}
