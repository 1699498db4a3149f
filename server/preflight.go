package server

import (
	"context"
	"fmt"
	"net/http"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/lexer"
	"github.com/vektah/gqlparser/v2/parser"

	"github.com/coopgraph/coopgraph"
)

// sizeLimit refuses a document too large to validate cheaply, before gqlgen
// parses and validates it: validation is not linear (gqlparser's
// OverlappingFieldsCanBeMerged compares the fields of a selection pairwise:
// 20,000 `__typename` cost ~17 CPU-seconds), so its input is bounded in
// bytes, tokens and selections (fields, fragment spreads, inline
// fragments, over every operation and fragment of the document), and so is
// what that rule compares pairwise: in one selection set (its inline
// fragments included) the fields of one response name, and the fragments
// spread (2000 `__typename` took 0.2–1.6 s, 1000 fragments of one
// `__typename` spread in one set 1.2 s; 100 of either take under 5 ms).
//
// The checks are linear: a length, a lexer pass that stops at the limit,
// a parse. A document already in the handler's cache of parsed and
// validated documents passed them when it was added and is not checked
// again, so the few documents the page and scripts repeat cost one lookup.
type sizeLimit struct {
	maxBytes, maxTokens, maxSelections, maxRepeats int
	cache                                          graphql.Cache[*ast.QueryDocument]
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
} = sizeLimit{}

func (sizeLimit) ExtensionName() string                          { return "SizeLimit" }
func (sizeLimit) Validate(schema graphql.ExecutableSchema) error { return nil }

func (l sizeLimit) MutateOperationParameters(ctx context.Context, params *graphql.RawParams) *gqlerror.Error {
	q := params.Query
	if len(q) > l.maxBytes {
		return limitError("the query is %d bytes long, more than the limit of %d: send a shorter document (variables do not count)", len(q), l.maxBytes)
	}
	if l.cache != nil {
		if _, ok := l.cache.Get(ctx, q); ok {
			return nil
		}
	}
	if n := countTokens(q, l.maxTokens); n > l.maxTokens {
		return limitError("the query has more than %d tokens (names, punctuation, values), the limit: send a shorter document", l.maxTokens)
	}
	doc, err := parser.ParseQuery(&ast.Source{Input: q})
	if err != nil {
		return nil // gqlgen reports the parse error itself
	}
	if n := countSelections(doc); n > l.maxSelections {
		return limitError("the query selects %d fields and fragments, more than the limit of %d: ask for fewer fields or aliases, or split it into several queries", n, l.maxSelections)
	}
	if name, n := mostRepeated(doc); n > l.maxRepeats {
		return limitError("the query selects %s %d times in one selection, more than the limit of %d: give each an alias of its own, or spread fewer fragments there", name, n, l.maxRepeats)
	}
	return nil
}

// mostRepeated finds, over the selection sets of doc, the response name
// selected most often in one set — its inline fragments and the fragments
// it spreads included, as gqlparser's rule collects them (each distinct
// fragment once per set) — or the distinct fragments spread in one set
// when they are more, and how many times. Each fragment's names are
// counted once (memo), so the walk stays near-linear.
func mostRepeated(doc *ast.QueryDocument) (string, int) {
	best, most := "", 0
	note := func(name string, n int) {
		if n > most {
			best, most = name, n
		}
	}
	memo := map[string]map[string]int{}
	var fragmentNames func(name string) map[string]int
	// collect adds the response names of set to names, and the fragments
	// it spreads to frags; it walks the fields' own sets as sets of their
	// own when walk is true (a fragment's fields are walked with the
	// fragment, once).
	var walkSet func(ast.SelectionSet)
	var collect func(set ast.SelectionSet, names map[string]int, frags map[string]bool, walk bool)
	collect = func(set ast.SelectionSet, names map[string]int, frags map[string]bool, walk bool) {
		for _, sel := range set {
			switch s := sel.(type) {
			case *ast.Field:
				name := s.Alias
				if name == "" {
					name = s.Name
				}
				names[name] = min(names[name]+1, 1<<30)
				if walk {
					walkSet(s.SelectionSet)
				}
			case *ast.InlineFragment:
				collect(s.SelectionSet, names, frags, walk)
			case *ast.FragmentSpread:
				frags[s.Name] = true
			}
		}
	}
	fragmentNames = func(name string) map[string]int {
		if m, ok := memo[name]; ok {
			return m
		}
		memo[name] = map[string]int{} // a cycle (refused by validation) adds nothing
		f := doc.Fragments.ForName(name)
		if f == nil {
			return memo[name]
		}
		names, frags := map[string]int{}, map[string]bool{}
		collect(f.SelectionSet, names, frags, false)
		for g := range frags {
			for n, c := range fragmentNames(g) {
				names[n] = min(names[n]+c, 1<<30)
			}
		}
		memo[name] = names
		return names
	}
	walkSet = func(set ast.SelectionSet) {
		if len(set) == 0 {
			return
		}
		names, frags := map[string]int{}, map[string]bool{}
		collect(set, names, frags, true)
		note("fragment spreads", len(frags))
		for g := range frags {
			for n, c := range fragmentNames(g) {
				names[n] = min(names[n]+c, 1<<30)
			}
		}
		for n, c := range names {
			note(n, c)
		}
	}
	for _, op := range doc.Operations {
		walkSet(op.SelectionSet)
	}
	for _, f := range doc.Fragments {
		walkSet(f.SelectionSet)
	}
	return best, most
}

func limitError(format string, args ...any) *gqlerror.Error {
	err := gqlerror.Errorf(format, args...)
	err.Extensions = map[string]any{"code": coopgraph.ELIMIT}
	return err
}

// countTokens counts the tokens of q, stopping after max+1; a lexing error
// ends the count (the parser reports it).
func countTokens(q string, max int) int {
	lx := lexer.New(&ast.Source{Input: q})
	n := 0
	for n <= max {
		tok, err := lx.ReadToken()
		if err != nil || tok.Kind == lexer.EOF {
			break
		}
		n++
	}
	return n
}

// countSelections counts the selections written in doc, each once, however
// often its fragment is spread (the cost walk weighs the spreads).
func countSelections(doc *ast.QueryDocument) int {
	n := 0
	var count func(ast.SelectionSet)
	count = func(set ast.SelectionSet) {
		for _, sel := range set {
			n++
			switch s := sel.(type) {
			case *ast.Field:
				count(s.SelectionSet)
			case *ast.InlineFragment:
				count(s.SelectionSet)
			}
		}
	}
	for _, op := range doc.Operations {
		count(op.SelectionSet)
	}
	for _, f := range doc.Fragments {
		count(f.SelectionSet)
	}
	return n
}

// errorCap keeps an answer's errors few and short: at most max, each
// message cut at maxMessage bytes, and then one error saying how many
// were left out. A document with 10,000 unknown directives otherwise
// gets 10,000 errors (3 MB) back for its 40 KB.
type errorCap struct{ max, maxMessage int }

var _ interface {
	graphql.HandlerExtension
	graphql.ResponseInterceptor
} = errorCap{}

func (errorCap) ExtensionName() string                          { return "ErrorCap" }
func (errorCap) Validate(schema graphql.ExecutableSchema) error { return nil }

func (c errorCap) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	if resp == nil {
		return nil
	}
	for _, e := range resp.Errors[:min(len(resp.Errors), c.max)] {
		e.Message = truncate(e.Message, c.maxMessage)
	}
	if left := len(resp.Errors) - c.max; left > 0 {
		resp.Errors = append(resp.Errors[:c.max:c.max], &gqlerror.Error{
			Message:    fmt.Sprintf("%d more errors left out: the answer gives the first %d", left, c.max),
			Extensions: map[string]any{"code": coopgraph.ELIMIT},
		})
	}
	return resp
}

// truncate cuts s to at most n bytes, at a character boundary, marking the cut.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	const mark = "…"
	cut := max(n-len(mark), 0)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + mark
}

// Errors of one answer beyond these are left out or cut (see errorCap).
const (
	maxErrors       = 20
	maxErrorMessage = 500
)

// unsupportedTransport answers, in GraphQL's shape and with
// extensions.code, a request no other transport takes: a POST whose body
// is not JSON (415), any method but GET and POST (405). gqlgen's own
// answer, "transport not supported", has no code.
type unsupportedTransport struct{}

func (unsupportedTransport) Supports(r *http.Request) bool { return true }

func (unsupportedTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	status, msg := http.StatusUnsupportedMediaType,
		fmt.Sprintf("a POST to /graphql needs Content-Type: application/json, not %q: send {\"query\": …, \"variables\": …} as JSON", r.Header.Get("Content-Type"))
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "GET, POST")
		status, msg = http.StatusMethodNotAllowed, fmt.Sprintf("/graphql answers GET and POST, not %s", knownMethod(r.Method))
	}
	w.Header().Set("Content-Type", "application/json")
	err := &gqlerror.Error{Message: msg, Extensions: map[string]any{"code": coopgraph.EINVALID}}
	writeRequestErrors(w, status, &graphql.Response{Errors: gqlerror.List{err}}) // no "data": nothing ran
}
