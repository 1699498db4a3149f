package link_test

import (
	"compress/gzip"
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/data"
	"github.com/coopgraph/coopgraph/loader"
)

// The real datasets, read once per test binary. keep.eu is read from its
// raw files by keepRaw (the loader's keep.eu import is written in parallel,
// so these tests do not depend on it), following the contract's ids.
var (
	realOnce sync.Once
	realSets []*coopgraph.Dataset
	realErr  error
)

func realDatasets(t testing.TB) []*coopgraph.Dataset {
	t.Helper()
	realOnce.Do(func() {
		seed, err := loader.LoadFS(data.Seed(), "data/seed", data.SeedName)
		if err != nil {
			realErr = err
			return
		}
		cordis, err := cordisParticipations()
		if err != nil {
			realErr = err
			return
		}
		withPIC(cordis)
		keep, err := keepRaw(filepath.Join("..", "data", "keep-interreg"))
		if err != nil {
			realErr = err
			return
		}
		realSets = []*coopgraph.Dataset{seed, cordis, keep}
	})
	if realErr != nil {
		t.Fatal(realErr)
	}
	return realSets
}

// cordisParticipations loads data/cordis-h2020's participation mapping
// alone (the directory's other files belong to the CORDIS import being
// extended in parallel).
func cordisParticipations() (*coopgraph.Dataset, error) {
	fsys := fstest.MapFS{}
	for _, f := range []string{"participations.yaml", "participations.csv.gz"} {
		b, err := os.ReadFile(filepath.Join("..", "data", "cordis-h2020", f))
		if err != nil {
			return nil, err
		}
		fsys[f] = &fstest.MapFile{Data: b}
	}
	return loader.LoadFS(fsys, "data/cordis-h2020", "cordis-h2020")
}

// withPIC gives CORDIS organisations the property pic the contract asks
// of the import (today's mapping writes only the id pic:NNN).
func withPIC(ds *coopgraph.Dataset) {
	for i := range ds.Entities {
		e := &ds.Entities[i]
		if pic, ok := strings.CutPrefix(e.ID, "pic:"); ok && e.Kind == "Organisation" {
			if e.Properties == nil {
				e.Properties = map[string]string{}
			}
			e.Properties["pic"] = pic
		}
	}
}

// keepSlug is the contract's keep.eu partner id: keep: + country code and
// the folded words of the name, joined by hyphens.
func keepSlug(country, name string) string {
	return "keep:" + strings.ToLower(country) + "-" + strings.Join(coopgraph.Tokens(name), "-")
}

// keepRaw reads keep.eu's two partner tables as published into a dataset:
// one Organisation per (country, spelling) with country and town, LOCATED_IN
// its most detailed NUTS region, PARTICIPATES_IN its project.
func keepRaw(dir string) (*coopgraph.Dataset, error) {
	ds := &coopgraph.Dataset{Name: "keep-interreg", Credits: []string{"Source: keep.eu (Interact)"}}
	seen := map[string]bool{}
	for _, f := range []struct {
		file string
		sep  rune
	}{{"partners-2000-2020.csv.gz", ','}, {"partnerships-2014-2020-closed.csv.gz", ';'}} {
		if err := readKeep(filepath.Join(dir, f.file), f.sep, ds, seen); err != nil {
			return nil, err
		}
	}
	return ds, nil
}

func readKeep(path string, sep rune, ds *coopgraph.Dataset, seen map[string]bool) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return err
	}
	r := csv.NewReader(gz)
	r.Comma, r.FieldsPerRecord, r.LazyQuotes = sep, -1, true
	header, err := r.Read()
	if err != nil {
		return err
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.Join(strings.Fields(strings.ReplaceAll(h, ".", " ")), " ")] = i
	}
	get := func(rec []string, names ...string) string {
		for _, n := range names {
			if i, ok := col[n]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
		}
		return ""
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		name := get(rec, "Project Partner")
		cc, _, _ := strings.Cut(get(rec, "Country code"), " ")
		if name == "" || cc == "" {
			continue
		}
		id := keepSlug(cc, name)
		project := "keep:" + strings.Join(coopgraph.Tokens(get(rec, "Programme")+" "+get(rec, "Acronym")), "-")
		if !seen[id] {
			seen[id] = true
			ds.Entities = append(ds.Entities, coopgraph.Entity{ID: id, Kind: "Organisation", Name: name,
				Properties: map[string]string{"country": cc, "town": get(rec, "Town")}})
			if nuts := keepNUTS(rec, get); nuts != "" {
				ds.Relations = append(ds.Relations, coopgraph.Relation{Type: "LOCATED_IN", From: id, To: "nuts:" + nuts})
			}
		}
		if !seen[project] {
			seen[project] = true
			ds.Entities = append(ds.Entities, coopgraph.Entity{ID: project, Kind: "Project", Name: get(rec, "Acronym")})
		}
		role := "partner"
		if get(rec, "Lead Partner") == "Yes" {
			role = "lead partner"
		}
		rel := coopgraph.Relation{Type: "PARTICIPATES_IN", From: id, To: project, Role: role}
		rel.ID = coopgraph.RelationKey(rel)
		ds.Relations = append(ds.Relations, rel)
	}
}

// keepNUTS is the most detailed NUTS code of a row ("PL213  / Miasto Kraków").
func keepNUTS(rec []string, get func([]string, ...string) string) string {
	for _, c := range []string{"NUTS3 or equivalent", "NUTS3 (or equivalent)", "NUTS2 or equivalent", "NUTS2 (or equivalent)"} {
		if code, _, _ := strings.Cut(get(rec, c), " "); code != "" {
			return code
		}
	}
	return ""
}
