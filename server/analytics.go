package server

import (
	"context"
	"math"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/coopgraph/coopgraph/graph"
)

// retryAfterBusy is the Retry-After, in seconds, of an answer that an
// analytics computation could not be admitted to (graph.Limiter): long
// computations take seconds, so sooner would likely be refused again.
const retryAfterBusy = 2

// analytics prepares a request that may ask for analytics (/graphql,
// /export): its context carries the server's graph.Limiter, so that the
// engine admits the computations it asks for by the cores they take,
// shares them with other requests asking the same and stops them when no
// request waits for them any more; and its answer carries Retry-After when
// some part of it is UNAVAILABLE (see suggestRetry). One context and one
// request copy for both; the other routes (the page's assets, the health
// checks) pay for neither.
func (s *Server) analytics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := &retryHint{}
		ctx := graph.WithLimiter(context.WithValue(r.Context(), retryHintKey{}, h), s.limiter)
		next.ServeHTTP(&retryWriter{ResponseWriter: w, hint: h}, r.WithContext(ctx))
	})
}

// retryHint is set while a request is answered when some part of the answer
// is UNAVAILABLE: the answer then carries Retry-After, whatever its status
// (a GraphQL answer with a field refused is a 200).
type retryHint struct {
	set   atomic.Bool
	after atomic.Int64 // seconds, when an error said when (the largest)
}

type retryHintKey struct{}

// suggestRetry marks the request of ctx for Retry-After: after, when
// known (an exact ranking expected then), else retryAfterBusy.
func suggestRetry(ctx context.Context, after time.Duration) {
	h, ok := ctx.Value(retryHintKey{}).(*retryHint)
	if !ok {
		return
	}
	h.set.Store(true)
	secs := int64(math.Ceil(after.Seconds()))
	for {
		old := h.after.Load()
		if secs <= old || h.after.CompareAndSwap(old, secs) {
			return
		}
	}
}

// retryWriter adds Retry-After to an answer whose request was marked by
// suggestRetry before the answer's header went out.
type retryWriter struct {
	http.ResponseWriter
	hint    *retryHint
	written bool
}

func (rw *retryWriter) WriteHeader(code int) {
	if !rw.written && rw.hint.set.Load() && rw.Header().Get("Retry-After") == "" {
		rw.Header().Set("Retry-After", strconv.FormatInt(max(int64(retryAfterBusy), rw.hint.after.Load()), 10))
	}
	rw.written = true
	rw.ResponseWriter.WriteHeader(code)
}

func (rw *retryWriter) Write(p []byte) (int, error) {
	if !rw.written {
		rw.WriteHeader(http.StatusOK)
	}
	return rw.ResponseWriter.Write(p)
}

func (rw *retryWriter) Flush() {
	if f, ok := rw.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (rw *retryWriter) Unwrap() http.ResponseWriter { return rw.ResponseWriter }

// analyticsCollector exports the Limiter's counts in /metrics.
type analyticsCollector struct{ l *graph.Limiter }

var (
	analyticsRunningDesc = prometheus.NewDesc("coopgraph_analytics_running",
		"Analytics computations running now (centrality, communities, components, cut structure, what-if, k shortest paths, projections).", nil, nil)
	analyticsWaitingDesc = prometheus.NewDesc("coopgraph_analytics_waiting",
		"Analytics computations waiting for a core.", nil, nil)
	analyticsProcsDesc = prometheus.NewDesc("coopgraph_analytics_procs",
		"Analytics computations run at once (--analytics-procs).", nil, nil)
	analyticsDesc = prometheus.NewDesc("coopgraph_analytics_computations_total",
		"Analytics computations by outcome: admitted (started running), refused (the queue was full: UNAVAILABLE), abandoned (every request waiting for it left before it started).", []string{"outcome"}, nil)
)

func (c analyticsCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- analyticsRunningDesc
	ch <- analyticsWaitingDesc
	ch <- analyticsProcsDesc
	ch <- analyticsDesc
}

func (c analyticsCollector) Collect(ch chan<- prometheus.Metric) {
	st := c.l.Stats()
	ch <- prometheus.MustNewConstMetric(analyticsRunningDesc, prometheus.GaugeValue, float64(st.Running))
	ch <- prometheus.MustNewConstMetric(analyticsWaitingDesc, prometheus.GaugeValue, float64(st.Waiting))
	ch <- prometheus.MustNewConstMetric(analyticsProcsDesc, prometheus.GaugeValue, float64(c.l.Procs()))
	ch <- prometheus.MustNewConstMetric(analyticsDesc, prometheus.CounterValue, float64(st.Admitted), "admitted")
	ch <- prometheus.MustNewConstMetric(analyticsDesc, prometheus.CounterValue, float64(st.Refused), "refused")
	ch <- prometheus.MustNewConstMetric(analyticsDesc, prometheus.CounterValue, float64(st.Abandoned), "abandoned")
}
