package server_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coopgraph/coopgraph/server"
	"github.com/coopgraph/coopgraph/server/graphqltest"
)

// postQuery sends query (and vars) as JSON to /graphql and returns the
// answer, its status and how long it took.
func postQuery(t *testing.T, h http.Handler, query string, vars map[string]any) (graphqltest.Response, *httptest.ResponseRecorder, time.Duration) {
	t.Helper()
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	rec := post(t, h, string(body), nil)
	took := time.Since(start)
	return decode(t, rec), rec, took
}

// refusedFast checks that resp is one error with code, whose message holds
// want, answered within a generous bound.
func refusedFast(t *testing.T, what string, resp graphqltest.Response, took time.Duration, code, want string) {
	t.Helper()
	t.Logf("%s: answered in %s: %+v", what, took.Round(time.Microsecond), resp.Errors)
	if len(resp.Errors) != 1 || resp.Errors[0].Extensions.Code != code || !strings.Contains(resp.Errors[0].Message, want) {
		t.Errorf("%s: errors %+v, want one %s saying %q", what, resp.Errors, code, want)
	}
	if took > 2*time.Second {
		t.Errorf("%s: answered in %s", what, took)
	}
}

// TestExponentialFragmentsAreRefusedFast: fragments that each spread the
// next twice, 28 deep (about 1 KB, 2²⁸ fields once spread), are refused
// at once: the cost walk computes each fragment once.
func TestExponentialFragmentsAreRefusedFast(t *testing.T) {
	h := newServer(t, nil, nil).Handler()
	var b strings.Builder
	b.WriteString("query Exp { ...F0 }\n")
	for i := range 28 {
		fmt.Fprintf(&b, "fragment F%d on Query { ...F%d ...F%d }\n", i, i+1, i+1)
	}
	b.WriteString("fragment F28 on Query { __typename }\n")
	resp, _, took := postQuery(t, h, b.String(), nil)
	refusedFast(t, fmt.Sprintf("28 levels of fragments (%d bytes)", b.Len()), resp, took, "LIMIT_EXCEEDED", "about 268435456 values")
}

// schemaAliases is n aliases of a nested __schema selection.
func schemaAliases(n int) string {
	var b strings.Builder
	b.WriteString("query Intro {")
	for i := range n {
		fmt.Fprintf(&b, " a%d: __schema { types { fields { type { fields { name } } } } }", i)
	}
	b.WriteString(" }")
	return b.String()
}

// TestIntrospectionAliasesAreRefused: 6,400 aliases of __schema (517 KB)
// are refused before validation; fewer of them, under the size limits,
// are refused by their cost, since introspection counts its values.
func TestIntrospectionAliasesAreRefused(t *testing.T) {
	h := newServer(t, nil, nil).Handler()
	q := schemaAliases(6400)
	resp, _, took := postQuery(t, h, q, nil)
	refusedFast(t, fmt.Sprintf("6,400 aliases of __schema (%d bytes)", len(q)), resp, took, "LIMIT_EXCEEDED", "more than the limit of 65536")

	srv := newServer(t, nil, nil)
	srv.MaxComplexity = 10000
	h = srv.Handler()
	resp, _, took = postQuery(t, h, schemaAliases(30), nil)
	refusedFast(t, "30 aliases of __schema", resp, took, "LIMIT_EXCEEDED", "more than the limit of 10000")
	// One alias is well under that limit and answered.
	if resp, _, _ := postQuery(t, h, schemaAliases(1), nil); len(resp.Errors) != 0 {
		t.Errorf("one __schema: %+v", resp.Errors)
	}
}

// TestQuadraticValidationIsRefusedBeforeValidation: `{ __typename … }`
// 20,000 times (220 KB) cost ~17 CPU-seconds of validation; it is refused
// by its size, within the byte limit by its selections, and within both
// by its repeats, before validation; so are 1000 fragments spread in one
// selection. What the limits let through validates fast.
func TestQuadraticValidationIsRefusedBeforeValidation(t *testing.T) {
	h := newServer(t, nil, nil).Handler()
	typenames := func(n int) string { return "{" + strings.Repeat(" __typename", n) + " }" }
	q := typenames(20000)
	resp, _, took := postQuery(t, h, q, nil)
	refusedFast(t, fmt.Sprintf("20,000 __typename (%d bytes)", len(q)), resp, took, "LIMIT_EXCEEDED", "more than the limit of 65536")

	q = typenames(5900) // within 64 KiB
	resp, _, took = postQuery(t, h, q, nil)
	refusedFast(t, fmt.Sprintf("5,900 __typename (%d bytes)", len(q)), resp, took, "LIMIT_EXCEEDED", "selects 5900 fields and fragments, more than the limit of 2000")

	resp, _, took = postQuery(t, h, typenames(server.MaxSelections), nil)
	refusedFast(t, "2,000 __typename", resp, took, "LIMIT_EXCEEDED", "selects __typename 2000 times in one selection, more than the limit of 100")

	inline := "{" + strings.Repeat(" ... on Query { __typename }", 500) + " }"
	resp, _, took = postQuery(t, h, inline, nil)
	refusedFast(t, "500 inline fragments of __typename", resp, took, "LIMIT_EXCEEDED", "selects __typename 500 times")

	resp, _, took = postQuery(t, h, spreadFragments(1000), nil)
	refusedFast(t, "1000 fragments of __typename spread in one selection", resp, took, "LIMIT_EXCEEDED", "1000 times in one selection")

	var b strings.Builder
	b.WriteString("{")
	for i := range 500 {
		fmt.Fprintf(&b, " ...F%d", i)
	}
	b.WriteString(" }")
	for i := range 500 {
		fmt.Fprintf(&b, " fragment F%d on Query { a%d: __typename }", i, i)
	}
	resp, _, took = postQuery(t, h, b.String(), nil)
	refusedFast(t, "500 fragments spread in one selection", resp, took, "LIMIT_EXCEEDED", "selects fragment spreads 500 times")

	srv := newServer(t, nil, nil)
	srv.MaxQueryBytes, srv.MaxTokens = 1<<20, 1<<20
	resp, _, took = postQuery(t, srv.Handler(), typenames(20000), nil)
	refusedFast(t, "20,000 __typename with the byte and token limits raised", resp, took, "LIMIT_EXCEEDED", "selects 20000 fields")

	// Tokens: a long list of values selects little.
	q = `{ search(text: "x", kinds: [` + strings.Repeat(`"R" `, 16000) + `]) { id } }`
	resp, _, took = postQuery(t, h, q, nil)
	refusedFast(t, fmt.Sprintf("16,000 list values (%d bytes)", len(q)), resp, took, "LIMIT_EXCEEDED", "more than 15000 tokens")

	// At the limits, validation stays cheap: the worst shapes let through.
	b.Reset()
	b.WriteString("{")
	for i := range server.MaxSelections {
		fmt.Fprintf(&b, " a%d: __typename", i)
	}
	b.WriteString(" }")
	aliases := b.String()
	b.Reset()
	b.WriteString("{")
	for i := range 100 {
		fmt.Fprintf(&b, " ...F%d", i)
	}
	b.WriteString(" }")
	for i := range 100 {
		fmt.Fprintf(&b, " fragment F%d on Query { __typename%s }", i, strings.Repeat(fmt.Sprintf(" a%d: __typename", i), 18))
	}
	for _, c := range []struct{ name, query string }{
		{"100 __typename", typenames(server.MaxRepeats)},
		{"2,000 aliases of __typename", aliases},
		{"100 fragments of 19 __typename spread in one selection", b.String()},
	} {
		resp, _, took := postQuery(t, h, c.query, nil)
		t.Logf("%s (%d bytes): %d errors, answered in %s", c.name, len(c.query), len(resp.Errors), took)
		if len(resp.Errors) != 0 || took > 2*time.Second {
			t.Errorf("%s: %+v in %s", c.name, resp.Errors, took)
		}
	}
}

// TestUnknownDirectivesGiveFewShortErrors: 10,000 unknown directives are
// refused by the token limit; with it raised, the answer holds 20 errors
// and one saying how many more were left out, not 3 MB of them.
func TestUnknownDirectivesGiveFewShortErrors(t *testing.T) {
	var b strings.Builder
	b.WriteString("{ __typename")
	for i := range 10000 {
		fmt.Fprintf(&b, " @d%s", strconv.FormatInt(int64(i), 36))
	}
	b.WriteString(" }")
	q := b.String()
	resp, _, took := postQuery(t, newServer(t, nil, nil).Handler(), q, nil)
	refusedFast(t, fmt.Sprintf("10,000 unknown directives (%d bytes)", len(q)), resp, took, "LIMIT_EXCEEDED", "tokens")

	srv := newServer(t, nil, nil)
	srv.MaxTokens = 1 << 20
	resp, rec, took := postQuery(t, srv.Handler(), q, nil)
	t.Logf("with the token limit raised: %d errors, %d bytes, in %s", len(resp.Errors), rec.Body.Len(), took)
	if len(resp.Errors) != 21 || rec.Body.Len() > 20000 || took > 2*time.Second {
		t.Fatalf("%d errors, %d bytes in %s", len(resp.Errors), rec.Body.Len(), took)
	}
	for _, e := range resp.Errors[:20] {
		if e.Extensions.Code != "GRAPHQL_VALIDATION_FAILED" || len(e.Message) > 500 {
			t.Errorf("error %+v", e)
		}
	}
	if last := resp.Errors[20]; last.Extensions.Code != "LIMIT_EXCEEDED" || !strings.Contains(last.Message, "9980 more errors left out") {
		t.Errorf("the last error: %+v", last)
	}
}

// TestExpensiveAnalyticsAliasesAreRefused: ten aliases of betweenness with
// different samples (each a cache key of its own), or 200 of communities
// with different seeds, are refused before anything runs.
func TestExpensiveAnalyticsAliasesAreRefused(t *testing.T) {
	h := newServer(t, nil, nil).Handler()
	var b strings.Builder
	b.WriteString("{")
	for i := range 10 {
		fmt.Fprintf(&b, ` c%d: centrality(measure: BETWEENNESS, first: 1, samples: %d) { score }`, i, i+1)
	}
	b.WriteString(" }")
	resp, _, took := postQuery(t, h, b.String(), nil)
	refusedFast(t, "10 aliases of betweenness", resp, took, "LIMIT_EXCEEDED", "10 analytics computations")
	if string(resp.Data) != "" && string(resp.Data) != "null" {
		t.Errorf("data %s: something ran", resp.Data)
	}

	b.Reset()
	b.WriteString("{")
	for i := range 200 {
		fmt.Fprintf(&b, ` c%d: communities(seed: %d) { count }`, i, i)
	}
	b.WriteString(" }")
	resp, _, took = postQuery(t, h, b.String(), nil)
	refusedFast(t, "200 aliases of communities", resp, took, "LIMIT_EXCEEDED", "200 analytics computations")

	// As many as the limit are answered; DEGREE does not count.
	resp, _, _ = postQuery(t, h, `{ a: centrality(measure: PAGERANK, first: 1) { score } b: communities { count }
	  c: centrality(measure: DEGREE, first: 1) { score } d: centrality(measure: DEGREE, first: 2) { score } }`, nil)
	if len(resp.Errors) != 0 {
		t.Errorf("two analytics fields and two DEGREE: %+v", resp.Errors)
	}
}

// TestUnsupportedTransportsHaveACode: a request no transport takes is
// answered in GraphQL's shape with extensions.code and the right status.
func TestUnsupportedTransportsHaveACode(t *testing.T) {
	h := newServer(t, nil, nil).Handler()
	for _, c := range []struct {
		method, contentType, body string
		status                    int
	}{
		{http.MethodPost, "application/graphql", "{ __typename }", http.StatusUnsupportedMediaType},
		{http.MethodPost, "application/x-www-form-urlencoded", "query=%7B__typename%7D", http.StatusUnsupportedMediaType},
		{http.MethodPost, "", `{"query":"{ __typename }"}`, http.StatusUnsupportedMediaType},
		{http.MethodPut, "application/json", `{"query":"{ __typename }"}`, http.StatusMethodNotAllowed},
		{http.MethodDelete, "", "", http.StatusMethodNotAllowed},
	} {
		req := httptest.NewRequest(c.method, "/graphql", strings.NewReader(c.body))
		if c.contentType != "" {
			req.Header.Set("Content-Type", c.contentType)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		resp := decode(t, rec)
		what := c.method + " " + c.contentType
		t.Logf("%s: %d %s", what, rec.Code, strings.TrimSpace(rec.Body.String()))
		if rec.Code != c.status || len(resp.Errors) != 1 || resp.Errors[0].Extensions.Code != "INVALID_ARGUMENT" ||
			rec.Header().Get("Content-Type") != "application/json" {
			t.Errorf("%s: %d %s, want %d with INVALID_ARGUMENT", what, rec.Code, rec.Body, c.status)
		}
		if strings.Contains(rec.Body.String(), `"data"`) {
			t.Errorf("%s: a request error has a data entry: %s", what, rec.Body)
		}
		if c.status == http.StatusMethodNotAllowed && rec.Header().Get("Allow") != "GET, POST" {
			t.Errorf("%s: Allow %q", what, rec.Header().Get("Allow"))
		}
	}
}

// TestManyOperationNamesLeaveKnownNamesTheirSeries: a client sending
// hundreds of operation names takes the free labels, never the page's
// names nor those configured.
func TestManyOperationNamesLeaveKnownNamesTheirSeries(t *testing.T) {
	srv := newServer(t, nil, nil)
	srv.OperationNames = []string{"NightlyReport"}
	h := srv.Handler()
	for i := range 3 * server.MaxOperationNames {
		post(t, h, fmt.Sprintf(`{"query":"query Spam%d { __typename }"}`, i), nil)
	}
	post(t, h, `{"query":"query PageOverview { overview { entities } }"}`, nil)
	post(t, h, `{"query":"query NightlyReport { __typename }"}`, nil)
	m := series(t, h)
	for _, name := range []string{"PageOverview", "NightlyReport"} {
		if got := m[`coopgraph_graphql_operations_total{operation="`+name+`"}`]; got != 1 {
			t.Errorf("%s counted %v in its own series, want 1", name, got)
		}
	}
	spam := 0
	for k := range m {
		if strings.HasPrefix(k, `coopgraph_graphql_operations_total{operation="Spam`) {
			spam++
		}
	}
	if spam != server.MaxOperationNames {
		t.Errorf("%d series of client names, want %d", spam, server.MaxOperationNames)
	}
}

// spreadFragments is n one-field fragments spread in one selection.
func spreadFragments(n int) string {
	var b strings.Builder
	b.WriteString("{")
	for i := range n {
		fmt.Fprintf(&b, " ...F%d", i)
	}
	b.WriteString(" }")
	for i := range n {
		fmt.Fprintf(&b, " fragment F%d on Query { __typename }", i)
	}
	return b.String()
}
