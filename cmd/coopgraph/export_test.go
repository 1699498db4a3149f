package main

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/data"
	"github.com/coopgraph/coopgraph/export/scope"
	"github.com/coopgraph/coopgraph/graph"
	"github.com/coopgraph/coopgraph/loader"
	"github.com/coopgraph/coopgraph/memstore"
	"github.com/coopgraph/coopgraph/server"
)

// exportHandler serves ds as coopgraph serve does.
func exportHandler(ds *coopgraph.Dataset) http.Handler {
	srv := &server.Server{Store: memstore.New(ds), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	srv.SetSnapshot(graph.NewSnapshot(ds))
	return srv.Handler()
}

func httpExport(t *testing.T, h http.Handler, target string) []byte {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET %s: status %d: %s", target, rec.Code, rec.Body)
	}
	return rec.Body.Bytes()
}

// The same selection gives the same bytes from the CLI as over HTTP.
func TestExportCLIWritesWhatHTTPServes(t *testing.T) {
	ds, err := loader.LoadFS(data.Seed(), "data/seed", data.SeedName)
	if err != nil {
		t.Fatal(err)
	}
	h := exportHandler(ds)
	for _, c := range []struct {
		args  []string
		query string
	}{
		{nil, ""},
		{[]string{"--relation-type", "MEMBER_OF", "--relation-type", "PART_OF"}, "?relationType=MEMBER_OF&relationType=PART_OF"},
		{[]string{"--path", "opolskie", "malopolskie"}, "?path=opolskie,malopolskie"},
		{[]string{"--path", "opolskie,city-of-turin", "--all"}, "?path=opolskie,city-of-turin&all=1"},
		{[]string{"--path", "opolskie", "--k", "4", "--max-hops", "6", "city-of-turin", "--relation-type", "MEMBER_OF,PARTICIPATES_IN,LOCATED_IN,PART_OF"},
			"?path=opolskie,city-of-turin&k=4&maxHops=6&relationType=MEMBER_OF,PARTICIPATES_IN,LOCATED_IN,PART_OF"},
		{[]string{"--neighbourhood", "malopolskie"}, "?neighbourhood=malopolskie"},
		{[]string{"--neighbourhood", "respondet", "--depth", "2", "--relation-type", "PARTICIPATES_IN", "--measure", "pagerank"},
			"?neighbourhood=respondet&depth=2&relationType=PARTICIPATES_IN&measure=pagerank"},
		{[]string{"--community", "2"}, "?community=2"},
		{[]string{"--community", "1", "--resolution", "1.5", "--seed", "7", "--measure", "betweenness"}, "?community=1&resolution=1.5&seed=7&measure=betweenness"},
	} {
		dir := t.TempDir()
		for _, f := range []string{"graphml", "gexf"} {
			out := filepath.Join(dir, "out."+f)
			args := append([]string{"export", "--format", f, "--out", out}, c.args...)
			if code, _, errOut := runSeedCmd(t, args...); code != 0 {
				t.Fatalf("%q: exit %d: %s", args, code, errOut)
			}
			got, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if want := httpExport(t, h, "/export/"+f+c.query); !bytes.Equal(got, want) {
				t.Errorf("%q: the file differs from GET /export/%s%s", args, f, c.query)
			}
			// Standard output gets the same bytes.
			args = append([]string{"export", "--format", f, "--out", "-"}, c.args...)
			code, stdout, errOut := runSeedCmd(t, args...)
			if code != 0 || stdout != string(got) {
				t.Errorf("%q: exit %d (%s); standard output differs from the file", args, code, errOut)
			}
		}
		csvDir := filepath.Join(dir, "csv")
		args := append([]string{"export", "--format", "csv", "--out", csvDir}, c.args...)
		code, stdout, errOut := runSeedCmd(t, args...)
		if code != 0 {
			t.Fatalf("%q: exit %d: %s", args, code, errOut)
		}
		if !strings.Contains(stdout, filepath.Join(csvDir, "nodes.csv")) || !strings.Contains(stdout, filepath.Join(csvDir, "edges.csv")) {
			t.Errorf("%q: says %q", args, stdout)
		}
		for _, table := range []string{"nodes.csv", "edges.csv"} {
			got, err := os.ReadFile(filepath.Join(csvDir, table))
			if err != nil {
				t.Fatal(err)
			}
			if want := httpExport(t, h, "/export/"+table+c.query); !bytes.Equal(got, want) {
				t.Errorf("%q: %s differs from GET /export/%s%s", args, table, table, c.query)
			}
		}
	}
}

// --data takes any dataset directory, and the export of it is what a
// server of it serves.
func TestExportCLIReadsTheDataDirectory(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"nodes.csv": "id,kind,name,aliases,country\n" +
			"malopolskie,Region,Województwo Małopolskie,Małopolska;Lesser Poland,PL\n" +
			"vanguard,Network,Vanguard Initiative,,\n" +
			"slaskie,Region,Województwo Śląskie,Śląsk,PL\n",
		"edges.csv": "source,target,type,role,start,document,quote\n" +
			"malopolskie,vanguard,MEMBER_OF,initiating member,2013-11,002.txt,\"„Małopolska” jest członkiem, od 2013\"\n" +
			"slaskie,vanguard,MEMBER_OF,member,2014,002.txt,\n",
	})
	ds, err := loader.LoadDir(dir, filepath.Base(dir))
	if err != nil {
		t.Fatal(err)
	}
	code, stdout, errOut := runCmd(t, "export", "--data", dir, "--format", "gexf", "--neighbourhood", "vanguard", "--out", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if want := httpExport(t, exportHandler(ds), "/export/gexf?neighbourhood=vanguard"); stdout != string(want) {
		t.Errorf("--data export differs from the server's:\n%s\nwant\n%s", stdout, want)
	}
	if !strings.Contains(stdout, `value="„Małopolska” jest członkiem, od 2013"`) {
		t.Errorf("the quote is missing: %s", stdout)
	}
}

func TestExportCLIErrors(t *testing.T) {
	out := filepath.Join(t.TempDir(), "x.graphml")
	for _, c := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"--out", out}, 1, "--format is needed"},
		{[]string{"--format", "graphml"}, 1, "--out is needed"},
		{[]string{"--format", "pdf", "--out", out}, 1, `unknown --format "pdf"`},
		{[]string{"--format", "csv", "--out", "-"}, 1, "give --out DIR"},
		{[]string{"--format", "graphml", "--out", out, "--depth", "2"}, 1, "--depth goes with --neighbourhood"},
		{[]string{"--format", "graphml", "--out", out, "--path", "opolskie", "malopolskie", "--seed", "3"}, 1, "--seed goes with --community"},
		{[]string{"--format", "graphml", "--out", out, "--path", "opolskie", "malopolskie", "--community", "1"}, 1, "choose one of --path, --neighbourhood and --community"},
		{[]string{"--format", "graphml", "--out", out, "--path", "opolskie"}, 1, "--path must be two entity ids"},
		{[]string{"--format", "graphml", "--out", out, "--path", "opolskie", "malopolskie", "--k", "0"}, 1, "--k must be at least 1"},
		{[]string{"--format", "graphml", "--out", out, "stray"}, 1, `unexpected argument(s) ["stray"]`},
		{[]string{"--format", "graphml", "--out", out, "--path", "opolskie", "nowhere"}, 1, `unknown entity id "nowhere"`},
		{[]string{"--format", "graphml", "--out", out, "--neighbourhood", "malopolskie", "--depth", "5"}, 1, "depth is 5; the limit is 3"},
		{[]string{"--format", "graphml", "--out", out, "--community", "999"}, 1, "there is no community 999"},
		{[]string{"--format", "graphml", "--out", out, "--relation-type", "LIKES"}, 1, `unknown relation type "LIKES"`},
		// package flag prints its own message, to the process's standard error.
		{[]string{"--format", "graphml", "--out", out, "--no-such-flag"}, 2, ""},
	} {
		args := append([]string{"export"}, c.args...)
		code, _, errOut := runSeedCmd(t, args...)
		if code != c.code || !strings.Contains(errOut, c.msg) {
			t.Errorf("%q: exit %d, %q; want exit %d with %q", args, code, errOut, c.code, c.msg)
		}
		// A failed export writes nothing.
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Fatalf("%q: a failed export left %s", args, out)
		}
	}
	if entries, _ := os.ReadDir(filepath.Dir(out)); len(entries) != 0 {
		t.Errorf("failed exports left %d files behind", len(entries))
	}
}

func TestUsageNamesExport(t *testing.T) {
	code, out, _ := runCmd(t, "help")
	if code != 0 || !strings.Contains(out, "coopgraph export") {
		t.Errorf("help: exit %d, no export in\n%s", code, out)
	}
}

// Every argument of a scope is a flag of coopgraph export: a new one in
// scope.Params without its flag (and help) fails here.
func TestExportFlagsAreTheScopeParams(t *testing.T) {
	if len(exportScopeFlags) != len(scope.Params) {
		t.Fatalf("%d scope flags for %d scope parameters", len(exportScopeFlags), len(scope.Params))
	}
	for i, p := range scope.Params {
		if f := exportScopeFlags[i]; f.name != p.Name || f.usage == "" {
			t.Errorf("flag %d is %q (help %q); want %q with help", i, f.name, f.usage, p.Name)
		}
	}
	// The CLI spells the server's messages with its flags.
	code, _, errOut := runSeedCmd(t, "export", "--format", "graphml", "--out", "-", "--neighbourhood", "")
	if want := "--neighbourhood must be an entity id"; code != 1 || !strings.Contains(errOut, want) {
		t.Errorf("exit %d, %q; want %q", code, errOut, want)
	}
	code, _, errOut = runSeedCmd(t, "export", "--format", "graphml", "--out", "-", "--path", "opolskie", "malopolskie", "--all=maybe")
	if want := `--all must be 1 or 0 (got "maybe")`; code != 1 || !strings.Contains(errOut, want) {
		t.Errorf("exit %d, %q; want %q", code, errOut, want)
	}
}

// A dataset's credit lines go with its exports: inside GraphML, as the
// server writes it, and beside the CSV tables in CREDITS.txt.
func TestExportCLICreditsTheSources(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"nodes.csv":   "id,kind,name\nnuts:PL21,Region,Małopolskie\nnuts:PL2,Region,Makroregion południowy\n",
		"edges.csv":   "source,target,type\nnuts:PL21,nuts:PL2,PART_OF\n",
		"credit.yaml": "credit: \"NUTS: © European Union, Eurostat\"\n",
	})
	ds, err := loader.LoadDir(dir, filepath.Base(dir))
	if err != nil {
		t.Fatal(err)
	}
	code, stdout, errOut := runCmd(t, "export", "--data", dir, "--format", "graphml", "--out", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if want := httpExport(t, exportHandler(ds), "/export/graphml"); stdout != string(want) {
		t.Errorf("the CLI's GraphML differs from the server's:\n%s\nwant\n%s", stdout, want)
	}
	if !strings.Contains(stdout, "<desc>NUTS: © European Union, Eurostat</desc>") {
		t.Errorf("no credit line in the GraphML: %s", stdout)
	}
	out := filepath.Join(t.TempDir(), "csv")
	code, stdout, errOut = runCmd(t, "export", "--data", dir, "--format", "csv", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	credits, err := os.ReadFile(filepath.Join(out, "CREDITS.txt"))
	if err != nil || string(credits) != "NUTS: © European Union, Eurostat\n" {
		t.Errorf("CREDITS.txt: %q (%v)", credits, err)
	}
	if !strings.Contains(stdout, "credit the sources: NUTS: © European Union, Eurostat") {
		t.Errorf("the report does not name the credit line: %s", stdout)
	}
}
