// Package server is coopgraph's HTTP side: the chi router, its middleware
// (request ids, logs, metrics, panics, the request timeout, the body
// limit), the GraphQL endpoint with its depth and complexity limits, the
// health checks and /metrics. It wires; it decides nothing about the network.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/graph"
	"github.com/coopgraph/coopgraph/schema"
	"github.com/coopgraph/coopgraph/web"
)

// Default limits of the HTTP side; a Server field of the same name set
// above zero replaces each.
const (
	MaxBodyBytes   = 1 << 20 // a GraphQL request larger than this is refused
	RequestTimeout = 30 * time.Second
	MaxComplexity  = 1000000         // values one operation may ask for (see complexityLimit)
	MaxDepth       = 12              // fields nested in one operation, fragments included
	MaxQueryBytes  = 64 << 10        // bytes of one GraphQL document (see sizeLimit)
	MaxTokens      = 15000           // tokens of one GraphQL document
	MaxSelections  = 2000            // fields and fragments written in one GraphQL document
	MaxRepeats     = 100             // fields of one response name, or fragment spreads, in one selection
	MaxAnalytics   = 4               // analytics fields (centrality other than DEGREE, communities, kShortestPaths…) in one operation
	MaxInFlight    = 256             // requests answered at once; more are refused with 503
	ReadyTimeout   = 2 * time.Second // how long /readyz waits for the store
)

// queryCacheSize is the number of parsed and validated GraphQL documents
// kept (least recently used go first).
const queryCacheSize = 1000

// Server holds what the handlers need. The snapshot is swapped atomically:
// a request sees one whole snapshot, old or new, never a mix. Set the
// fields before the first call to Handler.
type Server struct {
	Store  coopgraph.Store
	Logger *slog.Logger // nil: no logs

	MaxBodyBytes   int64
	RequestTimeout time.Duration // then the client gets 503, UNAVAILABLE, and the request's context is cancelled
	MaxComplexity  int
	MaxDepth       int
	MaxQueryBytes  int
	MaxTokens      int
	MaxSelections  int
	MaxRepeats     int
	MaxAnalytics   int
	MaxInFlight    int
	ReadyTimeout   time.Duration
	// OperationNames always have a series of their own in /metrics,
	// beside KnownOperationNames (see MaxOperationNames).
	OperationNames []string
	// CORSOrigins are the origins (scheme://host[:port], see
	// ParseCORSOrigins) whose pages may call the API; none by default.
	CORSOrigins []string
	// AnalyticsProcs is how many analytics computations run at once
	// (graph.Limiter; default graph.DefaultAnalyticsProcs), and
	// AnalyticsQueue how many more may wait (default
	// graph.DefaultAnalyticsQueue; beyond, UNAVAILABLE and Retry-After).
	AnalyticsProcs int
	AnalyticsQueue int
	// Precompute computes the exact centrality rankings of every published
	// snapshot in the background (cheapest first, on AnalyticsProcs - 1
	// cores, at least one; stopped when a newer snapshot replaces it), and
	// until one is ready answers BETWEENNESS on a large network with a
	// certified approximation (see graph.Snapshot.CentralityAnytime).
	// /metrics and /readyz show which are ready.
	Precompute bool
	// ReadThrough sends the API's reads (search, entities, neighbours,
	// relations) to a store outside the process at every request, rather
	// than answering them from the read model: the published load's
	// dataset indexed in memory (readmodel.go). No effect on an
	// in-process store.
	ReadThrough bool

	snap    atomic.Pointer[published]
	once    sync.Once
	metrics *metrics
	store   coopgraph.Store // Store, its failures counted in /metrics
	limiter *graph.Limiter  // admits the requests' analytics computations
	// handlers run the requests (see withTimeout).
	handlers workers

	// answering counts the GraphQL requests being answered (yield.go).
	answering atomic.Int64
	answered  atomic.Int64 // when the last one was answered, Unix nanoseconds

	// notServable is why the store cannot be served now (servable.go).
	notServable atomic.Pointer[string]

	precomputing precomputing
}

// published is a snapshot, when it was published (for /metrics) and,
// when known, the store version it was read at (for WatchStore).
type published struct {
	g         *graph.Snapshot
	at        time.Time
	version   string
	versioned bool
	load      *servedLoad // the dataset g was built from, when known
}

// SetSnapshot publishes a new analytics snapshot.
func (s *Server) SetSnapshot(g *graph.Snapshot) {
	if g == nil {
		s.publish(nil)
		return
	}
	s.publish(&published{g: g, at: time.Now()})
}

// PublishSnapshot publishes a snapshot read from the store at version (see
// coopgraph.Store.Version, read before the dataset): WatchStore then
// refreshes as soon as the store's version differs from it.
func (s *Server) PublishSnapshot(g *graph.Snapshot, version string) {
	s.publish(&published{g: g, at: time.Now(), version: version, versioned: true})
}

// PublishLoad publishes g, built from ds as read from the store at
// version: PublishSnapshot, and while the store refuses to serve an
// incomplete load, its reads are answered from ds (servable.go).
func (s *Server) PublishLoad(g *graph.Snapshot, ds *coopgraph.Dataset, version string) {
	load := &servedLoad{ds: ds}
	if s.readModel() {
		load.embedded() // indexed before it is served, not by the first request
	}
	s.publish(&published{g: g, at: time.Now(), version: version, versioned: true, load: load})
}

// Snapshot returns the current analytics snapshot (nil before the first).
func (s *Server) Snapshot() *graph.Snapshot {
	if p := s.snap.Load(); p != nil {
		return p.g
	}
	return nil
}

func (s *Server) init() {
	s.once.Do(func() {
		s.metrics = newMetrics(s)
		s.store = s.metrics.observeStore(s.Store)
		s.store = s.readsOf(s.store) // the read model, or the store and its last complete load
		queue := graph.DefaultAnalyticsQueue
		if s.AnalyticsQueue > 0 {
			queue = s.AnalyticsQueue
		}
		s.limiter = graph.NewLimiter(orDefault(s.AnalyticsProcs, graph.DefaultAnalyticsProcs()), queue)
		s.metrics.reg.MustRegister(analyticsCollector{s.limiter}, precomputeCollector{s})
	})
}

func (s *Server) logger() *slog.Logger {
	if s.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return s.Logger
}

func orDefault[T int | int64 | time.Duration](v, def T) T {
	if v > 0 {
		return v
	}
	return def
}

func (s *Server) maxBodyBytes() int64           { return orDefault(s.MaxBodyBytes, MaxBodyBytes) }
func (s *Server) requestTimeout() time.Duration { return orDefault(s.RequestTimeout, RequestTimeout) }
func (s *Server) maxComplexity() int            { return orDefault(s.MaxComplexity, MaxComplexity) }
func (s *Server) maxDepth() int                 { return orDefault(s.MaxDepth, MaxDepth) }
func (s *Server) maxQueryBytes() int            { return orDefault(s.MaxQueryBytes, MaxQueryBytes) }
func (s *Server) maxTokens() int                { return orDefault(s.MaxTokens, MaxTokens) }
func (s *Server) maxSelections() int            { return orDefault(s.MaxSelections, MaxSelections) }
func (s *Server) maxRepeats() int               { return orDefault(s.MaxRepeats, MaxRepeats) }
func (s *Server) maxAnalytics() int             { return orDefault(s.MaxAnalytics, MaxAnalytics) }
func (s *Server) maxInFlight() int              { return orDefault(s.MaxInFlight, MaxInFlight) }
func (s *Server) readyTimeout() time.Duration   { return orDefault(s.ReadyTimeout, ReadyTimeout) }

// Handler builds the router and wraps it in the middleware every request
// passes, outermost first: request id, log and metrics, security headers
// and CORS, the in-flight limit, panic recovery, request timeout; /graphql
// and /export also pass the analytics limiter and Retry-After on
// UNAVAILABLE answers (analytics).
func (s *Server) Handler() http.Handler {
	s.init()
	r := chi.NewRouter()
	r.Get("/healthz", s.healthz)
	r.Get("/readyz", s.readyz)
	r.Method(http.MethodGet, "/metrics", s.metrics.handler())
	r.With(s.refuseCrossSite, s.requireServable, s.analytics, limitBody(s.maxBodyBytes()), s.loaders).Handle("/graphql", s.graphQL())
	r.Mount("/playground", web.Playground())
	r.With(s.refuseCrossSite, s.requireServable, s.analytics).Get("/export/{format}", s.export)
	r.Handle("/", web.Page())
	r.Handle(web.PageAssetsPath+"/*", web.Page())
	return requestID(s.observe(r, s.secure(s.limitInFlight(s.maxInFlight(), s.recoverPanics(s.withTimeout(s.requestTimeout(), r))))))
}

func (s *Server) graphQL() http.Handler {
	es := schema.NewExecutableSchema(schema.Config{
		Resolvers: &schema.Resolver{Store: s.store, Snapshot: s.Snapshot, Anytime: s.Precompute},
	})
	h := handler.New(es)
	h.AddTransport(httpTransport{})        // GET, and POST of application/json (transport.go)
	h.AddTransport(unsupportedTransport{}) // last: what no other takes
	// Parsed and validated documents are kept by their text: scripts and
	// the page send the same few documents with other variables, and
	// validation was the largest part of a small request's cost.
	cache := lru.New[*ast.QueryDocument](queryCacheSize)
	h.SetQueryCache(cache)
	h.Use(extension.Introspection{})
	h.Use(sizeLimit{maxBytes: s.maxQueryBytes(), maxTokens: s.maxTokens(), maxSelections: s.maxSelections(),
		maxRepeats: s.maxRepeats(), cache: cache})
	h.Use(depthLimit{max: s.maxDepth()})
	h.Use(complexityLimit{max: s.maxComplexity(), maxExpensive: s.maxAnalytics(), schema: es.Schema()})
	h.Use(operationLog{logger: s.logger, metrics: s.metrics})
	h.Use(errorCap{max: maxErrors, maxMessage: maxErrorMessage})
	h.SetErrorPresenter(s.presentError)
	h.SetRecoverFunc(func(ctx context.Context, v any) error {
		s.logger().LogAttrs(ctx, slog.LevelError, "panic in resolver",
			slog.String("request_id", middleware.GetReqID(ctx)),
			slog.String("panic", fmt.Sprint(v)),
			slog.String("stack", string(debug.Stack())))
		return coopgraph.Errorf(coopgraph.EINTERNAL, "internal error")
	})
	return h
}

// presentError maps domain errors to a message and extensions.code; an
// error that is no *coopgraph.Error is reported as INTERNAL without its text,
// so that nothing of the implementation (Cypher, driver messages) leaks.
// Whatever fails once the request has run out of time is reported as the
// timeout (UNAVAILABLE): the store's error then only says it was cancelled.
func (s *Server) presentError(ctx context.Context, err error) *gqlerror.Error {
	gerr := graphql.DefaultErrorPresenter(ctx, err)
	var domain *coopgraph.Error
	var parse *gqlerror.Error
	switch {
	case errors.As(err, &parse) && parse.Err == nil:
		// Validation and parse errors from gqlgen itself: the user's query
		// is wrong, or asks too much (complexity).
		switch gerr.Extensions["code"] {
		case nil:
			setCode(gerr, coopgraph.EINVALID)
			// gqlgen quotes the whole body after a JSON error: up to the
			// body limit, sent back for nothing.
			if m, _, ok := strings.Cut(gerr.Message, " body:"); ok && strings.HasPrefix(m, "json request body could not be decoded") {
				gerr.Message = m
			}
		}
	case timedOut(ctx):
		gerr.Message = timeoutMessage(s.requestTimeout())
		setCode(gerr, coopgraph.EUNAVAILABLE)
	case clientGone(ctx) && errors.Is(err, context.Canceled):
		// Nobody reads this answer; it is what the log and metrics say.
		gerr.Message = "cancelled: the client left before the answer"
		setCode(gerr, coopgraph.EUNAVAILABLE)
	case errors.As(err, &domain):
		gerr.Message = domain.Message
		setCode(gerr, domain.Code)
		if domain.Code == coopgraph.EUNAVAILABLE {
			suggestRetry(ctx, domain.RetryAfter)
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
