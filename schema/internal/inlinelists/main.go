// Command inlinelists runs after gqlgen (see generate.go at the module's
// root): it makes schema/generated.go marshal lists through
// schema.marshalList instead of graphql.MarshalSliceConcurrently, which
// starts a goroutine per element. gqlgen has no setting for it.
//
// Usage: go run ./schema/internal/inlinelists FILE
package main

import (
	"bytes"
	"fmt"
	"os"
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

func rewrite(path string) error {
	src, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	from, to := []byte("graphql.MarshalSliceConcurrently("), []byte("marshalList(")
	if !bytes.Contains(src, from) && !bytes.Contains(src, to) {
		return fmt.Errorf("%s: no list marshalling found: has gqlgen changed how it marshals lists?", path)
	}
	return os.WriteFile(path, bytes.ReplaceAll(src, from, to), 0o644)
}
