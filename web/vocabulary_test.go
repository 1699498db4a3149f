package web_test

import (
	"bytes"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/data"
	"github.com/coopgraph/coopgraph/sources"
)

// TestPageWordsForTheData: every word the data brings to the page has a
// label in each language (vocabulary.js, i18n.js): every kind and relation
// type of the vocabulary, each type read both ways (rel., relInv.), and
// every role, entity or relation property, fact property, CORDIS activity
// type, keep.eu legal status, dataset and linker's rule that occurs in the
// built-in linked network. A dataset that brings a new one fails here
// until it is named.
func TestPageWordsForTheData(t *testing.T) {
	// CORDIS's type is its activity type in words (activity.<code>).
	cordisTypes := map[string]bool{
		"Higher or secondary education establishment": true, "Private for-profit entity (company)": true,
		"Research organisation": true, "Public body": true, "Other": true,
	}
	words := pageWords(t)
	need := map[string]string{} // key → where it occurs
	for _, k := range coopgraph.Kinds {
		need["kind."+k.Name] = "coopgraph.Kinds"
	}
	for _, r := range coopgraph.RelationTypes {
		need["rel."+r.Name] = "coopgraph.RelationTypes"
		need["relInv."+r.Name] = "coopgraph.RelationTypes"
	}
	ds, _, err := sources.ReadCompiled(bytes.NewReader(data.Linked()))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ds.Entities {
		for k, v := range e.Properties {
			need["prop."+k] = "a property of " + e.ID
			switch k {
			case "activityType":
				need["activity."+v] = "the activity type of " + e.ID
			case "type":
				if !cordisTypes[v] {
					need["orgType."+v] = "the type of " + e.ID
				}
			case "legalStatus":
				need["legal."+strings.ToLower(v)] = "the legal status of " + e.ID
			}
		}
		for _, f := range e.Facts {
			need["fact."+f.Property] = "a fact of " + e.ID
		}
		for _, r := range e.Records {
			need["dataset."+r.Dataset] = "a record of " + e.ID
			if r.Rule != "" && !strings.HasPrefix(r.Rule, "curated link: ") {
				need["rule."+r.Rule] = "a record of " + e.ID
			}
		}
	}
	for _, r := range ds.Relations {
		if r.Role != "" {
			need["role."+r.Role] = "the relation " + r.ID
		}
		for k := range r.Properties {
			need["prop."+k] = "a property of the relation " + r.ID
		}
	}
	need["dataset."+sources.LinkedName] = "sources.LinkedName"
	for _, lang := range slices.Sorted(maps.Keys(words)) {
		for _, key := range slices.Sorted(maps.Keys(need)) {
			if _, ok := words[lang][key]; !ok {
				t.Errorf("%s: no word for %q (%s)", lang, key, need[key])
			}
		}
	}
}

// TestPageCountsArePlurals: a word that writes a count ({n}, {count}) is a
// plural, with a form for each of its language's plural categories
// (TestPageWordsInEveryLanguage checks the forms), so that Polish says
// "1 krok", "2 kroki", "5 kroków" and never "5 kroki".
func TestPageCountsArePlurals(t *testing.T) {
	count := regexp.MustCompile(`\{(n|count)\}`)
	for lang, ws := range pageWords(t) {
		for _, key := range slices.Sorted(maps.Keys(ws)) {
			if count.MatchString(ws[key]) && pluralBase(key) == key {
				t.Errorf("%s: %q writes a count but is no plural (%s)", lang, key, ws[key])
			}
		}
	}
}
