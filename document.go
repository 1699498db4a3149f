package coopgraph

import (
	"slices"
	"strings"
)

// Document is a source a relation, a fact or an entity cites: a page of a
// region's website, a publisher's data table. Relations and facts carry
// only its ID (Relation.Document, Fact.Document, Entity.Documents), as
// they always have; the Dataset's Documents say what each ID is, so that
// users read "Współpraca Międzynarodowa — Województwo Małopolskie", linked
// to the page, rather than a file name.
type Document struct {
	// ID is the string relations and facts cite (a file name, or the
	// document text of a programme's import).
	ID string
	// Title is the document's own title (a page's heading, a table's
	// name); the ID when the dataset does not describe its documents.
	Title string
	// Publisher is who published it (Województwo Małopolskie, CORDIS –
	// European Commission); empty when unknown.
	Publisher string
	// URL is where it can be read, when known.
	URL string
	// Published and Retrieved are Date strings (YYYY, YYYY-MM or
	// YYYY-MM-DD), empty when unknown.
	Published string
	Retrieved string
	// Licence is the terms or credit it is reused under, when known.
	Licence string
}

// FindDocument returns the document of docs (ordered by id, as
// Dataset.Documents) with the given id, or, when none has it, a document
// titled by its id: every cited source has a title to show, even one a
// dataset does not describe (the "dataset:id" of a value the linked
// network kept from a merged record).
func FindDocument(docs []Document, id string) Document {
	if i, ok := slices.BinarySearchFunc(docs, id, func(d Document, id string) int { return strings.Compare(d.ID, id) }); ok {
		return docs[i]
	}
	return Document{ID: id, Title: id}
}
