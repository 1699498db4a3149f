package graph

import (
	"cmp"
	"math"
	"slices"

	"github.com/coopgraph/coopgraph"
)

// DefaultContextKinds are the kinds of entity through which others
// cooperate when PartnerOptions.ContextKinds is empty: a project, a
// network, an event, an agreement. Programmes, strategies and places are
// not contexts: sharing a funding programme, a policy or a city is not
// partnership. Read-only.
var DefaultContextKinds = []string{"Project", "Network", "Event", "Agreement"}

// DefaultPartnerRelations are the relations by which an entity takes part
// in a context when PartnerOptions.RelationTypes is empty: it is a member
// of it, participates in it, founded, signed or organised it, or
// cooperates with it. The other relations describe rather than cooperate:
// a project PART_OF a network, a resolution that CONCERNS it, an event
// LOCATED_IN a city, a project FUNDED_BY a programme, a sponsor that
// SUPPORTS a network, a person who PRESENTED a project, an office that
// REPRESENTS a region or a person who WORKS_FOR an organisation take part
// in nothing. Read-only.
var DefaultPartnerRelations = []string{"MEMBER_OF", "PARTICIPATES_IN", "FOUNDED", "SIGNED", "ORGANISED", "COOPERATES_WITH"}

// NonPartnerKinds never take part in a context and have no partners,
// whatever the options: a programme funds and a strategy is adopted,
// neither cooperates. (Either can still be a context that others take part
// in when ContextKinds names it.) Read-only.
var NonPartnerKinds = []string{"Programme", "Strategy"}

// PartnerOptions say what counts as cooperating.
//
// A context is an entity of one of ContextKinds. An entity x takes part in
// a context c (x is a participant of c) when a counted relation runs from x
// to c, x ≠ c, and x is of any kind but NonPartnerKinds: a region MEMBER_OF
// a network, an organisation that PARTICIPATES_IN a project, but also a
// network that PARTICIPATES_IN a project (REVES in RESPONDET) or a network
// MEMBER_OF a network. The counted relations are RelationTypes, or
// DefaultPartnerRelations when it is empty. Relations are read in the
// direction the vocabulary writes them (from is the one that takes part):
// a relation out of a context makes the context take part in its target,
// if anything, never the target take part in the context.
//
// The contexts of an entity u are u itself when u is of a context kind,
// plus every context u takes part in. The partners of u are the
// participants, other than u, of any context of u, each with the contexts
// of u it takes part in: the partners of the project RESPONDET are its
// participants, REVES among them; the partners of REVES are, among
// others, the other participants of RESPONDET. An entity of a
// NonPartnerKinds kind has no partners.
//
// Partnership through a context both take part in is symmetric: x is a
// partner of y through c exactly when y is one of x through c. Partnership
// through u itself is not: the participants of a project are partners of
// the project, but the project is not a partner of theirs through it
// (nothing takes part in itself). Between two entities of kinds that are
// not contexts, partnership is therefore symmetric.
type PartnerOptions struct {
	// ContextKinds are the kinds that count as shared contexts; empty means
	// DefaultContextKinds. Each must be a kind of the vocabulary.
	ContextKinds []string
	// RelationTypes are the relations by which an entity takes part in a
	// context; empty means DefaultPartnerRelations. Each must be a relation
	// type of the vocabulary.
	RelationTypes []string
	// Window, when set, keeps only the relations active at some day of it
	// (see TimeWindow): who partnered with whom in 2019–2021.
	Window *TimeWindow
}

// Partner is an entity sharing contexts with another.
type Partner struct {
	ID       string   // the partner entity
	Contexts []string // ids of the shared contexts, ascending
}

// CommonPartner is a partner two entities a and b have in common.
type CommonPartner struct {
	ID    string
	WithA []string // contexts the partner shares with a, ascending
	WithB []string // contexts the partner shares with b, ascending
}

// Partners returns who cooperates with id: the participants, other than
// id, of the contexts of id (id itself when it is of a context kind, and
// every context it takes part in; see PartnerOptions), each with the
// contexts of id it takes part in. The partners of SYMBI are the
// organisations, regions and networks that PARTICIPATES_IN it (not its
// programme, nor a person who PRESENTED it, unless RelationTypes says
// so); the partners of a region are the participants of the projects,
// networks, events and agreements it takes part in. An entity of a
// NonPartnerKinds kind has none.
//
// This is the weighted bipartite projection of the participant–context
// graph B seen from one node. B has a participant copy ('p', x) of every
// entity x of a kind not in NonPartnerKinds and a context copy ('c', c) of
// every entity c of a context kind (an entity of both can sit on both
// sides), and an edge ('p', x)–('c', c) for every counted relation from x
// to c, x ≠ c. The partners of id are the neighbours of ('p', id) in
// nx.bipartite.weighted_projected_graph(B, participants), with
// len(Contexts) the weight of the projected edge, plus, when id is a
// context, the neighbours of ('c', id) in B, whose Contexts also hold id.
// Parallel relations to one context count once.
//
// Partners are ordered by number of shared contexts descending, then by id.
// Cost O(Σ deg(c)) over the contexts c of id, plus sorting the answer.
//
// An unknown id is an ENOTFOUND error; an unknown kind or relation type,
// or a bad window, is an EINVALID error naming it.
func (s *Snapshot) Partners(id string, opt PartnerOptions) ([]Partner, error) {
	all, _, err := s.PartnersPage(id, opt, math.MaxInt)
	return all, err
}

// PartnersPage is Partners cut to its first n partners (n ≥ 0), with the
// number of partners in all: only the page's ids are looked up, where a hub
// has thousands of partners.
func (s *Snapshot) PartnersPage(id string, opt PartnerOptions, n int) (page []Partner, total int, err error) {
	pc, err := s.newPartnerContext(opt)
	if err != nil {
		return nil, 0, err
	}
	u, err := s.node(id)
	if err != nil {
		return nil, 0, err
	}
	rows := pc.partners(u)
	page = make([]Partner, min(n, len(rows)))
	for i := range page {
		page[i] = Partner{ID: s.ids[rows[i].id], Contexts: s.idsOf(rows[i].ctx)}
	}
	return page, len(rows), nil
}

// CommonPartners returns the entities that are partners (as Partners
// defines them) of both a and b, each with the contexts it shares with a
// and with b. Neither a nor b is listed. When a == b, WithA and WithB are
// equal.
//
// Common partners are ordered by the total number of shared contexts,
// len(WithA) + len(WithB), descending, then by id. Cost: that of two
// Partners calls.
//
// Unknown ids are ENOTFOUND errors; an unknown kind or relation type, or a
// bad window, is an EINVALID error naming it.
func (s *Snapshot) CommonPartners(a, b string, opt PartnerOptions) ([]CommonPartner, error) {
	pc, err := s.newPartnerContext(opt)
	if err != nil {
		return nil, err
	}
	u, err := s.node(a)
	if err != nil {
		return nil, err
	}
	v, err := s.node(b)
	if err != nil {
		return nil, err
	}
	pa, pb := pc.partners(u), pc.partners(v)
	slices.SortFunc(pb, func(x, y partnerRow) int { return cmp.Compare(x.id, y.id) })
	type common struct {
		x      int32
		wa, wb []int32
	}
	var cs []common
	for _, ra := range pa {
		j, found := slices.BinarySearchFunc(pb, ra.id, func(r partnerRow, x int32) int { return cmp.Compare(r.id, x) })
		if found && ra.id != v { // a is never its own partner
			cs = append(cs, common{ra.id, ra.ctx, pb[j].ctx})
		}
	}
	slices.SortFunc(cs, func(p, q common) int {
		if c := cmp.Compare(len(q.wa)+len(q.wb), len(p.wa)+len(p.wb)); c != 0 {
			return c
		}
		return cmp.Compare(p.x, q.x)
	})
	out := make([]CommonPartner, len(cs))
	for i, c := range cs {
		out[i] = CommonPartner{ID: s.ids[c.x], WithA: s.idsOf(c.wa), WithB: s.idsOf(c.wb)}
	}
	return out, nil
}

// partnerContext is a validated PartnerOptions.
type partnerContext struct {
	s       *Snapshot
	context []bool  // kind index -> a context kind
	partner []bool  // kind index -> may take part in a context
	keep    []bool  // counted relation types
	win     *window // nil = no window
}

func (s *Snapshot) newPartnerContext(opt PartnerOptions) (*partnerContext, error) {
	kinds := opt.ContextKinds
	if len(kinds) == 0 {
		kinds = DefaultContextKinds
	}
	for _, k := range kinds {
		if !coopgraph.IsKind(k) {
			return nil, coopgraph.Errorf(coopgraph.EINVALID, "unknown kind %q in %s", k, coopgraph.Option("contextKinds"))
		}
	}
	types := opt.RelationTypes
	if len(types) == 0 {
		types = DefaultPartnerRelations
	}
	keep, err := s.typeFilter(types)
	if err != nil {
		return nil, err
	}
	win, err := parseWindow(opt.Window)
	if err != nil {
		return nil, err
	}
	pc := &partnerContext{s: s, context: make([]bool, len(s.kinds)), partner: make([]bool, len(s.kinds)), keep: keep, win: win}
	for i, k := range s.kinds {
		pc.context[i] = slices.Contains(kinds, k)
		pc.partner[i] = !slices.Contains(NonPartnerKinds, k)
	}
	return pc, nil
}

// incident is Snapshot.incident over the relations the options count.
func (pc *partnerContext) incident(u int32, f func(v, r int32)) {
	pc.s.incident(u, pc.keep, func(v, r int32) {
		if pc.s.active(r, pc.win) {
			f(v, r)
		}
	})
}

func (pc *partnerContext) isContext(x int32) bool {
	return pc.context[pc.s.kindOf[x]]
}

// canTakePart reports whether x is of a kind that may take part in a
// context: any kind but NonPartnerKinds.
func (pc *partnerContext) canTakePart(x int32) bool {
	return pc.partner[pc.s.kindOf[x]]
}

type partnerRow struct {
	id  int32
	ctx []int32 // ascending
}

// contexts returns the contexts of u, ascending: u itself when it is a
// context, and every context u takes part in.
func (pc *partnerContext) contexts(u int32) []int32 {
	var out []int32
	self := pc.isContext(u)
	// incident visits neighbours in ascending order and never u itself
	// (self-loops are skipped); a parallel relation repeats the last context.
	pc.incident(u, func(c, r int32) {
		if !pc.s.isFrom(u, r) || !pc.isContext(c) || len(out) > 0 && out[len(out)-1] == c {
			return
		}
		if self && u < c {
			out, self = append(out, u), false
		}
		out = append(out, c)
	})
	if self {
		out = append(out, u)
	}
	return out
}

// partners computes the partners of u, sorted by len(ctx) desc, then id.
func (pc *partnerContext) partners(u int32) []partnerRow {
	if !pc.canTakePart(u) {
		return nil // a programme or a strategy partners with no one
	}
	s := pc.s
	contexts := pc.contexts(u)
	// at[x] is x's row, or -1: a dense index, pooled per snapshot, instead
	// of a map (a hub has thousands of partners). Two walks: the first
	// counts each partner's contexts, the second fills them into one array
	// cut into the rows, so a call allocates three slices, not one a partner.
	at := s.rowIndex()
	defer s.putRowIndex(at)
	var rows []partnerRow
	var last, counts []int32 // for each row: the last context counted, and how many
	walk := func(visit func(i int32, c int32)) {
		for _, c := range contexts {
			pc.incident(c, func(x, r int32) {
				if x == u || !s.isFrom(x, r) || !pc.canTakePart(x) {
					return
				}
				i := at[x]
				if i < 0 {
					i = int32(len(rows))
					at[x] = i
					rows = append(rows, partnerRow{id: x})
					last, counts = append(last, -1), append(counts, 0)
				}
				// Contexts come in ascending order; a parallel relation
				// repeats the last one.
				if last[i] != c {
					last[i] = c
					visit(i, c)
				}
			})
		}
	}
	walk(func(i, c int32) { counts[i]++ })
	total := 0
	for _, n := range counts {
		total += int(n)
	}
	flat := make([]int32, 0, total)
	for i, n := range counts {
		rows[i].ctx = flat[len(flat) : len(flat) : len(flat)+int(n)]
		flat = flat[:len(flat)+int(n)]
	}
	for i := range last {
		last[i] = -1
	}
	walk(func(i, c int32) { rows[i].ctx = append(rows[i].ctx, c) })
	for _, r := range rows {
		at[r.id] = -1
	}
	slices.SortFunc(rows, func(a, b partnerRow) int {
		if c := cmp.Compare(len(b.ctx), len(a.ctx)); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
	return rows
}

// rowIndex returns a slice of -1s, one per entity, from the snapshot's
// pool; putRowIndex takes it back, all -1s again.
func (s *Snapshot) rowIndex() []int32 {
	if at, ok := s.rowIndexes.Get().(*[]int32); ok {
		return *at
	}
	at := make([]int32, len(s.ids))
	for i := range at {
		at[i] = -1
	}
	return at
}

func (s *Snapshot) putRowIndex(at []int32) { s.rowIndexes.Put(&at) }

// idsOf maps node indexes to entity ids.
func (s *Snapshot) idsOf(xs []int32) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = s.ids[x]
	}
	return out
}

// incident calls f(v, r) for every kept relation r between u and another
// entity v (self-loops excluded), in ascending order of v, then r. It is
// the only place outside the paths code that reads the CSR adjacency
// (s.off, s.via, s.other): a change of that layout needs a change here
// only.
func (s *Snapshot) incident(u int32, keep []bool, f func(v, r int32)) {
	for _, r := range s.via[s.off[u]:s.off[u+1]] {
		if s.kept(keep, r) {
			f(s.other(u, r), r)
		}
	}
}
