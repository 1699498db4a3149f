package graph

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// README.md's table of measures must have one row per measure of the
// registry, with its description and options, and no other row: users
// never meet an undocumented measure, nor look for one that is gone.
func TestREADMEDocumentsMeasures(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	for _, m := range Measures {
		var opts []string
		for _, o := range m.Options() {
			opts = append(opts, "`"+o+"`")
		}
		row := "| `" + string(m.Name) + "` | " + m.Description + " | " + strings.Join(opts, ", ") + " |"
		row = strings.Replace(row, "|  |", "| |", 1) // a measure without options: "| |"
		if !strings.Contains(readme, row) {
			t.Errorf("README.md lacks the row\n%s", row)
		}
	}
	documented := regexp.MustCompile("(?m)^\\| `([A-Z_]+)` \\| networkx").FindAllStringSubmatch(readme, -1)
	if len(documented) == 0 {
		t.Fatal("README.md has no table of measures")
	}
	for _, d := range documented {
		if _, ok := LookupMeasure(Measure(d[1])); !ok {
			t.Errorf("README.md documents the measure %s, which the registry lacks", d[1])
		}
	}
}

// Every measure of the registry is computed, takes the options it
// declares and refuses the others, and every name spelling is parsed.
func TestMeasuresRegistry(t *testing.T) {
	s := NewSnapshot(randomDataset(60, 150, 7))
	ctx := t.Context()
	seen := map[Measure]bool{}
	for _, m := range Measures {
		if seen[m.Name] {
			t.Errorf("%s is twice in the registry", m.Name)
		}
		seen[m.Name] = true
		if m.Description == "" || m.compute == nil {
			t.Errorf("%s: description %q, compute set %v", m.Name, m.Description, m.compute != nil)
		}
		scores, err := s.Centrality(ctx, m.Name, CentralityOptions{})
		if err != nil || len(scores) == 0 {
			t.Errorf("%s: %d scores, %v", m.Name, len(scores), err)
		}
		_, err = s.Centrality(ctx, m.Name, CentralityOptions{Samples: 2, Seed: 1})
		if takes := m.sampled != nil; (err == nil) != takes {
			t.Errorf("%s with samples: %v; the registry says it takes samples: %v", m.Name, err, takes)
		}
		_, err = s.Centrality(ctx, m.Name, CentralityOptions{Tolerance: 1e-8})
		if takes := m.certified != nil; (err == nil) != takes {
			t.Errorf("%s with tolerance: %v; the registry says it takes tolerance: %v", m.Name, err, takes)
		}
		for _, spelling := range []string{string(m.Name), strings.ToLower(string(m.Name))} {
			if got, err := ParseMeasure(spelling); got != m.Name || err != nil {
				t.Errorf("ParseMeasure(%q) = %q, %v", spelling, got, err)
			}
		}
	}
	if _, err := ParseMeasure("fame"); err == nil || !strings.Contains(err.Error(), `"FAME"`) || !strings.Contains(err.Error(), "DEGREE") {
		t.Errorf("ParseMeasure(fame): %v; want an error naming FAME and the measures", err)
	}
}
