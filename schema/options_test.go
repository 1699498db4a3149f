package schema

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// TestEngineOptionsAreArguments: every option an engine error names
// (coopgraph.Option in graph/) is written with the API's name, so the
// API's messages need no rewording: each is an argument of a query field
// or a field of an input of the served schema. (The CLI spells the same
// names as its flags: cmd/coopgraph's TestEngineOptionsHaveFlags.)
func TestEngineOptionsAreArguments(t *testing.T) {
	s := NewExecutableSchema(Config{}).Schema()
	args := map[string]bool{}
	for _, f := range s.Query.Fields {
		for _, a := range f.Arguments {
			args[a.Name] = true
		}
	}
	for _, typ := range s.Types {
		if typ.Kind == "INPUT_OBJECT" {
			for _, f := range typ.Fields {
				args[f.Name] = true
			}
		}
	}
	names := engineOptions(t, "../graph")
	if len(names) < 15 {
		t.Fatalf("found only %d options in graph/: %v", len(names), names)
	}
	for _, name := range names {
		if !args[name] {
			t.Errorf("graph/ names the option %q in an error, which is no argument of the API", name)
		}
	}
}

// engineOptions lists the names given to coopgraph.Option in dir's Go
// files (tests aside).
func engineOptions(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`coopgraph\.Option\("([A-Za-z]+)"\)`)
	seen := map[string]bool{}
	var names []string
	for _, f := range files {
		if filepath.Ext(f) != ".go" || regexp.MustCompile(`_test\.go$`).MatchString(f) {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			if !seen[m[1]] {
				seen[m[1]] = true
				names = append(names, m[1])
			}
		}
	}
	return names
}
