package server_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/data"
	"github.com/coopgraph/coopgraph/graph"
	"github.com/coopgraph/coopgraph/loader"
	"github.com/coopgraph/coopgraph/memstore"
	"github.com/coopgraph/coopgraph/server"
	"github.com/coopgraph/coopgraph/server/graphqltest"
)

// logBuffer collects JSON log lines; a handler the timeout left running
// may still log while the test reads.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// lines returns the log records whose message is msg.
func (b *logBuffer) lines(t *testing.T, msg string) []map[string]any {
	t.Helper()
	var out []map[string]any
	sc := bufio.NewScanner(strings.NewReader(b.String()))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var rec map[string]any
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("log line %q is not JSON: %v", sc.Text(), err)
		}
		if rec["msg"] == msg {
			out = append(out, rec)
		}
	}
	return out
}

func seedDataset(t *testing.T) *coopgraph.Dataset {
	t.Helper()
	ds, err := loader.LoadFS(data.Seed(), "data/seed", data.SeedName)
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// fakeStore is the embedded store with some answers replaced.
type fakeStore struct {
	*memstore.Store
	ready  func(ctx context.Context) error
	search func(ctx context.Context) error
}

func (f fakeStore) Ready(ctx context.Context) error {
	if f.ready != nil {
		return f.ready(ctx)
	}
	return f.Store.Ready(ctx)
}

func (f fakeStore) Search(ctx context.Context, text string, kinds []string, first int) ([]coopgraph.Entity, error) {
	if f.search != nil {
		if err := f.search(ctx); err != nil {
			return nil, err
		}
	}
	return f.Store.Search(ctx, text, kinds, first)
}

// newServer serves the seed dataset through st (the embedded store when
// nil), logging JSON into logs.
func newServer(t *testing.T, st coopgraph.Store, logs io.Writer) *server.Server {
	t.Helper()
	ds := seedDataset(t)
	if st == nil {
		st = memstore.New(ds)
	}
	if logs == nil {
		logs = io.Discard
	}
	srv := &server.Server{Store: st, Logger: slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	srv.SetSnapshot(graph.NewSnapshot(ds))
	return srv
}

func get(t *testing.T, h http.Handler, path string) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec
}

// post sends a GraphQL request and returns the recorder.
func post(t *testing.T, h http.Handler, body string, header map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func decode(t *testing.T, rec *httptest.ResponseRecorder) graphqltest.Response {
	t.Helper()
	var resp graphqltest.Response
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
		t.Fatalf("status %d, body %q is no GraphQL response: %v", rec.Code, rec.Body.String(), err)
	}
	return resp
}

func TestLogsCarryRequestIDAndOperationButNoVariables(t *testing.T) {
	var logs logBuffer
	h := newServer(t, nil, &logs).Handler()
	body := `{"query":"query FindRegion($t: String!) { search(text: $t) { id } }","operationName":"FindRegion","variables":{"t":"Malopolska s3cr3t-token"}}`
	rec := post(t, h, body, map[string]string{"X-Request-Id": "req-test-42"})
	if rec.Code != http.StatusOK || len(decode(t, rec).Errors) != 0 {
		t.Fatalf("status %d, body %s", rec.Code, rec.Body)
	}
	if got := rec.Header().Get("X-Request-Id"); got != "req-test-42" {
		t.Errorf("X-Request-Id answered %q, want req-test-42", got)
	}

	reqs := logs.lines(t, "http request")
	if len(reqs) != 1 {
		t.Fatalf("%d request lines, want 1:\n%s", len(reqs), logs.String())
	}
	r := reqs[0]
	if r["request_id"] != "req-test-42" || r["method"] != "POST" || r["path"] != "/graphql" || r["route"] != "/graphql" || r["status"] != float64(200) {
		t.Errorf("request line %v", r)
	}
	if b, _ := r["bytes"].(float64); int(b) != rec.Body.Len() {
		t.Errorf("request line says %v bytes, the answer has %d", r["bytes"], rec.Body.Len())
	}
	if _, ok := r["duration_ms"].(float64); !ok {
		t.Errorf("request line without duration_ms: %v", r)
	}

	ops := logs.lines(t, "graphql operation")
	if len(ops) != 1 {
		t.Fatalf("%d operation lines, want 1:\n%s", len(ops), logs.String())
	}
	o := ops[0]
	if o["request_id"] != "req-test-42" || o["operation"] != "FindRegion" || o["executed"] != true || o["errors"] != nil {
		t.Errorf("operation line %v", o)
	}
	if _, ok := o["duration_ms"].(float64); !ok {
		t.Errorf("operation line without duration_ms: %v", o)
	}
	if s := logs.String(); strings.Contains(s, "s3cr3t-token") || strings.Contains(s, "search(text") {
		t.Errorf("the log holds the variables or the query:\n%s", s)
	}
}

func TestLogsGiveAnIDWhenTheClientGivesNoneOrAStrangeOne(t *testing.T) {
	var logs logBuffer
	h := newServer(t, nil, &logs).Handler()
	post(t, h, `{"query":"{ entity(id: \"ghost\") { id } }"}`, nil)
	post(t, h, `{"query":"{ __typename }"}`, map[string]string{"X-Request-Id": "evil\" id with spaces"})
	reqs, ops := logs.lines(t, "http request"), logs.lines(t, "graphql operation")
	if len(reqs) != 2 || len(ops) != 2 {
		t.Fatalf("%d request and %d operation lines, want 2 and 2:\n%s", len(reqs), len(ops), logs.String())
	}
	for i := range reqs {
		id, _ := reqs[i]["request_id"].(string)
		if id == "" || strings.Contains(id, "evil") || ops[i]["request_id"] != id {
			t.Errorf("request %d: ids %q and %v", i, id, ops[i]["request_id"])
		}
	}
	if ops[0]["operation"] != "" || fmt.Sprint(ops[0]["errors"]) != "[NOT_FOUND]" || ops[0]["level"] != "WARN" {
		t.Errorf("an anonymous operation that failed: %v", ops[0])
	}
}

func TestHealthzIsAliveEvenBeforeASnapshot(t *testing.T) {
	srv := &server.Server{}
	rec := get(t, srv.Handler(), "/healthz")
	if rec.Code != http.StatusOK || rec.Body.String() != "ok\n" {
		t.Errorf("/healthz without store or snapshot: %d %q, want 200 ok", rec.Code, rec.Body)
	}
}

func TestReadyz(t *testing.T) {
	ds := seedDataset(t)
	var logs logBuffer
	down := fakeStore{Store: memstore.New(ds), ready: func(context.Context) error {
		return coopgraph.Errorf(coopgraph.EUNAVAILABLE, "neo4j is unavailable: dial tcp 10.0.0.7:7687: connection refused")
	}}
	hanging := fakeStore{Store: memstore.New(ds), ready: func(ctx context.Context) error {
		<-ctx.Done()
		return ctx.Err()
	}}
	noSnapshot := &server.Server{Store: memstore.New(ds)}
	slow := newServer(t, hanging, nil)
	slow.ReadyTimeout = 50 * time.Millisecond
	cases := []struct {
		name     string
		srv      *server.Server
		status   int
		notReady []string
	}{
		{"ready", newServer(t, nil, nil), 200, nil},
		{"before a snapshot", noSnapshot, 503, []string{"snapshot"}},
		{"store down", newServer(t, down, &logs), 503, []string{"store"}},
		{"store too slow", slow, 503, []string{"store"}},
		{"nothing", &server.Server{}, 503, []string{"store", "snapshot"}},
	}
	for _, c := range cases {
		start := time.Now()
		rec := get(t, c.srv.Handler(), "/readyz")
		if time.Since(start) > 5*time.Second {
			t.Errorf("%s: /readyz took %s", c.name, time.Since(start))
		}
		var body struct {
			Ready    bool
			NotReady []string
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
			t.Fatalf("%s: body %q: %v", c.name, rec.Body, err)
		}
		if rec.Code != c.status || body.Ready != (c.status == 200) || fmt.Sprint(body.NotReady) != fmt.Sprint(c.notReady) {
			t.Errorf("%s: %d %s, want %d not ready %v", c.name, rec.Code, rec.Body, c.status, c.notReady)
		}
		if strings.Contains(rec.Body.String(), "10.0.0.7") {
			t.Errorf("%s: /readyz tells the driver's error: %s", c.name, rec.Body)
		}
		if rec := get(t, c.srv.Handler(), "/healthz"); rec.Code != 200 {
			t.Errorf("%s: /healthz %d, want 200 while the process serves", c.name, rec.Code)
		}
	}
	if len(logs.lines(t, "store not ready")) == 0 {
		t.Errorf("a store that is down is not logged:\n%s", logs.String())
	}
}

// series reads a Prometheus text exposition into "name{labels}" → value.
func series(t *testing.T, h http.Handler) map[string]float64 {
	t.Helper()
	rec := get(t, h, "/metrics")
	if rec.Code != 200 {
		t.Fatalf("/metrics: %d %s", rec.Code, rec.Body)
	}
	out := map[string]float64{}
	for _, line := range strings.Split(rec.Body.String(), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("metric line %q: %v", line, err)
		}
		out[line[:i]] = v
	}
	return out
}

func TestMetricsCountRequestsOperationsErrorsAndTheSnapshot(t *testing.T) {
	ds := seedDataset(t)
	down := fakeStore{Store: memstore.New(ds), search: func(context.Context) error {
		return coopgraph.Errorf(coopgraph.EUNAVAILABLE, "neo4j is unavailable")
	}}
	srv := newServer(t, down, nil)
	h := srv.Handler()
	for range 3 {
		post(t, h, `{"query":"query Who { entity(id: \"malopolskie\") { id } }"}`, nil)
	}
	post(t, h, `{"query":"query Ghost { entity(id: \"ghost\") { id } }"}`, nil)
	post(t, h, `{"query":"{ search(text: \"Malopolska\") { id } }"}`, nil)
	// A request error: 400 under application/graphql-response+json (200
	// under application/json).
	post(t, h, `{"query":"{ nope }"}`, map[string]string{"Accept": "application/graphql-response+json"})
	get(t, h, "/healthz")
	get(t, h, "/no-such-page")

	m := series(t, h)
	want := map[string]float64{
		`coopgraph_http_requests_total{method="POST",route="/graphql",status="200"}`:    5,
		`coopgraph_http_requests_total{method="POST",route="/graphql",status="400"}`:    1,
		`coopgraph_http_requests_total{method="GET",route="/healthz",status="200"}`:     1,
		`coopgraph_http_requests_total{method="GET",route="unmatched",status="404"}`:    1,
		`coopgraph_http_request_duration_seconds_count{method="POST",route="/graphql"}`: 6,
		`coopgraph_graphql_operations_total{operation="Who"}`:                           3,
		`coopgraph_graphql_operations_total{operation="Ghost"}`:                         1,
		`coopgraph_graphql_operations_total{operation="anonymous"}`:                     1,
		`coopgraph_graphql_operations_total{operation="invalid"}`:                       1,
		`coopgraph_graphql_operation_duration_seconds_count{operation="Who"}`:           3,
		`coopgraph_graphql_errors_total{code="NOT_FOUND"}`:                              1,
		`coopgraph_graphql_errors_total{code="UNAVAILABLE"}`:                            1,
		`coopgraph_graphql_errors_total{code="GRAPHQL_VALIDATION_FAILED"}`:              1,
		`coopgraph_graphql_errors_total{code="LIMIT_EXCEEDED"}`:                         0,
		`coopgraph_store_errors_total{call="search",code="UNAVAILABLE"}`:                1,
		`coopgraph_snapshot_entities`:                                                   float64(srv.Snapshot().NumNodes()),
		`coopgraph_snapshot_relations`:                                                  float64(srv.Snapshot().NumRelations()),
	}
	for k, v := range want {
		got, ok := m[k]
		if !ok || got != v {
			t.Errorf("%s = %v (present %v), want %v", k, got, ok, v)
		}
	}
	if n := m[`coopgraph_snapshot_entities`]; n != float64(len(ds.Entities)) {
		t.Errorf("snapshot entities %v, the dataset has %d", n, len(ds.Entities))
	}
	if age, ok := m["coopgraph_snapshot_age_seconds"]; !ok || age < 0 || age > 60 {
		t.Errorf("snapshot age %v (present %v)", age, ok)
	}
	for _, name := range []string{"go_goroutines", "process_cpu_seconds_total"} {
		if _, ok := m[name]; !ok {
			t.Errorf("no %s: the runtime and process collectors are missing", name)
		}
	}
	if _, ok := m[`coopgraph_graphql_operations_total{operation="Ghost "}`]; ok {
		t.Error("labels are malformed")
	}
}

func TestMetricsBeforeASnapshotHaveNoSnapshotSeries(t *testing.T) {
	m := series(t, (&server.Server{}).Handler())
	for _, name := range []string{"coopgraph_snapshot_age_seconds", "coopgraph_snapshot_entities"} {
		if _, ok := m[name]; ok {
			t.Errorf("%s before any snapshot", name)
		}
	}
}

func TestMetricsKeepOperationNamesBounded(t *testing.T) {
	h := newServer(t, nil, nil).Handler()
	extra := 7
	for i := range server.MaxOperationNames + extra {
		post(t, h, fmt.Sprintf(`{"query":"query Op%d { __typename }"}`, i), nil)
	}
	post(t, h, `{"query":"query `+strings.Repeat("Long", 20)+` { __typename }"}`, nil)
	named := 0
	for k := range series(t, h) {
		if strings.HasPrefix(k, `coopgraph_graphql_operations_total{operation="Op`) {
			named++
		}
	}
	m := series(t, h)
	if named != server.MaxOperationNames || m[`coopgraph_graphql_operations_total{operation="other"}`] != float64(extra+1) {
		t.Errorf("%d named series and %v other, want %d and %d", named, m[`coopgraph_graphql_operations_total{operation="other"}`], server.MaxOperationNames, extra+1)
	}
	// A name already seen keeps its own series.
	post(t, h, `{"query":"query Op0 { __typename }"}`, nil)
	if got := series(t, h)[`coopgraph_graphql_operations_total{operation="Op0"}`]; got != 2 {
		t.Errorf("Op0 counted %v, want 2", got)
	}
}

// nested is an entity query whose selections nest depth fields deep.
func nested(depth int) string {
	inner := "id"
	for range depth - 2 {
		inner = "neighbours(first: 1) { " + inner + " }"
	}
	return `{ entity(id: "malopolskie") { ` + inner + ` } }`
}

func TestDepthLimit(t *testing.T) {
	h := newServer(t, nil, nil).Handler()
	deepFragments := `query { entity(id: "malopolskie") { ...A } }
	fragment A on Entity { neighbours(first: 1) { ...B } }
	fragment B on Entity { neighbours(first: 1) { ...C ... on Entity { id } } }
	fragment C on Entity { neighbours(first: 1) { ...D } }
	fragment D on Entity { neighbours(first: 1) { ...E } }
	fragment E on Entity { neighbours(first: 1) { ...F } }
	fragment F on Entity { neighbours(first: 1) { ... on Entity { neighbours(first: 1) { ...G } } } }
	fragment G on Entity { neighbours(first: 1) { neighbours(first: 1) { neighbours(first: 1) { neighbours(first: 1) { neighbours(first: 1) { id } } } } } }`
	for _, q := range []string{nested(server.MaxDepth + 1), nested(40), deepFragments} {
		resp := graphqltest.Do(t, h, q, nil)
		if len(resp.Errors) != 1 || resp.Errors[0].Extensions.Code != "LIMIT_EXCEEDED" ||
			!strings.Contains(resp.Errors[0].Message, fmt.Sprintf("limit of %d", server.MaxDepth)) || string(resp.Data) != "null" && resp.Data != nil {
			t.Errorf("a query too deep: %+v, data %s", resp.Errors, resp.Data)
		}
	}
	for _, q := range []string{nested(server.MaxDepth), nested(3), introspectionQuery} {
		if resp := graphqltest.Do(t, h, q, nil); len(resp.Errors) != 0 {
			t.Errorf("refused %.60q…: %+v", q, resp.Errors)
		}
	}
	srv := newServer(t, nil, nil)
	srv.MaxDepth = 3
	resp := graphqltest.Do(t, srv.Handler(), nested(4), nil)
	if len(resp.Errors) != 1 || !strings.Contains(resp.Errors[0].Message, "4 levels deep, deeper than the limit of 3") {
		t.Errorf("a configured depth limit: %+v", resp.Errors)
	}
}

// introspectionQuery is the one GraphiQL sends (graphql-js
// getIntrospectionQuery): the depth limit must let it through.
const introspectionQuery = `query IntrospectionQuery {
  __schema {
    queryType { name } mutationType { name } subscriptionType { name }
    types { ...FullType }
    directives { name description locations args { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description
  fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
  inputFields { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
fragment TypeRef on __Type {
  kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name
    ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }
}`

func TestComplexityLimitAnswersLimitExceeded(t *testing.T) {
	srv := newServer(t, nil, nil)
	srv.MaxComplexity = 5
	h := srv.Handler()
	resp := graphqltest.Do(t, h, `{ a: entity(id: "malopolskie") { id name kind aliases } b: entity(id: "opolskie") { id name } }`, nil)
	if len(resp.Errors) != 1 || resp.Errors[0].Extensions.Code != "LIMIT_EXCEEDED" || !strings.Contains(resp.Errors[0].Message, "limit of 5") {
		t.Errorf("too complex: %+v", resp.Errors)
	}
	if resp := graphqltest.Do(t, h, `{ entity(id: "malopolskie") { id } }`, nil); len(resp.Errors) != 0 {
		t.Errorf("a simple query: %+v", resp.Errors)
	}
}

func TestBodyLimitAnswersLimitExceededInJSON(t *testing.T) {
	srv := newServer(t, nil, nil)
	srv.MaxBodyBytes = 200
	h := srv.Handler()
	small := `{"query":"{ entity(id: \"malopolskie\") { id } }"}`
	large := `{"query":"` + strings.Repeat(" ", 200) + `{ __typename }"}`
	for _, c := range []struct {
		name    string
		body    io.Reader
		length  int64
		status  int
		code    string
		message string
	}{
		{"declared too large", strings.NewReader(large), int64(len(large)), 413, "LIMIT_EXCEEDED", "limit of 200 bytes"},
		{"chunked, too large", io.MultiReader(strings.NewReader(large)), -1, 413, "LIMIT_EXCEEDED", "limit of 200 bytes"},
		{"chunked, small", io.MultiReader(strings.NewReader(small)), -1, 200, "", ""},
		{"small", strings.NewReader(small), int64(len(small)), 200, "", ""},
	} {
		req := httptest.NewRequest(http.MethodPost, "/graphql", c.body)
		req.ContentLength = c.length
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		resp := decode(t, rec)
		if rec.Code != c.status || rec.Header().Get("Content-Type") != "application/json" {
			t.Errorf("%s: %d %q, want %d application/json", c.name, rec.Code, rec.Header().Get("Content-Type"), c.status)
		}
		switch {
		case c.code == "" && len(resp.Errors) != 0:
			t.Errorf("%s: %+v", c.name, resp.Errors)
		case c.code != "" && (len(resp.Errors) != 1 || resp.Errors[0].Extensions.Code != c.code || !strings.Contains(resp.Errors[0].Message, c.message)):
			t.Errorf("%s: %+v, want %s %q", c.name, resp.Errors, c.code, c.message)
		}
	}
}

func TestRequestTimeoutCancelsTheStoreAndAnswersUnavailable(t *testing.T) {
	ds := seedDataset(t)
	cancelled := make(chan error, 1)
	slow := fakeStore{Store: memstore.New(ds), search: func(ctx context.Context) error {
		<-ctx.Done() // as the Neo4j driver does
		cancelled <- ctx.Err()
		return coopgraph.Errorf(coopgraph.EUNAVAILABLE, "neo4j is unavailable: %v", ctx.Err())
	}}
	var logs logBuffer
	srv := newServer(t, slow, &logs)
	srv.RequestTimeout = 50 * time.Millisecond
	h := srv.Handler()

	start := time.Now()
	rec := post(t, h, `{"query":"query Slow { search(text: \"Malopolska\") { id } }"}`, nil)
	took := time.Since(start)
	resp := decode(t, rec)
	if rec.Code != http.StatusServiceUnavailable || len(resp.Errors) != 1 || resp.Errors[0].Extensions.Code != "UNAVAILABLE" ||
		!strings.Contains(resp.Errors[0].Message, "time limit of 50ms") {
		t.Errorf("a request past its timeout: %d %s", rec.Code, rec.Body)
	}
	if took > 2*time.Second {
		t.Errorf("the answer took %s with a 50ms timeout", took)
	}
	select {
	case err := <-cancelled:
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("the store's context ended with %v, want the deadline", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the store's context was never cancelled")
	}
	// The abandoned operation is still logged, as the timeout.
	deadline := time.Now().Add(5 * time.Second)
	for len(logs.lines(t, "graphql operation")) == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	ops := logs.lines(t, "graphql operation")
	if len(ops) != 1 || ops[0]["operation"] != "Slow" || fmt.Sprint(ops[0]["errors"]) != "[UNAVAILABLE]" {
		t.Errorf("operation lines %v", ops)
	}
	if reqs := logs.lines(t, "http request"); len(reqs) != 1 || reqs[0]["status"] != float64(503) {
		t.Errorf("request lines %v", reqs)
	}
	// A store error caused by the timeout is not the store's fault.
	if n, ok := series(t, h)[`coopgraph_store_errors_total{call="search",code="UNAVAILABLE"}`]; ok && n != 0 {
		t.Errorf("a timeout counted as %v store errors", n)
	}
}

func TestRequestTimeoutAnswersEvenWhenWorkIgnoresTheContext(t *testing.T) {
	ds := seedDataset(t)
	release := make(chan struct{})
	stuck := fakeStore{Store: memstore.New(ds), search: func(ctx context.Context) error {
		<-release // a computation that never looks at ctx
		return nil
	}}
	defer close(release)
	srv := newServer(t, stuck, nil)
	srv.RequestTimeout = 50 * time.Millisecond
	start := time.Now()
	rec := post(t, srv.Handler(), `{"query":"{ search(text: \"Malopolska\") { id } }"}`, nil)
	if rec.Code != http.StatusServiceUnavailable || decode(t, rec).Errors[0].Extensions.Code != "UNAVAILABLE" {
		t.Errorf("%d %s", rec.Code, rec.Body)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("answered after %s with a 50ms timeout", took)
	}
}

func TestFastRequestsAreUntouchedByTheTimeout(t *testing.T) {
	srv := newServer(t, nil, nil)
	srv.RequestTimeout = 5 * time.Second
	rec := post(t, srv.Handler(), `{"query":"{ entity(id: \"malopolskie\") { id } }"}`, nil)
	if rec.Code != 200 || rec.Body.String() != `{"data":{"entity":{"id":"malopolskie"}}}` {
		t.Errorf("%d %s", rec.Code, rec.Body)
	}
}

func TestAPanicAnswersInternalAndTellsTheClientNothing(t *testing.T) {
	ds := seedDataset(t)
	boom := fakeStore{Store: memstore.New(ds), search: func(context.Context) error {
		panic("secret detail of the implementation")
	}}
	var logs logBuffer
	h := newServer(t, boom, &logs).Handler()
	rec := post(t, h, `{"query":"{ search(text: \"x\") { id } }"}`, map[string]string{"X-Request-Id": "panic-1"})
	resp := decode(t, rec)
	if len(resp.Errors) != 1 || resp.Errors[0].Extensions.Code != "INTERNAL" || strings.Contains(rec.Body.String(), "secret") {
		t.Errorf("%d %s", rec.Code, rec.Body)
	}
	panics := logs.lines(t, "panic in resolver")
	if len(panics) != 1 || panics[0]["request_id"] != "panic-1" || !strings.Contains(fmt.Sprint(panics[0]["panic"]), "secret detail") {
		t.Errorf("panic not logged for the operator: %v", panics)
	}
}

func TestBadJSONIsInvalidArgumentWithoutTheBodyEchoed(t *testing.T) {
	h := newServer(t, nil, nil).Handler()
	rec := post(t, h, `{"query": "{ __typename }", "variables": {"password": "hunter2"`, nil)
	resp := decode(t, rec)
	if rec.Code != http.StatusBadRequest || len(resp.Errors) != 1 || resp.Errors[0].Extensions.Code != "INVALID_ARGUMENT" ||
		!strings.Contains(resp.Errors[0].Message, "could not be decoded") || strings.Contains(rec.Body.String(), "hunter2") {
		t.Errorf("%d %s", rec.Code, rec.Body)
	}
}

// TestComplexityLimitCountsFirst: nested pages of 1000 are refused at the
// default limit, while the same query with small pages runs.
func TestComplexityLimitCountsFirst(t *testing.T) {
	h := newServer(t, nil, nil).Handler()
	const q = `query($n: Int!) { centrality(measure: DEGREE, first: $n) { entity { neighbours(first: $n) { id } } } }`
	resp := graphqltest.Do(t, h, q, map[string]any{"n": 1000})
	if len(resp.Errors) != 1 || resp.Errors[0].Extensions.Code != "LIMIT_EXCEEDED" {
		t.Errorf("first 1000 × 1000: %+v", resp.Errors)
	}
	if resp := graphqltest.Do(t, h, q, map[string]any{"n": 10}); len(resp.Errors) != 0 {
		t.Errorf("first 10 × 10: %+v", resp.Errors)
	}
}

// TestBurstBeyondTheInFlightLimitIsRefused: with every slot taken by
// requests the store holds, further requests are refused at once with 503,
// UNAVAILABLE and Retry-After, the health checks still answer, and once the
// held requests finish the server serves again.
func TestBurstBeyondTheInFlightLimitIsRefused(t *testing.T) {
	release := make(chan struct{})
	var held sync.WaitGroup
	held.Add(2)
	st := fakeStore{Store: memstore.New(seedDataset(t)), search: func(ctx context.Context) error {
		held.Done()
		<-release
		return nil
	}}
	srv := newServer(t, st, nil)
	srv.MaxInFlight = 2
	h := srv.Handler()
	search := `{"query":"{ search(text: \"Malopolska\") { id } }"}`
	done := make(chan int, 2)
	for range 2 {
		go func() { done <- post(t, h, search, nil).Code }()
	}
	held.Wait() // both slots taken
	for range 20 {
		rec := post(t, h, `{"query":"{ entity(id: \"malopolskie\") { id } }"}`, nil)
		if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" ||
			!strings.Contains(rec.Body.String(), `"UNAVAILABLE"`) {
			t.Fatalf("beyond the limit: %d %q %s", rec.Code, rec.Header().Get("Retry-After"), rec.Body.String())
		}
	}
	if rec := get(t, h, "/healthz"); rec.Code != http.StatusOK {
		t.Errorf("/healthz while full: %d", rec.Code)
	}
	close(release)
	for range 2 {
		if code := <-done; code != http.StatusOK {
			t.Errorf("a held request ended with %d", code)
		}
	}
	if rec := post(t, h, search, nil); rec.Code != http.StatusOK {
		t.Errorf("after the burst: %d %s", rec.Code, rec.Body.String())
	}
}

// TestClientLeavingIsNoServerError: a request whose client leaves before
// the answer (the page abandons a ranking it no longer shows) is logged at
// INFO with client_gone, not as an ERROR of the server's.
func TestClientLeavingIsNoServerError(t *testing.T) {
	ds := seedDataset(t)
	started := make(chan struct{})
	slow := fakeStore{Store: memstore.New(ds), search: func(ctx context.Context) error {
		close(started)
		<-ctx.Done()
		return ctx.Err()
	}}
	var logs logBuffer
	h := newServer(t, slow, &logs).Handler()
	ctx, leave := context.WithCancel(context.Background())
	req := httptest.NewRequest(http.MethodPost, "/graphql",
		strings.NewReader(`{"query":"query Left { search(text: \"Malopolska\") { id } }"}`)).WithContext(ctx)
	req.Header.Set("Content-Type", "application/json")
	done := make(chan struct{})
	go func() {
		defer close(done)
		h.ServeHTTP(httptest.NewRecorder(), req)
	}()
	<-started
	leave()
	<-done
	deadline := time.Now().Add(5 * time.Second)
	for len(logs.lines(t, "graphql operation")) == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	ops := logs.lines(t, "graphql operation")
	if len(ops) != 1 || ops[0]["operation"] != "Left" || ops[0]["level"] != "INFO" || ops[0]["client_gone"] != true {
		t.Errorf("operation lines %v, want one at INFO with client_gone", ops)
	}
}
