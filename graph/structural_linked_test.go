package graph_test

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/graph"
	"github.com/coopgraph/coopgraph/loader"
	"github.com/coopgraph/coopgraph/sources"
)

// TestPathsLinkedLeaveStructureOut: on the built-in linked network, a
// path by the API's default relation types (coopgraph.PathRelationTypes
// without types) between two organisations located in different countries
// never takes LOCATED_IN, PART_OF or FUNDED_BY and never passes through a
// Country or a programme;
// a Region on it, if any, is an actor (a regional government taking part
// in a project), entered by a cooperation relation. Some pairs are not
// linked by cooperation at all (a single-beneficiary SME project is its
// organisation's only tie): the default says so rather than linking them
// through their countries or their programme. With the structural
// relations, the same pairs are as near as "located in → country ← …"
// makes them: the comparison shows what the default leaves out (and that
// the test is not vacuous).
func TestPathsLinkedLeaveStructureOut(t *testing.T) {
	if testing.Short() {
		t.Skip("the linked network takes a second to read")
	}
	n, _, err := sources.BuiltinNetwork(loader.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ds := n.Dataset
	s := graph.NewSnapshot(ds)
	country := map[string]string{} // organisation -> the country it is located in
	kind := map[string]string{}
	for _, e := range ds.Entities {
		kind[e.ID] = e.Kind
	}
	for _, r := range ds.Relations {
		if r.Type == "LOCATED_IN" && kind[r.From] == "Organisation" && kind[r.To] == "Country" {
			country[r.From] = r.To
		}
	}
	var orgs []string
	for id := range country {
		orgs = append(orgs, id)
	}
	slices.Sort(orgs)
	if len(orgs) < 1000 {
		t.Fatalf("only %d organisations located in a country", len(orgs))
	}
	rng := rand.New(rand.NewPCG(16, 1))
	def := graph.PathOptions{RelationTypes: coopgraph.PathRelationTypes(nil, false)}
	all := graph.PathOptions{RelationTypes: coopgraph.PathRelationTypes(nil, true)}
	pairs, viaCountry, connected := 0, 0, 0
	for pairs < 40 {
		a, b := orgs[rng.IntN(len(orgs))], orgs[rng.IntN(len(orgs))]
		if country[a] == country[b] {
			continue
		}
		pairs++
		p, err := s.ShortestPath(a, b, def)
		if err != nil {
			t.Fatal(err)
		}
		if p != nil {
			connected++
			checkCooperationPath(t, s, p)
		}
		q, err := s.ShortestPath(a, b, all)
		if err != nil || q == nil {
			t.Fatalf("%s -> %s with structural relations: %v, %v", a, b, q, err)
		}
		if p != nil && q.Cost > p.Cost {
			t.Errorf("%s -> %s: %v hops with every relation, %v without the structural ones", a, b, q.Cost, p.Cost)
		}
		if slices.ContainsFunc(q.Nodes[1:len(q.Nodes)-1], func(x string) bool { return kind[x] == "Country" }) {
			viaCountry++
		}
	}
	t.Logf("%d pairs of organisations in different countries: %d connected by cooperation; with the structural relations, %d shortest paths run through a Country", pairs, connected, viaCountry)
	if connected < pairs/2 || viaCountry == 0 {
		t.Errorf("%d of %d pairs connected by cooperation, %d via a country with structural relations", connected, pairs, viaCountry)
	}
}

func checkCooperationPath(t *testing.T, s *graph.Snapshot, p *graph.Path) {
	t.Helper()
	for i, hop := range p.Hops {
		for _, id := range hop {
			r, _ := s.Relation(id)
			if coopgraph.IsStructural(r.Type) {
				t.Errorf("%v: hop %d takes %s %s", p.Nodes, i, r.Type, id)
			}
		}
	}
	for _, x := range p.Nodes[1 : len(p.Nodes)-1] {
		if k, _ := s.Kind(x); k == "Country" || k == "Programme" {
			t.Errorf("%v passes through the %s %s", p.Nodes, k, x)
		}
	}
}
