package loader

import (
	"fmt"
	"hash/fnv"
	"strings"

	"github.com/coopgraph/coopgraph"
)

// slug is the id form of a cell: its words folded (lower case, no
// diacritics: coopgraph.Tokens) and joined by "-", so that "WOJEWÓDZTWO
// MAŁOPOLSKIE" and "Województwo Małopolskie" give the same id. A letter
// outside ASCII that folding keeps (Greek, Cyrillic…) is written as its
// code point, so the slug is a valid id and still deterministic.
func slug(s string) string {
	var b strings.Builder
	for i, tok := range coopgraph.Tokens(s) {
		if i > 0 {
			b.WriteByte('-')
		}
		for _, r := range tok {
			if r < 0x80 {
				b.WriteRune(r)
			} else {
				fmt.Fprintf(&b, "u%x", r)
			}
		}
	}
	return b.String()
}

// fitID shortens an id past the limit of ids to its first characters and a
// hash of the whole, so that a long name (keep.eu has partner "names" of a
// sentence) still gives one stable id.
func fitID(id string) string {
	if len(id) <= maxIDLen {
		return id
	}
	h := fnv.New64a()
	_, _ = h.Write([]byte(id)) // a hash never fails
	return fmt.Sprintf("%s-%016x", strings.TrimRight(id[:maxIDLen-17], "-/"), h.Sum64())
}

// countryCell reads a country cell: its first word is the code ("PL",
// or keep.eu's "PL Poland / POLSKA"); the names it gives after it
// ("Poland", "POLSKA"; "RS  / Serbia") are the code's own names.
func countryCell(cell string) (code string, names []string) {
	if !strings.ContainsAny(cell, " \t") {
		return strings.ToUpper(cell), nil // a code alone, as CORDIS writes it
	}
	fields := strings.Fields(cell)
	if len(fields) == 0 {
		return "", nil
	}
	code = strings.ToUpper(fields[0])
	rest := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(cell), fields[0]))
	for part := range strings.SplitSeq(rest, " / ") {
		if part = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(part), "/")); part != "" {
			names = append(names, part)
		}
	}
	return code, names
}

// regionCell reads a NUTS field, "PL213  / Miasto Kraków": the code before
// the first "/", the label after it (a label may hold "/" itself:
// "Bolzano/Bozen"). ok is false when the code is not one: 2 to 9 upper-case
// letters and digits, starting with two letters.
func regionCell(cell string) (code, label string, ok bool) {
	code = cell
	if i := strings.IndexByte(cell, '/'); i >= 0 {
		code, label = strings.TrimSpace(cell[:i]), strings.TrimSpace(cell[i+1:])
	}
	if len(code) < 2 || len(code) > 9 {
		return code, label, false
	}
	for i := range len(code) {
		c := code[i]
		letter := c >= 'A' && c <= 'Z'
		if !letter && (i < 2 || c < '0' || c > '9') {
			return code, label, false
		}
	}
	return code, label, true
}

// period reads the years of a programme period written in a cell, "2014 -
// 2020", "2007 – 2013" (en dash) or "2014-2020", alone or at the start of
// a programme's name; ok is false when the cell has none.
func period(cell string) (start, end string, ok bool) {
	s := strings.TrimSpace(cell)
	if len(s) < 9 || !allDigits(s[:4]) {
		return "", "", false
	}
	rest := strings.TrimSpace(s[4:])
	switch {
	case strings.HasPrefix(rest, "-"):
		rest = rest[1:]
	case strings.HasPrefix(rest, "–"), strings.HasPrefix(rest, "—"):
		rest = rest[len("–"):]
	default:
		return "", "", false
	}
	rest = strings.TrimSpace(rest)
	if len(rest) < 4 || !allDigits(rest[:4]) || (len(rest) > 4 && isDigit(rest[4])) {
		return "", "", false
	}
	return s[:4], rest[:4], true
}

// tableDate reads a date cell as a date of the format: YYYY-MM-DD as it
// is, and the YYYY/MM/DD keep.eu writes with dashes. ok is false for
// anything else.
func tableDate(cell string) (string, bool) {
	d := strings.ReplaceAll(cell, "/", "-")
	return d, validDate(d)
}

func allDigits(s string) bool {
	for i := range len(s) {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
