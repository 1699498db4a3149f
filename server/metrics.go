package server

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/coopgraph/coopgraph"
)

// MaxOperationNames bounds the distinct GraphQL operation names /metrics
// tracks beyond the known ones (KnownOperationNames and
// Server.OperationNames): clients choose the names, and every name is a
// series of its own. A name is given a label once an operation of that
// name has run (it parsed, validated and passed the limits), while fewer
// than MaxOperationNames have one; later names count as "other". A client
// sending many names can take the free labels, never a known name's.
const MaxOperationNames = 100

// KnownOperationNames always have a label of their own: the page's
// questions (web/page/src/api.js), the playground's examples
// (web/playground/src/examples.js) and GraphiQL's introspection.
var KnownOperationNames = []string{
	"PageOverview", "PageNetwork", "PageSubgraph", "PageSuggest", "PageDetails", "PageNeighbours", "PageEntities",
	"PageShortestPaths", "PageKPaths", "PageRelations", "PagePartnersPage", "PageSuggestPage", "PageRanking", "PageScores", "PageCommunities", "PagePartners",
	"PageNeighboursBy", "PageNeighbourCounts", "PageNeighbourhood",
	"PageFilterChoices", "PageFilterMembers", "PageFilterRegions", "PageFindEntity", "PageRegionPartners", "PageRegionProjects",
	"Centrality", "Partners", "Communities", "ShortestPath", "AllShortestPaths", "Search", "Entity", "Sources", "Introspection",
	"IntrospectionQuery",
}

// Operation labels that are not names a client gave.
const (
	opAnonymous = "anonymous" // an operation without a name
	opInvalid   = "invalid"   // a request refused before its operation was known to be valid
	opOther     = "other"     // beyond MaxOperationNames, or a name too long to keep
)

// latencyBuckets span a cached lookup (a millisecond) to the request
// timeout's default (30 s).
var latencyBuckets = []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}

// metrics are one Server's series, in a registry of its own so that two
// servers in one process (as in tests) never share or collide.
type metrics struct {
	reg          *prometheus.Registry
	httpRequests *prometheus.CounterVec
	httpDuration *prometheus.HistogramVec
	operations   *prometheus.CounterVec
	opDuration   *prometheus.HistogramVec
	gqlErrors    *prometheus.CounterVec
	storeErrors  *prometheus.CounterVec
	names        *operationNames
}

func newMetrics(s *Server) *metrics {
	m := &metrics{
		names: newOperationNames(append(slices.Clone(KnownOperationNames), s.OperationNames...)),
		reg:   prometheus.NewRegistry(),
		httpRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "coopgraph_http_requests_total",
			Help: "HTTP requests answered, by route pattern, method and status code.",
		}, []string{"route", "method", "status"}),
		httpDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "coopgraph_http_request_duration_seconds",
			Help:    "Time to answer an HTTP request, by route pattern and method.",
			Buckets: latencyBuckets,
		}, []string{"route", "method"}),
		operations: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "coopgraph_graphql_operations_total",
			Help: "GraphQL operations answered, by operation name (the known names, the first 100 others to run, anonymous, invalid, or other).",
		}, []string{"operation"}),
		opDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "coopgraph_graphql_operation_duration_seconds",
			Help:    "Time from reading a GraphQL request to its answer, by operation name.",
			Buckets: latencyBuckets,
		}, []string{"operation"}),
		gqlErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "coopgraph_graphql_errors_total",
			Help: "Errors in GraphQL answers, by extensions.code.",
		}, []string{"code"}),
		storeErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "coopgraph_store_errors_total",
			Help: "Store calls that failed because the store (Neo4j) was unreachable (UNAVAILABLE) or failed (INTERNAL), by call; requests cancelled or timed out are not counted.",
		}, []string{"call", "code"}),
	}
	m.reg.MustRegister(
		m.httpRequests, m.httpDuration, m.operations, m.opDuration, m.gqlErrors, m.storeErrors,
		snapshotCollector{s},
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	// Every code is exported from the start, so that a rate over an error
	// that never happened yet reads 0 rather than nothing.
	for _, c := range errorCodes {
		m.gqlErrors.WithLabelValues(c)
	}
	return m
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

func (m *metrics) request(route, method string, status int, d time.Duration) {
	method = knownMethod(method)
	m.httpRequests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
	m.httpDuration.WithLabelValues(route, method).Observe(d.Seconds())
}

func (m *metrics) operation(label string, d time.Duration, codes []string) {
	m.operations.WithLabelValues(label).Inc()
	m.opDuration.WithLabelValues(label).Observe(d.Seconds())
	for _, c := range codes {
		m.gqlErrors.WithLabelValues(c).Inc()
	}
}

// errorCodes are the values of extensions.code the API gives: the domain's
// and gqlgen's own for a document that does not parse or validate.
var errorCodes = []string{
	coopgraph.ENOTFOUND, coopgraph.EINVALID, coopgraph.ELIMIT, coopgraph.EUNAVAILABLE, coopgraph.EINTERNAL,
	"GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED",
}

// errorCodeLabel keeps the code label to the known set.
func errorCodeLabel(code string) string {
	for _, c := range errorCodes {
		if c == code {
			return c
		}
	}
	return "OTHER"
}

// knownMethod keeps the method label to the standard methods: a client may
// send any token as a method.
func knownMethod(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return m
	}
	return "OTHER"
}

// operationNames hands out operation labels: a known name is its own
// label; another name becomes one when its operation ran, while fewer than
// MaxOperationNames have; the rest share "other".
type operationNames struct {
	mu    sync.Mutex
	known map[string]bool
	seen  map[string]bool
}

func newOperationNames(known []string) *operationNames {
	o := &operationNames{known: map[string]bool{}, seen: map[string]bool{}}
	for _, n := range known {
		o.known[n] = true
	}
	return o
}

// maxOperationNameBytes: a longer name is not kept as a label.
const maxOperationNameBytes = 64

func (o *operationNames) label(name string) string {
	if name == "" {
		return opAnonymous
	}
	if len(name) > maxOperationNameBytes {
		return opOther
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.known[name] || o.seen[name] {
		return name
	}
	if len(o.seen) >= MaxOperationNames {
		return opOther
	}
	o.seen[name] = true
	return name
}

// snapshotCollector reports the published snapshot's age and size at
// scrape time; before the first snapshot it reports nothing.
type snapshotCollector struct{ s *Server }

var (
	snapshotAgeDesc = prometheus.NewDesc("coopgraph_snapshot_age_seconds",
		"Seconds since the analytics snapshot being served was published.", nil, nil)
	snapshotEntitiesDesc = prometheus.NewDesc("coopgraph_snapshot_entities",
		"Entities (nodes) in the analytics snapshot being served.", nil, nil)
	snapshotRelationsDesc = prometheus.NewDesc("coopgraph_snapshot_relations",
		"Relations (edges) in the analytics snapshot being served.", nil, nil)
)

func (c snapshotCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- snapshotAgeDesc
	ch <- snapshotEntitiesDesc
	ch <- snapshotRelationsDesc
}

func (c snapshotCollector) Collect(ch chan<- prometheus.Metric) {
	p := c.s.snap.Load()
	if p == nil {
		return
	}
	ch <- prometheus.MustNewConstMetric(snapshotAgeDesc, prometheus.GaugeValue, time.Since(p.at).Seconds())
	ch <- prometheus.MustNewConstMetric(snapshotEntitiesDesc, prometheus.GaugeValue, float64(p.g.NumNodes()))
	ch <- prometheus.MustNewConstMetric(snapshotRelationsDesc, prometheus.GaugeValue, float64(p.g.NumRelations()))
}

// observedStore counts the store's failures (Neo4j unreachable or failing)
// and passes everything else through. Embedding keeps every method of the
// Store interface.
type observedStore struct {
	coopgraph.Store
	errors *prometheus.CounterVec
}

// inProcessStore is an observedStore of a store that says it answers from
// memory, so that the API still sees it as such (see coopgraph.InProcess).
type inProcessStore struct{ observedStore }

func (inProcessStore) InProcess() {}

// observeStore wraps st so that its failures are counted; nil stays nil.
func (m *metrics) observeStore(st coopgraph.Store) coopgraph.Store {
	if st == nil {
		return nil
	}
	o := observedStore{Store: st, errors: m.storeErrors}
	if _, ok := st.(coopgraph.InProcess); ok {
		return inProcessStore{o}
	}
	return o
}

// count records err from call when it is the store's fault: UNAVAILABLE or
// INTERNAL, and not because the request itself was cancelled or ran out of
// time.
func (o observedStore) count(ctx context.Context, call string, err error) {
	if err == nil || ctx.Err() != nil {
		return
	}
	if c := coopgraph.ErrorCode(err); c == coopgraph.EUNAVAILABLE || c == coopgraph.EINTERNAL {
		o.errors.WithLabelValues(call, c).Inc()
	}
}

func (o observedStore) Search(ctx context.Context, text string, kinds []string, first int) ([]coopgraph.Entity, error) {
	es, err := o.Store.Search(ctx, text, kinds, first)
	o.count(ctx, "search", err)
	return es, err
}

func (o observedStore) Entities(ctx context.Context, ids []string) ([]coopgraph.Entity, error) {
	es, err := o.Store.Entities(ctx, ids)
	o.count(ctx, "entities", err)
	return es, err
}

func (o observedStore) Relations(ctx context.Context, id string, f coopgraph.NeighbourFilter, offset, first int) ([]coopgraph.Relation, int, error) {
	rs, n, err := o.Store.Relations(ctx, id, f, offset, first)
	o.count(ctx, "relations", err)
	return rs, n, err
}

func (o observedStore) Neighbours(ctx context.Context, id string, f coopgraph.NeighbourFilter, offset, first int) ([]coopgraph.Neighbour, int, error) {
	ns, n, err := o.Store.Neighbours(ctx, id, f, offset, first)
	o.count(ctx, "neighbours", err)
	return ns, n, err
}

func (o observedStore) Dataset(ctx context.Context) (*coopgraph.Dataset, error) {
	ds, err := o.Store.Dataset(ctx)
	o.count(ctx, "dataset", err)
	return ds, err
}

func (o observedStore) Version(ctx context.Context) (string, error) {
	v, err := o.Store.Version(ctx)
	o.count(ctx, "version", err)
	return v, err
}

func (o observedStore) Ready(ctx context.Context) error {
	err := o.Store.Ready(ctx)
	o.count(ctx, "ready", err)
	return err
}
