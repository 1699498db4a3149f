package link

import (
	"cmp"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
)

// Thresholds of the name score (see score) above which two organisation
// records of one country are merged: near, when they are in the same town
// or NUTS 3 region; apart, when the sources do not place them together.
// Near misses are reported down to nearMissBand below them.
const (
	thresholdNear = 0.80
	thresholdFar  = 0.88
	// thresholdApart is the score that merges records the sources place
	// in different NUTS 2 regions and towns (seats of one body, or NUTS
	// versions): only near-identical names.
	thresholdApart = 0.97
	nearMissBand   = 0.15
	// blockCap is the most records a word may name and still be a
	// blocking key: "university" or "gmina" would pair thousands.
	blockCap = 150
	// blockWords is how many of a name's rarest words are its blocking
	// keys (Zingg's and dedupe's learned blocking, fixed here).
	blockWords = 3
	// conflictFactor scales the score of names that each have a word the
	// other lacks.
	conflictFactor = 0.85
	// unitFactor scales the score of names of which one names a unit
	// (department, faculty…) the other lacks: below every threshold.
	unitFactor = 0.75
	// tokenSimilarity is the Jaro–Winkler similarity from which two words
	// of four letters or more count as one (spelling variants: insitute,
	// zeekanal, malpolska).
	tokenSimilarity = 0.88
)

type candidate struct {
	a, b      int
	score     float64
	threshold float64
}

// resolveNames applies the two name rules to organisation records: the
// same normalised name in the same country, then similar names within
// blocks of records sharing a rare word.
func (n *network) resolveNames() {
	n.exactNames()
	n.similarNames(n.intern())
}

// vocabulary is the words of every organisation name, interned: names as
// word ids, each word's document frequency (records having it) and weight.
type vocabulary struct {
	words  []string
	df     []int32
	weight []float64
	names  [][][]int32 // per record, per name, its distinct word ids
	// soundex is each word's Soundex key's id, -1 for none.
	soundex []int32
	// lead, size and unit are each word's first byte, length (at most
	// 255) and whether it names a unit (unitWords): what score reads of
	// most word pairs, in small arrays rather than through the strings.
	lead []byte
	size []uint8
	unit []bool
}

// intern builds the vocabulary, with the Soundex key of every word
// ("#K250") counted as a word of its own for blocking.
func (n *network) intern() *vocabulary {
	v := &vocabulary{names: make([][][]int32, len(n.recs))}
	ids := make(map[string]int32, len(n.recs))
	var sound []int32 // per word, its Soundex key's id, -1 for none
	id := func(w string) int32 {
		x, ok := ids[w]
		if !ok {
			x = int32(len(v.words))
			ids[w] = x
			v.words = append(v.words, w)
			v.df = append(v.df, 0)
			sound = append(sound, -2) // not yet computed
		}
		return x
	}
	soundOf := func(x int32) int32 {
		if sound[x] == -2 {
			sound[x] = -1
			if k := soundexKey(v.words[x]); k != "" {
				kx := id(k)
				sound[x] = kx
			}
		}
		return sound[x]
	}
	orgs := 0
	var stamp []int
	for i := range n.recs {
		if len(n.recs[i].names) == 0 {
			continue
		}
		orgs++
		for _, nn := range n.recs[i].names {
			var ws []int32
			for _, t := range nn.tokens {
				x := id(t)
				if !slices.Contains(ws, x) {
					ws = append(ws, x)
				}
			}
			v.names[i] = append(v.names[i], ws)
		}
		for _, ws := range v.names[i] {
			for _, x := range ws {
				for int(x) >= len(stamp) {
					stamp = append(stamp, -1)
				}
				if stamp[x] == i {
					continue
				}
				stamp[x] = i
				v.df[x]++
				if kx := soundOf(x); kx >= 0 {
					for int(kx) >= len(stamp) {
						stamp = append(stamp, -1)
					}
					if stamp[kx] != i {
						stamp[kx] = i
						v.df[kx]++
					}
				}
			}
		}
	}
	v.weight = make([]float64, len(v.words))
	for x := range v.words {
		v.weight[x] = math.Log(1 + float64(orgs)/float64(max(v.df[x], 1)))
	}
	v.soundex = sound
	v.lead, v.size, v.unit = make([]byte, len(v.words)), make([]uint8, len(v.words)), make([]bool, len(v.words))
	for x, w := range v.words {
		if v.soundex[x] == -2 { // a Soundex key itself
			v.soundex[x] = -1
		}
		v.lead[x], v.size[x], v.unit[x] = w[0], uint8(min(len(w), 255)), unitWords[w]
	}
	return v
}

// exactNames merges records whose normalised names are equal in the same
// country; a record with no known country (a few of the seed's) joins
// the records of its name when they are in one country only.
func (n *network) exactNames() {
	// The names of the records with no known country: for them only, the
	// countries each name is found in.
	var homeless map[string]map[string]int
	for i := range n.recs {
		if r := &n.recs[i]; r.country == "" {
			for _, nn := range r.names {
				if homeless == nil {
					homeless = map[string]map[string]int{}
				}
				homeless[nn.key] = map[string]int{}
			}
		}
	}
	byKey := make(map[countryName]int, len(n.recs)/2)
	for i := range n.recs {
		r := &n.recs[i]
		if r.country == "" {
			continue
		}
		for _, nn := range r.names {
			k := countryName{r.country, nn.key}
			if f, ok := byKey[k]; ok {
				if n.placesAgree(f, i) {
					n.union(f, i, RuleSameName)
				}
				continue
			}
			byKey[k] = i
			if cs, ok := homeless[nn.key]; ok {
				cs[r.country] = i
			}
		}
	}
	for i := range n.recs {
		r := &n.recs[i]
		if r.country != "" {
			continue
		}
		for _, nn := range r.names {
			if cs := homeless[nn.key]; len(cs) == 1 {
				for _, f := range cs {
					n.union(f, i, RuleSameName)
				}
			}
		}
	}
}

// placesAgree is false when the sources place the two records in different
// NUTS 2 regions and different towns: two bodies of one generic name.
func (n *network) placesAgree(a, b int) bool {
	ra, rb := &n.recs[a], &n.recs[b]
	if ra.town != "" && ra.town == rb.town {
		return true
	}
	if len(ra.nuts) >= 4 && len(rb.nuts) >= 4 && ra.nuts[:4] != rb.nuts[:4] {
		return false
	}
	return true
}

// samePlace is true when the sources put both records in one town or one
// NUTS 3 region.
func (n *network) samePlace(a, b int) bool {
	ra, rb := &n.recs[a], &n.recs[b]
	if ra.town != "" && rb.town != "" && (ra.town == rb.town || jaroWinkler(ra.town, rb.town) >= 0.9) {
		return true
	}
	return len(ra.nuts) >= 5 && ra.nuts == rb.nuts
}

// blockKey is a block: a country (its number in the order met, 0 for
// none) and a word (or a word's sound), as one integer: a cheap map key.
func blockKey(country uint32, word int32) uint64 {
	return uint64(country)<<32 | uint64(uint32(word))
}

func (n *network) similarNames(v *vocabulary) {
	index := map[uint64][]int32{}
	keys := make([][]int32, len(n.recs))
	countryOf := make([]uint32, len(n.recs))
	countries := map[string]uint32{"": 0}
	scratch := make([]int32, 0, 64)
	for i := range n.recs {
		r := &n.recs[i]
		if len(r.names) == 0 {
			continue
		}
		c, ok := countries[r.country]
		if !ok {
			c = uint32(len(countries))
			countries[r.country] = c
		}
		countryOf[i] = c
		keys[i] = n.blockingKeys(i, v, scratch)
		for _, k := range keys[i] {
			bk := blockKey(c, k)
			index[bk] = append(index[bk], int32(i))
		}
	}
	var mu sync.Mutex
	var cands []candidate
	parallel(len(n.recs), func(lo, hi int) {
		seen := make([]int32, len(n.recs))
		for i := range seen {
			seen[i] = -1
		}
		var mine []candidate
		compared := 0
		visit := func(i, j int) {
			if j == i || seen[j] == int32(i) {
				return
			}
			seen[j] = int32(i)
			compared++
			if c, ok := n.compare(min(i, j), max(i, j), v); ok {
				mine = append(mine, c)
			}
		}
		for i := lo; i < hi; i++ {
			cc := countryOf[i]
			for _, k := range keys[i] {
				for _, j := range index[blockKey(cc, k)] {
					if int(j) > i {
						visit(i, int(j))
					}
				}
				if cc != 0 { // records of no known country meet every country's
					for _, j := range index[blockKey(0, k)] {
						visit(i, int(j))
					}
				}
			}
		}
		mu.Lock()
		cands = append(cands, mine...)
		n.report.Comparisons += compared
		mu.Unlock()
	})
	sort.Slice(cands, func(x, y int) bool {
		if cands[x].score != cands[y].score {
			return cands[x].score > cands[y].score
		}
		if cands[x].a != cands[y].a {
			return cands[x].a < cands[y].a
		}
		return cands[x].b < cands[y].b
	})
	var near []candidate
	for _, c := range cands {
		if c.score >= c.threshold {
			n.union(c.a, c.b, RuleSimilarName)
			continue
		}
		near = append(near, c)
	}
	for _, c := range near {
		if n.uf.find(c.a) != n.uf.find(c.b) {
			n.report.NearMisses = append(n.report.NearMisses, NearMiss{
				A: n.recordOf(c.a, ""), B: n.recordOf(c.b, ""), Score: c.score, Threshold: c.threshold})
		}
	}
}

// rarestWord is the rarest word of four letters or more of a name, -1
// when it has none.
func rarestWord(ws []int32, v *vocabulary) int32 {
	best := int32(-1)
	for _, x := range ws {
		if len(v.words[x]) < 4 {
			continue
		}
		if best < 0 || v.df[x] < v.df[best] || (v.df[x] == v.df[best] && v.words[x] < v.words[best]) {
			best = x
		}
	}
	return best
}

// soundexKey is the blocking key of a word's sound: "#" and its Soundex
// code (dedupe's phonetic predicates), for words of four letters or more.
func soundexKey(t string) string {
	if len(t) < 4 || t[0] < 'a' || t[0] > 'z' {
		return ""
	}
	code := []byte{'#', t[0] - 'a' + 'A'}
	last := soundexDigit(t[0])
	for i := 1; i < len(t) && len(code) < 5; i++ {
		d := soundexDigit(t[i])
		if d != 0 && d != last {
			code = append(code, d)
		}
		if t[i] != 'h' && t[i] != 'w' {
			last = d
		}
	}
	for len(code) < 5 {
		code = append(code, '0')
	}
	return string(code)
}

func soundexDigit(c byte) byte {
	switch c {
	case 'b', 'f', 'p', 'v':
		return '1'
	case 'c', 'g', 'j', 'k', 'q', 's', 'x', 'z':
		return '2'
	case 'd', 't':
		return '3'
	case 'l':
		return '4'
	case 'm', 'n':
		return '5'
	case 'r':
		return '6'
	}
	return 0
}

// blockingKeys is the rarest words of each of record i's names, and the
// sound of its rarest word, which finds misspellings and other
// transliterations (Kocani, Kochani). Two records are compared when they
// share a key in one country (Zingg's and dedupe's blocking on
// predicates, here fixed rather than learned).
func (n *network) blockingKeys(i int, v *vocabulary, scratch []int32) []int32 {
	var keys []int32
	for _, ws := range v.names[i] {
		ts := scratch[:0]
		for _, x := range ws {
			if v.df[x] > 1 && v.df[x] <= blockCap {
				ts = append(ts, x)
			}
		}
		slices.SortFunc(ts, func(a, b int32) int {
			if v.df[a] != v.df[b] {
				return cmp.Compare(v.df[a], v.df[b])
			}
			return strings.Compare(v.words[a], v.words[b])
		})
		scratch = ts
		for _, x := range ts[:min(len(ts), blockWords)] {
			if !slices.Contains(keys, x) {
				keys = append(keys, x)
			}
		}
		if x := rarestWord(ws, v); x >= 0 {
			if k := v.soundex[x]; k >= 0 && v.df[k] <= blockCap && !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
	}
	return keys
}

// compare scores records i and j, and returns the pair when it is worth
// keeping (a merge or a near miss).
func (n *network) compare(i, j int, v *vocabulary) (candidate, bool) {
	ri, rj := &n.recs[i], &n.recs[j]
	if ri.country != "" && rj.country != "" && ri.country != rj.country {
		return candidate{}, false
	}
	best := 0.0
	for _, a := range v.names[i] {
		for _, b := range v.names[j] {
			best = max(best, v.score(a, b, thresholdNear-nearMissBand))
		}
	}
	if best < thresholdNear-nearMissBand {
		return candidate{}, false
	}
	thr := thresholdFar
	switch {
	case n.samePlace(i, j):
		thr = thresholdNear
	case !n.placesAgree(i, j):
		thr = thresholdApart
	}
	if best < thr-nearMissBand {
		return candidate{}, false
	}
	return candidate{a: i, b: j, score: best, threshold: thr}, true
}

// joins finds the words of b written as two adjacent words of a, or the
// other way round ("InteriorBIC" against "Interior BIC", "Technolo gies"
// against "Technologies"): a space lost or added by the publisher. It
// returns the words of a and of b so matched, as bit sets.
func (v *vocabulary) joins(a, b []int32) (inA, inB uint64) {
	for i := 0; i+1 < len(a); i++ {
		size, lead := int(v.size[a[i]])+int(v.size[a[i+1]]), v.lead[a[i]]
		for j, t := range b {
			if inB&(1<<j) != 0 || int(v.size[t]) != size || v.lead[t] != lead {
				continue
			}
			if x, y, w := v.words[a[i]], v.words[a[i+1]], v.words[t]; len(w) == len(x)+len(y) && w[:len(x)] == x && w[len(x):] == y {
				inA |= 1<<i | 1<<(i+1)
				inB |= 1 << j
				break
			}
		}
	}
	return inA, inB
}

// bestMatch is the word of b not in used that matches word s best (j -1
// for none), and its similarity: 1 for the same word, the Jaro–Winkler
// similarity from tokenSimilarity on for words of four letters or more
// with one first letter.
func (v *vocabulary) bestMatch(s int32, b []int32, used uint64) (bestJ int, bestSim float64) {
	bestJ = -1
	for j, t := range b {
		if used&(1<<j) != 0 {
			continue
		}
		if s == t {
			return j, 1
		}
		if v.size[s] < 4 || v.size[t] < 4 || v.lead[s] != v.lead[t] {
			continue
		}
		if sim := jaroWinkler(v.words[s], v.words[t]); sim >= tokenSimilarity && sim > bestSim {
			bestJ, bestSim = j, sim
		}
	}
	return bestJ, bestSim
}

// score is a weighted Dice coefficient of two names' words: each word
// weighs its inverse document frequency (a rare word says more, as
// Splink's term-frequency adjustments), and two words match when equal
// or, for words of four letters or more, when their Jaro–Winkler
// similarity is at least tokenSimilarity (spelling variants), weighted by
// it; a word and the two adjacent words it runs together match first
// (joins). Two penalties follow, for words one name has and the other lacks
// (conflictFactor, unitFactor).
//
// A pair that cannot reach floor scores 0.
func (v *vocabulary) score(a, b []int32, floor float64) float64 {
	var wa, wb, matched float64
	unmatchedA, unit := false, false
	if len(b) > 64 {
		b = b[:64]
	}
	if len(a) > 64 {
		a = a[:64]
	}
	for _, t := range b {
		wb += v.weight[t]
	}
	for _, s := range a {
		wa += v.weight[s]
	}
	usedA, usedBits := v.joins(a, b)
	bj, ba := v.joins(b, a)
	usedA |= ba
	usedBits |= bj
	for i, s := range a {
		if usedA&(1<<i) != 0 {
			matched += v.weight[s]
		}
	}
	for j, t := range b {
		if usedBits&(1<<j) != 0 {
			matched += v.weight[t]
		}
	}
	// Most pairs blocking lets through are two bodies: once the weight
	// of a's words left unmatched puts the score under floor whatever b's
	// words do, the pair is dropped (not when a join matched: a word can
	// then count twice).
	lost, maxLost := 0.0, (wa+wb)*(1-floor)
	exact := usedA|usedBits != 0
	for i, s := range a {
		if usedA&(1<<i) != 0 {
			continue
		}
		ws := v.weight[s]
		bestJ, bestSim := v.bestMatch(s, b, usedBits)
		if bestJ < 0 {
			unmatchedA = true
			unit = unit || v.unit[s]
			if lost += ws; lost > maxLost && !exact {
				return 0
			}
			continue
		}
		usedBits |= 1 << bestJ
		wt := v.weight[b[bestJ]]
		matched += bestSim * (ws + wt)
		if lost += (1 - bestSim) * (ws + wt); lost > maxLost && !exact {
			return 0
		}
	}
	unmatchedB := false
	for j, t := range b {
		if usedBits&(1<<j) == 0 {
			unmatchedB = true
			unit = unit || v.unit[t]
		}
	}
	if wa+wb == 0 {
		return 0
	}
	dice := min(matched/(wa+wb), 1) // a word both joined and matched counts twice
	if unit {
		dice *= unitFactor
	}
	if unmatchedA && unmatchedB {
		// Each name has a word the other lacks: "University" against
		// "Municipality" of one town, "Technology" against "Economics",
		// two departments of one university. The evidence of a word on
		// both sides that disagrees counts against the pair.
		dice *= conflictFactor
	}
	return dice
}
