package loader

import (
	"strings"
	"testing"

	"github.com/coopgraph/coopgraph"
)

// TestNUTSRegions loads data/nuts through its mapping. The counts per level
// are those of the union of the codes of both versions, counted from the
// files alone:
//
//	( zcat nuts2024.csv.gz | awk -F, 'NR>1{print $2}'; \
//	  zcat nuts2021-labels.csv.gz | awk -F, 'NR>1{print $2}' ) | sort -u |
//	  awk '{n[length($0)-2]++} END{for (l in n) print l, n[l]}'
//
// prints 0 27, 1 119, 2 276, 3 1241.
func TestNUTSRegions(t *testing.T) {
	ds, err := LoadDir("../data/nuts", "nuts")
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]coopgraph.Entity{}
	levels := map[string]int{}
	countries := 0
	for _, e := range ds.Entities {
		byID[e.ID] = e
		switch e.Kind {
		case "Region":
			levels[e.Properties["level"]]++
		case "Country":
			countries++
		}
	}
	if countries != 27 || levels["1"] != 119 || levels["2"] != 276 || levels["3"] != 1241 {
		t.Errorf("countries %d, regions per level %v; want 27 and 1:119 2:276 3:1241", countries, levels)
	}
	parent := map[string]string{}
	for _, r := range ds.Relations {
		if r.Type != "PART_OF" {
			t.Errorf("relation %s: want only PART_OF", r.ID)
			continue
		}
		if _, dup := parent[r.From]; dup {
			t.Errorf("%s has two parents", r.From)
		}
		parent[r.From] = r.To
	}
	if len(parent) != 1636 {
		t.Errorf("%d regions with a parent, want every one of the 1636", len(parent))
	}
	var chain []string
	for id := "nuts:PL213"; id != ""; id = parent[id] {
		chain = append(chain, id)
	}
	if got := strings.Join(chain, " → "); got != "nuts:PL213 → nuts:PL21 → nuts:PL2 → country:PL" {
		t.Errorf("PL213's ancestors: %s", got)
	}
	m := byID["nuts:PL21"]
	if m.Name != "Małopolskie" || m.Properties["nuts"] != "PL21" || m.Properties["level"] != "2" || m.Properties["versions"] != "2021 2024" {
		t.Errorf("nuts:PL21 = %+v", m)
	}
	if rank, ok := coopgraph.SearchRank(m, coopgraph.Tokens("PL21")); !ok || rank != coopgraph.RankExactAlias {
		t.Errorf(`searching "PL21": rank %d, %v; want an exact alias`, rank, ok)
	}
	if pl := byID["country:PL"]; pl.Name != "Poland" || pl.Properties["code"] != "PL" {
		t.Errorf("country:PL = %+v", pl)
	}
	// A code that changed in 2024 (Code change): both entities, linked.
	old, repl := byID["nuts:NL332"], byID["nuts:NL361"]
	if old.Properties["successor"] != "NL361" || old.Properties["versions"] != "2021" ||
		repl.Properties["predecessors"] != "NL332" || repl.Properties["versions"] != "2024" {
		t.Errorf("NL332 → NL361: %v, %v", old.Properties, repl.Properties)
	}
	// The 2021 table leaves RO322's label blank; the 2024 label names it.
	if byID["nuts:RO322"].Name != "Ilfov" {
		t.Errorf("nuts:RO322 = %q, want Ilfov", byID["nuts:RO322"].Name)
	}
	if len(ds.Credits) != 1 || ds.Credits[0] != "NUTS: © European Union, Eurostat" {
		t.Errorf("credits %q", ds.Credits)
	}
}

func TestRegionImportProblems(t *testing.T) {
	dir := writeDir(t, map[string]string{
		"regions.yaml": `regions:
  - table: nuts.csv
    codeColumn: code
    nameColumn: label
    levelColumn: level
    colour: red
  - table: nuts.csv
    codeColumn: code
`,
		"nuts.csv": "code,label,level\nPL,,0\nPL2,Makroregion południowy,1\nPL213,Miasto Kraków,3\nPL21X,Too long,2\nQQ,,0\n",
	})
	_, err := LoadDir(dir, "t")
	if err == nil {
		t.Fatal("loaded")
	}
	for _, want := range []string{
		`regions.yaml:6: unknown key "colour" in a region import`,
		`regions.yaml:7: region import has no "nameColumn" (required)`,
		`nuts.csv:5: NUTS code "PL21X" does not fit level 2`,
		`nuts.csv:6: unknown country code "QQ"`,
		`nuts.csv:4: NUTS code "PL213" has no parent: no table has the code "PL21"`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing problem %q in:\n%v", want, err)
		}
	}
}

// TestSeedRegionsAreNUTS checks the seed's nuts properties against the NUTS
// files: every code is a region of data/nuts whose label is the seed
// region's name or one of its aliases (case and diacritics aside), so that
// the linked network rightly makes them one entity. Häme's NUTS region is
// Kanta-Häme, an alias.
func TestSeedRegionsAreNUTS(t *testing.T) {
	seed, err := LoadDir("../data/seed", "seed")
	if err != nil {
		t.Fatal(err)
	}
	nuts, err := LoadDir("../data/nuts", "nuts")
	if err != nil {
		t.Fatal(err)
	}
	regions := map[string]coopgraph.Entity{}
	for _, e := range nuts.Entities {
		regions[e.ID] = e
	}
	coded := 0
	for _, e := range seed.Entities {
		code := e.Properties["nuts"]
		if code == "" {
			continue
		}
		coded++
		r, ok := regions["nuts:"+code]
		if !ok || e.Kind != "Region" {
			t.Errorf("seed %s (%s) has nuts %s: not a NUTS region", e.ID, e.Kind, code)
			continue
		}
		names := append([]string{e.Name}, e.Aliases...)
		found := false
		for _, n := range names {
			found = found || coopgraph.Fold(n) == coopgraph.Fold(r.Name)
		}
		if !found {
			t.Errorf("seed %s (%q) has nuts %s, labelled %q: not one of its names", e.ID, e.Name, code, r.Name)
		}
		if e.Properties["country"] != code[:2] && (code[:2] != "EL" || e.Properties["country"] != "GR") {
			t.Errorf("seed %s: country %s, NUTS code %s", e.ID, e.Properties["country"], code)
		}
	}
	if coded != 10 {
		t.Errorf("%d seed regions with a NUTS code, want 10 (all but Małopolska Zachodnia and Polska Południowa)", coded)
	}
}
