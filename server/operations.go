package server

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/coopgraph/coopgraph"
)

// operationLog is the gqlgen extension that logs and measures every
// GraphQL operation: its name, how long it took and the codes of its
// errors, with the request id. It never looks at the query text or the
// variables, which may hold anything a client sends.
//
// An operation that runs passes through InterceptOperation, which marks
// its context; one refused before running (it does not parse, does not
// validate, is too deep or too complex) reaches only InterceptResponse.
type operationLog struct {
	logger  func() *slog.Logger
	metrics *metrics
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationInterceptor
	graphql.ResponseInterceptor
} = operationLog{}

type executedKey struct{}

func (operationLog) ExtensionName() string                          { return "OperationLog" }
func (operationLog) Validate(schema graphql.ExecutableSchema) error { return nil }

func (o operationLog) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	responses := next(context.WithValue(ctx, executedKey{}, true))
	return func(ctx context.Context) *graphql.Response {
		resp := responses(ctx)
		if resp != nil {
			o.record(ctx, resp, true)
		}
		return resp
	}
}

func (o operationLog) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	if resp != nil && ctx.Value(executedKey{}) == nil {
		o.record(ctx, resp, false)
	}
	return resp
}

func (o operationLog) record(ctx context.Context, resp *graphql.Response, executed bool) {
	var name, label string
	var d time.Duration
	if graphql.HasOperationContext(ctx) {
		opCtx := graphql.GetOperationContext(ctx)
		name = opCtx.OperationName
		if opCtx.Operation != nil {
			name = opCtx.Operation.Name
		}
		if !opCtx.Stats.OperationStart.IsZero() {
			d = time.Since(opCtx.Stats.OperationStart)
		}
	}
	if len(name) > maxOperationNameBytes {
		name = name[:maxOperationNameBytes] + "…"
	}
	if executed {
		label = o.metrics.names.label(name)
	} else {
		// A refused request's name is not worth one of the bounded labels.
		label = opInvalid
	}
	codes := make([]string, 0, len(resp.Errors))
	level := slog.LevelInfo
	for _, e := range resp.Errors {
		c, _ := e.Extensions["code"].(string)
		c = errorCodeLabel(c)
		codes = append(codes, c)
		switch {
		case c == coopgraph.EINTERNAL || c == coopgraph.EUNAVAILABLE || c == "OTHER":
			level = slog.LevelError
		case level < slog.LevelWarn:
			level = slog.LevelWarn
		}
	}
	gone := len(codes) > 0 && clientGone(ctx)
	if gone {
		// A client that leaves (a page abandoning a request it no longer
		// shows) is no fault of the server's.
		level = slog.LevelInfo
	}
	o.metrics.operation(label, d, codes)
	attrs := []slog.Attr{
		slog.String("request_id", middleware.GetReqID(ctx)),
		slog.String("operation", name),
		slog.Bool("executed", executed),
		slog.Float64("duration_ms", float64(d.Microseconds())/1000),
	}
	if len(codes) > 0 {
		attrs = append(attrs, slog.Any("errors", codes))
	}
	if gone {
		attrs = append(attrs, slog.Bool("client_gone", true))
	}
	o.logger().LogAttrs(ctx, level, "graphql operation", attrs...)
}

// depthLimit refuses an operation whose selections nest deeper than max
// fields, fragments included (a fragment adds no level of its own, its
// fields do). gqlgen has no such limit, and complexity alone lets a deep,
// narrow query through.
//
// Introspection (__schema, __type) counts as one level: its depth is bounded
// by the schema and gqlparser has its own introspection depth rule, while
// the standard introspection query GraphiQL sends nests ofType far deeper
// than any question about the network needs.
type depthLimit struct{ max int }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = depthLimit{}

func (depthLimit) ExtensionName() string                          { return "DepthLimit" }
func (depthLimit) Validate(schema graphql.ExecutableSchema) error { return nil }

func (l depthLimit) MutateOperationContext(ctx context.Context, opCtx *graphql.OperationContext) *gqlerror.Error {
	if opCtx.Operation == nil {
		return nil
	}
	w := depthWalk{doc: opCtx.Doc, memo: map[string]int{}, open: map[string]bool{}}
	if d := w.depth(opCtx.Operation.SelectionSet); d > l.max {
		err := gqlerror.Errorf("the query nests %d levels deep, deeper than the limit of %d: ask for fewer nested fields, or split it into several queries", d, l.max)
		err.Extensions = map[string]any{"code": coopgraph.ELIMIT}
		return err
	}
	return nil
}

// depthWalk measures selection sets. Each fragment is measured once (its
// depth does not depend on where it is spread), so fragments spread many
// times cannot make the walk exponential; a fragment cycle, which
// validation refuses anyway, counts as no depth.
type depthWalk struct {
	doc  *ast.QueryDocument
	memo map[string]int
	open map[string]bool
}

func (w depthWalk) depth(set ast.SelectionSet) int {
	deepest := 0
	for _, sel := range set {
		d := 0
		switch s := sel.(type) {
		case *ast.Field:
			d = 1
			if !strings.HasPrefix(s.Name, "__") {
				d += w.depth(s.SelectionSet)
			}
		case *ast.InlineFragment:
			d = w.depth(s.SelectionSet)
		case *ast.FragmentSpread:
			d = w.fragment(s.Name)
		}
		deepest = max(deepest, d)
	}
	return deepest
}

func (w depthWalk) fragment(name string) int {
	if d, ok := w.memo[name]; ok {
		return d
	}
	if w.open[name] || w.doc == nil {
		return 0
	}
	f := w.doc.Fragments.ForName(name)
	if f == nil {
		return 0
	}
	w.open[name] = true
	d := w.depth(f.SelectionSet)
	delete(w.open, name)
	w.memo[name] = d
	return d
}
