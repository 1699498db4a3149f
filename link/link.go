package link

import (
	"fmt"
	"runtime"
	"strings"
	"sync"

	"github.com/coopgraph/coopgraph"
)

// Rules, as Record.Rule and Report.Rules name them.
const (
	RuleSameID      = "same id"
	RuleSameCode    = "same country code"
	RuleSameNUTS    = "same NUTS code"
	RuleSamePIC     = "same PIC"
	RuleSameName    = "same name in the same country"
	RuleSimilarName = "similar name"
	ruleLinkPrefix  = "curated link: "
)

// identifier is the property that identifies an entity of a kind in
// every source (the contract of issue 15: one value, one entity), and the
// rule that merges by it.
type identifier struct{ property, rule string }

// identifierOf is the identifier of kind, if it has one.
func identifierOf(kind string) (identifier, bool) {
	switch kind {
	case "Country":
		return identifier{"code", RuleSameCode}, true
	case "Region":
		return identifier{"nuts", RuleSameNUTS}, true
	case "Organisation":
		return identifier{"pic", RuleSamePIC}, true
	}
	return identifier{}, false
}

// Report says what Network did, for review (coopgraph links) and tests.
type Report struct {
	// Records is the number of entity records read, Entities the number
	// of entities they became.
	Records, Entities int
	// Rules counts the records each rule merged into another record's
	// entity (curated links under "curated link").
	Rules map[string]int
	// Merges are the entities made from more than one record, in output
	// order, each with its records.
	Merges []coopgraph.Entity
	// NearMisses are the organisation pairs whose names scored just below
	// the threshold that would have merged them, best first.
	NearMisses []NearMiss
	// Blocked are the merges a not-same-as link refused.
	Blocked []string
	// Unresolved are the curated links skipped because an end names no
	// record of the datasets linked (its line and end).
	Unresolved []string
	// FoldedRelations counts relations that became exact duplicates of
	// another (same RelationKey) once re-pointed; Loops those that became
	// a relation of an entity with itself and were dropped.
	FoldedRelations, Loops int
	// Comparisons counts the name comparisons blocking let through.
	Comparisons int
}

// NearMiss is a pair of organisation records that name resolution did not
// merge, with its score and the threshold it missed.
type NearMiss struct {
	A, B             coopgraph.Record
	Score, Threshold float64
}

// record is one entity of one dataset, with what resolution reads of it.
type record struct {
	ds      int
	e       *coopgraph.Entity
	country string // country code, upper case, "" when unknown
	town    string // folded town
	nuts    string // most detailed NUTS code it is located in
	names   []normalName
	// ident is the value of its kind's identifier property (identifierOf),
	// upper case, "" for none.
	ident string
}

// Network links datasets, given in priority order (seed, nuts,
// cordis-h2020, keep-interreg), into one dataset named name: see the
// package documentation for the rules. It fails when two records share an
// id but not a kind.
func Network(name string, datasets []*coopgraph.Dataset, links Links) (*coopgraph.Dataset, Report, error) {
	total := 0
	for _, ds := range datasets {
		total += len(ds.Entities)
	}
	n := &network{datasets: datasets, byID: make(map[string]int, total), recs: make([]record, 0, total)}
	if err := n.read(); err != nil {
		return nil, Report{}, err
	}
	n.uf = newUnionFind(len(n.recs))
	n.sameIDs()
	n.applyLinks(links)
	n.sameIdentifiers()
	n.curatedSame(links)
	n.resolveNames()
	out := n.build(name)
	n.report.Records = len(n.recs)
	n.report.Entities = len(out.Entities)
	return out, n.report, nil
}

type network struct {
	datasets []*coopgraph.Dataset
	recs     []record
	byID     map[string]int // id -> first record with it
	sameID   map[int][]int  // first record -> later records with its id
	uf       *unionFind
	edges    [][]edge // per record: the unions it took part in
	report   Report
	curated  []curatedPair
}

type edge struct {
	to   int
	rule string
}

type curatedPair struct {
	a, b []int
	link Link
}

func (n *network) read() error {
	n.sameID = map[int][]int{}
	for d, ds := range n.datasets {
		for i := range ds.Entities {
			e := &ds.Entities[i]
			idx := len(n.recs)
			n.recs = append(n.recs, record{ds: d, e: e})
			first, seen := n.byID[e.ID]
			if !seen {
				n.byID[e.ID] = idx
				continue
			}
			if f := n.recs[first].e; f.Kind != e.Kind {
				return coopgraph.Errorf(coopgraph.EINVALID, "%s is a %s in dataset %s but a %s in dataset %s: one kind per id",
					e.ID, f.Kind, n.datasets[n.recs[first].ds].Name, e.Kind, ds.Name)
			}
			n.sameID[first] = append(n.sameID[first], idx)
		}
	}
	n.edges = make([][]edge, len(n.recs))
	parallel(len(n.recs), func(lo, hi int) {
		towns := map[string]string{} // many records share a town: folded once
		for i := lo; i < hi; i++ {
			n.describe(&n.recs[i], towns)
		}
	})
	for _, ds := range n.datasets {
		for i := range ds.Relations {
			if r := &ds.Relations[i]; r.Type == "LOCATED_IN" {
				if f, ok := n.byID[r.From]; ok && n.recs[f].e.Kind == "Organisation" {
					n.place(&n.recs[f], r.To)
				}
			}
		}
	}
	for i := range n.recs {
		if r := &n.recs[i]; r.country == "" && len(r.nuts) >= 2 {
			r.country = r.nuts[:2]
		}
	}
	return nil
}

// describe fills what the rules compare of a record: its identifier and,
// for an organisation, its country, town and names. towns caches the
// folded towns of the calling worker.
func (n *network) describe(r *record, towns map[string]string) {
	e := r.e
	if id, ok := identifierOf(e.Kind); ok {
		if v := strings.TrimSpace(e.Properties[id.property]); v != "" {
			r.ident = strings.ToUpper(v)
		}
	}
	if e.Kind != "Organisation" {
		return
	}
	r.country = strings.ToUpper(e.Properties["country"])
	town := e.Properties["town"]
	if town == "" {
		town = e.Properties["city"]
	}
	folded, ok := towns[town]
	if !ok {
		folded = normalise(town).key
		towns[town] = folded
	}
	r.town = folded
	if pic := r.ident; pic == "" || !isPICName(e.Name, pic) { // "PIC 123" is no name
		for _, v := range nameVariants(e.Name) {
			r.names = append(r.names, normalise(v))
		}
	}
	for _, a := range e.Aliases {
		nn := normalise(a)
		if len(nn.tokens) >= 2 || len(nn.key) >= 6 { // acronyms (AGH, UMWM) stay out of resolution
			r.names = append(r.names, nn)
		}
	}
}

// isPICName is whether name is "PIC " and the pic: the name CORDIS gives
// an organisation it does not name.
func isPICName(name, pic string) bool {
	rest, ok := strings.CutPrefix(name, "PIC ")
	return ok && rest == pic
}

// place reads an organisation's LOCATED_IN target: its NUTS region (the
// most detailed one) and, when the record has no country property, the
// country of the target (a Country's code, a Region's country).
func (n *network) place(r *record, to string) {
	if code, ok := strings.CutPrefix(to, "nuts:"); ok && len(code) > len(r.nuts) {
		r.nuts = code
	}
	if r.country != "" {
		return
	}
	if i, ok := n.byID[to]; ok {
		t := n.recs[i].e
		if t.Kind == "Country" {
			r.country = strings.ToUpper(t.Properties["code"])
		} else if c := t.Properties["country"]; c != "" {
			r.country = strings.ToUpper(c)
		}
	}
}

// union merges the entities of records a and b for rule, unless a
// not-same-as link keeps them apart.
func (n *network) union(a, b int, rule string) bool {
	ok, joined := n.uf.union(a, b)
	if !ok {
		n.report.Blocked = append(n.report.Blocked, fmt.Sprintf("%s (%s) and %s (%s): %s",
			n.recs[a].e.ID, n.recs[a].e.Name, n.recs[b].e.ID, n.recs[b].e.Name, rule))
		return false
	}
	if joined {
		n.edges[a] = append(n.edges[a], edge{b, rule})
		n.edges[b] = append(n.edges[b], edge{a, rule})
	}
	return joined
}

func (n *network) sameIDs() {
	for i := range n.recs {
		for _, j := range n.sameID[i] {
			n.uf.force(i, j)
			n.edges[i] = append(n.edges[i], edge{j, RuleSameID})
			n.edges[j] = append(n.edges[j], edge{i, RuleSameID})
		}
	}
}

// kindValue is an identifier's value for a kind.
type kindValue struct{ kind, value string }

func (n *network) sameIdentifiers() {
	first := make(map[kindValue]int, len(n.recs)/2)
	for i := range n.recs {
		r := &n.recs[i]
		if r.ident == "" {
			continue
		}
		id, _ := identifierOf(r.e.Kind)
		key := kindValue{r.e.Kind, r.ident}
		if f, seen := first[key]; seen {
			n.union(f, i, id.rule)
			continue
		}
		first[key] = i
	}
}

// applyLinks resolves every curated link's records, and records the
// not-same-as links before any rule merges. A link naming no record of
// these datasets (a network of some of the sources) is skipped and
// reported.
func (n *network) applyLinks(links Links) {
	names := n.nameIndex(links)
	for _, l := range links {
		a, b := n.resolve(l.A, names), n.resolve(l.B, names)
		if len(a) == 0 || len(b) == 0 {
			missing := l.A
			if len(a) > 0 {
				missing = l.B
			}
			n.report.Unresolved = append(n.report.Unresolved, fmt.Sprintf("line %d: %s names no record", l.Line, missing))
			continue
		}
		if l.Same {
			n.curated = append(n.curated, curatedPair{a, b, l})
			continue
		}
		for _, x := range a {
			for _, y := range b {
				n.uf.apart(x, y)
			}
		}
	}
}

func (n *network) curatedSame(links Links) {
	for _, c := range n.curated {
		rule := ruleLinkPrefix + c.link.Reason
		for _, x := range c.a {
			for _, y := range c.b {
				n.union(x, y, rule)
			}
		}
	}
}

// countryName is a normalised name in a country.
type countryName struct{ country, name string }

// nameIndex maps the normalised names in a country the links name
// (name:CC:Name) to the organisation records of that name there.
func (n *network) nameIndex(links Links) map[countryName][]int {
	idx := map[countryName][]int{}
	for _, l := range links {
		for _, ref := range []string{l.A, l.B} {
			if k, ok := nameRef(ref); ok {
				idx[k] = nil
			}
		}
	}
	if len(idx) == 0 {
		return idx
	}
	for i := range n.recs {
		r := &n.recs[i]
		for _, nn := range r.names {
			k := countryName{r.country, nn.key}
			if l, ok := idx[k]; ok && (len(l) == 0 || l[len(l)-1] != i) {
				idx[k] = append(l, i)
			}
		}
	}
	return idx
}

// nameRef reads a link end name:CC:Name.
func nameRef(ref string) (countryName, bool) {
	rest, ok := strings.CutPrefix(ref, "name:")
	if !ok {
		return countryName{}, false
	}
	cc, nm, _ := strings.Cut(rest, ":")
	return countryName{strings.ToUpper(cc), normalise(nm).key}, true
}

// resolve is the records a link end names: an id, or name:CC:Name.
func (n *network) resolve(ref string, names map[countryName][]int) []int {
	if k, ok := nameRef(ref); ok {
		return names[k]
	}
	i, ok := n.byID[ref]
	if !ok {
		return nil
	}
	return append([]int{i}, n.sameID[i]...)
}

// parallel runs work over [0, n) in one chunk per core: the records'
// normalisation and the name comparisons read shared state only and write
// their own slots.
func parallel(n int, work func(lo, hi int)) {
	workers := min(runtime.GOMAXPROCS(0), max(n/1000, 1))
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := n*w/workers, n*(w+1)/workers
		wg.Add(1)
		go func() {
			defer wg.Done()
			work(lo, hi)
		}()
	}
	wg.Wait()
}
