package loader

import (
	"bytes"
	"compress/gzip"
	"errors"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/coopgraph/coopgraph"
)

// checkResult asserts what LoadFS promises whatever its input: a valid
// Dataset and no error, or no Dataset and a non-empty Problems, sorted, each
// naming a file of the dataset.
func checkResult(t *testing.T, ds *coopgraph.Dataset, err error) {
	t.Helper()
	if err != nil {
		if ds != nil {
			t.Fatal("both a dataset and an error")
		}
		checkProblems(t, err)
		return
	}
	if ds == nil {
		t.Fatal("neither a dataset nor an error")
	}
	checkDataset(t, ds)
}

// checkProblems: err is a non-empty Problems, sorted, each naming a file of
// the dataset.
func checkProblems(t *testing.T, err error) {
	t.Helper()
	var ps Problems
	if !errors.As(err, &ps) || len(ps) == 0 {
		t.Fatalf("error %T %v is no Problems", err, err)
	}
	for i, p := range ps {
		if p.File != "fuzz" && !strings.HasPrefix(p.File, "fuzz/") || p.Line < 0 || p.Reason == "" {
			t.Fatalf("bad problem %#v", p)
		}
		if i > 0 && (ps[i-1].File > p.File || ps[i-1].File == p.File && ps[i-1].Line > p.Line) {
			t.Fatalf("problems out of order: %v before %v", ps[i-1], p)
		}
	}
	_ = err.Error()
}

// checkDataset: ds is valid, its entities and relations sorted by unique id.
func checkDataset(t *testing.T, ds *coopgraph.Dataset) {
	t.Helper()
	ids := make(map[string]bool)
	for i, e := range ds.Entities {
		if i > 0 && ds.Entities[i-1].ID >= e.ID {
			t.Fatalf("entities not sorted by unique id: %q, %q", ds.Entities[i-1].ID, e.ID)
		}
		if idProblem("id", e.ID) != "" || !coopgraph.IsKind(e.Kind) || strings.TrimSpace(e.Name) == "" {
			t.Fatalf("invalid entity %#v", e)
		}
		ids[e.ID] = true
	}
	for i, r := range ds.Relations {
		if r.ID == "" || i > 0 && ds.Relations[i-1].ID >= r.ID {
			t.Fatalf("relations not sorted by unique id: %#v", r)
		}
		if !ids[r.From] || !ids[r.To] || !coopgraph.IsRelationType(r.Type) {
			t.Fatalf("invalid relation %#v", r)
		}
		for _, d := range []string{r.Start, r.End} {
			if d != "" && !validDate(d) {
				t.Fatalf("invalid date in %#v", r)
			}
		}
	}
}

const fuzzEntities = "entities:\n  - {id: a, kind: Region, name: A}\n  - {id: b, kind: Network, name: B}\n"

func FuzzLoadYAML(f *testing.F) {
	f.Add([]byte(fuzzEntities))
	f.Add([]byte("relations:\n  - {from: a, type: MEMBER_OF, to: b, start: 2013-11-05, end: 2014}\n"))
	f.Add([]byte("entities:\n  - id: c\n    kind: City\n    name: C\n    aliases: [x, y]\n    properties: {k: v}\n    facts:\n      - {property: p, value: 1}\n"))
	f.Add([]byte("entities:\n  - &x {id: c}\n  - *x\n  - <<: *x\n"))
	f.Add([]byte("a: [\n"))
	f.Add([]byte("---\n---\nrelations: ~\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ds, err := LoadFS(fstest.MapFS{
			"base.yaml": {Data: []byte(fuzzEntities)},
			"x.yaml":    {Data: data},
		}, "fuzz", "fuzz")
		checkResult(t, ds, err)
	})
}

func FuzzLoadCSV(f *testing.F) {
	f.Add([]byte("id,kind,name\na,Region,A\nb,Network,B\n"), []byte("source,target,type\na,b,MEMBER_OF\n"))
	f.Add([]byte("\xef\xbb\xbfid,kind,name,aliases,x\na,Region,\"A\nA\",p;q,1\n"), []byte("source,target,type,start,end,id,weight\na,a,SUPPORTS,2013,2012-02-30,e1,2\n"))
	f.Add([]byte("id,kind,name\na,Region,\"A\n"), []byte("source,target\n"))
	f.Add([]byte("id,kind,name\na,Region,A \"x\"\n,,\n"), []byte(""))
	f.Fuzz(func(t *testing.T, nodes, edges []byte) {
		fsys := fstest.MapFS{"nodes.csv": {Data: nodes}, "edges.csv": {Data: edges}}
		ds, err := LoadFS(fsys, "fuzz", "fuzz")
		checkResult(t, ds, err)
		if err == nil {
			// Loading again gives the same dataset: ids are stable.
			again, err := LoadFS(fsys, "fuzz", "fuzz")
			if err != nil || !slices.EqualFunc(ds.Relations, again.Relations, func(a, b coopgraph.Relation) bool { return a.ID == b.ID }) {
				t.Fatal("a second load differs")
			}
		}
	})
}

// fuzzBounds are small limits, so that fuzzed inputs cross them.
var fuzzBounds = Options{MaxFileBytes: 2048, MaxDatasetBytes: 3000, MaxYAMLBytes: 1024, MaxGzipRatio: 8, MaxFieldBytes: 32, MaxLineBytes: 96,
	MaxEntities: 4, MaxRelations: 4, ratioFloor: 256}

// FuzzLoadBounds loads arbitrary bytes as one file of a dataset — nodes.csv,
// nodes.csv.gz (the bytes compressed, or as they are), a YAML file, a
// participation table — within small limits: never a panic, and either a
// dataset within the limits or problems, each at a line of the file.
func FuzzLoadBounds(f *testing.F) {
	f.Add(byte(0), []byte("id,kind,name\na,Region,A\nb,Region,\"B\nB\"\n"))
	f.Add(byte(1), []byte("id,kind,name\n"+strings.Repeat("a", 4000)))
	f.Add(byte(1), []byte("id,kind,name\na,Region,\""+strings.Repeat("\"\"\n", 40)+"\"\n"))
	f.Add(byte(2), []byte("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"))
	f.Add(byte(3), []byte(fuzzEntities+"  - {id: c, kind: Region, name: C}\n  - {id: d, kind: Region, name: D}\n  - {id: e, kind: Region, name: E}\n"))
	f.Add(byte(3), []byte("entities:\n  - id: a\n    kind: Region\n    name: |\n"+strings.Repeat("      x\n", 10)))
	f.Add(byte(4), []byte("p,o\n1,a\n2,b\n3,c\n"))
	f.Add(byte(0), []byte("id,kind,name\na,Region,A\"\"\"\n"+strings.Repeat("b,", 60)+"\n"))
	f.Fuzz(func(t *testing.T, kind byte, data []byte) {
		fsys := fstest.MapFS{}
		name, plain := "", true
		switch kind % 5 {
		case 0:
			name = "nodes.csv"
		case 1:
			name = "nodes.csv.gz"
			var b bytes.Buffer
			zw := gzip.NewWriter(&b)
			_, _ = zw.Write(data) // into a bytes.Buffer: cannot fail
			_ = zw.Close()
			fsys[name] = &fstest.MapFile{Data: b.Bytes()}
		case 2:
			name, plain = "nodes.csv.gz", false
		case 3:
			name = "x.yaml"
		case 4:
			name = "t.csv"
			fsys["p.yaml"] = &fstest.MapFile{Data: []byte("participations:\n  - {table: t.csv, project: {column: p}, organisation: {column: o}}\n")}
		}
		if fsys[name] == nil {
			fsys[name] = &fstest.MapFile{Data: data}
		}
		ds, err := LoadFSWith(fsys, "fuzz", "fuzz", fuzzBounds)
		checkResult(t, ds, err)
		if err != nil {
			ps := err.(Problems)
			if len(ps) > maxProblems+1 {
				t.Fatalf("%d problems", len(ps))
			}
			lines := int(fuzzBounds.MaxFileBytes) + 1
			if plain {
				lines = bytes.Count(data, []byte("\n")) + 1
			}
			for _, p := range ps {
				// The parsers' own problems may name the line after the
				// last (an end of file they did not expect); not a bound's.
				if p.File == "fuzz/"+name && p.Line > lines && strings.Contains(p.Reason, "--max-") {
					t.Fatalf("%v: past the last line, %d", p, lines)
				}
			}
			return
		}
		if len(ds.Entities) > fuzzBounds.MaxEntities || len(ds.Relations) > fuzzBounds.MaxRelations {
			t.Fatalf("%d entities, %d relations: past the limits", len(ds.Entities), len(ds.Relations))
		}
		if kind%5 == 4 {
			return // names made from a pattern are longer than a cell
		}
		for _, e := range ds.Entities {
			for _, s := range append([]string{e.ID, e.Kind, e.Name}, e.Aliases...) {
				if len(s) > fuzzBounds.MaxFieldBytes {
					t.Fatalf("a value of %d bytes: %q", len(s), s)
				}
			}
		}
	})
}
