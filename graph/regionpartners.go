package graph

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"strings"
	"unsafe"

	"github.com/coopgraph/coopgraph"
)

// RegionPartnerOptions say at which level partner regions are counted and
// which projects count.
type RegionPartnerOptions struct {
	// Level is the level partner regions are reported at: 0 countries, 1–3
	// NUTS levels (2, regions such as Małopolskie, is the API's default).
	Level int
	// Window, when set, keeps only participations (and so projects) active
	// at some day of it (see TimeWindow): partners in 2014–2020.
	Window *TimeWindow
	// Programmes, when not empty, keeps only projects FUNDED_BY one of these
	// programmes or a programme PART_OF one of them (at any depth).
	Programmes []string
}

// RegionPartner is a region whose organisations share projects with those
// of another.
type RegionPartner struct {
	Region     string   // the partner region (a Country at level 0)
	Projects   []string // the distinct shared projects, ascending
	Programmes []string // the programmes the projects are FUNDED_BY, ascending
}

// MaxRegionLevel is the most detailed level of a region (NUTS 3).
const MaxRegionLevel = 3

// RegionPartners returns the regions whose organisations share projects
// with the organisations located in region, at any depth below it, most
// shared projects first.
//
// The organisations of region R are the entities LOCATED_IN a place of R:
// R itself and every Region, Country or City PART_OF (or, a city,
// LOCATED_IN) a place of R, at any depth; the places of R that take part
// in projects themselves (a region's self-government, as the seed writes
// Małopolskie PARTICIPATES_IN SYMBI) are among them. Their projects are the
// entities of kind Project they PARTICIPATES_IN (from them to the project).
// Each other participant of those projects — one that is not an
// organisation of R — is placed in the regions at Level above the places
// it is LOCATED_IN (or above itself, when it is a place): a place's level
// is 0 for a Country, else its property level, else the length of its
// property nuts less 2 (the seed's Małopolskie, nuts PL21, is level 2);
// places of no known level (a city, a macroregion) and places below Level
// are climbed through PART_OF (a city also through LOCATED_IN) until a
// place at Level is met; a place above Level places nothing. A partner
// region's count is the number of distinct projects with such a
// participant placed in it.
//
// R itself, the regions inside it and those it lies in are not partners:
// cooperation within R, or with the country around it, is not a partner
// region. At Level 0 the partners of Małopolskie are therefore the other
// countries.
//
// Partners are ordered by number of projects descending, then by region
// name (byte order), then id. The result is shared with other callers:
// read-only. Cost O(Σ deg) over the places of R, their organisations, their
// projects and the projects' participants, plus climbing each participant's
// places once.
//
// An unknown region or programme id is an ENOTFOUND error naming it; an id
// that is not a Region (or Country), a programme that is not a Programme,
// a level outside 0–3 or a bad window is an EINVALID error. The computation
// runs when ctx's Limiter admits it, shared with requests asking the same
// at the same time and kept with the snapshot (see shared).
func (s *Snapshot) RegionPartners(ctx context.Context, region string, opt RegionPartnerOptions) ([]RegionPartner, error) {
	rw, u, err := s.newRegionWalk(region, opt)
	if err != nil {
		return nil, err
	}
	key := cacheKey("regionPartners", region, opt.Level, sortedKey(opt.Programmes))
	if opt.Window != nil {
		key += "|window=" + opt.Window.From + "/" + opt.Window.To
	}
	return shared(ctx, &s.computed, key, func(j *job) ([]RegionPartner, int, error) {
		rw.j = j
		out := rw.partners(u)
		size := 0
		for _, p := range out {
			size += int(unsafe.Sizeof(p)) + 16*(len(p.Projects)+len(p.Programmes))
		}
		return out, size, nil
	})
}

// regionWalk is a validated RegionPartnerOptions and what one computation
// remembers of the places it climbed.
type regionWalk struct {
	s                                      *Snapshot
	j                                      *job
	partOf, locatedIn, takesPart, fundedBy []bool // one relation type each
	win                                    *window
	level                                  int
	programmes                             []bool // allowed programmes (nil: all)
	region, country, city, project, prog   int    // kind indexes, -1 when absent
	climbed                                map[int32][]int32
}

func (s *Snapshot) newRegionWalk(region string, opt RegionPartnerOptions) (*regionWalk, int32, error) {
	u, err := s.node(region)
	if err != nil {
		return nil, 0, err
	}
	rw := &regionWalk{s: s, level: opt.Level, climbed: map[int32][]int32{}}
	rw.region, rw.country, rw.city = s.kindIndex("Region"), s.kindIndex("Country"), s.kindIndex("City")
	rw.project, rw.prog = s.kindIndex("Project"), s.kindIndex("Programme")
	if k := int(s.kindOf[u]); k != rw.region && k != rw.country {
		return nil, 0, coopgraph.Errorf(coopgraph.EINVALID, "%q is of kind %s, not a Region", region, s.kinds[k])
	}
	if opt.Level < 0 || opt.Level > MaxRegionLevel {
		return nil, 0, coopgraph.Errorf(coopgraph.EINVALID, "%s %d: a region's level is 0 (country) to %d", coopgraph.Option("level"), opt.Level, MaxRegionLevel)
	}
	if rw.win, err = parseWindow(opt.Window); err != nil {
		return nil, 0, err
	}
	for _, t := range []struct {
		name string
		mask *[]bool
	}{{"PART_OF", &rw.partOf}, {"LOCATED_IN", &rw.locatedIn}, {"PARTICIPATES_IN", &rw.takesPart}, {"FUNDED_BY", &rw.fundedBy}} {
		*t.mask, _ = s.typeFilter([]string{t.name}) // of the vocabulary: no error
	}
	if len(opt.Programmes) > 0 {
		if rw.programmes, err = rw.programmeSet(opt.Programmes); err != nil {
			return nil, 0, err
		}
	}
	return rw, u, nil
}

// kindIndex is the index of kind k in s.kinds, -1 when no entity has it.
func (s *Snapshot) kindIndex(k string) int {
	if i, ok := slices.BinarySearch(s.kinds, k); ok {
		return i
	}
	return -1
}

// programmeSet marks the programmes given and those PART_OF them.
func (rw *regionWalk) programmeSet(ids []string) ([]bool, error) {
	s := rw.s
	in := make([]bool, len(s.ids))
	var queue []int32
	for _, id := range ids {
		p, err := s.node(id)
		if err != nil {
			return nil, err
		}
		if int(s.kindOf[p]) != rw.prog {
			return nil, coopgraph.Errorf(coopgraph.EINVALID, "%q in %s is of kind %s, not a Programme", id, coopgraph.Option("programmes"), s.kinds[s.kindOf[p]])
		}
		if !in[p] {
			in[p] = true
			queue = append(queue, p)
		}
	}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		s.incident(p, rw.partOf, func(x, r int32) {
			if !in[x] && !s.isFrom(p, r) && int(s.kindOf[x]) == rw.prog {
				in[x] = true
				queue = append(queue, x)
			}
		})
	}
	return in, nil
}

func (rw *regionWalk) isPlace(x int32) bool {
	k := int(rw.s.kindOf[x])
	return k == rw.region || k == rw.country || k == rw.city
}

// levelOf is a place's level: 0 for a Country, a Region's property level,
// else the length of its NUTS code less 2; -1 when unknown.
func (rw *regionWalk) levelOf(x int32) int {
	switch int(rw.s.kindOf[x]) {
	case rw.country:
		return 0
	case rw.region:
		e := rw.s.entity(x)
		if l, err := strconv.Atoi(e.Properties["level"]); err == nil {
			return l
		}
		if code := e.Properties["nuts"]; len(code) >= 2 {
			return len(code) - 2
		}
	}
	return -1
}

// parents calls f for each place x lies in: PART_OF it, or for a city
// also LOCATED_IN it.
func (rw *regionWalk) parents(x int32, f func(p int32)) {
	s := rw.s
	isCity := int(s.kindOf[x]) == rw.city
	s.incident(x, nil, func(p, r int32) {
		if !s.isFrom(x, r) || !rw.isPlace(p) {
			return
		}
		if s.kept(rw.partOf, r) || isCity && s.kept(rw.locatedIn, r) {
			f(p)
		}
	})
}

// climb returns the places at rw.level that place x lies in (x itself when
// it is at that level), ascending; remembered per walk.
func (rw *regionWalk) climb(x int32) []int32 {
	if out, ok := rw.climbed[x]; ok {
		return out
	}
	rw.climbed[x] = nil // a cycle of PART_OF reaches nothing more
	l := rw.levelOf(x)
	var out []int32
	switch {
	case l == rw.level:
		out = []int32{x}
	case l >= 0 && l < rw.level:
	default:
		rw.parents(x, func(p int32) { out = append(out, rw.climb(p)...) })
		slices.Sort(out)
		out = slices.Compact(out)
	}
	rw.climbed[x] = out
	return out
}

// placesOf returns the regions at rw.level participant x is placed in:
// above x when it is a place, else above the places it is LOCATED_IN.
func (rw *regionWalk) placesOf(x int32) []int32 {
	if rw.isPlace(x) {
		return rw.climb(x)
	}
	s := rw.s
	var out []int32
	s.incident(x, rw.locatedIn, func(p, r int32) {
		if s.isFrom(x, r) && rw.isPlace(p) {
			out = append(out, rw.climb(p)...)
		}
	})
	slices.Sort(out)
	return slices.Compact(out)
}

// inside marks u and every place below it (PART_OF it, or a city
// LOCATED_IN it, at any depth), and returns them.
func (rw *regionWalk) inside(u int32) ([]bool, []int32) {
	s := rw.s
	in := make([]bool, len(s.ids))
	in[u] = true
	places := []int32{u}
	for i := 0; i < len(places); i++ {
		p := places[i]
		s.incident(p, nil, func(x, r int32) {
			if in[x] || s.isFrom(p, r) || !rw.isPlace(x) {
				return
			}
			if s.kept(rw.partOf, r) || int(s.kindOf[x]) == rw.city && s.kept(rw.locatedIn, r) {
				in[x] = true
				places = append(places, x)
			}
		})
	}
	return in, places
}

// projectsOf calls f for each project x takes part in within the window
// and the programme filter; a project may come more than once.
func (rw *regionWalk) projectsOf(x int32, f func(c int32)) {
	s := rw.s
	s.incident(x, rw.takesPart, func(c, r int32) {
		if s.isFrom(x, r) && int(s.kindOf[c]) == rw.project && s.active(r, rw.win) && rw.funded(c) {
			f(c)
		}
	})
}

// funded reports whether project c passes the programme filter.
func (rw *regionWalk) funded(c int32) bool {
	if rw.programmes == nil {
		return true
	}
	ok := false
	rw.programmesOf(c, func(p int32) { ok = ok || rw.programmes[p] })
	return ok
}

// programmesOf calls f for each programme project c is FUNDED_BY.
func (rw *regionWalk) programmesOf(c int32, f func(p int32)) {
	s := rw.s
	s.incident(c, rw.fundedBy, func(p, r int32) {
		if s.isFrom(c, r) && int(s.kindOf[p]) == rw.prog {
			f(p)
		}
	})
}

// participantsOf calls f for each entity taking part in project c within
// the window.
func (rw *regionWalk) participantsOf(c int32, f func(x int32)) {
	s := rw.s
	s.incident(c, rw.takesPart, func(x, r int32) {
		if !s.isFrom(c, r) && s.active(r, rw.win) {
			f(x)
		}
	})
}

// own marks the organisations of the region (see RegionPartners): the
// places inside it and every entity LOCATED_IN one of them.
func (rw *regionWalk) own(in []bool, places []int32) []bool {
	s := rw.s
	mine := slices.Clone(in)
	for _, p := range places {
		s.incident(p, rw.locatedIn, func(x, r int32) {
			if !s.isFrom(p, r) && !rw.isPlace(x) {
				mine[x] = true
			}
		})
	}
	return mine
}

// excluded marks the regions that are no partner of u: u, the places
// inside it (in) and every place it lies in.
func (rw *regionWalk) excluded(u int32, in []bool) []bool {
	out := slices.Clone(in)
	queue := []int32{u}
	for len(queue) > 0 {
		x := queue[0]
		queue = queue[1:]
		rw.parents(x, func(p int32) {
			if !out[p] {
				out[p] = true
				queue = append(queue, p)
			}
		})
	}
	return out
}

// partners computes RegionPartners for u.
func (rw *regionWalk) partners(u int32) []RegionPartner {
	s := rw.s
	in, places := rw.inside(u)
	mine := rw.own(in, places)
	skip := rw.excluded(u, in)

	// The region's projects, ascending.
	var projects []int32
	for x, ok := range mine {
		if ok {
			rw.projectsOf(int32(x), func(c int32) { projects = append(projects, c) })
		}
	}
	slices.Sort(projects)
	projects = slices.Compact(projects)

	type row struct {
		region     int32
		projects   []int32
		programmes []int32
	}
	at := map[int32]int{} // region -> row
	var rows []row
	for i, c := range projects {
		if i%256 == 0 && rw.j.stopped() {
			return nil
		}
		var progs []int32
		rw.programmesOf(c, func(p int32) { progs = append(progs, p) })
		rw.participantsOf(c, func(x int32) {
			if mine[x] {
				return
			}
			for _, r := range rw.placesOf(x) {
				if skip[r] {
					continue
				}
				k, ok := at[r]
				if !ok {
					k = len(rows)
					at[r] = k
					rows = append(rows, row{region: r})
				}
				// Projects come in ascending order: a second participant
				// in r repeats the last one.
				if ps := rows[k].projects; len(ps) == 0 || ps[len(ps)-1] != c {
					rows[k].projects = append(ps, c)
					rows[k].programmes = append(rows[k].programmes, progs...)
				}
			}
		})
	}
	slices.SortFunc(rows, func(a, b row) int {
		return cmp.Or(cmp.Compare(len(b.projects), len(a.projects)),
			strings.Compare(s.entity(a.region).Name, s.entity(b.region).Name),
			cmp.Compare(a.region, b.region))
	})
	out := make([]RegionPartner, len(rows))
	for i, r := range rows {
		slices.Sort(r.programmes)
		out[i] = RegionPartner{Region: s.ids[r.region], Projects: s.idsOf(r.projects), Programmes: s.idsOf(slices.Compact(r.programmes))}
	}
	return out
}

// regionProjection builds the region–region network of p.RegionLevel: its
// nodes are the places at that level (Regions and Countries whose level,
// as RegionPartners reads it, is the one asked), its Via entities the
// projects. A region's projects are those with a participant placed in it
// as RegionPartners places the other participants (by LOCATED_IN, climbing
// PART_OF to the level). The weight of a link is the number of distinct
// projects the two share: for regions of one level, which do not overlap,
// what RegionPartners counts between them.
func (s *Snapshot) regionProjection(p *Projection) (*projGraph, error) {
	for _, k := range p.Kinds {
		if k != "Region" && k != "Country" {
			return nil, coopgraph.Errorf(coopgraph.EINVALID, "kind %q in the projection's %s: a region network projects regions (Region, Country)", k, coopgraph.Option("kinds"))
		}
	}
	for _, k := range p.Via {
		if k != "Project" {
			return nil, coopgraph.Errorf(coopgraph.EINVALID, "kind %q in the projection's %s: a region network links regions through projects", k, coopgraph.Option("via"))
		}
	}
	if len(p.RelationTypes) > 0 {
		return nil, coopgraph.Errorf(coopgraph.EINVALID, "a region network takes no %s: it reads LOCATED_IN, PART_OF and PARTICIPATES_IN", coopgraph.Option("relationTypes"))
	}
	rw := &regionWalk{s: s, level: *p.RegionLevel, climbed: map[int32][]int32{}}
	if rw.level < 0 || rw.level > MaxRegionLevel {
		return nil, coopgraph.Errorf(coopgraph.EINVALID, "%s %d: a region's level is 0 (country) to %d", coopgraph.Option("regionLevel"), rw.level, MaxRegionLevel)
	}
	rw.region, rw.country, rw.city = s.kindIndex("Region"), s.kindIndex("Country"), s.kindIndex("City")
	rw.project, rw.prog = s.kindIndex("Project"), s.kindIndex("Programme")
	for _, t := range []struct {
		name string
		mask *[]bool
	}{{"PART_OF", &rw.partOf}, {"LOCATED_IN", &rw.locatedIn}, {"PARTICIPATES_IN", &rw.takesPart}, {"FUNDED_BY", &rw.fundedBy}} {
		*t.mask, _ = s.typeFilter([]string{t.name})
	}

	n := len(s.ids)
	pg := &projGraph{pos: make([]int32, n)}
	for x := range n {
		pg.pos[x] = -1
		if k := int(s.kindOf[x]); (k == rw.region || k == rw.country) && rw.levelOf(int32(x)) == rw.level {
			pg.pos[x] = int32(len(pg.nodes))
			pg.nodes = append(pg.nodes, int32(x))
		}
	}
	// Each project's regions, projects in ascending order: each region's
	// list of projects comes out ascending and distinct.
	lists := make([][]int32, len(pg.nodes))
	deg := make([]int32, n+1)
	for c := range n {
		if int(s.kindOf[c]) != rw.project {
			continue
		}
		rw.participantsOf(int32(c), func(x int32) {
			for _, r := range rw.placesOf(x) {
				i := pg.pos[r]
				if l := lists[i]; len(l) == 0 || l[len(l)-1] != int32(c) {
					lists[i] = append(l, int32(c))
					deg[c]++
				}
			}
		})
	}
	pg.boff = make([]int32, len(pg.nodes)+1)
	for i, l := range lists {
		pg.bv = append(pg.bv, l...)
		pg.boff[i+1] = int32(len(pg.bv))
	}
	return pg, pg.project(n, deg)
}
