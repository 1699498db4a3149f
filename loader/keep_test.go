package loader

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/coopgraph/coopgraph"
)

// keepFixture loads testdata/keep, a few keep.eu-like rows in the three
// tables' forms, with its report.
func keepFixture(t *testing.T) (*coopgraph.Dataset, Report) {
	t.Helper()
	ds, rep, err := LoadDirReport("testdata/keep", "keep", Options{})
	if err != nil {
		t.Fatal(err)
	}
	return ds, rep
}

func entitiesByID(ds *coopgraph.Dataset) map[string]coopgraph.Entity {
	m := make(map[string]coopgraph.Entity, len(ds.Entities))
	for _, e := range ds.Entities {
		m[e.ID] = e
	}
	return m
}

// relationSet is the relations as "from TYPE to role start end".
func relationSet(ds *coopgraph.Dataset) map[string]bool {
	m := make(map[string]bool, len(ds.Relations))
	for _, r := range ds.Relations {
		m[strings.TrimSpace(strings.Join([]string{r.From, r.Type, r.To, r.Role, r.Start, r.End}, " "))] = true
	}
	return m
}

const (
	ugb      = "keep:2014-2020-interreg-vb-central-europe/ugb"
	quoted   = "keep:2014-2020-interreg-v-a-poland-slovakia/quoted-acronym"
	bodensee = "keep:2014-2020-interreg-v-a-germany-switzerland/bodensee"
	climate  = "keep:2007-2013-central-europe/climate"
	cbsr     = "keep:2000-2006-baltic-sea-region/cbsr"
	mpRegion = "keep:pl/malopolska-region"
	marshal  = "keep:pl/marshal-office-of-the-malopolska-region"
	leipzig  = "keep:de/stadt-leipzig"
	kreuz    = "keep:ch/stadt-kreuzlingen"
	nowyTarg = "keep:pl/gmina-nowy-targ"
	oslo     = "keep:no/oslo-teknopol-iks"
)

// TestKeepEntities: ids from columns (slugs: one id whatever the case and
// diacritics), names, aliases and properties, from every table.
func TestKeepEntities(t *testing.T) {
	ds, _ := keepFixture(t)
	byID := entitiesByID(ds)
	want := map[string][2]string{ // id -> kind, name
		ugb:      {"Project", "Urban Green Belts"}, // the projects table's title
		quoted:   {"Project", "Nazwa po polsku"},   // no title: the first alias column given
		bodensee: {"Project", "Bodensee"}, climate: {"Project", "CLIMATE"}, cbsr: {"Project", "CBSR"},
		"keep:programme/2014-2020-interreg-vb-central-europe":       {"Programme", "2014 - 2020 INTERREG VB Central Europe"},
		"keep:programme/2014-2020-interreg-v-a-poland-slovakia":     {"Programme", "2014 - 2020 INTERREG V-A Poland - Slovakia"},
		"keep:programme/2014-2020-interreg-v-a-germany-switzerland": {"Programme", "2014 - 2020 INTERREG V-A Germany - Switzerland"},
		"keep:programme/2007-2013-central-europe":                   {"Programme", "2007 – 2013 Central Europe"},
		"keep:programme/2000-2006-baltic-sea-region":                {"Programme", "2000 - 2006 Baltic Sea Region"},
		mpRegion: {"Organisation", "Małopolska Region"}, marshal: {"Organisation", "Marshal Office of the Małopolska Region"},
		leipzig: {"Organisation", "Stadt Leipzig"}, kreuz: {"Organisation", "Stadt Kreuzlingen"},
		nowyTarg: {"Organisation", "Gmina Nowy Targ"}, oslo: {"Organisation", "Oslo Teknopol IKS"},
		"nuts:PL2": {"Region", "REGION POŁUDNIOWY"}, "nuts:PL21": {"Region", "Małopolskie"},
		"nuts:PL213": {"Region", "Miasto Kraków"}, "nuts:PL219": {"Region", "Nowotarski"},
		"nuts:DED": {"Region", "SACHSEN"}, "nuts:DED5": {"Region", "Leipzig"}, "nuts:DED51": {"Region", "Leipzig, Kreisfreie Stadt"},
		"nuts:CH0": {"Region", "SCHWEIZ/SUISSE/SVIZZERA"}, "nuts:CH05": {"Region", "Ostschweiz"}, "nuts:CH053": {"Region", "Thurgau"},
		"country:PL": {"Country", "Poland"}, "country:DE": {"Country", "Germany"},
		"country:CH": {"Country", "Switzerland"}, "country:NO": {"Country", "Norway"},
	}
	if len(ds.Entities) != len(want) {
		ids := make([]string, 0, len(ds.Entities))
		for _, e := range ds.Entities {
			ids = append(ids, e.ID)
		}
		t.Errorf("%d entities, want %d: %v", len(ds.Entities), len(want), ids)
	}
	for id, kn := range want {
		if e, ok := byID[id]; !ok || e.Kind != kn[0] || e.Name != kn[1] {
			t.Errorf("%s = %s %q (present %v), want %s %q", id, e.Kind, e.Name, ok, kn[0], kn[1])
		}
	}
	checks := []struct {
		id, what string
		got      any
		want     any
	}{
		{mpRegion, "aliases", byID[mpRegion].Aliases, []string{"Malopolska Region"}}, // "MAŁOPOLSKA REGION" differs in case only
		{ugb, "aliases", byID[ugb].Aliases, []string{"UGB"}},
		{quoted, "aliases", byID[quoted].Aliases, []string{"Quoted;Acronym"}},
		{"nuts:PL213", "aliases", byID["nuts:PL213"].Aliases, []string{"Kraków (older label)"}},
		{"keep:programme/2007-2013-central-europe", "aliases", byID["keep:programme/2007-2013-central-europe"].Aliases,
			[]string{"2007 - 2013 Central Europe"}},
		{mpRegion, "properties", byID[mpRegion].Properties,
			map[string]string{"town": "Krakow", "website": "http://m.pl", "legalStatus": "public", "country": "PL"}},
		{kreuz, "country", byID[kreuz].Properties["country"], "CH"},
		{ugb, "properties", byID[ugb].Properties, map[string]string{"euFunding": "1000.5", "theme1": "Environment",
			"description": "A description\nover two lines", "url": "https://keep.eu/?p=2014-2020-interreg-vb-central-europe/ugb",
			"start": "2016-06-01", "end": "2019-05-31"}},
		{"nuts:PL213", "properties", byID["nuts:PL213"].Properties, map[string]string{"nuts": "PL213", "level": "3"}},
		{"nuts:PL2", "properties", byID["nuts:PL2"].Properties, map[string]string{"nuts": "PL2", "level": "1"}},
	}
	for _, c := range checks {
		if !equalAny(c.got, c.want) {
			t.Errorf("%s %s: %v, want %v", c.id, c.what, c.got, c.want)
		}
	}
}

func equalAny(a, b any) bool {
	switch x := a.(type) {
	case []string:
		return slices.Equal(x, b.([]string))
	case map[string]string:
		y := b.(map[string]string)
		if len(x) != len(y) {
			return false
		}
		for k, v := range x {
			if y[k] != v {
				return false
			}
		}
		return true
	}
	return a == b
}

// TestKeepRelations: roles from the lead-partner flag, dates from the
// projects table else the programme's period, one participation for the
// overlap of two files, regions PART_OF their parents up to the country,
// organisations LOCATED_IN their most detailed region (else their country).
func TestKeepRelations(t *testing.T) {
	ds, _ := keepFixture(t)
	want := []string{
		// stated by partnerships.csv and partners.csv: one relation
		mpRegion + " PARTICIPATES_IN " + ugb + " partner 2016-06-01 2019-05-31",
		leipzig + " PARTICIPATES_IN " + ugb + " lead partner 2016-06-01 2019-05-31",
		kreuz + " PARTICIPATES_IN " + bodensee + " lead partner 2014 2020",
		nowyTarg + " PARTICIPATES_IN " + quoted + " partner 2014 2020",
		marshal + " PARTICIPATES_IN " + climate + " lead partner 2007 2013", // "2007 – 2013", en dash
		leipzig + " PARTICIPATES_IN " + climate + " partner 2007 2013",
		oslo + " PARTICIPATES_IN " + cbsr + " lead partner 2000 2006",
		ugb + " FUNDED_BY keep:programme/2014-2020-interreg-vb-central-europe",
		quoted + " FUNDED_BY keep:programme/2014-2020-interreg-v-a-poland-slovakia",
		bodensee + " FUNDED_BY keep:programme/2014-2020-interreg-v-a-germany-switzerland",
		climate + " FUNDED_BY keep:programme/2007-2013-central-europe",
		cbsr + " FUNDED_BY keep:programme/2000-2006-baltic-sea-region",
		mpRegion + " LOCATED_IN nuts:PL213", marshal + " LOCATED_IN nuts:PL213", leipzig + " LOCATED_IN nuts:DED51",
		kreuz + " LOCATED_IN nuts:CH053", nowyTarg + " LOCATED_IN nuts:PL219", oslo + " LOCATED_IN country:NO",
		"nuts:PL213 PART_OF nuts:PL21", "nuts:PL219 PART_OF nuts:PL21", "nuts:PL21 PART_OF nuts:PL2", "nuts:PL2 PART_OF country:PL",
		"nuts:DED51 PART_OF nuts:DED5", "nuts:DED5 PART_OF nuts:DED", "nuts:DED PART_OF country:DE",
		"nuts:CH053 PART_OF nuts:CH05", "nuts:CH05 PART_OF nuts:CH0", "nuts:CH0 PART_OF country:CH",
	}
	got := relationSet(ds)
	for _, w := range want {
		if !got[w] {
			t.Errorf("no relation %s", w)
		}
	}
	if len(ds.Relations) != len(want) {
		t.Errorf("%d relations, want %d: %v", len(ds.Relations), len(want), got)
	}
	for _, r := range ds.Relations {
		if r.From == mpRegion && r.Type == "PARTICIPATES_IN" && r.Document != "partnerships" {
			t.Errorf("the overlap's relation has document %q: the first table's (partnerships) is kept", r.Document)
		}
	}
}

// TestKeepWarnings: a partner listed twice in a project, and a Country
// contradicting the Country code, are reported at their line with what
// was kept, and the dataset loads; LoadDir still returns it alone.
func TestKeepWarnings(t *testing.T) {
	_, rep := keepFixture(t)
	file := filepath.Join("testdata", "keep", "partnerships.csv")
	want := []string{
		file + `:4: organisation "keep:pl/malopolska-region" is listed twice in project "` + ugb + `" (first at line 2): kept the first row, this one is skipped`,
		file + `:5: "Country" "Germany" and "Country code" "CH Switzerland / SCHWEIZ/SUISSE/SVIZZERA" disagree: kept the code CH`,
	}
	if len(rep.Warnings) != len(want) {
		t.Errorf("warnings:\n%v\nwant %d", rep.Warnings.Error(), len(want))
	}
	for i, w := range want {
		if i < len(rep.Warnings) && rep.Warnings[i].String() != w {
			t.Errorf("warning %d:\n%s\nwant\n%s", i, rep.Warnings[i], w)
		}
	}
	ds, err := LoadDir("testdata/keep", "keep")
	if err != nil || len(ds.Entities) == 0 {
		t.Errorf("LoadDir: %v, %v", ds, err)
	}
}

// TestKeepProblems: what breaks the mapping's rules (not the publisher's
// defects) still fails the load, at file:line, with nothing loaded.
func TestKeepProblems(t *testing.T) {
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join("testdata", "keep", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	files := func(change func(map[string]string)) map[string]string {
		m := map[string]string{}
		for _, n := range []string{"keep.yaml", "partnerships.csv", "partners.csv", "projects.csv"} {
			m[n] = read(n)
		}
		change(m)
		return m
	}
	cases := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"unmapped role", files(func(m map[string]string) {
			m["partners.csv"] += "2000 - 2006 Baltic Sea Region,CBSR,Tallinn,Maybe,Tallinn,Estonia,,,EE Estonia / EESTI,,,\n"
		}), `partners.csv:6: "Lead.Partner" "Maybe" is not among the roles of the mapping ("No", "Yes"): add it to roles`},
		{"missing column", files(func(m map[string]string) {
			m["keep.yaml"] = strings.Replace(m["keep.yaml"], "theme1: Thematic1", "theme1: Thematic 1", 1)
		}), `projects.csv:1: the header has no "Thematic 1" column`},
		{"bad delimiter", files(func(m map[string]string) {
			m["keep.yaml"] = strings.Replace(m["keep.yaml"], `delimiter: ";"`, `delimiter: ";;"`, 1)
		}), `keep.yaml:5: delimiter ";;" must be one character`},
		{"no id columns", files(func(m map[string]string) {
			m["partners.csv"] += ",,Tallinn,No,Tallinn,Estonia,,,EE Estonia / EESTI,,,\n"
		}), `partners.csv:6: empty "Programme", "Acronym": the project id is made of them`},
		{"unknown key", files(func(m map[string]string) {
			m["keep.yaml"] = strings.Replace(m["keep.yaml"], "periodColumn: Period", "periodColum: Period", 1)
		}), `keep.yaml:47: unknown key "periodColum" in a projects table (did you mean periodColumn?)`},
		{"one id, two kinds", files(func(m map[string]string) {
			m["keep.yaml"] = strings.Replace(m["keep.yaml"], `programme: {idColumns: [Programme], idPrefix: "keep:programme/", nameColumn: Programme}
    startColumn`, `programme: {idColumns: [Programme, Acronym], idPrefix: "keep:", nameColumn: Programme}
    startColumn`, 1)
		}), `projects.csv:2: id "` + ugb + `" is a Programme here but a Project at `},
		{"organisation in a projects table", files(func(m map[string]string) {
			m["keep.yaml"] = strings.Replace(m["keep.yaml"], "periodColumn: Period", "roleColumn: Period", 1)
		}), `keep.yaml:47: unknown key "roleColumn" in a projects table`},
	}
	for _, c := range cases {
		dir := writeDir(t, c.files)
		ds, rep, err := LoadDirReport(dir, "keep", Options{})
		if ds != nil || err == nil {
			t.Errorf("%s: loaded, want problems", c.name)
			continue
		}
		text := strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), "")
		if !strings.Contains(text, c.want) {
			t.Errorf("%s: problems\n%s\nwant one containing %q", c.name, text, c.want)
		}
		// The tables are read when the mapping is right: their defects
		// are still reported beside the problems.
		if tablesRead := !strings.HasPrefix(c.want, "keep.yaml"); tablesRead && len(rep.Warnings) != 2 {
			t.Errorf("%s: warnings %v, want the fixture's 2 beside the problems", c.name, rep.Warnings)
		}
	}
}

// TestImportCells: the readings of a publisher's cells.
func TestImportCells(t *testing.T) {
	for in, want := range map[string]string{
		"WOJEWÓDZTWO MAŁOPOLSKIE": "wojewodztwo-malopolskie", "Województwo  Małopolskie!": "wojewodztwo-malopolskie",
		"Ville d’Ajaccio": "ville-d-ajaccio", "ΕΛΛΑΔΑ": "u3b5u3bbu3bbu3b1u3b4u3b1", "": "",
	} {
		if got := slug(in); got != want {
			t.Errorf("slug(%q) = %q, want %q", in, got, want)
		}
	}
	long := "keep:" + strings.Repeat("abc-", 60)
	if got := fitID(long); len(got) != maxIDLen || idProblem("id", got) != "" || got == fitID(long+"x") {
		t.Errorf("fitID: %q (%d), want a valid id of %d characters, distinct for another input", got, len(got), maxIDLen)
	}
	for in, want := range map[string][3]string{
		"2014 - 2020 INTERREG VB Central Europe": {"2014", "2020", "ok"}, "2007 – 2013 Atlantic Area": {"2007", "2013", "ok"},
		"2014-2020": {"2014", "2020", "ok"}, "INTERREG 2014 - 2020": {"", "", ""}, "2014 - 20201": {"", "", ""}, "2014": {"", "", ""},
	} {
		s, e, ok := period(in)
		if s != want[0] || e != want[1] || ok != (want[2] == "ok") {
			t.Errorf("period(%q) = %q %q %v, want %v", in, s, e, ok, want)
		}
	}
	for in, want := range map[string][3]string{
		"PL213  / Miasto Kraków": {"PL213", "Miasto Kraków", "ok"}, "ITH10  / Bolzano-Bozen/Bolzano": {"ITH10", "Bolzano-Bozen/Bolzano", "ok"},
		"PL21": {"PL21", "", "ok"}, "pl21 / x": {"pl21", "x", ""}, "1PL / x": {"1PL", "x", ""},
	} {
		c, l, ok := regionCell(in)
		if c != want[0] || l != want[1] || ok != (want[2] == "ok") {
			t.Errorf("regionCell(%q) = %q %q %v, want %v", in, c, l, ok, want)
		}
	}
	for in, want := range map[string][]string{
		"PL Poland / POLSKA": {"PL", "Poland", "POLSKA"}, "RS  / Serbia": {"RS", "Serbia"}, "be": {"BE"}, "": {""},
	} {
		code, names := countryCell(in)
		if got := append([]string{code}, names...); !slices.Equal(got, want) {
			t.Errorf("countryCell(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestLoadKeepInterreg loads data/keep-interreg, keep.eu's files as
// published, and checks it against counts of the raw rows made without
// the loader. Expected figures are printed by
//
//	python3 loader/testdata/keep/counts.py   # from the repository root
//
// (participations 36636, projects 19132, programmes 240; partnerships
// 2014–2020: 8619 participations in 1852 projects; PL21: 101
// participations in 82 projects); SOURCE.md's own counts appear where they
// apply as they are: 1,852 projects in the 2014–2020 partnerships, 8,621
// rows of which 2 repeat a partner (so 8,619), 29,994 rows of which 35
// repeat one.
func TestLoadKeepInterreg(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: loading 40,000 rows")
	}
	ds, rep, err := LoadDirReport("../data/keep-interreg", "keep-interreg", Options{})
	if err != nil {
		t.Fatal(err)
	}
	kinds, types := map[string]int{}, map[string]int{}
	for _, e := range ds.Entities {
		kinds[e.Kind]++
	}
	located := map[string]string{} // organisation -> region or country
	partnershipProjects := map[string]bool{}
	partnershipRows := 0
	for _, r := range ds.Relations {
		types[r.Type]++
		if r.Type == "LOCATED_IN" {
			located[r.From] = r.To
		}
		if r.Type == "PARTICIPATES_IN" && strings.Contains(r.Document, "keep_closed_1420_Partnership.csv") {
			partnershipRows++
			partnershipProjects[r.To] = true
		}
	}
	pl21, pl21Projects := 0, map[string]bool{}
	for _, r := range ds.Relations {
		if r.Type == "PARTICIPATES_IN" && strings.HasPrefix(located[r.From], "nuts:PL21") {
			pl21++
			pl21Projects[r.To] = true
		}
	}
	twice := 0
	for _, w := range rep.Warnings {
		if strings.Contains(w.Reason, "is listed twice in project") {
			twice++
		}
	}
	for _, c := range []struct {
		what      string
		got, want int
	}{
		{"participations", types["PARTICIPATES_IN"], 36636},
		{"projects", kinds["Project"], 19132},
		{"programmes", kinds["Programme"], 240},
		{"projects funded by a programme", types["FUNDED_BY"], 19132},
		{"2014–2020 partnerships' participations", partnershipRows, 8621 - 2},
		{"2014–2020 partnerships' projects", len(partnershipProjects), 1852},
		{"partners listed twice", twice, 2 + 35},
		{"PL21 participations", pl21, 101},
		{"PL21 projects", len(pl21Projects), 82},
		{"organisations located", len(located), kinds["Organisation"]},
	} {
		if c.got != c.want {
			t.Errorf("%s: %d, want %d", c.what, c.got, c.want)
		}
	}
	byID := entitiesByID(ds)
	if e := byID["nuts:PL21"]; e.Name != "Małopolskie" || e.Properties["level"] != "2" {
		t.Errorf("nuts:PL21 = %+v, want Małopolskie at level 2", e)
	}
}
