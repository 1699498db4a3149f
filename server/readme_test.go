package server_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"
)

// quotedHeaders returns every `Name: value` code span of a Markdown file
// whose name is an answer header of wantSecurityHeaders, code spans
// broken over lines joined again.
func quotedHeaders(t *testing.T, file string) [][2]string {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	// Fenced blocks first: their ``` would pair with inline quotes.
	text := regexp.MustCompile("(?s)```.*?```").ReplaceAllString(string(b), "")
	var out [][2]string
	for _, m := range regexp.MustCompile("`([^`]+)`").FindAllStringSubmatch(text, -1) {
		span := strings.Join(strings.Fields(m[1]), " ")
		name, value, ok := strings.Cut(span, ": ")
		if _, known := wantSecurityHeaders[name]; ok && known {
			out = append(out, [2]string{name, value})
		}
	}
	return out
}

// What the README and RELIABILITY.md quote of the headers is what the
// server sends, on the page, the playground, /graphql and /export alike;
// and the README's Security section quotes every one of them.
func TestDocumentedHeadersAreSent(t *testing.T) {
	h := newServer(t, nil, nil).Handler()
	sent := map[string]http.Header{}
	for _, target := range []string{"/", "/playground", "/graphql?query=%7B__typename%7D", "/export/nodes.csv", "/export/nope"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
		sent[target] = rec.Result().Header
	}
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(`{"query":"{ __typename }"}`))
	req.Header.Set("Content-Type", "application/json")
	h.ServeHTTP(rec, req)
	sent["POST /graphql"] = rec.Result().Header

	readme := quotedHeaders(t, "../README.md")
	quoted := map[string]bool{}
	for _, file := range []string{"../README.md", "../docs/RELIABILITY.md"} {
		for _, q := range quotedHeaders(t, file) {
			quoted[q[0]] = quoted[q[0]] || strings.HasSuffix(file, "README.md")
			for target, hd := range sent {
				if got := hd.Values(q[0]); len(got) != 1 || got[0] != q[1] {
					t.Errorf("%s quotes %s: %s\n  %s sends %q", file, q[0], q[1], target, got)
				}
			}
		}
	}
	if len(readme) == 0 {
		t.Fatal("README.md quotes no header")
	}
	for name := range wantSecurityHeaders {
		if !quoted[name] {
			t.Errorf("README.md does not quote %s: the server sends %q", name, sent["/"].Get(name))
		}
	}
}
