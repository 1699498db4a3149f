package link

import (
	"maps"
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
	members := map[int32][]int{}
	var roots []int32
	for i := range n.recs {
		r := n.uf.find(i)
		if len(members[r]) == 0 {
			roots = append(roots, r)
		}
		members[r] = append(members[r], i)
	}
	n.report.Rules = map[string]int{}
	keptID := map[string]string{} // ids of records merged into another's entity
	merged := map[string]bool{}
	out := &coopgraph.Dataset{Name: name, Entities: make([]coopgraph.Entity, 0, len(roots))}
	for _, r := range roots {
		ms := members[r]
		first := n.recs[ms[0]].e
		if len(ms) == 1 {
			out.Entities = append(out.Entities, *first)
			continue
		}
		merged[first.ID] = true
		for _, m := range ms[1:] {
			if id := n.recs[m].e.ID; id != first.ID {
				keptID[id] = first.ID
			}
		}
		e := n.merge(ms)
		out.Entities = append(out.Entities, e)
		n.report.Merges = append(n.report.Merges, e)
	}
	for _, ds := range n.datasets {
		out.Credits = appendNew(out.Credits, ds.Credits...)
	}
	out.Relations = n.relations(keptID, merged)
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
// keyed.
func (n *network) relations(keptID map[string]string, merged map[string]bool) []coopgraph.Relation {
	total := 0
	for _, ds := range n.datasets {
		total += len(ds.Relations)
	}
	out := make([]coopgraph.Relation, 0, total)
	seen := map[string]struct{}{}
	for _, ds := range n.datasets {
		for _, r := range ds.Relations {
			wasLoop := r.From == r.To
			from, to := pick(keptID, r.From), pick(keptID, r.To)
			if from != r.From || to != r.To {
				derived := r.ID == "" || r.ID == coopgraph.RelationKey(r)
				r.From, r.To = from, to
				if derived {
					r.ID = coopgraph.RelationKey(r)
				}
			}
			if r.From == r.To && !wasLoop {
				n.report.Loops++
				continue
			}
			if merged[r.From] || merged[r.To] {
				key := coopgraph.RelationKey(r)
				if _, dup := seen[key]; dup {
					n.report.FoldedRelations++
					continue
				}
				seen[key] = struct{}{}
			}
			out = append(out, r)
		}
	}
	return out
}

func pick(m map[string]string, id string) string {
	if v, ok := m[id]; ok {
		return v
	}
	return id
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
