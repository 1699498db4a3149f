package server_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/server/graphqltest"
)

// coopPath is a path with each hop's relations, as the cooperation tests
// read it.
type coopPath struct {
	Length int
	Text   string
	Nodes  []struct{ ID, Kind string }
	Hops   []struct {
		Relation  struct{ ID, Type string }
		Relations []struct{ ID, Type string }
	}
}

// types lists the types of every relation of p's hops.
func (p coopPath) types() []string {
	var out []string
	for _, h := range p.Hops {
		for _, r := range h.Relations {
			out = append(out, r.Type)
		}
	}
	return out
}

const coopPathFields = `length text nodes { id kind } hops { relation { id type } relations { id type } }`

// TestPathsFollowCooperation: by default the seed's classic question, how
// could Małopolska reach the City of Turin, answers by cooperation (both
// take part in RESPONDET) and no default path takes LOCATED_IN, PART_OF or FUNDED_BY
// (the cities of Kraków and Turin, mere places, are not linked at all);
// structural: true, or naming those types, follows them again; every hop
// lists its relation among its relations.
func TestPathsFollowCooperation(t *testing.T) {
	h := seedHandler(t)
	var got struct {
		Turin, Places, Structural, Named *coopPath
		All, K                           []coopPath
	}
	graphqltest.Data(t, h, `{
	  turin: shortestPath(from: "malopolskie", to: "city-of-turin") { `+coopPathFields+` }
	  places: shortestPath(from: "krakow", to: "turin") { `+coopPathFields+` }
	  structural: shortestPath(from: "krakow", to: "turin", structural: true) { `+coopPathFields+` }
	  named: shortestPath(from: "rops-krakow", to: "umwm", relationTypes: ["PART_OF"]) { `+coopPathFields+` }
	  all: allShortestPaths(from: "opolskie", to: "city-of-turin") { `+coopPathFields+` }
	  k: kShortestPaths(from: "malopolskie", to: "city-of-turin", k: 10) { `+coopPathFields+` } }`, nil, &got)
	if got.Turin == nil || !strings.Contains(got.Turin.Text, "RESPONDET") && !slices.ContainsFunc(got.Turin.Nodes, func(n struct{ ID, Kind string }) bool { return n.ID == "respondet" }) {
		t.Errorf("Małopolska → City of Turin: %+v, want it through RESPONDET", got.Turin)
	}
	for name, ps := range map[string][]coopPath{"turin": {*got.Turin}, "all": got.All, "k": got.K} {
		if len(ps) == 0 {
			t.Errorf("%s: no path", name)
		}
		for _, p := range ps {
			if slices.ContainsFunc(p.types(), coopgraph.IsStructural) {
				t.Errorf("%s: %s takes a structural relation (%v)", name, p.Text, p.types())
			}
			for _, hop := range p.Hops {
				if !slices.Contains(hop.Relations, hop.Relation) {
					t.Errorf("%s: %s: hop relation %v not among %v", name, p.Text, hop.Relation, hop.Relations)
				}
			}
		}
	}
	// Kraków and Turin, the cities, are only places: what is located in them links them.
	if got.Places != nil {
		t.Errorf("Kraków → Turin by cooperation: %+v, want none", got.Places)
	}
	if got.Structural == nil || !slices.Contains(got.Structural.types(), "LOCATED_IN") {
		t.Errorf("Kraków → Turin, structural: true: %+v, want a path by LOCATED_IN", got.Structural)
	}
	if got.Named == nil || got.Named.Length != 2 || !slices.Equal(got.Named.types(), []string{"PART_OF", "PART_OF"}) {
		t.Errorf("relationTypes [PART_OF]: %+v, want ROPS Kraków and the Marshal's Office, both part of Małopolska", got.Named)
	}
	seen := map[string]bool{}
	for _, p := range got.K {
		var ids []string
		for _, n := range p.Nodes {
			ids = append(ids, n.ID)
		}
		if key := fmt.Sprint(ids); seen[key] {
			t.Errorf("kShortestPaths gives the route %v twice", ids)
		} else {
			seen[key] = true
		}
	}
}

// TestShortestPathSubgraph: the layered subgraph of every shortest path
// from Opolskie to the City of Turin holds exactly the entities and hops
// of allShortestPaths, layer by layer, and counts them.
func TestShortestPathSubgraph(t *testing.T) {
	h := seedHandler(t)
	type ent struct{ ID string }
	var got struct {
		All []struct {
			Nodes     []ent
			Relations []ent
		}
		Sub struct {
			Length    int
			PathCount float64
			Layers    []struct {
				Position int
				Entities []ent
			}
			Links []struct {
				Position  int
				From, To  ent
				Relations []ent
			}
		}
	}
	graphqltest.Data(t, h, `{
	  all: allShortestPaths(from: "opolskie", to: "city-of-turin") { nodes { id } relations { id } }
	  sub: shortestPathSubgraph(from: "opolskie", to: "city-of-turin") {
	    length pathCount layers { position entities { id } } links { position from { id } to { id } relations { id } } } }`, nil, &got)
	sub := got.Sub
	if len(got.All) == 0 || sub.PathCount != float64(len(got.All)) || sub.Length != len(got.All[0].Relations) || len(sub.Layers) != sub.Length+1 {
		t.Fatalf("subgraph %+v for %d paths", sub, len(got.All))
	}
	layers := make([]map[string]bool, sub.Length+1)
	links := map[string]bool{}
	for k := range layers {
		layers[k] = map[string]bool{}
	}
	for _, p := range got.All {
		for k, n := range p.Nodes {
			layers[k][n.ID] = true
		}
		for k, r := range p.Relations {
			links[fmt.Sprint(k, p.Nodes[k].ID, p.Nodes[k+1].ID, r.ID)] = true
		}
	}
	for k, l := range sub.Layers {
		if l.Position != k || len(l.Entities) != len(layers[k]) {
			t.Errorf("layer %d: %+v, want %v", k, l, layers[k])
		}
		for _, e := range l.Entities {
			if !layers[k][e.ID] {
				t.Errorf("layer %d holds %s, on no shortest path there", k, e.ID)
			}
		}
	}
	n := 0
	for _, l := range sub.Links {
		for _, r := range l.Relations {
			n++
			if !links[fmt.Sprint(l.Position, l.From.ID, l.To.ID, r.ID)] {
				t.Errorf("link %+v: relation %s on no shortest path", l, r.ID)
			}
		}
	}
	if n != len(links) {
		t.Errorf("the links carry %d relations, the paths %d", n, len(links))
	}
	resp := graphqltest.Do(t, h, `{ shortestPathSubgraph(from: "opolskie", to: "malopolskie", maxHops: 13) { length } }`, nil)
	if len(resp.Errors) != 1 || resp.Errors[0].Extensions.Code != "LIMIT_EXCEEDED" {
		t.Errorf("maxHops 13: %+v, want LIMIT_EXCEEDED", resp.Errors)
	}
}
