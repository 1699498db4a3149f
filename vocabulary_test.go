package coopgraph

import (
	"os"
	"slices"
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

// TestPathRelationTypes: the structural types are in the vocabulary; a
// path follows the types a request names (structural ones included), and
// the structural ones with structural (every type when it names none), and
// otherwise every other type of the vocabulary.
func TestPathRelationTypes(t *testing.T) {
	for _, st := range StructuralRelationTypes {
		if !IsRelationType(st) {
			t.Errorf("structural type %q is not in the vocabulary", st)
		}
	}
	if got := PathRelationTypes([]string{"LOCATED_IN"}, false); !slices.Equal(got, []string{"LOCATED_IN"}) {
		t.Errorf("named: %v", got)
	}
	if got := PathRelationTypes([]string{"MEMBER_OF", "PART_OF"}, true); !slices.Equal(got, []string{"MEMBER_OF", "PART_OF", "LOCATED_IN", "FUNDED_BY"}) {
		t.Errorf("named with structural: %v", got)
	}
	if got := PathRelationTypes(nil, true); got != nil {
		t.Errorf("structural: %v, want nil (every type)", got)
	}
	got := PathRelationTypes(nil, false)
	if len(got) != len(RelationTypes)-len(StructuralRelationTypes) {
		t.Errorf("default: %v", got)
	}
	for _, rt := range RelationTypes {
		if slices.Contains(got, rt.Name) == IsStructural(rt.Name) {
			t.Errorf("default %v: %s wrongly kept or left out", got, rt.Name)
		}
	}
}
