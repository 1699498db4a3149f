package storetest

import (
	"bytes"
	"context"
	"encoding/json"
	"reflect"
	"slices"
	"testing"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/memstore"
	"github.com/coopgraph/coopgraph/server/graphqltest"
)

// linkedDataset is a small linked network: a region made from a seed
// record and a NUTS record, an organisation from a CORDIS and two keep.eu
// spellings, and the sources' credit lines.
func linkedDataset() *coopgraph.Dataset {
	return &coopgraph.Dataset{Name: "linked",
		Entities: []coopgraph.Entity{
			{ID: "agh", Kind: "Organisation", Name: "AGH University of Krakow",
				Aliases:    []string{"AKADEMIA GORNICZO-HUTNICZA IM. STANISLAWA STASZICA W KRAKOWIE", "AGH University of Science and Technology"},
				Properties: map[string]string{"pic": "999974359", "country": "PL"},
				Records: []coopgraph.Record{
					{Dataset: "seed", ID: "agh", Name: "AGH University of Krakow", Place: "Kraków"},
					{Dataset: "cordis-h2020", ID: "pic:999974359", Name: "AKADEMIA GORNICZO-HUTNICZA IM. STANISLAWA STASZICA W KRAKOWIE", Place: "KRAKOW", Rule: "same PIC"},
					{Dataset: "keep-interreg", ID: "keep:pl-agh-university-of-science-and-technology", Name: "AGH University of Science and Technology", Place: "PL213", Rule: `curated link: "AGH's English names"`},
				}},
			{ID: "malopolskie", Kind: "Region", Name: "Województwo Małopolskie", Aliases: []string{"Małopolskie"},
				Properties: map[string]string{"nuts": "PL21"},
				Records: []coopgraph.Record{
					{Dataset: "seed", ID: "malopolskie", Name: "Województwo Małopolskie", Place: "PL"},
					{Dataset: "nuts", ID: "nuts:PL21", Name: "Małopolskie", Rule: "same NUTS code"},
				}},
			{ID: "pl", Kind: "Country", Name: "Poland"},
		},
		Relations: []coopgraph.Relation{
			{ID: "r1", Type: "LOCATED_IN", From: "agh", To: "malopolskie"},
			{ID: "r2", Type: "PART_OF", From: "malopolskie", To: "pl"},
		},
		Credits: []string{"NUTS: © European Union, Eurostat", "CORDIS: © European Union", "Source: keep.eu (Interact)"},
	}
}

// recordsAndCredits: an entity's records and the dataset's credit lines
// read back as they went in; a merged record's id finds the entity it was
// merged into, in the store, the API and the engine; the API answers as the
// embedded store's.
func recordsAndCredits(t *testing.T, open Open) {
	ds := linkedDataset()
	s := open(t, ds)
	ctx := context.Background()
	got, err := s.Dataset(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Credits, ds.Credits) {
		t.Errorf("credits read back as %q, want %q", got.Credits, ds.Credits)
	}
	if len(got.Entities) != len(ds.Entities) {
		t.Fatalf("%d entities read back, want %d", len(got.Entities), len(ds.Entities))
	}
	for i, e := range ds.Entities {
		if !reflect.DeepEqual(normEntity(got.Entities[i]), normEntity(e)) {
			t.Errorf("entity %s reads back as\n%+v\nwant\n%+v", e.ID, got.Entities[i], e)
		}
	}
	ids := []string{"nuts:PL21", "agh", "keep:pl-agh-university-of-science-and-technology", "pl", "pic:999974359", "malopolskie"}
	es, err := s.Entities(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	var gotIDs []string
	for _, e := range es {
		gotIDs = append(gotIDs, e.ID)
	}
	if want := []string{"malopolskie", "agh", "agh", "pl", "agh", "malopolskie"}; !slices.Equal(gotIDs, want) {
		t.Errorf("Entities(%v) = %v, want %v", ids, gotIDs, want)
	}
	if _, err := s.Entities(ctx, []string{"nuts:PL22"}); coopgraph.ErrorCode(err) != coopgraph.ENOTFOUND {
		t.Errorf("an id no entity or record has: %v, want NOT_FOUND", err)
	}

	embedded, tested := Serve(t, memstore.New(ds)), Serve(t, s)
	for _, doc := range []string{
		`{ credits }`,
		`{ entity(id: "pic:999974359") { id name aliases records { dataset id name place rule } } }`,
		`{ entity(id: "nuts:PL21") { id records { dataset id name place rule } neighbours { id } } }`,
		`{ entity(id: "pl") { id records { id } } }`,
		`{ entity(id: "nuts:PL22") { id } }`,
		`{ search(text: "Akademia Gorniczo") { id records { id } } }`,
		`{ shortestPath(from: "pic:999974359", to: "pl") { length nodes { id } } }`,
		`{ partners(id: "nuts:PL21") { partner { id } } }`,
	} {
		a := graphqltest.Do(t, embedded, doc, nil)
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(graphqltest.Do(t, tested, doc, nil))
		if !bytes.Equal(ja, jb) {
			t.Errorf("answers differ for %s\nembedded: %s\ntested:   %s", doc, ja, jb)
		}
		if doc == `{ entity(id: "nuts:PL22") { id } }` {
			if len(a.Errors) == 0 {
				t.Errorf("%s: no error", doc)
			}
		} else if len(a.Errors) > 0 {
			t.Errorf("%s: %s", doc, ja)
		}
	}
	var answer struct {
		Credits []string
		Entity  struct {
			ID      string
			Records []struct {
				Dataset, ID, Name string
				Place, Rule       *string
			}
		}
		ShortestPath struct{ Length int }
	}
	r := graphqltest.Do(t, tested, `{ credits entity(id: "pic:999974359") { id records { dataset id name place rule } }
	  shortestPath(from: "pic:999974359", to: "nuts:PL21", structural: true) { length } }`, nil)
	if err := json.Unmarshal(r.Data, &answer); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(answer.Credits, ds.Credits) {
		t.Errorf("credits = %q, want %q", answer.Credits, ds.Credits)
	}
	recs := answer.Entity.Records
	if answer.Entity.ID != "agh" || len(recs) != 3 || recs[0].Rule != nil || recs[1].Rule == nil || *recs[1].Rule != "same PIC" ||
		recs[2].Dataset != "keep-interreg" || recs[2].Place == nil || *recs[2].Place != "PL213" {
		t.Errorf("entity by a merged record's id: %s", r.Data)
	}
	if answer.ShortestPath.Length != 1 {
		t.Errorf("path between merged records' ids: %s", r.Data)
	}
}
