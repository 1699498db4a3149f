package main

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/coopgraph/coopgraph/graph"
)

// The committed schema, README.md and the page's module document the
// registry's measures as measuredocs writes them: a measure added to
// graph.Measures without go generate ./... fails here (and scripts/test
// fails on the diff).
func TestDocsAreTheRegistry(t *testing.T) {
	for _, f := range []struct {
		path  string
		write func(string) (string, error)
	}{{"../../../schema/schema.graphqls", schema}, {"../../../README.md", readme}, {"../../../web/page/src/measures.gen.js", pageModule}} {
		b, err := os.ReadFile(f.path)
		if err != nil {
			t.Fatal(err)
		}
		want, err := f.write(string(b))
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != want {
			t.Errorf("%s does not document the measures of graph.Measures: run go generate ./... and commit the result", f.path)
		}
		for _, m := range graph.Measures {
			if !strings.Contains(want, string(m.Name)) {
				t.Errorf("%s as written lacks %s", f.path, m.Name)
			}
		}
	}
}

// A document that lacks a measure, or has one the registry lacks, gets the
// registry's rows in their place, and the rest stays as it was.
func TestRewriteReplacesTheBlockOnly(t *testing.T) {
	doc := "# Measures\n\n" + tableHeader + "| `FAME` | how famous. | |\n| `DEGREE` | old. | |\n\nAfter the table.\n"
	got, err := readme(doc)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(got, "FAME") || strings.Contains(got, "old.") || !strings.HasPrefix(got, "# Measures\n\n"+tableHeader) ||
		!strings.HasSuffix(got, "|\n\nAfter the table.\n") || strings.Count(got, "\n| `") != len(graph.Measures) {
		t.Errorf("readme rewrote\n%s\nto\n%s", doc, got)
	}

	enum := "type A {\n  b: Int\n}\n\n\"The measure.\"\nenum CentralityMeasure {\n  \"old\"\n  FAME\n}\n\nenum Other {\n  X\n}\n"
	if got, err = schema(enum); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(got, "FAME") || !strings.HasSuffix(got, "}\n\nenum Other {\n  X\n}\n") || !strings.Contains(got, "  \"networkx harmonic_centrality") {
		t.Errorf("schema rewrote\n%s\nto\n%s", enum, got)
	}
	if again, _ := schema(got); again != got {
		t.Errorf("schema is not idempotent:\n%s\nthen\n%s", got, again)
	}
}

// A document whose block moved or vanished is an error that says what to
// update, never a silent no-op.
func TestMissingBlockIsAnError(t *testing.T) {
	for name, f := range map[string]func(string) (string, error){"schema": schema, "readme": readme} {
		_, err := f("nothing about measures\n")
		if err == nil || !strings.Contains(err.Error(), "update graph/internal/measuredocs") {
			t.Errorf("%s of a document without the block: %v", name, err)
		}
	}
	if _, err := schema("enum CentralityMeasure {\n  DEGREE\n"); err == nil || !strings.Contains(err.Error(), "no end") {
		t.Errorf("an enum without its end: %v", err)
	}
}

// The page's module carries every measure and, in each language, every
// measure's label and plain explanation, as JSON-like JavaScript the bundler reads.
func TestPageModuleHasEveryLabel(t *testing.T) {
	got, err := pageModule("")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range graph.Measures {
		if !strings.Contains(got, `"`+string(m.Name)+`"`) {
			t.Errorf("the page's module lacks %s:\n%s", m.Name, got)
		}
		for lang, label := range m.Labels {
			if !strings.Contains(got, `"`+lang+`": {`) || !strings.Contains(got, `"`+string(m.Name)+`": "`+label+`"`) {
				t.Errorf("the page's module lacks %s's %s label %q:\n%s", m.Name, lang, label, got)
			}
			explanation, _ := json.Marshal(m.Explanations[lang])
			if m.Explanations[lang] == "" || !strings.Contains(got, `"`+string(m.Name)+`": `+string(explanation)) {
				t.Errorf("the page's module lacks %s's %s explanation:\n%s", m.Name, lang, got)
			}
		}
	}
}
