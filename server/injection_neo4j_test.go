package server_test

// Injection through the served API, against a real Neo4j: search text,
// ids and filters full of Cypher and Lucene syntax reach neo4jstore only as
// parameters (or are refused before), so they change nothing in the
// database and find nothing the embedded store would not.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/graph"
	"github.com/coopgraph/coopgraph/memstore"
	"github.com/coopgraph/coopgraph/neo4jstore"
	"github.com/coopgraph/coopgraph/server"
	"github.com/coopgraph/coopgraph/storetest"
)

// sharedNeo4j is the store's configuration for the test Neo4j of the
// environment (storetest.Neo4j: the test skips without it, and fails
// instead when COOPGRAPH_REQUIRE_NEO4J is set, as scripts/test sets it).
func sharedNeo4j(t *testing.T, what string) neo4jstore.Config {
	t.Helper()
	env := storetest.Neo4j(t, what)
	return neo4jstore.Config{URI: env.URI, User: env.User, Password: env.Password, Database: env.Database}
}

// testDriver is a driver of the test's own, beside the store's.
func testDriver(t *testing.T, cfg neo4jstore.Config) neo4j.DriverWithContext {
	t.Helper()
	drv, err := neo4j.NewDriverWithContext(cfg.URI, neo4j.BasicAuth(cfg.User, cfg.Password, ""))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = drv.Close(context.Background()) })
	return drv
}

// queryRows runs one read query on database db ("" the default) and returns
// its records' values.
func queryRows(t *testing.T, drv neo4j.DriverWithContext, db, cypher string) [][]any {
	t.Helper()
	ctx := context.Background()
	sess := drv.NewSession(ctx, neo4j.SessionConfig{DatabaseName: db, AccessMode: neo4j.AccessModeRead})
	defer sess.Close(ctx)
	rows, err := neo4j.ExecuteRead(ctx, sess, func(tx neo4j.ManagedTransaction) ([][]any, error) {
		res, err := tx.Run(ctx, cypher, nil)
		if err != nil {
			return nil, err
		}
		var out [][]any
		for res.Next(ctx) {
			out = append(out, res.Record().Values)
		}
		return out, res.Err()
	})
	if err != nil {
		t.Fatalf("%s: %v", cypher, err)
	}
	return rows
}

// databaseDump is the whole DBMS as the API could have changed it, in a
// canonical form: every node (element id, labels, all properties) and
// every relationship (element id, type, ends, all properties), the
// indexes and constraints, and the users. Element ids are in it, so that a
// node deleted and created again differs too.
func databaseDump(t *testing.T, drv neo4j.DriverWithContext, db string) []byte {
	t.Helper()
	parts := map[string][][]any{
		"nodes": queryRows(t, drv, db, `MATCH (n) RETURN elementId(n) AS id, labels(n) AS labels, properties(n) AS props ORDER BY id`),
		"relationships": queryRows(t, drv, db, `MATCH (a)-[r]->(b)
RETURN elementId(r) AS id, type(r) AS type, elementId(a) AS from, elementId(b) AS to, properties(r) AS props ORDER BY id`),
		"indexes":     queryRows(t, drv, db, `SHOW INDEXES YIELD name, type, entityType, labelsOrTypes, properties, state, options RETURN * ORDER BY name`),
		"constraints": queryRows(t, drv, db, `SHOW CONSTRAINTS YIELD name, type, entityType, labelsOrTypes, properties RETURN * ORDER BY name`),
		"users":       queryRows(t, drv, "system", `SHOW USERS YIELD user, passwordChangeRequired RETURN * ORDER BY user`),
	}
	b, err := json.Marshal(parts)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// wipeAndLoadSeed empties the test database and loads the seed into it.
func wipeAndLoadSeed(t *testing.T, cfg neo4jstore.Config) *neo4jstore.Store {
	t.Helper()
	ctx := context.Background()
	drv := testDriver(t, cfg)
	sess := drv.NewSession(ctx, neo4j.SessionConfig{DatabaseName: cfg.Database, AccessMode: neo4j.AccessModeWrite})
	_, err := neo4j.ExecuteWrite(ctx, sess, func(tx neo4j.ManagedTransaction) (any, error) {
		res, err := tx.Run(ctx, `MATCH (n) DETACH DELETE n`, nil)
		if err != nil {
			return nil, err
		}
		return res.Consume(ctx)
	})
	sess.Close(ctx)
	if err != nil {
		t.Fatal(err)
	}
	st, err := neo4jstore.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close(ctx) })
	if _, err := neo4jstore.Load(ctx, st, seedDataset(t)); err != nil {
		t.Fatal(err)
	}
	return st
}

// injectionPayloads hold the metacharacters and keywords of Cypher and of
// Lucene's query syntax (the full-text index's), alone and around words
// that do match.
var injectionPayloads = []string{
	`'`, `"`, `\`, `\\`, `\'`, `\"`, "`", `*`, `?`, `~`, `:`, `//`, `/*`, `*/`, `}`, `{`, `)`, `(`, `]`, `[`, `;`, `$`, `|`, `&&`, `||`, `!`, `^`, `+`, `-`, `%`,
	`' OR 1=1 //`, `" OR ""="`, `' OR '1'='1`,
	`malopolskie' DETACH DELETE n //`,
	`malopolskie"}) DETACH DELETE n //`,
	`x'}) MATCH (n) DETACH DELETE n RETURN n //`,
	`"}) MATCH (n) SET n.name = 'pwned' //`,
	`malopolskie' RETURN n UNION MATCH (n) RETURN n //`,
	`') CALL db.index.fulltext.drop('entity_search') //`,
	`CALL dbms.components()`, `CALL dbms.security.createUser('intruder', 'intruder-pw', false)`,
	`CALL db.labels()`, `CREATE (n:Intruder) RETURN n`, `MATCH (n) DETACH DELETE n`, `DETACH DELETE`,
	`LOAD CSV FROM 'http://127.0.0.1:1/x' AS l RETURN l`, `$query`, `$index`, `$kinds`, `{id: 'x'}`,
	`name:x`, `name:Małopolska`, `id:malopolskie`, `searchText:*`, `*:*`, `kind:Region`,
	`a AND b`, `Malopolska AND NOT Opolskie`, `Malopolska OR Opolskie`, `Malopolska && Slaskie`, `NOT Malopolska`,
	`foo~2`, `Malopolsk~`, `Malopolska~0.8`, `"Malopolska Opolskie"~5`, `Malopolska^10`, `Malo*`, `*opolska`, `M?lopolska`, `/Malo.*/`,
	`[a TO z]`, `{a TO z}`, `[* TO *]`, `(Malopolska`, `Malopolska)`, `((Malopolska)`, `+Malopolska -Opolskie`,
	`Małopolska' OR name:*`, `Malopolska\`, `Malopolska" OR "`, `Malopolska*`, `Małopolska:`, `Region:Małopolska`,
	"Malopolska\x00", "\x00", "\u202eMalopolska", "Ｍａｌｏｐｏｌｓｋａ", "malopolskie\nMATCH (n) DETACH DELETE n",
	`2020' OR '1'='1`, `2020-01-01'}) DETACH DELETE n //`, `MEMBER_OF]->() DETACH DELETE n //`, `Region' OR n.kind <> '`,
}

// injectionDocuments put the payload ($p) in every argument that reaches
// the store, or the engine then the store: search text and kinds, cursors,
// ids, relation types, kinds and dates of neighbours and relations, path
// ends, avoided entities and weight properties, partners' filters.
var injectionDocuments = []string{
	`query($p: String!) { search(text: $p, first: 50) { id name kind } }`,
	`query($p: String!) { search(text: $p, kinds: [$p]) { id } }`,
	`query($p: String!) { search(text: "Malopolska", kinds: [$p]) { id } }`,
	`query($p: String!) { searchConnection(text: $p, first: 50) { totalCount edges { cursor node { id } } } }`,
	`query($p: String!) { searchConnection(text: "Malopolska", after: $p) { totalCount edges { node { id } } } }`,
	`query($p: ID!) { entity(id: $p) { id name aliases } }`,
	`query($p: String!) { entity(id: "malopolskie") { neighbours(relationTypes: [$p], first: 100) { id } } }`,
	`query($p: String!) { entity(id: "malopolskie") { neighbours(kinds: [$p], first: 100) { id } } }`,
	`query($p: String!) { entity(id: "malopolskie") { relations(activeFrom: $p, first: 100) { id } } }`,
	`query($p: String!) { entity(id: "malopolskie") { relations(activeTo: $p, first: 100) { id } } }`,
	`query($p: String!) { entity(id: "malopolskie") { relationsConnection(after: $p) { totalCount edges { node { id } } } } }`,
	`query($p: String!) { entity(id: "malopolskie") { neighboursConnection(relationTypes: [$p], after: $p) { totalCount } } }`,
	`query($p: ID!) { shortestPath(from: $p, to: "opolskie") { length nodes { id } } }`,
	`query($p: ID!) { shortestPath(from: "opolskie", to: "malopolskie", avoid: [$p]) { length nodes { id } } }`,
	`query($p: String!) { shortestPath(from: "opolskie", to: "malopolskie", viaKinds: [$p], relationTypes: [$p]) { length } }`,
	`query($p: String!) { shortestPath(from: "opolskie", to: "malopolskie", weight: PROPERTY, weightProperty: $p) { length } }`,
	`query($p: String!) { allShortestPaths(from: "opolskie", to: "malopolskie", activeFrom: $p, first: 5) { length } }`,
	`query($p: ID!) { partners(id: $p, first: 10) { partner { id } count } }`,
	`query($p: String!) { partners(id: "malopolskie", contextKinds: [$p], relationTypes: [$p], first: 10) { partner { id } } }`,
	`query($p: ID!) { commonPartners(a: "malopolskie", b: $p, first: 10) { partner { id } } }`,
	`query($p: String!) { centrality(measure: DEGREE, kinds: [$p], first: 5) { rank entity { id } } }`,
	`query($p: ID!) { subgraph(ids: [$p, "malopolskie"]) { entities { id } relations { id } } }`,
	`query($p: ID!) { whatIfRemoved(id: $p, first: 5) { disconnectedPairs } }`,
}

// injectionRequests are the requests of one payload: the documents above
// with it as a variable, it written into the document as a literal (by
// POST and GET), and the exports that take ids and types in the URL.
func injectionRequests(p string) []*http.Request {
	var out []*http.Request
	post := func(doc string, vars map[string]any) {
		body, _ := json.Marshal(map[string]any{"query": doc, "variables": vars})
		req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		out = append(out, req)
	}
	for _, doc := range injectionDocuments {
		post(doc, map[string]any{"p": p})
	}
	lit, _ := json.Marshal(p) // a JSON string is a GraphQL string literal
	for _, doc := range []string{
		`{ search(text: ` + string(lit) + `) { id } }`,
		`{ entity(id: ` + string(lit) + `) { id } }`,
		`{ entity(id: "malopolskie") { neighbours(relationTypes: [` + string(lit) + `]) { id } } }`,
	} {
		post(doc, nil)
		out = append(out, httptest.NewRequest(http.MethodGet, "/graphql?query="+url.QueryEscape(doc), nil))
	}
	for _, q := range []url.Values{
		{"neighbourhood": {p}},
		{"path": {p + ",malopolskie"}},
		{"path": {"opolskie,malopolskie"}, "relationType": {p}},
		{"community": {p}},
	} {
		out = append(out, httptest.NewRequest(http.MethodGet, "/export/graphml?"+q.Encode(), nil))
	}
	return out
}

// answer is what a client gets: status, content type and body.
func answer(t *testing.T, base string, req *http.Request) (int, string, []byte) {
	t.Helper()
	u, _ := url.Parse(base)
	req.URL.Scheme, req.URL.Host, req.RequestURI = u.Scheme, u.Host, ""
	if req.Body != nil {
		// httptest.NewRequest's body is read once; both servers get a copy.
		b, _ := io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(b))
		defer func() { req.Body = io.NopCloser(bytes.NewReader(b)) }()
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header.Get("Content-Type"), body
}

// TestInjectionThroughTheAPIChangesNothingInNeo4j sends every payload
// through every argument that reaches Neo4j, through the HTTP API of a
// server on neo4jstore, and the same to a server on the embedded store
// holding the seed. Each answer must be the embedded store's, byte for byte
// (so nothing else is found, and a refusal is the same clear error), no
// error may be INTERNAL or UNAVAILABLE, and the database dump after is the
// dump before. It wipes the test database.
func TestInjectionThroughTheAPIChangesNothingInNeo4j(t *testing.T) {
	cfg := sharedNeo4j(t, "the Neo4j injection test")
	ctx := context.Background()
	st := wipeAndLoadSeed(t, cfg)
	fromNeo4j, err := st.Dataset(ctx)
	if err != nil {
		t.Fatal(err)
	}
	seed := seedDataset(t)
	serve := func(store coopgraph.Store, ds *coopgraph.Dataset) string {
		srv := &server.Server{Store: store, Logger: slog.New(slog.DiscardHandler)}
		srv.SetSnapshot(graph.NewSnapshot(ds))
		ts := httptest.NewServer(srv.Handler())
		t.Cleanup(ts.Close)
		return ts.URL
	}
	onNeo4j, embedded := serve(st, fromNeo4j), serve(memstore.New(seed), seed)

	drv := testDriver(t, cfg)
	before := databaseDump(t, drv, cfg.Database)

	codes := map[string]int{}
	requests, withData := 0, 0
	for _, p := range injectionPayloads {
		for _, req := range injectionRequests(p) {
			requests++
			what := fmt.Sprintf("payload %q: %s %s", p, req.Method, req.URL)
			sn, cn, bn := answer(t, onNeo4j, req)
			sm, cm, bm := answer(t, embedded, req)
			if sn != sm || cn != cm || !bytes.Equal(bn, bm) {
				t.Errorf("%s\nNeo4j:    %d %s %.500s\nembedded: %d %s %.500s", what, sn, cn, bn, sm, cm, bm)
				continue
			}
			if !strings.HasPrefix(cn, "application/json") {
				if sn == 200 {
					withData++
				}
				continue
			}
			var resp struct {
				Data   json.RawMessage
				Errors []struct {
					Message    string
					Extensions struct{ Code string }
				}
			}
			if err := json.Unmarshal(bn, &resp); err != nil {
				t.Errorf("%s: %d %.300s is no JSON", what, sn, bn)
				continue
			}
			if len(resp.Errors) == 0 {
				withData++
			}
			for _, e := range resp.Errors {
				codes[e.Extensions.Code]++
				if !clientCodes[e.Extensions.Code] {
					t.Errorf("%s: error %q with code %q", what, e.Message, e.Extensions.Code)
				}
			}
		}
	}

	after := databaseDump(t, drv, cfg.Database)
	if !bytes.Equal(before, after) {
		t.Errorf("the database changed:\nbefore %.2000s\nafter  %.2000s", before, after)
	}
	if !bytes.Contains(before, []byte(`"malopolskie"`)) || !bytes.Contains(before, []byte("entity_search")) {
		t.Fatalf("the dump lacks the seed or its index: %.500s", before)
	}
	t.Logf("%d payloads, %d requests to each server: identical answers; %d answered with data, errors by code %v; database dump of %d bytes, sha256 %x, unchanged",
		len(injectionPayloads), requests, withData, codes, len(before), sha256.Sum256(before))
}
