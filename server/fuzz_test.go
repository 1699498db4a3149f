package server_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// The codes an API error may carry (see presentError). A fuzzed argument
// must never produce INTERNAL: that would be a bug the input reached.
var clientCodes = map[string]bool{"NOT_FOUND": true, "INVALID_ARGUMENT": true, "LIMIT_EXCEEDED": true,
	"GRAPHQL_VALIDATION_FAILED": true, "GRAPHQL_PARSE_FAILED": true}

// fuzzDocuments take the fuzzed arguments as variables: search text, ids,
// kinds and relation types as filters, and numbers for the limits.
var fuzzDocuments = []string{
	`query($t: String!, $k: [String!]) { search(text: $t, kinds: $k, first: 5) { id name } }`,
	`query($a: ID!, $r: [String!], $n: Int) { entity(id: $a) { id neighbours(relationTypes: $r, first: $n) { id } } }`,
	`query($a: ID!, $b: ID!, $r: [String!], $h: Int) { shortestPath(from: $a, to: $b, relationTypes: $r, maxHops: $h) { length nodes { id } } }`,
	`query($a: ID!, $b: ID!, $h: Int, $n: Int) { allShortestPaths(from: $a, to: $b, maxHops: $h, first: $n) { length } }`,
	`query($a: ID!, $k: [String!], $n: Int) { partners(id: $a, contextKinds: $k, first: $n) { partner { id } count } }`,
	`query($k: [String!], $n: Int) { centrality(measure: PAGERANK, kinds: $k, first: $n) { rank entity { id } } }`,
}

var (
	fuzzHandlerOnce sync.Once
	fuzzHandler     http.Handler
)

// FuzzGraphQLArguments sends arbitrary search text, ids, filters and limits
// through the whole HTTP and GraphQL stack of the embedded store: every
// answer must be well-formed JSON with data or errors, each error with a
// client code — never a crash, a hang (the fuzzer's timeout) or INTERNAL.
// The seed corpus holds the metacharacters of Cypher and Lucene.
func FuzzGraphQLArguments(f *testing.F) {
	for _, seed := range []struct {
		text, a, b, kind, typ string
		n, hops               int
	}{
		{"Malopolska", "malopolskie", "opolskie", "Region", "MEMBER_OF", 5, 4},
		{`" OR 1=1 //`, `malopolskie' DETACH DELETE n //`, `x"})-[:R]->() CALL dbms.components() //`, "Region'", "MEMBER_OF]", 10, 3},
		{`\"\\*~:`, `a\`, `}`, `*`, `~`, -1, -1},
		{`title:(foo) AND bar~2 OR baz*`, "CALL dbms.security.listUsers()", "MATCH (n) DETACH DELETE n", "", "", 0, 0},
		{strings.Repeat("ż", 300), strings.Repeat("a", 5000), "", "Organisation", "PARTICIPATES_IN", 1 << 30, 1 << 30},
		{"\x00\xff\xfe", "\u202e", "", "\n", "\t", 1000, 12},
		{"", "", "", "", "", 1001, 13},
	} {
		f.Add(seed.text, seed.a, seed.b, seed.kind, seed.typ, seed.n, seed.hops)
	}
	f.Fuzz(func(t *testing.T, text, a, b, kind, typ string, n, hops int) {
		fuzzHandlerOnce.Do(func() { fuzzHandler = seedHandler(t) })
		vars := map[string]any{"t": text, "a": a, "b": b, "k": []string{kind}, "r": []string{typ}, "n": n, "h": hops}
		for _, doc := range fuzzDocuments {
			body, err := json.Marshal(map[string]any{"query": doc, "variables": vars})
			if err != nil {
				t.Fatal(err)
			}
			req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			fuzzHandler.ServeHTTP(rec, req)
			var resp struct {
				Data   json.RawMessage `json:"data"`
				Errors []struct {
					Message    string         `json:"message"`
					Extensions map[string]any `json:"extensions"`
				} `json:"errors"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
				t.Fatalf("%s with %q: status %d, body is no JSON: %.300q", doc, vars, rec.Code, rec.Body.String())
			}
			if len(resp.Errors) == 0 && (len(resp.Data) == 0 || string(resp.Data) == "null") {
				t.Fatalf("%s with %q: neither data nor errors", doc, vars)
			}
			for _, e := range resp.Errors {
				code, _ := e.Extensions["code"].(string)
				if !clientCodes[code] {
					t.Fatalf("%s with %q: error %q with code %q", doc, vars, e.Message, code)
				}
			}
		}
	})
}
