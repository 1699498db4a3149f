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
// folded names and ids, the tie-break of the ranking — and posting lists
// give, in that order, the entities whose name (or an alias) has a word,
// or starts with it. Each rank of coopgraph.RankTokens has a list of
// candidates that every entity of that rank is on:
//
//	0, 1  the query is a name, an alias: the exact map
//	2, 3  the name, an alias starts with the query: its first word is the
//	      query's first (the query's prefix, for one word)
//	4, 5  the name, an alias has a word the rarest query word starts
//	6     the query's words spread over names: either of the two above
//
// A query walks the ranks in order and each rank's candidates in search
// order, keeps those RankTokens puts at that rank (on words prepared once),
// and stops at the first hits asked for: an answer of the first 10 reads
// about 10 candidates, where one walk over every entity with a word the
// query starts ranked thousands of them for a common prefix ("res", "uni").
type searchIndex struct {
	entity     []int32      // search position -> entity index
	tokens     [][][]string // search position -> coopgraph.NameTokens
	kind       []string     // search position -> kind
	nameFirst  postings     // first word of the name
	aliasFirst postings     // first word of an alias
	nameAny    postings     // any word of the name
	aliasAny   postings     // any word of an alias
	exact      map[string][]int32
}

// postings lists, per distinct word, search positions in ascending order.
type postings struct {
	words []string // sorted
	posts [][]int32
	cum   []int // cum[i] = Σ len(posts[:i]), to size a range in O(1)
}

func newPostings(byWord map[string][]int32) postings {
	ps := postings{words: make([]string, 0, len(byWord))}
	for w := range byWord {
		ps.words = append(ps.words, w)
	}
	sort.Strings(ps.words)
	ps.posts = make([][]int32, len(ps.words))
	ps.cum = make([]int, len(ps.words)+1)
	for i, w := range ps.words {
		ps.posts[i] = byWord[w]
		ps.cum[i+1] = ps.cum[i] + len(byWord[w])
	}
	return ps
}

// prefixRange returns the words starting with w: words[lo:hi].
func (ps *postings) prefixRange(w string) (lo, hi int) {
	lo = sort.SearchStrings(ps.words, w)
	hi = lo + sort.Search(len(ps.words)-lo, func(i int) bool { return !strings.HasPrefix(ps.words[lo+i], w) })
	return lo, hi
}

// wordRange returns w itself: words[lo:hi], empty when w is not a word.
func (ps *postings) wordRange(w string) (lo, hi int) {
	lo = sort.SearchStrings(ps.words, w)
	if lo < len(ps.words) && ps.words[lo] == w {
		return lo, lo + 1
	}
	return lo, lo
}

// size is the number of positions listed for words[lo:hi].
func (ps *postings) size(lo, hi int) int { return ps.cum[hi] - ps.cum[lo] }

// addLists appends the non-empty lists of words[lo:hi] to m.
func (ps *postings) addLists(m *merge, lo, hi int) {
	for _, l := range ps.posts[lo:hi] {
		if len(l) > 0 {
			m.lists = append(m.lists, l)
		}
	}
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
	nameFirst, aliasFirst, nameAny, aliasAny := map[string][]int32{}, map[string][]int32{}, map[string][]int32{}, map[string][]int32{}
	add := func(m map[string][]int32, w string, p int32) {
		if l := m[w]; len(l) == 0 || l[len(l)-1] != p {
			m[w] = append(l, p)
		}
	}
	for p, i := range order {
		e := es[i]
		t := coopgraph.NameTokens(e)
		ix.tokens[p], ix.kind[p] = t, e.Kind
		for j, name := range t {
			if len(name) == 0 {
				continue
			}
			key := strings.Join(name, " ")
			if l := ix.exact[key]; len(l) == 0 || l[len(l)-1] != int32(p) {
				ix.exact[key] = append(l, int32(p))
			}
			first, anyWord := nameFirst, nameAny
			if j > 0 {
				first, anyWord = aliasFirst, aliasAny
			}
			add(first, name[0], int32(p))
			for _, w := range name {
				add(anyWord, w, int32(p))
			}
		}
	}
	ix.nameFirst, ix.aliasFirst = newPostings(nameFirst), newPostings(aliasFirst)
	ix.nameAny, ix.aliasAny = newPostings(nameAny), newPostings(aliasAny)
	return ix
}

// search returns the search positions of the best first matches of q
// (first < 0: all), best first, as coopgraph.RankSearch orders them: rank
// by rank (see searchIndex), each rank's candidates in search order.
func (ix *searchIndex) search(q []string, kinds []string, first int) []int32 {
	keep := coopgraph.StringSet(kinds)
	out := []int32{}
	full := func() bool { return first >= 0 && len(out) >= first }
	// take keeps p when it ranks exactly rank: an entity of a better rank
	// was kept (or not) at its own, one of a worse rank comes at its own.
	take := func(p int32, rank int) {
		if keep != nil && !keep[ix.kind[p]] {
			return
		}
		if r, ok := coopgraph.RankTokens(ix.tokens[p], q); ok && r == rank {
			out = append(out, p)
		}
	}
	exact := ix.exact[strings.Join(q, " ")]
	for _, rank := range []int{coopgraph.RankExactName, coopgraph.RankExactAlias} {
		for _, p := range exact {
			if full() {
				return out
			}
			take(p, rank)
		}
	}
	// rarest picks the query word with the fewest positions in ps (over
	// the words it starts) and returns their range.
	rarest := func(ps *postings) (lo, hi int) {
		for i, w := range q {
			l, h := ps.prefixRange(w)
			if i == 0 || ps.size(l, h) < ps.size(lo, hi) {
				lo, hi = l, h
			}
		}
		return lo, hi
	}
	starts := func(ps *postings) (lo, hi int) {
		if len(q) == 1 {
			return ps.prefixRange(q[0])
		}
		return ps.wordRange(q[0]) // every word but the last is whole
	}
	for rank := coopgraph.RankPrefixName; rank <= coopgraph.RankWords; rank++ {
		m := &merge{}
		add := func(ps *postings, pick func(*postings) (int, int)) {
			lo, hi := pick(ps)
			ps.addLists(m, lo, hi)
		}
		switch rank {
		case coopgraph.RankPrefixName:
			add(&ix.nameFirst, starts)
		case coopgraph.RankPrefixAlias:
			add(&ix.aliasFirst, starts)
		case coopgraph.RankWordsName:
			add(&ix.nameAny, rarest)
		case coopgraph.RankWordsAlias:
			add(&ix.aliasAny, rarest)
		case coopgraph.RankWords:
			if len(q) == 1 { // one word is in one name: ranked 5 at worst
				continue
			}
			// The rarest word over names and aliases together.
			var best [4]int
			for i, w := range q {
				nl, nh := ix.nameAny.prefixRange(w)
				al, ah := ix.aliasAny.prefixRange(w)
				if i == 0 || ix.nameAny.size(nl, nh)+ix.aliasAny.size(al, ah) < ix.nameAny.size(best[0], best[1])+ix.aliasAny.size(best[2], best[3]) {
					best = [4]int{nl, nh, al, ah}
				}
			}
			ix.nameAny.addLists(m, best[0], best[1])
			ix.aliasAny.addLists(m, best[2], best[3])
		}
		heap.Init(m)
		last := int32(-1)
		for m.Len() > 0 && !full() {
			p := m.lists[0][0]
			if m.lists[0] = m.lists[0][1:]; len(m.lists[0]) == 0 {
				heap.Pop(m)
			} else {
				heap.Fix(m, 0)
			}
			if p != last {
				last = p
				take(p, rank)
			}
		}
		if full() {
			break
		}
	}
	return out
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
