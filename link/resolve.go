package link

import (
	"math"
	"slices"
	"sort"
)

// Thresholds of the name score (see score) above which two organisation
// records of one country are merged: near, when they are in the same town
// or NUTS 3 region; apart, when the sources do not place them together.
// Near misses are reported down to nearMissBand below them.
const (
	thresholdNear = 0.85
	thresholdFar  = 0.93
	nearMissBand  = 0.15
	// blockCap is the most records a word may name and still be a
	// blocking key: "university" or "gmina" would pair thousands.
	blockCap = 400
	// blockWords is how many of a name's rarest words are its blocking
	// keys (Zingg's and dedupe's learned blocking, fixed here).
	blockWords = 3
	// conflictFactor scales the score of names that each have a word the
	// other lacks.
	conflictFactor = 0.85
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
	df := map[string]int32{}
	orgs := 0
	for i := range n.recs {
		if len(n.recs[i].names) == 0 {
			continue
		}
		orgs++
		for _, t := range n.recordTokens(i) {
			df[t]++
		}
	}
	weight := func(t string) float64 { return math.Log(1 + float64(orgs)/float64(max(df[t], 1))) }
	n.exactNames()
	n.similarNames(df, weight)
}

// recordTokens is the distinct words of a record's names.
func (n *network) recordTokens(i int) []string {
	names := n.recs[i].names
	if len(names) == 1 {
		return dedupe(names[0].tokens)
	}
	var all []string
	for _, nn := range names {
		all = append(all, nn.tokens...)
	}
	return dedupe(all)
}

func dedupe(ts []string) []string {
	out := make([]string, 0, len(ts))
outer:
	for _, t := range ts {
		for _, o := range out {
			if o == t {
				continue outer
			}
		}
		out = append(out, t)
	}
	return out
}

// exactNames merges records whose normalised names are equal in the same
// country; a record with no known country (a few of the seed's) joins
// the records of its name when they are in one country only.
func (n *network) exactNames() {
	byKey := map[string]int{}
	countries := map[string]map[string]int{} // name -> country -> first record
	for i := range n.recs {
		r := &n.recs[i]
		for _, nn := range r.names {
			if r.country == "" {
				continue
			}
			k := r.country + "|" + nn.key
			if f, ok := byKey[k]; ok {
				if n.placesAgree(f, i) {
					n.union(f, i, RuleSameName)
				}
				continue
			}
			byKey[k] = i
			if countries[nn.key] == nil {
				countries[nn.key] = map[string]int{}
			}
			countries[nn.key][r.country] = i
		}
	}
	for i := range n.recs {
		r := &n.recs[i]
		if r.country != "" {
			continue
		}
		for _, nn := range r.names {
			if cs := countries[nn.key]; len(cs) == 1 {
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

func (n *network) similarNames(df map[string]int32, weight func(string) float64) {
	index := map[string][]int32{}
	for i := range n.recs {
		if len(n.recs[i].names) == 0 {
			continue
		}
		for _, t := range n.recordTokens(i) {
			if df[t] <= blockCap && df[t] > 1 {
				index[t] = append(index[t], int32(i))
			}
		}
	}
	seen := make([]int32, len(n.recs))
	keys := make([][]string, len(n.recs))
	for i := range seen {
		seen[i] = -1
		if len(n.recs[i].names) > 0 {
			keys[i] = n.blockingKeys(i, df)
		}
	}
	var cands []candidate
	for i := range n.recs {
		for _, t := range keys[i] {
			for _, j32 := range index[t] {
				j := int(j32)
				if j == i || seen[j] == int32(i) {
					continue
				}
				seen[j] = int32(i)
				if j < i && n.sharesKey(keys[j], i) {
					continue // j's own keys found the pair already
				}
				a, b := min(i, j), max(i, j)
				if c, ok := n.compare(a, b, weight); ok {
					cands = append(cands, c)
				}
			}
		}
	}
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

// sharesKey is whether one of keys is a word of record i.
func (n *network) sharesKey(keys []string, i int) bool {
	for _, k := range keys {
		for _, nn := range n.recs[i].names {
			for _, t := range nn.tokens {
				if t == k {
					return true
				}
			}
		}
	}
	return false
}

// blockingKeys is the rarest words of each of record i's names (a pair
// whose names share none is never compared: both sides query their own
// rarest words, and a true match shares a rare word).
func (n *network) blockingKeys(i int, df map[string]int32) []string {
	var keys []string
	for _, nn := range n.recs[i].names {
		ts := make([]string, 0, len(nn.tokens))
		for _, t := range dedupe(nn.tokens) {
			if df[t] <= blockCap && df[t] > 1 {
				ts = append(ts, t)
			}
		}
		sort.Slice(ts, func(x, y int) bool {
			if df[ts[x]] != df[ts[y]] {
				return df[ts[x]] < df[ts[y]]
			}
			return ts[x] < ts[y]
		})
		keys = append(keys, ts[:min(len(ts), blockWords)]...)
	}
	return keys
}

// compare scores records i and j, and returns the pair when it is worth
// keeping (a merge or a near miss).
func (n *network) compare(i, j int, weight func(string) float64) (candidate, bool) {
	ri, rj := &n.recs[i], &n.recs[j]
	if ri.country != "" && rj.country != "" && ri.country != rj.country {
		return candidate{}, false
	}
	if !n.placesAgree(i, j) {
		return candidate{}, false
	}
	n.report.Comparisons++
	best := 0.0
	for _, a := range ri.names {
		for _, b := range rj.names {
			best = max(best, score(a.tokens, b.tokens, weight))
		}
	}
	thr := thresholdFar
	if n.samePlace(i, j) {
		thr = thresholdNear
	}
	if best < thr-nearMissBand {
		return candidate{}, false
	}
	return candidate{a: i, b: j, score: best, threshold: thr}, true
}

// score is a weighted Dice coefficient of two names' words: each word
// weighs its inverse document frequency (a rare word says more, as
// Splink's term-frequency adjustments), and two words match when equal
// or, for words of five letters or more, when their Jaro–Winkler
// similarity is at least 0.92 (spelling variants), weighted by it.
func score(a, b []string, weight func(string) float64) float64 {
	a, b = dedupe(a), dedupe(b)
	var wa, wb, matched float64
	unmatchedA := false
	used := make([]bool, len(b))
	for _, t := range b {
		wb += weight(t)
	}
	for _, s := range a {
		ws := weight(s)
		wa += ws
		bestJ, bestSim := -1, 0.0
		for j, t := range b {
			if used[j] {
				continue
			}
			sim := 0.0
			if s == t {
				sim = 1
			} else if len(s) >= 5 && len(t) >= 5 {
				if jw := jaroWinkler(s, t); jw >= 0.92 {
					sim = jw
				}
			}
			if sim > bestSim {
				bestJ, bestSim = j, sim
			}
		}
		if bestJ < 0 {
			unmatchedA = true
			continue
		}
		used[bestJ] = true
		matched += bestSim * (ws + weight(b[bestJ]))
	}
	if wa+wb == 0 {
		return 0
	}
	dice := matched / (wa + wb)
	if unmatchedA && slices.Contains(used, false) {
		// Each name has a word the other lacks: "University" against
		// "Municipality" of one town, "Technology" against "Economics",
		// two departments of one university. The evidence of a word on
		// both sides that disagrees counts against the pair.
		dice *= conflictFactor
	}
	return dice
}
