package storetest

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/memstore"
	"github.com/coopgraph/coopgraph/server/graphqltest"
)

// documents are asked of both stores; the answers must be the
// same JSON, errors included.
func documents(ds *coopgraph.Dataset) []string {
	docs := []string{
		`{ search(text: "Malopolska") { id kind name aliases } }`,
		`{ search(text: "Lesser Poland", first: 3) { id name } }`,
		`{ search(text: "Slaskie") { id name } }`,
		`{ search(text: "a", first: 50) { id name } }`,
		`{ search(text: "of", first: 50) { id name } }`,
		`{ search(text: "the", first: 50) { id name } }`,
		`{ search(text: "and", first: 50) { id name } }`,
		`{ search(text: "th", first: 50) { id name } }`,
		`{ search(text: "in europe", first: 50) { id name } }`,
		`{ search(text: "Małopolska region", first: 50) { id name } }`,
		`{ search(text: "urban", first: 50) { id name } }`,
		`{ search(text: "region", kinds: ["Region"], first: 100) { id name kind } }`,
		`{ search(text: "cluster", kinds: ["Organisation", "Network"], first: 100) { id } }`,
		`{ search(text: "zzzz-nothing") { id } }`,
		`{ search(text: "x", kinds: ["Nope"]) { id } }`,
		`{ entity(id: "no-such-id") { id } }`,
		`{ documents { id title publisher url published retrieved licence } }`,
		`{ centrality(measure: DEGREE, first: 20) { rank score entity { id name aliases } } }`,
		`{ centrality(measure: BETWEENNESS, kinds: ["Organisation"], first: 20) { rank score entity { id } } }`,
		`{ centrality(measure: PAGERANK, first: 5) { rank score entity { id kind } } }`,
		// Connections, their limits and cursors.
		`{ searchConnection(text: "region", first: 5) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id name } } } }`,
		`{ searchConnection(text: "zzzz-nothing") { totalCount pageInfo { hasNextPage endCursor } edges { cursor } } }`,
		`{ searchConnection(text: "region", after: "garbage") { totalCount } }`,
		`{ searchConnection(text: "region", first: 1001) { totalCount } }`,
		`{ centralityConnection(measure: CLOSENESS, kinds: ["Region"], first: 4) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { rank score entity { id name } } } } }`,
		`{ entity(id: "malopolskie") { relationsConnection(first: 1001) { totalCount } } }`,
		`{ entity(id: "malopolskie") { neighboursConnection(after: "bm9wZQ==") { totalCount } } }`,
		`{ entity(id: "no-such-id") { relationsConnection { totalCount } } }`,
		// Filters the stores evaluate themselves, including bad ones.
		`{ entity(id: "malopolskie") { relations(activeFrom: "2013-02-30") { id } } }`,
		`{ entity(id: "malopolskie") { neighbours(activeFrom: "2014", activeTo: "2013-12") { id } } }`,
		`{ entity(id: "malopolskie") { relationsConnection(kinds: ["Planet"]) { totalCount } } }`,
		`{ entity(id: "malopolskie") { neighboursConnection(relationTypes: ["LIKES"]) { totalCount } } }`,
		// The views' filter (EntityFilter), good and bad: the members come
		// from the snapshot, the entities from the store.
		`{ centralityConnection(measure: DEGREE, first: 10, filter: {countries: ["poland"], kinds: ["Region", "Organisation"]}) { totalCount edges { node { rank score entity { id name aliases } } } } }`,
		`{ centralityConnection(measure: BETWEENNESS, first: 10, filter: {programmes: ["horizon-2020"], activeFrom: "2015"}) { totalCount edges { node { rank entity { id } } } } }`,
		`{ search(text: "region", first: 20, filter: {countries: ["poland"]}) { id name } }`,
		`{ search(text: "a", first: 50, filter: {documents: ["003_b30eace32ec66ab8.txt"], kinds: ["Organisation"]}) { id } }`,
		`{ subgraph(ids: ["malopolskie", "slaskie", "opolskie", "poland", "italy"], filter: {activeFrom: "2015", activeTo: "2016"}) { hidden entities { id name } relations { id start end } } }`,
		`{ allShortestPaths(from: "opolskie", to: "city-of-turin", filter: {kinds: ["Network", "Region", "Project"]}) { length nodes { id } relations { id } } }`,
		`{ kShortestPaths(from: "opolskie", to: "city-of-turin", k: 3, filter: {countries: ["poland", "italy"]}) { length nodes { id } } }`,
		`{ shortestPathSubgraph(from: "opolskie", to: "malopolskie", filter: {activeTo: "2016"}, activeFrom: "2014") { length layers { entities { id } } } }`,
		`{ filterChoices { countries { id name } programmes { id name } datasets documents firstYear lastYear } }`,
		`{ centralityConnection(measure: DEGREE, filter: {countries: ["malopolskie"]}) { totalCount } }`,
		`{ search(text: "a", filter: {kinds: ["Planet"]}) { id } }`,
		`{ entity(id: "malopolskie") { neighboursConnection(filter: {activeFrom: "2013-02-30"}) { totalCount } } }`,
		`{ allShortestPaths(from: "opolskie", to: "malopolskie", filter: {datasets: ["wikipedia"]}) { length } }`,
		`{ subgraph(ids: ["malopolskie"], filter: {regions: ["no-such-region"]}) { hidden } }`,
		// Paths explained hop by hop, with constraints, weights and time windows.
		`{ kShortestPaths(from: "opolskie", to: "city-of-turin", k: 5) { length cost text hops { from { id name } to { id name } relation { id type role start end document quote } direction text } } }`,
		`{ kShortestPaths(from: "opolskie", to: "city-of-turin", k: 3, weight: HUB) { cost hops { from { id } to { id } direction text } } }`,
		`{ allShortestPaths(from: "slaskie", to: "malopolskie", activeFrom: "2013", activeTo: "2014") { length hops { from { id } to { id } relation { id start end } direction text } } }`,
		`{ shortestPath(from: "opolskie", to: "malopolskie", relationTypes: ["MEMBER_OF"], viaKinds: ["Network"]) { hops { from { id } to { id } direction text } } }`,
	}
	// Every entity with its neighbours and relations, and paths from the first.
	for _, e := range ds.Entities {
		for _, name := range append([]string{e.Name}, e.Aliases...) {
			b, _ := json.Marshal(name)
			docs = append(docs, `{ search(text: `+string(b)+`, first: 20) { id } }`)
		}
		docs = append(docs,
			`{ entity(id: "`+e.ID+`") { id kind name aliases documents sources { id title publisher url }
			   properties { key value } facts { property value document quote source { id title publisher url } }
			   neighbours { id name } some: neighbours(relationTypes: ["MEMBER_OF", "PARTICIPATES_IN"], first: 3) { id }
			   relations { id type role start end document quote source { id title publisher url } from { id } to { id } properties { key value } } } }`,
			`{ shortestPath(from: "`+ds.Entities[0].ID+`", to: "`+e.ID+`") { length nodes { id name } relations { id type from { id } to { id } } }
			   allShortestPaths(from: "`+e.ID+`", to: "`+ds.Entities[len(ds.Entities)/2].ID+`", first: 5) { length nodes { id } relations { id }
			     hops { from { id name } to { id name } relation { id type role } direction text } } }`,
			`{ entity(id: "`+e.ID+`") {
			   kinds: relations(kinds: ["Region", "Network"]) { id }
			   window: relations(activeFrom: "2016", activeTo: "2019") { id start end }
			   month: relations(activeFrom: "2013-11", activeTo: "2013-11") { id }
			   day: neighbours(activeFrom: "2018-03-21", activeTo: "2018-03-21") { id }
			   past: neighbours(activeTo: "2015", relationTypes: ["MEMBER_OF", "PARTICIPATES_IN", "PART_OF"]) { id }
			   open: relationsConnection(activeFrom: "2022-05-01", first: 2) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } } }
			   mixed: neighboursConnection(kinds: ["Project", "Event", "Organisation"], activeFrom: "2018-06", activeTo: "2020-01-15", first: 2) {
			     totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id kind } relations { id start end } } }
			   filtered: neighboursConnection(relationTypes: ["MEMBER_OF", "PARTICIPATES_IN", "LOCATED_IN"], first: 3,
			       filter: {countries: ["poland"], activeFrom: "2014"}) {
			     totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id kind } relations { id start end } } } } }`)
	}
	return docs
}

// sameAnswers runs the same GraphQL documents against the embedded store
// and the store under test, both holding the seed dataset, and requires
// identical JSON.
func sameAnswers(t *testing.T, open Open) {
	ds := Seed(t)
	embedded := Serve(t, memstore.New(ds))
	tested := Serve(t, open(t, ds))
	for _, doc := range documents(ds) {
		a, _ := json.Marshal(graphqltest.Do(t, embedded, doc, nil))
		b, _ := json.Marshal(graphqltest.Do(t, tested, doc, nil))
		if !bytes.Equal(a, b) {
			t.Errorf("answers differ for %s\nembedded: %s\ntested:   %s", doc, a, b)
		}
	}
}

// sameConnectionPages pages through every connection of every
// entity, and through search and centrality rankings, page by page on both
// stores, following the cursors, and requires the same JSON for each page.
func sameConnectionPages(t *testing.T, open Open) {
	ds := Seed(t)
	embedded := Serve(t, memstore.New(ds))
	tested := Serve(t, open(t, ds))
	pages := 0
	pageThrough := func(doc string, vars map[string]any, path ...string) {
		t.Helper()
		var after any
		for n := 0; ; n++ {
			if n > 200 {
				t.Fatalf("%s: paging does not end", doc)
			}
			v := map[string]any{"after": after}
			for k, x := range vars {
				v[k] = x
			}
			ra := graphqltest.Do(t, embedded, doc, v)
			a, _ := json.Marshal(ra)
			b, _ := json.Marshal(graphqltest.Do(t, tested, doc, v))
			pages++
			if !bytes.Equal(a, b) {
				t.Errorf("answers differ for %s %v\nembedded: %s\ntested:   %s", doc, v, a, b)
				return
			}
			var data any
			if err := json.Unmarshal(ra.Data, &data); err != nil || len(ra.Errors) > 0 {
				t.Errorf("%s %v: %s", doc, v, a)
				return
			}
			for _, p := range path {
				data = data.(map[string]any)[p]
			}
			info := data.(map[string]any)["pageInfo"].(map[string]any)
			if info["hasNextPage"] != true {
				return
			}
			after = info["endCursor"]
		}
	}
	for _, e := range ds.Entities {
		vars := map[string]any{"id": e.ID}
		pageThrough(`query($id: ID!, $after: String) { entity(id: $id) { relationsConnection(first: 4, after: $after) {
		  totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
		  edges { cursor node { id type role start end document quote from { id name } to { id name } properties { key value } } } } } }`,
			vars, "entity", "relationsConnection")
		pageThrough(`query($id: ID!, $after: String) { entity(id: $id) { neighboursConnection(first: 3, after: $after) {
		  totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
		  edges { cursor node { id kind name aliases } relations { id type from { id } to { id } } } } } }`,
			vars, "entity", "neighboursConnection")
		pageThrough(`query($id: ID!, $after: String) { entity(id: $id) {
		  neighboursConnection(first: 2, after: $after, relationTypes: ["PARTICIPATES_IN", "MEMBER_OF", "ORGANISED"], activeFrom: "2019") {
		    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } relations { id start end } } } } }`,
			vars, "entity", "neighboursConnection")
	}
	for _, text := range []string{"region", "a", "the", "małopolska"} {
		pageThrough(`query($text: String!, $after: String) { searchConnection(text: $text, first: 7, after: $after) {
		  totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id name } } } }`,
			map[string]any{"text": text}, "searchConnection")
	}
	for _, m := range []string{"DEGREE", "BETWEENNESS", "PAGERANK"} {
		pageThrough(`query($m: CentralityMeasure!, $after: String) { centralityConnection(measure: $m, first: 25, after: $after) {
		  totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { rank score entity { id name } } } } }`,
			map[string]any{"m": m}, "centralityConnection")
	}
	if pages < 3*len(ds.Entities) {
		t.Errorf("only %d pages compared", pages)
	}
}

// filterKeepingAll requires a filter that keeps every entity (every kind)
// to list each entity's neighbours exactly as the store lists them: the
// filtered listing comes from the snapshot, the plain one from the store,
// so their order, counts and relations must agree.
func filterKeepingAll(t *testing.T, open Open) {
	ds := Seed(t)
	tested := Serve(t, open(t, ds))
	var kinds []string
	for _, k := range coopgraph.Kinds {
		kinds = append(kinds, `"`+k.Name+`"`)
	}
	all := `{kinds: [` + strings.Join(kinds, ", ") + `]}`
	const edges = `totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id kind name } relations { id type start end document } }`
	for _, e := range ds.Entities {
		for _, args := range []string{`first: 1000`, `first: 2`, `relationTypes: ["MEMBER_OF", "PART_OF"], activeFrom: "2015", first: 1000`} {
			doc := `{ entity(id: "` + e.ID + `") { plain: neighboursConnection(` + args + `) { ` + edges + ` }
			  filtered: neighboursConnection(` + args + `, filter: ` + all + `) { ` + edges + ` } } }`
			r := graphqltest.Do(t, tested, doc, nil)
			var got struct {
				Entity struct{ Plain, Filtered json.RawMessage }
			}
			if err := json.Unmarshal(r.Data, &got); err != nil || len(r.Errors) > 0 {
				t.Fatalf("%s: %v %s", doc, err, r.Data)
			}
			if !bytes.Equal(got.Entity.Plain, got.Entity.Filtered) {
				t.Errorf("%s %s: the filter keeping all changed the neighbours\nstore:    %s\nfiltered: %s", e.ID, args, got.Entity.Plain, got.Entity.Filtered)
			}
		}
	}
}
