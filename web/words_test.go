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
	words := pageWords(t)
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
			if _, ok := ws[base]; ok {
				continue
			}
			var missing []string
			for _, form := range pluralForms[lang] {
				if _, ok := ws[base+"."+form]; !ok {
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

// wordFiles hold the page's words: the interface's (i18n.js) and the
// data's (vocabulary.js, merged into them by i18n.js).
var wordFiles = []string{"page/src/i18n.js", "page/src/vocabulary.js"}

// pageWords reads the words of every language from wordFiles: the keys and
// their texts, by language.
func pageWords(t *testing.T) map[string]map[string]string {
	t.Helper()
	words := map[string]map[string]string{}
	section := regexp.MustCompile(`(?ms)^  (\w+): \{\n(.*?)^  \},`)
	key := regexp.MustCompile(`(?m)^\s+(?:'([^']+)'|"([^"]+)"):\s*(.*)$`)
	for _, f := range wordFiles {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range section.FindAllStringSubmatch(string(src), -1) {
			if words[m[1]] == nil {
				words[m[1]] = map[string]string{}
			}
			for _, k := range key.FindAllStringSubmatch(m[2], -1) {
				if _, dup := words[m[1]][k[1]+k[2]]; dup {
					t.Errorf("%s: %s has the word %q twice", f, m[1], k[1]+k[2])
				}
				words[m[1]][k[1]+k[2]] = k[3]
			}
		}
	}
	return words
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

// TestPageWritesNoLiteralWords: the page's interface says nothing in one
// language only. Every element of index.html with words of its own names
// its word (data-i18n), but for the brand, the language buttons and what
// shows without JavaScript; the page's code (all but the words' files)
// writes no English sentence in a string: a literal with an English
// function word ("the", "of", "no"…) is a word that bypasses t(). XML
// written into export files and GraphQL selections are not the interface.
func TestPageWritesNoLiteralWords(t *testing.T) {
	html, err := os.ReadFile("page/src/index.html")
	if err != nil {
		t.Fatal(err)
	}
	body := regexp.MustCompile(`(?s)<title>.*?</title>|<noscript>.*?</noscript>`).ReplaceAllString(string(html), "")
	text := regexp.MustCompile(`<(\w+)([^>]*)>([^<]*\pL[^<]*)<`)
	for _, m := range text.FindAllStringSubmatch(body, -1) {
		words := strings.TrimSpace(m[3])
		if strings.Contains(m[2], "data-i18n=") || slices.Contains([]string{"coopgraph", "PL", "EN"}, words) {
			continue
		}
		t.Errorf("index.html: <%s> says %q without data-i18n", m[1], words)
	}

	english := regexp.MustCompile(`(^|[\s'"\x60])(the|of|and|no|not|is|are|with|from|made|cannot|to)\s`)
	comment := regexp.MustCompile(`(?m)(^|\s)//.*$|(?s)/\*.*?\*/`)
	literal := regexp.MustCompile("'(?:[^'\\\\\\n]|\\\\.)*'|`(?:[^`\\\\\\n]|\\\\.)*`") // one line: a query or a file is no word
	subst := regexp.MustCompile(`\$\{[^}]*\}`)
	files, _ := filepath.Glob("page/src/*.js")
	for _, f := range files {
		if base := filepath.Base(f); base == "i18n.js" || base == "vocabulary.js" || strings.HasSuffix(base, ".gen.js") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, lit := range literal.FindAllString(comment.ReplaceAllString(string(b), ""), -1) {
			s := subst.ReplaceAllString(lit, "")
			// Markup and a GraphQL selection ("… from { id name }") are no words.
			if strings.Contains(s, "<") || strings.Contains(s, " { ") || !english.MatchString(s) {
				continue
			}
			t.Errorf("%s writes %s: a word of the interface belongs in i18n.js (t('…'))", f, lit)
		}
	}
}
