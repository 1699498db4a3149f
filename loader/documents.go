package loader

import (
	"io"
	"sort"
	"strings"

	"github.com/coopgraph/coopgraph"
	"go.yaml.in/yaml/v4"
)

// documentRec is a document as described, with where it is described.
type documentRec struct {
	d    coopgraph.Document
	file string
	at   int
}

var (
	documentColumns  = []string{"id", "title", "publisher", "url", "published", "retrieved", "licence"}
	documentRequired = []string{"id", "title"}
)

// readDocuments reads documents.csv: one document a record (id, title and
// optional publisher, url, published, retrieved, licence).
func (l *loader) readDocuments(file string, r io.Reader) {
	c := l.openCSV(file, r, documentRequired, documentColumns, func(string) bool { return false })
	if c == nil {
		l.documentsBroken = true
		return
	}
	if len(c.props) > 0 {
		for _, i := range c.props {
			l.problem(file, 1, "unknown column %s in documents.csv; the columns are %s", quote(c.header[i]), strings.Join(documentColumns, ", "))
		}
		l.documentsBroken = true
		return
	}
	for {
		rec, ok := c.next()
		if !ok {
			break
		}
		l.addDocument(documentRec{file: file, at: c.line, d: coopgraph.Document{
			ID: c.cell(rec, "id"), Title: c.cell(rec, "title"), Publisher: c.cell(rec, "publisher"),
			URL: c.cell(rec, "url"), Published: c.cell(rec, "published"), Retrieved: c.cell(rec, "retrieved"),
			Licence: c.cell(rec, "licence"),
		}})
	}
	if c.line < 0 {
		l.documentsBroken = true
	}
}

// documents reads a YAML file's documents: a list of mappings with the
// columns of documents.csv as keys (the descriptor of a programme's import
// describes the document its rows cite this way).
func (y *yamlFileReader) documents(n *yaml.Node) {
	for _, item := range y.sequence(n, "documents") {
		pairs, ok := y.mapping(item, "a document")
		if !ok {
			y.l.documentsBroken = true
			continue
		}
		rec := documentRec{file: y.file, at: item.Line}
		d := &rec.d
		for _, p := range pairs {
			field := map[string]*string{"id": &d.ID, "title": &d.Title, "publisher": &d.Publisher, "url": &d.URL,
				"published": &d.Published, "retrieved": &d.Retrieved, "licence": &d.Licence}[p.key]
			if field == nil {
				y.unknownKey(p, "in a document", documentColumns)
				continue
			}
			*field, _ = y.scalar(p.v, p.key)
		}
		y.l.addDocument(rec)
	}
}

// addDocument checks one document alone and keeps it.
func (l *loader) addDocument(rec documentRec) {
	d := rec.d
	switch {
	case d.ID == "":
		l.problem(rec.file, rec.at, `document has no "id" (required: the text its relations and facts cite as their document)`)
	case d.Title == "":
		l.problem(rec.file, rec.at, "document %s has no title (required: the document's own title)", quote(d.ID))
	}
	if d.URL != "" && !strings.HasPrefix(d.URL, "https://") && !strings.HasPrefix(d.URL, "http://") {
		l.problem(rec.file, rec.at, "document %s: url %s is not a web address (https://…)", quote(d.ID), quote(d.URL))
	}
	l.checkDate(rec.file, rec.at, "published", d.Published)
	l.checkDate(rec.file, rec.at, "retrieved", d.Retrieved)
	l.documents = append(l.documents, rec)
}

// finishDocuments returns the dataset's documents, ordered by id. When the
// dataset describes its documents (documents.csv or a documents list),
// every document an entity, fact or relation cites must be one of them,
// each unknown one reported once, where it is first cited. A dataset that
// describes none (an older one) gets a document per cited id, titled by it.
func (l *loader) finishDocuments() []coopgraph.Document {
	cited := map[string]bool{}
	byID := map[string]*documentRec{}
	for i := range l.documents {
		rec := &l.documents[i]
		if first, dup := byID[rec.d.ID]; dup {
			l.problem(rec.file, rec.at, "duplicate document %s: first described at %s:%d", quote(rec.d.ID), first.file, first.at)
			continue
		}
		byID[rec.d.ID] = rec
	}
	described := len(l.documents) > 0 || l.documentsBroken
	cite := func(file string, at int, id string) {
		if id == "" || cited[id] {
			return
		}
		cited[id] = true
		if described && byID[id] == nil && !l.documentsBroken {
			l.problem(file, at, "cites unknown document %s: describe it in documents.csv or a documents list (id, title, publisher, url)", quote(id))
		}
	}
	for i := range l.entities.len() {
		rec := l.entities.at(i)
		for _, d := range rec.e.Documents {
			cite(rec.file, rec.at, d)
		}
		for _, f := range rec.e.Facts {
			cite(rec.file, rec.at, f.Document)
		}
	}
	for i := range l.relations.len() {
		rec := l.relations.at(i)
		cite(rec.file, rec.at, rec.r.Document)
	}
	var out []coopgraph.Document
	if described {
		for _, rec := range byID {
			out = append(out, rec.d)
		}
	} else {
		for id := range cited {
			out = append(out, coopgraph.Document{ID: id, Title: id})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}
