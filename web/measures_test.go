package web_test

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/coopgraph/coopgraph/graph"
)

// The page offers the registry's measures (in an order of its own), each
// with a label in every language: a measure added to the engine cannot be
// missing from the page's selects (nor a removed one linger there). The
// page keeps its own list because it reads the URL's measure before the
// API answers, and each measure needs its words in Polish and English.
func TestPageOffersEveryMeasure(t *testing.T) {
	main, err := os.ReadFile("page/src/main.js")
	if err != nil {
		t.Fatal(err)
	}
	list := regexp.MustCompile(`(?m)^const measures = \[([^\]]*)\];`).FindSubmatch(main)
	if list == nil {
		t.Fatal("web/page/src/main.js has no line const measures = [...];")
	}
	var page []string
	for _, q := range regexp.MustCompile(`'([A-Z_]+)'`).FindAllSubmatch(list[1], -1) {
		page = append(page, string(q[1]))
	}
	want := graph.MeasureNames(false)
	slices.Sort(want)
	if slices.Sort(page); !slices.Equal(page, want) {
		t.Errorf("web/page/src/main.js offers the measures %v; the registry (graph.Measures) has %v", page, want)
	}

	i18n, err := os.ReadFile("page/src/i18n.js")
	if err != nil {
		t.Fatal(err)
	}
	langs := regexp.MustCompile(`(?m)^export const languages = \[([^\]]*)\];`).FindSubmatch(i18n)
	if langs == nil {
		t.Fatal("web/page/src/i18n.js has no line export const languages = [...];")
	}
	n := strings.Count(string(langs[1]), "'") / 2
	for _, m := range graph.Measures {
		key := "'measure." + string(m.Name) + "':"
		if got := strings.Count(string(i18n), key); got != n {
			t.Errorf("web/page/src/i18n.js labels %s in %d of its %d languages: add %s to each", m.Name, got, n, key)
		}
	}
}
