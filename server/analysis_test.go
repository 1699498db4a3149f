package server_test

import (
	"strings"
	"testing"

	"github.com/coopgraph/coopgraph/server/graphqltest"
)

// The engine's analyses, asked through GraphQL on the seed network.

func TestKShortestPathsExplainEveryHop(t *testing.T) {
	h := seedHandler(t)
	var got struct {
		KShortestPaths []struct {
			Length int
			Cost   float64
			Text   string
			Nodes  []entity
		}
	}
	graphqltest.Data(t, h, `{ kShortestPaths(from: "opolskie", to: "malopolskie", k: 4) { length cost text nodes { id } } }`, nil, &got)
	ps := got.KShortestPaths
	if len(ps) != 4 {
		t.Fatalf("%d paths, want 4", len(ps))
	}
	if ps[0].Nodes[1].ID != "dom-polski-poludniowej" && ps[0].Length != 2 {
		t.Errorf("first path %+v", ps[0])
	}
	for i, p := range ps {
		if i > 0 && p.Cost < ps[i-1].Cost {
			t.Errorf("paths not cheapest first: %v then %v", ps[i-1].Cost, p.Cost)
		}
		if !strings.HasPrefix(p.Text, "Województwo Opolskie") || !strings.Contains(p.Text, "→") && !strings.Contains(p.Text, "←") {
			t.Errorf("path text %q", p.Text)
		}
	}
}

func TestPathConstraints(t *testing.T) {
	h := seedHandler(t)
	var got struct {
		Avoiding, MembersOnly, Hub *struct {
			Length int
			Nodes  []entity
		}
	}
	graphqltest.Data(t, h, `{
	  avoiding: shortestPath(from: "opolskie", to: "malopolskie", avoid: ["dom-polski-poludniowej"]) { length nodes { id } }
	  membersOnly: shortestPath(from: "opolskie", to: "malopolskie", relationTypes: ["MEMBER_OF"], viaKinds: ["Network"]) { length nodes { id } }
	  hub: shortestPath(from: "opolskie", to: "city-of-turin", weight: HUB) { length nodes { id } } }`, nil, &got)
	if got.Avoiding == nil {
		t.Fatal("no path avoiding Dom Polski Południowej")
	}
	for _, n := range got.Avoiding.Nodes {
		if n.ID == "dom-polski-poludniowej" {
			t.Errorf("avoided entity on the path: %+v", got.Avoiding)
		}
	}
	if got.MembersOnly == nil || got.MembersOnly.Length != 2 {
		t.Errorf("MEMBER_OF through networks: %+v", got.MembersOnly)
	}
	if got.Hub == nil || got.Hub.Nodes[len(got.Hub.Nodes)-1].ID != "city-of-turin" {
		t.Errorf("hub-aware path: %+v", got.Hub)
	}
	resp := graphqltest.Do(t, h, `{ shortestPath(from: "opolskie", to: "malopolskie", activeFrom: "2020", activeTo: "2019") { length } }`, nil)
	if len(resp.Errors) == 0 || resp.Errors[0].Extensions.Code != "INVALID_ARGUMENT" {
		t.Errorf("a window ending before it starts: %+v", resp.Errors)
	}
	resp = graphqltest.Do(t, h, `{ kShortestPaths(from: "opolskie", to: "malopolskie", k: 100000) { length } }`, nil)
	if len(resp.Errors) == 0 || resp.Errors[0].Extensions.Code != "LIMIT_EXCEEDED" {
		t.Errorf("huge k: %+v", resp.Errors)
	}
}

func TestPartnersThroughSharedProjects(t *testing.T) {
	h := seedHandler(t)
	var got struct {
		Partners []struct {
			Partner  entity
			Count    int
			Contexts []entity
		}
		CommonPartners []struct {
			Partner      entity
			WithA, WithB []entity
		}
	}
	graphqltest.Data(t, h, `{
	  partners(id: "city-of-turin") { partner { id } count contexts { id } }
	  commonPartners(a: "city-of-turin", b: "opolskie") { partner { id } withA { id } withB { id } } }`, nil, &got)
	found := false
	for _, p := range got.Partners {
		if p.Count != len(p.Contexts) {
			t.Errorf("%s: count %d, %d contexts", p.Partner.ID, p.Count, len(p.Contexts))
		}
		if p.Partner.ID == "malopolskie" {
			found = true
			if len(p.Contexts) == 0 || p.Contexts[0].ID != "respondet" {
				t.Errorf("Turin and Małopolska share %+v, want RESPONDET", p.Contexts)
			}
		}
	}
	if !found {
		t.Errorf("Małopolska is not among Turin's partners: %+v", got.Partners)
	}
	for _, c := range got.CommonPartners {
		if len(c.WithA) == 0 || len(c.WithB) == 0 {
			t.Errorf("common partner %s without shared contexts on both sides", c.Partner.ID)
		}
	}
}

func TestStructureQueries(t *testing.T) {
	h := seedHandler(t)
	var got struct {
		ArticulationPoints []entity
		Bridges            []struct{ A, B entity }
		WhatIfRemoved      struct {
			Entity            entity
			DisconnectedPairs float64
			Components        []int
			Exact             bool
			Samples           int
			LongerPairsBound  float64
			Delta             *float64
			Examples          []struct {
				A, B   entity
				Before int
				After  *int
			}
		}
		Communities struct {
			Modularity  float64
			Count       int
			Communities []struct {
				Index, Size int
				Members     []entity
			}
		}
		Components struct {
			Count      int
			Components []struct{ Size int }
		}
		Projection struct {
			TotalCount int
			Links      []struct {
				A, B   entity
				Weight int
			}
		}
		Centrality []struct{ Entity entity }
	}
	graphqltest.Data(t, h, `{
	  articulationPoints { id }
	  bridges { a { id } b { id } }
	  whatIfRemoved(id: "malopolskie", first: 3) { entity { id } disconnectedPairs components exact samples longerPairsBound delta examples { a { id } b { id } before after } }
	  communities { modularity count communities(first: 3) { index size members(first: 5) { id } } }
	  components { count components { size } }
	  projection(kinds: ["Organisation", "Region"], via: ["Project"], first: 5) { totalCount links { a { id } b { id } weight } }
	  centrality(measure: BETWEENNESS, projection: {kinds: ["Organisation", "Region"], via: ["Project"]}, first: 3) { entity { id } } }`, nil, &got)
	if !containsID(got.ArticulationPoints, "malopolskie") {
		t.Errorf("Małopolska is not an articulation point: %+v", got.ArticulationPoints)
	}
	if len(got.Bridges) == 0 {
		t.Error("no bridges")
	}
	w := got.WhatIfRemoved
	pieces := 0
	for _, p := range w.Components {
		pieces += p
	}
	if w.Entity.ID != "malopolskie" || w.DisconnectedPairs <= 0 || len(w.Components) < 2 || len(w.Examples) != 3 || w.Examples[0].After != nil ||
		!w.Exact || w.Samples != pieces || w.LongerPairsBound != 0 || w.Delta != nil {
		t.Errorf("what if Małopolska leaves: %+v", w)
	}
	c := got.Communities
	if c.Count < 2 || c.Modularity <= 0 || len(c.Communities) != 3 || c.Communities[0].Index != 1 || len(c.Communities[0].Members) > 5 {
		t.Errorf("communities: %+v", c)
	}
	if got.Components.Count < 1 || got.Components.Components[0].Size < 100 {
		t.Errorf("components: %+v", got.Components)
	}
	if got.Projection.TotalCount < len(got.Projection.Links) || len(got.Projection.Links) != 5 {
		t.Errorf("projection: %+v", got.Projection)
	}
	if len(got.Centrality) != 3 {
		t.Errorf("centrality on the projection: %+v", got.Centrality)
	}
}

func containsID(es []entity, id string) bool {
	for _, e := range es {
		if e.ID == id {
			return true
		}
	}
	return false
}

// TestErrorsNameTheArguments: the engine's messages, through the API, name
// the query's arguments as the schema spells them (the CLI spells them as
// its flags: cmd/coopgraph's TestErrorsSpellFlags).
func TestErrorsNameTheArguments(t *testing.T) {
	h := seedHandler(t)
	for _, c := range []struct{ query, says string }{
		{`{ shortestPath(from: "opolskie", to: "malopolskie", activeFrom: "2020", activeTo: "2019") { length } }`, `activeFrom "2020" is after activeTo "2019"`},
		{`{ shortestPath(from: "opolskie", to: "malopolskie", viaKinds: ["Planet"]) { length } }`, `unknown kind "Planet" in viaKinds`},
		{`{ partners(id: "agh", contextKinds: ["Planet"]) { contexts { id } } }`, `unknown kind "Planet" in contextKinds`},
		{`{ centrality(measure: PAGERANK, samples: 5) { score } }`, "samples applies to"},
		{`{ centrality(measure: DEGREE, kinds: ["Planet"]) { score } }`, `unknown kind "Planet" in kinds`},
		{`{ regionPartners(region: "malopolskie", level: 7) { projects } }`, "level 7:"},
	} {
		resp := graphqltest.Do(t, h, c.query, nil)
		if len(resp.Errors) == 0 || resp.Errors[0].Extensions.Code != "INVALID_ARGUMENT" ||
			!strings.Contains(resp.Errors[0].Message, c.says) || strings.Contains(resp.Errors[0].Message, "--") {
			t.Errorf("%s: %+v; want INVALID_ARGUMENT saying %q", c.query, resp.Errors, c.says)
		}
	}
}
