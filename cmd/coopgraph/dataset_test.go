package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestValidateBounds: each bound on reading a dataset is a flag and an
// environment variable, the flag winning; a refusal names the file, the
// line and the flag.
func TestValidateBounds(t *testing.T) {
	dir := writeFiles(t, map[string]string{"nodes.csv": "id,kind,name\na,Region,A\nb,Region,B\nc,Region,Cracow\n"})
	expect := func(wantCode int, want string, args ...string) {
		t.Helper()
		code, out, errOut := runCmd(t, append([]string{"validate", "--data", dir}, args...)...)
		if code != wantCode || !strings.Contains(out+errOut, want) {
			t.Errorf("validate %q: exit %d, %s%s; want exit %d and %q", args, code, out, errOut, wantCode, want)
		}
	}
	expect(0, "valid: 3 entities")
	expect(1, "nodes.csv:4: more than 2 entities in the dataset: raise the limit with --max-entities", "--max-entities", "2")
	expect(1, "nodes.csv:2: the cell in column 2 is longer than 5 bytes: raise the limit with --max-field-bytes", "--max-field-bytes", "5")
	expect(1, "nodes.csv:4: the line is longer than 12 bytes: raise the limit with --max-line-bytes", "--max-line-bytes", "12")
	expect(1, "nodes.csv:2: the file is larger than 20 bytes", "--max-file-bytes", "20")
	expect(1, "nodes.csv:3: the files of the dataset hold more than 30 bytes together", "--max-dataset-bytes", "30")
	expect(1, "nodes.csv:4: the line is longer than 12 bytes", "--max-yaml-bytes", "1", "--max-line-bytes", "12") // YAML only
	expect(1, "--max-relations -1: give a positive number", "--max-relations", "-1")
	expect(1, "--max-gzip-ratio 0: give a positive number", "--max-gzip-ratio", "0")

	// Every command that reads a dataset takes the bounds. serve takes the
	// embedded store's --data only without Neo4j, which scripts/test sets.
	t.Setenv("NEO4J_URI", "")
	for _, args := range [][]string{
		{"serve", "--addr", "127.0.0.1:0"},
		{"export", "--format", "graphml", "--out", "-"},
		{"centrality", "--measure", "degree"},
		{"load", "--neo4j-uri", "bolt://127.0.0.1:1"}, // validated before connecting
	} {
		code, out, errOut := runCmd(t, append(args, "--data", dir, "--max-entities", "2")...)
		if code != 1 || !strings.Contains(errOut, "nodes.csv:4: more than 2 entities") {
			t.Errorf("%s: exit %d, %s%s", args[0], code, out, errOut)
		}
	}

	t.Setenv("COOPGRAPH_MAX_ENTITIES", "2")
	expect(1, "more than 2 entities", "--max-field-bytes", "1000")
	expect(0, "valid: 3 entities", "--max-entities", "3")
	t.Setenv("COOPGRAPH_MAX_ENTITIES", "many")
	expect(1, `COOPGRAPH_MAX_ENTITIES="many"`)
}

// TestValidateOutsideFiles: a participation table outside the dataset
// directory is refused at its line unless --allow-outside-files (or its
// variable) allows it.
// TestValidateWarnings: a published table's defects do not stop validate,
// which prints how many and the first few, each at file:line.
func TestValidateWarnings(t *testing.T) {
	rows := "p;o;lead\n1;A;Yes\n1;a;No\n2;B;No\n"
	for i := 3; i <= 8; i++ {
		rows += fmt.Sprintf("%d;B;No\n%d;B;No\n", i, i) // B twice in project i
	}
	dir := writeFiles(t, map[string]string{
		"t.csv":  rows,
		"p.yaml": "participations:\n  - table: t.csv\n    delimiter: \";\"\n    project: {column: p}\n    organisation: {idColumns: [o]}\n    roleColumn: lead\n    roles: {\"Yes\": lead partner, \"No\": partner}\n",
	})
	code, out, errOut := runCmd(t, "validate", "--data", dir)
	for _, want := range []string{
		": 7 warnings (defects of the published files, read past as each says):",
		`t.csv:3: organisation "a" is listed twice in project "1" (first at line 2): kept the first row, this one is skipped`,
		"t.csv:6: ", "  … and 2 more", "valid: 10 entities, 8 relations",
	} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("exit %d, %s%s; want %q", code, out, errOut, want)
		}
	}
}

func TestValidateOutsideFiles(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "ds")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "t.csv"), []byte("p,o\n1,a\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "p.yaml"), []byte("participations:\n  - table: ../t.csv\n    project: {column: p}\n    organisation: {column: o}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runCmd(t, "validate", "--data", dir)
	if code != 1 || !strings.Contains(errOut, `p.yaml:2: participation table "../t.csv" lies outside the dataset directory`) {
		t.Errorf("exit %d, %s", code, errOut)
	}
	if code, out, errOut := runCmd(t, "validate", "--data", dir, "--allow-outside-files"); code != 0 {
		t.Errorf("--allow-outside-files: exit %d, %s%s", code, out, errOut)
	}
	t.Setenv("COOPGRAPH_ALLOW_OUTSIDE_FILES", "true")
	if code, out, errOut := runCmd(t, "validate", "--data", dir); code != 0 {
		t.Errorf("COOPGRAPH_ALLOW_OUTSIDE_FILES=true: exit %d, %s%s", code, out, errOut)
	}
}

// TestValidateGzipBombBinary runs the real binary on a 2 MB nodes.csv.gz of
// one 2 GiB cell, which once drove `coopgraph validate` past 8 GB: it is
// refused at its line, within a bounded resident size.
func TestValidateGzipBombBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: builds the binary")
	}
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "coopgraph")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	dir := filepath.Join(tmp, "bomb")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	compress := func(data []byte) []byte {
		var b bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		_, _ = zw.Write(data) // into a bytes.Buffer: cannot fail
		_ = zw.Close()
		return b.Bytes()
	}
	f, err := os.Create(filepath.Join(dir, "nodes.csv.gz"))
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	// The bufio.Writer keeps its first error: Flush reports it.
	_, _ = w.Write(compress([]byte("id,kind,name\nx,Region,")))
	member := compress(bytes.Repeat([]byte("a"), 1<<20)) // gzip members follow one another
	for range 2048 {
		_, _ = w.Write(member)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}

	for _, args := range [][]string{nil, {"--max-field-bytes", "1099511627776", "--max-line-bytes", "1099511627776"}} {
		// Linux counts the parent's resident size at the fork in the child's
		// peak (the child shares its memory until exec), and this test
		// process may be large by now: a fresh copy of it, small, starts the
		// binary and tells its peak (maxRSSHelper).
		cmd := exec.Command(os.Args[0], append([]string{bin, "validate", "--data", dir}, args...)...)
		cmd.Env = append(os.Environ(), maxRSSHelperEnv+"=1")
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		start := time.Now()
		err := cmd.Run()
		took := time.Since(start)
		if cmd.ProcessState == nil || cmd.ProcessState.ExitCode() != 1 || !strings.Contains(stderr.String(), "nodes.csv.gz:2: ") {
			t.Fatalf("validate %q: %v\n%s", args, err, stderr.String())
		}
		rss, perr := strconv.ParseInt(strings.TrimSpace(stdout.String()), 10, 64)
		if perr != nil {
			t.Fatalf("validate %q: the helper's peak %q: %v", args, stdout.String(), perr)
		}
		t.Logf("validate %q: %s in %v, max RSS %.1f MiB", args, strings.TrimSpace(stderr.String()), took.Round(time.Millisecond), float64(rss)/(1<<20))
		if rss > 200<<20 {
			t.Errorf("max RSS %d bytes, want at most 200 MiB", rss)
		}
	}
}

// TestMain keeps the package's runs of --data loads in a cache of their
// own, not the user's.
func TestMain(m *testing.M) {
	if os.Getenv(maxRSSHelperEnv) == "1" {
		os.Exit(maxRSSHelper(os.Args[1:]))
	}
	dir, err := os.MkdirTemp("", "coopgraph-cache-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	_ = os.Setenv("COOPGRAPH_CACHE_DIR", dir)
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// TestDataCache: a --data load is kept in $COOPGRAPH_CACHE_DIR and the
// next run answers the same from it; --no-cache, validate and load (into
// Neo4j: it reads before connecting) never write it; a damaged file is a
// note on stderr and the answer is the parsed one.
func TestDataCache(t *testing.T) {
	cache := t.TempDir()
	t.Setenv("COOPGRAPH_CACHE_DIR", cache)
	t.Setenv("NEO4J_URI", "")
	dir := writeFiles(t, map[string]string{"nodes.csv": "id,kind,name\na,Region,A\nb,Region,B\n",
		"edges.csv": "source,target,type\na,b,COOPERATES_WITH\n"})
	files := func() []string {
		t.Helper()
		m, err := filepath.Glob(filepath.Join(cache, "*.bin"))
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	centrality := []string{"centrality", "--measure", "degree", "--data", dir}
	for _, args := range [][]string{append(centrality, "--no-cache"), {"validate", "--data", dir},
		{"load", "--neo4j-uri", "bolt://127.0.0.1:1", "--data", dir}} {
		runCmd(t, args...)
		if f := files(); len(f) != 0 {
			t.Fatalf("%q wrote the cache: %v", args, f)
		}
	}
	code, want, errOut := runCmd(t, centrality...)
	if code != 0 || errOut != "" || len(files()) != 1 {
		t.Fatalf("first run: exit %d, %s; cache %v", code, errOut, files())
	}
	code, out, errOut := runCmd(t, centrality...)
	if code != 0 || errOut != "" || out != want {
		t.Errorf("from the cache: exit %d, %s%s; want %s", code, out, errOut, want)
	}
	if err := os.WriteFile(files()[0], []byte("damaged"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = runCmd(t, centrality...) // its note goes to the process's stderr
	if code != 0 || out != want {
		t.Errorf("a damaged cache: exit %d, %s%s; want %s", code, out, errOut, want)
	}
	if b, err := os.ReadFile(files()[0]); err != nil || string(b) == "damaged" {
		t.Errorf("the damaged file was not written anew: %v", err)
	}
}

// maxRSSHelperEnv makes the test binary maxRSSHelper instead of the tests.
const maxRSSHelperEnv = "COOPGRAPH_TEST_MAXRSS_HELPER"

// maxRSSHelper runs args with this process's stderr, prints the child's
// peak resident size in bytes on stdout and exits with its code.
func maxRSSHelper(args []string) int {
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stderr = os.Stderr
	_ = cmd.Run() // its exit code and usage are in ProcessState
	if cmd.ProcessState == nil {
		return 2
	}
	fmt.Println(cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss << 10) // KiB on Linux
	return cmd.ProcessState.ExitCode()
}
