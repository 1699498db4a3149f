package export

import (
	"encoding/csv"
	"io"

	"github.com/coopgraph/coopgraph"
)

// NodesCSV writes the entities of sub as CSV with the header
// id,kind,name,aliases,documents followed by the attribute and property
// columns of Columns: the nodes.csv that coopgraph's CSV import reads
// (aliases and documents joined with ";"; attributes come back as
// properties). Quoting is RFC 4180's (encoding/csv); text cells that a
// spreadsheet could take for a formula are neutralised (SafeCell).
func NodesCSV(w io.Writer, sub *Subgraph) error {
	t, err := layout(sub)
	if err != nil {
		return err
	}
	ids := make([]string, len(t.entities))
	for i, e := range t.entities {
		ids[i] = e.ID
	}
	return writeCSV(w, []string{"id"}, t.nodeCols, len(ids), func(i int) []string { return []string{ids[i]} })
}

// EdgesCSV writes the relations of sub as CSV with the header
// id,source,target,type,role,start,end,document,quote followed by the
// property columns of Columns: the edges.csv that coopgraph's CSV import
// reads, source and target being a relation's from and to. The id of a
// relation that has none of its own, but the one derived from its content
// (coopgraph.RelationKey), is left empty: the import derives it again,
// and would refuse it as written.
func EdgesCSV(w io.Writer, sub *Subgraph) error {
	t, err := layout(sub)
	if err != nil {
		return err
	}
	rels := t.relations
	return writeCSV(w, []string{"id", "source", "target"}, t.edgeCols, len(rels), func(i int) []string {
		id := rels[i].ID
		if id == coopgraph.RelationKey(rels[i]) {
			id = ""
		}
		return []string{id, rels[i].From, rels[i].To}
	})
}

// writeCSV writes the header, then n records: the lead cells, then one
// cell per column. Every cell is text from the dataset (ids, names,
// property names and values…) and is neutralised, but those of the
// numeric attributes the export computed (community, a score), which stay
// numbers.
func writeCSV(w io.Writer, lead []string, cols []column, n int, leadOf func(i int) []string) error {
	cw := csv.NewWriter(w)
	rec := make([]string, 0, len(lead)+len(cols))
	for _, l := range lead {
		rec = append(rec, SafeCell(l))
	}
	for _, c := range cols {
		rec = append(rec, SafeCell(c.name))
	}
	if err := cw.Write(rec); err != nil {
		return err
	}
	for i := range n {
		rec = rec[:0]
		for _, l := range leadOf(i) {
			rec = append(rec, SafeCell(l))
		}
		for _, c := range cols {
			if c.typ == Int || c.typ == Double {
				rec = append(rec, c.value(i))
			} else {
				rec = append(rec, SafeCell(c.value(i)))
			}
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
