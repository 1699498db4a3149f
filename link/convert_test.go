package link_test

import (
	"encoding/csv"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/coopgraph/coopgraph"
)

// One-off: labelled-pairs.csv's old keep:<cc>-<words> ids to the import's.
func TestConvertLabelled(t *testing.T) {
	if os.Getenv("CONVERT") == "" {
		t.Skip()
	}
	sets := realDatasets(t)
	for _, ds := range sets {
		ents, rels := len(ds.Entities), len(ds.Relations)
		t.Logf("%s: %d entities %d relations", ds.Name, ents, rels)
	}
	keep := sets[3]
	type rec struct{ id, name, country string }
	old := map[string][]rec{}
	ids := map[string]bool{}
	for _, ds := range sets {
		for _, e := range ds.Entities {
			ids[e.ID] = true
		}
	}
	for _, e := range keep.Entities {
		if e.Kind != "Organisation" {
			continue
		}
		cc := e.Properties["country"]
		for _, n := range append([]string{e.Name}, e.Aliases...) {
			k := "keep:" + strings.ToLower(cc) + "-" + strings.Join(coopgraph.Tokens(n), "-")
			if len(old[k]) == 0 || old[k][len(old[k])-1].id != e.ID {
				old[k] = append(old[k], rec{e.ID, n, cc})
			}
		}
	}
	f, _ := os.Open("testdata/labelled-pairs.csv")
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	conv := func(id, name string) string {
		if ids[id] {
			return id
		}
		if !strings.HasPrefix(id, "keep:") {
			t.Errorf("%s (%s) not found", id, name)
			return id
		}
		c := old[id]
		if len(c) != 1 {
			t.Errorf("%s (%s): %d candidates %v", id, name, len(c), c)
			if len(c) == 0 {
				return id
			}
		}
		return c[0].id
	}
	w := csv.NewWriter(os.Stdout)
	out, _ := os.Create("/tmp/labelled-new.csv")
	w = csv.NewWriter(out)
	_ = w.Write(rows[0])
	for _, r := range rows[1:] {
		r[0] = conv(r[0], r[1])
		r[2] = conv(r[2], r[3])
		_ = w.Write(r)
	}
	w.Flush()
	out.Close()
	fmt.Println("written")
}
