package main

import (
	"encoding/json"
	"path/filepath"
	"regexp"
	"testing"
	"time"
)

// TestProgressFractionLines: on a pipe, the long loops of the analysis
// commands and of export print plain progress lines with how far they
// are (a percentage and done of total), on a generated network of 15,000
// entities with the report's delays shortened: Louvain's passes,
// PageRank's and eigenvector's iterations, what-if's searches (removing
// the best-connected entity), export's rows written.
func TestProgressFractionLines(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "net")
	if code, _, errOut := genRun("--participations", "30000", "--seed", "1", "--out", dir); code != 0 {
		t.Fatalf("gen: exit %d, %s", code, errOut)
	}
	var hub []struct{ ID string }
	if code, out, errOut := runCmd(t, "centrality", "--measure", "degree", "--top", "1", "--format", "json", "--data", dir); code != 0 || json.Unmarshal([]byte(out), &hub) != nil || len(hub) != 1 {
		t.Fatalf("the hub: exit %d, %s%s", code, out, errOut)
	}
	defer func(a, e time.Duration) { progressAfter, progressEvery = a, e }(progressAfter, progressEvery)
	progressAfter, progressEvery = 0, time.Millisecond
	out := t.TempDir()
	for _, tc := range []struct {
		args  []string
		phase string
	}{
		{[]string{"communities"}, "finding communities"},
		{[]string{"centrality", "--measure", "pagerank"}, "computing pagerank"},
		{[]string{"centrality", "--measure", "eigenvector"}, "computing eigenvector"},
		{[]string{"brokers", "--what-if", hub[0].ID}, "comparing shortest paths without " + regexp.QuoteMeta(hub[0].ID)},
		{[]string{"export", "--format", "graphml", "--out", filepath.Join(out, "net.graphml")}, `writing graphml \(53699 rows\)`},
		{[]string{"export", "--format", "csv", "--out", out}, `writing edges.csv \(38569 rows\)`},
	} {
		code, _, errOut := runCmd(t, append(tc.args, "--data", dir)...)
		line := regexp.MustCompile(`(?m)^coopgraph ` + tc.args[0] + `: ` + tc.phase + `[^\n]*… \d+% \(\d+ of \d+\) \d+s$`)
		done := regexp.MustCompile(`(?m)^coopgraph ` + tc.args[0] + `: done in `)
		if code != 0 || !line.MatchString(errOut) || !done.MatchString(errOut) {
			t.Errorf("%v: exit %d, no progress line with a fraction for %q:\n%s", tc.args, code, tc.phase, errOut)
		}
	}
}
