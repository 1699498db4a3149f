package loader

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
)

// allocated runs f and returns the bytes it allocated on the heap.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// wantProblem asserts that err holds a problem of file at line whose
// reason has every phrase, and returns it.
func wantProblem(t *testing.T, err error, file string, line int, phrases ...string) Problem {
	t.Helper()
	ps := loadProblems(t, nil, err)
	for _, p := range ps {
		if filepath.Base(p.File) != file || p.Line != line {
			continue
		}
		ok := true
		for _, ph := range phrases {
			ok = ok && strings.Contains(p.Reason, ph)
		}
		if ok {
			return p
		}
	}
	t.Fatalf("problems:\n%v\nwant one at %s:%d with %q", err, file, line, phrases)
	return Problem{}
}

// writeBomb writes nodes.csv.gz: a header, then a row whose name cell holds
// 2 GiB and 1 byte of "a" and no end. It is made of gzip members, which a
// gzip reader reads one after the other: one member of 1 MiB of "a"
// compresses to about a KiB, so the file is about 2 MB.
func writeBomb(t *testing.T, dir string) string {
	t.Helper()
	compress := func(data []byte) []byte {
		var b bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		_, _ = zw.Write(data) // into a bytes.Buffer: cannot fail
		_ = zw.Close()
		return b.Bytes()
	}
	path := filepath.Join(dir, "nodes.csv.gz")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	// The bufio.Writer keeps its first error: Flush reports it.
	_, _ = w.Write(compress([]byte("id,kind,name\nx,Region,")))
	member := compress(bytes.Repeat([]byte("a"), 1<<20))
	for range 2048 {
		_, _ = w.Write(member)
	}
	_, _ = w.Write(compress([]byte("a")))
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(path)
	t.Logf("the bomb: %d bytes of gzip, 2 GiB + 22 bytes of CSV", st.Size())
	return path
}

// TestGzipBomb reads a 2 MB nodes.csv.gz of one 2 GiB cell: each bound
// refuses it at line 2 as soon as it is crossed, having allocated a few
// MiB, where the loader once held the whole cell (8 GB and more).
func TestGzipBomb(t *testing.T) {
	dir := t.TempDir()
	writeBomb(t, dir)
	huge := 1 << 40
	tests := []struct {
		name     string
		opt      Options
		phrase   string
		maxAlloc uint64
	}{
		{"the defaults: the cell", Options{}, "--max-field-bytes", 16 << 20},
		{"the ratio", Options{MaxFieldBytes: huge, MaxLineBytes: huge}, "--max-gzip-ratio", 16 << 20},
		// A line 64 MiB long is held by encoding/csv before it ends: the
		// bound is what it may hold.
		{"the size", Options{MaxFieldBytes: huge, MaxLineBytes: huge, MaxGzipRatio: 1 << 20, MaxFileBytes: 64 << 20}, "--max-file-bytes", 512 << 20},
	}
	for _, tc := range tests {
		var err error
		alloc := allocated(func() { _, err = LoadDirWith(dir, "bomb", tc.opt) })
		p := wantProblem(t, err, "nodes.csv.gz", 2, tc.phrase)
		t.Logf("%s: %s (allocated %.1f MiB)", tc.name, p.Reason, float64(alloc)/(1<<20))
		if alloc > tc.maxAlloc {
			t.Errorf("%s: allocated %d bytes reading the bomb, want at most %d", tc.name, alloc, tc.maxAlloc)
		}
	}
}

// writeLongLine writes name, a file of head, then n bytes of fill cycled,
// then tail.
func writeLongLine(t *testing.T, dir, name, head, fill string, n int, tail string) {
	t.Helper()
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	_, _ = w.WriteString(head) // the bufio.Writer keeps its first error: Flush reports it
	chunk := strings.Repeat(fill, (64<<10)/len(fill)+1)[:64<<10]
	for written := 0; written < n; written += len(chunk) {
		_, _ = w.WriteString(chunk[:min(len(chunk), n-written)])
	}
	_, _ = w.WriteString(tail)
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestLongLine reads a 100 MB line, as a name once was, and long lines of
// other shapes: each is refused at its line, with what was allocated
// bounded by the limit, not the line.
func TestLongLine(t *testing.T) {
	const mb100 = 100_000_000
	tests := []struct {
		name             string
		file, head, fill string
		n                int
		tail             string
		opt              Options
		line             int
		phrases          []string
		maxAlloc         uint64
	}{
		{"a 100 MB name", "nodes.csv", "id,kind,name\nx,Region,", "n", mb100, "\ny,Region,Y\n", Options{}, 2,
			[]string{"cell in column 3", "longer than 65536 bytes", "--max-field-bytes"}, 16 << 20},
		{"a 100 MB line of short cells", "edges.csv", "source,target,type\n\n", "a,", mb100, "\n", Options{}, 3,
			[]string{"line is longer than 1048576 bytes", "--max-line-bytes"}, 128 << 20},
		{"a quoted cell over many lines", "nodes.csv", "id,kind,name\nx,Region,A\ny,Region,\"", "line\n", 4 << 20, "\"\n", Options{MaxFieldBytes: 8 << 20}, 3,
			[]string{"record (from this line to line", "--max-line-bytes"}, 16 << 20},
		{"a 100 MB line of YAML", "x.yaml", "entities:\n  - {id: a, kind: Region, name: ", "n", mb100, "}\n", Options{}, 2,
			[]string{"line is longer than 1048576 bytes", "--max-line-bytes"}, 16 << 20},
		{"a long YAML block scalar", "x.yaml", "entities:\n  - id: a\n    kind: Region\n    name: |\n", "      words\n", 1 << 20, "", Options{}, 4,
			[]string{"value is longer than 65536 bytes", "--max-field-bytes"}, 256 << 20},
		{"a YAML file over its limit", "x.yaml", "entities:\n", "  - {id: a, kind: Region, name: A}\n", 32 << 20, "", Options{MaxYAMLBytes: 64 << 10}, (64<<10-10)/35 + 2,
			[]string{"more than 65536 bytes together", "--max-yaml-bytes"}, 16 << 20},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeLongLine(t, dir, tc.file, tc.head, tc.fill, tc.n, tc.tail)
			var err error
			alloc := allocated(func() { _, err = LoadDirWith(dir, "long", tc.opt) })
			p := wantProblem(t, err, tc.file, tc.line, tc.phrases...)
			t.Logf("%s:%d: %s (allocated %.1f MiB)", tc.file, p.Line, p.Reason, float64(alloc)/(1<<20))
			if alloc > tc.maxAlloc {
				t.Errorf("allocated %d bytes, want at most %d", alloc, tc.maxAlloc)
			}
		})
	}
}

// TestTooMany refuses a dataset of more entities or relations than its
// limit, at the first one past it, from YAML, CSV or an import.
func TestTooMany(t *testing.T) {
	yaml := "entities:\n  - {id: a, kind: Region, name: A}\n  - {id: b, kind: Region, name: B}\n  - {id: c, kind: Region, name: C}\n" +
		"relations:\n  - {from: a, type: PART_OF, to: b}\n  - {from: b, type: PART_OF, to: c}\n  - {from: c, type: PART_OF, to: a}\n"
	tests := []struct {
		name    string
		files   map[string]string
		opt     Options
		file    string
		line    int
		phrases []string
	}{
		{"YAML entities", map[string]string{"x.yaml": yaml}, Options{MaxEntities: 2}, "x.yaml", 4,
			[]string{"more than 2 entities", "--max-entities"}},
		{"YAML relations", map[string]string{"x.yaml": yaml}, Options{MaxRelations: 2}, "x.yaml", 8,
			[]string{"more than 2 relations", "--max-relations"}},
		{"CSV entities", map[string]string{"nodes.csv.gz": "id,kind,name\na,Region,A\nb,Region,B\nc,Region,C\n"}, Options{MaxEntities: 1}, "nodes.csv.gz", 3,
			[]string{"more than 1 entities"}},
		{"CSV relations", map[string]string{"x.yaml": yaml[:strings.Index(yaml, "relations")], "edges.csv": "source,target,type\na,b,PART_OF\nb,c,PART_OF\n"},
			Options{MaxRelations: 1}, "edges.csv", 3, []string{"more than 1 relations"}},
		{"an import", map[string]string{"p.yaml": "participations:\n  - {table: t.csv, project: {column: p}, organisation: {column: o}}\n",
			"t.csv": "p,o\n1,a\n1,b\n2,c\n"}, Options{MaxEntities: 3}, "t.csv", 4, []string{"more than 3 entities"}},
	}
	for _, tc := range tests {
		dir := writeDir(t, tc.files)
		_, err := LoadDirWith(dir, "many", tc.opt)
		wantProblem(t, err, tc.file, tc.line, tc.phrases...)
		// Within the limits, the same files load.
		if _, err := LoadDir(dir, "many"); err != nil {
			t.Errorf("%s: with the defaults: %v", tc.name, err)
		}
	}
}

// TestYAMLTogether counts the YAML files of a dataset together.
func TestYAMLTogether(t *testing.T) {
	var a, b strings.Builder
	a.WriteString("entities:\n")
	b.WriteString("entities:\n")
	line := len(fmt.Sprintf("  - {id: a%04d, kind: Region, name: A}\n", 0))
	for i := range 1000 {
		fmt.Fprintf(&a, "  - {id: a%04d, kind: Region, name: A}\n", i)
		fmt.Fprintf(&b, "  - {id: b%04d, kind: Region, name: A}\n", i)
	}
	dir := writeDir(t, map[string]string{"a.yaml": a.String(), "b.yaml": b.String()})
	if ds, err := LoadDirWith(dir, "y", Options{MaxYAMLBytes: int64(a.Len() + b.Len())}); err != nil || len(ds.Entities) != 2000 {
		t.Fatalf("within the limit: %v", err)
	}
	_, err := LoadDirWith(dir, "y", Options{MaxYAMLBytes: int64(a.Len() + 5000)})
	// b.yaml gets what a.yaml left: 5,000 bytes.
	wantProblem(t, err, "b.yaml", (5000-10)/line+2, fmt.Sprintf("more than %d bytes together", a.Len()+5000))
}

// TestDatasetBytes bounds the files of a dataset together: one table
// imported three times is read three times.
func TestDatasetBytes(t *testing.T) {
	imp := "  - {table: t.csv, project: {column: p}, organisation: {column: o}}\n"
	mapping := "participations:\n" + imp + imp + imp
	table := "p,o\n"
	for i := range 20 {
		table += fmt.Sprintf("%02d,o%02d\n", i, i)
	}
	dir := writeDir(t, map[string]string{"p.yaml": mapping, "t.csv": table})
	_, err := LoadDirWith(dir, "x", Options{MaxDatasetBytes: int64(len(mapping) + 2*len(table) + 10)})
	// The third reading has 10 bytes left: the header and most of line 2.
	wantProblem(t, err, "t.csv", 2, "the files of the dataset hold more than", "--max-dataset-bytes")
}

// TestManyProblems stops reading after maxProblems problems.
func TestManyProblems(t *testing.T) {
	var b strings.Builder
	b.WriteString("id,kind,name\n")
	for i := range maxProblems * 2 {
		b.WriteString("x" + strings.Repeat("y", i%7) + ",Nowhere,\n")
	}
	dir := writeDir(t, map[string]string{"nodes.csv": b.String()})
	_, err := LoadDir(dir, "bad")
	ps := loadProblems(t, nil, err)
	if len(ps) != maxProblems+1 || !strings.Contains(ps[len(ps)-1].Reason, "more than 10000 problems") {
		t.Fatalf("%d problems, the last %v", len(ps), ps[len(ps)-1])
	}
}

// TestFilesOutside refuses what lies outside the dataset directory — a
// symbolic link out, a table by an absolute path or climbing out with "..",
// a FIFO — at the file, or the line of the table in the mapping, unless
// AllowOutsideFiles.
func TestFilesOutside(t *testing.T) {
	const nodes = "id,kind,name\na,Region,A\n"
	const mapping = "participations:\n  - document: d\n    table: %s\n    project: {column: p}\n    organisation: {column: o}\n"
	other := writeDir(t, map[string]string{"nodes.csv": nodes, "t.csv": "p,o\n1,a\n"})

	t.Run("a symbolic link out", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.Symlink(filepath.Join(other, "nodes.csv"), filepath.Join(dir, "nodes.csv")); err != nil {
			t.Skip(err)
		}
		_, err := LoadDir(dir, "x")
		wantProblem(t, err, "nodes.csv", 0, "symbolic link to", "outside the dataset directory", "--allow-outside-files")
		if _, err := LoadDirWith(dir, "x", Options{AllowOutsideFiles: true}); err != nil {
			t.Errorf("allowed: %v", err)
		}
	})
	t.Run("a symbolic link inside", func(t *testing.T) {
		dir := writeDir(t, map[string]string{"sub/real.csv": nodes})
		if err := os.Symlink(filepath.Join("sub", "real.csv"), filepath.Join(dir, "nodes.csv")); err != nil {
			t.Skip(err)
		}
		if ds, err := LoadDir(dir, "x"); err != nil || len(ds.Entities) != 1 {
			t.Errorf("a link inside the directory: %v", err)
		}
	})
	for _, tc := range []struct{ name, table, phrase string }{
		{"/etc/passwd", "/etc/passwd", "lies outside"},
		{"../../x", "../../x", "lies outside"},
		{"climbing out from inside", "sub/../../t.csv", "lies outside"},
		{"/proc/self/environ", "../../../../../../../../proc/self/environ", "lies outside"},
		{"a link out", "link.csv", "symbolic link to"},
		{"a directory behind a link", "linkdir/t.csv", "through a symbolic link"},
	} {
		t.Run("table "+tc.name, func(t *testing.T) {
			dir := writeDir(t, map[string]string{"p.yaml": strings.Replace(mapping, "%s", tc.table, 1)})
			if err := os.Symlink(filepath.Join(other, "t.csv"), filepath.Join(dir, "link.csv")); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(other, filepath.Join(dir, "linkdir")); err != nil {
				t.Fatal(err)
			}
			_, err := LoadDir(dir, "x")
			p := wantProblem(t, err, "p.yaml", 3, "participation table", tc.phrase, "--allow-outside-files")
			if strings.Contains(p.Reason, "root:") || len(loadProblems(t, nil, err)) != 1 {
				t.Errorf("problems: %v", err)
			}
		})
	}
	t.Run("a table outside, allowed", func(t *testing.T) {
		dir := writeDir(t, map[string]string{"p.yaml": strings.Replace(mapping, "%s", filepath.Join(other, "t.csv"), 1)})
		if ds, err := LoadDirWith(dir, "x", Options{AllowOutsideFiles: true}); err != nil || len(ds.Relations) != 1 {
			t.Errorf("allowed: %v", err)
		}
	})
	t.Run("a FIFO", func(t *testing.T) {
		dir := writeDir(t, map[string]string{"x.yaml": "entities: []\n"})
		if err := syscall.Mkfifo(filepath.Join(dir, "nodes.csv"), 0o644); err != nil {
			t.Skip(err)
		}
		for _, allow := range []bool{false, true} {
			_, err := LoadDirWith(dir, "x", Options{AllowOutsideFiles: allow})
			wantProblem(t, err, "nodes.csv", 0, "named pipe")
		}
	})
	t.Run("a device", func(t *testing.T) {
		dir := writeDir(t, map[string]string{"p.yaml": strings.Replace(mapping, "%s", "/dev/zero", 1)})
		_, err := LoadDirWith(dir, "x", Options{AllowOutsideFiles: true})
		wantProblem(t, err, "p.yaml", 3, "is a device")
	})
}

// TestScanCSVFastPath: passing whole lines over gives what following every
// byte gives — the bytes accepted, the error, the state — on random CSV of
// quotes, commas, carriage returns and newlines read in random pieces.
func TestScanCSVFastPath(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []byte("ab,\"\n\r")
	l := &loader{opt: Options{MaxFieldBytes: 6, MaxLineBytes: 14}.withDefaults()}
	for range 20000 {
		data := make([]byte, rng.IntN(120))
		for i := range data {
			data[i] = alphabet[rng.IntN(len(alphabet))]
		}
		read := func(bytewise bool) (string, [7]int64, error) {
			b := l.boundedReader(bytes.NewReader(data), nil, true)
			b.bytewise = bytewise
			var got []byte
			var err error
			r := rand.New(rand.NewPCG(uint64(len(data)), 3)) // the same pieces for both
			for err == nil {
				p := make([]byte, 1+r.IntN(20))
				var n int
				n, err = b.Read(p)
				got = append(got, p[:n]...)
			}
			return string(got), [7]int64{int64(b.state), b.lineBytes, b.fieldBytes, int64(b.line), int64(b.recordLine), int64(b.fieldLine), int64(b.column)}, err
		}
		fastData, fastState, fastErr := read(false)
		slowData, slowState, slowErr := read(true)
		if fastData != slowData || fmt.Sprint(fastErr) != fmt.Sprint(slowErr) || fastState != slowState {
			t.Fatalf("%q:\nfast %q %v %v\nslow %q %v %v", data, fastData, fastErr, fastState, slowData, slowErr, slowState)
		}
	}
}
