package server_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// spec is one request to /graphql and what GraphQL over HTTP says of its
// answer.
type spec struct {
	name, method, accept, body, query string
	status                            int
	media                             string
	code                              string   // extensions.code of the first error; "" for none
	says                              []string // in the first error's message
	hasData                           bool
}

func (c spec) do(t *testing.T, h http.Handler) {
	t.Helper()
	method := c.method
	if method == "" {
		method = http.MethodPost
	}
	req := httptest.NewRequest(method, "/graphql?"+c.query, strings.NewReader(c.body))
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.accept != "" {
		req.Header.Set("Accept", c.accept)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	t.Logf("%s: %d %s %s", c.name, rec.Code, rec.Header().Get("Content-Type"), strings.TrimSpace(rec.Body.String()))
	if rec.Code != c.status {
		t.Errorf("%s: status %d, want %d", c.name, rec.Code, c.status)
	}
	if got := rec.Header().Get("Content-Type"); got != c.media {
		t.Errorf("%s: Content-Type %q, want %q", c.name, got, c.media)
	}
	var body map[string]json.RawMessage
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatalf("%s: %q is no JSON object: %v", c.name, rec.Body, err)
	}
	if _, ok := body["data"]; ok != c.hasData {
		t.Errorf("%s: data entry present %v, want %v", c.name, ok, c.hasData)
	}
	var errs []struct {
		Message    string           `json:"message"`
		Path       []any            `json:"path"`
		Locations  []map[string]int `json:"locations"`
		Extensions struct {
			Code string `json:"code"`
		} `json:"extensions"`
	}
	if raw, ok := body["errors"]; ok {
		if err := json.Unmarshal(raw, &errs); err != nil {
			t.Fatalf("%s: errors %s: %v", c.name, raw, err)
		}
	}
	if c.code == "" {
		if len(errs) != 0 {
			t.Errorf("%s: errors %+v, want none", c.name, errs)
		}
		return
	}
	if len(errs) != 1 || errs[0].Extensions.Code != c.code {
		t.Fatalf("%s: errors %+v, want one %s", c.name, errs, c.code)
	}
	for _, s := range c.says {
		if !strings.Contains(errs[0].Message, s) {
			t.Errorf("%s: message %q does not say %q", c.name, errs[0].Message, s)
		}
	}
	if !c.hasData && errs[0].Path != nil {
		t.Errorf("%s: a request error has path %v", c.name, errs[0].Path)
	}
}

const (
	acceptJSON     = "application/json"
	acceptResponse = "application/graphql-response+json"
	validation     = "GRAPHQL_VALIDATION_FAILED"
)

// TestRequestErrorsFollowGraphQLOverHTTP: a document that does not parse or
// validate, variables that do not fit and a limit's refusal are answered
// without "data", 200 under application/json (also when Accept is
// missing) and 400 under application/graphql-response+json.
func TestRequestErrorsFollowGraphQLOverHTTP(t *testing.T) {
	h := newServer(t, nil, nil).Handler()
	unknown := `{"query":"{ nope }"}`
	unparsed := `{"query":"{"}`
	coerce := `{"query":"query C($id: ID!) { entity(id: $id) { id } }","variables":{"id":null}}`
	tooMany := `{"query":"{ a: communities { count } b: communities(seed: 1) { count } c: communities(seed: 2) { count } d: communities(seed: 3) { count } e: communities(seed: 4) { count } }"}`
	for _, c := range []spec{
		{name: "answer", accept: acceptJSON, body: `{"query":"{ __typename }"}`, status: 200, media: acceptJSON, hasData: true},
		{name: "answer graphql-response", accept: acceptResponse, body: `{"query":"{ __typename }"}`, status: 200, media: acceptResponse, hasData: true},
		{name: "field error keeps data", accept: acceptResponse, body: `{"query":"{ entity(id: \"ghost\") { id } }"}`, status: 200, media: acceptResponse, code: "NOT_FOUND", hasData: true},
		{name: "validation json", accept: acceptJSON, body: unknown, status: 200, media: acceptJSON, code: validation, says: []string{"nope"}},
		{name: "validation no Accept", body: unknown, status: 200, media: acceptJSON, code: validation},
		{name: "validation graphql-response", accept: acceptResponse, body: unknown, status: 400, media: acceptResponse, code: validation},
		{name: "parse json", accept: acceptJSON, body: unparsed, status: 200, media: acceptJSON, code: "GRAPHQL_PARSE_FAILED"},
		{name: "parse graphql-response", accept: acceptResponse, body: unparsed, status: 400, media: acceptResponse, code: "GRAPHQL_PARSE_FAILED"},
		{name: "coercion json", accept: acceptJSON, body: coerce, status: 200, media: acceptJSON, code: validation, says: []string{`Variable "$id"`, "cannot be null"}},
		{name: "coercion graphql-response", accept: acceptResponse, body: coerce, status: 400, media: acceptResponse, code: validation},
		{name: "limit json", accept: acceptJSON, body: tooMany, status: 200, media: acceptJSON, code: "LIMIT_EXCEEDED"},
		{name: "limit graphql-response", accept: acceptResponse, body: tooMany, status: 400, media: acceptResponse, code: "LIMIT_EXCEEDED"},
		{name: "GET validation", method: http.MethodGet, accept: acceptJSON, query: "query=" + url.QueryEscape("{ nope }"), status: 200, media: acceptJSON, code: validation},
		{name: "GET answer", method: http.MethodGet, query: "query=" + url.QueryEscape("{ __typename }"), status: 200, media: acceptJSON, hasData: true},
	} {
		c.do(t, h)
	}
}

// TestMalformedRequestsAre400: a body that is no GraphQL request (not
// JSON, not an object, a field of the wrong type, no query; a batch) is
// answered 400 under either media type, INVALID_ARGUMENT, with a message
// that says what to send.
func TestMalformedRequestsAre400(t *testing.T) {
	h := newServer(t, nil, nil).Handler()
	for _, c := range []spec{
		{name: "bad JSON", accept: acceptJSON, body: `{"query":`, says: []string{"cut short"}},
		{name: "bad JSON graphql-response", accept: acceptResponse, body: `{"query" 1}`, says: []string{"not valid JSON"}},
		{name: "number query", accept: acceptJSON, body: `{"query":1}`, says: []string{`"query" must be a string, not a JSON number`}},
		{name: "string variables", accept: acceptJSON, body: `{"query":"{ __typename }","variables":"{}"}`, says: []string{`"variables" must be an object`}},
		{name: "no query", body: `{"qeury":"{ __typename }"}`, says: []string{`no "query"`}},
		{name: "batch", accept: acceptJSON, body: `[{"query":"{ __typename }"}]`, says: []string{"JSON array", "batches"}},
		{name: "GET variables not JSON", method: http.MethodGet, query: "query=" + url.QueryEscape("{ __typename }") + "&variables=nope", says: []string{`"variables" must be a JSON object`}},
		{name: "GET no query", method: http.MethodGet, says: []string{`no "query"`}},
	} {
		c.status, c.code = http.StatusBadRequest, "INVALID_ARGUMENT"
		c.media = c.accept
		if c.media == "" {
			c.media = acceptJSON
		}
		c.do(t, h)
	}
}

// TestOperationChoiceErrorsNameTheOperations: a document of several
// operations without operationName, or with a name it does not have, is
// told which operations there are, rather than gqlgen's "operation  not
// found".
func TestOperationChoiceErrorsNameTheOperations(t *testing.T) {
	h := newServer(t, nil, nil).Handler()
	doc := `query First { __typename } query Second { __typename }`
	body := func(name string) string {
		b, _ := json.Marshal(map[string]any{"query": doc, "operationName": name})
		return string(b)
	}
	for _, c := range []spec{
		{name: "no operationName", body: body(""), says: []string{"2 operations (First, Second)", `"operationName"`}},
		{name: "unknown operationName", body: body("Third"), says: []string{`no operation named "Third"`, "First, Second"}},
	} {
		c.accept, c.status, c.media, c.code = acceptJSON, http.StatusOK, acceptJSON, validation
		c.do(t, h)
	}
	spec{name: "named", accept: acceptJSON, body: body("Second"), status: 200, media: acceptJSON, hasData: true}.do(t, h)
}

// TestWrongVariableIsNamedAtItsDefinition: a variable of the wrong type is
// named as "$n" and located at its definition, without gqlgen's path
// ["variable","n"] (a path is for fields of the answer).
func TestWrongVariableIsNamedAtItsDefinition(t *testing.T) {
	h := newServer(t, nil, nil).Handler()
	body := `{"query":"query Top(\n  $n: Int\n) { centrality(measure: DEGREE, first: $n) { score } }","variables":{"n":"ten"}}`
	spec{name: "wrong type", accept: acceptJSON, body: body, status: 200, media: acceptJSON, code: validation,
		says: []string{`Variable "$n" got an invalid value`, "Int"}}.do(t, h)
	req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var resp struct {
		Errors []struct {
			Locations []struct{ Line, Column int } `json:"locations"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
		t.Fatal(err)
	}
	if len(resp.Errors) != 1 || len(resp.Errors[0].Locations) != 1 || resp.Errors[0].Locations[0].Line != 2 || resp.Errors[0].Locations[0].Column != 3 {
		t.Errorf("locations %+v, want line 2 column 3 ($n's definition)", resp.Errors)
	}
}
