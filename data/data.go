// Package data embeds the curated seed dataset, so that the binary serves
// the cooperation network around Małopolska with nothing else installed.
package data

import (
	"embed"
	"io/fs"
)

//go:embed seed/*.yaml
var seed embed.FS

// Seed returns the curated seed dataset as a file system whose root holds
// the dataset files.
func Seed() fs.FS {
	sub, err := fs.Sub(seed, "seed")
	if err != nil {
		panic(err) // the embedded directory is fixed at compile time
	}
	return sub
}

// SeedName is the dataset name the seed dataset is loaded under.
const SeedName = "seed"
