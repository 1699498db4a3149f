package coopgraph

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Fold returns s in the form every text match compares: lower case, with
// diacritics removed, so that "Malopolska" matches "Małopolska" and
// "SLASKIE" matches "Śląskie". Letters that Unicode does not decompose
// (ł, ø, ß, æ, đ…) are mapped by hand, as Lucene's ASCIIFoldingFilter does.
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue // a combining mark: the diacritic itself
		}
		r = unicode.ToLower(r)
		if rep, ok := foldSpecial[r]; ok {
			b.WriteString(rep)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

var foldSpecial = map[rune]string{
	'ł': "l", 'ø': "o", 'ß': "ss", 'æ': "ae", 'œ': "oe", 'đ': "d", 'ð': "d",
	'þ': "th", 'ı': "i", 'ħ': "h", 'ŀ': "l", 'ŧ': "t",
	'’': "'", '‘': "'", '„': "\"", '”': "\"", '“': "\"",
}

// Tokens splits the folded form of s into words: maximal runs of letters
// and digits. Search matches words by prefix, so punctuation, quotes and
// hyphens never matter ("Dom Polski Południowej" = "dom polski poludniowej").
func Tokens(s string) []string {
	return strings.FieldsFunc(Fold(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}
