package server_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/graph"
	"github.com/coopgraph/coopgraph/memstore"
	"github.com/coopgraph/coopgraph/schema"
	"github.com/coopgraph/coopgraph/server"
	"github.com/coopgraph/coopgraph/server/graphqltest"
	"github.com/coopgraph/coopgraph/storetest"
)

// serve serves ds from st, with the snapshot of ds.
func serve(t *testing.T, st coopgraph.Store, ds *coopgraph.Dataset) http.Handler {
	t.Helper()
	srv := &server.Server{Store: st, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	srv.SetSnapshot(graph.NewSnapshot(ds))
	return srv.Handler()
}

// TestEveryPartOfTheSchemaIsDescribed introspects the served schema and
// names every type, field, argument, input field and enum value that has
// no description: developers read the API through introspection.
func TestEveryPartOfTheSchemaIsDescribed(t *testing.T) {
	h := seedHandler(t)
	type described struct {
		Name        string
		Description *string
	}
	var got struct {
		Schema struct {
			Types []struct {
				described
				Fields []struct {
					described
					Args []described
				}
				InputFields []described
				EnumValues  []described
			}
		} `json:"__schema"`
	}
	graphqltest.Data(t, h, `{ __schema { types { name description
	  fields(includeDeprecated: true) { name description args { name description } }
	  inputFields { name description }
	  enumValues(includeDeprecated: true) { name description } } } }`, nil, &got)
	missing := func(d described) bool { return d.Description == nil || strings.TrimSpace(*d.Description) == "" }
	var undescribed []string
	types := 0
	for _, ty := range got.Schema.Types {
		if strings.HasPrefix(ty.Name, "__") {
			continue // GraphQL's own introspection types
		}
		types++
		if missing(ty.described) {
			undescribed = append(undescribed, "type "+ty.Name)
		}
		for _, f := range ty.Fields {
			if missing(f.described) {
				undescribed = append(undescribed, "field "+ty.Name+"."+f.Name)
			}
			for _, a := range f.Args {
				if missing(a) {
					undescribed = append(undescribed, "argument "+ty.Name+"."+f.Name+"("+a.Name+")")
				}
			}
		}
		for _, f := range ty.InputFields {
			if missing(f) {
				undescribed = append(undescribed, "input field "+ty.Name+"."+f.Name)
			}
		}
		for _, v := range ty.EnumValues {
			if missing(v) {
				undescribed = append(undescribed, "enum value "+ty.Name+"."+v.Name)
			}
		}
	}
	if types < 30 {
		t.Fatalf("introspection listed only %d types", types)
	}
	for _, u := range undescribed {
		t.Errorf("%s has no description", u)
	}
}

type page struct {
	TotalCount int
	PageInfo   struct {
		HasNextPage, HasPreviousPage bool
		StartCursor, EndCursor       *string
	}
	Edges []struct {
		Cursor string
		Node   struct {
			ID   string
			Rank int
		}
		Relations []struct{ ID string }
	}
}

// pageThrough asks a connection page by page (query takes $first and
// $after and answers the connection at path), checking the page info on
// the way, and returns the node ids in order and the total count.
func pageThrough(t *testing.T, h http.Handler, query string, vars map[string]any, first int, at func(json.RawMessage) page) (ids []string, total int) {
	t.Helper()
	var after any
	for pages := 0; ; pages++ {
		if pages > 1000 {
			t.Fatal("paging does not end")
		}
		v := map[string]any{"first": first, "after": after}
		for k, x := range vars {
			v[k] = x
		}
		resp := graphqltest.Do(t, h, query, v)
		if len(resp.Errors) > 0 {
			t.Fatalf("%s %v: %+v", query, v, resp.Errors)
		}
		p := at(resp.Data)
		if pages > 0 && p.TotalCount != total {
			t.Errorf("totalCount changed from %d to %d between pages", total, p.TotalCount)
		}
		total = p.TotalCount
		if len(p.Edges) > first {
			t.Fatalf("page of %d edges, first is %d", len(p.Edges), first)
		}
		if p.PageInfo.HasPreviousPage != (after != nil) {
			t.Errorf("page %d: hasPreviousPage %v", pages, p.PageInfo.HasPreviousPage)
		}
		if len(p.Edges) > 0 {
			if p.PageInfo.StartCursor == nil || *p.PageInfo.StartCursor != p.Edges[0].Cursor ||
				p.PageInfo.EndCursor == nil || *p.PageInfo.EndCursor != p.Edges[len(p.Edges)-1].Cursor {
				t.Errorf("page %d: pageInfo %+v does not match its edges", pages, p.PageInfo)
			}
		}
		for _, e := range p.Edges {
			ids = append(ids, e.Node.ID)
		}
		if !p.PageInfo.HasNextPage {
			if len(ids) != total {
				t.Errorf("paged through %d items, totalCount says %d", len(ids), total)
			}
			return ids, total
		}
		if len(p.Edges) == 0 {
			t.Fatal("an empty page says more follow")
		}
		after = *p.PageInfo.EndCursor
	}
}

func field(path ...string) func(json.RawMessage) page {
	return func(data json.RawMessage) page {
		var v any
		_ = json.Unmarshal(data, &v)
		for _, p := range path {
			v = v.(map[string]any)[p]
		}
		b, _ := json.Marshal(v)
		var pg page
		_ = json.Unmarshal(b, &pg)
		return pg
	}
}

// Every connection, paged through with several page sizes, gives the same
// items in the same order as the list it pages, and counts them.
func TestConnectionsPageThroughTheLists(t *testing.T) {
	h := seedHandler(t)
	listIDs := func(query string, vars map[string]any, path ...string) []string {
		resp := graphqltest.Do(t, h, query, vars)
		if len(resp.Errors) > 0 {
			t.Fatalf("%s: %+v", query, resp.Errors)
		}
		var v any
		_ = json.Unmarshal(resp.Data, &v)
		for _, p := range path {
			v = v.(map[string]any)[p]
		}
		var ids []string
		for _, x := range v.([]any) {
			m := x.(map[string]any)
			if e, ok := m["entity"]; ok {
				m = e.(map[string]any)
			}
			ids = append(ids, m["id"].(string))
		}
		return ids
	}
	filters := []map[string]any{
		{},
		{"types": []string{"PARTICIPATES_IN", "MEMBER_OF"}},
		{"kinds": []string{"Project", "Network"}},
		{"from": "2020", "to": "2022-06"},
		{"to": "2015"},
		{"types": []string{"MEMBER_OF"}, "kinds": []string{"Network"}, "from": "2014"},
	}
	const args = `relationTypes: $types, kinds: $kinds, activeFrom: $from, activeTo: $to`
	const decl = `$types: [String!], $kinds: [String!], $from: String, $to: String`
	for _, id := range []string{"malopolskie", "symbi", "vanguard-initiative", "opolskie"} {
		for _, f := range filters {
			vars := map[string]any{"id": id}
			for k, v := range f {
				vars[k] = v
			}
			wantRels := listIDs(`query($id: ID!, `+decl+`) { entity(id: $id) { relations(`+args+`) { id } } }`, vars, "entity", "relations")
			wantNbrs := listIDs(`query($id: ID!, `+decl+`) { entity(id: $id) { neighbours(`+args+`) { id } } }`, vars, "entity", "neighbours")
			for _, first := range []int{1, 3, 20} {
				got, total := pageThrough(t, h, `query($id: ID!, $first: Int, $after: String, `+decl+`) { entity(id: $id) {
				  relationsConnection(`+args+`, first: $first, after: $after) {
				    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id } } } } }`,
					vars, first, field("entity", "relationsConnection"))
				if !slices.Equal(got, wantRels) || total != len(wantRels) {
					t.Errorf("%s %v relationsConnection by %d: %v (total %d), relations: %v", id, f, first, got, total, wantRels)
				}
				got, total = pageThrough(t, h, `query($id: ID!, $first: Int, $after: String, `+decl+`) { entity(id: $id) {
				  neighboursConnection(`+args+`, first: $first, after: $after) {
				    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id } relations { id } } } } }`,
					vars, first, field("entity", "neighboursConnection"))
				if !slices.Equal(got, wantNbrs) || total != len(wantNbrs) {
					t.Errorf("%s %v neighboursConnection by %d: %v (total %d), neighbours: %v", id, f, first, got, total, wantNbrs)
				}
			}
		}
	}

	wantSearch := listIDs(`{ search(text: "region", first: 1000) { id } }`, nil, "search")
	got, total := pageThrough(t, h, `query($first: Int, $after: String) { searchConnection(text: "region", first: $first, after: $after) {
	  totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id } } } }`, nil, 4, field("searchConnection"))
	if len(wantSearch) < 5 || !slices.Equal(got, wantSearch) || total != len(wantSearch) {
		t.Errorf("searchConnection: %v (total %d), search: %v", got, total, wantSearch)
	}

	wantRank := listIDs(`{ centrality(measure: BETWEENNESS, kinds: ["Organisation"], first: 1000) { entity { id } } }`, nil, "centrality")
	got, total = pageThrough(t, h, `query($first: Int, $after: String) { centralityConnection(measure: BETWEENNESS, kinds: ["Organisation"], first: $first, after: $after) {
	  totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { rank entity { id } } } } }`, nil, 7,
		func(data json.RawMessage) page {
			var v struct {
				CentralityConnection struct {
					page
					Edges []struct {
						Cursor string
						Node   struct {
							Rank   int
							Entity struct{ ID string }
						}
					}
				}
			}
			_ = json.Unmarshal(data, &v)
			p := v.CentralityConnection.page
			p.Edges = nil
			for _, e := range v.CentralityConnection.Edges {
				var pe = struct {
					Cursor string
					Node   struct {
						ID   string
						Rank int
					}
					Relations []struct{ ID string }
				}{Cursor: e.Cursor}
				pe.Node.ID, pe.Node.Rank = e.Node.Entity.ID, e.Node.Rank
				p.Edges = append(p.Edges, pe)
			}
			return p
		})
	if len(wantRank) < 10 || !slices.Equal(got, wantRank) || total != len(wantRank) {
		t.Errorf("centralityConnection: %v (total %d), centrality: %v", got, total, wantRank)
	}
}

func TestNeighbourEdgesCarryTheirRelations(t *testing.T) {
	h := seedHandler(t)
	var got struct {
		Entity struct {
			NeighboursConnection struct {
				TotalCount int
				Edges      []struct {
					Node      struct{ ID string }
					Relations []struct {
						Type     string
						From, To struct{ ID string }
					}
				}
			}
		}
	}
	graphqltest.Data(t, h, `{ entity(id: "malopolskie") { neighboursConnection(first: 1000) { totalCount
	  edges { node { id } relations { type from { id } to { id } } } } } }`, nil, &got)
	c := got.Entity.NeighboursConnection
	if c.TotalCount < 10 || len(c.Edges) != c.TotalCount {
		t.Fatalf("%d neighbours of %d", len(c.Edges), c.TotalCount)
	}
	for _, e := range c.Edges {
		if len(e.Relations) == 0 {
			t.Errorf("neighbour %s without a relation", e.Node.ID)
		}
		for _, r := range e.Relations {
			if (r.From.ID != "malopolskie" || r.To.ID != e.Node.ID) && (r.To.ID != "malopolskie" || r.From.ID != e.Node.ID) {
				t.Errorf("neighbour %s listed with relation %+v", e.Node.ID, r)
			}
		}
	}
}

func TestTimeAndKindFilters(t *testing.T) {
	h := seedHandler(t)
	var got struct {
		Entity struct {
			In2013, Projects2017, Ended []struct {
				Type, Start string
				End         *string
				To          struct{ ID, Kind string }
			}
		}
	}
	graphqltest.Data(t, h, `{ entity(id: "malopolskie") {
	  in2013: relations(activeFrom: "2013-11", activeTo: "2013-11", relationTypes: ["MEMBER_OF", "FOUNDED"]) { type start end to { id kind } }
	  projects2017: relations(kinds: ["Project"], activeFrom: "2017", activeTo: "2017") { type start end to { id kind } }
	  ended: relations(activeFrom: "2024") { type start end to { id kind } } } }`, nil, &got)
	has := func(list []struct {
		Type, Start string
		End         *string
		To          struct{ ID, Kind string }
	}, typ, to string) bool {
		for _, r := range list {
			if r.Type == typ && r.To.ID == to {
				return true
			}
		}
		return false
	}
	// Małopolska co-founded the Vanguard Initiative and joined it in November 2013.
	if !has(got.Entity.In2013, "MEMBER_OF", "vanguard-initiative") || !has(got.Entity.In2013, "FOUNDED", "vanguard-initiative") {
		t.Errorf("November 2013: %+v", got.Entity.In2013)
	}
	// It joined NEREUS in 2022: not yet a member in 2013.
	if has(got.Entity.In2013, "MEMBER_OF", "nereus") {
		t.Errorf("NEREUS membership (2022) listed for 2013")
	}
	// SYMBI ran 2016–2021, RESPONDET 2022–2023.
	if !has(got.Entity.Projects2017, "PARTICIPATES_IN", "symbi") || has(got.Entity.Projects2017, "PARTICIPATES_IN", "respondet") {
		t.Errorf("projects in 2017: %+v", got.Entity.Projects2017)
	}
	for _, r := range got.Entity.Projects2017 {
		if r.To.Kind != "Project" {
			t.Errorf("kinds: [Project] kept a relation to a %s", r.To.Kind)
		}
	}
	if has(got.Entity.Ended, "PARTICIPATES_IN", "symbi") || has(got.Entity.Ended, "PARTICIPATES_IN", "respondet") {
		t.Errorf("projects that ended before 2024 listed as active in 2024: %+v", got.Entity.Ended)
	}
	if !has(got.Entity.Ended, "MEMBER_OF", "vanguard-initiative") {
		t.Errorf("a membership without an end date must stay active: %+v", got.Entity.Ended)
	}
}

func TestConnectionArgumentsAreChecked(t *testing.T) {
	h := seedHandler(t)
	negative := base64.StdEncoding.EncodeToString([]byte("offset:-1"))
	cases := []struct{ query, code, phrase string }{
		{`{ searchConnection(text: "region", after: "garbage") { totalCount } }`, "INVALID_ARGUMENT", `"garbage"`},
		{`{ searchConnection(text: "region", after: "` + negative + `") { totalCount } }`, "INVALID_ARGUMENT", "not a cursor"},
		{`{ searchConnection(text: "region", after: "` + base64.StdEncoding.EncodeToString([]byte("offset:99999999999999999999")) + `") { totalCount } }`, "INVALID_ARGUMENT", "not a cursor"},
		{`{ searchConnection(text: "region", first: 1001) { totalCount } }`, "LIMIT_EXCEEDED", "1000"},
		{`{ searchConnection(text: "region", first: -1) { totalCount } }`, "INVALID_ARGUMENT", "negative"},
		{`{ entity(id: "malopolskie") { relationsConnection(after: "bm9wZQ==") { totalCount } } }`, "INVALID_ARGUMENT", "not a cursor"},
		{`{ entity(id: "malopolskie") { neighboursConnection(first: 5000) { totalCount } } }`, "LIMIT_EXCEEDED", "1000"},
		{`{ entity(id: "malopolskie") { relationsConnection(kinds: ["Planet"]) { totalCount } } }`, "INVALID_ARGUMENT", `"Planet"`},
		{`{ entity(id: "malopolskie") { neighbours(activeFrom: "2013-02-30") { id } } }`, "INVALID_ARGUMENT", `"2013-02-30"`},
		{`{ entity(id: "malopolskie") { relations(activeFrom: "2014", activeTo: "2013") { id } } }`, "INVALID_ARGUMENT", "after"},
		{`{ entity(id: "malopolskie") { relations(relationTypes: ["LIKES"]) { id } } }`, "INVALID_ARGUMENT", `"LIKES"`},
		{`{ entity(id: "malopolskie") { relations(first: 1001) { id } } }`, "LIMIT_EXCEEDED", "1000"},
		{`{ centralityConnection(measure: DEGREE, first: 1001) { totalCount } }`, "LIMIT_EXCEEDED", "1000"},
		{`{ centralityConnection(measure: DEGREE, after: "%%%") { totalCount } }`, "INVALID_ARGUMENT", "not a cursor"},
		{`{ kShortestPaths(from: "opolskie", to: "malopolskie", k: 101) { length } }`, "LIMIT_EXCEEDED", "100"},
		{`{ allShortestPaths(from: "opolskie", to: "malopolskie", maxHops: 13) { length } }`, "LIMIT_EXCEEDED", "12"},
	}
	for _, c := range cases {
		resp := graphqltest.Do(t, h, c.query, nil)
		if len(resp.Errors) == 0 {
			t.Errorf("%s: no error", c.query)
			continue
		}
		e := resp.Errors[0]
		if e.Extensions.Code != c.code || !strings.Contains(e.Message, c.phrase) {
			t.Errorf("%s: got %q (%s), want code %s and %q", c.query, e.Message, e.Extensions.Code, c.code, c.phrase)
		}
	}
	// A cursor past the end is no error: the page is empty.
	var got struct{ SearchConnection page }
	graphqltest.Data(t, h, `query($a: String) { searchConnection(text: "region", after: $a) { totalCount pageInfo { hasNextPage endCursor } edges { cursor } } }`,
		map[string]any{"a": base64.StdEncoding.EncodeToString([]byte("offset:5000"))}, &got)
	if len(got.SearchConnection.Edges) != 0 || got.SearchConnection.PageInfo.HasNextPage || got.SearchConnection.TotalCount == 0 {
		t.Errorf("after the end: %+v", got.SearchConnection)
	}
}

type hop struct {
	From, To  struct{ ID, Name string }
	Relation  struct{ ID, Type, Document, Quote string }
	Direction string
	Text      string
}

type explainedPath struct {
	Length    int
	Text      string
	Nodes     []struct{ ID, Name string }
	Relations []struct {
		ID       string
		From, To struct{ ID string }
	}
	Hops []hop
}

const explainedPathFields = `length text nodes { id name } relations { id from { id } to { id } }
  hops { from { id name } to { id name } relation { id type document quote } direction text }`

// checkHops checks that every hop of p is the step nodes[i] → nodes[i+1]
// over relations[i], in the direction the relation runs, said in words,
// and that the hops' words make the path's text.
func checkHops(t *testing.T, what string, p explainedPath) {
	t.Helper()
	if len(p.Hops) != p.Length || len(p.Nodes) != p.Length+1 {
		t.Fatalf("%s: %d hops, %d nodes, length %d", what, len(p.Hops), len(p.Nodes), p.Length)
	}
	text := ""
	for i, h := range p.Hops {
		r := p.Relations[i]
		if h.From.ID != p.Nodes[i].ID || h.To.ID != p.Nodes[i+1].ID || h.Relation.ID != r.ID {
			t.Errorf("%s: hop %d %+v is not nodes[%d] → nodes[%d] over relations[%d]", what, i, h, i, i+1, i)
		}
		want := "FORWARD"
		if r.From.ID != h.From.ID {
			want = "BACKWARD"
		}
		if h.Direction != want || (want == "FORWARD") != (r.From.ID == h.From.ID && r.To.ID == h.To.ID) {
			t.Errorf("%s: hop %d runs %s, relation %+v", what, i, h.Direction, r)
		}
		label := strings.ToLower(strings.ReplaceAll(h.Relation.Type, "_", " "))
		if !strings.HasPrefix(h.Text, h.From.Name+" ") || !strings.HasSuffix(h.Text, " "+h.To.Name) || !strings.Contains(h.Text, label) {
			t.Errorf("%s: hop %d says %q", what, i, h.Text)
		}
		if arrow := map[string]string{"FORWARD": " → ", "BACKWARD": " ← "}[h.Direction]; !strings.Contains(h.Text, arrow) {
			t.Errorf("%s: hop %d runs %s but says %q", what, i, h.Direction, h.Text)
		}
		if i == 0 {
			text = h.Text
		} else {
			text += strings.TrimPrefix(h.Text, h.From.Name)
		}
	}
	if p.Length > 0 && text != p.Text {
		t.Errorf("%s: hops say %q, the path %q", what, text, p.Text)
	}
}

func TestPathsExplainEveryHop(t *testing.T) {
	h := seedHandler(t)
	var got struct {
		ShortestPath                                   explainedPath
		All, K, Windowed, Hub, Members, WindowedKPaths []explainedPath
	}
	graphqltest.Data(t, h, `{
	  shortestPath(from: "opolskie", to: "malopolskie") { `+explainedPathFields+` }
	  all: allShortestPaths(from: "opolskie", to: "city-of-turin") { `+explainedPathFields+` }
	  k: kShortestPaths(from: "opolskie", to: "malopolskie", k: 5) { `+explainedPathFields+` }
	  windowed: allShortestPaths(from: "opolskie", to: "malopolskie", activeFrom: "2019", activeTo: "2019") { `+explainedPathFields+` }
	  hub: kShortestPaths(from: "opolskie", to: "city-of-turin", k: 3, weight: HUB) { `+explainedPathFields+` }
	  members: allShortestPaths(from: "opolskie", to: "malopolskie", relationTypes: ["MEMBER_OF"], viaKinds: ["Network"]) { `+explainedPathFields+` }
	  windowedKPaths: kShortestPaths(from: "slaskie", to: "malopolskie", k: 3, activeTo: "2014") { `+explainedPathFields+` } }`, nil, &got)
	p := got.ShortestPath
	checkHops(t, "shortestPath", p)
	// Województwo Opolskie is a member of Dom Polski Południowej, and so is Małopolska:
	// the second hop runs against the relation.
	if p.Length != 2 || p.Hops[0].Direction != "FORWARD" || p.Hops[1].Direction != "BACKWARD" ||
		p.Hops[0].Relation.Type != "MEMBER_OF" || p.Hops[0].Relation.Document == "" || p.Hops[0].Relation.Quote == "" {
		t.Errorf("opolskie → malopolskie: %+v", p.Hops)
	}
	if !strings.Contains(p.Hops[0].Text, " — member of") || !strings.Contains(p.Hops[1].Text, "← member of") {
		t.Errorf("hops say %q and %q", p.Hops[0].Text, p.Hops[1].Text)
	}
	for name, ps := range map[string][]explainedPath{"all": got.All, "k": got.K, "windowed": got.Windowed, "hub": got.Hub, "members": got.Members, "windowedKPaths": got.WindowedKPaths} {
		if len(ps) == 0 {
			t.Errorf("%s: no path", name)
		}
		for i, p := range ps {
			checkHops(t, fmt.Sprintf("%s[%d]", name, i), p)
		}
	}
}

// hubDataset is a network with n member regions.
func hubDataset(n int) *coopgraph.Dataset {
	ds := &coopgraph.Dataset{Name: "hub", Entities: []coopgraph.Entity{{ID: "hub", Kind: "Network", Name: "Hub"}}}
	for i := range n {
		id := fmt.Sprintf("region-%04d", i)
		ds.Entities = append(ds.Entities, coopgraph.Entity{ID: id, Kind: "Region", Name: "Region " + id})
		ds.Relations = append(ds.Relations, coopgraph.Relation{ID: "m-" + id, Type: "MEMBER_OF", From: id, To: "hub"})
	}
	return ds
}

// TestEntityReadsAreBatched: a query returning 50 relations with both
// their ends reads the entities from the store in a few calls, not one per
// relation end (no N+1), and a query with many entities of many kinds as
// well.
func TestEntityReadsAreBatched(t *testing.T) {
	ds := hubDataset(60)
	st := storetest.NewCountingStore(memstore.New(ds))
	h := serve(t, st, ds)
	var got struct {
		Entity struct {
			Relations []struct {
				From, To struct{ ID, Name string }
			}
		}
	}
	graphqltest.Data(t, h, `{ entity(id: "hub") { relations(first: 50) { from { id name } to { id name } } } }`, nil, &got)
	calls, _ := st.Reset()
	if len(got.Entity.Relations) != 50 {
		t.Fatalf("%d relations, want 50", len(got.Entity.Relations))
	}
	for _, r := range got.Entity.Relations {
		if r.To.ID != "hub" || r.From.Name != "Region "+r.From.ID {
			t.Errorf("relation %+v", r)
		}
	}
	// One read for entity(id:), one for the relations, one batch for their ends.
	if calls["Entities"] > 3 || calls["Relations"] != 1 {
		t.Errorf("store calls for 50 relations with from and to: %v, want a few, not one per relation end", calls)
	}

	graphqltest.Data(t, h, `{ a: entity(id: "hub") { relationsConnection(first: 50) { edges { node { from { id } to { id } } } } }
	  b: entity(id: "region-0001") { neighbours { id relations(first: 10) { from { id } to { id } } } }
	  shortestPath(from: "region-0001", to: "region-0002") { hops { from { id } to { id } relation { from { id } } } }
	  centrality(measure: DEGREE, first: 50) { entity { id } } }`, nil, &struct{}{})
	if calls, _ := st.Reset(); calls["Entities"] > 8 {
		t.Errorf("store calls: %v, want a few Entities calls", calls)
	}

	// One unknown id in a batch fails only its own field.
	resp := graphqltest.Do(t, h, `{ a: entity(id: "hub") { id } b: entity(id: "ghost") { id } c: entity(id: "region-0003") { id } }`, nil)
	if len(resp.Errors) != 1 || resp.Errors[0].Extensions.Code != "NOT_FOUND" || !strings.Contains(resp.Errors[0].Message, `"ghost"`) {
		t.Errorf("errors %+v, want one NOT_FOUND naming ghost", resp.Errors)
	}
	if string(resp.Data) != `{"a":{"id":"hub"},"b":null,"c":{"id":"region-0003"}}` {
		t.Errorf("data %s", resp.Data)
	}
}

// Lists without first that would exceed MaxFirst are refused, never cut.
func TestLongListsNeedFirst(t *testing.T) {
	// A network of MaxFirst+2 regions, and two organisations working together
	// in MaxFirst+1 projects (as many shortest paths between them).
	ds := hubDataset(schema.MaxFirst + 2)
	ds.Entities = append(ds.Entities, coopgraph.Entity{ID: "org-a", Kind: "Organisation", Name: "A"}, coopgraph.Entity{ID: "org-b", Kind: "Organisation", Name: "B"})
	for i := range schema.MaxFirst + 1 {
		id := fmt.Sprintf("project-%04d", i)
		ds.Entities = append(ds.Entities, coopgraph.Entity{ID: id, Kind: "Project", Name: id})
		ds.Relations = append(ds.Relations,
			coopgraph.Relation{ID: "a-" + id, Type: "PARTICIPATES_IN", From: "org-a", To: id},
			coopgraph.Relation{ID: "b-" + id, Type: "PARTICIPATES_IN", From: "org-b", To: id})
	}
	h := serve(t, memstore.New(ds), ds)
	for _, q := range []string{
		`{ entity(id: "hub") { neighbours { id } } }`,
		`{ entity(id: "hub") { relations { id } } }`,
		`{ allShortestPaths(from: "org-a", to: "org-b") { length } }`,
		`{ partners(id: "region-0000") { count } }`,
	} {
		resp := graphqltest.Do(t, h, q, nil)
		if len(resp.Errors) == 0 || resp.Errors[0].Extensions.Code != "LIMIT_EXCEEDED" || !strings.Contains(resp.Errors[0].Message, "first") {
			t.Errorf("%s: %+v, want LIMIT_EXCEEDED asking for first", q, resp.Errors)
		}
	}
	var got struct {
		Entity struct {
			Neighbours []struct{ ID string }
			Relations  []struct{ ID string }
			Conn       struct{ TotalCount int }
		}
	}
	graphqltest.Data(t, h, `{ entity(id: "hub") { neighbours(first: 1000) { id } relations(first: 10) { id } conn: relationsConnection { totalCount } } }`, nil, &got)
	if len(got.Entity.Neighbours) != 1000 || len(got.Entity.Relations) != 10 || got.Entity.Conn.TotalCount != schema.MaxFirst+2 {
		t.Errorf("with first: %d neighbours, %d relations, total %d", len(got.Entity.Neighbours), len(got.Entity.Relations), got.Entity.Conn.TotalCount)
	}

	// A chain of MaxFirst+3 entities has MaxFirst+1 articulation points and MaxFirst+2 bridges.
	chain := &coopgraph.Dataset{Name: "chain"}
	for i := range schema.MaxFirst + 3 {
		id := fmt.Sprintf("e%04d", i)
		chain.Entities = append(chain.Entities, coopgraph.Entity{ID: id, Kind: "Organisation", Name: id})
		if i > 0 {
			chain.Relations = append(chain.Relations, coopgraph.Relation{ID: "r" + id, Type: "COOPERATES_WITH", From: fmt.Sprintf("e%04d", i-1), To: id})
		}
	}
	h = serve(t, memstore.New(chain), chain)
	for _, q := range []string{`{ articulationPoints { id } }`, `{ bridges { a { id } } }`} {
		resp := graphqltest.Do(t, h, q, nil)
		if len(resp.Errors) == 0 || resp.Errors[0].Extensions.Code != "LIMIT_EXCEEDED" {
			t.Errorf("%s: %+v, want LIMIT_EXCEEDED", q, resp.Errors)
		}
	}
	var cut struct {
		ArticulationPoints []struct{ ID string }
		Bridges            []struct{ A struct{ ID string } }
	}
	graphqltest.Data(t, h, `{ articulationPoints(first: 5) { id } bridges(first: 3) { a { id } } }`, nil, &cut)
	if len(cut.ArticulationPoints) != 5 || cut.ArticulationPoints[0].ID != "e0001" || len(cut.Bridges) != 3 {
		t.Errorf("with first: %+v", cut)
	}
}

// TestPartnersReadTheirContextsOnlyWhenAsked: two organisations share 200
// projects. Asking for the partner and the count reads one entity; the
// contexts are read when selected, directly or through a fragment;
// commonPartners reads withA and withB, and projection its links'
// contexts, only when asked for.
func TestPartnersReadTheirContextsOnlyWhenAsked(t *testing.T) {
	ds := &coopgraph.Dataset{Name: "pair", Entities: []coopgraph.Entity{
		{ID: "org-a", Kind: "Organisation", Name: "A"}, {ID: "org-b", Kind: "Organisation", Name: "B"}, {ID: "org-c", Kind: "Organisation", Name: "C"}}}
	for i := range 200 {
		id := fmt.Sprintf("project-%04d", i)
		ds.Entities = append(ds.Entities, coopgraph.Entity{ID: id, Kind: "Project", Name: id})
		for _, org := range []string{"org-a", "org-b", "org-c"} {
			ds.Relations = append(ds.Relations, coopgraph.Relation{ID: org + "-" + id, Type: "PARTICIPATES_IN", From: org, To: id})
		}
	}
	st := storetest.NewCountingStore(memstore.New(ds))
	h := serve(t, st, ds)
	type partners struct {
		Partners []struct {
			Partner  struct{ ID string }
			Count    int
			Contexts []struct{ ID string }
		}
	}
	read := func() int {
		_, n := st.Reset()
		return n
	}
	read()
	var got partners
	graphqltest.Data(t, h, `{ partners(id: "org-a", first: 5) { partner { id } count } }`, nil, &got)
	if n := read(); len(got.Partners) != 2 || got.Partners[0].Count != 200 || got.Partners[0].Contexts != nil || n > 2 {
		t.Errorf("without contexts: %+v, %d ids read; want 2 partners of count 200 and the 2 partners read", got, n)
	}
	for _, q := range []string{
		`{ partners(id: "org-a", first: 5) { partner { id } count contexts { id } } }`,
		`{ partners(id: "org-a", first: 5) { partner { id } ...ctx } } fragment ctx on Partnership { contexts { id } }`,
	} {
		got = partners{}
		graphqltest.Data(t, h, q, nil, &got)
		if n := read(); len(got.Partners) != 2 || len(got.Partners[0].Contexts) != 200 || n < 200 {
			t.Errorf("%s: %d partners, %d contexts, %d ids read", q, len(got.Partners), len(got.Partners[0].Contexts), n)
		}
	}
	var common struct {
		CommonPartners []struct {
			Partner      struct{ ID string }
			WithA, WithB []struct{ ID string }
		}
	}
	graphqltest.Data(t, h, `{ commonPartners(a: "org-a", b: "org-b") { partner { id } withA { id } } }`, nil, &common)
	if n := read(); len(common.CommonPartners) != 1 || common.CommonPartners[0].Partner.ID != "org-c" || len(common.CommonPartners[0].WithA) != 200 || common.CommonPartners[0].WithB != nil || n > 201 {
		t.Errorf("common partners with withA only: %+v, %d ids read", common, n)
	}

	var projection struct {
		Projection struct {
			Links []struct {
				Weight   float64
				Contexts []struct{ ID string }
			}
		}
	}
	graphqltest.Data(t, h, `{ projection(kinds: ["Organisation"], via: ["Project"], first: 3) { links { weight } } }`, nil, &projection)
	if n := read(); len(projection.Projection.Links) != 3 || projection.Projection.Links[0].Contexts != nil || n > 6 {
		t.Errorf("projection without contexts: %+v, %d ids read", projection, n)
	}
	graphqltest.Data(t, h, `{ projection(kinds: ["Organisation"], via: ["Project"], first: 3) { links { weight contexts { id } } } }`, nil, &projection)
	if n := read(); len(projection.Projection.Links[0].Contexts) != 200 || n < 200 {
		t.Errorf("projection with contexts: %d contexts, %d ids read", len(projection.Projection.Links[0].Contexts), n)
	}
}
