package loader

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/coopgraph/coopgraph"
)

// csvFile streams the records of one CSV file with the line each starts on.
type csvFile struct {
	l      *loader
	file   string
	r      *csv.Reader
	header []string
	cols   map[string]int // known column -> index
	props  []int          // indices of the property columns
	line   int            // line of the last record read
	// malformed, when set, is given what can be made of each malformed
	// record: its fields when it merely has too many or too few, else nil.
	malformed func(rec []string)
	// missing are the cells that stand for no value in a publisher's
	// table (R writes "NA"): read as empty.
	missing map[string]bool
}

var bom = []byte{0xEF, 0xBB, 0xBF}

// openCSV reads the header of a CSV file and checks that it has the
// required columns; known lists the columns that are not properties. It
// returns nil when the file cannot be read on (the problem is reported).
func (l *loader) openCSV(file string, r io.Reader, required, known []string, reservedName func(string) bool) *csvFile {
	return l.openCSVWith(file, r, ',', required, known, reservedName)
}

// openCSVWith is openCSV for a file whose fields are separated by
// delimiter (a publisher's table may use ';').
func (l *loader) openCSVWith(file string, r io.Reader, delimiter rune, required, known []string, reservedName func(string) bool) *csvFile {
	br := bufio.NewReaderSize(r, 256<<10)
	if head, _ := br.Peek(len(bom)); bytes.Equal(head, bom) {
		_, _ = br.Discard(len(bom)) // cannot fail: Peek has buffered them
	}
	c := &csvFile{l: l, file: file, r: csv.NewReader(br)}
	c.r.ReuseRecord = true
	c.r.Comma = delimiter
	before := len(l.problems)
	header, ok := c.next()
	if len(l.problems) > before {
		return nil // the header line is malformed, or the file unreadable
	}
	if !ok {
		l.problem(file, 0, "the file is empty: expected a header line with the columns %s", strings.Join(required, ","))
		return nil
	}
	c.header = make([]string, len(header))
	c.cols = make(map[string]int, len(header))
	isKnown := make(map[string]bool, len(known))
	for _, k := range known {
		isKnown[k] = true
	}
	bad := false
	var reserved []string // reported after missing columns: "from" often means "source"
	for i, h := range header {
		h = unneutralise(strings.TrimSpace(h))
		c.header[i] = h
		if h == "" {
			l.problem(file, c.line, "column %d of the header has no name", i+1)
			bad = true
			continue
		}
		if j, dup := c.cols[h]; dup {
			l.problem(file, c.line, "column %s appears twice in the header (columns %d and %d)", quote(h), j+1, i+1)
			bad = true
			continue
		}
		c.cols[h] = i
		if !isKnown[h] {
			if reservedName(h) {
				reserved = append(reserved, h)
				continue
			}
			c.props = append(c.props, i)
		}
	}
	for _, req := range required {
		if _, ok := c.cols[req]; !ok {
			l.problem(file, c.line, "the header has no %q column (required columns: %s)", req, strings.Join(required, ", "))
			bad = true
		}
	}
	for _, h := range reserved {
		l.problem(file, c.line, "column %s is not a column of this file and its name is reserved: rename it", quote(h))
		bad = true
	}
	if bad {
		return nil
	}
	return c
}

// next returns the next well-formed record, reporting the malformed ones on
// the way; false at the end of the file or when it cannot be read on.
func (c *csvFile) next() ([]string, bool) {
	for {
		if c.l.stop {
			return nil, false
		}
		rec, err := c.r.Read()
		if err == nil {
			c.line, _ = c.r.FieldPos(0)
			for _, cell := range rec {
				if !utf8.ValidString(cell) {
					c.l.problem(c.file, c.line, "the line is not valid UTF-8: save the file as UTF-8")
					break
				}
			}
			return rec, true
		}
		if err == io.EOF {
			return nil, false
		}
		var be *boundError
		if errors.As(err, &be) {
			c.l.problem(c.file, be.line, "%s", be.reason)
			c.line = -1 // reported
			return nil, false
		}
		var pe *csv.ParseError
		if !errors.As(err, &pe) {
			if c.line > 0 {
				c.l.problem(c.file, c.line, "cannot read the file after this line: %s", errText(err))
			} else {
				c.l.problem(c.file, 0, "cannot read the file: %s", errText(err))
			}
			c.line = -1 // reported
			return nil, false
		}
		c.line = pe.StartLine
		if c.malformed != nil {
			if errors.Is(pe.Err, csv.ErrFieldCount) {
				c.malformed(rec)
			} else {
				c.malformed(nil)
			}
		}
		switch {
		case errors.Is(pe.Err, csv.ErrFieldCount):
			c.l.problem(c.file, pe.Line, "malformed CSV: this record has %d fields, the header has %d", len(rec), c.r.FieldsPerRecord)
		case errors.Is(pe.Err, csv.ErrBareQuote):
			c.l.problem(c.file, pe.Line, "malformed CSV: a \" in an unquoted field (column %d); quote the whole field and double the quotes inside: \"say \"\"hello\"\"\"", pe.Column)
		case errors.Is(pe.Err, csv.ErrQuote):
			c.l.problem(c.file, pe.Line, "malformed CSV: a quoted field is not closed, or its closing \" is followed by more text (column %d); a \" inside a quoted field is written \"\"", pe.Column)
		default:
			c.l.problem(c.file, pe.Line, "malformed CSV: %s", pe.Err)
		}
	}
}

// cell returns the trimmed value of a known column, "" when the file has no
// such column.
func (c *csvFile) cell(rec []string, col string) string {
	if i, ok := c.cols[col]; ok {
		v := unneutralise(strings.TrimSpace(rec[i]))
		if c.missing != nil && c.missing[v] {
			return ""
		}
		return v
	}
	return ""
}

// unneutralise undoes the ' that coopgraph's CSV export puts before a cell
// a spreadsheet could take for a formula (export.SafeCell, OWASP's rule):
// the first ' of a cell is dropped when =, +, -, @, a tab, a carriage
// return or another ' follows it. A spreadsheet shows such a cell without
// its ' as well, so a table edited in one reads the same.
func unneutralise(s string) string {
	if len(s) >= 2 && s[0] == '\'' {
		switch s[1] {
		case '=', '+', '-', '@', '\t', '\r', '\'':
			return s[1:]
		}
	}
	return s
}

// properties returns the non-empty cells of the property columns.
func (c *csvFile) properties(rec []string) map[string]string {
	var m map[string]string
	for _, i := range c.props {
		v := unneutralise(strings.TrimSpace(rec[i]))
		if v == "" {
			continue
		}
		if m == nil {
			m = make(map[string]string, len(c.props))
		}
		m[c.header[i]] = v
	}
	return m
}

// splitList splits a semicolon-separated cell, dropping empty parts.
func splitList(cell string) []string {
	if cell == "" {
		return nil
	}
	var out []string
	for part := range strings.SplitSeq(cell, ";") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

var (
	nodeRequired = []string{"id", "kind", "name"}
	nodeKnown    = []string{"id", "kind", "name", "aliases", "documents"}
	edgeRequired = []string{"source", "target", "type"}
	edgeKnown    = []string{"source", "target", "type", "id", "role", "start", "end", "document", "quote"}
)

// readNodes reads nodes.csv: one entity a record.
func (l *loader) readNodes(file string, r io.Reader) {
	c := l.openCSV(file, r, nodeRequired, nodeKnown, coopgraph.IsReservedEntityProperty)
	if c == nil {
		l.incomplete = true
		return
	}
	// A malformed record still names its entity when only its number of
	// fields is wrong: relations to it are then not reported as well.
	// When its quotes are wrong, what follows may be lost with it.
	idCol := c.cols["id"]
	c.malformed = func(rec []string) {
		if rec != nil && idCol < len(rec) {
			if id := unneutralise(strings.TrimSpace(rec[idCol])); id != "" {
				l.extraIDs = append(l.extraIDs, id)
			}
			return
		}
		l.incomplete = true
	}
	for {
		rec, ok := c.next()
		if !ok {
			break
		}
		line := c.line
		l.addEntity(entityRec{
			e: coopgraph.Entity{
				ID:         c.cell(rec, "id"),
				Kind:       c.cell(rec, "kind"),
				Name:       c.cell(rec, "name"),
				Aliases:    splitList(c.cell(rec, "aliases")),
				Documents:  splitList(c.cell(rec, "documents")),
				Properties: c.properties(rec),
			},
			file: file, at: line, idAt: line, kindAt: line, nameAt: line,
		})
	}
	if c.line < 0 {
		l.incomplete = true
	}
}

// readEdges reads edges.csv: one relation a record.
func (l *loader) readEdges(file string, r io.Reader) {
	c := l.openCSV(file, r, edgeRequired, edgeKnown, coopgraph.IsReservedRelationProperty)
	if c == nil {
		return
	}
	for {
		rec, ok := c.next()
		if !ok {
			break
		}
		line := c.line
		rel := relationRec{
			r: coopgraph.Relation{
				ID:         c.cell(rec, "id"),
				Type:       c.cell(rec, "type"),
				From:       c.cell(rec, "source"),
				To:         c.cell(rec, "target"),
				Role:       c.cell(rec, "role"),
				Start:      c.cell(rec, "start"),
				End:        c.cell(rec, "end"),
				Document:   c.cell(rec, "document"),
				Quote:      c.cell(rec, "quote"),
				Properties: c.properties(rec),
			},
			file: file, at: line, fromAt: line, toAt: line, typeAt: line, startAt: line, endAt: line,
			csv: true,
		}
		if rel.r.ID != "" {
			rel.idAt = line
		}
		l.addRelation(rel)
	}
}
