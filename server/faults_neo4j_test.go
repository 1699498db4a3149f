package server_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/graph"
	"github.com/coopgraph/coopgraph/neo4jstore"
	"github.com/coopgraph/coopgraph/server"
	"github.com/coopgraph/coopgraph/storetest"
)

// faultQueries reach Neo4j: search text, an entity with its neighbours,
// and a path whose entities are read back from the store.
var faultQueries = []string{
	`query Search { search(text: "Malopolska", first: 3) { id } }`,
	`query Neighbours { entity(id: "malopolskie") { name neighbours(first: 5) { id } } }`,
	`query Path { shortestPath(from: "opolskie", to: "malopolskie") { length nodes { id name } } }`,
}

// answersNormally reports whether every fault query is answered with data.
func answersNormally(client *http.Client, base string) (bool, string) {
	for _, q := range faultQueries {
		a := ask(client, base, q, nil)
		if a.err != nil || a.status != 200 || len(a.Errors) > 0 {
			return false, fmt.Sprintf("%s: %d %v %.200s", q, a.status, a.err, a.body)
		}
	}
	return true, ""
}

// waitUntil polls cond every 200ms for up to limit and returns how long it
// took to hold, or fails.
func waitUntil(t *testing.T, what string, limit time.Duration, cond func() (bool, string)) time.Duration {
	t.Helper()
	start := time.Now()
	last := ""
	for time.Since(start) < limit {
		ok, why := cond()
		if ok {
			return time.Since(start)
		}
		last = why
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("%s: not within %s; last: %s", what, limit, last)
	return 0
}

// TestRealServerRidesOutNeo4jFaultsAndKeepsThePasswordSecret runs the real
// binary against a Neo4j of its own, with a distinctive password:
//
//   - `load` and `serve` with a wrong password refuse, saying so;
//   - `serve --read-model=false` (every read asks Neo4j) answers; when
//     Neo4j hangs (SIGSTOP) and when it is stopped, every query answers
//     UNAVAILABLE within the request timeout and /readyz turns 503; when
//     Neo4j is back, queries answer and /readyz is 200 again, with the
//     same serve process;
//   - `serve` with the read model (the default) goes on answering every
//     query from the load it read while Neo4j hangs or is stopped, and
//     /readyz turns 503 (the store) all the same;
//   - the database is the one `load` left (serve wrote nothing, the faults
//     lost nothing);
//   - neither password appears in any output, log line, answer or
//     /metrics, nor in a resolver's panic (in process, on the same Neo4j).
//
// It needs what scripts/neo4j needs (Java; Maven the first time) and runs
// where the Neo4j tests run (NEO4J_URI set, or COOPGRAPH_REQUIRE_NEO4J).
func TestRealServerRidesOutNeo4jFaultsAndKeepsThePasswordSecret(t *testing.T) {
	storetest.Neo4jTestsRun(t, "the Neo4j fault test")
	bin := buildCoopgraph(t)
	secret, wrong := randomToken("Cg-pw-"), randomToken("Cg-wrong-")
	n4 := startPrivateNeo4j(t, secret)
	cfg := neo4jstore.Config{URI: n4.uri, User: "neo4j", Password: secret, Database: "neo4j"}
	f := &faultRun{t: t, n4: n4, figures: map[string]any{},
		requestTimeout: 2 * time.Second, readyTimeout: time.Second,
		slack: 1500 * time.Millisecond, // beyond the timeout: scheduling on a loaded machine
	}

	// A wrong password: load and serve stop, saying why.
	f.checkWrongPasswordRefused(bin, wrong)
	f.load(bin, secret)
	drv := testDriver(t, cfg)
	loaded := databaseDump(t, drv, cfg.Database)
	f.serve(bin, secret)
	model := f.serveReadModel(bin, secret)

	// Fault 1: Neo4j hangs (its process paused): connections stay open,
	// nothing answers.
	n4.signal(t, syscall.SIGSTOP)
	f.expectUnavailable("Neo4j paused (SIGSTOP)")
	f.expectReadModelAnswers(model, "Neo4j paused (SIGSTOP)")
	n4.signal(t, syscall.SIGCONT)
	f.expectRecovery("Neo4j paused (SIGSTOP)")

	// Fault 2: Neo4j stops; every answer while it is down is UNAVAILABLE.
	n4.stop(t)
	f.expectUnavailable("Neo4j stopped")
	f.expectReadModelAnswers(model, "Neo4j stopped")
	f.restartUnderProbes()
	f.expectRecovery("Neo4j stopped")
	if code := model.stop(t); code != 0 {
		t.Errorf("serve with the read model exited %d after SIGTERM", code)
	}
	f.everything.WriteString(model.stdout.String())
	f.everything.WriteString(model.stderr.String())

	// Nothing written, nothing lost.
	if after := databaseDump(t, drv, cfg.Database); !bytes.Equal(loaded, after) {
		t.Errorf("the database differs from what load left:\nbefore %.1000s\nafter  %.1000s", loaded, after)
	}

	f.checkResolverPanic(cfg, wrong)
	f.checkMetricsCountStoreErrors()
	if code := f.srv.stop(t); code != 0 {
		t.Errorf("serve exited %d after SIGTERM", code)
	}
	f.everything.WriteString(f.srv.stdout.String())
	f.everything.WriteString(f.srv.stderr.String())
	logLines := strings.Count(f.srv.stderr.String(), "\n")

	f.checkNoPasswordShows(secret, wrong)
	f.checkLogTellsOfFaults()
	f.figures["bytes searched for the passwords"] = f.everything.Len()
	f.figures["serve log lines"] = logLines
	f.logFigures()
}

// faultRun is the fault test's serve on its private Neo4j, with what it
// gathers on the way.
type faultRun struct {
	t      *testing.T
	n4     *privateNeo4j
	srv    *served
	client *http.Client

	requestTimeout, readyTimeout, slack time.Duration

	everything bytes.Buffer   // every output, log line, answer and scrape: searched for the passwords
	figures    map[string]any // logged at the end
}

// env is the environment that points coopgraph at the private Neo4j with
// the password pw.
func (f *faultRun) env(pw string) []string {
	return cleanEnv("NEO4J_URI="+f.n4.uri, "NEO4J_USER=neo4j", "NEO4J_PASSWORD="+pw)
}

// checkWrongPasswordRefused: load and serve with the password wrong stop,
// saying Neo4j refused the credentials.
func (f *faultRun) checkWrongPasswordRefused(bin, wrong string) {
	t := f.t
	t.Helper()
	seedDir := filepath.Join(f.n4.root, "data", "seed")
	code, out := runCoopgraph(t, bin, f.env(wrong), time.Minute, "load", "--data", seedDir)
	f.everything.WriteString(out)
	if code == 0 || !strings.Contains(out, "refused the credentials") {
		t.Errorf("load with a wrong password: exit %d: %s", code, out)
	}
	code, out = runCoopgraph(t, bin, cleanEnv(), time.Minute, "serve", "--addr", "127.0.0.1:0", "--neo4j-uri", f.n4.uri, "--neo4j-password", wrong, "--log-format", "json")
	f.everything.WriteString(out)
	if code == 0 || !strings.Contains(out, "refused the credentials") {
		t.Errorf("serve with a wrong password: exit %d: %s", code, out)
	}
}

// load loads the seed dataset with the right password, or fails.
func (f *faultRun) load(bin, secret string) {
	t := f.t
	t.Helper()
	seedDir := filepath.Join(f.n4.root, "data", "seed")
	code, out := runCoopgraph(t, bin, f.env(secret), 2*time.Minute, "load", "--data", seedDir)
	f.everything.WriteString(out)
	if code != 0 {
		t.Fatalf("load: exit %d: %s", code, out)
	}
}

// serve starts serve with the right password and the test's timeouts, and
// fails unless it answers and is ready.
func (f *faultRun) serve(bin, secret string) {
	t := f.t
	t.Helper()
	f.srv = startServe(t, bin, f.env(secret), "--log-format", "json", "--log-level", "debug",
		"--request-timeout", f.requestTimeout.String(), "--ready-timeout", f.readyTimeout.String(),
		"--write-timeout", "10s", "--refresh-every", "1s", "--read-model=false")
	f.client = &http.Client{Timeout: time.Minute}
	// Every read asks Neo4j, whose first reads of a hub's neighbours on a
	// cold JVM may outlast the 2 s request timeout on a loaded machine.
	f.figures["serve answers after"] = waitUntil(t, "serve answers", time.Minute, func() (bool, string) {
		return answersNormally(f.client, f.srv.base)
	}).Round(time.Millisecond)
	if a := f.readyz(); a.status != 200 {
		t.Fatalf("/readyz: %d %s", a.status, a.body)
	}
}

// serveReadModel starts a second serve on the same Neo4j, with the read
// model (the default).
func (f *faultRun) serveReadModel(bin, secret string) *served {
	t := f.t
	t.Helper()
	s := startServe(t, bin, f.env(secret), "--log-format", "json",
		"--request-timeout", f.requestTimeout.String(), "--ready-timeout", f.readyTimeout.String(),
		"--write-timeout", "10s", "--refresh-every", "1s")
	if ok, why := answersNormally(f.client, s.base); !ok {
		t.Fatalf("serve with the read model does not answer: %s", why)
	}
	return s
}

// expectReadModelAnswers checks that serve with the read model answers
// every fault query from the load it read while Neo4j is away, and that
// its /readyz still says the store is not ready.
func (f *faultRun) expectReadModelAnswers(s *served, fault string) {
	t := f.t
	t.Helper()
	if ok, why := answersNormally(f.client, s.base); !ok {
		t.Errorf("%s: serve with the read model: %s, want answers from the load it read", fault, why)
	}
	a := send(f.client, http.MethodGet, s.base+"/readyz", "", nil)
	f.everything.Write(a.body)
	if a.status != 503 || !strings.Contains(string(a.body), `"notReady":["store"]`) {
		t.Errorf("%s: serve with the read model: /readyz %d %s, want 503 naming the store", fault, a.status, a.body)
	}
}

// readyz asks /readyz.
func (f *faultRun) readyz() gqlAnswer {
	a := send(f.client, http.MethodGet, f.srv.base+"/readyz", "", nil)
	f.everything.Write(a.body)
	return a
}

// expectUnavailable checks that every fault query, /readyz and /healthz
// answer as they must while Neo4j is away.
func (f *faultRun) expectUnavailable(fault string) {
	t := f.t
	t.Helper()
	for _, q := range faultQueries {
		a := ask(f.client, f.srv.base, q, nil)
		f.everything.Write(a.body)
		if a.err != nil || !a.onlyCode("UNAVAILABLE") || (a.status != 200 && a.status != 503) {
			t.Errorf("%s: %s answered %d %v %s, want UNAVAILABLE", fault, q, a.status, a.err, a.body)
		}
		if a.took > f.requestTimeout+f.slack {
			t.Errorf("%s: %s answered after %s, the request timeout is %s", fault, q, a.took, f.requestTimeout)
		}
		f.figures[fault+": slowest UNAVAILABLE answer"] = max(a.took, durationOr(f.figures[fault+": slowest UNAVAILABLE answer"]))
	}
	start := time.Now()
	if a := f.readyz(); a.status != 503 || !strings.Contains(string(a.body), `"notReady":["store"]`) {
		t.Errorf("%s: /readyz %d %s, want 503 naming the store", fault, a.status, a.body)
	}
	if took := time.Since(start); took > f.readyTimeout+f.slack {
		t.Errorf("%s: /readyz took %s, the ready timeout is %s", fault, took, f.readyTimeout)
	}
	if a := send(f.client, http.MethodGet, f.srv.base+"/healthz", "", nil); a.status != 200 {
		t.Errorf("%s: /healthz %d, want 200 (the process is alive)", fault, a.status)
	}
}

// expectRecovery waits until serve is ready and answers normally again,
// the same process.
func (f *faultRun) expectRecovery(fault string) {
	t := f.t
	t.Helper()
	took := waitUntil(t, fault+": service resumes", time.Minute, func() (bool, string) {
		if a := f.readyz(); a.status != 200 {
			return false, fmt.Sprintf("/readyz %d %s", a.status, a.body)
		}
		return answersNormally(f.client, f.srv.base)
	})
	f.figures[fault+": back to normal after Neo4j returned"] = took.Round(time.Millisecond)
	if !f.srv.running() {
		t.Fatalf("%s: serve exited: %s", fault, f.srv.stderr)
	}
}

// restartUnderProbes starts the stopped Neo4j again while a probe asks a
// fault query every 300 ms; every answer while it is down must be
// UNAVAILABLE.
func (f *faultRun) restartUnderProbes() {
	t := f.t
	t.Helper()
	downtime := make(chan map[string]int)
	done := make(chan struct{})
	go func() { downtime <- f.probeUntil(done) }()
	restart := f.n4.start(t)
	close(done)
	seen := <-downtime
	f.figures["Neo4j restart took"] = restart.Round(time.Millisecond)
	f.figures["answers while Neo4j was down"] = seen
	for outcome := range seen {
		// The last probes may meet Neo4j already back.
		if !strings.HasSuffix(outcome, " UNAVAILABLE") && outcome != "200" {
			t.Errorf("while Neo4j restarted: %d answers %q, want UNAVAILABLE", seen[outcome], outcome)
		}
	}
}

// probeUntil asks the first fault query every 300 ms until done is closed
// and returns how many answers had each outcome.
func (f *faultRun) probeUntil(done <-chan struct{}) map[string]int {
	seen := map[string]int{}
	for {
		select {
		case <-done:
			return seen
		default:
		}
		a := ask(f.client, f.srv.base, faultQueries[0], nil)
		f.everything.Write(a.body)
		seen[outcomeOf(a)]++
		if a.took > f.requestTimeout+f.slack {
			seen["slower than the request timeout"]++
		}
		time.Sleep(300 * time.Millisecond)
	}
}

// checkResolverPanic makes a resolver panic, on the same Neo4j, in
// process: its value holds the configuration (password and all) and the
// driver's error of a refused login. The answer is INTERNAL and the panic
// logged.
func (f *faultRun) checkResolverPanic(cfg neo4jstore.Config, wrong string) {
	t := f.t
	t.Helper()
	var logs logBuffer
	st, err := neo4jstore.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		st.Close(context.Background())
	})
	_, refused := neo4jstore.Open(context.Background(), neo4jstore.Config{URI: f.n4.uri, User: "neo4j", Password: wrong})
	panicking := panicStore{Store: st, value: fmt.Errorf("config %+v, login: %w", cfg, refused)}
	in := &server.Server{Store: panicking, Logger: slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	ds, err := st.Dataset(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	in.SetSnapshot(graph.NewSnapshot(ds))
	h := in.Handler()
	rec := post(t, h, `{"query":"{ search(text: \"Malopolska\") { id } }"}`, nil)
	f.everything.Write(rec.Body.Bytes())
	if resp := decode(t, rec); len(resp.Errors) != 1 || resp.Errors[0].Extensions.Code != "INTERNAL" {
		t.Errorf("a panic: %d %s", rec.Code, rec.Body)
	}
	if len(logs.lines(t, "panic in resolver")) != 1 {
		t.Errorf("the panic is not logged:\n%s", logs.String())
	}
	f.everything.WriteString(logs.String())
	fmt.Fprintf(&f.everything, "%v %+v %#v", cfg, cfg, cfg)
	if refused != nil {
		f.everything.WriteString(refused.Error())
	}
}

// checkMetricsCountStoreErrors: /metrics counts the store's errors.
func (f *faultRun) checkMetricsCountStoreErrors() {
	f.t.Helper()
	metrics := send(f.client, http.MethodGet, f.srv.base+"/metrics", "", nil)
	f.everything.Write(metrics.body)
	if !bytes.Contains(metrics.body, []byte(`coopgraph_store_errors_total{call=`)) {
		f.t.Errorf("/metrics counts no store error after the faults")
	}
}

// checkNoPasswordShows: neither password is in anything gathered.
func (f *faultRun) checkNoPasswordShows(passwords ...string) {
	f.t.Helper()
	for _, pw := range passwords {
		if i := bytes.Index(f.everything.Bytes(), []byte(pw)); i >= 0 {
			b := f.everything.Bytes()
			f.t.Errorf("a password shows: …%s…", b[max(0, i-200):min(len(b), i+100)])
		}
	}
}

// checkLogTellsOfFaults: besides the lines of each request, serve's log
// tells the store was not ready, and why.
func (f *faultRun) checkLogTellsOfFaults() {
	f.t.Helper()
	var told []string // the log lines beside those of each request
	for _, line := range strings.Split(f.srv.stderr.String(), "\n") {
		if !strings.Contains(line, `"msg":"http request"`) && !strings.Contains(line, `"msg":"graphql operation"`) {
			told = append(told, line)
		}
	}
	if s := strings.Join(told, "\n"); !strings.Contains(s, `"msg":"store not ready","request_id"`) || !strings.Contains(s, "UNAVAILABLE") {
		f.t.Errorf("the serve log does not tell of the faults:\n%s", s)
	} else {
		f.t.Logf("serve's log besides requests:\n%s", s)
	}
}

// logFigures logs the figures in the order of their names.
func (f *faultRun) logFigures() {
	f.t.Helper()
	keys := make([]string, 0, len(f.figures))
	for k := range f.figures {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		f.t.Logf("%s: %v", k, f.figures[k])
	}
}

func durationOr(v any) time.Duration {
	d, _ := v.(time.Duration)
	return d
}

// panicStore panics in Search with value.
type panicStore struct {
	coopgraph.Store
	value any
}

func (p panicStore) Search(context.Context, string, []string, int) ([]coopgraph.Entity, error) {
	panic(p.value)
}
