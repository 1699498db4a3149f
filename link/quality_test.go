package link_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"testing"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/data"
	"github.com/coopgraph/coopgraph/link"
)

// labelledPair is one row of testdata/labelled-pairs.csv: two records and
// whether a person reading them judged them one organisation.
type labelledPair struct {
	a, b, aName, bName, note string
	same                     bool
}

func readLabelled(t testing.TB) []labelledPair {
	t.Helper()
	f, err := os.Open("testdata/labelled-pairs.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var pairs []labelledPair
	for i, r := range rows[1:] {
		if r[4] != "yes" && r[4] != "no" {
			t.Fatalf("labelled-pairs.csv:%d: same is %q", i+2, r[4])
		}
		pairs = append(pairs, labelledPair{a: r[0], aName: r[1], b: r[2], bName: r[3], same: r[4] == "yes", note: r[5]})
	}
	return pairs
}

func curatedLinks(t testing.TB) link.Links {
	t.Helper()
	l, err := link.ReadLinks(bytes.NewReader(data.Links()), data.LinksFile)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// entityOf maps every record id to the id of the entity it became.
func entityOf(ds *coopgraph.Dataset) map[string]string {
	m := make(map[string]string, len(ds.Entities))
	for _, e := range ds.Entities {
		m[e.ID] = e.ID
		for _, r := range e.Records {
			m[r.ID] = e.ID
		}
	}
	return m
}

// quality is precision and recall of the linker on the labelled pairs, and
// the pairs it got wrong.
func quality(t testing.TB, pairs []labelledPair, ds *coopgraph.Dataset) (precision, recall float64, wrong []string) {
	t.Helper()
	of := entityOf(ds)
	var tp, fp, fn int
	for _, p := range pairs {
		ea, okA := of[p.a]
		eb, okB := of[p.b]
		if !okA || !okB {
			t.Fatalf("labelled pair %s / %s: a record is missing from the linked network", p.a, p.b)
		}
		merged := ea == eb
		switch {
		case merged && p.same:
			tp++
		case merged && !p.same:
			fp++
			wrong = append(wrong, fmt.Sprintf("false merge: %s | %s (%s)", p.aName, p.bName, p.note))
		case !merged && p.same:
			fn++
			wrong = append(wrong, fmt.Sprintf("missed: %s | %s (%s)", p.aName, p.bName, p.note))
		}
	}
	return float64(tp) / float64(max(tp+fp, 1)), float64(tp) / float64(max(tp+fn, 1)), wrong
}

// TestResolutionQuality measures name resolution on the labelled sample of
// record pairs drawn from the real data (testdata/README.md): the linked
// network must merge at least 90% of the pairs labelled the same
// organisation (recall) and at least 98% of the pairs it merges must be
// labelled the same (precision). The figures are in BENCHMARKS.md.
func TestResolutionQuality(t *testing.T) {
	if testing.Short() {
		t.Skip("reads the real datasets")
	}
	pairs := readLabelled(t)
	if len(pairs) < 300 {
		t.Fatalf("%d labelled pairs, want at least 300", len(pairs))
	}
	same := 0
	for _, p := range pairs {
		if p.same {
			same++
		}
	}
	sets := realDatasets(t)
	for _, c := range []struct {
		name  string
		links link.Links
	}{{"rules alone", nil}, {"rules and curated links", curatedLinks(t)}} {
		ds, _, err := link.Network("linked", sets, c.links)
		if err != nil {
			t.Fatal(err)
		}
		p, r, wrong := quality(t, pairs, ds)
		t.Logf("%s: %d pairs (%d same, %d different): precision %.3f, recall %.3f", c.name, len(pairs), same, len(pairs)-same, p, r)
		for _, w := range wrong {
			t.Log("  ", w)
		}
		if c.links != nil && (p < 0.98 || r < 0.90) {
			t.Errorf("precision %.3f (want ≥ 0.98), recall %.3f (want ≥ 0.90)", p, r)
		}
	}
}
