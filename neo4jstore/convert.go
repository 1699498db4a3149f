package neo4jstore

import (
	"encoding/json"
	"fmt"
	"sort"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/coopgraph/coopgraph"
)

// entityProps is the node's full property map for an entity (without the
// dataset bookkeeping, which the load query maintains).
func entityProps(e coopgraph.Entity) (map[string]any, error) {
	p := map[string]any{}
	for k, v := range e.Properties {
		if coopgraph.IsReservedEntityProperty(k) {
			return nil, coopgraph.Errorf(coopgraph.EINVALID, "entity %q: property name %q is reserved", e.ID, k)
		}
		p[k] = v
	}
	p["id"] = e.ID
	p["kind"] = e.Kind
	p["name"] = e.Name
	p["aliases"] = orEmpty(e.Aliases)
	p["documents"] = orEmpty(e.Documents)
	p["searchText"] = coopgraph.SearchText(e)
	p["searchNames"] = coopgraph.SearchNames(e)
	p["searchOrder"] = coopgraph.SearchOrderKey(e)
	if len(e.Records) > 0 {
		// The records, as the facts, are JSON; their ids also as a list,
		// for finding an entity by a merged record's id.
		b, err := json.Marshal(e.Records)
		if err != nil {
			return nil, err
		}
		p["records"] = string(b)
		ids := make([]string, len(e.Records))
		for i, r := range e.Records {
			ids[i] = r.ID
		}
		p["recordIds"] = ids
	}
	if len(e.Facts) > 0 {
		// Neo4j properties cannot hold maps, so the sourced facts are kept as JSON.
		b, err := json.Marshal(e.Facts)
		if err != nil {
			return nil, err
		}
		p["facts"] = string(b)
	}
	return p, nil
}

// relationProps is the relationship's property map (without the dataset).
func relationProps(r coopgraph.Relation) (map[string]any, error) {
	p := map[string]any{}
	for k, v := range r.Properties {
		if coopgraph.IsReservedRelationProperty(k) {
			return nil, coopgraph.Errorf(coopgraph.EINVALID, "relation %q: property name %q is reserved", r.ID, k)
		}
		p[k] = v
	}
	p["id"] = r.ID
	for k, v := range map[string]string{"role": r.Role, "start": r.Start, "end": r.End, "document": r.Document, "quote": r.Quote} {
		if v != "" {
			p[k] = v
		}
	}
	return p, nil
}

func recordEntity(key string) func(*neo4j.Record) (coopgraph.Entity, error) {
	return func(rec *neo4j.Record) (coopgraph.Entity, error) {
		n, _, err := neo4j.GetRecordValue[neo4j.Node](rec, key)
		if err != nil {
			return coopgraph.Entity{}, err
		}
		return nodeEntity(n)
	}
}

// recordSearchName reads a search candidate: columns id, kind, name and
// aliases, what ranking needs.
func recordSearchName(rec *neo4j.Record) (coopgraph.Entity, error) {
	var e coopgraph.Entity
	for _, c := range []struct {
		key string
		dst *string
	}{{"id", &e.ID}, {"kind", &e.Kind}, {"name", &e.Name}} {
		v, _, err := neo4j.GetRecordValue[string](rec, c.key)
		if err != nil {
			return e, err
		}
		*c.dst = v
	}
	aliases, ok := rec.Get("aliases")
	if !ok {
		return e, fmt.Errorf("search candidate %q: no aliases column", e.ID)
	}
	e.Aliases = strs(aliases)
	return e, nil
}

func nodeEntity(n neo4j.Node) (coopgraph.Entity, error) {
	e := coopgraph.Entity{
		ID:        str(n.Props["id"]),
		Kind:      str(n.Props["kind"]),
		Name:      str(n.Props["name"]),
		Aliases:   strs(n.Props["aliases"]),
		Documents: strs(n.Props["documents"]),
	}
	if f := str(n.Props["facts"]); f != "" {
		if err := json.Unmarshal([]byte(f), &e.Facts); err != nil {
			return e, fmt.Errorf("entity %q: facts: %w", e.ID, err)
		}
	}
	if r := str(n.Props["records"]); r != "" {
		if err := json.Unmarshal([]byte(r), &e.Records); err != nil {
			return e, fmt.Errorf("entity %q: records: %w", e.ID, err)
		}
	}
	e.Properties = freeProps(n.Props, coopgraph.IsReservedEntityProperty)
	return e, nil
}

// recordRelation reads a record with columns r, from and to.
func recordRelation(rec *neo4j.Record) (coopgraph.Relation, error) {
	r, _, err := neo4j.GetRecordValue[neo4j.Relationship](rec, "r")
	if err != nil {
		return coopgraph.Relation{}, err
	}
	from, _, err := neo4j.GetRecordValue[string](rec, "from")
	if err != nil {
		return coopgraph.Relation{}, err
	}
	to, _, err := neo4j.GetRecordValue[string](rec, "to")
	if err != nil {
		return coopgraph.Relation{}, err
	}
	return coopgraph.Relation{
		ID:         str(r.Props["id"]),
		Type:       r.Type,
		From:       from,
		To:         to,
		Role:       str(r.Props["role"]),
		Start:      str(r.Props["start"]),
		End:        str(r.Props["end"]),
		Document:   str(r.Props["document"]),
		Quote:      str(r.Props["quote"]),
		Properties: freeProps(r.Props, coopgraph.IsReservedRelationProperty),
	}, nil
}

func freeProps(props map[string]any, reserved func(string) bool) map[string]string {
	var out map[string]string
	keys := make([]string, 0, len(props))
	for k := range props {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if reserved(k) {
			continue
		}
		if out == nil {
			out = map[string]string{}
		}
		out[k] = str(props[k])
	}
	return out
}

func str(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	default:
		return fmt.Sprint(v)
	}
}

func strs(v any) []string {
	list, _ := v.([]any)
	if len(list) == 0 {
		return nil
	}
	out := make([]string, len(list))
	for i, x := range list {
		out[i] = str(x)
	}
	return out
}

// documentRows are documents as parameters of replaceDocuments.
func documentRows(docs []coopgraph.Document) []any {
	rows := make([]any, len(docs))
	for i, d := range docs {
		rows[i] = map[string]any{"id": d.ID, "title": d.Title, "publisher": d.Publisher, "url": d.URL,
			"published": d.Published, "retrieved": d.Retrieved, "licence": d.Licence}
	}
	return rows
}

// recordDocument reads a :Document node back.
func recordDocument(n neo4j.Node) coopgraph.Document {
	return coopgraph.Document{ID: str(n.Props["id"]), Title: str(n.Props["title"]), Publisher: str(n.Props["publisher"]),
		URL: str(n.Props["url"]), Published: str(n.Props["published"]), Retrieved: str(n.Props["retrieved"]),
		Licence: str(n.Props["licence"])}
}
