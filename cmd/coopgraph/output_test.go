package main

import (
	"encoding/csv"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"
)

// formatCases are the analysis commands whose help promises text, csv and
// json, with arguments that answer on the seed.
var formatCases = []struct {
	args   []string
	header string // the CSV header
}{
	{[]string{"centrality", "--measure", "eigenvector"}, "rank,id,name,kind,score"},
	{[]string{"path", "opolskie", "malopolskie", "--all"}, "path,length,cost,hop,from,fromName,relation,type,to,toName,forward"},
	{[]string{"partners", "respondet"}, "partner,name,shared,contexts"},
	{[]string{"partners", "city-of-turin", "--common", "torino-chamber-of-commerce"}, "partner,name,withA,withB"},
	{[]string{"region-partners", "--region", "malopolskie"}, "region,name,projects,programmes"},
	{[]string{"communities"}, "community,size,id,name,kind"},
	{[]string{"components"}, "component,size,id,name,kind"},
	{[]string{"brokers"}, "role,a,aName,b,bName"},
	{[]string{"brokers", "--what-if", "malopolskie"}, "a,aName,b,bName,before,after"},
}

// TestEveryFormat: each command writes each format: CSV that parses, with
// its header and rows of the header's width; JSON whose object keys are
// camelCase everywhere (a relation's properties are data and not
// checked); text.
func TestEveryFormat(t *testing.T) {
	for _, c := range formatCases {
		for _, format := range []string{"text", "csv", "json"} {
			args := append(append([]string{}, c.args...), "--format", format)
			code, out, errOut := runSeedCmd(t, args...)
			if code != 0 || out == "" {
				t.Errorf("%v: exit %d, %d bytes: %s", args, code, len(out), errOut)
				continue
			}
			switch format {
			case "csv":
				rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
				if err != nil || len(rows) < 2 || strings.Join(rows[0], ",") != c.header {
					t.Errorf("%v: %d rows, err %v:\n%s", args, len(rows), err, out)
				}
			case "json":
				var v any
				if err := json.Unmarshal([]byte(out), &v); err != nil {
					t.Errorf("%v: %v", args, err)
					continue
				}
				if bad := notCamel(v, ""); bad != "" {
					t.Errorf("%v: key %q is not camelCase:\n%s", args, bad, out)
				}
			}
		}
	}
}

// notCamel is the first object key in v that starts with a capital, or
// contains _ or a space (outside "properties" maps).
func notCamel(v any, parent string) string {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if parent != "properties" && (k == "" || unicode.IsUpper([]rune(k)[0]) || strings.ContainsAny(k, "_ ")) {
				return k
			}
			if bad := notCamel(x, k); bad != "" {
				return bad
			}
		}
	case []any:
		for _, x := range v {
			if bad := notCamel(x, parent); bad != "" {
				return bad
			}
		}
	}
	return ""
}

func TestLowerCamel(t *testing.T) {
	for in, want := range map[string]string{"ID": "id", "IDs": "ids", "WithA": "withA", "DisconnectedPairs": "disconnectedPairs",
		"URLPath": "urlPath", "A": "a", "score": "score"} {
		if got := lowerCamel(in); got != want {
			t.Errorf("lowerCamel(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestTopLimitsGroups: components, communities and brokers list --top
// rows, one per line, and say how many more there are.
func TestTopLimitsGroups(t *testing.T) {
	for _, cmd := range []string{"components", "communities"} {
		// MEMBER_OF alone leaves the seed in many pieces.
		code, out, errOut := runSeedCmd(t, cmd, "--top", "2", "--relation-type", "MEMBER_OF")
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if code != 0 || len(lines) != 4 || !strings.Contains(lines[3], "more (--top 0 lists all)") {
			t.Errorf("%s --top 2: exit %d: %s\n%s", cmd, code, errOut, out)
		}
	}
	code, out, _ := runSeedCmd(t, "brokers", "--top", "1", "--format", "json")
	var b struct {
		ArticulationPoints     []string
		ArticulationPointCount int
	}
	if err := json.Unmarshal([]byte(out), &b); code != 0 || err != nil || len(b.ArticulationPoints) != 1 || b.ArticulationPointCount < 2 {
		t.Errorf("brokers --top 1: exit %d, %v: %s", code, err, out)
	}
}

// TestProgressLines: on a pipe (not a terminal), work past progressAfter
// prints plain lines naming its phase, and a summary of the phases; work
// shorter than it prints nothing.
func TestProgressLines(t *testing.T) {
	_, _, errOut := runSeedCmd(t, "centrality", "--measure", "betweenness")
	if errOut != "" {
		t.Errorf("short work wrote on stderr: %q", errOut)
	}
	defer func(a, e time.Duration) { progressAfter, progressEvery = a, e }(progressAfter, progressEvery)
	progressAfter, progressEvery = 0, time.Millisecond
	// Which phase the first line names depends on when its goroutine runs:
	// reading the seed takes milliseconds (less from the cache of loads),
	// so any phase will do, each named as in the summary.
	code, _, errOut := runSeedCmd(t, "centrality", "--measure", "betweenness", "--no-cache")
	if code != 0 || strings.Contains(errOut, "\r") || !regexp.MustCompile(`(?m)^coopgraph centrality: (reading the dataset|building the snapshot|computing betweenness)[^\n]*… `).MatchString(errOut) ||
		!strings.Contains(errOut, "coopgraph centrality: done in ") || !strings.Contains(errOut, "computing betweenness ") {
		t.Errorf("progress on a pipe: exit %d:\n%s", code, errOut)
	}
}

// TestProgressFraction: the engine's units show as a percentage on a
// pipe and as a bar on a terminal.
func TestProgressFraction(t *testing.T) {
	var buf strings.Builder
	p := &progress{w: &buf, cmd: "centrality", phase: "computing betweenness", start: time.Now()}
	p.units(499, 1000)
	p.report(0)
	if want := "coopgraph centrality: computing betweenness… 49% (499 of 1000) 0s\n"; buf.String() != want {
		t.Errorf("plain line %q, want %q", buf.String(), want)
	}
	buf.Reset()
	p.tty = true
	p.report(1)
	if !strings.Contains(buf.String(), "\r\033[K/ coopgraph centrality: [##############................] computing betweenness… 49%") {
		t.Errorf("terminal line %q", buf.String())
	}
}
