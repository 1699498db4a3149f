package memstore

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/data"
	"github.com/coopgraph/coopgraph/loader"
)

// scanSearch is the plain definition: rank every entity with
// coopgraph.RankSearch. The index must answer exactly this.
func scanSearch(ds *coopgraph.Dataset, text string, kinds []string, first int) []string {
	q := coopgraph.Tokens(text)
	var ids []string
	for _, e := range coopgraph.RankSearch(ds.Entities, q, kinds, first) {
		ids = append(ids, e.ID)
	}
	return ids
}

// wordsDataset has names drawn from a small vocabulary with diacritics,
// so that prefixes, ties of rank and of name length, exact names and exact
// aliases abound.
func wordsDataset(n int, seed uint64) *coopgraph.Dataset {
	rng := rand.New(rand.NewPCG(seed, 1))
	vocab := []string{"Małopolska", "Malopolska", "Śląsk", "project", "projekt", "pic", "picardie", "H2020", "h2", "region", "Region", "polski", "Polska", "dom", "Dom", "network", "net", "ne", "a", "ab", "abc"}
	kinds := []string{"Region", "Project", "Organisation", "Network"}
	ds := &coopgraph.Dataset{Name: "words"}
	name := func() string {
		k := 1 + rng.IntN(3)
		var w []string
		for range k {
			w = append(w, vocab[rng.IntN(len(vocab))])
		}
		if rng.IntN(4) == 0 {
			w = append(w, fmt.Sprint(rng.IntN(50)))
		}
		return strings.Join(w, " ")
	}
	for i := range n {
		e := coopgraph.Entity{ID: fmt.Sprintf("e%05d", i), Kind: kinds[rng.IntN(len(kinds))], Name: name()}
		for range rng.IntN(3) {
			e.Aliases = append(e.Aliases, name())
		}
		ds.Entities = append(ds.Entities, e)
	}
	return ds
}

// TestSearchIndexEqualsTheScan: on the seed and on a dataset built for
// ties, every query — prefixes of every word, pairs of words, with and
// without kinds, any first — gives the entities and order of the scan.
func TestSearchIndexEqualsTheScan(t *testing.T) {
	seed, err := loader.LoadFS(data.Seed(), "data/seed", data.SeedName)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(9, 9))
	checked := 0
	for _, ds := range []*coopgraph.Dataset{seed, wordsDataset(800, 1)} {
		s := New(ds)
		var texts []string
		for _, e := range ds.Entities {
			for _, w := range coopgraph.Tokens(e.Name) {
				r := []rune(w)
				texts = append(texts, string(r[:1+rng.IntN(len(r))]))
			}
			texts = append(texts, e.Name)
			texts = append(texts, e.Aliases...)
		}
		for range 200 {
			texts = append(texts, texts[rng.IntN(len(texts))]+" "+texts[rng.IntN(len(texts))])
		}
		rng.Shuffle(len(texts), func(i, j int) { texts[i], texts[j] = texts[j], texts[i] })
		texts = texts[:min(len(texts), 300)]
		for _, text := range texts {
			for _, kinds := range [][]string{nil, {"Region"}, {"Project", "Organisation"}} {
				for _, first := range []int{0, 1, 3, 10, -1} {
					want := scanSearch(ds, text, kinds, first)
					es, err := s.Search(context.Background(), text, kinds, first)
					if err != nil {
						t.Fatalf("%q: %v", text, err)
					}
					var got []string
					for _, e := range es {
						got = append(got, e.ID)
					}
					if !slices.Equal(got, want) {
						t.Fatalf("%s: search %q kinds %v first %d:\n got %v\nwant %v", ds.Name, text, kinds, first, got, want)
					}
					checked++
				}
			}
		}
	}
	t.Logf("%d searches equal to the scan", checked)
}
