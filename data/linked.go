package data

import _ "embed"

// linked is the built-in linked network, written by go generate from the
// sources above and data/links.csv (see package sources: it is linked when
// the binary is built, so that serve starts in a second).
//
//go:embed linked.bin.gz
var linked []byte

// Linked returns the compiled linked network, as package sources reads it.
func Linked() []byte { return linked }
