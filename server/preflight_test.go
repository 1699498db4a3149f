package server

import (
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/vektah/gqlparser/v2/ast"
)

// TestSizeLimitSkipsCachedDocuments: a document in the cache of parsed and
// validated documents is not counted again (the page's repeated questions
// cost one lookup); one that is not is.
func TestSizeLimitSkipsCachedDocuments(t *testing.T) {
	cache := lru.New[*ast.QueryDocument](10)
	l := sizeLimit{maxBytes: 1000, maxTokens: 3, maxSelections: 1, maxRepeats: 1, cache: cache}
	const q = `{ entity(id: "x") { id name } }`
	if err := l.MutateOperationParameters(t.Context(), &graphql.RawParams{Query: q}); err == nil || !strings.Contains(err.Error(), "more than 3 tokens") {
		t.Errorf("not cached: %v", err)
	}
	cache.Add(t.Context(), q, &ast.QueryDocument{})
	if err := l.MutateOperationParameters(t.Context(), &graphql.RawParams{Query: q}); err != nil {
		t.Errorf("cached: %v", err)
	}
	// The byte limit holds even for a cached document (it costs nothing).
	l.maxBytes = 10
	if err := l.MutateOperationParameters(t.Context(), &graphql.RawParams{Query: q}); err == nil {
		t.Error("cached, over the byte limit: no error")
	}
}

// TestTruncateKeepsCharactersWhole: an error message is cut at a
// character boundary, marked, within the limit.
func TestTruncateKeepsCharactersWhole(t *testing.T) {
	s := strings.Repeat("ż", 400) // 800 bytes
	got := truncate(s, 500)
	if len(got) > 500 || !strings.HasSuffix(got, "…") || !strings.HasPrefix(s, strings.TrimSuffix(got, "…")) {
		t.Errorf("truncate: %d bytes, %q…", len(got), got[len(got)-10:])
	}
	if truncate("short", 500) != "short" {
		t.Error("a short message changed")
	}
}
