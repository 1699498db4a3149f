package export

import (
	"bufio"
	"encoding/xml"
	"io"
	"strconv"
)

// GEXF writes sub as a static, directed GEXF 1.3 graph for Gephi: node
// labels are entity names, edge labels relation types, every column of
// Columns but the name is a declared attribute (the name is the label),
// and nodes are coloured by kind (viz:color; see KindColours). Empty
// values are left out. The sources' credit lines, when there are any,
// end the <meta> description, one a line.
//
// Dates stay string attributes rather than GEXF's own start and end:
// the sources give years and months as often as days, which GEXF's date
// format cannot hold.
//
// Format: https://gexf.net/ (schema http://gexf.net/1.3/gexf.xsd)
func GEXF(w io.Writer, sub *Subgraph) error {
	t, err := layoutWith(sub, true)
	if err != nil {
		return err
	}
	nodeCols := make([]column, 0, len(t.nodeCols))
	for _, c := range t.nodeCols {
		if c.name != "name" {
			nodeCols = append(nodeCols, c)
		}
	}
	bw := bufio.NewWriter(w)
	out := &errWriter{w: bw}
	out.WriteString(xml.Header)
	out.WriteString(`<gexf xmlns="http://gexf.net/1.3" xmlns:viz="http://gexf.net/1.3/viz"` +
		` xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"` +
		` xsi:schemaLocation="http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd" version="1.3">` + "\n")
	description := "A cooperation network exported by coopgraph: entities and the relations their sources state"
	for _, c := range sub.Credits {
		description += "\n" + c
	}
	out.WriteString("  <meta>\n    <creator>coopgraph</creator>\n" +
		"    <description>" + escape(description) + "</description>\n  </meta>\n")
	out.WriteString(`  <graph mode="static" defaultedgetype="directed">` + "\n")
	gexfAttributes(out, "node", nodeCols)
	gexfAttributes(out, "edge", t.edgeCols)
	out.WriteString("    <nodes>\n")
	for i, e := range t.entities {
		out.WriteString(`      <node id="` + escape(e.ID) + `" label="` + escape(e.Name) + `">` + "\n")
		gexfValues(out, nodeCols, i)
		if c, ok := KindColours[e.Kind]; ok {
			out.printf("        <viz:color r=\"%d\" g=\"%d\" b=\"%d\"/>\n", c[0], c[1], c[2])
		}
		out.WriteString("      </node>\n")
	}
	out.WriteString("    </nodes>\n    <edges>\n")
	for i, r := range t.relations {
		out.WriteString(`      <edge id="` + escape(r.ID) + `" source="` + escape(r.From) + `" target="` + escape(r.To) + `" label="` + escape(r.Type) + `">` + "\n")
		gexfValues(out, t.edgeCols, i)
		out.WriteString("      </edge>\n")
	}
	out.WriteString("    </edges>\n  </graph>\n</gexf>\n")
	if out.err != nil {
		return out.err
	}
	return bw.Flush()
}

// KindColours are the node colours of GEXF exports (RGB), one per kind of
// the vocabulary, from the Tableau 10 palette that Gephi users know from
// matplotlib: places in blues, groupings in warm colours.
var KindColours = map[string][3]uint8{
	"Region":       {31, 119, 180},
	"Country":      {174, 199, 232},
	"City":         {23, 190, 207},
	"Network":      {255, 127, 14},
	"Project":      {44, 160, 44},
	"Organisation": {148, 103, 189},
	"Programme":    {214, 39, 40},
	"Person":       {227, 119, 194},
	"Agreement":    {140, 86, 75},
	"Event":        {188, 189, 34},
	"Strategy":     {127, 127, 127},
}

// gexfAttributes declares the columns of one class, with ids 0, 1…
func gexfAttributes(out *errWriter, class string, cols []column) {
	out.WriteString(`    <attributes class="` + class + `" mode="static">` + "\n")
	for i, c := range cols {
		out.WriteString(`      <attribute id="` + strconv.Itoa(i) + `" title="` + escape(c.name) + `" type="` + gexfType(c.typ) + `"/>` + "\n")
	}
	out.WriteString("    </attributes>\n")
}

func gexfType(t AttributeType) string {
	switch t {
	case Int:
		return "long"
	case Double:
		return "double"
	}
	return "string"
}

func gexfValues(out *errWriter, cols []column, i int) {
	opened := false
	for j, c := range cols {
		v := c.value(i)
		if v == "" {
			continue
		}
		if !opened {
			out.WriteString("        <attvalues>\n")
			opened = true
		}
		out.WriteString(`          <attvalue for="` + strconv.Itoa(j) + `" value="` + escape(v) + `"/>` + "\n")
	}
	if opened {
		out.WriteString("        </attvalues>\n")
	}
}
