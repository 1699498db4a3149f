package loader

import (
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
		return
	}
	if ds == nil {
		t.Fatal("neither a dataset nor an error")
	}
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
