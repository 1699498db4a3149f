package sources_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/coopgraph/coopgraph/loader"
	"github.com/coopgraph/coopgraph/sources"
)

// copyDir copies the files of dir (flat) into a new temporary directory,
// so that a test may change them.
func copyDir(t *testing.T, dir string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), filepath.Base(dir))
	if err := os.Mkdir(out, 0o755); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(out, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func dirSources(t *testing.T, dirs ...string) []sources.Source {
	t.Helper()
	var srcs []sources.Source
	for _, d := range dirs {
		s, err := sources.Dir(d)
		if err != nil {
			t.Fatal(err)
		}
		srcs = append(srcs, s)
	}
	return srcs
}

// cacheFiles are the cache's files (temporary ones included).
func cacheFiles(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, filepath.Join(dir, e.Name()))
	}
	return out
}

// sameAsParsed requires n to be what sources.Read gives for the same
// inputs: the dataset and every warning, each with its file and line.
func sameAsParsed(t *testing.T, n *sources.Network, srcs []sources.Source, opt loader.Options) {
	t.Helper()
	want, err := sources.Read(srcs, nil, "", opt)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(normalise(n.Dataset), normalise(want.Dataset)) {
		t.Errorf("the cached dataset differs from the parsed one (%d/%d entities, %d/%d relations)",
			len(n.Dataset.Entities), len(want.Dataset.Entities), len(n.Dataset.Relations), len(want.Dataset.Relations))
	}
	if !reflect.DeepEqual(n.Warnings, want.Warnings) {
		t.Errorf("warnings %v, want %v", n.Warnings, want.Warnings)
	}
}

// TestCacheAnswersAsParsed: the second read of a load is the cache's,
// and it is the parse's dataset and warnings (keep's fixture has two), for
// one directory and for two linked.
func TestCacheAnswersAsParsed(t *testing.T) {
	keep := copyDir(t, filepath.Join("..", "loader", "testdata", "keep"))
	seed := copyDir(t, filepath.Join("..", "data", "seed"))
	for _, srcs := range [][]sources.Source{dirSources(t, keep), dirSources(t, seed, keep)} {
		c := sources.Cache{Dir: t.TempDir(), Binary: "test"}
		first, notes, err := c.ReadCached(srcs, "", nil, "", loader.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(notes) > 0 || first.FromCache {
			t.Fatalf("first read: err %v, notes %v, from the cache %v", err, notes, first.FromCache)
		}
		if files := cacheFiles(t, c.Dir); len(files) != 1 || !strings.HasSuffix(files[0], ".bin") {
			t.Fatalf("cache files %v, want one", files)
		}
		second, notes, err := c.ReadCached(srcs, "", nil, "", loader.Options{})
		if err != nil || len(notes) > 0 || !second.FromCache {
			t.Fatalf("second read: err %v, notes %v, from the cache %v", err, notes, second.FromCache)
		}
		if len(srcs) == 1 && (len(second.Warnings) != 1 || len(second.Warnings[0].Problems) != 2) {
			t.Errorf("warnings %v, want keep's 2", second.Warnings)
		}
		sameAsParsed(t, second, srcs, loader.Options{})
	}
}

// TestCacheMisses: a changed byte of an input, another option, name,
// binary, or another spelling of the directory (it names the files of the
// warnings) is another key: the load is parsed again, and kept beside.
func TestCacheMisses(t *testing.T) {
	keep := copyDir(t, filepath.Join("..", "loader", "testdata", "keep"))
	srcs := dirSources(t, keep)
	c := sources.Cache{Dir: t.TempDir(), Binary: "test"}
	if _, _, err := c.ReadCached(srcs, "", nil, "", loader.Options{}); err != nil {
		t.Fatal(err)
	}
	miss := func(what string, c sources.Cache, srcs []sources.Source, name string, opt loader.Options) *sources.Network {
		t.Helper()
		n, notes, err := c.ReadCached(srcs, "", nil, name, opt)
		if err != nil || len(notes) > 0 {
			t.Fatalf("%s: err %v, notes %v", what, err, notes)
		}
		if n.FromCache {
			t.Errorf("%s: read from the cache", what)
		}
		return n
	}
	opt := loader.Options{MaxEntities: 1000}
	miss("another option", c, srcs, "", opt)
	miss("another name", c, srcs, "other", loader.Options{})
	miss("another binary", sources.Cache{Dir: c.Dir, Binary: "test 2"}, srcs, "", loader.Options{})
	respelt := srcs[0]
	respelt.Display = keep + string(filepath.Separator)
	miss("another spelling", c, []sources.Source{respelt}, "", loader.Options{})

	// One byte of a name in projects.csv, the file's size unchanged.
	file := filepath.Join(keep, "projects.csv")
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	i := strings.Index(string(b), "\n") + 10
	b[i]++
	if err := os.WriteFile(file, b, 0o644); err != nil {
		t.Fatal(err)
	}
	n := miss("a changed byte", c, srcs, "", loader.Options{})
	sameAsParsed(t, n, srcs, loader.Options{})

	// A file added to the directory, even one the load does not read.
	if err := os.WriteFile(filepath.Join(keep, "notes.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	miss("a new file", c, srcs, "", loader.Options{})
	if files := cacheFiles(t, c.Dir); len(files) != sources.CacheKeep {
		t.Errorf("%d cache files, want %d (the most recent keys): %v", len(files), sources.CacheKeep, files)
	}
}

// TestCachePrunes: the cache keeps the CacheKeep loads used last; a hit
// counts as a use.
func TestCachePrunes(t *testing.T) {
	keep := copyDir(t, filepath.Join("..", "loader", "testdata", "keep"))
	srcs := dirSources(t, keep)
	c := sources.Cache{Dir: t.TempDir(), Binary: "test"}
	read := func(max int) *sources.Network {
		t.Helper()
		n, notes, err := c.ReadCached(srcs, "", nil, "", loader.Options{MaxEntities: max})
		if err != nil || len(notes) > 0 {
			t.Fatal(err, notes)
		}
		return n
	}
	// Not a load's: never pruned.
	others := []string{filepath.Join(c.Dir, "notes.bin"), filepath.Join(c.Dir, "tool")}
	if err := os.WriteFile(others[0], nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(others[1], 0o700); err != nil {
		t.Fatal(err)
	}
	read(1000)
	for i := range sources.CacheKeep {
		time.Sleep(20 * time.Millisecond) // distinct modification times
		read(2000 + i)
		if i == sources.CacheKeep-2 {
			time.Sleep(20 * time.Millisecond)
			if !read(1000).FromCache {
				t.Fatal("the first load was pruned early")
			}
		}
	}
	if files := cacheFiles(t, c.Dir); len(files) != sources.CacheKeep+len(others) {
		t.Fatalf("%d cache files, want %d and the 2 others: %v", len(files), sources.CacheKeep, files)
	}
	for _, f := range others {
		if _, err := os.Stat(f); err != nil {
			t.Error(err)
		}
	}
	if !read(1000).FromCache {
		t.Error("the load used recently was pruned")
	}
	if read(2000).FromCache {
		t.Error("the load used least recently was kept")
	}
}

// TestCacheDamaged: a cache file changed by one byte, cut short, or empty
// is a note, never an error nor its content; the load is parsed and the
// file written anew.
func TestCacheDamaged(t *testing.T) {
	keep := copyDir(t, filepath.Join("..", "loader", "testdata", "keep"))
	srcs := dirSources(t, keep)
	damages := map[string]func([]byte) []byte{
		"a byte changed": func(b []byte) []byte { b[len(b)/2] ^= 1; return b },
		"cut short":      func(b []byte) []byte { return b[:len(b)-10] },
		"empty":          func([]byte) []byte { return nil },
	}
	for what, damage := range damages {
		c := sources.Cache{Dir: t.TempDir(), Binary: "test"}
		if _, _, err := c.ReadCached(srcs, "", nil, "", loader.Options{}); err != nil {
			t.Fatal(err)
		}
		file := cacheFiles(t, c.Dir)[0]
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, damage(b), 0o600); err != nil {
			t.Fatal(err)
		}
		n, notes, err := c.ReadCached(srcs, "", nil, "", loader.Options{})
		if err != nil || n.FromCache || len(notes) != 1 || !strings.Contains(notes[0], "unreadable") || !strings.Contains(notes[0], file) {
			t.Fatalf("%s: err %v, from the cache %v, notes %q", what, err, n != nil && n.FromCache, notes)
		}
		sameAsParsed(t, n, srcs, loader.Options{})
		if n, notes, err := c.ReadCached(srcs, "", nil, "", loader.Options{}); err != nil || !n.FromCache || len(notes) > 0 {
			t.Errorf("%s: the file was not written anew: err %v, notes %v", what, err, notes)
		}
	}
}

// TestCacheNotUsed: a load that may read files outside its directories
// is not kept (the key would not name them), nor a load that fails; a
// cache directory that cannot be written is a note.
func TestCacheNotUsed(t *testing.T) {
	keep := copyDir(t, filepath.Join("..", "loader", "testdata", "keep"))
	c := sources.Cache{Dir: t.TempDir(), Binary: "test"}
	if _, notes, err := c.ReadCached(dirSources(t, keep), "", nil, "", loader.Options{AllowOutsideFiles: true}); err != nil || len(notes) > 0 {
		t.Fatal(err, notes)
	}
	if _, notes, err := c.ReadCached(dirSources(t, filepath.Join("..", "loader", "testdata", "bad")), "", nil, "", loader.Options{}); err == nil || len(notes) > 0 {
		t.Fatalf("a bad dataset: err %v, notes %v", err, notes)
	}
	if files := cacheFiles(t, c.Dir); len(files) != 0 {
		t.Errorf("cache files %v, want none", files)
	}
	blocked := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(blocked, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	n, notes, err := sources.Cache{Dir: blocked, Binary: "test"}.ReadCached(dirSources(t, keep), "", nil, "", loader.Options{})
	if err != nil || len(notes) == 0 || !strings.Contains(notes[len(notes)-1], "could not keep") {
		t.Fatalf("a cache that is a file: err %v, notes %q", err, notes)
	}
	sameAsParsed(t, n, dirSources(t, keep), loader.Options{})
}
