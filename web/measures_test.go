package web_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/coopgraph/coopgraph/graph"
)

// The page reads its measures and their labels from measures.gen.js, which
// go generate writes from the registry (graph/internal/measuredocs checks
// the file is current). What is left to check here: every measure has a
// label in each language the page speaks, and the page keeps no list of
// its own that a new measure could miss.
func TestPageOffersEveryMeasure(t *testing.T) {
	i18n, err := os.ReadFile("page/src/i18n.js")
	if err != nil {
		t.Fatal(err)
	}
	langs := regexp.MustCompile(`(?m)^export const languages = \[([^\]]*)\];`).FindSubmatch(i18n)
	if langs == nil {
		t.Fatal("web/page/src/i18n.js has no line export const languages = [...];")
	}
	for _, q := range regexp.MustCompile(`'([a-z]+)'`).FindAllSubmatch(langs[1], -1) {
		lang := string(q[1])
		for _, m := range graph.Measures {
			if m.Labels[lang] == "" {
				t.Errorf("graph.Measures' %s has no label in %q, a language of the page: add it to its Labels", m.Name, lang)
			}
		}
	}
	if strings.Contains(string(i18n), "'measure.") {
		t.Error("web/page/src/i18n.js labels measures itself: the labels are graph.Measures' (measures.gen.js)")
	}

	main, err := os.ReadFile("page/src/main.js")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(main), "import { measures } from './measures.gen.js';") {
		t.Error("web/page/src/main.js does not take its measures from measures.gen.js")
	}
	if regexp.MustCompile(`'(` + strings.Join(graph.MeasureNames(false), "|") + `)'`).Match(main) {
		t.Error("web/page/src/main.js names a measure itself: the list is graph.Measures' (measures.gen.js)")
	}
}
