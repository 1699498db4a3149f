package sources

import (
	"testing"

	"github.com/coopgraph/coopgraph/loader"
)

// BenchmarkReadCachedCORDIS reads CORDIS H2020 (67,511 entities, 218,049
// relations) from the cache of --data loads, as a second run of
// `coopgraph centrality --data data/cordis-h2020` does; the first run,
// parsing the tables, is BenchmarkLoadCORDIS of loader.
func BenchmarkReadCachedCORDIS(b *testing.B) {
	src, err := Dir("../data/cordis-h2020")
	if err != nil {
		b.Fatal(err)
	}
	c := Cache{Dir: b.TempDir(), Binary: "bench"}
	if _, _, err := c.ReadCached([]Source{src}, "", nil, "", loader.Options{}); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		n, notes, err := c.ReadCached([]Source{src}, "", nil, "", loader.Options{})
		if err != nil || len(notes) > 0 {
			b.Fatal(err, notes)
		}
		if len(n.Dataset.Relations) != 218_049 {
			b.Fatal(len(n.Dataset.Relations))
		}
	}
}

// BenchmarkWriteCacheCORDIS writes CORDIS H2020's load into the cache, as
// the first run of a --data load does after parsing.
func BenchmarkWriteCacheCORDIS(b *testing.B) {
	src, err := Dir("../data/cordis-h2020")
	if err != nil {
		b.Fatal(err)
	}
	n, err := Read([]Source{src}, nil, "", loader.Options{})
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	for b.Loop() {
		if err := writeCacheFile(dir, dir+"/load.bin", n, "key"); err != nil {
			b.Fatal(err)
		}
	}
}
