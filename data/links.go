package data

import _ "embed"

// links is the curated links file of the linked network (issue 15): the
// same-as and not-same-as pairs of records that the linker's rules cannot
// decide, each with its reason. Its format is in link's package doc.
//
//go:embed links.csv
var links []byte

// Links returns the curated links file, as the link package reads it.
func Links() []byte { return links }

// LinksFile is the file name messages about the links give.
const LinksFile = "data/links.csv"
