package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"
)

// TestLinksCommand links two small datasets and checks the review report:
// the merge with both records and the rule, in text and CSV, and the
// curated not-same-as link of a --links file keeping two records apart.
func TestLinksCommand(t *testing.T) {
	a := writeFiles(t, map[string]string{"a.yaml": `entities:
  - {id: umwm, kind: Organisation, name: Marshal Office of the Malopolska Region, properties: {country: PL, town: Kraków}}
  - {id: elk, kind: Organisation, name: Elk City Municipality, properties: {country: PL, town: Ełk}}
`})
	b := writeFiles(t, map[string]string{"b.yaml": `entities:
  - {id: keep-1, kind: Organisation, name: Marshal office of the MałoPoland Region, properties: {country: PL, town: Krakow}}
  - {id: keep-2, kind: Organisation, name: Ełk City Municipality, properties: {country: PL, town: Ełk}}
`})
	links := writeFiles(t, map[string]string{"links.csv": "a,b,same,reason\nelk,keep-2,no,two bodies\n"})
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"links", "--data", a, "--data", b, "--links", links + "/links.csv"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	text := out.String()
	for _, want := range []string{"4 records became 3 entities", "umwm Marshal Office of the Malopolska Region (Organisation)",
		"keep-1", "same name in the same country", "refused by a not-same-as link: elk"} {
		if !strings.Contains(text, want) {
			t.Errorf("report lacks %q:\n%s", want, text)
		}
	}
	out.Reset()
	if code := run(context.Background(), []string{"links", "--data", a, "--data", b, "--format", "csv", "--show", "merges"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	rows, err := csv.NewReader(&out).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// without the --links file the built-in links apply: both pairs merge,
	// two records each, the office's second by the built-in link's reason
	merged := map[string]string{}
	for _, r := range rows[1:] {
		if r[0] == "merge" {
			merged[r[4]] = r[1] + " " + r[7]
		}
	}
	if len(rows) != 5 || merged["keep-2"] != "elk same name in the same country" || !strings.HasPrefix(merged["keep-1"], "umwm curated link: ") {
		t.Errorf("csv rows %q", rows)
	}
	if code := run(context.Background(), []string{"links", "--format", "xml"}, &out, &errb); code != 1 || !strings.Contains(errb.String(), "text or csv") {
		t.Errorf("--format xml: exit %d, %s", code, errb.String())
	}
}

// TestLinksDefaultSources: without --data, coopgraph links links the
// built-in datasets, data.Sources(), in their order.
func TestLinksDefaultSources(t *testing.T) {
	if testing.Short() {
		t.Skip("links the real datasets")
	}
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"links", "--show", "near", "--near", "1", "--country", "PL"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	first, _, _ := strings.Cut(out.String(), "\n")
	if want := "linked " + strings.Join(sourceNames(), ", ") + ":"; !strings.HasPrefix(first, want) || !strings.Contains(want, "seed, nuts, cordis-h2020, keep-interreg") {
		t.Errorf("first line %q, want it to start %q", first, want)
	}
	if strings.Contains(out.String(), "curated link skipped") {
		t.Errorf("a curated link names no record of the built-in datasets:\n%s", out.String())
	}
}
