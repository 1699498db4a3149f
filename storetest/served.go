package storetest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/memstore"
	"github.com/coopgraph/coopgraph/server/graphqltest"
)

// SameServed requires tested, a server holding ds however it reads it
// (its own store, or a read model of a store outside the process), to
// answer the conformance documents of ds as the embedded store's server
// does, to the byte of the GraphQL JSON, errors included. It returns how
// many documents were asked.
func SameServed(t *testing.T, ds *coopgraph.Dataset, tested http.Handler) int {
	t.Helper()
	embedded := Serve(t, memstore.New(ds))
	docs := documents(ds)
	for _, doc := range docs {
		a, _ := json.Marshal(graphqltest.Do(t, embedded, doc, nil))
		b, _ := json.Marshal(graphqltest.Do(t, tested, doc, nil))
		if !bytes.Equal(a, b) {
			t.Errorf("answers differ for %s\nembedded: %.2000s\ntested:   %.2000s", doc, a, b)
		}
	}
	return len(docs)
}
