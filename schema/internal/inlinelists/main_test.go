package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// What gqlgen v0.17.98 emits for a list of objects (codegen/type.gotpl).
const generatedList = `func (ec *executionContext) marshalNEntity2ᚕᚖEntityᚄ(ctx context.Context, sel ast.SelectionSet, v []*coopgraph.Entity) graphql.Marshaler {
	ret := graphql.MarshalSliceConcurrently(ctx, len(v), 0, false, func(ctx context.Context, i int) graphql.Marshaler {
		fc := graphql.GetFieldContext(ctx)
		fc.Result = &v[i]
		return ec.marshalNEntity2ᚖEntity(ctx, sel, v[i])
	})
	return ret
}
`

func TestInlineListsRewritesEveryCallKeepingArguments(t *testing.T) {
	src := []byte(generatedList + generatedList)
	out, err := inlineLists(src)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(out, []byte("MarshalSliceConcurrently")) {
		t.Errorf("a call of graphql.MarshalSliceConcurrently is left:\n%s", out)
	}
	if got := bytes.Count(out, []byte("marshalList(ctx, len(v), 0, false, func(")); got != 2 {
		t.Errorf("marshalList calls with the original arguments = %d, want 2:\n%s", got, out)
	}
}

func TestInlineListsIsIdempotent(t *testing.T) {
	once, err := inlineLists([]byte(generatedList))
	if err != nil {
		t.Fatal(err)
	}
	twice, err := inlineLists(once)
	if err != nil {
		t.Fatalf("second run on rewritten code: %v", err)
	}
	if !bytes.Equal(once, twice) {
		t.Errorf("second run changed the file:\n%s\nthen\n%s", once, twice)
	}
}

// After a gqlgen upgrade that marshals lists another way, the rewrite must
// fail and say what to do, naming the file.
func TestRewriteFailsWithWhatToDoAfterAGqlgenUpgrade(t *testing.T) {
	path := filepath.Join(t.TempDir(), "generated.go")
	upgraded := strings.ReplaceAll(generatedList, "graphql.MarshalSliceConcurrently(", "graphql.MarshalList(")
	if err := os.WriteFile(path, []byte(upgraded), 0o644); err != nil {
		t.Fatal(err)
	}
	err := rewrite(path)
	if err == nil {
		t.Fatal("rewrite of code without graphql.MarshalSliceConcurrently succeeded, want an error")
	}
	for _, want := range []string{path, "graphql.MarshalSliceConcurrently", "gqlgen upgrade", "codegen/type.gotpl", "schema/lists.go", "generate.go"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	after, readErr := os.ReadFile(path)
	if readErr != nil {
		t.Fatal(readErr)
	}
	if string(after) != upgraded {
		t.Error("a failed rewrite changed the file")
	}
}
