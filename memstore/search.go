package memstore

import (
	"container/heap"
	"slices"
	"sort"
	"strings"

	"github.com/coopgraph/coopgraph"
)

// searchIndex answers Search on a whole programme without scanning it: a
// scan folded and ranked every entity whose words matched, ~1 s for a
// three-letter prefix on CORDIS (30,000 "H2020 project …" names).
//
// Entities are numbered in search order — coopgraph.SearchOrder of their
// folded names and ids, the tie-break of the ranking — and every distinct
// word of every name and alias lists, in that order, the entities that have
// it. A query then walks the entities of its rarest word's prefix range in
// search order, ranks each with coopgraph.RankTokens on words prepared
// once, and stops as soon as the best first hits are certain: the exact
// matches (rank 0 and 1) come from a map beforehand, so once first hits of
// rank 2 or better are held no later entity can beat them.
type searchIndex struct {
	entity []int32      // search position -> entity index
	tokens [][][]string // search position -> coopgraph.NameTokens
	kind   []string     // search position -> kind
	words  []string     // distinct words, sorted
	posts  [][]int32    // per word: search positions, ascending
	cum    []int        // cum[i] = Σ len(posts[:i]), to size a prefix range in O(1)
	exact  map[string][]int32
}

func newSearchIndex(es []coopgraph.Entity) *searchIndex {
	n := len(es)
	folded := make([]string, n)
	order := make([]int32, n)
	for i, e := range es {
		folded[i] = coopgraph.Fold(e.Name)
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int {
		return coopgraph.SearchOrder(folded[a], es[a].ID, folded[b], es[b].ID)
	})
	ix := &searchIndex{entity: order, tokens: make([][][]string, n), kind: make([]string, n), exact: map[string][]int32{}}
	byWord := map[string][]int32{}
	for p, i := range order {
		e := es[i]
		t := coopgraph.NameTokens(e)
		ix.tokens[p], ix.kind[p] = t, e.Kind
		for _, name := range t {
			key := strings.Join(name, " ")
			if l := ix.exact[key]; len(l) == 0 || l[len(l)-1] != int32(p) {
				ix.exact[key] = append(l, int32(p))
			}
			for _, w := range name {
				if l := byWord[w]; len(l) == 0 || l[len(l)-1] != int32(p) {
					byWord[w] = append(l, int32(p))
				}
			}
		}
	}
	for w := range byWord {
		ix.words = append(ix.words, w)
	}
	sort.Strings(ix.words)
	ix.posts = make([][]int32, len(ix.words))
	ix.cum = make([]int, len(ix.words)+1)
	for i, w := range ix.words {
		ix.posts[i] = byWord[w]
		ix.cum[i+1] = ix.cum[i] + len(byWord[w])
	}
	return ix
}

// prefixRange returns the words starting with w: ix.words[lo:hi].
func (ix *searchIndex) prefixRange(w string) (lo, hi int) {
	lo = sort.SearchStrings(ix.words, w)
	hi = lo + sort.Search(len(ix.words)-lo, func(i int) bool { return !strings.HasPrefix(ix.words[lo+i], w) })
	return lo, hi
}

// hit is a matching entity: its rank and search position, which together
// order the answer.
type hit struct{ rank, pos int32 }

func (a hit) less(b hit) bool { return a.rank < b.rank || a.rank == b.rank && a.pos < b.pos }

// worst is a max-heap of the best hits so far.
type worst []hit

func (h worst) Len() int           { return len(h) }
func (h worst) Less(i, j int) bool { return h[j].less(h[i]) }
func (h worst) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *worst) Push(x any)        { *h = append(*h, x.(hit)) }
func (h *worst) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// search returns the search positions of the best first matches of q
// (first < 0: all), best first, as coopgraph.RankSearch orders them.
func (ix *searchIndex) search(q []string, kinds []string, first int) []int32 {
	keep := coopgraph.StringSet(kinds)
	var best worst
	seen := map[int32]bool{}
	consider := func(p int32) {
		if keep != nil && !keep[ix.kind[p]] {
			return
		}
		r, ok := coopgraph.RankTokens(ix.tokens[p], q)
		if !ok {
			return
		}
		h := hit{int32(r), p}
		if first < 0 || best.Len() < first {
			heap.Push(&best, h)
		} else if first > 0 && h.less(best[0]) {
			best[0] = h
			heap.Fix(&best, 0)
		}
	}
	// Exact names and aliases first: the only hits that can rank 0 or 1.
	for _, p := range ix.exact[strings.Join(q, " ")] {
		seen[p] = true
		consider(p)
	}
	// The rarest query word bounds the candidates.
	lo, hi := 0, 0
	for i, w := range q {
		l, h := ix.prefixRange(w)
		if i == 0 || ix.cum[h]-ix.cum[l] < ix.cum[hi]-ix.cum[lo] {
			lo, hi = l, h
		}
	}
	// Walk the range's posting lists merged in search order.
	m := &merge{}
	for i := lo; i < hi; i++ {
		if len(ix.posts[i]) > 0 {
			m.lists = append(m.lists, ix.posts[i])
		}
	}
	heap.Init(m)
	last := int32(-1)
	for m.Len() > 0 {
		if first >= 0 && best.Len() >= first && (first == 0 || best[0].rank <= coopgraph.RankPrefixName) {
			break // every later entity ranks 2 or worse and comes later in search order
		}
		p := m.lists[0][0]
		if m.lists[0] = m.lists[0][1:]; len(m.lists[0]) == 0 {
			heap.Pop(m)
		} else {
			heap.Fix(m, 0)
		}
		if p == last || seen[p] {
			continue
		}
		last = p
		consider(p)
	}
	out := make([]hit, len(best))
	copy(out, best)
	slices.SortFunc(out, func(a, b hit) int {
		if a.less(b) {
			return -1
		}
		return 1
	})
	pos := make([]int32, len(out))
	for i, h := range out {
		pos[i] = h.pos
	}
	return pos
}

// merge is a min-heap of posting lists by their first search position.
type merge struct{ lists [][]int32 }

func (m *merge) Len() int           { return len(m.lists) }
func (m *merge) Less(i, j int) bool { return m.lists[i][0] < m.lists[j][0] }
func (m *merge) Swap(i, j int)      { m.lists[i], m.lists[j] = m.lists[j], m.lists[i] }
func (m *merge) Push(x any)         { m.lists = append(m.lists, x.([]int32)) }
func (m *merge) Pop() any {
	x := m.lists[len(m.lists)-1]
	m.lists = m.lists[:len(m.lists)-1]
	return x
}
