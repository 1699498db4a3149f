package server_test

// Helpers for the tests that run the real binary (`coopgraph serve`, `load`)
// as a user does, and a Neo4j of their own (scripts/neo4j with another
// state directory and port), which they may stop, pause and kill without
// disturbing the shared test database.

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// repoRoot is the module's directory (the tests run in server/).
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("no go.mod in %s: %v", root, err)
	}
	return root
}

// buildCoopgraph builds the coopgraph binary into a temporary directory.
func buildCoopgraph(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "coopgraph")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/coopgraph")
	cmd.Dir = repoRoot(t)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// randomToken is a string that occurs nowhere by chance.
func randomToken(prefix string) string {
	b := make([]byte, 9)
	_, _ = rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// cleanEnv is the test's environment without the NEO4J_ and COOPGRAPH_
// settings (which would configure the binary), plus extra.
func cleanEnv(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "NEO4J_") && !strings.HasPrefix(kv, "COOPGRAPH_") {
			env = append(env, kv)
		}
	}
	return append(env, extra...)
}

// runCoopgraph runs the binary to its end and returns its exit code and
// everything it wrote.
func runCoopgraph(t *testing.T, bin string, env []string, timeout time.Duration, args ...string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = env
	cmd.Dir = repoRoot(t)
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("coopgraph %s did not end within %s:\n%s", strings.Join(args, " "), timeout, out)
	}
	code := 0
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			t.Fatalf("coopgraph %s: %v", strings.Join(args, " "), err)
		}
		code = ee.ExitCode()
	}
	return code, string(out)
}

// served is a `coopgraph serve` process.
type served struct {
	cmd            *exec.Cmd
	base           string // http://127.0.0.1:PORT
	stdout, stderr *logBuffer
	exited         chan struct{}
	exitErr        error
}

// startServe starts `coopgraph serve --addr 127.0.0.1:0 args…` and waits
// until it says where it listens. It is stopped with SIGTERM at the end of
// the test. Without --data or Neo4j it serves the seed (data/seed), whose
// answers the tests know, rather than the default linked network.
func startServe(t *testing.T, bin string, env []string, args ...string) *served {
	t.Helper()
	if !slices.Contains(args, "--data") && !slices.Contains(args, "--neo4j-uri") && !slices.ContainsFunc(env, func(v string) bool {
		return strings.HasPrefix(v, "NEO4J_URI=")
	}) {
		args = append(args, "--data", "data/seed")
	}
	s := &served{stdout: &logBuffer{}, stderr: &logBuffer{}, exited: make(chan struct{})}
	s.cmd = exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	s.cmd.Env = env
	s.cmd.Dir = repoRoot(t)
	s.cmd.Stdout, s.cmd.Stderr = s.stdout, s.stderr
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.exitErr = s.cmd.Wait(); close(s.exited) }()
	t.Cleanup(func() { s.stop(t) })
	addr := regexp.MustCompile(`open http://([0-9.:]+)/`)
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := addr.FindStringSubmatch(s.stdout.String()); m != nil {
			s.base = "http://" + m[1]
			return s
		}
		select {
		case <-s.exited:
			t.Fatalf("serve exited (%v):\n%s\n%s", s.exitErr, s.stdout, s.stderr)
		default:
		}
	}
	t.Fatalf("serve did not start:\n%s\n%s", s.stdout, s.stderr)
	return nil
}

// stop sends SIGTERM and waits for the exit; it reports the exit code.
func (s *served) stop(t *testing.T) int {
	select {
	case <-s.exited:
	default:
		_ = s.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-s.exited:
		case <-time.After(30 * time.Second):
			_ = s.cmd.Process.Kill()
			<-s.exited
			t.Errorf("serve did not stop within 30s of SIGTERM")
		}
	}
	return s.cmd.ProcessState.ExitCode()
}

// running reports whether the process is still up.
func (s *served) running() bool {
	select {
	case <-s.exited:
		return false
	default:
		return true
	}
}

// gqlAnswer is one answer of the API as a client sees it.
type gqlAnswer struct {
	status int
	header http.Header
	took   time.Duration
	body   []byte
	err    error // the request failed (connection)
	Data   json.RawMessage
	Errors []struct {
		Message    string
		Extensions struct{ Code string }
	}
}

// codes lists the answer's error codes.
func (a gqlAnswer) codes() []string {
	var out []string
	for _, e := range a.Errors {
		out = append(out, e.Extensions.Code)
	}
	return out
}

// onlyCode reports whether every error is code and there is one at least.
func (a gqlAnswer) onlyCode(code string) bool {
	for _, e := range a.Errors {
		if e.Extensions.Code != code {
			return false
		}
	}
	return len(a.Errors) > 0
}

// ask posts a GraphQL document with client.
func ask(client *http.Client, base, query string, vars map[string]any) gqlAnswer {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	return send(client, http.MethodPost, base+"/graphql", "application/json", bytes.NewReader(body))
}

func send(client *http.Client, method, url, contentType string, body io.Reader) gqlAnswer {
	var a gqlAnswer
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		a.err = err
		return a
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		a.err, a.took = err, time.Since(start)
		return a
	}
	a.body, a.err = io.ReadAll(resp.Body)
	resp.Body.Close()
	a.took, a.status, a.header = time.Since(start), resp.StatusCode, resp.Header
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		_ = json.Unmarshal(a.body, &a)
	}
	return a
}

// freePort is a TCP port on 127.0.0.1 nobody listens on now.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// privateNeo4j is a Neo4j of the test's own, run by scripts/neo4j in a
// state directory of its own, on its own port, without HTTP. It reuses the
// shared server's build (NEO4J_BUILD_DIR), so it starts without Maven when
// scripts/neo4j start ran once.
type privateNeo4j struct {
	uri, password string
	env           []string
	root          string
}

func startPrivateNeo4j(t *testing.T, password string) *privateNeo4j {
	t.Helper()
	root := repoRoot(t)
	state := t.TempDir()
	port := freePort(t)
	n := &privateNeo4j{
		uri: fmt.Sprintf("bolt://127.0.0.1:%d", port), password: password, root: root,
		env: cleanEnv("NEO4J_STATE_DIR="+state, "NEO4J_BUILD_DIR="+filepath.Join(root, ".neo4j", "build"),
			"NEO4J_PORT="+strconv.Itoa(port), "NEO4J_HTTP_PORT=off", "NEO4J_HEAP=512m", "NEO4J_PAGECACHE_MB=64",
			"NEO4J_PASSWORD="+password, "NEO4J_STOP_TIMEOUT=20"),
	}
	// Registered after TempDir's own cleanup, so it runs before it.
	t.Cleanup(func() {
		n.signal(t, syscall.SIGCONT) // a paused server would ignore SIGTERM
		_, _ = n.script("stop")
	})
	n.start(t)
	return n
}

// script runs scripts/neo4j with the private settings.
func (n *privateNeo4j) script(args ...string) (string, error) {
	cmd := exec.Command(filepath.Join(n.root, "scripts", "neo4j"), args...)
	cmd.Env = n.env
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func (n *privateNeo4j) start(t *testing.T) time.Duration {
	t.Helper()
	start := time.Now()
	if out, err := n.script("start"); err != nil {
		t.Fatalf("scripts/neo4j start (private): %v\n%s", err, out)
	}
	return time.Since(start)
}

func (n *privateNeo4j) stop(t *testing.T) {
	t.Helper()
	if out, err := n.script("stop"); err != nil {
		t.Fatalf("scripts/neo4j stop (private): %v\n%s", err, out)
	}
}

// signal sends sig to the private server's JVM.
func (n *privateNeo4j) signal(t *testing.T, sig syscall.Signal) {
	t.Helper()
	var state string
	for _, kv := range n.env {
		if v, ok := strings.CutPrefix(kv, "NEO4J_STATE_DIR="); ok {
			state = v
		}
	}
	b, err := os.ReadFile(filepath.Join(state, "neo4j.pid"))
	if err != nil {
		return // not running
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		t.Fatalf("pid file: %q", b)
	}
	if err := syscall.Kill(pid, sig); err != nil {
		t.Logf("signal %v to Neo4j %d: %v", sig, pid, err)
	}
}
