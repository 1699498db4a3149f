package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/graph"
	"github.com/coopgraph/coopgraph/memstore"
	"github.com/coopgraph/coopgraph/neo4jstore"
	"github.com/coopgraph/coopgraph/server"
)

// serveFlags are serve's settings. Each comes from its flag, else from its
// environment variable (serveEnv), else from the default.
type serveFlags struct {
	addr              string
	logFormat         string
	logLevel          slog.Level
	requestTimeout    time.Duration
	shutdownTimeout   time.Duration
	readyTimeout      time.Duration
	maxBodyBytes      int64
	maxDepth          int
	maxComplexity     int
	maxQueryBytes     int
	maxTokens         int
	maxSelections     int
	maxRepeats        int
	maxAnalytics      int
	operationNames    []string
	maxInFlight       int
	analyticsProcs    int
	precompute        bool
	readModel         bool
	analyticsQueue    int
	readHeaderTimeout time.Duration
	readTimeout       time.Duration
	writeTimeout      time.Duration
	idleTimeout       time.Duration
	refreshEvery      time.Duration
	corsOrigins       []string

	fs *flag.FlagSet
}

// serveEnv names the environment variable of each serve flag.
var serveEnv = []envFlag{
	{"addr", "COOPGRAPH_ADDR"},
	{"log-format", "COOPGRAPH_LOG_FORMAT"},
	{"log-level", "COOPGRAPH_LOG_LEVEL"},
	{"request-timeout", "COOPGRAPH_REQUEST_TIMEOUT"},
	{"shutdown-timeout", "COOPGRAPH_SHUTDOWN_TIMEOUT"},
	{"ready-timeout", "COOPGRAPH_READY_TIMEOUT"},
	{"max-body-bytes", "COOPGRAPH_MAX_BODY_BYTES"},
	{"max-depth", "COOPGRAPH_MAX_DEPTH"},
	{"max-complexity", "COOPGRAPH_MAX_COMPLEXITY"},
	{"max-query-bytes", "COOPGRAPH_MAX_QUERY_BYTES"},
	{"max-tokens", "COOPGRAPH_MAX_TOKENS"},
	{"max-selections", "COOPGRAPH_MAX_SELECTIONS"},
	{"max-repeats", "COOPGRAPH_MAX_REPEATS"},
	{"max-analytics", "COOPGRAPH_MAX_ANALYTICS"},
	{"operation-names", "COOPGRAPH_OPERATION_NAMES"},
	{"max-in-flight", "COOPGRAPH_MAX_IN_FLIGHT"},
	{"analytics-procs", "COOPGRAPH_ANALYTICS_PROCS"},
	{"analytics-queue", "COOPGRAPH_ANALYTICS_QUEUE"},
	{"precompute", "COOPGRAPH_PRECOMPUTE"},
	{"read-model", "COOPGRAPH_READ_MODEL"},
	{"read-header-timeout", "COOPGRAPH_READ_HEADER_TIMEOUT"},
	{"read-timeout", "COOPGRAPH_READ_TIMEOUT"},
	{"write-timeout", "COOPGRAPH_WRITE_TIMEOUT"},
	{"idle-timeout", "COOPGRAPH_IDLE_TIMEOUT"},
	{"refresh-every", "COOPGRAPH_REFRESH_EVERY"},
	{"cors-origins", "COOPGRAPH_CORS_ORIGINS"},
}

func (f *serveFlags) register(fs *flag.FlagSet) {
	f.fs = fs
	fs.StringVar(&f.addr, "addr", "127.0.0.1:8080", "listen on `HOST:PORT`")
	fs.StringVar(&f.logFormat, "log-format", "text", "log `FORMAT` on stderr: text or json")
	fs.TextVar(&f.logLevel, "log-level", slog.LevelInfo, "least `LEVEL` logged: debug, info, warn or error")
	fs.DurationVar(&f.requestTimeout, "request-timeout", server.RequestTimeout, "answer a request not done within `DURATION` with 503 UNAVAILABLE and cancel its work")
	fs.DurationVar(&f.shutdownTimeout, "shutdown-timeout", 10*time.Second, "on SIGTERM or SIGINT, wait at most `DURATION` for requests in flight")
	fs.DurationVar(&f.readyTimeout, "ready-timeout", server.ReadyTimeout, "/readyz waits at most `DURATION` for the store")
	fs.Int64Var(&f.maxBodyBytes, "max-body-bytes", server.MaxBodyBytes, "refuse a GraphQL request body above `N` bytes (LIMIT_EXCEEDED)")
	fs.IntVar(&f.maxDepth, "max-depth", server.MaxDepth, "refuse a GraphQL operation nesting fields deeper than `N` (LIMIT_EXCEEDED)")
	fs.IntVar(&f.maxComplexity, "max-complexity", server.MaxComplexity, "refuse a GraphQL operation asking for more than `N` values (LIMIT_EXCEEDED)")
	fs.IntVar(&f.maxQueryBytes, "max-query-bytes", server.MaxQueryBytes, "refuse a GraphQL document (the query text) above `N` bytes, before parsing it (LIMIT_EXCEEDED)")
	fs.IntVar(&f.maxTokens, "max-tokens", server.MaxTokens, "refuse a GraphQL document of more than `N` tokens, before parsing it (LIMIT_EXCEEDED)")
	fs.IntVar(&f.maxSelections, "max-selections", server.MaxSelections, "refuse a GraphQL document selecting more than `N` fields and fragments, before validating it (LIMIT_EXCEEDED)")
	fs.IntVar(&f.maxRepeats, "max-repeats", server.MaxRepeats, "refuse a GraphQL document selecting one response name, or spreading fragments, more than `N` times in one selection, before validating it (LIMIT_EXCEEDED)")
	fs.IntVar(&f.maxAnalytics, "max-analytics", server.MaxAnalytics, "refuse a GraphQL operation with more than `N` analytics fields (centrality other than DEGREE, communities, whatIfRemoved, projection, kShortestPaths), each alias counted (LIMIT_EXCEEDED)")
	fs.Func("operation-names", "give these GraphQL operation `NAMES` (comma-separated) a /metrics series of their own always, beside the page's", func(v string) error {
		f.operationNames = nil
		for _, n := range strings.Split(v, ",") {
			if n = strings.TrimSpace(n); n != "" {
				f.operationNames = append(f.operationNames, n)
			}
		}
		return nil
	})
	fs.IntVar(&f.maxInFlight, "max-in-flight", server.MaxInFlight, "answer at most `N` requests at once; refuse more with 503 UNAVAILABLE and Retry-After")
	fs.IntVar(&f.analyticsProcs, "analytics-procs", graph.DefaultAnalyticsProcs(), "run at most `N` analytics computations (centrality, communities, what-if, …) at once, sharing N cores; the default leaves one core to quick answers")
	fs.IntVar(&f.analyticsQueue, "analytics-queue", graph.DefaultAnalyticsQueue, "let at most `N` more analytics computations wait for a core; beyond, UNAVAILABLE and Retry-After")
	fs.BoolVar(&f.precompute, "precompute", true, "compute the exact centrality rankings in the background after loading, on --analytics-procs minus one cores (at least one); until one is ready, betweenness on a large network answers with a certified approximation")
	fs.BoolVar(&f.readModel, "read-model", true, "with --neo4j-uri, answer search, entities, neighbours and relations from the served load indexed in memory (rebuilt with the analytics snapshot when a new load lands), as the embedded store does; false asks Neo4j at every request")
	fs.DurationVar(&f.readHeaderTimeout, "read-header-timeout", 10*time.Second, "drop a connection that has not sent its request headers within `DURATION`")
	fs.DurationVar(&f.readTimeout, "read-timeout", 30*time.Second, "drop a connection that has not sent its whole request within `DURATION`")
	fs.DurationVar(&f.writeTimeout, "write-timeout", 60*time.Second, "drop a connection whose answer is not written within `DURATION` of reading the request; longer than --request-timeout")
	fs.DurationVar(&f.idleTimeout, "idle-timeout", 2*time.Minute, "close a kept-alive connection idle for `DURATION`")
	fs.DurationVar(&f.refreshEvery, "refresh-every", 10*time.Second, "check the store for a new load every `DURATION` and then rebuild the analytics snapshot; 0 disables")
	// Checked as it is set, so that a bad value from the environment is
	// reported with the variable's name.
	fs.Func("cors-origins", "let pages from these `ORIGINS` (comma-separated, e.g. https://example.org,http://127.0.0.1:3000) call the API from a browser; none by default", func(v string) error {
		o, err := server.ParseCORSOrigins(v)
		f.corsOrigins = o
		return err
	})
	documentEnv(fs, serveEnv)
}

// applyEnv sets each flag not given on the command line from its
// environment variable, then checks the settings.
func (f *serveFlags) applyEnv() error {
	if err := setFromEnv(f.fs, serveEnv); err != nil {
		return err
	}
	return f.check()
}

func (f *serveFlags) check() error {
	if f.logFormat != "text" && f.logFormat != "json" {
		return coopgraph.Errorf(coopgraph.EINVALID, "--log-format %q: use text or json", f.logFormat)
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{
		{"request-timeout", f.requestTimeout}, {"shutdown-timeout", f.shutdownTimeout}, {"ready-timeout", f.readyTimeout},
		{"read-header-timeout", f.readHeaderTimeout}, {"read-timeout", f.readTimeout},
		{"write-timeout", f.writeTimeout}, {"idle-timeout", f.idleTimeout},
	} {
		if d.v <= 0 {
			return coopgraph.Errorf(coopgraph.EINVALID, "--%s %s: give a positive duration, e.g. 30s", d.name, d.v)
		}
	}
	if f.refreshEvery < 0 {
		return coopgraph.Errorf(coopgraph.EINVALID, "--refresh-every %s: give a positive duration, or 0 to never refresh", f.refreshEvery)
	}
	if f.writeTimeout <= f.requestTimeout {
		return coopgraph.Errorf(coopgraph.EINVALID, "--write-timeout %s must be longer than --request-timeout %s, or the answer to a request that ran out of time could not be written", f.writeTimeout, f.requestTimeout)
	}
	return checkPositive([]positiveSetting{{"max-body-bytes", f.maxBodyBytes}, {"max-depth", int64(f.maxDepth)}, {"max-complexity", int64(f.maxComplexity)},
		{"max-query-bytes", int64(f.maxQueryBytes)}, {"max-tokens", int64(f.maxTokens)}, {"max-selections", int64(f.maxSelections)},
		{"max-repeats", int64(f.maxRepeats)}, {"max-analytics", int64(f.maxAnalytics)}, {"max-in-flight", int64(f.maxInFlight)},
		{"analytics-procs", int64(f.analyticsProcs)}, {"analytics-queue", int64(f.analyticsQueue)}}...)
}

// logger logs to lw, which writes out at once only warnings and errors.
func (f *serveFlags) logger(lw *server.LogWriter) *slog.Logger {
	opts := &slog.HandlerOptions{Level: f.logLevel}
	var h slog.Handler = slog.NewTextHandler(lw, opts)
	if f.logFormat == "json" {
		h = slog.NewJSONHandler(lw, opts)
	}
	return server.NewBufferedLogger(h, lw)
}

// serve opens the store (embedded by default, Neo4j with --neo4j-uri),
// builds the analytics snapshot and serves until SIGINT or SIGTERM; then it
// lets the requests in flight finish and closes the store.
func serve(ctx context.Context, args []string, stdout, stderr io.Writer) (err error) {
	var f serveFlags
	var d datasetFlags
	d.warnings = stderr // the publishers' defects read past
	var n neo4jFlags
	if _, err := parseFlags("serve", args, 0, &f, &d, &n); err != nil {
		return err
	}
	if err := f.applyEnv(); err != nil {
		return err
	}
	// Closed last, after the store: every line is out before serve returns.
	lw := server.NewLogWriter(stderr, 100*time.Millisecond)
	defer func() {
		if cerr := lw.Close(); cerr != nil { // the log itself failed: the caller says so
			err = errors.Join(err, cerr)
		}
	}()
	logger := f.logger(lw)

	var store coopgraph.Store
	where := "the embedded store"
	if n.URI != "" {
		if len(d.dirs) > 0 {
			return coopgraph.Errorf(coopgraph.EINVALID, "--data and --neo4j-uri: serve reads from Neo4j; load the dataset with `coopgraph load --data %s` first", d.dirs[0])
		}
		st, err := neo4jstore.Open(ctx, n.Config)
		if err != nil {
			return err
		}
		store, where = st, "Neo4j at "+redactURI(n.URI)
	} else {
		// A dataset that does not validate is refused whole, never served in part.
		ds, err := d.read()
		if err != nil {
			return err
		}
		store = memstore.New(ds)
	}
	// Deferred, so that it runs after the server has stopped.
	defer func() {
		if err := store.Close(context.WithoutCancel(ctx)); err != nil {
			logger.Warn("closing the store", "error", coopgraph.ErrorMessage(err))
			return
		}
		logger.Info("store closed")
	}()

	// The version first: a load landing while the dataset is read changes
	// it again, so the watch below reads anew rather than missing it.
	version, verr := store.Version(ctx)
	ds, err := store.Dataset(ctx)
	// A store holding a load in progress or interrupted is never served:
	// serve starts not ready, and the watch publishes the dataset as soon
	// as a complete load lands. Without the watch it would wait forever.
	var notServable *coopgraph.NotServableError
	if errors.As(err, &notServable) && f.refreshEvery <= 0 {
		return coopgraph.Errorf(coopgraph.EUNAVAILABLE, "%s (and --refresh-every 0 would never pick up a complete load)", notServable.Reason)
	}
	if err != nil && notServable == nil {
		return err
	}
	srv := &server.Server{
		Store:          store,
		Logger:         logger,
		MaxBodyBytes:   f.maxBodyBytes,
		RequestTimeout: f.requestTimeout,
		MaxComplexity:  f.maxComplexity,
		MaxDepth:       f.maxDepth,
		MaxQueryBytes:  f.maxQueryBytes,
		MaxTokens:      f.maxTokens,
		MaxSelections:  f.maxSelections,
		MaxRepeats:     f.maxRepeats,
		MaxAnalytics:   f.maxAnalytics,
		OperationNames: f.operationNames,
		MaxInFlight:    f.maxInFlight,
		ReadyTimeout:   f.readyTimeout,
		CORSOrigins:    f.corsOrigins,
		AnalyticsProcs: f.analyticsProcs,
		AnalyticsQueue: f.analyticsQueue,
		Precompute:     f.precompute,
		ReadThrough:    !f.readModel,
	}
	defer srv.StopPrecompute()
	switch {
	case notServable != nil:
		srv.NoteServable(err)
	case verr == nil:
		srv.PublishLoad(graph.NewSnapshot(ds), ds, version)
	default:
		srv.SetSnapshot(graph.NewSnapshot(ds)) // the watch refreshes once the version answers
	}
	go srv.WatchStore(ctx, f.refreshEvery)

	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return err
	}
	hs := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: f.readHeaderTimeout,
		ReadTimeout:       f.readTimeout,
		WriteTimeout:      f.writeTimeout,
		IdleTimeout:       f.idleTimeout,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	if notServable != nil {
		// The banner is for a person at a terminal; the log line says the
		// same, so a failed write does not stop the server.
		_, _ = fmt.Fprintf(stdout, "coopgraph: NOT READY: %s\n  it serves the dataset as soon as a complete load lands (checked every %s)\n  open http://%s/  (GraphQL: POST http://%s/graphql)\n",
			notServable.Reason, f.refreshEvery, ln.Addr(), ln.Addr())
		logger.Warn("not ready: the store holds no complete load to serve; waiting for one", "addr", ln.Addr().String(),
			"store", where, "reason", notServable.Reason)
		return serveUntilDone(ctx, hs, ln, f.shutdownTimeout, logger)
	}
	_, _ = fmt.Fprintf(stdout, "coopgraph: serving %d entities and %d relations from %s\n  open http://%s/  (GraphQL: POST http://%s/graphql)\n",
		len(ds.Entities), len(ds.Relations), where, ln.Addr(), ln.Addr())
	logger.Info("serving", "addr", ln.Addr().String(), "store", where,
		"entities", len(ds.Entities), "relations", len(ds.Relations))
	return serveUntilDone(ctx, hs, ln, f.shutdownTimeout, logger)
}

// serveUntilDone serves on ln until ctx ends (SIGTERM, SIGINT). Then it takes
// no new requests and lets those in flight finish, for at most grace; the
// ones still running after that have their context cancelled and their
// connection closed.
func serveUntilDone(ctx context.Context, hs *http.Server, ln net.Listener, grace time.Duration, logger *slog.Logger) error {
	// Requests' contexts descend from base, not from ctx: a signal must not
	// cancel the requests that the grace period lets finish.
	base, cancelBase := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelBase()
	hs.BaseContext = func(net.Listener) context.Context { return base }

	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down: taking no new requests, letting those in flight finish", "timeout", grace.String())
	start := time.Now()
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), grace)
	defer cancel()
	err := hs.Shutdown(sctx)
	if errors.Is(err, context.DeadlineExceeded) {
		logger.Warn("shutdown timeout: cancelling the requests still in flight", "timeout", grace.String())
		cancelBase()
		err = hs.Close()
	}
	if serr := <-errc; !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	if err != nil {
		return err
	}
	logger.Info("server stopped", "duration_ms", time.Since(start).Milliseconds())
	return nil
}

// redactURI drops a user and password written into a URI, so that it can be
// printed and logged.
func redactURI(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(an unparsable URI)"
	}
	u.User = nil
	return u.String()
}
