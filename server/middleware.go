package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"github.com/coopgraph/coopgraph"
)

// requestID gives every request an id (chi's middleware.RequestID), taking
// the client's X-Request-Id when it is a plain token of at most 64
// characters, so that a proxy's id carries through but no client writes
// what it likes into the logs.
func requestID(next http.Handler) http.Handler {
	h := middleware.RequestID(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if id := r.Header.Get(middleware.RequestIDHeader); id != "" && !plainToken(id, 64) {
			r.Header.Del(middleware.RequestIDHeader)
		}
		h.ServeHTTP(w, r)
	})
}

func plainToken(s string, n int) bool {
	if len(s) > n {
		return false
	}
	for _, c := range []byte(s) {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '-' || c == '_' || c == '.' || c == ':' || c == '/'
		if !ok {
			return false
		}
	}
	return true
}

// observe logs one line per HTTP request and counts it in /metrics. It
// logs the path, never the query string: a GraphQL GET carries the query
// and its variables there.
func (s *Server) observe(router *chi.Mux, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := middleware.GetReqID(r.Context())
		if id != "" {
			// So that a user reporting a problem can quote it.
			w.Header().Set(middleware.RequestIDHeader, id)
		}
		// The route is found on a fresh routing context: the router's own
		// may be in use by a handler the timeout left running.
		route := router.Find(chi.NewRouteContext(), r.Method, r.URL.Path)
		if route == "" {
			route = "unmatched"
		}
		ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		defer func() {
			d := time.Since(start)
			status := ww.Status()
			if status == 0 {
				status = http.StatusOK // nothing written: net/http answers 200
			}
			s.metrics.request(route, r.Method, status, d)
			level := slog.LevelInfo
			if status >= 500 {
				level = slog.LevelError
			}
			s.logger().LogAttrs(r.Context(), level, "http request",
				slog.String("request_id", id),
				slog.String("method", r.Method),
				slog.String("path", r.URL.Path),
				slog.String("route", route),
				slog.Int("status", status),
				slog.Int("bytes", ww.BytesWritten()),
				slog.Float64("duration_ms", float64(d.Microseconds())/1000),
			)
		}()
		next.ServeHTTP(ww, r)
	})
}

// recoverPanics answers a panic with 500 and INTERNAL, logging the panic
// and its stack for the operator but telling the client nothing of it.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v) // net/http's way to drop the connection quietly
			}
			s.logger().LogAttrs(r.Context(), slog.LevelError, "panic serving a request",
				slog.String("request_id", middleware.GetReqID(r.Context())),
				slog.String("panic", fmt.Sprint(v)),
				slog.String("stack", string(debug.Stack())))
			writeError(w, http.StatusInternalServerError, coopgraph.EINTERNAL, "internal error")
		}()
		next.ServeHTTP(w, r)
	})
}

// errRequestTimeout is the cause of a request context cancelled by the
// request timeout, which tells it apart from a client that went away.
var errRequestTimeout = errors.New("request timeout")

// timedOut reports whether ctx ended because the request ran out of time.
func timedOut(ctx context.Context) bool {
	return errors.Is(context.Cause(ctx), errRequestTimeout)
}

// clientGone reports whether the request ended because its client left
// (connection closed, request abandoned), not by the server's time limit.
func clientGone(ctx context.Context) bool {
	return ctx.Err() != nil && !timedOut(ctx)
}

// withTimeout gives every request at most d. The handler runs with a
// context cancelled at the deadline, which the resolvers pass to the store
// (the Neo4j driver stops its work on it). A handler that has written
// nothing by the deadline is not waited for: the client gets 503 with
// UNAVAILABLE at once, and what the handler writes later is dropped (so a
// resolver that returns the cancellation as an error a moment after the
// deadline gets the same answer). One that already streams its answer (an
// export) is let finish.
//
// Unlike chi's middleware.Timeout this answers at the deadline even when a
// computation does not watch its context, and answers in GraphQL's error
// shape. It wraps the whole router, so that the router's pooled routing
// state lives in the handler's goroutine only.
func (s *Server) withTimeout(d time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeoutCause(r.Context(), d, errRequestTimeout)
		defer cancel()
		tw := &timeoutWriter{ctx: ctx, w: w, h: make(http.Header)}
		done := make(chan struct{})
		panicked := make(chan any, 1)
		s.handlers.Go(func() {
			defer func() {
				if v := recover(); v != nil {
					if tw.isDropped() && v != http.ErrAbortHandler {
						s.logger().LogAttrs(ctx, slog.LevelError, "panic after the request timed out",
							slog.String("request_id", middleware.GetReqID(ctx)),
							slog.String("panic", fmt.Sprint(v)),
							slog.String("stack", string(debug.Stack())))
					}
					panicked <- v
					return
				}
				close(done)
			}()
			next.ServeHTTP(tw, r.WithContext(ctx))
		})
		select {
		case <-done:
			if ctx.Err() == nil {
				return
			}
			// Done at the deadline: whether it answered in time is
			// settled below, as if the deadline had come first.
		case v := <-panicked:
			panic(v)
		case <-ctx.Done():
		}
		if !timedOut(ctx) {
			// The connection closed or failed. net/http cancels the
			// request's context on any read error, a body cut by
			// --read-timeout too, and the handler is then answering that
			// error to a client still there: let it finish if it does so
			// promptly (an abandoned answer went out as a bare status
			// with an empty body). Past the grace, nobody is left to
			// answer.
			select {
			case <-done:
			case v := <-panicked:
				panic(v)
			case <-time.After(cancelGrace):
				tw.abandon()
			}
			return
		}
		if tw.abandonUnlessStarted() {
			writeError(w, http.StatusServiceUnavailable, coopgraph.EUNAVAILABLE, timeoutMessage(d))
			return
		}
		select {
		case <-done:
		case v := <-panicked:
			panic(v)
		}
	})
}

// cancelGrace is how long withTimeout lets a handler finish once the
// request's context is cancelled by the connection rather than by the
// deadline.
const cancelGrace = 500 * time.Millisecond

func timeoutMessage(d time.Duration) string {
	return fmt.Sprintf("no answer within the request time limit of %s: ask for less (fewer results, fewer hops) or try again later", d)
}

// timeoutWriter is the handler's side of withTimeout: writes go through
// until the request is abandoned, then fail with http.ErrHandlerTimeout.
// The handler has a header map of its own, copied out when it first
// writes, so that it never touches the real one after the deadline.
type timeoutWriter struct {
	ctx     context.Context // the request's, with the deadline
	mu      sync.Mutex
	w       http.ResponseWriter
	h       http.Header
	started bool // the handler has written its header
	dropped bool // the request was abandoned: writes fail
}

func (tw *timeoutWriter) Header() http.Header { return tw.h }

func (tw *timeoutWriter) WriteHeader(code int) {
	tw.mu.Lock()
	defer tw.mu.Unlock()
	tw.writeHeaderLocked(code)
}

// writeHeaderLocked starts the answer, unless it is dropped or the
// deadline has passed: an answer that starts late is dropped for the
// timeout's own.
func (tw *timeoutWriter) writeHeaderLocked(code int) {
	if tw.dropped || tw.started {
		return
	}
	if timedOut(tw.ctx) {
		tw.dropped = true
		return
	}
	tw.started = true
	dst := tw.w.Header()
	for k, v := range tw.h {
		dst[k] = v
	}
	tw.w.WriteHeader(code)
}

func (tw *timeoutWriter) Write(p []byte) (int, error) {
	tw.mu.Lock()
	defer tw.mu.Unlock()
	if tw.dropped {
		return 0, http.ErrHandlerTimeout
	}
	if !tw.started {
		if tw.h.Get("Content-Type") == "" {
			tw.h.Set("Content-Type", http.DetectContentType(p))
		}
		tw.writeHeaderLocked(http.StatusOK)
		if tw.dropped {
			return 0, http.ErrHandlerTimeout
		}
	}
	return tw.w.Write(p)
}

// Flush lets a streaming handler push what it wrote.
func (tw *timeoutWriter) Flush() {
	tw.mu.Lock()
	defer tw.mu.Unlock()
	if tw.dropped {
		return
	}
	if !tw.started {
		tw.writeHeaderLocked(http.StatusOK)
		if tw.dropped {
			return
		}
	}
	if f, ok := tw.w.(http.Flusher); ok {
		f.Flush()
	}
}

func (tw *timeoutWriter) abandon() {
	tw.mu.Lock()
	tw.dropped = true
	tw.mu.Unlock()
}

func (tw *timeoutWriter) isDropped() bool {
	tw.mu.Lock()
	defer tw.mu.Unlock()
	return tw.dropped
}

// abandonUnlessStarted abandons the handler's writes, unless it has
// started its answer; it reports whether it did.
func (tw *timeoutWriter) abandonUnlessStarted() bool {
	tw.mu.Lock()
	defer tw.mu.Unlock()
	if tw.started {
		return false
	}
	tw.dropped = true
	return true
}

// limitBody refuses a request body larger than n bytes with 413 and
// LIMIT_EXCEEDED. It reads the body whole (GraphQL reads it whole anyway),
// so that a body without a Content-Length is refused the same way.
func limitBody(n int64) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			tooLarge := func() {
				writeError(w, http.StatusRequestEntityTooLarge, coopgraph.ELIMIT,
					fmt.Sprintf("the request body is larger than the limit of %d bytes", n))
			}
			if r.ContentLength > n {
				tooLarge()
				return
			}
			body, err := io.ReadAll(io.LimitReader(r.Body, n+1))
			if err != nil {
				writeError(w, http.StatusBadRequest, coopgraph.EINVALID, "the request body could not be read")
				return
			}
			if int64(len(body)) > n {
				tooLarge()
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
			next.ServeHTTP(w, r)
		})
	}
}

// writeError answers with one error in GraphQL's response shape, so that
// clients read every refusal the same way.
func writeError(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"errors": []map[string]any{{
			"message":    message,
			"extensions": map[string]string{"code": code},
		}},
	})
}

// limitInFlight refuses a request when max are already being answered:
// 503 with UNAVAILABLE and Retry-After at once, rather than queueing work
// the server cannot do in time and slowing every other client. The health
// checks and /metrics are exempt, so that probes still see the truth.
func (s *Server) limitInFlight(max int, next http.Handler) http.Handler {
	slots := make(chan struct{}, max)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/healthz", "/readyz", "/metrics":
			next.ServeHTTP(w, r)
			return
		}
		select {
		case slots <- struct{}{}:
			defer func() { <-slots }()
			next.ServeHTTP(w, r)
		default:
			w.Header().Set("Retry-After", "1")
			writeError(w, http.StatusServiceUnavailable, coopgraph.EUNAVAILABLE,
				fmt.Sprintf("the server is answering %d requests already, its limit: try again in a moment", max))
		}
	})
}
