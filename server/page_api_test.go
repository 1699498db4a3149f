package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/data"
	"github.com/coopgraph/coopgraph/graph"
	"github.com/coopgraph/coopgraph/loader"
	"github.com/coopgraph/coopgraph/memstore"
	"github.com/coopgraph/coopgraph/neo4jstore"
	"github.com/coopgraph/coopgraph/schema"
	"github.com/coopgraph/coopgraph/server"
	"github.com/coopgraph/coopgraph/server/graphqltest"
)

// The queries of the visualisation page (schema/page.graphqls).

// servePage serves ds from st, with the snapshot of ds.
func servePage(t *testing.T, st coopgraph.Store, ds *coopgraph.Dataset) http.Handler {
	t.Helper()
	srv := &server.Server{Store: st, Logger: slog.New(slog.DiscardHandler)}
	srv.SetSnapshot(graph.NewSnapshot(ds))
	return srv.Handler()
}

func pageSeed(t *testing.T) *coopgraph.Dataset {
	t.Helper()
	ds, err := loader.LoadFS(data.Seed(), "data/seed", data.SeedName)
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

type pageRelation struct {
	ID, Type, FromID, ToID string
}

type pageSubgraph struct {
	Entities []struct {
		ID, Kind, Name string
	}
	Relations []pageRelation
}

func relationIDs(rs []pageRelation) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.ID
	}
	return out
}

// Overview counts the entities per kind and the relations per type as the
// dataset holds them, most first.
func TestPageOverviewCountsTheNetwork(t *testing.T) {
	ds := pageSeed(t)
	h := seedHandler(t)
	var got struct {
		Overview struct {
			Entities, Relations int
			Kinds               []struct {
				Kind  string
				Count int
			}
			RelationTypes []struct {
				Type  string
				Count int
			}
		}
	}
	graphqltest.Data(t, h, `{ overview { entities relations kinds { kind count } relationTypes { type count } } }`, nil, &got)
	o := got.Overview
	if o.Entities != len(ds.Entities) || o.Relations != len(ds.Relations) {
		t.Errorf("overview: %d entities, %d relations; the dataset has %d and %d", o.Entities, o.Relations, len(ds.Entities), len(ds.Relations))
	}
	kinds := map[string]int{}
	for _, e := range ds.Entities {
		kinds[e.Kind]++
	}
	types := map[string]int{}
	for _, r := range ds.Relations {
		types[r.Type]++
	}
	if len(o.Kinds) != len(kinds) || len(o.RelationTypes) != len(types) {
		t.Fatalf("overview lists %d kinds and %d types; the dataset has %d and %d", len(o.Kinds), len(o.RelationTypes), len(kinds), len(types))
	}
	for i, k := range o.Kinds {
		if k.Count != kinds[k.Kind] {
			t.Errorf("kind %s: %d, the dataset has %d", k.Kind, k.Count, kinds[k.Kind])
		}
		if i > 0 && (k.Count > o.Kinds[i-1].Count || k.Count == o.Kinds[i-1].Count && k.Kind < o.Kinds[i-1].Kind) {
			t.Errorf("kinds out of order at %d: %+v", i, o.Kinds)
		}
	}
	for i, ty := range o.RelationTypes {
		if ty.Count != types[ty.Type] {
			t.Errorf("type %s: %d, the dataset has %d", ty.Type, ty.Count, types[ty.Type])
		}
		if i > 0 && (ty.Count > o.RelationTypes[i-1].Count || ty.Count == o.RelationTypes[i-1].Count && ty.Type < o.RelationTypes[i-1].Type) {
			t.Errorf("relation types out of order at %d: %+v", i, o.RelationTypes)
		}
	}
}

// network returns every entity and relation by id, with the ends of each
// relation as the dataset states them; past max it is refused.
func TestPageNetworkIsTheWholeDataset(t *testing.T) {
	ds := pageSeed(t)
	h := seedHandler(t)
	var got struct{ Network pageSubgraph }
	graphqltest.Data(t, h, `{ network { entities { id kind name } relations { id type fromId toId } } }`, nil, &got)

	var wantEntities []string
	for _, e := range ds.Entities {
		wantEntities = append(wantEntities, e.ID)
	}
	slices.Sort(wantEntities)
	var gotEntities []string
	for _, e := range got.Network.Entities {
		gotEntities = append(gotEntities, e.ID)
	}
	if !slices.Equal(gotEntities, wantEntities) {
		t.Errorf("network has %d entities, want the dataset's %d, by id", len(gotEntities), len(wantEntities))
	}
	want := map[string]coopgraph.Relation{}
	for _, r := range ds.Relations {
		want[r.ID] = r
	}
	if len(got.Network.Relations) != len(want) {
		t.Errorf("network has %d relations, want %d", len(got.Network.Relations), len(want))
	}
	if ids := relationIDs(got.Network.Relations); !slices.IsSorted(ids) {
		t.Error("relations are not ordered by id")
	}
	for _, r := range got.Network.Relations {
		w, ok := want[r.ID]
		if !ok || w.Type != r.Type || w.From != r.FromID || w.To != r.ToID {
			t.Errorf("relation %s: %+v, the dataset has %+v", r.ID, r, w)
		}
	}

	for _, c := range []struct {
		max  int
		code string
		says string
	}{
		{128, coopgraph.ELIMIT, "129 entities, more than max (128)"},
		{0, coopgraph.EINVALID, "max must be at least 1"},
		{schema.MaxNetwork + 1, coopgraph.ELIMIT, fmt.Sprintf("the limit is %d", schema.MaxNetwork)},
	} {
		resp := graphqltest.Do(t, h, `query($max: Int!) { network(max: $max) { entities { id } } }`, map[string]any{"max": c.max})
		if len(resp.Errors) != 1 || resp.Errors[0].Extensions.Code != c.code || !strings.Contains(resp.Errors[0].Message, c.says) {
			t.Errorf("network(max: %d): %+v, want %s saying %q", c.max, resp.Errors, c.code, c.says)
		}
	}
}

// A network with few entities and many relations is refused by its
// relations.
func TestPageNetworkBoundsTheRelations(t *testing.T) {
	ds := &coopgraph.Dataset{Entities: []coopgraph.Entity{{ID: "a", Kind: "Region", Name: "A"}, {ID: "b", Kind: "Region", Name: "B"}}}
	for i := range 25 {
		ds.Relations = append(ds.Relations, coopgraph.Relation{ID: fmt.Sprintf("r%02d", i), Type: "COOPERATES_WITH", From: "a", To: "b"})
	}
	h := servePage(t, memstore.New(ds), ds)
	resp := graphqltest.Do(t, h, `{ network(max: 2) { entities { id } } }`, nil)
	if len(resp.Errors) != 1 || resp.Errors[0].Extensions.Code != coopgraph.ELIMIT || !strings.Contains(resp.Errors[0].Message, "25 relations") {
		t.Errorf("network(max: 2) of 25 relations: %+v", resp.Errors)
	}
	var got struct{ Network pageSubgraph }
	graphqltest.Data(t, h, `{ network(max: 3) { entities { id } relations { id } } }`, nil, &got)
	if len(got.Network.Relations) != 25 {
		t.Errorf("network(max: 3): %d relations, want 25", len(got.Network.Relations))
	}
}

// subgraph returns the entities asked for and exactly the relations with
// both ends among them: parallel relations each, a self-loop once.
func TestPageSubgraphIsTheRelationsAmongTheEntities(t *testing.T) {
	ds := &coopgraph.Dataset{
		Entities: []coopgraph.Entity{
			{ID: "a", Kind: "Region", Name: "A"}, {ID: "b", Kind: "Network", Name: "B"},
			{ID: "c", Kind: "Project", Name: "C"}, {ID: "d", Kind: "Region", Name: "D"},
		},
		Relations: []coopgraph.Relation{
			{ID: "1", Type: "MEMBER_OF", From: "a", To: "b"},
			{ID: "2", Type: "COOPERATES_WITH", From: "b", To: "a"},
			{ID: "3", Type: "PARTICIPATES_IN", From: "a", To: "c"},
			{ID: "4", Type: "COOPERATES_WITH", From: "a", To: "a"},
			{ID: "5", Type: "MEMBER_OF", From: "d", To: "b"},
			{ID: "6", Type: "PARTICIPATES_IN", From: "d", To: "c"},
		},
	}
	h := servePage(t, memstore.New(ds), ds)
	for _, c := range []struct {
		ids  []string
		want []string
	}{
		{[]string{"b", "a"}, []string{"1", "2", "4"}},
		{[]string{"a", "b", "c", "d"}, []string{"1", "2", "3", "4", "5", "6"}},
		{[]string{"d", "c"}, []string{"6"}},
		{[]string{"c"}, nil},
		{[]string{}, nil},
	} {
		var got struct{ Subgraph pageSubgraph }
		graphqltest.Data(t, h, `query($ids: [ID!]!) { subgraph(ids: $ids) { entities { id name } relations { id type fromId toId } } }`,
			map[string]any{"ids": c.ids}, &got)
		var entities []string
		for _, e := range got.Subgraph.Entities {
			entities = append(entities, e.ID)
		}
		wantEntities := slices.Sorted(slices.Values(c.ids))
		if !slices.Equal(entities, wantEntities) {
			t.Errorf("subgraph(%v): entities %v, want %v", c.ids, entities, wantEntities)
		}
		if ids := relationIDs(got.Subgraph.Relations); !slices.Equal(ids, c.want) {
			t.Errorf("subgraph(%v): relations %v, want %v", c.ids, ids, c.want)
		}
	}

	bad := []struct {
		ids  []string
		code string
		says string
	}{
		{[]string{"a", "nope"}, coopgraph.ENOTFOUND, `"nope"`},
		{[]string{"a", "b", "a"}, coopgraph.EINVALID, `"a" is given twice`},
		{make([]string, schema.MaxSubgraphIDs+1), coopgraph.ELIMIT, fmt.Sprintf("the limit is %d", schema.MaxSubgraphIDs)},
	}
	for _, c := range bad {
		for _, q := range []string{
			`query($ids: [ID!]!) { subgraph(ids: $ids) { entities { id } } }`,
			`query($ids: [ID!]!) { scores(measure: DEGREE, ids: $ids) { id } }`,
			`query($ids: [ID!]!) { communityOf(ids: $ids) { id } }`,
		} {
			resp := graphqltest.Do(t, h, q, map[string]any{"ids": c.ids})
			if len(resp.Errors) != 1 || resp.Errors[0].Extensions.Code != c.code || !strings.Contains(resp.Errors[0].Message, c.says) {
				t.Errorf("%s with %d ids: %+v, want %s saying %s", q, len(c.ids), resp.Errors, c.code, c.says)
			}
		}
	}
}

// scores and communityOf give, for the ids asked, what centrality and
// communities give for the whole network.
func TestPageScoresAndCommunitiesAgreeWithTheRankings(t *testing.T) {
	h := seedHandler(t)
	ids := []string{"vanguard-initiative", "malopolskie", "opolskie", "respondet"}
	for _, measure := range []string{"DEGREE", "BETWEENNESS", "PAGERANK", "HARMONIC"} {
		var ranking struct {
			Centrality []struct {
				Rank   int
				Score  float64
				Entity struct{ ID string }
			}
		}
		graphqltest.Data(t, h, fmt.Sprintf(`{ centrality(measure: %s, first: 1000) { rank score entity { id } } }`, measure), nil, &ranking)
		var got struct {
			Scores []struct {
				ID    string
				Score float64
				Rank  int
			}
		}
		graphqltest.Data(t, h, `query($m: CentralityMeasure!, $ids: [ID!]!) { scores(measure: $m, ids: $ids) { id score rank } }`,
			map[string]any{"m": measure, "ids": ids}, &got)
		if len(got.Scores) != len(ids) {
			t.Fatalf("%s: %d scores for %d ids", measure, len(got.Scores), len(ids))
		}
		for i, s := range got.Scores {
			if s.ID != ids[i] {
				t.Errorf("%s: score %d is of %s, want %s (the order of ids)", measure, i, s.ID, ids[i])
			}
			r := ranking.Centrality[s.Rank-1]
			if r.Entity.ID != s.ID || r.Score != s.Score || r.Rank != s.Rank {
				t.Errorf("%s: %+v, centrality ranks %+v there", measure, s, r)
			}
		}
	}

	var parts struct {
		Communities struct {
			Communities []struct {
				Index, Size int
				Members     []struct{ ID string }
			}
		}
	}
	graphqltest.Data(t, h, `{ communities { communities(first: 200) { index size members(first: 200) { id } } } }`, nil, &parts)
	in := map[string][2]int{}
	for _, c := range parts.Communities.Communities {
		for _, m := range c.Members {
			in[m.ID] = [2]int{c.Index, c.Size}
		}
	}
	var got struct {
		CommunityOf []struct {
			ID              string
			Community, Size int
		}
	}
	graphqltest.Data(t, h, `query($ids: [ID!]!) { communityOf(ids: $ids) { id community size } }`, map[string]any{"ids": ids}, &got)
	for i, c := range got.CommunityOf {
		if c.ID != ids[i] || in[c.ID] != [2]int{c.Community, c.Size} {
			t.Errorf("communityOf %+v; communities puts %s in %v (index, size)", c, ids[i], in[ids[i]])
		}
	}
	resp := graphqltest.Do(t, h, `{ communityOf(ids: ["malopolskie"], resolution: 0) { id } }`, nil)
	if len(resp.Errors) != 1 || resp.Errors[0].Extensions.Code != coopgraph.EINVALID {
		t.Errorf("resolution 0: %+v", resp.Errors)
	}
}

// The page's queries answer the same JSON on Neo4j as on the embedded store
// holding the same network. scripts/test runs it with
// COOPGRAPH_REQUIRE_NEO4J=1, so a missing server fails it. It loads the
// seed dataset (without wiping) and compares whatever the database holds.
func TestPageQueriesAnswerTheSameOnNeo4j(t *testing.T) {
	ctx := context.Background()
	st, err := neo4jstore.Open(ctx, sharedNeo4j(t, "the page's Neo4j test"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close(ctx) })
	if _, err := neo4jstore.Load(ctx, st, pageSeed(t)); err != nil {
		t.Fatal(err)
	}
	ds, err := st.Dataset(ctx)
	if err != nil {
		t.Fatal(err)
	}
	onNeo4j := servePage(t, st, ds)
	embedded := servePage(t, memstore.New(ds), ds)
	ids := []string{"malopolskie", "opolskie", "dom-polski-poludniowej", "poland", "vanguard-initiative"}
	for _, q := range []string{
		`{ overview { entities relations kinds { kind count } relationTypes { type count } } }`,
		`{ network(max: 20000) { entities { id kind name aliases properties { key value } } relations { id type fromId toId role start end document quote from { id } to { name } } } }`,
		`query($ids: [ID!]!) { subgraph(ids: $ids) { entities { id kind name } relations { id type fromId toId role document quote } } }`,
		`query($ids: [ID!]!) { scores(measure: BETWEENNESS, ids: $ids) { id score rank } }`,
		`query($ids: [ID!]!) { communityOf(ids: $ids) { id community size } }`,
		`{ subgraph(ids: ["malopolskie", "no-such-entity"]) { entities { id } } }`,
	} {
		a := graphqltest.Do(t, onNeo4j, q, map[string]any{"ids": ids})
		b := graphqltest.Do(t, embedded, q, map[string]any{"ids": ids})
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		if string(ja) != string(jb) {
			t.Errorf("%s\nNeo4j:    %.400s\nembedded: %.400s", q, ja, jb)
		}
		if strings.Contains(q, "network") && len(a.Errors) == 0 && !strings.Contains(string(ja), `"malopolskie"`) {
			t.Errorf("network on Neo4j lacks the seed: %.200s", ja)
		}
	}
}

// partnersConnection pages through the same partners as partners, in the
// same order, with their total, so that the page's Partners tab says how
// many it shows of how many and goes on from a cursor.
func TestPagePartnersConnectionPagesThroughPartners(t *testing.T) {
	ds := pageSeed(t)
	h := servePage(t, memstore.New(ds), ds)
	type partner struct {
		Partner  struct{ ID string }
		Count    int
		Contexts []struct{ ID string }
	}
	var all struct{ Partners []partner }
	graphqltest.Data(t, h, `{ partners(id: "malopolskie", first: 1000) { partner { id } count contexts { id } } }`, nil, &all)
	if len(all.Partners) < 3 {
		t.Fatalf("malopolskie has %d partners in the seed; the test needs 3 or more", len(all.Partners))
	}
	var got []partner
	var after *string
	for page := 0; ; page++ {
		var res struct {
			PartnersConnection struct {
				TotalCount int
				PageInfo   struct {
					HasNextPage bool
					EndCursor   *string
				}
				Edges []struct{ Node partner }
			}
		}
		graphqltest.Data(t, h, `query($after: String) { partnersConnection(id: "malopolskie", first: 2, after: $after) {
			totalCount pageInfo { hasNextPage endCursor } edges { node { partner { id } count contexts { id } } } } }`,
			map[string]any{"after": after}, &res)
		c := res.PartnersConnection
		if c.TotalCount != len(all.Partners) {
			t.Fatalf("page %d: totalCount %d, want %d", page, c.TotalCount, len(all.Partners))
		}
		for _, e := range c.Edges {
			got = append(got, e.Node)
		}
		if !c.PageInfo.HasNextPage {
			break
		}
		after = c.PageInfo.EndCursor
	}
	if fmt.Sprint(got) != fmt.Sprint(all.Partners) {
		t.Errorf("paged partners differ from partners:\n%v\nwant\n%v", got, all.Partners)
	}
	resp := graphqltest.Do(t, h, `{ partnersConnection(id: "malopolskie", first: 1001) { totalCount } }`, nil)
	if len(resp.Errors) != 1 || resp.Errors[0].Extensions.Code != coopgraph.ELIMIT {
		t.Errorf("first: 1001: %+v, want LIMIT_EXCEEDED", resp.Errors)
	}
}
