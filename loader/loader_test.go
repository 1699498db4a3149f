package loader

import (
	"embed"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/coopgraph/coopgraph"
)

// validDataset is what testdata/valid holds: YAML (.yaml and .yml) and CSV
// in one directory, with relations crossing between them both ways.
var validDataset = &coopgraph.Dataset{
	Name: "valid",
	Entities: []coopgraph.Entity{
		{ID: "horizon-2020", Kind: "Programme", Name: "Horizon 2020", Aliases: []string{"H2020"}},
		{
			ID: "malopolskie", Kind: "Region", Name: "Województwo Małopolskie",
			Aliases:    []string{"Małopolska", "Lesser Poland"},
			Properties: map[string]string{"country": "PL", "population": "3410000"},
			Facts:      []coopgraph.Fact{{Property: "capital", Value: "Kraków", Document: "000_intro.txt", Quote: "Kraków is the capital"}},
			Documents:  []string{"000_intro.txt"},
		},
		{
			ID: "proj:s3-pilot", Kind: "Project", Name: `S3 Pilot "Efficient and Sustainable Manufacturing"`,
			Aliases:    []string{"ESM", "S3 pilot ESM"},
			Properties: map[string]string{"url": "https://example.eu/esm"},
			Documents:  []string{"003_pilot.txt", "004_report.txt"},
		},
		{
			ID: "slaskie", Kind: "Region", Name: "Województwo Śląskie",
			Aliases:    []string{"Śląsk", "Silesia"},
			Properties: map[string]string{"country": "PL"},
		},
		{
			ID: "vanguard-initiative", Kind: "Network", Name: "Vanguard Initiative",
			Facts: []coopgraph.Fact{{Property: "memberRegions", Value: "34", Document: "002_vanguard.txt"}},
		},
	},
	Relations: []coopgraph.Relation{
		{
			ID: "malopolskie-s3-pilot", Type: "PARTICIPATES_IN", From: "malopolskie", To: "proj:s3-pilot",
			Start: "2016", Properties: map[string]string{"weight": "2"},
		},
		{
			ID:   "malopolskie|MEMBER_OF|vanguard-initiative|initiating member|2013-11-05|002_vanguard.txt",
			Type: "MEMBER_OF", From: "malopolskie", To: "vanguard-initiative", Role: "initiating member",
			Start: "2013-11-05", End: "2023-10", Document: "002_vanguard.txt", Quote: "Małopolska joined in November 2013",
		},
		{
			ID:   "proj:s3-pilot|FUNDED_BY|horizon-2020|003_pilot.txt",
			Type: "FUNDED_BY", From: "proj:s3-pilot", To: "horizon-2020", Document: "003_pilot.txt",
		},
		{ID: "proj:s3-pilot|PART_OF|vanguard-initiative", Type: "PART_OF", From: "proj:s3-pilot", To: "vanguard-initiative"},
		{
			ID:   "slaskie|MEMBER_OF|vanguard-initiative|member|2014|002_vanguard.txt",
			Type: "MEMBER_OF", From: "slaskie", To: "vanguard-initiative", Role: "member", Start: "2014",
			Document: "002_vanguard.txt", Quote: "Śląskie joined\nin 2014", Properties: map[string]string{"weight": "1"},
		},
	},
}

// sameDataset reports the differences between got and want entity by
// entity and relation by relation.
func sameDataset(t *testing.T, got, want *coopgraph.Dataset) {
	t.Helper()
	if got == nil {
		t.Fatal("no dataset")
	}
	if got.Name != want.Name {
		t.Errorf("Name = %q, want %q", got.Name, want.Name)
	}
	if len(got.Entities) != len(want.Entities) {
		t.Errorf("%d entities, want %d", len(got.Entities), len(want.Entities))
	}
	for i := range min(len(got.Entities), len(want.Entities)) {
		if !reflect.DeepEqual(got.Entities[i], want.Entities[i]) {
			t.Errorf("entity %d:\n got %#v\nwant %#v", i, got.Entities[i], want.Entities[i])
		}
	}
	if len(got.Relations) != len(want.Relations) {
		t.Errorf("%d relations, want %d", len(got.Relations), len(want.Relations))
	}
	for i := range min(len(got.Relations), len(want.Relations)) {
		if !reflect.DeepEqual(got.Relations[i], want.Relations[i]) {
			t.Errorf("relation %d:\n got %#v\nwant %#v", i, got.Relations[i], want.Relations[i])
		}
	}
}

func TestLoadDirValid(t *testing.T) {
	ds, err := LoadDir(filepath.Join("testdata", "valid"), "valid")
	if err != nil {
		t.Fatal(err)
	}
	sameDataset(t, ds, validDataset)
}

//go:embed testdata/valid
var embedded embed.FS

// TestLoadFSEmbedded loads the same dataset embedded with go:embed, as the
// seed dataset is.
func TestLoadFSEmbedded(t *testing.T) {
	sub, err := fs.Sub(embedded, "testdata/valid")
	if err != nil {
		t.Fatal(err)
	}
	ds, err := LoadFS(sub, "seed", "valid")
	if err != nil {
		t.Fatal(err)
	}
	sameDataset(t, ds, validDataset)
}

func TestLoadFSMap(t *testing.T) {
	fsys := fstest.MapFS{}
	entries, err := os.ReadDir(filepath.Join("testdata", "valid"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join("testdata", "valid", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		fsys[e.Name()] = &fstest.MapFile{Data: data}
	}
	ds, err := LoadFS(fsys, "data/seed", "valid")
	if err != nil {
		t.Fatal(err)
	}
	sameDataset(t, ds, validDataset)

	// Problems name files with the display prefix.
	fsys["z.yaml"] = &fstest.MapFile{Data: []byte("relations:\n  - {from: slaskie, type: MEMBER_OF, to: foo}\n")}
	ds, err = LoadFS(fsys, "data/seed", "valid")
	ps := loadProblems(t, ds, err)
	if want := `data/seed/z.yaml:2: relation to unknown entity "foo" (to): no entity of the dataset has this id`; len(ps) != 1 || ps[0].String() != want {
		t.Errorf("got %v, want %s", ps, want)
	}
}

func TestLoadGzip(t *testing.T) {
	ds, err := LoadDir(filepath.Join("testdata", "gzip"), "gz")
	if err != nil {
		t.Fatal(err)
	}
	sameDataset(t, ds, &coopgraph.Dataset{
		Name: "gz",
		Entities: []coopgraph.Entity{
			{ID: "a", Kind: "Region", Name: "A", Aliases: []string{"Ay"}},
			{ID: "b", Kind: "Network", Name: "B"},
		},
		Relations: []coopgraph.Relation{
			{ID: "a|MEMBER_OF|b", Type: "MEMBER_OF", From: "a", To: "b", Properties: map[string]string{"weight": "3"}},
		},
	})
}

// TestLoadBOM: a UTF-8 byte order mark, as spreadsheet programs write,
// must not end up in the first column's name.
func TestLoadBOM(t *testing.T) {
	ds, err := LoadDir(filepath.Join("testdata", "bom"), "bom")
	if err != nil {
		t.Fatal(err)
	}
	sameDataset(t, ds, &coopgraph.Dataset{
		Name: "bom",
		Entities: []coopgraph.Entity{
			{ID: "a", Kind: "Region", Name: "A"},
			{ID: "b", Kind: "Network", Name: "B"},
		},
		Relations: []coopgraph.Relation{{ID: "a|MEMBER_OF|b", Type: "MEMBER_OF", From: "a", To: "b"}},
	})
}

// TestQuotedNewlineKeepsLines: a quoted cell running over several lines
// must not shift the lines of the records after it.
func TestQuotedNewlineKeepsLines(t *testing.T) {
	dir := filepath.Join("testdata", "quoted-newline")
	ds, err := LoadDir(dir, "test")
	ps := loadProblems(t, ds, err)
	want := []string{
		filepath.Join(dir, "edges.csv") + `:5: bad date "2020-13" in start`,
		filepath.Join(dir, "nodes.csv") + `:5: unknown kind "Regoin" (did you mean Region?)`,
	}
	if len(ps) != len(want) {
		t.Fatalf("got\n%v\nwant problems starting with\n%s", ps, strings.Join(want, "\n"))
	}
	for i, w := range want {
		if !strings.HasPrefix(ps[i].String(), w) {
			t.Errorf("problem %d is %s, want %s…", i, ps[i], w)
		}
	}
}

// TestQuotedNewlineValue: the cell's text keeps its newlines.
func TestQuotedNewlineValue(t *testing.T) {
	fsys := fstest.MapFS{
		"nodes.csv": {Data: []byte("id,kind,name,description\r\na,Region,A,\"two\r\nlines\"\r\nb,Region,B,\r\n")},
		"edges.csv": {Data: []byte("source,target,type,quote\na,b,SUPPORTS,\"\"\"quoted\"\"\nand more\"\n")},
	}
	ds, err := LoadFS(fsys, "", "test")
	if err != nil {
		t.Fatal(err)
	}
	if got := ds.Entities[0].Properties["description"]; got != "two\nlines" {
		t.Errorf("description = %q", got)
	}
	if got := ds.Relations[0].Quote; got != "\"quoted\"\nand more" {
		t.Errorf("quote = %q", got)
	}
}

// TestYAMLValues covers the YAML forms values may take: unquoted dates and
// years, numbers, several documents in one file, empty lists.
func TestYAMLValues(t *testing.T) {
	fsys := fstest.MapFS{
		"x.yaml": {Data: []byte(`entities:
  - id: 2013
    kind: Event
    name: 2013
    aliases: []
    properties: {year: 2013, ratio: 1.50, open: true}
  - {id: b, kind: Network, name: '  B  '}
relations:
  - {from: 2013, type: ORGANISED, to: b, start: 2013-11-05, end: 2014}
---
relations:
  - {from: b, type: ORGANISED, to: 2013, start: 2013-11, end: 2013-11-30, role: ~}
`)},
		"empty.yml": {Data: []byte("# nothing yet\n")},
	}
	ds, err := LoadFS(fsys, "", "test")
	if err != nil {
		t.Fatal(err)
	}
	sameDataset(t, ds, &coopgraph.Dataset{
		Name: "test",
		Entities: []coopgraph.Entity{
			{ID: "2013", Kind: "Event", Name: "2013", Properties: map[string]string{"year": "2013", "ratio": "1.50", "open": "true"}},
			{ID: "b", Kind: "Network", Name: "B"},
		},
		Relations: []coopgraph.Relation{
			{ID: "2013|ORGANISED|b|2013-11-05", Type: "ORGANISED", From: "2013", To: "b", Start: "2013-11-05", End: "2014"},
			{ID: "b|ORGANISED|2013|2013-11", Type: "ORGANISED", From: "b", To: "2013", Start: "2013-11", End: "2013-11-30"},
		},
	})
}

// TestDirectoryNames: files are named by the directory as given, cleaned.
func TestDirectoryNames(t *testing.T) {
	_, err := LoadDir("testdata/bad/unknown-kind/", "test")
	ps := loadProblems(t, nil, err)
	if want := filepath.Join("testdata", "bad", "unknown-kind", "x.yaml"); ps[0].File != want {
		t.Errorf("File = %q, want %q", ps[0].File, want)
	}
	_, err = LoadFS(fstest.MapFS{"x.yaml": {Data: []byte("entities: 3\n")}}, "", "test")
	ps = loadProblems(t, nil, err)
	if want := "x.yaml:1: entities must be a list, not a number"; ps[0].String() != want {
		t.Errorf("got %s, want %s", ps[0], want)
	}
}

// TestCredit: the credit lines of every file, one or a list, in the order
// the files are read, each once; an empty one is a problem at its line.
func TestCredit(t *testing.T) {
	fsys := fstest.MapFS{
		"a.yaml":      {Data: []byte("entities:\n  - {id: a, kind: Region, name: A}\n")},
		"credit.yaml": {Data: []byte("credit: \"NUTS: © European Union, Eurostat\"\n")},
		"more.yaml":   {Data: []byte("credit:\n  - \"Source: keep.eu (Interact)\"\n  - \"NUTS: © European Union, Eurostat\"\n")},
	}
	ds, err := LoadFS(fsys, "", "test")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"NUTS: © European Union, Eurostat", "Source: keep.eu (Interact)"}; !reflect.DeepEqual(ds.Credits, want) {
		t.Errorf("credits = %q, want %q", ds.Credits, want)
	}
	fsys["credit.yaml"] = &fstest.MapFile{Data: []byte("# the source's line\ncredit: \"\"\n")}
	ds, err = LoadFS(fsys, "", "test")
	ps := loadProblems(t, ds, err)
	if len(ps) != 1 || ps[0].File != "credit.yaml" || ps[0].Line != 2 || !strings.Contains(ps[0].Reason, "credit has no value") {
		t.Errorf("empty credit: %v", ps)
	}
}

// TestSourcesCredit: each real source's directory names its credit line.
func TestSourcesCredit(t *testing.T) {
	for dir, want := range map[string]string{
		"cordis-h2020":  "CORDIS: © European Union",
		"keep-interreg": "Source: keep.eu (Interact)",
		"nuts":          "NUTS: © European Union, Eurostat",
	} {
		fsys := fstest.MapFS{}
		data, err := os.ReadFile(filepath.Join("..", "data", dir, "credit.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		fsys["credit.yaml"] = &fstest.MapFile{Data: data}
		fsys["x.yaml"] = &fstest.MapFile{Data: []byte("entities:\n  - {id: a, kind: Region, name: A}\n")}
		ds, err := LoadFS(fsys, "", dir)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(ds.Credits, []string{want}) {
			t.Errorf("%s: credits %q, want %q", dir, ds.Credits, want)
		}
	}
}
