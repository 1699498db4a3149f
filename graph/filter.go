package graph

import (
	"cmp"
	"context"
	"maps"
	"slices"
	"strings"

	"github.com/coopgraph/coopgraph"
)

// EntityFilter selects entities by what users filter a view by: kind,
// country, region, programme, period and source. The same filter applies
// to every view (the graph, the list, the rankings and the paths), so that
// each shows the same entities. Values within a field are alternatives
// (any of them); fields combine (all of them). The zero value keeps every
// entity.
//
// What each field means (the places and programmes are read from the
// structural relations, once per snapshot and filter, see Filter):
//
//   - Kinds: the entity's kind.
//   - Countries, Regions: ids of Country, and Region or City, entities. An
//     entity is in a place when it is the place, or a chain of LOCATED_IN
//     and PART_OF relations leads from it to the place (an organisation
//     LOCATED_IN PL213 PART_OF PL21 PART_OF Poland is in all three); an
//     entity that such an entity PARTICIPATES_IN or is a MEMBER_OF (a
//     project, a network, an event) is there too: a project is in every
//     country of its partners.
//   - Programmes: ids of Programme entities. The programme itself, its
//     parts (PART_OF, transitively), the projects FUNDED_BY them, and the
//     entities that PARTICIPATES_IN or are a MEMBER_OF those projects.
//   - ActiveFrom, ActiveTo: a period (YYYY, YYYY-MM or YYYY-MM-DD, either
//     open). An entity passes when one of its cooperation relations (every
//     type but the structural LOCATED_IN, PART_OF and FUNDED_BY) is active
//     at some moment of it, as relations pass a TimeWindow (an undated
//     relation is always active). Views also keep only the relations active
//     in the period.
//   - Datasets: the source datasets (seed, nuts, cordis-h2020,
//     keep-interreg) of the entity's Records. An entity made from one
//     record has no Records in a linked network and so passes no Datasets
//     filter there; Documents reaches every source.
//   - Documents: source documents: the entity's own Documents, or the
//     Document of one of its relations (for a published table, its
//     description, e.g. "CORDIS Horizon 2020 participations (…)").
type EntityFilter struct {
	Kinds, Countries, Regions, Programmes []string
	ActiveFrom, ActiveTo                  string
	Datasets, Documents                   []string
}

// MaxFilterValues bounds the values of each field of an EntityFilter
// (LIMIT_EXCEEDED above): each place or programme costs one pass over the
// network when the filter is first computed for a snapshot.
const MaxFilterValues = 50

// IsZero reports whether f keeps every entity.
func (f EntityFilter) IsZero() bool {
	return len(f.Kinds)+len(f.Countries)+len(f.Regions)+len(f.Programmes)+len(f.Datasets)+len(f.Documents) == 0 &&
		f.ActiveFrom == "" && f.ActiveTo == ""
}

// Window is the filter's period as a TimeWindow, nil when it has none:
// the relations a filtered view keeps.
func (f EntityFilter) Window() *TimeWindow {
	if f.ActiveFrom == "" && f.ActiveTo == "" {
		return nil
	}
	return &TimeWindow{From: f.ActiveFrom, To: f.ActiveTo}
}

// key is the filter's cache key: the same for the same sets of values.
func (f EntityFilter) key() string {
	return cacheKey("filter", sortedKey(f.Kinds), sortedKey(f.Countries), sortedKey(f.Regions), sortedKey(f.Programmes),
		f.ActiveFrom, f.ActiveTo, sortedKey(f.Datasets), sortedKey(f.Documents))
}

// Members is the set of entities an EntityFilter keeps in one snapshot.
// A nil *Members keeps every entity.
type Members struct {
	in    []bool // node index -> kept
	count int
	key   string
	s     *Snapshot
	win   *TimeWindow
}

// Has reports whether the entity with this id passes the filter (false for
// an unknown id; true for any id with a nil Members).
func (m *Members) Has(id string) bool {
	if m == nil {
		return true
	}
	x, ok := m.s.index[id]
	return ok && m.in[x]
}

// has is Has for a node index.
func (m *Members) has(x int32) bool { return m == nil || m.in[x] }

// Count returns the number of entities that pass.
func (m *Members) Count() int {
	if m == nil {
		return -1
	}
	return m.count
}

// Window is the period of the filter (nil when it has none).
func (m *Members) Window() *TimeWindow {
	if m == nil {
		return nil
	}
	return m.win
}

// Keeps reports whether relation rel (of this snapshot) is kept by the
// filter's period. Its ends are the caller's to check.
func (m *Members) Keeps(rel coopgraph.Relation) bool {
	if m == nil || m.win == nil {
		return true
	}
	return coopgraph.Active(rel, m.win.From, m.win.To)
}

// cacheKey is the part of a cache key that names the filter ("" for none).
func (m *Members) cacheKey() string {
	if m == nil {
		return ""
	}
	return m.key
}

// Filter returns the entities f keeps (nil for the zero filter, which
// keeps all). It is computed once per snapshot and filter, in O(n + m) per
// place or programme named, and kept with the snapshot's other results
// (see computations). An unknown kind, dataset or date, an id that is no
// entity of the field's kind, and an empty period are EINVALID errors
// naming the value; more than MaxFilterValues values in a field ELIMIT.
func (s *Snapshot) Filter(ctx context.Context, f EntityFilter) (*Members, error) {
	if f.IsZero() {
		return nil, nil
	}
	if err := s.checkFilter(f); err != nil {
		return nil, err
	}
	key := f.key()
	return shared(ctx, &s.computed, key, func(j *job) (*Members, int, error) {
		m, err := s.members(j, f)
		if m != nil {
			m.key = key
		}
		return m, len(s.ids) + 64, err
	})
}

// checkFilter validates f's values against the vocabulary and the
// snapshot's entities.
func (s *Snapshot) checkFilter(f EntityFilter) error {
	for _, field := range []struct {
		name   string
		values []string
	}{{"kinds", f.Kinds}, {"countries", f.Countries}, {"regions", f.Regions}, {"programmes", f.Programmes},
		{"datasets", f.Datasets}, {"documents", f.Documents}} {
		if len(field.values) > MaxFilterValues {
			return coopgraph.Errorf(coopgraph.ELIMIT, "filter %s has %d values; the limit is %d", coopgraph.Option(field.name), len(field.values), MaxFilterValues)
		}
	}
	for _, k := range f.Kinds {
		if !coopgraph.IsKind(k) {
			return coopgraph.Errorf(coopgraph.EINVALID, "unknown kind %q in filter %s", k, coopgraph.Option("kinds"))
		}
	}
	places := []struct {
		name  string
		ids   []string
		kinds []string
	}{{"countries", f.Countries, []string{"Country"}}, {"regions", f.Regions, []string{"Region", "City"}}, {"programmes", f.Programmes, []string{"Programme"}}}
	for _, p := range places {
		for _, id := range p.ids {
			x, ok := s.index[id]
			if !ok || !slices.Contains(p.kinds, s.kinds[s.kindOf[x]]) {
				return coopgraph.Errorf(coopgraph.EINVALID, "filter %s: %q is no %s of the network", coopgraph.Option(p.name), id, strings.Join(p.kinds, " or "))
			}
		}
	}
	for _, d := range f.Datasets {
		if !slices.Contains(FilterDatasets, d) {
			return coopgraph.Errorf(coopgraph.EINVALID, "unknown dataset %q in filter %s: use %s", d, coopgraph.Option("datasets"), strings.Join(FilterDatasets, ", "))
		}
	}
	for _, d := range f.Documents {
		if d == "" {
			return coopgraph.Errorf(coopgraph.EINVALID, "empty document in filter %s", coopgraph.Option("documents"))
		}
	}
	_, err := parseWindow(f.Window())
	return err
}

// FilterDatasets are the datasets an EntityFilter may name: the built-in
// sources.
var FilterDatasets = []string{"seed", "nuts", "cordis-h2020", "keep-interreg"}

// members computes the set f keeps: the intersection of each field's set.
func (s *Snapshot) members(j *job, f EntityFilter) (*Members, error) {
	n := len(s.ids)
	in := make([]bool, n)
	for i := range in {
		in[i] = true
	}
	and := func(set []bool) {
		for i := range in {
			in[i] = in[i] && set[i]
		}
	}
	if len(f.Kinds) > 0 {
		kinds, _ := s.kindFilter(f.Kinds)
		for i := range in {
			in[i] = in[i] && kinds[s.kindOf[i]]
		}
	}
	located := []string{"LOCATED_IN", "PART_OF"}
	for _, field := range []struct {
		ids  []string
		down []string // relation types followed from the place to what is in it
		// joined: what the entities there join (a place's organisations'
		// projects), or who joins them (a programme's projects' partners)
		joined bool
	}{{f.Countries, located, true}, {f.Regions, located, true}, {f.Programmes, []string{"PART_OF", "FUNDED_BY"}, false}} {
		if len(field.ids) == 0 {
			continue
		}
		if j.stopped() {
			return nil, j.err()
		}
		and(s.within(field.ids, field.down, field.joined))
	}
	win, _ := parseWindow(f.Window())
	if win != nil {
		and(s.activeIn(win))
	}
	if len(f.Datasets) > 0 {
		and(s.fromDatasets(f.Datasets))
	}
	if len(f.Documents) > 0 {
		and(s.citedIn(f.Documents))
	}
	m := &Members{in: in, s: s, win: f.Window()}
	for _, ok := range in {
		if ok {
			m.count++
		}
	}
	return m, nil
}

// within is the set of entities in any of the places (or programmes) ids:
// each place, what reaches it by a chain of relations of the types down
// stated towards it, and, over PARTICIPATES_IN and MEMBER_OF, what those
// entities join (joined) or who joins them (!joined).
func (s *Snapshot) within(ids []string, down []string, joined bool) []bool {
	in := make([]bool, len(s.ids))
	keep, _ := s.typeFilter(down)
	var queue []int32
	for _, id := range ids {
		x := s.index[id]
		if !in[x] {
			in[x] = true
			queue = append(queue, x)
		}
	}
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		for _, r := range s.via[s.off[u]:s.off[u+1]] {
			if !keep[s.typeOf(r)] || s.isFrom(u, r) {
				continue // only relations stated towards u
			}
			if v := s.other(u, r); !in[v] {
				in[v] = true
				queue = append(queue, v)
			}
		}
	}
	joins, _ := s.typeFilter([]string{"PARTICIPATES_IN", "MEMBER_OF"})
	out := slices.Clone(in)
	for u := range in {
		if !in[u] {
			continue
		}
		x := int32(u)
		for _, r := range s.via[s.off[x]:s.off[x+1]] {
			if joins[s.typeOf(r)] && s.isFrom(x, r) == joined {
				out[s.other(x, r)] = true
			}
		}
	}
	return out
}

// activeIn is the set of entities with a cooperation relation active at
// some day of w.
func (s *Snapshot) activeIn(w *window) []bool {
	in := make([]bool, len(s.ids))
	structural, _ := s.typeFilter(coopgraph.StructuralRelationTypes)
	mark := func(u, r int32) {
		if !structural[s.typeOf(r)] && s.active(r, w) {
			in[u] = true
		}
	}
	for u := range s.ids {
		x := int32(u)
		for _, r := range s.via[s.off[x]:s.off[x+1]] {
			mark(x, r)
			if in[x] {
				break
			}
		}
	}
	for i, r := range s.loops {
		mark(s.loopAt[i], r)
	}
	return in
}

// fromDatasets is the set of entities with a record of one of datasets.
func (s *Snapshot) fromDatasets(datasets []string) []bool {
	in := make([]bool, len(s.ids))
	for i := range in {
		for _, r := range s.entity(int32(i)).Records {
			if slices.Contains(datasets, r.Dataset) {
				in[i] = true
				break
			}
		}
	}
	return in
}

// citedIn is the set of entities that one of docs mentions, or whose
// relation one of docs states.
func (s *Snapshot) citedIn(docs []string) []bool {
	in := make([]bool, len(s.ids))
	for i := range in {
		for _, d := range s.entity(int32(i)).Documents {
			if slices.Contains(docs, d) {
				in[i] = true
				break
			}
		}
	}
	for r := range s.relAt {
		rel := s.relation(int32(r))
		if slices.Contains(docs, rel.Document) {
			in[s.index[rel.From]], in[s.index[rel.To]] = true, true
		}
	}
	return in
}

// NeighbourIDs is a neighbour of an entity by id, with the ids of the
// relations linking them (in coopgraph.LessNeighbour order).
type NeighbourIDs struct {
	ID        string
	Relations []string
}

// Neighbours lists the distinct entities at the other end of the relations
// touching id that pass f, whose other end passes m, and that m's period
// keeps: ordered by id as coopgraph.Store.Neighbours orders them (an
// entity with a relation to itself is its own neighbour). It is what a
// store answers with the filter's members on top, in O(degree), from the
// snapshot the members belong to. f must be checked (NeighbourFilter.Check).
func (s *Snapshot) Neighbours(id string, f coopgraph.NeighbourFilter, m *Members) ([]NeighbourIDs, error) {
	u, err := s.node(id)
	if err != nil {
		return nil, err
	}
	var out []NeighbourIDs
	add := func(v, r int32) {
		rel := s.relation(r)
		if !m.has(v) || !m.Keeps(*rel) || !f.Keeps(*rel, s.kinds[s.kindOf[v]]) {
			return
		}
		if n := len(out); n > 0 && out[n-1].ID == s.ids[v] {
			out[n-1].Relations = append(out[n-1].Relations, rel.ID)
			return
		}
		out = append(out, NeighbourIDs{ID: s.ids[v], Relations: []string{rel.ID}})
	}
	loopsDone := false
	loops := func() {
		for i, r := range s.loops {
			if s.loopAt[i] == u {
				add(u, r)
			}
		}
		loopsDone = true
	}
	for _, r := range s.via[s.off[u]:s.off[u+1]] {
		v := s.other(u, r)
		if !loopsDone && v > u {
			loops()
		}
		add(v, r)
	}
	if !loopsDone {
		loops()
	}
	for i := range out {
		rs := out[i].Relations
		slices.SortFunc(rs, func(a, b string) int {
			ra, _ := s.relationIndex(a)
			rb, _ := s.relationIndex(b)
			return cmp.Or(cmp.Compare(s.relation(ra).Type, s.relation(rb).Type), cmp.Compare(a, b))
		})
	}
	return out, nil
}

// FilterChoices are the values an EntityFilter can take on a snapshot:
// what a filter panel offers.
type FilterChoices struct {
	// Countries and Programmes are the ids of the network's Country and
	// Programme entities, by name.
	Countries, Programmes []string
	// Datasets are the FilterDatasets some entity's Records name.
	Datasets []string
	// Documents are the documents entities and relations cite, ascending.
	Documents []string
	// FirstYear and LastYear bound the years of the relations' dates
	// (empty when no relation is dated).
	FirstYear, LastYear string
}

// Choices returns the snapshot's FilterChoices, computed once per snapshot
// in O(n + m).
func (s *Snapshot) Choices(ctx context.Context) (*FilterChoices, error) {
	return shared(ctx, &s.computed, "filterChoices", func(j *job) (*FilterChoices, int, error) {
		c := &FilterChoices{}
		datasets, docs := map[string]bool{}, map[string]bool{}
		for i := range s.ids {
			e := s.entity(int32(i))
			switch e.Kind {
			case "Country":
				c.Countries = append(c.Countries, e.ID)
			case "Programme":
				c.Programmes = append(c.Programmes, e.ID)
			}
			for _, r := range e.Records {
				datasets[r.Dataset] = true
			}
			for _, d := range e.Documents {
				docs[d] = true
			}
		}
		for r := range s.relAt {
			rel := s.relation(int32(r))
			if rel.Document != "" {
				docs[rel.Document] = true
			}
			for _, d := range []string{rel.Start, rel.End} {
				if len(d) >= 4 {
					if y := d[:4]; c.FirstYear == "" || y < c.FirstYear {
						c.FirstYear = y
					}
					if y := d[:4]; y > c.LastYear {
						c.LastYear = y
					}
				}
			}
		}
		byName := func(a, b string) int {
			return cmp.Or(cmp.Compare(s.entity(s.index[a]).Name, s.entity(s.index[b]).Name), cmp.Compare(a, b))
		}
		slices.SortFunc(c.Countries, byName)
		slices.SortFunc(c.Programmes, byName)
		for _, d := range FilterDatasets {
			if datasets[d] {
				c.Datasets = append(c.Datasets, d)
			}
		}
		c.Documents = slices.Sorted(maps.Keys(docs))
		size := 16 * (len(c.Countries) + len(c.Programmes) + len(c.Documents))
		return c, size, nil
	})
}
