package loader

import (
	"strings"
	"testing"
	"testing/fstest"
)

const docsYAML = `entities:
  - id: a
    kind: Region
    name: A
    documents: [page.txt]
    facts:
      - {property: size, value: "3", document: page.txt}
  - id: b
    kind: Region
    name: B
relations:
  - from: a
    type: PART_OF
    to: b
    document: other.txt
`

// TestDocumentsDescribeCitations: a dataset with documents.csv gets its
// documents with title, publisher and url, and every cited one must be
// described.
func TestDocumentsDescribeCitations(t *testing.T) {
	fsys := fstest.MapFS{
		"x.yaml": {Data: []byte(docsYAML)},
		"documents.csv": {Data: []byte("id,title,publisher,url\n" +
			"page.txt,A page,Region A,https://example.org/a\n" +
			"other.txt,Another page,Region B,\n")},
	}
	ds, err := LoadFS(fsys, "d", "d")
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Documents) != 2 || ds.Documents[0].ID != "other.txt" || ds.Documents[1].Title != "A page" ||
		ds.Documents[1].Publisher != "Region A" || ds.Documents[1].URL != "https://example.org/a" {
		t.Fatalf("documents = %+v", ds.Documents)
	}
}

// TestDocumentsUnknownCitation: a relation citing a document the dataset
// does not describe is a problem at its file and line; nothing is loaded.
func TestDocumentsUnknownCitation(t *testing.T) {
	fsys := fstest.MapFS{
		"x.yaml":        {Data: []byte(docsYAML)},
		"documents.csv": {Data: []byte("id,title\npage.txt,A page\n")},
	}
	ds, err := LoadFS(fsys, "d", "d")
	ps := loadProblems(t, ds, err)
	if len(ps) != 1 || ps[0].File != "d/x.yaml" || ps[0].Line != 12 || !strings.Contains(ps[0].Reason, `cites unknown document "other.txt"`) {
		t.Fatalf("problems = %v", ps)
	}
}

// TestDocumentsBadTable: a documents table with a bad row names its file
// and line.
func TestDocumentsBadTable(t *testing.T) {
	for _, tc := range []struct{ table, phrase string }{
		{"id,title\npage.txt,A page\nother.txt,\n", `document "other.txt" has no title`},
		{"id,title,url\npage.txt,A,https://x.org\nother.txt,B,ftp://x\n", `url "ftp://x" is not a web address`},
		{"id,title,published\npage.txt,A,\nother.txt,B,2020-13\n", `bad date "2020-13" in published`},
		{"id,title\npage.txt,A\npage.txt,B\n", `duplicate document "page.txt": first described at d/documents.csv:2`},
	} {
		fsys := fstest.MapFS{"x.yaml": {Data: []byte(docsYAML)}, "documents.csv": {Data: []byte(tc.table)}}
		ds, err := LoadFS(fsys, "d", "d")
		ps := loadProblems(t, ds, err)
		if ps[0].File != "d/documents.csv" || ps[0].Line != 3 || !strings.Contains(ps[0].Reason, tc.phrase) {
			t.Errorf("%q: problems = %v, want documents.csv:3: %s", tc.table, ps, tc.phrase)
		}
	}
	fsys := fstest.MapFS{"x.yaml": {Data: []byte(docsYAML)}, "documents.csv": {Data: []byte("id,title,author\n")}}
	ds, err := LoadFS(fsys, "d", "d")
	ps := loadProblems(t, ds, err)
	if !strings.Contains(ps[0].Reason, `unknown column "author"`) {
		t.Errorf("problems = %v", ps)
	}
}

// TestDocumentsUndescribed: a dataset without a documents table still
// loads; each cited document is titled by its id.
func TestDocumentsUndescribed(t *testing.T) {
	ds, err := LoadFS(fstest.MapFS{"x.yaml": {Data: []byte(docsYAML)}}, "d", "d")
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Documents) != 2 || ds.Documents[0].ID != "other.txt" || ds.Documents[0].Title != "other.txt" {
		t.Fatalf("documents = %+v", ds.Documents)
	}
}

// TestDocumentsYAMLList: an import descriptor describes its document in a
// documents list; an unknown key is named.
func TestDocumentsYAMLList(t *testing.T) {
	list := "documents:\n  - {id: page.txt, title: A page, publisher: P}\n  - {id: other.txt, title: B, publisher: Q, url: https://q.org}\n"
	ds, err := LoadFS(fstest.MapFS{"x.yaml": {Data: []byte(docsYAML)}, "y.yaml": {Data: []byte(list)}}, "d", "d")
	if err != nil {
		t.Fatal(err)
	}
	if ds.Documents[0].URL != "https://q.org" || ds.Documents[1].Publisher != "P" {
		t.Fatalf("documents = %+v", ds.Documents)
	}
	bad := "documents:\n  - {id: page.txt, titel: A page}\n"
	ds, err = LoadFS(fstest.MapFS{"x.yaml": {Data: []byte(docsYAML)}, "y.yaml": {Data: []byte(bad)}}, "d", "d")
	ps := loadProblems(t, ds, err)
	if !strings.Contains(ps.Error(), `d/y.yaml:2: unknown key "titel" in a document`) {
		t.Fatalf("problems = %v", ps)
	}
}
