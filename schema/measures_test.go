package schema

import (
	"testing"

	"github.com/coopgraph/coopgraph/graph"
)

// The API's enum CentralityMeasure is the registry of measures: the same
// names, each described as the registry describes it, so that a measure
// added to the engine is offered by the API (and one removed is not), and
// every value the enum admits maps to a measure.
func TestCentralityMeasureEnumIsTheRegistry(t *testing.T) {
	enum := NewExecutableSchema(Config{}).Schema().Types["CentralityMeasure"]
	if enum == nil {
		t.Fatal("the schema has no CentralityMeasure")
	}
	described := map[string]string{}
	for _, v := range enum.EnumValues {
		described[v.Name] = v.Description
	}
	for _, m := range graph.Measures {
		d, ok := described[string(m.Name)]
		switch {
		case !ok:
			t.Errorf("the enum CentralityMeasure (schema/schema.graphqls) lacks %s: add\n  %q\n  %s\nand run go generate ./...", m.Name, m.Description, m.Name)
		case d != m.Description:
			t.Errorf("CentralityMeasure.%s is described %q in schema/schema.graphqls, %q in graph.Measures", m.Name, d, m.Description)
		}
		if !CentralityMeasure(m.Name).IsValid() {
			t.Errorf("the generated CentralityMeasure refuses %s: run go generate ./...", m.Name)
		}
	}
	for name := range described {
		if _, ok := graph.LookupMeasure(graph.Measure(name)); !ok {
			t.Errorf("CentralityMeasure.%s is in schema/schema.graphqls but not in graph.Measures", name)
		}
	}
	for _, m := range AllCentralityMeasure {
		if got, err := measureOf(m); err != nil || string(got) != string(m) {
			t.Errorf("measureOf(%s) = %q, %v", m, got, err)
		}
	}
	if len(AllCentralityMeasure) != len(graph.Measures) {
		t.Errorf("the generated enum has %v, the registry %v", AllCentralityMeasure, graph.MeasureNames(false))
	}
}
