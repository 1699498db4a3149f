package coopgraph

import "strings"

// PathText says a path in words, each hop with its relation type, role and
// the direction the source states it in:
//
//	Opolskie — member of → Dom Polski Południowej ← member of — Małopolskie
//
// nodes are the path's entities in order and rels[i] links nodes[i] and
// nodes[i+1].
func PathText(nodes []Entity, rels []Relation) string {
	if len(nodes) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(nodes[0].Name)
	for i, r := range rels {
		label := strings.ToLower(strings.ReplaceAll(r.Type, "_", " "))
		if r.Role != "" {
			label += " (" + r.Role + ")"
		}
		if r.From == nodes[i].ID {
			b.WriteString(" — " + label + " → ")
		} else {
			b.WriteString(" ← " + label + " — ")
		}
		b.WriteString(nodes[i+1].Name)
	}
	return b.String()
}
