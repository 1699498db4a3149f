// Command compile links the built-in sources into the network the binary
// serves by default and writes it (see sources.WriteCompiled), so that
// `coopgraph serve` starts in about a second instead of linking 300,000
// rows at every start. go generate runs it (generate.go at the module's
// root) and always links anew, so that a change of the linker's rules
// shows as a diff of the file (CI fails on the diff go generate leaves); a
// file whose bytes do not change is not rewritten.
//
// Usage: go run ./sources/internal/compile data/linked.bin.gz
package main

import (
	"bytes"
	"fmt"
	"os"

	"github.com/coopgraph/coopgraph/loader"
	"github.com/coopgraph/coopgraph/sources"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: compile OUTPUT")
		os.Exit(2)
	}
	if err := run(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "compile:", err)
		os.Exit(1)
	}
}

func run(out string) error {
	digest, err := sources.InputsDigest()
	if err != nil {
		return err
	}
	links, err := sources.BuiltinLinks()
	if err != nil {
		return err
	}
	n, err := sources.Read(sources.Builtin(), links, "", loader.Options{})
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := sources.WriteCompiled(&b, n.Dataset, digest); err != nil {
		return err
	}
	if old, err := os.ReadFile(out); err == nil && bytes.Equal(old, b.Bytes()) {
		return nil // unchanged: no new modification time
	}
	fmt.Printf("compile: %s: %d entities, %d relations, %d bytes\n", out, len(n.Dataset.Entities), len(n.Dataset.Relations), b.Len())
	return os.WriteFile(out, b.Bytes(), 0o644)
}
