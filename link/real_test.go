package link_test

import (
	"sync"
	"testing"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/data"
	"github.com/coopgraph/coopgraph/loader"
)

// The real datasets (data.Sources(): seed, nuts, cordis-h2020,
// keep-interreg, imported by the loader as coopgraph serve imports them),
// read once per test binary.
var (
	realOnce sync.Once
	realSets []*coopgraph.Dataset
	realErr  error
)

func realDatasets(t testing.TB) []*coopgraph.Dataset {
	t.Helper()
	realOnce.Do(func() {
		for _, src := range data.Sources() {
			ds, err := loader.LoadFS(src.FS, "data/"+src.Name, src.Name)
			if err != nil {
				realErr = err
				return
			}
			realSets = append(realSets, ds)
		}
	})
	if realErr != nil {
		t.Fatal(realErr)
	}
	return realSets
}
