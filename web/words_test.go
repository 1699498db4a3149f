package web_test

import (
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// pluralForms are the forms of Intl.PluralRules that each language of the
// page needs for whole numbers (CLDR): English one/other, Polish
// one/few/many ("1 krok", "2 kroki", "5 kroków"), and other everywhere
// as the fallback plural() takes.
var pluralForms = map[string][]string{
	"en": {"one", "other"},
	"pl": {"one", "few", "many", "other"},
}

// TestPageWordsInEveryLanguage: every word of the page's interface is there
// in each of its languages — the same keys in i18n.js's sections, every
// plural with the forms its language needs — and every key the page's
// sources name literally (t('…'), plural('…'), data-i18n…="…") exists.
func TestPageWordsInEveryLanguage(t *testing.T) {
	src, err := os.ReadFile("page/src/i18n.js")
	if err != nil {
		t.Fatal(err)
	}
	words := map[string]map[string]bool{}
	section := regexp.MustCompile(`(?ms)^  (\w+): \{\n(.*?)^  \},`)
	key := regexp.MustCompile(`(?m)^\s+'([^']+)':`)
	for _, m := range section.FindAllStringSubmatch(string(src), -1) {
		words[m[1]] = map[string]bool{}
		for _, k := range key.FindAllStringSubmatch(m[2], -1) {
			words[m[1]][k[1]] = true
		}
	}
	if len(words) != len(pluralForms) {
		t.Fatalf("i18n.js has the languages %v, want those of pluralForms", slices.Sorted(maps.Keys(words)))
	}
	bases := map[string]bool{} // every word, a plural by its base key
	for _, ws := range words {
		for k := range ws {
			bases[pluralBase(k)] = true
		}
	}
	for lang, ws := range words {
		for base := range bases {
			if ws[base] {
				continue
			}
			var missing []string
			for _, form := range pluralForms[lang] {
				if !ws[base+"."+form] {
					missing = append(missing, form)
				}
			}
			if len(missing) == len(pluralForms[lang]) {
				t.Errorf("%s: no word for %q", lang, base)
			} else if len(missing) > 0 {
				t.Errorf("%s: the plural %q lacks the forms %v", lang, base, missing)
			}
		}
	}
	named := regexp.MustCompile(`\b(?:t|plural)\('([a-zA-Z0-9_.]+)'|data-i18n(?:-label|-title|-placeholder)?="([^"]+)"`)
	files, _ := filepath.Glob("page/src/*.js")
	files = append(files, "page/src/index.html")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range named.FindAllStringSubmatch(string(b), -1) {
			if k := m[1] + m[2]; !bases[k] {
				t.Errorf("%s names the word %q, which i18n.js lacks", f, k)
			}
		}
	}
}

// pluralBase is key without a plural form's suffix.
func pluralBase(key string) string {
	for _, form := range []string{"zero", "one", "two", "few", "many", "other"} {
		if b, ok := strings.CutSuffix(key, "."+form); ok {
			return b
		}
	}
	return key
}
