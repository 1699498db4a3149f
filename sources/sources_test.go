package sources_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/data"
	"github.com/coopgraph/coopgraph/loader"
	"github.com/coopgraph/coopgraph/sources"
)

// The compiled network embedded in the binary is exactly what linking the
// embedded sources gives now: go generate was run after the last change
// to a source, the links or the linker (scripts/test also fails on the
// diff go generate leaves).
func TestCompiledNetworkIsTheSourcesLinked(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: links 300,000 rows")
	}
	digest, err := sources.InputsDigest()
	if err != nil {
		t.Fatal(err)
	}
	compiled, have, err := sources.ReadCompiled(bytes.NewReader(data.Linked()))
	if err != nil {
		t.Fatal(err)
	}
	if have != digest {
		t.Fatalf("data/linked.bin.gz was compiled from other inputs (%.12s, now %.12s): run go generate ./...", have, digest)
	}
	links, err := sources.BuiltinLinks()
	if err != nil {
		t.Fatal(err)
	}
	fresh, err := sources.Read(sources.Builtin(), links, "", loader.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if fresh.Dataset.Name != sources.LinkedName {
		t.Errorf("the built-in network is named %q, want %q", fresh.Dataset.Name, sources.LinkedName)
	}
	if !reflect.DeepEqual(normalise(compiled), normalise(fresh.Dataset)) {
		t.Errorf("data/linked.bin.gz differs from the sources linked now (%d/%d entities, %d/%d relations): "+
			"the linker changed without a new linkerVersion in sources/compiled.go, or go generate was not run",
			len(compiled.Entities), len(fresh.Dataset.Entities), len(compiled.Relations), len(fresh.Dataset.Relations))
	}
	n, stale, err := sources.BuiltinNetwork(loader.Options{})
	if err != nil || stale || len(n.Dataset.Entities) != len(fresh.Dataset.Entities) {
		t.Errorf("BuiltinNetwork: stale %v, err %v", stale, err)
	}
}

// normalise makes empty and nil slices and maps equal, as the file does
// not tell them apart.
func normalise(ds *coopgraph.Dataset) *coopgraph.Dataset {
	out := *ds
	out.Entities = make([]coopgraph.Entity, len(ds.Entities))
	for i, e := range ds.Entities {
		if len(e.Aliases) == 0 {
			e.Aliases = nil
		}
		if len(e.Properties) == 0 {
			e.Properties = nil
		}
		if len(e.Facts) == 0 {
			e.Facts = nil
		}
		if len(e.Documents) == 0 {
			e.Documents = nil
		}
		if len(e.Records) == 0 {
			e.Records = nil
		}
		out.Entities[i] = e
	}
	out.Relations = make([]coopgraph.Relation, len(ds.Relations))
	for i, r := range ds.Relations {
		if len(r.Properties) == 0 {
			r.Properties = nil
		}
		out.Relations[i] = r
	}
	if len(out.Credits) == 0 {
		out.Credits = nil
	}
	return &out
}

// Writing and reading back gives the same dataset, every field of every
// kind of value, Polish letters and empty strings included; the same
// dataset always gives the same bytes.
func TestCompiledRoundTrip(t *testing.T) {
	ds, err := loader.LoadFS(data.Seed(), "data/seed", data.SeedName)
	if err != nil {
		t.Fatal(err)
	}
	ds.Credits = []string{"NUTS: © European Union, Eurostat"}
	ds.Entities[0].Records = []coopgraph.Record{{Dataset: "seed", ID: ds.Entities[0].ID, Name: "Małopolska"},
		{Dataset: "nuts", ID: "nuts:PL21", Name: "Małopolskie", Place: "PL", Rule: "same NUTS code"}}
	var a, b bytes.Buffer
	if err := sources.WriteCompiled(&a, ds, "digest"); err != nil {
		t.Fatal(err)
	}
	if err := sources.WriteCompiled(&b, ds, "digest"); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("the same dataset gave different bytes")
	}
	got, digest, err := sources.ReadCompiled(bytes.NewReader(a.Bytes()))
	if err != nil || digest != "digest" {
		t.Fatalf("digest %q, %v", digest, err)
	}
	if !reflect.DeepEqual(normalise(got), normalise(ds)) {
		t.Error("the dataset read back differs from the one written")
	}

	// A damaged file is an error, never a partial network.
	damaged := append([]byte(nil), a.Bytes()[:a.Len()/2]...)
	if _, _, err := sources.ReadCompiled(bytes.NewReader(damaged)); err == nil {
		t.Error("half a file read without an error")
	}
}

// Several directories are linked into one dataset named by theirs; a
// source that does not validate fails the read with its problems at
// file:line, whichever source it is.
func TestReadDirectories(t *testing.T) {
	seed, err := sources.Dir("../data/seed")
	if err != nil {
		t.Fatal(err)
	}
	nuts, err := sources.Dir("../data/nuts")
	if err != nil {
		t.Fatal(err)
	}
	n, err := sources.Read([]sources.Source{seed, nuts}, nil, "", loader.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n.Dataset.Name != "seed+nuts" || !n.Linked {
		t.Errorf("name %q, linked %v", n.Dataset.Name, n.Linked)
	}
	var malopolska *coopgraph.Entity
	for i, e := range n.Dataset.Entities {
		if e.Properties["nuts"] == "PL21" {
			if malopolska != nil {
				t.Fatalf("two entities with NUTS code PL21: %s and %s", malopolska.ID, e.ID)
			}
			malopolska = &n.Dataset.Entities[i]
		}
	}
	if malopolska == nil || malopolska.ID != "malopolskie" || len(malopolska.Records) != 2 {
		t.Fatalf("Małopolskie of the seed and nuts:PL21 are not one entity: %+v", malopolska)
	}

	alone, err := sources.Read([]sources.Source{seed}, nil, "mine", loader.Options{})
	if err != nil || alone.Linked || alone.Dataset.Name != "mine" {
		t.Errorf("one source: linked %v, name %q, %v", alone != nil && alone.Linked, alone.Dataset.Name, err)
	}

	bad := t.TempDir() + "/bad"
	writeFile(t, bad+"/x.yaml", "entities:\n  - id: a\n    kind: Nothing\n    name: A\n")
	badSrc, _ := sources.Dir(bad)
	_, err = sources.Read([]sources.Source{seed, badSrc}, nil, "", loader.Options{})
	var ps loader.Problems
	if !errors.As(err, &ps) || !strings.Contains(err.Error(), "x.yaml:3") {
		t.Errorf("a bad source: %v", err)
	}
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}
