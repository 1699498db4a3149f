package storetest

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/loader"
	"github.com/coopgraph/coopgraph/memstore"
	"github.com/coopgraph/coopgraph/server/graphqltest"
	"github.com/coopgraph/coopgraph/sources"
)

// Linked is the built-in linked network (seed, NUTS, CORDIS H2020,
// keep.eu), as `coopgraph serve` serves it with no flags.
func Linked(t testing.TB) *coopgraph.Dataset {
	t.Helper()
	n, _, err := sources.BuiltinNetwork(loader.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return n.Dataset
}

// RunLinked checks the store on the built-in linked network (111,251
// entities, 300,762 relations): it must read the whole network back as it
// went in and answer a set of the API's questions — search by names,
// NUTS codes and keep.eu spellings, entities by id and by the id of a
// record merged into them, records and credit lines, a hub's neighbours,
// region partners, paths — as the embedded store does, to the byte of the
// GraphQL JSON. It is separate from Run because loading the network into
// a store outside the process takes minutes.
func RunLinked(t *testing.T, open Open) {
	ds := Linked(t)
	start := time.Now()
	s := open(t, ds)
	t.Logf("opened the store with the linked network (%d entities, %d relations) in %v",
		len(ds.Entities), len(ds.Relations), time.Since(start).Round(time.Millisecond))
	readsBack(t, s, ds)
	embedded, tested := Serve(t, memstore.New(ds)), Serve(t, s)
	docs, pic := linkedDocuments(t, ds)
	for _, doc := range docs {
		a := graphqltest.Do(t, embedded, doc, nil)
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(graphqltest.Do(t, tested, doc, nil))
		if !bytes.Equal(ja, jb) {
			t.Errorf("answers differ for %s\nembedded: %.2000s\ntested:   %.2000s", doc, ja, jb)
		}
		if len(a.Errors) > 0 || len(a.Data) < 40 {
			t.Errorf("%s: an empty or failed answer: %.500s", doc, ja)
		}
	}
	linkedAnswers(t, tested, pic)
	t.Logf("%d questions answered alike", len(docs))
}

// readsBack requires s to read ds back entity by entity and relation by
// relation (the counts first), with its credit lines.
func readsBack(t *testing.T, s coopgraph.Store, ds *coopgraph.Dataset) {
	t.Helper()
	got, err := s.Dataset(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Credits, ds.Credits) {
		t.Errorf("credits read back as %q, want %q", got.Credits, ds.Credits)
	}
	if len(got.Entities) != len(ds.Entities) || len(got.Relations) != len(ds.Relations) {
		t.Fatalf("%d entities and %d relations read back, the network has %d and %d",
			len(got.Entities), len(got.Relations), len(ds.Entities), len(ds.Relations))
	}
	// The order of Dataset is not promised (Neo4j reads by id): by id.
	entities := make(map[string]coopgraph.Entity, len(got.Entities))
	for _, e := range got.Entities {
		entities[e.ID] = e
	}
	relations := make(map[string]coopgraph.Relation, len(got.Relations))
	for _, r := range got.Relations {
		relations[r.ID] = r
	}
	bad := 0
	for _, e := range ds.Entities {
		if g := entities[e.ID]; !reflect.DeepEqual(normEntity(g), normEntity(e)) && bad < 10 {
			bad++
			t.Errorf("entity %s reads back as\n%+v\nwant\n%+v", e.ID, g, e)
		}
	}
	for _, r := range ds.Relations {
		if g := relations[r.ID]; !reflect.DeepEqual(normRelation(g), normRelation(r)) && bad < 20 {
			bad++
			t.Errorf("relation %s reads back as\n%+v\nwant\n%+v", r.ID, g, r)
		}
	}
}

// linkedDocuments are the questions asked of both stores: the entities
// named are the network's own (AGH and its merged CORDIS and keep.eu
// records, Małopolskie = nuts:PL21), found in ds rather than assumed.
func linkedDocuments(t *testing.T, ds *coopgraph.Dataset) (docs []string, pic string) {
	t.Helper()
	var agh *coopgraph.Entity
	for i := range ds.Entities {
		if ds.Entities[i].ID == "agh" {
			agh = &ds.Entities[i]
		}
	}
	if agh == nil {
		t.Fatal("no entity agh in the linked network")
	}
	var keep string
	for _, r := range agh.Records {
		switch {
		case strings.HasPrefix(r.ID, "pic:") && pic == "":
			pic = r.ID
		case strings.HasPrefix(r.ID, "keep:") && keep == "":
			keep = r.ID
		}
	}
	if pic == "" || keep == "" {
		t.Fatalf("agh was not merged with a CORDIS and a keep.eu record: %+v", agh.Records)
	}
	docs = []string{`{ credits }`}
	for _, text := range []string{"Małopolska", "Malopolska", "AGH", "PL21", "PL213", "Kraków", "Krakow",
		"MaloPoland Region", "Marshal Office of the MałoPoland Region", "Jagiellonian", "Cracow University", "Tartu"} {
		b, _ := json.Marshal(text)
		docs = append(docs,
			`{ search(text: `+string(b)+`, first: 20) { id kind name } }`,
			`{ searchConnection(text: `+string(b)+`, first: 5) { totalCount edges { cursor node { id } } } }`)
	}
	const entity = `id kind name aliases properties { key value } records { dataset id name place rule }`
	for _, id := range []string{"agh", pic, keep, "malopolskie", "nuts:PL21", "nuts:PL213", "poland", "country:PL"} {
		docs = append(docs, `{ entity(id: "`+id+`") { `+entity+` } }`)
	}
	docs = append(docs,
		`{ entity(id: "malopolskie") { neighbours(first: 100) { id kind } relationsConnection(first: 50) { totalCount edges { node { id type from { id } to { id } } } } } }`,
		`{ entity(id: "agh") { neighboursConnection(first: 50, kinds: ["Project"]) { totalCount edges { cursor node { id name } relations { id role start end } } } } }`,
		`{ entity(id: "`+pic+`") { neighbours(first: 100, relationTypes: ["PARTICIPATES_IN"], activeFrom: "2016", activeTo: "2018") { id } } }`,
		`{ regionPartners(region: "nuts:PL21", level: 2, first: 30) { region { id name } projects projectList(first: 5) { id name } programmes { id } } }`,
		`{ regionPartners(region: "malopolskie", level: 0, first: 40) { region { id name } projects } }`,
		`{ regionPartnersPage(region: "nuts:PL21", level: 0, first: 10, activeFrom: "2016", programmes: ["horizon-2020"]) { totalCount partners { region { id name } projects projectList(first: 3) { id name } } programmes { id name } } }`,
		// A NUTS region is reached by place only: structural relations asked for.
		`{ shortestPath(from: "`+keep+`", to: "nuts:ES51", structural: true) { length nodes { id name } relations { id type } } }`,
		`{ kShortestPaths(from: "`+keep+`", to: "`+pic+`", k: 3) { length hops { from { id } to { id } relations { id type } } } }`,
		`{ allShortestPaths(from: "`+pic+`", to: "slaskie", first: 5) { length hops { from { id } to { id } relation { id type role } direction text } } }`,
	)
	return docs, pic
}

// linkedAnswers checks what the linked network promises, whichever store
// holds it: a NUTS code finds the seed's region, a merged record's id
// finds the entity it was merged into, every source's credit line is shown.
func linkedAnswers(t *testing.T, h http.Handler, pic string) {
	t.Helper()
	r := graphqltest.Do(t, h, `{ credits search(text: "PL21", first: 1) { id }
	  region: entity(id: "nuts:PL21") { id } cordis: entity(id: "`+pic+`") { id } }`, nil)
	var answer struct {
		Credits        []string
		Search         []struct{ ID string }
		Region, Cordis struct{ ID string }
	}
	if err := json.Unmarshal(r.Data, &answer); err != nil || len(r.Errors) > 0 {
		t.Fatalf("%s %v %v", r.Data, r.Errors, err)
	}
	for _, c := range []string{"Source: keep.eu (Interact)", "CORDIS: © European Union", "NUTS: © European Union, Eurostat"} {
		if !slices.Contains(answer.Credits, c) {
			t.Errorf("credits %q lack %q", answer.Credits, c)
		}
	}
	if len(answer.Search) != 1 || answer.Search[0].ID != "malopolskie" || answer.Region.ID != "malopolskie" || answer.Cordis.ID != "agh" {
		t.Errorf("PL21 finds %+v, nuts:PL21 is %q, %s is %q: want malopolskie, malopolskie, agh", answer.Search, answer.Region.ID, pic, answer.Cordis.ID)
	}
}
