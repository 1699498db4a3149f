package export

import (
	"bufio"
	"encoding/xml"
	"io"
	"strconv"
	"strings"
)

// GraphML writes sub as a directed GraphML graph (relations keep the
// direction the sources state them in; parallel relations are parallel
// edges), one <key> per column of Columns with attr.name the column's
// name, node and edge ids the entity and relation ids. Empty values are
// left out. The sources' credit lines, when there are any, are the
// document's <desc> and the graph's attribute "credits", one a line.
//
// Format: http://graphml.graphdrawing.org/specification.html
func GraphML(w io.Writer, sub *Subgraph) error {
	t, err := layoutWith(sub, true)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	out := &errWriter{w: bw}
	out.WriteString(xml.Header)
	out.WriteString(`<graphml xmlns="http://graphml.graphdrawing.org/xmlns"` +
		` xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"` +
		` xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">` + "\n")
	credits := strings.Join(sub.Credits, "\n")
	if credits != "" {
		out.WriteString("  <desc>" + escape(credits) + "</desc>\n")
	}
	// Keys are numbered d0, d1… across nodes, edges and the graph: column
	// names are free text, key ids must be XML names.
	nodeKeys := graphMLKeys(out, "node", t.nodeCols, 0)
	edgeKeys := graphMLKeys(out, "edge", t.edgeCols, len(t.nodeCols))
	creditsKey := "d" + strconv.Itoa(len(t.nodeCols)+len(t.edgeCols))
	if credits != "" {
		out.WriteString(`  <key id="` + creditsKey + `" for="graph" attr.name="credits" attr.type="string"/>` + "\n")
	}
	out.WriteString(`  <graph id="coopgraph" edgedefault="directed">` + "\n")
	if credits != "" {
		out.WriteString(`    <data key="` + creditsKey + `">` + escape(credits) + "</data>\n")
	}
	for i, e := range t.entities {
		out.WriteString(`    <node id="` + escape(e.ID) + `">` + "\n")
		graphMLData(out, t.nodeCols, nodeKeys, i)
		out.WriteString("    </node>\n")
	}
	for i, r := range t.relations {
		out.WriteString(`    <edge id="` + escape(r.ID) + `" source="` + escape(r.From) + `" target="` + escape(r.To) + `">` + "\n")
		graphMLData(out, t.edgeCols, edgeKeys, i)
		out.WriteString("    </edge>\n")
	}
	out.WriteString("  </graph>\n</graphml>\n")
	if out.err != nil {
		return out.err
	}
	return bw.Flush()
}

func graphMLKeys(out *errWriter, class string, cols []column, first int) []string {
	ids := make([]string, len(cols))
	for i, c := range cols {
		ids[i] = "d" + strconv.Itoa(first+i)
		out.WriteString(`  <key id="` + ids[i] + `" for="` + class + `" attr.name="` + escape(c.name) + `" attr.type="` + graphMLType(c.typ) + `"/>` + "\n")
	}
	return ids
}

func graphMLType(t AttributeType) string {
	switch t {
	case Int:
		return "long"
	case Double:
		return "double"
	}
	return "string"
}

func graphMLData(out *errWriter, cols []column, keys []string, i int) {
	for j, c := range cols {
		if v := c.value(i); v != "" {
			out.WriteString(`      <data key="` + keys[j] + `">` + escape(v) + "</data>\n")
		}
	}
}

// escape makes s safe as XML text or a quoted attribute value: markup
// characters, quotes and line breaks become references (so that a line
// break in an attribute survives), and characters XML cannot hold at all
// (most control characters) become U+FFFD.
func escape(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s)) // a strings.Builder never fails
	return b.String()
}
