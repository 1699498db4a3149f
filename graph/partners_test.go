package graph

import (
	"fmt"
	"slices"
	"testing"

	"github.com/coopgraph/coopgraph"
)

type partnerCase struct {
	ContextKinds  []string
	RelationTypes []string
	Partners      map[string][]Partner // entity id -> its partners, in order
	Common        []struct {
		A, B     string
		Partners []CommonPartner
	}
}

type projectionCase struct {
	Kinds, Via, RelationTypes []string
	Nodes                     []string // the projected entities
	Edges                     []ProjectedEdge
}

func partnersEqual(a, b []Partner) bool {
	return len(a) == len(b) && slices.EqualFunc(a, b, func(x, y Partner) bool {
		return x.ID == y.ID && slices.Equal(x.Contexts, y.Contexts)
	})
}

// TestPartnersNetworkx: for every entity of the fixture networks and
// several options, Partners equals what networkx 2.8.8 computes on the
// participant–context graph B (a participant copy ('p', x) of every entity
// not of a NonPartnerKinds kind, a context copy ('c', c) of every entity of
// a context kind, an edge for every counted relation from x to c ≠ x): the
// neighbours of ('p', id) in nx.bipartite.weighted_projected_graph(B,
// participants), each with the shared contexts (the common neighbours in
// B, as many as the projected edge's weight), plus, for an entity of a
// context kind, the participants of ('c', id) with id added to their
// contexts; in order of number of contexts desc, then id. CommonPartners
// is checked on sampled pairs against the intersection of the two partner
// lists.
func TestPartnersNetworkx(t *testing.T) {
	n := 0
	forGraphs(t, "partners", func(t *testing.T, g *structureGraph, s *Snapshot, _ []struct{}) {
		for _, c := range g.PartnerCases {
			opt := PartnerOptions{ContextKinds: c.ContextKinds, RelationTypes: c.RelationTypes}
			for _, id := range g.Entities {
				n++
				got, err := s.Partners(id, opt)
				if err != nil {
					t.Fatalf("%+v/%s: %v", opt, id, err)
				}
				if want := c.Partners[id]; !partnersEqual(got, want) {
					t.Errorf("%+v/%s:\n got %v\nwant %v", opt, id, got, want)
				}
			}
			for _, p := range c.Common {
				got, err := s.CommonPartners(p.A, p.B, opt)
				if err != nil {
					t.Fatalf("%+v/%s+%s: %v", opt, p.A, p.B, err)
				}
				if !slices.EqualFunc(got, p.Partners, func(x, y CommonPartner) bool {
					return x.ID == y.ID && slices.Equal(x.WithA, y.WithA) && slices.Equal(x.WithB, y.WithB)
				}) {
					t.Errorf("%+v/%s+%s:\n got %v\nwant %v", opt, p.A, p.B, got, p.Partners)
				}
			}
		}
	})
	if n < 200 {
		t.Errorf("only %d cases", n)
	}
}

// symbiDataset is a miniature of the seed's SYMBI: a project with its
// partners (PARTICIPATES_IN, dated), its programme (FUNDED_BY, out of the
// project), a person who presented it, a network Małopolska is a member
// of, a later project with a network among its partners (REVES, itself a
// member of the first network and with a member of its own), and another
// project of the programme.
func symbiDataset() *coopgraph.Dataset {
	ds := &coopgraph.Dataset{}
	ent := func(kind string, ids ...string) {
		for _, id := range ids {
			ds.Entities = append(ds.Entities, coopgraph.Entity{ID: id, Kind: kind})
		}
	}
	ent("Project", "symbi", "respondet", "ithaca")
	ent("Organisation", "fundecyt", "hamk", "umwm", "pannon-novum", "concertes")
	ent("Region", "malopolskie", "hame")
	ent("Programme", "interreg-europe")
	ent("Person", "anna-mlost")
	ent("Network", "vanguard", "reves")
	rel := func(from, typ, to, start, end string) {
		ds.Relations = append(ds.Relations, coopgraph.Relation{ID: fmt.Sprintf("r%02d", len(ds.Relations)),
			Type: typ, From: from, To: to, Start: start, End: end})
	}
	for _, p := range []string{"fundecyt", "hamk", "umwm", "malopolskie", "hame"} {
		rel(p, "PARTICIPATES_IN", "symbi", "2016", "2021")
	}
	rel("malopolskie", "PARTICIPATES_IN", "symbi", "2016", "2021") // stated twice
	rel("symbi", "FUNDED_BY", "interreg-europe", "", "")
	rel("anna-mlost", "PRESENTED", "symbi", "2019-02-11", "")
	rel("anna-mlost", "WORKS_FOR", "umwm", "", "")
	rel("malopolskie", "MEMBER_OF", "vanguard", "2013-11", "")
	rel("hame", "MEMBER_OF", "vanguard", "2014", "")
	rel("malopolskie", "PARTICIPATES_IN", "respondet", "2022-05-01", "2023-10-31")
	rel("pannon-novum", "PARTICIPATES_IN", "respondet", "2022-05-01", "2023-10-31")
	rel("reves", "PARTICIPATES_IN", "respondet", "2022-05-01", "2023-10-31") // a network as a partner
	rel("reves", "MEMBER_OF", "vanguard", "", "")                            // a network in a network
	rel("concertes", "MEMBER_OF", "reves", "", "")
	rel("ithaca", "FUNDED_BY", "interreg-europe", "", "")
	return ds
}

func TestPartnersSymbi(t *testing.T) {
	s := NewSnapshot(symbiDataset())
	p := func(id string, ctx ...string) Partner { return Partner{ID: id, Contexts: ctx} }
	for _, tc := range []struct {
		id   string
		opt  PartnerOptions
		want []Partner
	}{
		// The partners of a project: what takes part in it, not its
		// programme (FUNDED_BY runs out of the project) nor, by default, a
		// person who PRESENTED it.
		{"symbi", PartnerOptions{}, []Partner{p("fundecyt", "symbi"), p("hame", "symbi"),
			p("hamk", "symbi"), p("malopolskie", "symbi"), p("umwm", "symbi")}},
		{"symbi", PartnerOptions{RelationTypes: []string{"PARTICIPATES_IN", "PRESENTED"}}, []Partner{p("anna-mlost", "symbi"),
			p("fundecyt", "symbi"), p("hame", "symbi"), p("hamk", "symbi"), p("malopolskie", "symbi"), p("umwm", "symbi")}},
		// A network that takes part in a project is one of its partners.
		{"respondet", PartnerOptions{}, []Partner{p("malopolskie", "respondet"), p("pannon-novum", "respondet"), p("reves", "respondet")}},
		// A network's contexts: itself, the project and the network it takes
		// part in.
		{"reves", PartnerOptions{}, []Partner{p("malopolskie", "respondet", "vanguard"), p("concertes", "reves"),
			p("hame", "vanguard"), p("pannon-novum", "respondet")}},
		{"vanguard", PartnerOptions{}, []Partner{p("hame", "vanguard"), p("malopolskie", "vanguard"), p("reves", "vanguard")}},
		// A member of REVES shares no context with REVES: REVES does not
		// take part in itself.
		{"concertes", PartnerOptions{}, []Partner{}},
		// A region's partners through projects and networks, most shared first.
		{"malopolskie", PartnerOptions{}, []Partner{p("hame", "symbi", "vanguard"), p("reves", "respondet", "vanguard"),
			p("fundecyt", "symbi"), p("hamk", "symbi"), p("pannon-novum", "respondet"), p("umwm", "symbi")}},
		{"malopolskie", PartnerOptions{ContextKinds: []string{"Network"}}, []Partner{p("hame", "vanguard"), p("reves", "vanguard")}},
		// A window: relations active at some day of it.
		{"malopolskie", PartnerOptions{Window: &TimeWindow{From: "2022", To: "2022"}}, []Partner{p("reves", "respondet", "vanguard"),
			p("hame", "vanguard"), p("pannon-novum", "respondet")}},
		{"malopolskie", PartnerOptions{Window: &TimeWindow{To: "2012"}}, []Partner{}},
		{"vanguard", PartnerOptions{Window: &TimeWindow{To: "2013-06"}}, []Partner{p("reves", "vanguard")}},
		// The programme takes part in nothing and has no partners, even as a
		// context; the projects it funds take part in it when FUNDED_BY
		// counts.
		{"interreg-europe", PartnerOptions{}, []Partner{}},
		{"interreg-europe", PartnerOptions{ContextKinds: []string{"Programme"}, RelationTypes: []string{"FUNDED_BY"}}, []Partner{}},
		{"symbi", PartnerOptions{ContextKinds: []string{"Project", "Programme"}, RelationTypes: []string{"FUNDED_BY"}},
			[]Partner{p("ithaca", "interreg-europe")}},
		{"symbi", PartnerOptions{ContextKinds: []string{"Programme"}, RelationTypes: []string{"FUNDED_BY", "PARTICIPATES_IN"}},
			[]Partner{p("ithaca", "interreg-europe")}},
	} {
		got, err := s.Partners(tc.id, tc.opt)
		if err != nil || !partnersEqual(got, tc.want) || got == nil {
			t.Errorf("Partners(%s, %+v) = %v, %v\nwant %v", tc.id, tc.opt, got, err, tc.want)
		}
	}
	got, err := s.CommonPartners("concertes", "hame", PartnerOptions{})
	if err != nil || len(got) != 0 || got == nil {
		t.Errorf("CommonPartners(concertes, hame) = %v, %v; want none", got, err)
	}
	for _, tc := range []struct {
		a, b string
		want []CommonPartner
	}{
		{"hame", "fundecyt", []CommonPartner{{"malopolskie", []string{"symbi", "vanguard"}, []string{"symbi"}},
			{"hamk", []string{"symbi"}, []string{"symbi"}}, {"umwm", []string{"symbi"}, []string{"symbi"}}}},
		{"malopolskie", "pannon-novum", []CommonPartner{{"reves", []string{"respondet", "vanguard"}, []string{"respondet"}}}},
		// A project and one of its partners: the other partners, through
		// the project on both sides.
		{"respondet", "reves", []CommonPartner{{"malopolskie", []string{"respondet"}, []string{"respondet", "vanguard"}},
			{"pannon-novum", []string{"respondet"}, []string{"respondet"}}}},
	} {
		got, err := s.CommonPartners(tc.a, tc.b, PartnerOptions{})
		if err != nil || fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("CommonPartners(%s, %s) = %v, %v\nwant %v", tc.a, tc.b, got, err, tc.want)
		}
	}
}

func TestPartnersArguments(t *testing.T) {
	s := NewSnapshot(symbiDataset())
	for _, tc := range []struct {
		a, b string
		opt  PartnerOptions
		code string
		says string
	}{
		{"nobody", "symbi", PartnerOptions{}, coopgraph.ENOTFOUND, "nobody"},
		{"symbi", "nobody", PartnerOptions{}, coopgraph.ENOTFOUND, "nobody"},
		{"symbi", "hame", PartnerOptions{ContextKinds: []string{"Projekt"}}, coopgraph.EINVALID, "Projekt"},
		{"symbi", "hame", PartnerOptions{RelationTypes: []string{"LIKES"}}, coopgraph.EINVALID, "LIKES"},
		{"symbi", "hame", PartnerOptions{Window: &TimeWindow{From: "2022", To: "2020"}}, coopgraph.EINVALID, "2022"},
		{"symbi", "hame", PartnerOptions{Window: &TimeWindow{From: "2022-13"}}, coopgraph.EINVALID, "2022-13"},
	} {
		_, err := s.CommonPartners(tc.a, tc.b, tc.opt)
		if coopgraph.ErrorCode(err) != tc.code || !errorMentions(err, tc.says) {
			t.Errorf("CommonPartners(%s, %s, %+v): %v, want %s naming %s", tc.a, tc.b, tc.opt, err, tc.code, tc.says)
		}
		if tc.a != "nobody" && tc.b != "nobody" {
			_, err := s.Partners(tc.a, tc.opt)
			if coopgraph.ErrorCode(err) != tc.code || !errorMentions(err, tc.says) {
				t.Errorf("Partners(%s, %+v): %v, want %s naming %s", tc.a, tc.opt, err, tc.code, tc.says)
			}
		}
	}
	if _, err := s.Partners("nobody", PartnerOptions{}); coopgraph.ErrorCode(err) != coopgraph.ENOTFOUND {
		t.Errorf("Partners(nobody): %v", err)
	}
}
