// Package coopgraph holds the domain of the cooperation network: entities
// (regions, networks, projects, organisations, programmes, people…), the
// relations between them with their provenance, the fixed vocabulary of kinds
// and relation types, and the interfaces the stores implement.
//
// It imports no driver, no HTTP and no parser: every other package depends on
// it, it depends on none of them.
package coopgraph

// Entity is one node of the cooperation network.
type Entity struct {
	// ID is stable across loads: relations, URLs and scripts refer to it.
	ID   string
	Kind string
	Name string
	// Aliases are other names: Polish and English forms, acronyms, short
	// forms, spellings without diacritics. Search matches every one of them.
	Aliases []string
	// Properties are free-form attributes (country, url, description…).
	Properties map[string]string
	// Facts are statements about the entity that carry their own source,
	// kept side by side when two documents disagree.
	Facts []Fact
	// Documents names the source documents that mention the entity.
	Documents []string
	// Records are the source records the entity was made from, when the
	// linked network merged several (sources, spellings) into it: each says
	// where it came from and which rule or link merged it. Empty for an
	// entity made from one record of one dataset.
	Records []Record
}

// Record is one source's record of an entity, kept when records of
// several sources or spellings are linked into one entity, so that every
// merge can be explained and reviewed.
type Record struct {
	// Dataset is the source dataset (seed, cordis-h2020, keep-interreg,
	// nuts) and ID the record's id in it.
	Dataset string
	ID      string
	// Name is the name as the source spells it; Place the town, NUTS
	// region or country the source gives (empty when it gives none).
	Name  string
	Place string
	// Rule says why this record is the entity: empty for the record the
	// entity keeps its id from, otherwise the rule ("same PIC", "same
	// NUTS code", "same name in the same town") or the curated link (its
	// reason) that merged it.
	Rule string
}

// Fact is a sourced statement about an entity, e.g. "memberRegions = 34".
type Fact struct {
	Property string
	Value    string
	Document string
	Quote    string
}

// Relation is one stated link between two entities. Relations are directed
// as the text states them (Małopolska MEMBER_OF Vanguard Initiative); paths and
// centrality treat them as undirected unless asked otherwise.
type Relation struct {
	// ID is stable across loads (explicit, or derived from the relation's
	// content, see RelationKey).
	ID   string
	Type string
	From string
	To   string
	// Role qualifies the relation: founding member, coordinator, partner…
	Role string
	// Start and End bound the time the relation is active, as Date strings
	// (YYYY, YYYY-MM or YYYY-MM-DD); empty when the text gives none.
	Start string
	End   string
	// Document is the id of the source document (a Dataset.Documents
	// entry: the seed's file name, an import's document text) and Quote
	// the phrase in it that states the relation.
	Document string
	Quote    string
	// Properties are further attributes (weight, amount…).
	Properties map[string]string
}

// Dataset is a whole, validated set of entities and relations, as one
// directory of files describes it.
type Dataset struct {
	// Name identifies the dataset in a store, so that reloading one dataset
	// never touches what another wrote.
	Name      string
	Entities  []Entity
	Relations []Relation
	// Credits are the credit lines its sources ask to be shown wherever
	// their data is shown or exported ("Source: keep.eu (Interact)").
	Credits []string
	// Documents describe every document its relations, facts and entities
	// cite, ordered by id (see Document).
	Documents []Document
}

// RelationKey derives a relation id from its content when none is given:
// the same statement from the same document keeps the same id across loads.
func RelationKey(r Relation) string {
	key := r.From + "|" + r.Type + "|" + r.To
	if r.Role != "" {
		key += "|" + r.Role
	}
	if r.Start != "" {
		key += "|" + r.Start
	}
	if r.Document != "" {
		key += "|" + r.Document
	}
	return key
}
