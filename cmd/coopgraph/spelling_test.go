package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestEngineOptionsHaveFlags: every option an engine error names
// (coopgraph.Option in graph/, by its API name) has a flag spelling in the
// CLI (or is one no command takes: apiOnly), so that no CLI message
// names an API argument. (The API side:
// schema's TestEngineOptionsAreArguments.)
func TestEngineOptionsHaveFlags(t *testing.T) {
	files, err := filepath.Glob("../../graph/*.go")
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`coopgraph\.Option\("([A-Za-z]+)"\)`)
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			n++
			spelled := optionFlags[m[1]] != "" || apiOnly[m[1]]
			for _, flags := range commandFlags {
				spelled = spelled || flags[m[1]] != ""
			}
			if !spelled {
				t.Errorf("%s: the option %q has no flag in cmd/coopgraph/spelling.go", f, m[1])
			}
		}
	}
	if n < 20 {
		t.Errorf("found only %d options in graph/", n)
	}
}

// TestErrorsSpellFlags: the engine's messages, through the CLI, name the
// flags the user wrote, never the API's arguments.
func TestErrorsSpellFlags(t *testing.T) {
	for _, tc := range []struct {
		args      []string
		says, not string
	}{
		{[]string{"path", "opolskie", "malopolskie", "--active-from", "2020", "--active-to", "2019"}, `--active-from "2020" is after --active-to "2019"`, "activeFrom"},
		{[]string{"path", "opolskie", "malopolskie", "--active-from", "2013-02-30"}, `in --active-from`, "activeFrom"},
		{[]string{"path", "opolskie", "malopolskie", "--via-kind", "Planet"}, `unknown kind "Planet" in --via-kind`, "viaKinds"},
		{[]string{"path", "opolskie", "malopolskie", "--k", "1000"}, "--k = 1000 is above", ": k ="},
		{[]string{"partners", "agh", "--context-kind", "Planet"}, `in --context-kind`, "contextKinds"},
		{[]string{"centrality", "--measure", "pagerank", "--samples", "5"}, "--samples applies to", ": samples"},
		{[]string{"centrality", "--kind", "Planet"}, `unknown kind "Planet"`, "kinds"},
		{[]string{"region-partners", "--region", "malopolskie", "--level", "7"}, "--level 7", ": level"},
		{[]string{"brokers", "--what-if", "malopolskie", "--examples", "20000"}, "--examples is 20000", "first"},
	} {
		code, _, stderr := runSeedCmd(t, tc.args...)
		if code == 0 || !strings.Contains(stderr, tc.says) || strings.Contains(stderr, tc.not) {
			t.Errorf("%v: exit %d, %q; want %q, not %q", tc.args, code, stderr, tc.says, tc.not)
		}
	}
}
