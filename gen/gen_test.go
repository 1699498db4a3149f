package gen

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coopgraph/coopgraph/loader"
)

func write(t *testing.T, cfg Config) string {
	t.Helper()
	nw, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "net")
	if err := nw.WriteDir(context.Background(), dir, false); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestSameSeedSameBytes(t *testing.T) {
	cfg := Config{Participations: 30_000, Seed: 42}
	a, b := write(t, cfg), write(t, cfg)
	for _, f := range []string{NodesFile, EdgesFile, NoteFile} {
		x, err := os.ReadFile(filepath.Join(a, f))
		if err != nil {
			t.Fatal(err)
		}
		y, err := os.ReadFile(filepath.Join(b, f))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs with seed 42", f)
		}
	}
	c := write(t, Config{Participations: 30_000, Seed: 43})
	x, _ := os.ReadFile(filepath.Join(a, EdgesFile))
	y, _ := os.ReadFile(filepath.Join(c, EdgesFile))
	if bytes.Equal(x, y) {
		t.Errorf("seeds 42 and 43 give the same edges")
	}
}

// The summary statistics of a 100k sample match CORDIS H2020 (144,726
// participations: 4.60 partners per project, 60.6% single-partner projects,
// at most 186 partners; 4.03 projects per organisation, 62.6% in one
// project, at most 1,372).
func TestDistribution(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3, 2024} {
		nw, err := New(Config{Participations: 100_000, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		s := nw.Summary()
		t.Logf("seed %d: %+v", seed, s)
		single := float64(s.SingleProjects) / float64(s.Projects)
		singleOrg := float64(s.SingleOrganisation) / float64(s.Organisations)
		check := func(what string, got, lo, hi float64) {
			if got < lo || got > hi {
				t.Errorf("seed %d: %s = %v, want %v to %v", seed, what, got, lo, hi)
			}
		}
		check("participations", float64(s.Participations), 100_000, 100_000)
		check("mean partners per project", s.MeanPartners, 4.6*0.85, 4.6*1.15)
		check("share of single-partner projects", single, 0.55, 0.66)
		check("max partners per project", float64(s.MaxPartners), 60, 186)
		check("mean projects per organisation", s.MeanProjects, 4.03*0.85, 4.03*1.15)
		check("share of single-project organisations", singleOrg, 0.57, 0.68)
		check("max projects per organisation", float64(s.MaxProjects), 200, 1372)
		check("countries", float64(s.Countries), 100, float64(len(countryWeights)))
	}
}

// Every project has distinct partners, whatever the size.
func TestDistinctPartners(t *testing.T) {
	for _, n := range []int{1, 2, 3, 17, 100, 1000, 12_345, 200_000} {
		nw, err := New(Config{Participations: n, Seed: uint64(n)})
		if err != nil {
			t.Fatal(err)
		}
		if nw.Participations() != n {
			t.Errorf("%d: %d participations", n, nw.Participations())
		}
		seen := map[int32]int{}
		for p := range nw.Projects() {
			ps := nw.Partners(p)
			if len(ps) == 0 {
				t.Fatalf("%d: project %d has no partner", n, p)
			}
			for _, o := range ps {
				if seen[o] == p+1 {
					t.Fatalf("%d: project %d has organisation %d twice", n, p, o)
				}
				seen[o] = p + 1
			}
		}
		if len(seen) != nw.Organisations() {
			t.Errorf("%d: %d of %d organisations take part in a project", n, len(seen), nw.Organisations())
		}
	}
}

func TestLoads(t *testing.T) {
	cfg := Config{Participations: 20_000, Seed: 7}
	dir := write(t, cfg)
	ds, err := loader.LoadDir(dir, "gen")
	if err != nil {
		t.Fatal(err)
	}
	nw, _ := New(cfg)
	s := nw.Summary()
	if got, want := len(ds.Entities), s.Projects+s.Organisations+s.Countries; got != want {
		t.Errorf("%d entities, want %d", got, want)
	}
	if got, want := len(ds.Relations), s.Participations+s.Organisations; got != want {
		t.Errorf("%d relations, want %d", got, want)
	}
	kinds := map[string]int{}
	country := map[string]string{}
	for _, e := range ds.Entities {
		kinds[e.Kind]++
		if e.Kind == "Organisation" {
			country[e.ID] = e.Properties["country"]
		}
	}
	if kinds["Project"] != s.Projects || kinds["Organisation"] != s.Organisations || kinds["Country"] != s.Countries {
		t.Errorf("kinds %v, want %d projects, %d organisations, %d countries", kinds, s.Projects, s.Organisations, s.Countries)
	}
	coordinators := map[string]int{}
	for _, r := range ds.Relations {
		switch r.Type {
		case "PARTICIPATES_IN":
			if !strings.HasPrefix(r.From, "o:") || !strings.HasPrefix(r.To, "p:") {
				t.Fatalf("participation %s -> %s", r.From, r.To)
			}
			switch r.Role {
			case "coordinator":
				coordinators[r.To]++
			case "participant":
			default:
				t.Fatalf("role %q", r.Role)
			}
		case "LOCATED_IN":
			if r.To != "c:"+country[r.From] {
				t.Fatalf("%s LOCATED_IN %s, but its country is %q", r.From, r.To, country[r.From])
			}
		default:
			t.Fatalf("relation type %s", r.Type)
		}
	}
	if len(coordinators) != s.Projects {
		t.Errorf("%d projects have a coordinator, want all %d", len(coordinators), s.Projects)
	}
	for p, n := range coordinators {
		if n != 1 {
			t.Fatalf("%s has %d coordinators", p, n)
		}
	}
}

func TestConfigLimits(t *testing.T) {
	for _, n := range []int{-1, 0, MaxParticipations + 1} {
		if _, err := New(Config{Participations: n}); err == nil {
			t.Errorf("%d participations accepted", n)
		}
	}
	if err := (Config{Participations: MaxParticipations}).Check(); err != nil {
		t.Error(err)
	}
}

func TestWriteDirRefusesNonEmpty(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "nodes.csv"), []byte("id,kind,name\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := Config{Participations: 100, Seed: 1}
	nw, _ := New(cfg)
	if err := nw.WriteDir(context.Background(), dir, false); !errors.Is(err, ErrNotEmpty) {
		t.Fatalf("non-empty directory: err %v, want ErrNotEmpty", err)
	}
	if err := nw.WriteDir(context.Background(), dir, true); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "nodes.csv")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("--force left nodes.csv beside nodes.csv.gz: %v", err)
	}
	if _, err := loader.LoadDir(dir, "gen"); err != nil {
		t.Fatal(err)
	}
}

func TestWriteDirCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	cfg := Config{Participations: 200_000, Seed: 1}
	nw, _ := New(cfg)
	dir := t.TempDir()
	if err := nw.WriteDir(ctx, dir, false); !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("a cancelled write left %v", ents)
	}
}

func BenchmarkNew2M(b *testing.B) {
	for b.Loop() {
		if _, err := New(Config{Participations: 2_000_000, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
}
