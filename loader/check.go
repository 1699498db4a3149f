package loader

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/coopgraph/coopgraph"
)

// maxIDLen is the longest id accepted, in bytes (ids are ASCII).
const maxIDLen = 200

// idProblem says what is wrong with a non-empty id, or "" when it is good:
// characters [A-Za-z0-9._:/-], starting with a letter or digit, at most
// maxIDLen long.
func idProblem(what, id string) string {
	if len(id) > maxIDLen {
		return fmt.Sprintf("%s %s is %d characters long; the limit is %d", what, quote(id), len(id), maxIDLen)
	}
	if !isAlnum(id[0]) {
		return fmt.Sprintf("%s %s must start with a letter or a digit (A-Z, a-z, 0-9)", what, quote(id))
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if isAlnum(c) || c == '.' || c == '_' || c == ':' || c == '/' || c == '-' {
			continue
		}
		r, _ := utf8.DecodeRuneInString(id[i:])
		return fmt.Sprintf("%s %s has the character %q; ids use only A-Z a-z 0-9 . _ : / -", what, quote(id), r)
	}
	return ""
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// dateForms is what a bad date's reason says is accepted.
const dateForms = "use YYYY, YYYY-MM or YYYY-MM-DD, a real calendar date"

// validDate reports whether s is YYYY, YYYY-MM or YYYY-MM-DD naming a real
// calendar date (2023-02-30 is not).
func validDate(s string) bool {
	switch len(s) {
	case 4, 7, 10:
	default:
		return false
	}
	for i := 0; i < len(s); i++ {
		if i == 4 || i == 7 {
			if s[i] != '-' {
				return false
			}
		} else if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	if len(s) == 4 {
		return true
	}
	year, _ := strconv.Atoi(s[:4])
	month, _ := strconv.Atoi(s[5:7])
	if month < 1 || month > 12 {
		return false
	}
	if len(s) == 7 {
		return true
	}
	day, _ := strconv.Atoi(s[8:10])
	return day >= 1 && day <= daysIn(year, month)
}

func daysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// endBeforeStart reports whether the period end ends before the period start
// begins, both valid dates of any precision: "2013" does not end before
// "2013-11", "2013-10" ends before "2013-11-05". The fixed-width forms
// compare as strings on their common precision.
func endBeforeStart(start, end string) bool {
	n := min(len(start), len(end))
	return end[:n] < start[:n]
}

// The vocabulary, as reasons list it.
var (
	kindNames = strings.Join(infoList(coopgraph.Kinds), ", ")
	typeNames = strings.Join(infoList(coopgraph.RelationTypes), ", ")
)

// kindProblem says what is wrong with kind, or "" when it is a kind of the
// vocabulary.
func kindProblem(kind string) string {
	if coopgraph.IsKind(kind) {
		return ""
	}
	if kind == "" {
		return "empty kind; use one of: " + kindNames
	}
	return fmt.Sprintf("unknown kind %s%s; the kinds are: %s", quote(kind), didYouMean(kind, infoList(coopgraph.Kinds)), kindNames)
}

// typeProblem says what is wrong with a relation type, or "" when it is a
// relation type of the vocabulary.
func typeProblem(typ string) string {
	if coopgraph.IsRelationType(typ) {
		return ""
	}
	if typ == "" {
		return "empty relation type; use one of: " + typeNames
	}
	norm := strings.ToUpper(strings.NewReplacer(" ", "_", "-", "_").Replace(typ))
	return fmt.Sprintf("unknown relation type %s%s; the relation types are: %s", quote(typ), didYouMean(norm, infoList(coopgraph.RelationTypes)), typeNames)
}

func infoList(infos []coopgraph.KindInfo) []string {
	names := make([]string, len(infos))
	for i, k := range infos {
		names[i] = k.Name
	}
	return names
}

// didYouMean returns " (did you mean X?)" for the candidate closest to word,
// ignoring case, when it is close enough to be a likely typo; else "".
func didYouMean(word string, candidates []string) string {
	if len(word) > 64 {
		return ""
	}
	best, bestDist := "", 3
	lw := strings.ToLower(word)
	for _, c := range candidates {
		d := editDistance(lw, strings.ToLower(c))
		// Short words need a closer match: "to" is no typo of "id".
		if limit := min(2, len(c)/3); d <= limit && d < bestDist {
			best, bestDist = c, d
		}
	}
	if best == "" {
		return ""
	}
	return " (did you mean " + best + "?)"
}

// editDistance is the optimal string alignment distance between a and b:
// insertions, deletions, substitutions and swaps of two adjacent bytes.
func editDistance(a, b string) int {
	// rows i-2, i-1 and i of the table
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

// quote quotes a value of the user's for a reason, cut short when long so
// that one bad cell cannot flood the report.
func quote(s string) string {
	const maxQuoted = 80
	if len(s) > maxQuoted {
		cut := maxQuoted
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		return strconv.Quote(s[:cut]) + "…"
	}
	return strconv.Quote(s)
}
