package export_test

import (
	"strings"
	"testing"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/export"
)

// GraphML and GEXF carry each relation's document title, publisher and
// address and each entity's sources by title; the CSV tables keep the
// columns the CSV import reads back.
func TestExportsCarryDocumentTitles(t *testing.T) {
	sub := &export.Subgraph{
		Entities: []coopgraph.Entity{
			{ID: "a", Kind: "Region", Name: "A", Documents: []string{"000.txt"}},
			{ID: "b", Kind: "Network", Name: "B"},
		},
		Relations: []coopgraph.Relation{{ID: "r", Type: "MEMBER_OF", From: "a", To: "b", Document: "000.txt", Quote: "A is in B"}},
		Documents: []coopgraph.Document{{ID: "000.txt", Title: "Współpraca Międzynarodowa", Publisher: "Województwo Małopolskie", URL: "https://example.org/p"}},
	}
	for name, f := range map[string]func(*testing.T) string{
		"graphml": func(t *testing.T) string { return string(write(t, export.GraphML, sub)) },
		"gexf":    func(t *testing.T) string { return string(write(t, export.GEXF, sub)) },
	} {
		out := f(t)
		for _, want := range []string{"Współpraca Międzynarodowa — Województwo Małopolskie", ">Współpraca Międzynarodowa<", "https://example.org/p", "A is in B", "documentTitle", "documentPublisher"} {
			if !strings.Contains(out, want) && !strings.Contains(out, `"`+strings.Trim(want, "<>")+`"`) {
				t.Errorf("%s lacks %q:\n%s", name, want, out)
			}
		}
	}
	if csv := string(write(t, export.EdgesCSV, sub)); strings.Contains(csv, "documentTitle") {
		t.Errorf("edges.csv has the documents' columns:\n%s", csv)
	}
}
