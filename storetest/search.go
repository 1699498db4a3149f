package storetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/memstore"
)

// SearchWords is a dataset for searching: 400 entities whose names and
// aliases are built from a small vocabulary (shared prefixes, diacritics,
// stop words, ties of rank and of name length), and the texts to search it
// for: prefixes, whole names, several words, stop-word prefixes.
func SearchWords() (ds *coopgraph.Dataset, texts []string) {
	rng := rand.New(rand.NewPCG(11, 3))
	vocab := []string{"Małopolska", "Malopolska", "Śląsk", "project", "projekt", "pic", "picardie", "H2020", "h2", "region", "Region", "the", "of", "dom", "Dom", "network", "net", "ne", "a", "ab"}
	kinds := []string{"Region", "Project", "Organisation", "Network"}
	name := func() string {
		var w []string
		for range 1 + rng.IntN(3) {
			w = append(w, vocab[rng.IntN(len(vocab))])
		}
		if rng.IntN(4) == 0 {
			w = append(w, fmt.Sprint(rng.IntN(30)))
		}
		return strings.Join(w, " ")
	}
	ds = &coopgraph.Dataset{Name: "search-words"}
	for i := range 400 {
		e := coopgraph.Entity{ID: fmt.Sprintf("org:w%04d", i), Kind: kinds[rng.IntN(len(kinds))], Name: name(), Documents: []string{"test"}}
		for range rng.IntN(3) {
			e.Aliases = append(e.Aliases, name())
		}
		ds.Entities = append(ds.Entities, e)
	}
	texts = []string{"th", "a", "ne", "net", "pic", "pi", "h2", "h20", "mał", "malopolska", "region", "region dom", "dom region", "of", "project pic", "Śląsk", "śl", "2", "1"}
	for range 40 {
		texts = append(texts, name())
	}
	return ds, texts
}

// SameSearches requires s, holding ds, to give every search of texts — with
// and without kinds, any first — the embedded store's entities in the same
// order, and returns how many searches it compared. label names the case in
// failures.
func SameSearches(t *testing.T, label string, s coopgraph.Store, ds *coopgraph.Dataset, texts []string) int {
	t.Helper()
	embedded := memstore.New(ds)
	ctx := context.Background()
	checked := 0
	for _, text := range texts {
		for _, k := range [][]string{nil, {"Region"}, {"Project", "Network"}} {
			for _, first := range []int{0, 1, 3, 10, 50, -1} {
				want, err := embedded.Search(ctx, text, k, first)
				if err != nil {
					t.Fatal(err)
				}
				got, err := s.Search(ctx, text, k, first)
				if err != nil {
					t.Fatalf("%s: %q: %v", label, text, err)
				}
				if !slices.EqualFunc(got, want, func(a, b coopgraph.Entity) bool { return a.ID == b.ID }) {
					t.Fatalf("%s: search %q kinds %v first %d:\n tested   %v\n embedded %v", label, text, k, first, entityIDs(got), entityIDs(want))
				}
				checked++
			}
		}
	}
	return checked
}

// sameSearches: on the SearchWords dataset, every search gives the
// embedded store's entities in the same order.
func sameSearches(t *testing.T, open Open) {
	ds, texts := SearchWords()
	n := SameSearches(t, "searches", open(t, ds), ds, texts)
	t.Logf("%d searches equal", n)
}

func entityIDs(es []coopgraph.Entity) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.ID)
	}
	return out
}
