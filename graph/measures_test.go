package graph

import (
	"strings"
	"testing"
)

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
