package server_test

import (
	"encoding/json"
	"testing"

	"github.com/coopgraph/coopgraph/memstore"
	"github.com/coopgraph/coopgraph/server/graphqltest"
	"github.com/coopgraph/coopgraph/storetest"
)

// A relation's and a fact's source, and an entity's sources, are the
// documents the dataset describes: the seed's pages with their titles and
// publishers, never a file name in place of the title.
func TestSourcesAreTitledDocuments(t *testing.T) {
	ds := storetest.Seed(t)
	h := serve(t, memstore.New(ds), ds)
	resp := graphqltest.Do(t, h, `{
	  documents { id title publisher url }
	  entity(id: "vanguard-initiative") {
	    sources { id title publisher }
	    facts { property document source { id title publisher } }
	    relations(first: 3) { document source { id title publisher } }
	  } }`, nil)
	if len(resp.Errors) > 0 {
		t.Fatal(resp.Errors)
	}
	type doc struct{ ID, Title, Publisher string }
	var data struct {
		Documents []doc
		Entity    struct {
			Sources []doc
			Facts   []struct {
				Property string
				Document string
				Source   doc
			}
			Relations []struct {
				Document string
				Source   doc
			}
		}
	}
	if err := json.Unmarshal(resp.Data, &data); err != nil {
		t.Fatal(err)
	}
	if len(data.Documents) != 5 || data.Documents[0].ID != "000_fafb8875f8023e00.txt" ||
		data.Documents[0].Title != "Współpraca Międzynarodowa" || data.Documents[0].Publisher != "Województwo Małopolskie" {
		t.Fatalf("documents = %+v", data.Documents)
	}
	titles := map[string]doc{}
	for _, d := range data.Documents {
		titles[d.ID] = d
	}
	if len(data.Entity.Sources) != 2 || data.Entity.Sources[1].Title != "Inicjatywa Awangarda" {
		t.Errorf("sources = %+v", data.Entity.Sources)
	}
	for _, f := range data.Entity.Facts {
		if f.Source != titles[f.Document] || f.Source.Title == f.Document {
			t.Errorf("fact %s: source %+v, document %q", f.Property, f.Source, f.Document)
		}
	}
	if len(data.Entity.Relations) == 0 {
		t.Fatal("no relations")
	}
	for _, r := range data.Entity.Relations {
		if r.Source != titles[r.Document] || r.Source.Title == r.Document {
			t.Errorf("relation source %+v, document %q", r.Source, r.Document)
		}
	}
}
