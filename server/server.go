// Package server is coopgraph's HTTP side: the chi router, its middleware,
// the GraphQL endpoint and the health checks. It wires; it decides nothing
// about the network.
package server

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/graph"
	"github.com/coopgraph/coopgraph/schema"
)

// Limits of the HTTP side.
const (
	MaxBodyBytes   = 1 << 20 // a GraphQL request larger than this is refused
	RequestTimeout = 30 * time.Second
	MaxComplexity  = 5000
)

// Server holds what the handlers need. The snapshot is swapped atomically:
// a request sees one whole snapshot, old or new, never a mix.
type Server struct {
	Store  coopgraph.Store
	Logger *slog.Logger
	snap   atomic.Pointer[graph.Snapshot]
}

// SetSnapshot publishes a new analytics snapshot.
func (s *Server) SetSnapshot(g *graph.Snapshot) { s.snap.Store(g) }

// Snapshot returns the current analytics snapshot (nil before the first).
func (s *Server) Snapshot() *graph.Snapshot { return s.snap.Load() }

// Handler builds the router.
func (s *Server) Handler() http.Handler {
	r := chi.NewRouter()
	r.Use(middleware.RequestID)
	r.Use(middleware.Recoverer)
	r.Use(middleware.Timeout(RequestTimeout))
	r.Get("/healthz", s.healthz)
	r.With(limitBody(MaxBodyBytes)).Handle("/graphql", s.graphQL())
	r.Get("/", s.index)
	return r
}

func (s *Server) graphQL() http.Handler {
	h := handler.New(schema.NewExecutableSchema(schema.Config{
		Resolvers: &schema.Resolver{Store: s.Store, Snapshot: s.Snapshot},
	}))
	h.AddTransport(transport.POST{})
	h.AddTransport(transport.GET{})
	h.Use(extension.Introspection{})
	h.Use(extension.FixedComplexityLimit(MaxComplexity))
	h.SetErrorPresenter(presentError)
	h.SetRecoverFunc(func(ctx context.Context, v any) error {
		s.Logger.Error("panic in resolver", "panic", v)
		return coopgraph.Errorf(coopgraph.EINTERNAL, "internal error")
	})
	return h
}

// presentError maps domain errors to a message and extensions.code; an
// error that is no *coopgraph.Error is reported as INTERNAL without its text,
// so that nothing of the implementation (Cypher, driver messages) leaks.
func presentError(ctx context.Context, err error) *gqlerror.Error {
	gerr := graphql.DefaultErrorPresenter(ctx, err)
	var domain *coopgraph.Error
	var parse *gqlerror.Error
	switch {
	case errors.As(err, &domain):
		gerr.Message = domain.Message
		setCode(gerr, domain.Code)
	case errors.As(err, &parse) && parse.Err == nil:
		// Validation and parse errors from gqlgen itself: the user's query is wrong.
		if gerr.Extensions == nil || gerr.Extensions["code"] == nil {
			setCode(gerr, coopgraph.EINVALID)
		}
	default:
		gerr.Message = coopgraph.ErrorMessage(err)
		setCode(gerr, coopgraph.EINTERNAL)
	}
	return gerr
}

func setCode(e *gqlerror.Error, code string) {
	if e.Extensions == nil {
		e.Extensions = map[string]any{}
	}
	e.Extensions["code"] = code
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	if s.Snapshot() == nil {
		http.Error(w, "not ready", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("ok\n"))
}

func (s *Server) index(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("coopgraph: GraphQL at POST /graphql\n"))
}

// limitBody refuses request bodies larger than n bytes.
func limitBody(n int64) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.ContentLength > n {
				http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
				return
			}
			r.Body = http.MaxBytesReader(w, r.Body, n)
			next.ServeHTTP(w, r)
		})
	}
}
