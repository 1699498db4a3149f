package loader

import (
	"errors"
	"io"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/coopgraph/coopgraph"
)

// loadProblems loads a dataset that must not validate and returns its
// problems.
func loadProblems(t *testing.T, ds *coopgraph.Dataset, err error) Problems {
	t.Helper()
	if ds != nil {
		t.Fatalf("got a dataset (%d entities, %d relations), want none", len(ds.Entities), len(ds.Relations))
	}
	var ps Problems
	if !errors.As(err, &ps) {
		t.Fatalf("error is %T (%v), want Problems", err, err)
	}
	if len(ps) == 0 {
		t.Fatal("no problems in the error")
	}
	return ps
}

// TestProblem has one fixture directory under testdata/bad for each kind of
// problem, and asserts the file, line and key phrases of its first problem.
func TestProblem(t *testing.T) {
	tests := []struct {
		dir     string
		file    string // "" for the directory itself
		line    int
		phrases []string
		count   int // problems expected; 0 means 1
	}{
		{dir: "unknown-kind", file: "x.yaml", line: 3, phrases: []string{`unknown kind "Regoin"`, "(did you mean Region?)", "Region, Country, City, Network, Project, Organisation, Programme, Person, Agreement, Event"}},
		{dir: "unknown-kind-csv", file: "nodes.csv", line: 3, phrases: []string{`unknown kind "Town"`, "Region, Country"}},
		{dir: "unknown-type", file: "x.yaml", line: 6, phrases: []string{`unknown relation type "MEMBER"`, "MEMBER_OF, PARTICIPATES_IN, FUNDED_BY"}},
		{dir: "unknown-type-csv", file: "edges.csv", line: 3, phrases: []string{`unknown relation type "IS_MEMBER"`, "SUPPORTS"}},
		{dir: "unknown-from", file: "x.yaml", line: 5, phrases: []string{`relation from unknown entity "ghost" (from)`}},
		{dir: "unknown-to", file: "x.yaml", line: 7, phrases: []string{`relation to unknown entity "ghost" (to)`}},
		{dir: "unknown-source-csv", file: "edges.csv", line: 2, phrases: []string{`relation from unknown entity "ghost" (source)`}},
		{dir: "unknown-target-csv", file: "edges.csv", line: 3, phrases: []string{`relation to unknown entity "ghost" (target)`}},
		{dir: "duplicate-entity", file: "b.yaml", line: 5, phrases: []string{`duplicate entity id "a": first defined at ` + filepath.Join("testdata", "bad", "duplicate-entity", "a.yaml") + ":2"}},
		{dir: "duplicate-entity-csv", file: "nodes.csv", line: 4, phrases: []string{`duplicate entity id "a"`, "a.yaml:2"}},
		{dir: "duplicate-relation-id", file: "x.yaml", line: 6, phrases: []string{`duplicate relation id "ab": first used at`, "x.yaml:5"}},
		{dir: "duplicate-relation-derived", file: "x.yaml", line: 6, phrases: []string{`duplicate relation "a|MEMBER_OF|b"`, "x.yaml:5", "add an explicit `id` to tell them apart"}},
		// edges.csv is read before x.yaml (files are read in sorted order).
		{dir: "duplicate-relation-csv", file: "x.yaml", line: 5, phrases: []string{"duplicate relation", "edges.csv:3", "add an explicit `id`"}},
		{dir: "bad-date", file: "x.yaml", line: 8, phrases: []string{`bad date "2023-02-30" in start`, "YYYY, YYYY-MM or YYYY-MM-DD"}},
		{dir: "bad-date-csv", file: "edges.csv", line: 3, phrases: []string{`bad date "31.12.2020" in end`, "YYYY-MM-DD"}},
		{dir: "end-before-start", file: "x.yaml", line: 9, phrases: []string{`end "2013-10-31" is before start "2013-11"`}},
		{dir: "empty-name", file: "x.yaml", line: 4, phrases: []string{"empty name"}},
		{dir: "empty-name-csv", file: "nodes.csv", line: 3, phrases: []string{"empty name"}},
		{dir: "empty-id", file: "x.yaml", line: 2, phrases: []string{"empty id"}},
		{dir: "empty-id-csv", file: "nodes.csv", line: 2, phrases: []string{"empty id"}},
		{dir: "bad-id", file: "x.yaml", line: 2, phrases: []string{`id "Lesser Poland" has the character ' '`, "A-Z a-z 0-9 . _ : / -"}},
		{dir: "bad-id-start", file: "x.yaml", line: 2, phrases: []string{`id "_private" must start with a letter or a digit`}},
		{dir: "bad-relation-id", file: "x.yaml", line: 5, phrases: []string{`relation id "a|b" has the character '|'`}},
		{dir: "missing-field", file: "x.yaml", line: 2, phrases: []string{`entity has no "kind" (required`}},
		{dir: "missing-relation-field", file: "x.yaml", line: 5, phrases: []string{`relation has no "to" (required`}},
		{dir: "unknown-key", file: "x.yaml", line: 5, phrases: []string{`unknown key "alias" in an entity (did you mean aliases?)`}},
		{dir: "unknown-top-key", file: "x.yaml", line: 1, phrases: []string{`unknown key "entites"`, "(did you mean entities?)", "the keys are entities, relations, participations, projects, regions, credit or documents"}},
		{dir: "wrong-type", file: "x.yaml", line: 5, phrases: []string{"aliases must be a list, not a string"}},
		{dir: "wrong-type-scalar", file: "x.yaml", line: 5, phrases: []string{"name must be a single value, not a mapping"}},
		{dir: "duplicate-key", file: "x.yaml", line: 5, phrases: []string{`key "name" appears twice in an entity (first at line 4)`}},
		{dir: "empty-alias", file: "x.yaml", line: 5, phrases: []string{"empty item in aliases"}},
		{dir: "fact-without-value", file: "x.yaml", line: 6, phrases: []string{`fact has no "value"`}},
		{dir: "reserved-property", file: "x.yaml", line: 7, phrases: []string{`property name "searchText" is reserved`}},
		{dir: "reserved-column", file: "nodes.csv", line: 1, phrases: []string{`column "datasets"`, "reserved"}},
		{dir: "property-without-value", file: "x.yaml", line: 7, phrases: []string{`property "url" has no value`}},
		{dir: "yaml-alias", file: "x.yaml", line: 3, phrases: []string{"YAML aliases (*a) are not supported"}},
		{dir: "not-a-mapping", file: "x.yaml", line: 1, phrases: []string{"the file must be a mapping", "not a list"}},
		{dir: "malformed-yaml", file: "x.yaml", line: 5, phrases: []string{"invalid YAML: did not find expected '-' indicator", "from line 2"}},
		{dir: "malformed-csv", file: "nodes.csv", line: 3, phrases: []string{"malformed CSV: this record has 2 fields, the header has 3"}},
		{dir: "bare-quote", file: "nodes.csv", line: 3, phrases: []string{`malformed CSV: a " in an unquoted field (column 14)`}},
		{dir: "missing-column", file: "nodes.csv", line: 1, phrases: []string{`the header has no "kind" column`, "required columns: id, kind, name"}},
		{dir: "missing-column-edges", file: "edges.csv", line: 1, phrases: []string{`the header has no "source" column`}, count: 4},
		{dir: "empty-csv", file: "edges.csv", line: 0, phrases: []string{"the file is empty", "source,target,type"}},
		{dir: "not-utf8", file: "nodes.csv", line: 3, phrases: []string{"not valid UTF-8"}},
		{dir: "bad-gzip", file: "nodes.csv.gz", line: 0, phrases: []string{"cannot read the file as gzip", "invalid header"}},
		{dir: "no-dataset-files", file: "", line: 0, phrases: []string{"no dataset files", "*.yaml, *.yml, nodes.csv, edges.csv"}},
	}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			dir := filepath.Join("testdata", "bad", tt.dir)
			ds, err := LoadDir(dir, "test")
			ps := loadProblems(t, ds, err)
			want := tt.count
			if want == 0 {
				want = 1
			}
			if len(ps) != want {
				t.Errorf("got %d problems, want %d:\n%v", len(ps), want, ps)
			}
			p := ps[0]
			wantFile := dir
			if tt.file != "" {
				wantFile = filepath.Join(dir, tt.file)
			}
			if p.File != wantFile || p.Line != tt.line {
				t.Errorf("problem at %s:%d, want %s:%d (%s)", p.File, p.Line, wantFile, tt.line, p.Reason)
			}
			for _, phrase := range tt.phrases {
				if !strings.Contains(p.Reason, phrase) {
					t.Errorf("reason %q does not say %q", p.Reason, phrase)
				}
			}
		})
	}
}

func TestProblemEmptyDirectory(t *testing.T) {
	dir := t.TempDir()
	ds, err := LoadDir(dir, "test")
	ps := loadProblems(t, ds, err)
	if len(ps) != 1 || ps[0].File != dir || ps[0].Line != 0 || !strings.Contains(ps[0].Reason, "the dataset directory is empty") {
		t.Errorf("got %v, want one problem for %s saying the directory is empty", ps, dir)
	}
}

func TestProblemMissingDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nothing-here")
	ds, err := LoadDir(dir, "test")
	ps := loadProblems(t, ds, err)
	if len(ps) != 1 || ps[0].File != dir || !strings.Contains(ps[0].Reason, "cannot read the dataset directory") {
		t.Errorf("got %v", ps)
	}
}

// failFS is a MapFS whose file named fail cannot be opened, and whose file
// named broken fails where it should end.
type failFS struct {
	fstest.MapFS
	fail, broken string
}

func (f failFS) Open(name string) (fs.File, error) {
	if name == f.fail {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	file, err := f.MapFS.Open(name)
	if err == nil && name == f.broken {
		return brokenFile{file}, nil
	}
	return file, err
}

type brokenFile struct{ fs.File }

// Read fails where the file ends, as a disk or a truncated download would.
func (b brokenFile) Read(p []byte) (int, error) {
	n, err := b.File.Read(p)
	if err == io.EOF {
		err = errors.New("input/output error")
	}
	return n, err
}

func TestProblemUnreadableFile(t *testing.T) {
	ents := []byte("entities:\n  - {id: a, kind: Region, name: A}\n")
	tests := []struct {
		name   string
		fsys   failFS
		file   string
		line   int
		phrase string
	}{
		{"yaml cannot be opened", failFS{MapFS: fstest.MapFS{"x.yaml": {Data: ents}}, fail: "x.yaml"}, "x.yaml", 0, "cannot read the file: permission denied"},
		{"csv cannot be opened", failFS{MapFS: fstest.MapFS{"nodes.csv": {Data: []byte("id,kind,name\n")}}, fail: "nodes.csv"}, "nodes.csv", 0, "cannot read the file: permission denied"},
		{"yaml fails midway", failFS{MapFS: fstest.MapFS{"x.yaml": {Data: ents}}, broken: "x.yaml"}, "x.yaml", 0, "cannot read the file: input/output error"},
		{"csv fails midway", failFS{MapFS: fstest.MapFS{"nodes.csv": {Data: []byte("id,kind,name\na,Region,A\nb,Region,B\nc,Region,C\n")}}, broken: "nodes.csv"}, "nodes.csv", 4, "cannot read the file after this line: input/output error"},
		{"a directory named like a dataset file", failFS{MapFS: fstest.MapFS{"x.yaml/y": {Data: ents}}}, "x.yaml", 0, "is a directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds, err := LoadFS(tt.fsys, "seed", "test")
			ps := loadProblems(t, ds, err)
			if len(ps) != 1 || ps[0].File != "seed/"+tt.file || ps[0].Line != tt.line || !strings.Contains(ps[0].Reason, tt.phrase) {
				t.Errorf("got %v, want one problem at seed/%s:%d saying %q", ps, tt.file, tt.line, tt.phrase)
			}
		})
	}
}

// TestProblemsSeveralFiles asserts that every problem of every file is
// reported at once, sorted by file then line.
func TestProblemsSeveralFiles(t *testing.T) {
	dir := filepath.Join("testdata", "several")
	ds, err := LoadDir(dir, "test")
	ps := loadProblems(t, ds, err)
	want := []struct {
		file   string
		line   int
		phrase string
	}{
		{"a.yaml", 6, `unknown kind "Town"`},
		{"a.yaml", 11, `relation to unknown entity "nowhere" (to)`},
		{"b.yaml", 2, `duplicate entity id "a": first defined at ` + filepath.Join(dir, "a.yaml") + ":2"},
		{"b.yaml", 7, `unknown relation type "JOINED"`},
		{"b.yaml", 9, `bad date "2020-02-30" in start`},
		{"edges.csv", 2, `end "2019" is before start "2020"`},
		{"edges.csv", 3, `relation from unknown entity "ghost" (source)`},
		{"edges.csv", 4, "malformed CSV: this record has 2 fields, the header has 5"},
		{"nodes.csv", 2, "empty name"},
		{"nodes.csv", 3, `id "d e" has the character ' '`},
	}
	if len(ps) != len(want) {
		t.Errorf("got %d problems, want %d:\n%v", len(ps), len(want), ps)
	}
	for i := range min(len(ps), len(want)) {
		p, w := ps[i], want[i]
		if p.File != filepath.Join(dir, w.file) || p.Line != w.line || !strings.Contains(p.Reason, w.phrase) {
			t.Errorf("problem %d is %s, want %s:%d: …%s…", i, p, w.file, w.line, w.phrase)
		}
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != len(want) || !strings.HasPrefix(lines[0], filepath.Join(dir, "a.yaml")+`:6: unknown kind "Town"`) {
		t.Errorf("Error() =\n%s", err)
	}
}

// TestSyntaxErrorSkipsReferences: when entity definitions cannot be read,
// relations to the ids they would define are not reported: those problems
// would be false.
func TestSyntaxErrorSkipsReferences(t *testing.T) {
	edges := []byte("source,target,type\na,b,MEMBER_OF\nb,ghost,MEMBER_OF\n")
	tests := []struct {
		name string
		fsys fstest.MapFS
		want []string
	}{
		{
			name: "YAML that does not parse",
			fsys: fstest.MapFS{
				"a.yaml": {Data: []byte("entities:\n  - {id: a, kind: Region, name: A\n")},
				"b.yaml": {Data: []byte("entities:\n  - {id: b, kind: Region, name: B}\nrelations:\n  - {from: a, type: MEMBER_OF, to: b}\n  - {from: b, type: MEMBR_OF, to: b}\n")},
			},
			want: []string{"a.yaml:3: invalid YAML", `b.yaml:5: unknown relation type "MEMBR_OF" (did you mean MEMBER_OF?)`},
		},
		{
			name: "a record with a stray quote",
			fsys: fstest.MapFS{
				"nodes.csv": {Data: []byte("id,kind,name\na,Region,A\nb,Region,B \"2\"\n")},
				"edges.csv": {Data: edges},
			},
			want: []string{`nodes.csv:3: malformed CSV: a " in an unquoted field`},
		},
		{
			// Its id is still read: relations to it are fine, to others not.
			name: "a record with a field too few",
			fsys: fstest.MapFS{
				"nodes.csv": {Data: []byte("id,kind,name\na,Region,A\nb,Region\n")},
				"edges.csv": {Data: edges},
			},
			want: []string{`edges.csv:3: relation to unknown entity "ghost" (target)`, "nodes.csv:3: malformed CSV: this record has 2 fields, the header has 3"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds, err := LoadFS(tt.fsys, "", "test")
			ps := loadProblems(t, ds, err)
			if len(ps) != len(tt.want) {
				t.Fatalf("got\n%v\nwant %d problems", ps, len(tt.want))
			}
			for i, w := range tt.want {
				if !strings.HasPrefix(ps[i].String(), w) {
					t.Errorf("problem %d is %s, want %s…", i, ps[i], w)
				}
			}
		})
	}
}

func TestProblemString(t *testing.T) {
	tests := []struct {
		p    Problem
		want string
	}{
		{Problem{"data/seed/x.yaml", 12, `relation to unknown entity "foo"`}, `data/seed/x.yaml:12: relation to unknown entity "foo"`},
		{Problem{"data/seed", 0, "the dataset directory is empty"}, "data/seed: the dataset directory is empty"},
	}
	for _, tt := range tests {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
	}
}

func TestProblemsError(t *testing.T) {
	ps := Problems{
		{"b.yaml", 3, "three"},
		{"a.yaml", 10, "ten"},
		{"a.yaml", 2, "two"},
		{"a.yaml", 0, "whole"},
	}
	want := "a.yaml: whole\na.yaml:2: two\na.yaml:10: ten\nb.yaml:3: three"
	if got := ps.Error(); got != want {
		t.Errorf("Error() =\n%s\nwant\n%s", got, want)
	}
	if ps[0].File != "b.yaml" {
		t.Error("Error() sorted the slice itself")
	}

	var many Problems
	for i := range 250 {
		many = append(many, Problem{"x.yaml", i + 1, "bad"})
	}
	lines := strings.Split(many.Error(), "\n")
	if len(lines) != 201 || lines[199] != "x.yaml:200: bad" || lines[200] != "… and 50 more" {
		t.Errorf("Error() of 250 problems ends with %q, %q (%d lines)", lines[199], lines[len(lines)-1], len(lines))
	}
	if len(many) != 250 {
		t.Error("the slice lost problems")
	}
}

func TestProblemsAreInvalidArgument(t *testing.T) {
	_, err := LoadDir(filepath.Join("testdata", "bad", "unknown-kind"), "test")
	if got := coopgraph.ErrorCode(err); got != coopgraph.EINVALID {
		t.Errorf("ErrorCode = %q, want %q", got, coopgraph.EINVALID)
	}
	if msg := coopgraph.ErrorMessage(err); !strings.Contains(msg, `unknown kind "Regoin"`) {
		t.Errorf("ErrorMessage = %q", msg)
	}
}

func TestValidDate(t *testing.T) {
	tests := []struct {
		date string
		ok   bool
	}{
		{"2013", true}, {"2013-11", true}, {"2013-11-05", true}, {"2024-02-29", true}, {"2000-02-29", true},
		{"2023-02-29", false}, {"1900-02-29", false}, {"2023-02-30", false}, {"2023-04-31", false},
		{"2023-13", false}, {"2023-00", false}, {"2023-01-00", false}, {"13", false}, {"2013-1", false},
		{"2013-11-5", false}, {"2013/11/05", false}, {"2013-11-05T10:00:00Z", false}, {"", false}, {"abcd", false},
	}
	for _, tt := range tests {
		if got := validDate(tt.date); got != tt.ok {
			t.Errorf("validDate(%q) = %v, want %v", tt.date, got, tt.ok)
		}
	}
}

func TestEndBeforeStart(t *testing.T) {
	tests := []struct {
		start, end string
		before     bool
	}{
		{"2013", "2012", true}, {"2013", "2013", false}, {"2013-11", "2013", false}, {"2013", "2013-01", false},
		{"2013-11-05", "2013-10", true}, {"2013-11-05", "2013-11", false}, {"2013-11-05", "2013-11-04", true},
		{"2013-11-05", "2013-11-05", false},
	}
	for _, tt := range tests {
		if got := endBeforeStart(tt.start, tt.end); got != tt.before {
			t.Errorf("endBeforeStart(%q, %q) = %v, want %v", tt.start, tt.end, got, tt.before)
		}
	}
}
