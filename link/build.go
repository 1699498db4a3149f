package link

import (
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/coopgraph/coopgraph"
)

// recordOf is record i as the merged entity lists it.
func (n *network) recordOf(i int, rule string) coopgraph.Record {
	e := n.recs[i].e
	town := e.Properties["town"]
	if town == "" {
		town = e.Properties["city"]
	}
	place := town
	if c := n.recs[i].country; c != "" {
		if place != "" {
			place += ", "
		}
		place += c
	}
	return coopgraph.Record{Dataset: n.datasets[n.recs[i].ds].Name, ID: e.ID, Name: e.Name, Place: place, Rule: rule}
}

// build writes the linked dataset: one entity per set of records, in the
// order of its first record (datasets in priority order), and the
// relations re-pointed to the kept ids, exact duplicates folded.
func (n *network) build(name string) *coopgraph.Dataset {
	// The sets' members, in record order, as linked lists over arrays
	// (head and next per root) rather than a map of slices.
	count := len(n.recs)
	root := make([]int32, count)
	head, tail, next := make([]int32, count), make([]int32, count), make([]int32, count)
	for i := range head {
		head[i], next[i] = -1, -1
	}
	roots := 0
	for i := range n.recs {
		r := n.uf.find(i)
		root[i] = r
		if head[r] < 0 {
			head[r] = int32(i)
			roots++
		} else {
			next[tail[r]] = int32(i)
		}
		tail[r] = int32(i)
	}
	n.report.Rules = map[string]int{}
	// kept maps the ids of the records of entities made of several
	// records to the id their relations are re-pointed to (the first
	// record's): a map of the merged records only, which most relation
	// ends miss quickly.
	inMerged := 0
	for i := range n.recs {
		if r := root[i]; head[r] != tail[r] {
			inMerged++
		}
	}
	kept := make(map[string]int32, inMerged)
	var keptIDs []string
	out := &coopgraph.Dataset{Name: name, Entities: make([]coopgraph.Entity, 0, roots)}
	var ms []int
	for i := range n.recs {
		r := root[i]
		if head[r] != int32(i) {
			continue
		}
		first := n.recs[i].e
		if next[i] < 0 {
			out.Entities = append(out.Entities, *first)
			continue
		}
		ms = ms[:0]
		for m := int32(i); m >= 0; m = next[m] {
			ms = append(ms, int(m))
			kept[n.recs[m].e.ID] = int32(len(keptIDs))
		}
		keptIDs = append(keptIDs, first.ID)
		e := n.merge(ms)
		out.Entities = append(out.Entities, e)
		n.report.Merges = append(n.report.Merges, e)
	}
	docs := map[string]bool{}
	for _, ds := range n.datasets {
		out.Credits = appendNew(out.Credits, ds.Credits...)
		for _, d := range ds.Documents {
			if !docs[d.ID] { // the dataset of highest priority describes it
				docs[d.ID] = true
				out.Documents = append(out.Documents, d)
			}
		}
	}
	slices.SortFunc(out.Documents, func(a, b coopgraph.Document) int { return strings.Compare(a.ID, b.ID) })
	out.Relations = n.relations(kept, keptIDs)
	return out
}

// merge makes one entity of records ms (the first one's id, kind and
// name): every other name an alias, properties first-wins with the
// conflicting values kept as facts, documents and facts joined, and the
// records listed with the rule that reached each.
func (n *network) merge(ms []int) coopgraph.Entity {
	first := n.recs[ms[0]].e
	e := coopgraph.Entity{ID: first.ID, Kind: first.Kind, Name: first.Name, Properties: map[string]string{}}
	rules := n.rulesFrom(ms)
	seenName := map[string]bool{first.Name: true}
	for _, m := range ms {
		r := n.recs[m].e
		for _, a := range append([]string{r.Name}, r.Aliases...) {
			if !seenName[a] {
				seenName[a] = true
				e.Aliases = append(e.Aliases, a)
			}
		}
		for _, k := range sortedKeys(r.Properties) {
			v := r.Properties[k]
			old, ok := e.Properties[k]
			switch {
			case !ok:
				e.Properties[k] = v
			case old != v:
				e.Facts = append(e.Facts, coopgraph.Fact{Property: k, Value: v,
					Document: n.datasets[n.recs[m].ds].Name + ":" + r.ID})
			}
		}
		e.Facts = append(e.Facts, r.Facts...)
		e.Documents = appendNew(e.Documents, r.Documents...)
		rule := rules[m]
		if m != ms[0] && r.ID == first.ID {
			rule = RuleSameID
		}
		e.Records = append(e.Records, n.recordOf(m, rule))
		if m != ms[0] {
			n.report.Rules[ruleName(rule)]++
		}
	}
	return e
}

func ruleName(rule string) string {
	if strings.HasPrefix(rule, ruleLinkPrefix) {
		return "curated link"
	}
	return rule
}

// rulesFrom walks the unions from the first record: each record gets the
// rule of the union that reached it first.
func (n *network) rulesFrom(ms []int) map[int]string {
	rules := map[int]string{ms[0]: ""}
	queue := []int{ms[0]}
	for len(queue) > 0 {
		x := queue[0]
		queue = queue[1:]
		for _, ed := range n.edges[x] {
			if _, ok := rules[ed.to]; !ok {
				rules[ed.to] = ed.rule
				queue = append(queue, ed.to)
			}
		}
	}
	return rules
}

// relations re-points every relation to the kept ids, folding those that
// become the same statement (same RelationKey) and dropping relations of
// an entity with itself. Only relations of merged entities can become
// duplicates (a relation of two entities of one record each is one
// dataset's, and a dataset's relations are distinct), so only they are
// keyed. kept maps the ids of merged records to their entity's id in
// keptIDs. The ends are looked up first, on every core (a lookup reads
// the id's bytes, far apart in memory: the cost of this step); then the
// relations are written in order.
func (n *network) relations(kept map[string]int32, keptIDs []string) []coopgraph.Relation {
	offset := make([]int, len(n.datasets)+1)
	for d, ds := range n.datasets {
		offset[d+1] = offset[d] + len(ds.Relations)
	}
	total := offset[len(n.datasets)]
	ends := make([][2]int32, total) // per relation, its ends' entities in keptIDs, -1 for none
	parallel(total, func(lo, hi int) {
		for d, ds := range n.datasets {
			for g := max(lo, offset[d]); g < min(hi, offset[d+1]); g++ {
				r := &ds.Relations[g-offset[d]]
				ends[g] = [2]int32{-1, -1}
				if k, ok := kept[r.From]; ok {
					ends[g][0] = k
				}
				if k, ok := kept[r.To]; ok {
					ends[g][1] = k
				}
			}
		}
	})
	out := make([]coopgraph.Relation, 0, total)
	var seen map[relationKey]struct{}
	for d, ds := range n.datasets {
		for i := range ds.Relations {
			r := &ds.Relations[i]
			e := ends[offset[d]+i]
			if e[0] < 0 && e[1] < 0 {
				out = append(out, *r)
				continue
			}
			from, to := r.From, r.To
			if e[0] >= 0 {
				from = keptIDs[e[0]]
			}
			if e[1] >= 0 {
				to = keptIDs[e[1]]
			}
			if from == to && r.From != r.To {
				n.report.Loops++
				continue
			}
			if seen == nil {
				seen = make(map[relationKey]struct{}, total/4)
			}
			key := relationKey{r.Type, from, to, r.Role, r.Start, r.Document}
			if _, dup := seen[key]; dup {
				n.report.FoldedRelations++
				continue
			}
			seen[key] = struct{}{}
			out = append(out, *r)
			if c := &out[len(out)-1]; from != r.From || to != r.To {
				derived := c.ID == "" || isRelationKey(c.ID, r)
				c.From, c.To = from, to
				if derived {
					c.ID = coopgraph.RelationKey(*c)
				}
			}
		}
	}
	return out
}

// relationKey is the content coopgraph.RelationKey joins into a string,
// as a map key that needs no string built.
type relationKey struct{ typ, from, to, role, start, document string }

// isRelationKey is whether id is coopgraph.RelationKey(*r), without
// building the key.
func isRelationKey(id string, r *coopgraph.Relation) bool {
	parts := [...]string{r.From, r.Type, r.To, r.Role, r.Start, r.Document}
	for i, p := range parts {
		if i >= 3 && p == "" {
			continue
		}
		if i > 0 {
			if !strings.HasPrefix(id, "|") {
				return false
			}
			id = id[1:]
		}
		if !strings.HasPrefix(id, p) {
			return false
		}
		id = id[len(p):]
	}
	return id == ""
}

func appendNew(list []string, more ...string) []string {
	for _, s := range more {
		found := false
		for _, x := range list {
			if x == s {
				found = true
				break
			}
		}
		if !found {
			list = append(list, s)
		}
	}
	return list
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range maps.Keys(m) {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
