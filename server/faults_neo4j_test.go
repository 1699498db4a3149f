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
//   - `serve` answers; when Neo4j hangs (SIGSTOP) and when it is stopped,
//     every query answers UNAVAILABLE within the request timeout and
//     /readyz turns 503; when Neo4j is back, queries answer and /readyz is
//     200 again, with the same serve process;
//   - the database is the one `load` left (serve wrote nothing, the faults
//     lost nothing);
//   - neither password appears in any output, log line, answer or
//     /metrics, nor in a resolver's panic (in process, on the same Neo4j).
//
// It needs what scripts/neo4j needs (Java; Maven the first time) and runs
// where the Neo4j tests run (NEO4J_URI set, or COOPGRAPH_REQUIRE_NEO4J).
func TestRealServerRidesOutNeo4jFaultsAndKeepsThePasswordSecret(t *testing.T) {
	storetest.Neo4jTestsRun(t, "the Neo4j fault test")
	const requestTimeout, readyTimeout = 2 * time.Second, time.Second
	slack := 1500 * time.Millisecond // beyond the timeout: scheduling on a loaded machine
	bin := buildCoopgraph(t)
	secret, wrong := randomToken("Cg-pw-"), randomToken("Cg-wrong-")
	n4 := startPrivateNeo4j(t, secret)
	cfg := neo4jstore.Config{URI: n4.uri, User: "neo4j", Password: secret, Database: "neo4j"}
	seedDir := filepath.Join(n4.root, "data", "seed")
	var everything bytes.Buffer // every output, log line, answer and scrape: searched for the passwords
	figures := map[string]any{}

	// A wrong password: load and serve stop, saying why.
	withPassword := func(pw string) []string {
		return cleanEnv("NEO4J_URI="+n4.uri, "NEO4J_USER=neo4j", "NEO4J_PASSWORD="+pw)
	}
	code, out := runCoopgraph(t, bin, withPassword(wrong), time.Minute, "load", "--data", seedDir)
	everything.WriteString(out)
	if code == 0 || !strings.Contains(out, "refused the credentials") {
		t.Errorf("load with a wrong password: exit %d: %s", code, out)
	}
	code, out = runCoopgraph(t, bin, cleanEnv(), time.Minute, "serve", "--addr", "127.0.0.1:0", "--neo4j-uri", n4.uri, "--neo4j-password", wrong, "--log-format", "json")
	everything.WriteString(out)
	if code == 0 || !strings.Contains(out, "refused the credentials") {
		t.Errorf("serve with a wrong password: exit %d: %s", code, out)
	}

	code, out = runCoopgraph(t, bin, withPassword(secret), 2*time.Minute, "load", "--data", seedDir)
	everything.WriteString(out)
	if code != 0 {
		t.Fatalf("load: exit %d: %s", code, out)
	}
	drv := testDriver(t, cfg)
	loaded := databaseDump(t, drv, cfg.Database)

	srv := startServe(t, bin, withPassword(secret), "--log-format", "json", "--log-level", "debug",
		"--request-timeout", requestTimeout.String(), "--ready-timeout", readyTimeout.String(),
		"--write-timeout", "10s", "--refresh-every", "1s")
	client := &http.Client{Timeout: time.Minute}
	readyz := func() gqlAnswer {
		a := send(client, http.MethodGet, srv.base+"/readyz", "", nil)
		everything.Write(a.body)
		return a
	}
	if ok, why := answersNormally(client, srv.base); !ok {
		t.Fatalf("serve does not answer: %s", why)
	}
	if a := readyz(); a.status != 200 {
		t.Fatalf("/readyz: %d %s", a.status, a.body)
	}

	// expectUnavailable checks that every fault query, /readyz and
	// /healthz answer as they must while Neo4j is away.
	expectUnavailable := func(fault string) {
		t.Helper()
		for _, q := range faultQueries {
			a := ask(client, srv.base, q, nil)
			everything.Write(a.body)
			if a.err != nil || !a.onlyCode("UNAVAILABLE") || (a.status != 200 && a.status != 503) {
				t.Errorf("%s: %s answered %d %v %s, want UNAVAILABLE", fault, q, a.status, a.err, a.body)
			}
			if a.took > requestTimeout+slack {
				t.Errorf("%s: %s answered after %s, the request timeout is %s", fault, q, a.took, requestTimeout)
			}
			figures[fault+": slowest UNAVAILABLE answer"] = max(a.took, durationOr(figures[fault+": slowest UNAVAILABLE answer"]))
		}
		start := time.Now()
		if a := readyz(); a.status != 503 || !strings.Contains(string(a.body), `"notReady":["store"]`) {
			t.Errorf("%s: /readyz %d %s, want 503 naming the store", fault, a.status, a.body)
		}
		if took := time.Since(start); took > readyTimeout+slack {
			t.Errorf("%s: /readyz took %s, the ready timeout is %s", fault, took, readyTimeout)
		}
		if a := send(client, http.MethodGet, srv.base+"/healthz", "", nil); a.status != 200 {
			t.Errorf("%s: /healthz %d, want 200 (the process is alive)", fault, a.status)
		}
	}
	expectRecovery := func(fault string) {
		t.Helper()
		took := waitUntil(t, fault+": service resumes", time.Minute, func() (bool, string) {
			if a := readyz(); a.status != 200 {
				return false, fmt.Sprintf("/readyz %d %s", a.status, a.body)
			}
			return answersNormally(client, srv.base)
		})
		figures[fault+": back to normal after Neo4j returned"] = took.Round(time.Millisecond)
		if !srv.running() {
			t.Fatalf("%s: serve exited: %s", fault, srv.stderr)
		}
	}

	// Fault 1: Neo4j hangs (its process paused): connections stay open,
	// nothing answers.
	n4.signal(t, syscall.SIGSTOP)
	expectUnavailable("Neo4j paused (SIGSTOP)")
	n4.signal(t, syscall.SIGCONT)
	expectRecovery("Neo4j paused (SIGSTOP)")

	// Fault 2: Neo4j stops; every answer while it is down is UNAVAILABLE.
	n4.stop(t)
	expectUnavailable("Neo4j stopped")
	downtime := make(chan map[string]int)
	done := make(chan struct{})
	go func() {
		seen := map[string]int{}
		for {
			select {
			case <-done:
				downtime <- seen
				return
			default:
			}
			a := ask(client, srv.base, faultQueries[0], nil)
			everything.Write(a.body)
			seen[outcomeOf(a)]++
			if a.took > requestTimeout+slack {
				seen["slower than the request timeout"]++
			}
			time.Sleep(300 * time.Millisecond)
		}
	}()
	restart := n4.start(t)
	close(done)
	seen := <-downtime
	figures["Neo4j restart took"] = restart.Round(time.Millisecond)
	figures["answers while Neo4j was down"] = seen
	for outcome := range seen {
		// The last probes may meet Neo4j already back.
		if !strings.HasSuffix(outcome, " UNAVAILABLE") && outcome != "200" {
			t.Errorf("while Neo4j restarted: %d answers %q, want UNAVAILABLE", seen[outcome], outcome)
		}
	}
	expectRecovery("Neo4j stopped")

	// Nothing written, nothing lost.
	if after := databaseDump(t, drv, cfg.Database); !bytes.Equal(loaded, after) {
		t.Errorf("the database differs from what load left:\nbefore %.1000s\nafter  %.1000s", loaded, after)
	}

	// A panic in a resolver, on the same Neo4j, in process: its value holds
	// the configuration (password and all) and the driver's error of a
	// refused login.
	var logs logBuffer
	st, err := neo4jstore.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close(context.Background())
	_, refused := neo4jstore.Open(context.Background(), neo4jstore.Config{URI: n4.uri, User: "neo4j", Password: wrong})
	panicking := panicStore{Store: st, value: fmt.Errorf("config %+v, login: %w", cfg, refused)}
	in := &server.Server{Store: panicking, Logger: slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	ds, err := st.Dataset(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	in.SetSnapshot(graph.NewSnapshot(ds))
	h := in.Handler()
	rec := post(t, h, `{"query":"{ search(text: \"Malopolska\") { id } }"}`, nil)
	everything.Write(rec.Body.Bytes())
	if resp := decode(t, rec); len(resp.Errors) != 1 || resp.Errors[0].Extensions.Code != "INTERNAL" {
		t.Errorf("a panic: %d %s", rec.Code, rec.Body)
	}
	if len(logs.lines(t, "panic in resolver")) != 1 {
		t.Errorf("the panic is not logged:\n%s", logs.String())
	}
	everything.WriteString(logs.String())
	fmt.Fprintf(&everything, "%v %+v %#v", cfg, cfg, cfg)
	if refused != nil {
		everything.WriteString(refused.Error())
	}

	metrics := send(client, http.MethodGet, srv.base+"/metrics", "", nil)
	everything.Write(metrics.body)
	if !bytes.Contains(metrics.body, []byte(`coopgraph_store_errors_total{call=`)) {
		t.Errorf("/metrics counts no store error after the faults")
	}
	if code := srv.stop(t); code != 0 {
		t.Errorf("serve exited %d after SIGTERM", code)
	}
	everything.WriteString(srv.stdout.String())
	everything.WriteString(srv.stderr.String())
	logLines := strings.Count(srv.stderr.String(), "\n")

	for _, pw := range []string{secret, wrong} {
		if i := bytes.Index(everything.Bytes(), []byte(pw)); i >= 0 {
			b := everything.Bytes()
			t.Errorf("a password shows: …%s…", b[max(0, i-200):min(len(b), i+100)])
		}
	}
	var told []string // the log lines beside those of each request
	for _, line := range strings.Split(srv.stderr.String(), "\n") {
		if !strings.Contains(line, `"msg":"http request"`) && !strings.Contains(line, `"msg":"graphql operation"`) {
			told = append(told, line)
		}
	}
	if s := strings.Join(told, "\n"); !strings.Contains(s, `"msg":"store not ready","request_id"`) || !strings.Contains(s, "UNAVAILABLE") {
		t.Errorf("the serve log does not tell of the faults:\n%s", s)
	} else {
		t.Logf("serve's log besides requests:\n%s", s)
	}
	figures["bytes searched for the passwords"] = everything.Len()
	figures["serve log lines"] = logLines
	keys := make([]string, 0, len(figures))
	for k := range figures {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		t.Logf("%s: %v", k, figures[k])
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
