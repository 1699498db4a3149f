package loader

import (
	"bytes"
	"compress/gzip"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/coopgraph/coopgraph"
)

// writeDir writes files (name -> content; a name ending in .gz is
// compressed) into a new directory.
func writeDir(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		data := []byte(content)
		if strings.HasSuffix(name, ".gz") {
			var b bytes.Buffer
			zw := gzip.NewWriter(&b)
			_, _ = zw.Write(data) // into a bytes.Buffer: cannot fail
			_ = zw.Close()
			data = b.Bytes()
		}
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const participationMapping = `entities:
  - id: poland
    kind: Country
    name: Polska
    properties: {code: PL}
participations:
  - table: %TABLE%
    document: test participations
    project: {column: project_id, idPrefix: "p:", nameColumn: acronym, namePattern: "Project {id}"}
    organisation: {column: org_id, idPrefix: "o:", nameColumn: org_name}
    roleColumn: role
    countryColumn: country
`

// The publisher's columns, in its order, with a column the mapping ignores.
const participationTable = `project_id,acronym,org_id,org_name,country,role,ecContribution
1,ALPHA,10,Uniwersytet Jagielloński,PL,coordinator,100
1,ALPHA,11,,DE,participant,50
2,,10,Jagiellonian University,PL,participant,
2,,12,Politecnico di Torino,it,partner,
3,GAMMA,11,Fraunhofer,DE,coordinator,
`

func TestParticipationImport(t *testing.T) {
	for _, table := range []string{"participations.csv", "participations.csv.gz", "sub/participations.csv.gz"} {
		dir := writeDir(t, map[string]string{
			"mapping.yaml": strings.ReplaceAll(participationMapping, "%TABLE%", table),
			table:          participationTable,
		})
		ds, err := LoadDir(dir, "test")
		if err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		byID := map[string]coopgraph.Entity{}
		for _, e := range ds.Entities {
			byID[e.ID] = e
		}
		want := map[string][2]string{ // id -> kind, name
			"p:1": {"Project", "ALPHA"}, "p:2": {"Project", "Project 2"}, "p:3": {"Project", "GAMMA"},
			"o:10":       {"Organisation", "Uniwersytet Jagielloński"},
			"o:11":       {"Organisation", "Fraunhofer"}, // named by a later row: the pattern yields
			"o:12":       {"Organisation", "Politecnico di Torino"},
			"poland":     {"Country", "Polska"}, // the dataset's own Country with code PL
			"country:DE": {"Country", "Germany"}, "country:IT": {"Country", "Italy"},
		}
		if len(ds.Entities) != len(want) {
			t.Errorf("%s: %d entities, want %d: %v", table, len(ds.Entities), len(want), ds.Entities)
		}
		for id, kn := range want {
			if e := byID[id]; e.Kind != kn[0] || e.Name != kn[1] {
				t.Errorf("%s: %s = %s %q, want %s %q", table, id, e.Kind, e.Name, kn[0], kn[1])
			}
		}
		if a := byID["o:10"].Aliases; len(a) != 1 || a[0] != "Jagiellonian University" {
			t.Errorf("%s: o:10 aliases %v, want the other spelling of a later row", table, a)
		}
		if c := byID["country:IT"].Properties["code"]; c != "IT" {
			t.Errorf("%s: country:IT code %q (the table's lower-case it)", table, c)
		}
		rels := map[string]string{} // from type to -> role
		for _, r := range ds.Relations {
			rels[r.From+" "+r.Type+" "+r.To] = r.Role
			if r.Document != "test participations" {
				t.Errorf("%s: relation %s has document %q", table, r.ID, r.Document)
			}
		}
		wantRels := map[string]string{
			"o:10 PARTICIPATES_IN p:1": "coordinator", "o:11 PARTICIPATES_IN p:1": "participant",
			"o:10 PARTICIPATES_IN p:2": "participant", "o:12 PARTICIPATES_IN p:2": "partner",
			"o:11 PARTICIPATES_IN p:3": "coordinator",
			"o:10 LOCATED_IN poland":   "", "o:11 LOCATED_IN country:DE": "", "o:12 LOCATED_IN country:IT": "",
		}
		if len(rels) != len(wantRels) || len(ds.Relations) != len(wantRels) {
			t.Errorf("%s: relations %v, want %v", table, rels, wantRels)
		}
		for k, role := range wantRels {
			if got, ok := rels[k]; !ok || got != role {
				t.Errorf("%s: relation %s: present %v, role %q, want role %q", table, k, ok, got, role)
			}
		}
	}
}

// TestParticipationImportProblems: a bad table or mapping yields no
// dataset and names the file, the line and the reason.
func TestParticipationImportProblems(t *testing.T) {
	mapping := strings.ReplaceAll(participationMapping, "%TABLE%", "t.csv")
	cases := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{"missing table", map[string]string{"m.yaml": strings.ReplaceAll(participationMapping, "%TABLE%", "nowhere.csv")},
			[]string{"m.yaml:7: cannot read the participation table \"nowhere.csv\""}},
		{"missing column", map[string]string{"m.yaml": mapping, "t.csv": "project_id,acronym,org_id,country,role\n1,A,10,PL,x\n"},
			[]string{"t.csv:1: the header has no \"org_name\" column"}},
		{"empty id", map[string]string{"m.yaml": mapping, "t.csv": participationTable + "4,D,,,PL,x,\n"},
			[]string{"t.csv:7: empty \"org_id\": every row needs a project and an organisation"}},
		{"bad id", map[string]string{"m.yaml": mapping, "t.csv": participationTable + "4,D,a b,,PL,x,\n"},
			[]string{"t.csv:7: "}},
		{"unknown country", map[string]string{"m.yaml": mapping, "t.csv": participationTable + "4,D,13,,ZZ,x,\n"},
			[]string{"t.csv:7: unknown country code \"ZZ\" in column \"country\""}},
		{"two countries", map[string]string{"m.yaml": mapping, "t.csv": participationTable + "4,D,12,,FR,x,\n"},
			[]string{"t.csv:7: organisation \"o:12\" is in country \"FR\" here but in \"IT\" at line 5"}},
		{"malformed row", map[string]string{"m.yaml": mapping, "t.csv": participationTable + "4,D,13\n"},
			[]string{"t.csv:7: malformed CSV"}},
		{"no project mapping", map[string]string{"m.yaml": "participations:\n  - table: t.csv\n    organisation: {column: org_id}\n", "t.csv": participationTable},
			[]string{"m.yaml:2: participation import has no \"project\""}},
		{"no id column", map[string]string{"m.yaml": "participations:\n  - table: t.csv\n    project: {idPrefix: x}\n    organisation: {column: org_id}\n", "t.csv": participationTable},
			[]string{"m.yaml:3: project has no \"column\""}},
		{"unknown key", map[string]string{"m.yaml": "participations:\n  - table: t.csv\n    projekt: {column: project_id}\n    project: {column: project_id}\n    organisation: {column: org_id}\n", "t.csv": participationTable},
			[]string{"m.yaml:3: unknown key \"projekt\" in a participation import (did you mean project?)"}},
		{"pattern without id", map[string]string{"m.yaml": "participations:\n  - table: t.csv\n    project: {column: project_id, namePattern: Project}\n    organisation: {column: org_id}\n", "t.csv": participationTable},
			[]string{"m.yaml:3: project namePattern \"Project\" has no {id}"}},
	}
	for _, c := range cases {
		dir := writeDir(t, c.files)
		ds, err := LoadDir(dir, "test")
		if ds != nil || err == nil {
			t.Errorf("%s: loaded %v, want problems", c.name, ds)
			continue
		}
		text := strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), "")
		for _, w := range c.want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: problems\n%s\nwant one containing %q", c.name, text, w)
			}
		}
	}
}

// TestCORDISImport loads the real Horizon 2020 participations through the
// mappings in data/cordis-h2020 and checks the counts of their SOURCE.md,
// and those of the extra columns against the raw rows, as printed by
//
//	python3 loader/testdata/cordis_counts.py   # from the repository root
//
// (projects 31452: one is only in the programme parts; 37441 project–part
// pairs; 31445 projects with a start; organisations by type HES 2617, OTH
// 4258, PRC 23407, PUB 2524, REC 3065; 130972 contributions summing to
// 59062053006.72 EUR).
func TestCORDISImport(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: loading 144,726 rows")
	}
	ds, rep, err := LoadDirReport("../data/cordis-h2020", "cordis-h2020", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Warnings) != 0 {
		t.Errorf("warnings: %v", rep.Warnings.Error())
	}
	kinds, types, orgTypes := map[string]int{}, map[string]int{}, map[string]int{}
	started := 0
	for _, e := range ds.Entities {
		kinds[e.Kind]++
		switch {
		case e.Kind == "Organisation":
			orgTypes[e.Properties["activityType"]]++
			pic := strings.TrimPrefix(e.ID, "pic:")
			if e.Properties["pic"] != pic || !strings.HasSuffix(e.Properties["url"], "/org-details/"+pic) || e.Properties["type"] == "" {
				t.Fatalf("organisation %+v: want its pic, url and type", e)
			}
		case e.Kind == "Project" && e.Properties["start"] != "":
			started++
			if e.Properties["url"] != "https://cordis.europa.eu/project/rcn/"+strings.TrimPrefix(e.ID, "h2020:") {
				t.Fatalf("project %+v: want its url", e)
			}
		}
	}
	contributions, cents := 0, int64(0)
	for _, r := range ds.Relations {
		types[r.Type]++
		if c, ok := r.Properties["contribution"]; ok {
			contributions++
			f, err := strconv.ParseFloat(c, 64)
			if err != nil {
				t.Fatal(err)
			}
			cents += int64(math.Round(f * 100))
		}
	}
	want := map[string]int{"Project": 31452, "Organisation": 35871, "Country": 168, "Programme": 20,
		"PARTICIPATES_IN": 144726, "LOCATED_IN": 35863, "FUNDED_BY": 37441, "PART_OF": 19,
		"HES": 2617, "OTH": 4258, "PRC": 23407, "PUB": 2524, "REC": 3065,
		"contributions": 130972}
	want["projects with a start"] = 31445
	got := map[string]int{"contributions": contributions, "projects with a start": started}
	for _, m := range []map[string]int{kinds, types, orgTypes} {
		for k, n := range m {
			got[k] = n
		}
	}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("%s: %d, want %d", k, got[k], n)
		}
	}
	if cents != 5906205300672 {
		t.Errorf("contributions sum to %d cents, want 5906205300672", cents)
	}
	if len(kinds) != 4 || len(types) != 4 {
		t.Errorf("kinds %v, types %v", kinds, types)
	}
}
