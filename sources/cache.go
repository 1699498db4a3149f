package sources

import (
	"crypto/sha256"
	"debug/elf"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/coopgraph/coopgraph/link"
	"github.com/coopgraph/coopgraph/loader"
)

// The cache of --data loads. Reading CORDIS's tables (7 MB of CSV, every
// row mapped, validated and turned into entities) takes seconds; reading
// the network they made, compiled as the built-in one is (compiled.go),
// takes a fraction of that. So a load of dataset directories is kept,
// compiled, under a key that is the digest of everything its result
// depends on: every file of every directory (names and bytes), the links
// file's bytes, the dataset's name, the loader's options and the binary
// itself (its code is the loader's and the linker's rules, and the file's
// format). A cache file is used only when its key is the load's exactly;
// any other file is never read, and one that fails to read is a warning
// and the load parses the directories as if there were no cache.

// cacheHeader starts a cache file; the number is the format's version.
const cacheHeader = "coopgraph data cache 1\n"

// CacheDirEnv names the environment variable that moves the cache.
const CacheDirEnv = "COOPGRAPH_CACHE_DIR"

// CacheDir is where the cache of --data loads lives: $COOPGRAPH_CACHE_DIR,
// else the user's cache directory's coopgraph (~/.cache/coopgraph on Linux).
func CacheDir() (string, error) {
	if d := os.Getenv(CacheDirEnv); d != "" {
		return d, nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "coopgraph"), nil
}

// Cache is a directory of compiled --data loads.
type Cache struct {
	Dir string
	// Binary is a digest of the program's code; empty means the running
	// executable's (tests give their own to stand for another build).
	Binary string
}

// ReadCached is Read of directory sources through the cache: the network
// kept for exactly these inputs, or else the sources read and linked now,
// then kept. Notes says, for the user, what went wrong with the cache (a
// damaged file, a directory that cannot be written): never an error, the
// answer is the parsed one. Sources that cannot be keyed (an embedded one,
// AllowOutsideFiles: inputs that may lie anywhere; a link to a directory)
// are read without the cache.
func (c Cache) ReadCached(srcs []Source, linksFile string, links link.Links, name string, opt loader.Options) (n *Network, notes []string, err error) {
	key, err := c.key(srcs, linksFile, name, opt)
	if err != nil {
		n, err = Read(srcs, links, name, opt)
		return n, nil, err
	}
	file := filepath.Join(c.Dir, key+".bin")
	if n, err := readCacheFile(file, key); err == nil {
		now := time.Now()
		_ = os.Chtimes(file, now, now) // recently used: pruned last; a cache that cannot say so is pruned sooner, no worse
		// The link report is not kept: only the dataset and warnings are
		// the load's answer.
		n.Linked = len(srcs) > 1 || len(links) > 0
		return n, nil, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		notes = append(notes, fmt.Sprintf("the cached load %s is unreadable (%v): reading the datasets", file, err))
	}
	n, err = Read(srcs, links, name, opt)
	if err != nil {
		return n, notes, err
	}
	if err := writeCacheFile(c.Dir, file, n, key); err != nil {
		notes = append(notes, fmt.Sprintf("could not keep the load in the cache: %v", err))
	} else if err := prune(c.Dir, CacheKeep); err != nil {
		notes = append(notes, fmt.Sprintf("could not prune the cache: %v", err))
	}
	return n, notes, nil
}

// CacheKeep is how many loads the cache keeps: every rebuilt binary or
// changed input is a new key, and CORDIS H2020's load is 49 MB.
const CacheKeep = 4

// isLoadName says whether name is a load's file: a key (64 hex digits)
// and .bin. Nothing else in the directory is pruned: it may be the
// user's ($COOPGRAPH_CACHE_DIR) or another tool's.
func isLoadName(name string) bool {
	key, ok := strings.CutSuffix(name, ".bin")
	if !ok || len(key) != 2*sha256.Size {
		return false
	}
	_, err := hex.DecodeString(key)
	return err == nil
}

// prune removes all but the keep most recently used loads of dir (a hit
// marks its file used), and temporary files a killed process left.
func prune(dir string, keep int) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	type file struct {
		path string
		used time.Time
	}
	var loads []file
	for _, e := range entries {
		info, err := e.Info()
		if err != nil || !info.Mode().IsRegular() {
			continue // gone meanwhile, or not ours
		}
		path := filepath.Join(dir, e.Name())
		switch {
		case isLoadName(e.Name()):
			loads = append(loads, file{path, info.ModTime()})
		case strings.HasPrefix(e.Name(), ".load-") && strings.HasSuffix(e.Name(), ".tmp") && time.Since(info.ModTime()) > time.Hour:
			_ = os.Remove(path) // another process may be writing it: only old ones
		}
	}
	slices.SortFunc(loads, func(a, b file) int { return b.used.Compare(a.used) })
	for _, f := range loads[min(keep, len(loads)):] {
		if err := os.Remove(f.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}

func readCacheFile(file, key string) (*Network, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	ds, warnings, have, err := readCache(b)
	if err != nil {
		return nil, err
	}
	if have != key {
		return nil, fmt.Errorf("%w: its key is %s", errCompiled, have)
	}
	return &Network{Dataset: ds, Warnings: warnings, FromCache: true}, nil
}

// writeCacheFile writes n into a temporary file of dir, then renames it
// to file: a reader sees the whole file or none, and of two processes
// writing the same key at once, the last to rename wins, whole.
func writeCacheFile(dir, file string, n *Network, key string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".load-*.tmp")
	if err != nil {
		return err
	}
	defer func() { _ = os.Remove(tmp.Name()) }() // gone once renamed
	err = writeCache(tmp, n.Dataset, n.Warnings, key)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(tmp.Name(), file)
}

// errUncacheable is a load whose inputs the key cannot name.
var errUncacheable = errors.New("inputs outside the dataset directories")

// key is the digest of everything a load of srcs depends on.
func (c Cache) key(srcs []Source, linksFile string, name string, opt loader.Options) (string, error) {
	if opt.AllowOutsideFiles {
		return "", errUncacheable
	}
	binary := c.Binary
	if binary == "" {
		var err error
		if binary, err = executableDigest(); err != nil {
			return "", err
		}
	}
	h := sha256.New()
	_, _ = fmt.Fprintf(h, "%s%s\nbinary %s\nname %q\noptions %#v\n", cacheHeader, linkerVersion, binary, name, opt)
	if linksFile != "" {
		if err := hashFile(h, "links", linksFile); err != nil {
			return "", err
		}
	}
	for _, s := range srcs {
		if s.FS != nil {
			return "", errUncacheable
		}
		// Display names the files in warnings: part of the answer.
		_, _ = fmt.Fprintf(h, "source %q %q\n", s.Name, s.Display)
		if err := hashDir(h, s.Dir); err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// hashDir writes every file under dir into h, in lexical order, each
// with its path and length; a link to a file counts as the file, a link
// to a directory makes the load uncacheable (the walk does not follow it).
func hashDir(h hash.Hash, dir string) error {
	return filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			_, _ = fmt.Fprintf(h, "dir %q\n", path)
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			info, err := os.Stat(path)
			if err != nil {
				return err
			}
			if info.IsDir() {
				return errUncacheable
			}
		}
		return hashFile(h, "file", path)
	})
}

func hashFile(h hash.Hash, what, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer func() { _ = f.Close() }() // read only
	info, err := f.Stat()
	if err != nil {
		return err
	}
	if !info.Mode().IsRegular() {
		return errUncacheable
	}
	_, _ = fmt.Fprintf(h, "%s %q %d\n", what, path, info.Size())
	n, err := io.Copy(h, f)
	if err == nil && n != info.Size() {
		err = fmt.Errorf("%s changed while read", path)
	}
	return err
}

// executableDigest names the running binary's build, once per process:
// a rebuilt binary (another loader, linker or format) never reads what an
// older one kept. On ELF systems it is the Go build ID the linker writes
// in its own note (a hash of the build's inputs and output, read in
// microseconds); elsewhere the digest of the binary's bytes.
var executableDigest = sync.OnceValues(func() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", err
	}
	if id, err := goBuildID(exe); err == nil {
		return "go build id " + id, nil
	}
	h := sha256.New()
	if err := hashFile(h, "binary", exe); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
})

// goBuildID is the content of the Go build ID note of an ELF binary.
func goBuildID(exe string) (string, error) {
	f, err := elf.Open(exe)
	if err != nil {
		return "", err
	}
	defer func() { _ = f.Close() }() // read only
	sec := f.Section(".note.go.buildid")
	if sec == nil {
		return "", errors.New("no Go build ID")
	}
	b, err := sec.Data()
	if err != nil {
		return "", err
	}
	if len(b) < 20 {
		return "", errors.New("a Go build ID note too short")
	}
	return hex.EncodeToString(b), nil
}
