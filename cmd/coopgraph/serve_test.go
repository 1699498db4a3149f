package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io"
	"log/slog"
	"net"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coopgraph/coopgraph/server"
)

// syncBuffer is written by the server's goroutines while the test reads.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// logMessages returns the msg of each JSON log line, in order.
func logMessages(t *testing.T, logs string) []string {
	t.Helper()
	var msgs []string
	sc := bufio.NewScanner(strings.NewReader(logs))
	for sc.Scan() {
		var rec struct{ Msg string }
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("log line %q is not JSON: %v", sc.Text(), err)
		}
		msgs = append(msgs, rec.Msg)
	}
	return msgs
}

func indexOf(msgs []string, msg string) int {
	for i, m := range msgs {
		if m == msg {
			return i
		}
	}
	return -1
}

// TestServeAnswersThenShutsDownOnTheSignal runs `coopgraph serve` as a user
// does, configured by environment variables, and stops it as SIGTERM does
// (main cancels the context on the signal).
func TestServeAnswersThenShutsDownOnTheSignal(t *testing.T) {
	t.Setenv("COOPGRAPH_LOG_FORMAT", "json")
	t.Setenv("COOPGRAPH_REQUEST_TIMEOUT", "20s")
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	var stdout, stderr syncBuffer
	exit := make(chan int, 1)
	go func() {
		exit <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--neo4j-uri", ""}, &stdout, &stderr)
	}()

	addrRe := regexp.MustCompile(`open http://([0-9.:]+)/`)
	var addr string
	for deadline := time.Now().Add(30 * time.Second); addr == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := addrRe.FindStringSubmatch(stdout.String()); m != nil {
			addr = m[1]
		}
		select {
		case code := <-exit:
			t.Fatalf("serve exited %d: %s %s", code, stdout.String(), stderr.String())
		default:
		}
	}
	if addr == "" {
		t.Fatalf("serve did not start: %q %q", stdout.String(), stderr.String())
	}
	base := "http://" + addr
	for path, want := range map[string]int{"/healthz": 200, "/readyz": 200, "/metrics": 200} {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("%s: %d, want %d", path, resp.StatusCode, want)
		}
	}
	resp, err := http.Post(base+"/graphql", "application/json", strings.NewReader(`{"query":"query Home { entity(id: \"malopolskie\") { name } }"}`))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), "Małopolsk") {
		t.Errorf("graphql: %s", body)
	}

	stop()
	select {
	case code := <-exit:
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop")
	}
	msgs := logMessages(t, stderr.String())
	order := []string{"serving", "graphql operation", "shutting down: taking no new requests, letting those in flight finish", "server stopped", "store closed"}
	last := -1
	for _, m := range order {
		i := indexOf(msgs, m)
		if i <= last {
			t.Errorf("log %q at %d, want it after %d; log: %q", m, i, last, msgs)
		}
		last = i
	}
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Error("still answering after shutdown")
	}
}

// TestShutdownLetsTheRequestInFlightFinish: the signal comes while a slow
// request runs; it gets its whole answer, and then serving stops.
func TestShutdownLetsTheRequestInFlightFinish(t *testing.T) {
	started := make(chan struct{})
	handlerErr := make(chan error, 1)
	hs := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		select {
		case <-time.After(300 * time.Millisecond):
		case <-r.Context().Done():
			handlerErr <- r.Context().Err()
		}
		_, _ = w.Write([]byte("finished"))
	})}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var logs syncBuffer
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- serveUntilDone(ctx, hs, ln, 10*time.Second, slog.New(slog.NewJSONHandler(&logs, nil)))
	}()

	answer := make(chan string, 1)
	go func() {
		resp, err := http.Get("http://" + ln.Addr().String() + "/slow")
		if err != nil {
			answer <- "error: " + err.Error()
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		answer <- string(b)
	}()
	<-started
	stop() // SIGTERM while the request is in flight
	if got := <-answer; got != "finished" {
		t.Errorf("the request in flight got %q", got)
	}
	select {
	case err := <-handlerErr:
		t.Errorf("the request in flight was cancelled: %v", err)
	default:
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serveUntilDone did not return")
	}
	if _, err := net.DialTimeout("tcp", ln.Addr().String(), time.Second); err == nil {
		t.Error("still accepting connections after shutdown")
	}
	if msgs := logMessages(t, logs.String()); indexOf(msgs, "server stopped") < 0 {
		t.Errorf("log %q", msgs)
	}
}

// TestShutdownTimeoutCancelsWhatIsStillRunning: a request that would run
// past the shutdown timeout has its context cancelled, and serving stops
// within about the timeout.
func TestShutdownTimeoutCancelsWhatIsStillRunning(t *testing.T) {
	started := make(chan struct{})
	cancelled := make(chan struct{})
	hs := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		select {
		case <-r.Context().Done():
			close(cancelled)
		case <-time.After(time.Minute):
		}
	})}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var logs syncBuffer
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- serveUntilDone(ctx, hs, ln, 100*time.Millisecond, slog.New(slog.NewJSONHandler(&logs, nil)))
	}()
	go func() {
		if resp, err := http.Get("http://" + ln.Addr().String() + "/stuck"); err == nil {
			resp.Body.Close()
		}
	}()
	<-started
	start := time.Now()
	stop()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("serveUntilDone did not return")
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("stopping took %s with a 100ms shutdown timeout", took)
	}
	select {
	case <-cancelled:
	case <-time.After(5 * time.Second):
		t.Error("the request still running was never cancelled")
	}
	if msgs := logMessages(t, logs.String()); indexOf(msgs, "shutdown timeout: cancelling the requests still in flight") < 0 {
		t.Errorf("log %q", msgs)
	}
}

// parseServe parses serve's flags and applies their environment, as serve
// does before anything else.
func parseServe(args ...string) (*serveFlags, error) {
	var f serveFlags
	var d datasetFlags
	var n neo4jFlags
	if _, err := parseFlags("serve", args, 0, &f, &d, &n); err != nil {
		return nil, err
	}
	return &f, f.applyEnv()
}

func TestServeSettingsFromFlagsAndEnvironment(t *testing.T) {
	f, err := parseServe()
	if err != nil || f.requestTimeout != 30*time.Second || f.logFormat != "text" || f.maxDepth != 12 || f.addr != "127.0.0.1:8080" {
		t.Fatalf("defaults: %+v, %v", f, err)
	}

	t.Setenv("COOPGRAPH_REQUEST_TIMEOUT", "5s")
	t.Setenv("COOPGRAPH_LOG_LEVEL", "debug")
	t.Setenv("COOPGRAPH_MAX_BODY_BYTES", "4096")
	t.Setenv("COOPGRAPH_ADDR", "127.0.0.1:9999")
	f, err = parseServe("--max-body-bytes", "8192")
	if err != nil || f.requestTimeout != 5*time.Second || f.logLevel != slog.LevelDebug || f.maxBodyBytes != 8192 || f.addr != "127.0.0.1:9999" {
		t.Errorf("environment, and a flag over it: %+v, %v", f, err)
	}

	for env, want := range map[string]string{
		"COOPGRAPH_REQUEST_TIMEOUT":  `COOPGRAPH_REQUEST_TIMEOUT="soon"`,
		"COOPGRAPH_LOG_FORMAT":       `--log-format "soon"`,
		"COOPGRAPH_LOG_LEVEL":        `COOPGRAPH_LOG_LEVEL="soon"`,
		"COOPGRAPH_MAX_DEPTH":        `COOPGRAPH_MAX_DEPTH="soon"`,
		"COOPGRAPH_SHUTDOWN_TIMEOUT": `COOPGRAPH_SHUTDOWN_TIMEOUT="soon"`,
	} {
		t.Run(env, func(t *testing.T) {
			t.Setenv(env, "soon")
			if _, err := parseServe(); err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("%s=soon: %v, want an error with %s", env, err, want)
			}
		})
	}
	if _, err := parseServe("--write-timeout", "5s"); err == nil || !strings.Contains(err.Error(), "--write-timeout 5s must be longer than --request-timeout 5s") {
		t.Errorf("write timeout within the request timeout: %v", err)
	}
	if _, err := parseServe("--max-depth", "0"); err == nil || !strings.Contains(err.Error(), "--max-depth 0") {
		t.Errorf("depth 0: %v", err)
	}
}

// TestServeAdmissionSettings: the limits on GraphQL documents and
// operations, and the operation names kept in /metrics, come from flags
// or the environment.
func TestServeAdmissionSettings(t *testing.T) {
	f, err := parseServe()
	if err != nil || f.maxQueryBytes != server.MaxQueryBytes || f.maxTokens != server.MaxTokens || f.maxSelections != server.MaxSelections ||
		f.maxRepeats != server.MaxRepeats || f.maxAnalytics != server.MaxAnalytics || f.operationNames != nil {
		t.Fatalf("defaults: %+v, %v", f, err)
	}
	t.Setenv("COOPGRAPH_MAX_QUERY_BYTES", "1000")
	t.Setenv("COOPGRAPH_MAX_TOKENS", "200")
	t.Setenv("COOPGRAPH_MAX_SELECTIONS", "50")
	t.Setenv("COOPGRAPH_MAX_REPEATS", "5")
	t.Setenv("COOPGRAPH_MAX_ANALYTICS", "1")
	t.Setenv("COOPGRAPH_OPERATION_NAMES", "Nightly, Weekly")
	f, err = parseServe("--max-analytics", "2")
	if err != nil || f.maxQueryBytes != 1000 || f.maxTokens != 200 || f.maxSelections != 50 || f.maxRepeats != 5 || f.maxAnalytics != 2 ||
		!slices.Equal(f.operationNames, []string{"Nightly", "Weekly"}) {
		t.Errorf("environment, and a flag over it: %+v, %v", f, err)
	}
	for _, name := range []string{"max-query-bytes", "max-tokens", "max-selections", "max-repeats", "max-analytics"} {
		if _, err := parseServe("--"+name, "0"); err == nil || !strings.Contains(err.Error(), "--"+name+" 0") {
			t.Errorf("--%s 0: %v", name, err)
		}
	}
}

func TestRedactURI(t *testing.T) {
	for in, want := range map[string]string{
		"neo4j://reader:hunter2@db.example:7687": "neo4j://db.example:7687",
		"bolt://127.0.0.1:7687":                  "bolt://127.0.0.1:7687",
	} {
		if got := redactURI(in); got != want || strings.Contains(got, "hunter2") {
			t.Errorf("redactURI(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestHelpNeverShowsThePassword: -h prints flags' defaults, and the
// password's default comes from NEO4J_PASSWORD.
func TestHelpNeverShowsThePassword(t *testing.T) {
	t.Setenv("NEO4J_PASSWORD", "help-must-not-show-this")
	var n neo4jFlags
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	var out strings.Builder
	fs.SetOutput(&out)
	n.register(fs)
	fs.PrintDefaults()
	if strings.Contains(out.String(), "help-must-not-show-this") || !strings.Contains(out.String(), "neo4j-password") {
		t.Errorf("flags' help:\n%s", out.String())
	}
	if n.Password != "help-must-not-show-this" {
		t.Errorf("the password from the environment was not taken: %q", n.Password)
	}
	if err := fs.Parse([]string{"--neo4j-password", "given"}); err != nil || n.Password != "given" {
		t.Errorf("--neo4j-password: %v, %q", err, n.Password)
	}
}
