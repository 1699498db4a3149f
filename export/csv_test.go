package export_test

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/export"
	"github.com/coopgraph/coopgraph/loader"
)

// readCSV reads a table back into one map per record, by header name.
func readCSV(t *testing.T, b []byte) (header []string, rows []map[string]string) {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatalf("the CSV does not parse: %v\n%s", err, b)
	}
	header = recs[0]
	for _, rec := range recs[1:] {
		m := map[string]string{}
		for i, v := range rec {
			if v != "" {
				m[header[i]] = v
			}
		}
		rows = append(rows, m)
	}
	return header, rows
}

func TestCSVReadsBackAsWritten(t *testing.T) {
	sub := tricky()
	header, rows := readCSV(t, write(t, export.NodesCSV, sub))
	want := []string{"id", "kind", "name", "aliases", "documents", "community", "betweenness", "country", "description", "property:label", "url"}
	if !slices.Equal(header, want) {
		t.Errorf("nodes.csv header %q, want %q", header, want)
	}
	wantRows := []map[string]string{
		{"id": "malopolskie", "kind": "Region", "name": `Małopolska <"Lesser" & 'Poland'>`, "aliases": "Małopolska;Lesser Poland;ł;ś",
			"documents": "000.txt;004.txt", "community": "1", "betweenness": "0.30000000000000004",
			"country": "PL", "description": "line one\nline two\tand a tab, \"quoted\""},
		// CSV holds any character: the control character stays.
		{"id": "proj:s3/pilot", "kind": "Project", "name": "S3 Pilot \x01 control", "community": "2", "url": "https://example.eu/?a=1&b=2"},
		{"id": "slaskie", "kind": "Region", "name": "Województwo Śląskie", "aliases": "Śląsk;Silesia", "community": "1",
			"betweenness": "0", "country": "PL", "property:label": "a property named label"},
	}
	if !slices.EqualFunc(rows, wantRows, maps.Equal) {
		t.Errorf("nodes.csv\n%q\nwant\n%q", rows, wantRows)
	}

	header, rows = readCSV(t, write(t, export.EdgesCSV, sub))
	want = []string{"id", "source", "target", "type", "role", "start", "end", "document", "quote", "weight"}
	if !slices.Equal(header, want) {
		t.Errorf("edges.csv header %q, want %q", header, want)
	}
	rels := slices.Clone(sub.Relations)
	slices.SortFunc(rels, func(a, b coopgraph.Relation) int { return cmp.Compare(a.ID, b.ID) })
	for i, r := range rels {
		want := relationValues(r)
		want["id"] = r.ID
		if r.ID == coopgraph.RelationKey(r) {
			delete(want, "id") // derived: the import derives it again
		}
		if !maps.Equal(rows[i], want) {
			t.Errorf("edges.csv row %d\n%q\nwant\n%q", i+1, rows[i], want)
		}
	}
}

// The two tables are a dataset coopgraph's CSV import reads back as the
// dataset exported: every entity and relation with every field and id
// (facts aside, which CSV cannot hold).
func TestCSVLoadsBackAsTheSameDataset(t *testing.T) {
	ds, sub := seed(t)
	checkLoadsBack(t, ds, sub)
}

// checkLoadsBack writes sub, the whole of ds, as nodes.csv and edges.csv
// and checks that the loader reads them back as ds.
func checkLoadsBack(t *testing.T, ds *coopgraph.Dataset, sub *export.Subgraph) {
	t.Helper()
	dir := t.TempDir()
	for name, f := range map[string]func(*testing.T) []byte{
		"nodes.csv": func(t *testing.T) []byte { return write(t, export.NodesCSV, sub) },
		"edges.csv": func(t *testing.T) []byte { return write(t, export.EdgesCSV, sub) },
	} {
		if err := os.WriteFile(filepath.Join(dir, name), f(t), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	back, err := loader.LoadDir(dir, ds.Name)
	if err != nil {
		t.Fatalf("the exported CSV does not load: %v", err)
	}
	norm := func(ds *coopgraph.Dataset) ([]coopgraph.Entity, []coopgraph.Relation) {
		ents := slices.Clone(ds.Entities)
		for i := range ents {
			ents[i].Facts = nil
			if len(ents[i].Properties) == 0 {
				ents[i].Properties = nil
			}
		}
		rels := slices.Clone(ds.Relations)
		for i := range rels {
			if len(rels[i].Properties) == 0 {
				rels[i].Properties = nil
			}
		}
		slices.SortFunc(ents, func(a, b coopgraph.Entity) int { return cmp.Compare(a.ID, b.ID) })
		slices.SortFunc(rels, func(a, b coopgraph.Relation) int { return cmp.Compare(a.ID, b.ID) })
		return ents, rels
	}
	wantE, wantR := norm(ds)
	gotE, gotR := norm(back)
	if len(gotE) != len(wantE) || len(gotR) != len(wantR) {
		t.Fatalf("loaded %d entities, %d relations; exported %d, %d", len(gotE), len(gotR), len(wantE), len(wantR))
	}
	for i := range wantE {
		if !reflect.DeepEqual(gotE[i], wantE[i]) {
			t.Errorf("entity %s\n got %+v\nwant %+v", wantE[i].ID, gotE[i], wantE[i])
		}
	}
	for i := range wantR {
		if !reflect.DeepEqual(gotR[i], wantR[i]) {
			t.Errorf("relation %s\n got %+v\nwant %+v", wantR[i].ID, gotR[i], wantR[i])
		}
	}
}

// An empty subgraph is still a table: its header.
func TestEmptySubgraphWritesTheHeader(t *testing.T) {
	empty := &export.Subgraph{}
	if got := string(write(t, export.NodesCSV, empty)); got != "id,kind,name,aliases,documents\n" {
		t.Errorf("nodes.csv %q", got)
	}
	if got := string(write(t, export.EdgesCSV, empty)); got != "id,source,target,type,role,start,end,document,quote\n" {
		t.Errorf("edges.csv %q", got)
	}
	for name, f := range map[string]func(*testing.T, []byte){
		"graphml": func(t *testing.T, b []byte) { _, n, e := readGraphML(t, b); check(t, len(n)+len(e) == 0) },
		"gexf":    func(t *testing.T, b []byte) { _, n, e := readGEXF(t, b); check(t, len(n)+len(e) == 0) },
	} {
		t.Run(name, func(t *testing.T) { f(t, write(t, writers[name], empty)) })
	}
}

func check(t *testing.T, ok bool) {
	t.Helper()
	if !ok {
		t.Error("an empty subgraph wrote nodes or edges")
	}
}
