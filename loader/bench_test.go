package loader

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/coopgraph/coopgraph"
)

// Sizes of the bulk import the CSV format is made for.
const (
	bulkNodes = 70_000
	bulkEdges = 150_000
)

// writeBulk writes a valid nodes.csv and edges.csv of the given sizes into
// dir, with aliases, properties and every optional edge column in use.
func writeBulk(tb testing.TB, dir string, nodes, edges int) {
	tb.Helper()
	write := func(name string, fill func(w *bufio.Writer)) {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			tb.Fatal(err)
		}
		w := bufio.NewWriter(f)
		fill(w)
		if err := w.Flush(); err != nil {
			tb.Fatal(err)
		}
		if err := f.Close(); err != nil {
			tb.Fatal(err)
		}
	}
	kinds := coopgraph.Kinds
	types := coopgraph.RelationTypes
	write("nodes.csv", func(w *bufio.Writer) {
		_, _ = w.WriteString("id,kind,name,aliases,documents,country,url\n") // the bufio.Writer keeps its first error: Flush reports it
		for i := range nodes {
			_, _ = fmt.Fprintf(w, "org:%d,%s,\"Organisation %d, \"\"Ltd\"\"\",Org %d;O%d,doc-%d.txt,PL,https://example.eu/%d\n",
				i, kinds[i%len(kinds)].Name, i, i, i, i%100, i)
		}
	})
	write("edges.csv", func(w *bufio.Writer) {
		_, _ = w.WriteString("source,target,type,role,start,end,document,quote,weight\n")
		for i := range edges {
			_, _ = fmt.Fprintf(w, "org:%d,org:%d,%s,partner,%d-%02d,%d,doc-%d.txt,\"it says so\",%d\n",
				i%nodes, (i*7+1)%nodes, types[i%len(types)].Name, 2000+i%20, 1+i%12, 2021+i%5, i, i%10)
		}
	})
}

// TestLoadBulkCSV loads a bulk-sized CSV dataset and checks it all came
// through; the time it took is logged (go test -v), BenchmarkLoadBulkCSV
// measures it.
func TestLoadBulkCSV(t *testing.T) {
	if testing.Short() {
		t.Skip("bulk load skipped in -short mode")
	}
	dir := t.TempDir()
	writeBulk(t, dir, bulkNodes, bulkEdges)
	start := time.Now()
	ds, err := LoadDir(dir, "bulk")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("loaded %d entities and %d relations in %v", len(ds.Entities), len(ds.Relations), time.Since(start))
	if len(ds.Entities) != bulkNodes || len(ds.Relations) != bulkEdges {
		t.Fatalf("got %d entities and %d relations", len(ds.Entities), len(ds.Relations))
	}
	e := ds.Entities[0]
	if e.ID != "org:0" || e.Name != `Organisation 0, "Ltd"` || len(e.Aliases) != 2 || e.Properties["url"] != "https://example.eu/0" {
		t.Errorf("first entity %#v", e)
	}
}

func BenchmarkLoadBulkCSV(b *testing.B) {
	dir := b.TempDir()
	writeBulk(b, dir, bulkNodes, bulkEdges)
	b.ResetTimer()
	for b.Loop() {
		ds, err := LoadDir(dir, "bulk")
		if err != nil {
			b.Fatal(err)
		}
		if len(ds.Relations) != bulkEdges {
			b.Fatal(len(ds.Relations))
		}
	}
}

// BenchmarkLoadCORDIS loads the real Horizon 2020 participations (1.7 MB of
// gzip, 7.2 MB of CSV) through data/cordis-h2020: the import the bounds on
// files, cells and lines must not slow down.
func BenchmarkLoadCORDIS(b *testing.B) {
	for b.Loop() {
		ds, err := LoadDirWith("../data/cordis-h2020", "cordis-h2020", Options{})
		if err != nil {
			b.Fatal(err)
		}
		if len(ds.Relations) != 218_049 {
			b.Fatal(len(ds.Relations))
		}
	}
}

// BenchmarkBoundedReader measures what following the bounds costs alone:
// the CSV of the bulk benchmark (edges.csv) read to its end through a
// bounded reader, CSV and line mode, against the bytes copied as they are.
func BenchmarkBoundedReader(b *testing.B) {
	dir := b.TempDir()
	writeBulk(b, dir, bulkNodes, bulkEdges)
	data, err := os.ReadFile(filepath.Join(dir, "edges.csv"))
	if err != nil {
		b.Fatal(err)
	}
	l := &loader{opt: Options{MaxYAMLBytes: 1 << 30}.withDefaults()}
	for _, bc := range []struct {
		name string
		r    func() io.Reader
	}{
		{"copy", func() io.Reader { return bytes.NewReader(data) }},
		{"csv", func() io.Reader { return l.boundedReader(bytes.NewReader(data), nil, true) }},
		{"lines", func() io.Reader { return l.boundedReader(bytes.NewReader(data), nil, false) }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			buf := make([]byte, 256<<10) // the CSV reader's buffer
			for b.Loop() {
				if _, err := io.CopyBuffer(io.Discard, struct{ io.Reader }{bc.r()}, buf); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
