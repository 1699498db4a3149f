package coopgraph

import (
	"os"
	"strings"
	"testing"
)

// The README documents the vocabulary; it must list every kind and relation
// type, with the same description, so users never meet an undocumented one.
func TestREADMEDocumentsVocabulary(t *testing.T) {
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	for _, k := range append(append([]KindInfo{}, Kinds...), RelationTypes...) {
		line := "- `" + k.Name + "` — " + k.Description
		if !strings.Contains(readme, line) {
			t.Errorf("README.md lacks the line %q", line)
		}
	}
	for _, must := range []string{"Region", "Network", "Project", "Organisation", "Programme", "Country", "Person"} {
		if !IsKind(must) {
			t.Errorf("kind %s missing from the vocabulary", must)
		}
	}
	for _, must := range []string{"MEMBER_OF", "PARTICIPATES_IN", "FUNDED_BY", "PART_OF", "LOCATED_IN", "FOUNDED", "SIGNED", "COOPERATES_WITH"} {
		if !IsRelationType(must) {
			t.Errorf("relation type %s missing from the vocabulary", must)
		}
	}
}
