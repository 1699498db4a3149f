// Command inlinelists runs after gqlgen (see generate.go at the module's
// root): it makes schema/generated.go marshal lists through
// schema.marshalList instead of graphql.MarshalSliceConcurrently, which
// starts a goroutine per element.
//
// gqlgen (v0.17.98, the newest release when this was checked) has no
// setting for it: gqlgen.yml's exec.worker_limit only bounds how many of
// those goroutines run at once, for every request alike, and the
// @concurrent directive is about object fields, not list elements.
// marshalList needs to decide per request (concurrent only when the
// request batches its entity reads for a store with a round trip).
//
// The contract:
//   - It matches the literal text "graphql.MarshalSliceConcurrently(" in
//     the file, the call gqlgen's codegen/type.gotpl emits for a list of a
//     non-scalar type, and nothing else.
//   - It produces "marshalList(" in its place, keeping the arguments: so
//     schema.marshalList must have MarshalSliceConcurrently's signature
//     (schema/lists.go asserts it at compile time).
//   - It is idempotent: a file already rewritten is left as it is.
//   - It fails, naming the file and what to do, when the file has neither
//     form: gqlgen then marshals lists some other way and the rewrite would
//     silently stop applying.
//
// Usage: go run ./schema/internal/inlinelists FILE
package main

import (
	"bytes"
	"fmt"
	"os"
)

const (
	concurrent = "graphql.MarshalSliceConcurrently("
	inline     = "marshalList("
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: inlinelists FILE")
		os.Exit(2)
	}
	if err := rewrite(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "inlinelists:", err)
		os.Exit(1)
	}
}

// rewrite applies inlineLists to the file at path, in place.
func rewrite(path string) error {
	src, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	out, err := inlineLists(src)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if bytes.Equal(out, src) {
		return nil
	}
	return os.WriteFile(path, out, 0o644)
}

// inlineLists replaces every call of graphql.MarshalSliceConcurrently in
// gqlgen's generated source by a call of marshalList with the same
// arguments (see the package comment for the contract).
func inlineLists(src []byte) ([]byte, error) {
	if !bytes.Contains(src, []byte(concurrent)) && !bytes.Contains(src, []byte(inline)) {
		return nil, fmt.Errorf("no call of %s found: gqlgen no longer marshals lists the way this rewrite expects "+
			"(after a gqlgen upgrade, see how its codegen/type.gotpl marshals a list now; "+
			"if gqlgen can marshal a list's elements on the calling goroutine per request, drop this rewrite and "+
			"schema/lists.go and remove its go:generate line from generate.go; otherwise update the pattern "+
			"in schema/internal/inlinelists and schema.marshalList's signature to match)", concurrent+"...)")
	}
	return bytes.ReplaceAll(src, []byte(concurrent), []byte(inline)), nil
}
