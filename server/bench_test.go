package server_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkEntityRequest times one small GraphQL request through the whole
// handler (middleware, gqlgen, the embedded store): the per-request cost
// behind the load test's figures.
func BenchmarkEntityRequest(b *testing.B) {
	h := seedHandler(b)
	body := []byte(`{"query":"query Entity($id: ID!) { entity(id: $id) { id kind name aliases } }","variables":{"id":"malopolskie"}}`)
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatal(rec.Code, rec.Body.String())
		}
	}
}
