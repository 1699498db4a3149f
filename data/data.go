// Package data embeds coopgraph's datasets, so that the binary serves the
// cooperation network around Małopolska with nothing else installed: the
// curated seed and the programme data it is linked with (NUTS regions,
// CORDIS Horizon 2020, keep.eu Interreg), each in its own directory with
// the published files, their mapping and their SOURCE.md.
package data

import (
	"embed"
	"io/fs"
)

//go:embed seed/*.yaml seed/documents.csv nuts cordis-h2020 keep-interreg
var files embed.FS

// Source is one embedded dataset.
type Source struct {
	// Name is the dataset's name in a store and its directory under data/.
	Name string
	// FS holds the dataset's files at its root.
	FS fs.FS
}

// Sources are the embedded datasets in the order the linked network takes
// them: when two name the same thing, the first one's id, kind and name are
// kept (the seed's curated words first, then the official NUTS names, then
// the programmes' records).
func Sources() []Source {
	names := []string{SeedName, "nuts", "cordis-h2020", "keep-interreg"}
	out := make([]Source, len(names))
	for i, name := range names {
		out[i] = Source{Name: name, FS: sub(name)}
	}
	return out
}

// Seed returns the curated seed dataset as a file system whose root holds
// the dataset files.
func Seed() fs.FS { return sub(SeedName) }

func sub(dir string) fs.FS {
	sub, err := fs.Sub(files, dir)
	if err != nil {
		panic(err) // the embedded directories are fixed at compile time
	}
	return sub
}

// SeedName is the dataset name the seed dataset is loaded under.
const SeedName = "seed"
