package neo4jstore

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/graph"
	"github.com/coopgraph/coopgraph/memstore"
	"github.com/coopgraph/coopgraph/server"
	"github.com/coopgraph/coopgraph/server/graphqltest"
)

func newServer(t *testing.T, st coopgraph.Store) http.Handler {
	t.Helper()
	ds, err := st.Dataset(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	srv := &server.Server{Store: st, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	srv.SetSnapshot(graph.NewSnapshot(ds))
	return srv.Handler()
}

// conformanceDocuments are asked of both stores; the answers must be the
// same JSON, errors included.
func conformanceDocuments(ds *coopgraph.Dataset) []string {
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
			`{ entity(id: "`+e.ID+`") { id kind name aliases documents properties { key value } facts { property value document quote }
			   neighbours { id name } some: neighbours(relationTypes: ["MEMBER_OF", "PARTICIPATES_IN"], first: 3) { id }
			   relations { id type role start end document quote from { id } to { id } properties { key value } } } }`,
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
			     totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id kind } relations { id start end } } } } }`)
	}
	return docs
}

// TestStoresAnswerTheSame runs the same GraphQL documents against the
// embedded store and Neo4j, both holding the seed dataset, and requires
// identical JSON.
func TestStoresAnswerTheSame(t *testing.T) {
	s := openTestStore(t)
	ds := seed(t)
	mustLoad(t, s, ds)
	embedded := newServer(t, memstore.New(ds))
	viaNeo4j := newServer(t, s)
	for _, doc := range conformanceDocuments(ds) {
		a, _ := json.Marshal(graphqltest.Do(t, embedded, doc, nil))
		b, _ := json.Marshal(graphqltest.Do(t, viaNeo4j, doc, nil))
		if !bytes.Equal(a, b) {
			t.Errorf("answers differ for %s\nembedded: %s\nneo4j:    %s", doc, a, b)
		}
	}
}

// TestConnectionsAnswerTheSame pages through every connection of every
// entity, and through search and centrality rankings, page by page on both
// stores, following the cursors, and requires the same JSON for each page.
func TestConnectionsAnswerTheSame(t *testing.T) {
	s := openTestStore(t)
	ds := seed(t)
	mustLoad(t, s, ds)
	embedded := newServer(t, memstore.New(ds))
	viaNeo4j := newServer(t, s)
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
			b, _ := json.Marshal(graphqltest.Do(t, viaNeo4j, doc, v))
			pages++
			if !bytes.Equal(a, b) {
				t.Errorf("answers differ for %s %v\nembedded: %s\nneo4j:    %s", doc, v, a, b)
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

// TestShortestPathsMatchCypher cross-checks the engine with Neo4j's own path
// search: for many entity pairs, the length and number of shortest paths
// equal what Cypher allShortestPaths finds over the same data.
func TestShortestPathsMatchCypher(t *testing.T) {
	s := openTestStore(t)
	ds := seed(t)
	mustLoad(t, s, ds)
	snap := graph.NewSnapshot(ds)
	rng := rand.New(rand.NewPCG(2, 3))
	type answer struct {
		length int64
		count  int64
	}
	pairs := 0
	for pairs < 300 {
		a := ds.Entities[rng.IntN(len(ds.Entities))].ID
		b := ds.Entities[rng.IntN(len(ds.Entities))].ID
		if a == b {
			continue
		}
		pairs++
		rows, err := read(context.Background(), s, `
MATCH (a:Entity {id: $a}), (b:Entity {id: $b})
MATCH p = allShortestPaths((a)-[*]-(b))
RETURN length(p) AS length, count(p) AS count`, map[string]any{"a": a, "b": b},
			func(r *neo4j.Record) (answer, error) {
				return answer{r.Values[0].(int64), r.Values[1].(int64)}, nil
			})
		if err != nil {
			t.Fatal(err)
		}
		paths, total, err := snap.AllShortestPaths(a, b, graph.PathOptions{}, -1)
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case len(rows) == 0 && total != 0:
			t.Errorf("%s–%s: Cypher finds no path, coopgraph %d", a, b, total)
		case len(rows) == 1 && (total != rows[0].count || int64(len(paths[0].Relations)) != rows[0].length):
			t.Errorf("%s–%s: Cypher %d paths of length %d, coopgraph %d of length %d",
				a, b, rows[0].count, rows[0].length, total, len(paths[0].Relations))
		case len(rows) > 1:
			t.Errorf("%s–%s: Cypher gave paths of several lengths: %+v", a, b, rows)
		}
		if int64(len(paths)) != total {
			t.Errorf("%s–%s: %d paths listed, %d counted", a, b, len(paths), total)
		}
	}
}

func TestLuceneQueryLeavesStopWordPrefixesToTheRanking(t *testing.T) {
	for words, want := range map[string]string{
		"region murcia": "region* AND murcia*",
		"region of":     "region*",
		"th":            "",
		"office brus":   "office* AND brus*",
	} {
		if got := luceneQuery(strings.Fields(words)); got != want {
			t.Errorf("luceneQuery(%q) = %q, want %q", words, got, want)
		}
	}
}

// TestSearchEqualsTheEmbeddedStore: on names built from a small vocabulary
// (shared prefixes, diacritics, exact names and aliases, ties of rank and
// of name length), every search — prefixes, whole names, several words,
// stop-word prefixes, with and without kinds, any first — gives Neo4j's
// ranking in Cypher (or the reading of every candidate it falls back to)
// the embedded store's entities in the same order.
func TestSearchEqualsTheEmbeddedStore(t *testing.T) {
	s := openTestStore(t)
	rng := rand.New(rand.NewPCG(11, 3))
	vocab := []string{"Małopolska", "Malopolska", "Śląsk", "project", "projekt", "pic", "picardie", "H2020", "h2", "region", "Region", "the", "of", "dom", "Dom", "network", "net", "ne", "a", "ab"}
	kinds := []string{"Region", "Project", "Organisation", "Network"}
	name := func() string {
		var w []string
		for range 1 + rng.IntN(3) {
			w = append(w, vocab[rng.IntN(len(vocab))])
		}
		if rng.IntN(4) == 0 {
			w = append(w, fmt.Sprint(rng.IntN(30)))
		}
		return strings.Join(w, " ")
	}
	ds := &coopgraph.Dataset{Name: "search-words"}
	for i := range 400 {
		e := coopgraph.Entity{ID: fmt.Sprintf("org:w%04d", i), Kind: kinds[rng.IntN(len(kinds))], Name: name(), Documents: []string{"test"}}
		for range rng.IntN(3) {
			e.Aliases = append(e.Aliases, name())
		}
		ds.Entities = append(ds.Entities, e)
	}
	mustLoad(t, s, ds)
	embedded := memstore.New(ds)
	texts := []string{"th", "a", "ne", "net", "pic", "pi", "h2", "h20", "mał", "malopolska", "region", "region dom", "dom region", "of", "project pic", "Śląsk", "śl", "2", "1"}
	for range 40 {
		texts = append(texts, name())
	}
	ctx := context.Background()
	checked := 0
	compare := func(label string) {
		for _, text := range texts {
			for _, k := range [][]string{nil, {"Region"}, {"Project", "Network"}} {
				for _, first := range []int{0, 1, 3, 10, 50, -1} {
					want, err := embedded.Search(ctx, text, k, first)
					if err != nil {
						t.Fatal(err)
					}
					got, err := s.Search(ctx, text, k, first)
					if err != nil {
						t.Fatalf("%s: %q: %v", label, text, err)
					}
					if !slices.EqualFunc(got, want, func(a, b coopgraph.Entity) bool { return a.ID == b.ID }) {
						t.Fatalf("%s: search %q kinds %v first %d:\n neo4j    %v\n embedded %v", label, text, k, first, ids(got), ids(want))
					}
					checked++
				}
			}
		}
	}
	compare("ranked in Cypher")
	// A database loaded before the search names existed: every search
	// reads all its candidates, and answers the same.
	sess := s.driver.NewSession(ctx, neo4j.SessionConfig{AccessMode: neo4j.AccessModeWrite})
	defer sess.Close(ctx)
	if _, err := neo4j.ExecuteWrite(ctx, sess, func(tx neo4j.ManagedTransaction) (any, error) {
		res, err := tx.Run(ctx, `MATCH (n:Entity) REMOVE n.searchNames, n.searchOrder`, nil)
		if err != nil {
			return nil, err
		}
		return res.Consume(ctx)
	}); err != nil {
		t.Fatal(err)
	}
	compare("without search names")
	t.Logf("%d searches equal", checked)
}

func ids(es []coopgraph.Entity) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.ID)
	}
	return out
}
