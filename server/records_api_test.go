package server_test

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/memstore"
	"github.com/coopgraph/coopgraph/server/graphqltest"
)

// pageQuery is the text of one of the page's queries (web/page/src/api.js),
// its field lists filled in as the page fills them.
func pageQuery(t *testing.T, name string) string {
	t.Helper()
	src, err := os.ReadFile("../web/page/src/api.js")
	if err != nil {
		t.Fatal(err)
	}
	js := string(src)
	fields := map[string]string{}
	for _, m := range regexp.MustCompile(`const (\w+) = '([^']*)';`).FindAllStringSubmatch(js, -1) {
		fields[m[1]] = m[2]
	}
	m := regexp.MustCompile("(?s)`(query " + name + `\b.*?)` + "`").FindStringSubmatch(js)
	if m == nil {
		t.Fatalf("api.js has no query %s", name)
	}
	return regexp.MustCompile(`\$\{(\w+)\}`).ReplaceAllStringFunc(m[1], func(s string) string { return fields[s[2:len(s)-1]] })
}

// The page's own queries bring the credit lines of the served sources
// (its footer) and the records a merged entity was made from (its details
// panel), found by the id of any of them.
func TestPageShowsRecordsAndCredits(t *testing.T) {
	ds := &coopgraph.Dataset{Name: "linked",
		Entities: []coopgraph.Entity{
			{ID: "malopolskie", Kind: "Region", Name: "Województwo Małopolskie", Aliases: []string{"Małopolskie"},
				Records: []coopgraph.Record{
					{Dataset: "seed", ID: "malopolskie", Name: "Województwo Małopolskie"},
					{Dataset: "nuts", ID: "nuts:PL21", Name: "Małopolskie", Place: "PL", Rule: "same NUTS code"},
				}},
			{ID: "country:PL", Kind: "Country", Name: "Poland"},
		},
		Relations: []coopgraph.Relation{{ID: "r", Type: "PART_OF", From: "malopolskie", To: "country:PL"}},
		Credits:   []string{"NUTS: © European Union, Eurostat", "Source: keep.eu (Interact)"},
	}
	h := servePage(t, memstore.New(ds), ds)

	var overview struct{ Credits []string }
	graphqltest.Data(t, h, pageQuery(t, "PageOverview"), nil, &overview)
	if !slices.Equal(overview.Credits, ds.Credits) {
		t.Errorf("the page's overview gets credits %q, want %q", overview.Credits, ds.Credits)
	}

	details := pageQuery(t, "PageDetails")
	for _, id := range []string{"malopolskie", "nuts:PL21"} {
		var got struct {
			Entity struct {
				ID      string
				Records []struct {
					Dataset, ID, Name string
					Place, Rule       *string
				}
			}
		}
		graphqltest.Data(t, h, details, map[string]any{"id": id, "first": 10}, &got)
		recs := got.Entity.Records
		if got.Entity.ID != "malopolskie" || len(recs) != 2 {
			t.Fatalf("details of %s: %+v", id, got.Entity)
		}
		if recs[0].Rule != nil || recs[0].Place != nil || recs[1].Dataset != "nuts" || recs[1].ID != "nuts:PL21" ||
			recs[1].Name != "Małopolskie" || *recs[1].Place != "PL" || *recs[1].Rule != "same NUTS code" {
			t.Errorf("details of %s: records %+v", id, recs)
		}
	}

	// The panel and the footer say it in both languages.
	i18n, err := os.ReadFile("../web/page/src/i18n.js")
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"'details.records.other'", "'details.recordRule'", "'details.recordKept'", "'credits'"} {
		if n := strings.Count(string(i18n), key+":"); n != 2 {
			t.Errorf("i18n.js has %s in %d languages, want 2", key, n)
		}
	}
}
