package coopgraph

import (
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
)

// Search ranks, best first. Both stores rank with SearchRank so that they
// return the same entities in the same order.
const (
	RankExactName = iota
	RankExactAlias
	RankPrefixName
	RankPrefixAlias
	RankWordsName
	RankWordsAlias
	RankWords // the words are spread over the name and several aliases
)

// SearchText is the folded word list of an entity's name and aliases: the
// text a full-text index holds for it. Query words match it by prefix.
func SearchText(e Entity) string {
	words := Tokens(e.Name)
	for _, a := range e.Aliases {
		words = append(words, Tokens(a)...)
	}
	return strings.Join(words, " ")
}

// SearchNames is the folded words of e's name, then of each alias, each
// joined by single spaces: a store can find the entities a query ranks
// RankPrefixAlias or better without ranking the others, as those whose
// search name starts with the query's words joined the same way (see
// RankTokens: the name or an alias equals the query, or starts with it).
func SearchNames(e Entity) []string {
	names := make([]string, 0, 1+len(e.Aliases))
	for _, t := range NameTokens(e) {
		names = append(names, strings.Join(t, " "))
	}
	return names
}

// SearchOrderKey is a string that orders entities as SearchOrder does, by
// plain string comparison: the folded name's length (8 hex digits), the
// folded name's bytes in hex, a dot, the id's bytes in hex. Being ASCII,
// it compares the same by bytes and by UTF-16 units, so a store can sort
// by it (Neo4j compares strings by UTF-16 units; folded names are not
// always ASCII).
func SearchOrderKey(e Entity) string {
	f := Fold(e.Name)
	return fmt.Sprintf("%08x", len(f)) + hex.EncodeToString([]byte(f)) + "." + hex.EncodeToString([]byte(e.ID))
}

// SearchRank tells whether e matches the query words q (from Tokens) and how
// well. An entity matches when every query word is a prefix of some word of
// its name or aliases; then, best first: the whole query equals the name, or
// an alias; the name, or an alias, starts with the query; all the words are
// in the name, or in one alias; the words are spread over several names.
func SearchRank(e Entity, q []string) (rank int, ok bool) {
	return RankTokens(NameTokens(e), q)
}

// NameTokens is the Tokens of e's name, then of each alias: what RankTokens
// ranks, for a store that prepares it once per entity.
func NameTokens(e Entity) [][]string {
	tokens := make([][]string, 1+len(e.Aliases))
	tokens[0] = Tokens(e.Name)
	for i, a := range e.Aliases {
		tokens[1+i] = Tokens(a)
	}
	return tokens
}

// RankTokens is SearchRank on an entity's NameTokens.
func RankTokens(tokens [][]string, q []string) (rank int, ok bool) {
	if len(q) == 0 {
		return 0, false
	}
	for _, w := range q { // every query word starts a word of some name
		found := false
		for _, t := range tokens {
			if wordsMatch(t, []string{w}) {
				found = true
				break
			}
		}
		if !found {
			return 0, false
		}
	}
	best := RankWords
	for i, t := range tokens {
		alias := 0
		if i > 0 {
			alias = 1
		}
		switch {
		case equalWords(t, q):
			best = min(best, RankExactName+alias)
		case prefixWords(t, q):
			best = min(best, RankPrefixName+alias)
		case wordsMatch(t, q):
			best = min(best, RankWordsName+alias)
		}
	}
	return best, true
}

// wordsMatch: every query word is a prefix of some word of t.
func wordsMatch(t, q []string) bool {
	for _, w := range q {
		found := false
		for _, x := range t {
			if strings.HasPrefix(x, w) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func equalWords(t, q []string) bool {
	if len(t) != len(q) {
		return false
	}
	for i := range t {
		if t[i] != q[i] {
			return false
		}
	}
	return true
}

// prefixWords: t starts with the query, its last word typed in part.
func prefixWords(t, q []string) bool {
	if len(q) > len(t) {
		return false
	}
	for i, w := range q {
		if i == len(q)-1 {
			return strings.HasPrefix(t[i], w)
		}
		if t[i] != w {
			return false
		}
	}
	return true
}

// RankSearch orders matching entities best first: by rank, then by name
// length (the closest name first), folded name and id (see SearchOrder),
// and keeps at most first. Entities that do not match q are dropped.
func RankSearch(candidates []Entity, q []string, kinds []string, first int) []Entity {
	keep := map[string]bool{}
	for _, k := range kinds {
		keep[k] = true
	}
	type hit struct {
		e    Entity
		rank int
		name string
	}
	var hits []hit
	for _, e := range candidates {
		if len(keep) > 0 && !keep[e.Kind] {
			continue
		}
		if r, ok := SearchRank(e, q); ok {
			hits = append(hits, hit{e, r, Fold(e.Name)})
		}
	}
	sort.Slice(hits, func(i, j int) bool {
		a, b := hits[i], hits[j]
		if a.rank != b.rank {
			return a.rank < b.rank
		}
		return SearchOrder(a.name, a.e.ID, b.name, b.e.ID) < 0
	})
	if first >= 0 && len(hits) > first {
		hits = hits[:first]
	}
	out := make([]Entity, len(hits))
	for i, h := range hits {
		out[i] = h.e
	}
	return out
}

// SearchOrder orders two entities of the same rank by their folded names
// (Fold(e.Name)) and ids: the shorter name first, then the folded names,
// then the ids. It returns -1, 0 or 1.
func SearchOrder(nameA, idA, nameB, idB string) int {
	switch {
	case len(nameA) != len(nameB):
		return cmpInt(len(nameA), len(nameB))
	case nameA != nameB:
		return strings.Compare(nameA, nameB)
	}
	return strings.Compare(idA, idB)
}

func cmpInt(a, b int) int {
	if a < b {
		return -1
	}
	if a > b {
		return 1
	}
	return 0
}

// MaxSearchText bounds the length of a search text, so that one request
// cannot make every store compare megabytes.
const MaxSearchText = 200

// SearchQuery turns the user's text into query words, or an error when there
// is nothing to search for, the text is too long (ELIMIT) or a kind is not in
// the vocabulary.
func SearchQuery(text string, kinds []string) ([]string, error) {
	if len(text) > MaxSearchText {
		return nil, Errorf(ELIMIT, "search text is %d bytes long; the limit is %d", len(text), MaxSearchText)
	}
	q := Tokens(text)
	if len(q) == 0 {
		return nil, Errorf(EINVALID, "search text %q has no letters or digits to search for", text)
	}
	return q, CheckKinds(kinds)
}
