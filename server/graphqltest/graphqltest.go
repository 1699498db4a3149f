// Package graphqltest posts GraphQL documents to a handler in tests.
package graphqltest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
)

// Response is a GraphQL response.
type Response struct {
	Data   json.RawMessage `json:"data"`
	Errors []Error         `json:"errors"`
}

// Error is one GraphQL error with its machine-readable code.
type Error struct {
	Message    string `json:"message"`
	Extensions struct {
		Code string `json:"code"`
	} `json:"extensions"`
}

// Do posts query with variables to h at /graphql and decodes the answer.
func Do(t testing.TB, h http.Handler, query string, vars map[string]any) Response {
	t.Helper()
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var resp Response
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
		t.Fatalf("status %d, body %q: %v", rec.Code, rec.Body.String(), err)
	}
	return resp
}

// Data posts query and decodes its data into v, failing on any error.
func Data(t testing.TB, h http.Handler, query string, vars map[string]any, v any) {
	t.Helper()
	resp := Do(t, h, query, vars)
	if len(resp.Errors) > 0 {
		t.Fatalf("query %s: errors %+v", query, resp.Errors)
	}
	if err := json.Unmarshal(resp.Data, v); err != nil {
		t.Fatal(err)
	}
}
