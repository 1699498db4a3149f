package link

import (
	"strings"
	"unicode"

	"github.com/coopgraph/coopgraph"
)

// legalForms are the company and association forms that say nothing about
// which organisation a name means ("sp. z o.o.", "GmbH", "S.A.", "Ltd",
// "e.V.", "s.r.l."…), as token sequences of the folded name. They are
// removed wherever they stand, longest first, before names are compared.
var legalForms = [][]string{
	{"sp", "z", "o", "o"}, {"spolka", "z", "ograniczona", "odpowiedzialnoscia"},
	{"s", "p", "a"}, {"s", "r", "l"}, {"s", "a", "s"}, {"e", "v"}, {"s", "a"}, {"s", "l"},
	{"s", "r", "o"}, {"a", "s"}, {"b", "v"}, {"n", "v"}, {"g", "m", "b", "h"},
	{"gmbh"}, {"ggmbh"}, {"mbh"}, {"ag"}, {"kg"}, {"ltd"}, {"limited"}, {"plc"}, {"llc"}, {"inc"},
	{"srl"}, {"spa"}, {"sas"}, {"sarl"}, {"sro"}, {"ev"}, {"bv"}, {"nv"}, {"oy"}, {"oyj"}, {"ab"},
	{"aps"}, {"asbl"}, {"vzw"}, {"doo"}, {"d", "o", "o"}, {"kft"}, {"zrt"}, {"nonprofit"},
	{"sp", "k"}, {"scarl"}, {"scrl"}, {"scpa"}, {"public", "body"}, {"public", "establishment"},
	{"public", "institution"}, {"geie"}, {"eeig"}, {"g", "e", "i", "e"}, {"scrl"}, {"slu"}, {"s", "l", "u"},
}

// stopWords carry no identity in organisation names of the languages the
// sources write (English, Polish, German, French, Italian, Spanish…).
var stopWords = map[string]bool{
	"the": true, "of": true, "and": true, "for": true, "in": true, "at": true, "on": true, "to": true,
	"w": true, "we": true, "i": true, "z": true, "im": true, "imienia": true, "na": true, "dla": true, "oraz": true,
	"der": true, "die": true, "das": true, "des": true, "und": true, "fur": true, "fuer": true, "von": true,
	"de": true, "du": true, "la": true, "le": true, "les": true, "et": true, "d": true, "l": true,
	"di": true, "del": true, "della": true, "dei": true, "delle": true, "e": true, "per": true,
	"s": true, "y": true, "el": true, "los": true, "las": true, "en": true, "do": true, "da": true, "dos": true, "das'": true,
}

// synonyms map a word to the form the sources' other spellings use: the
// city and region of this project in their English, Polish and keep.eu
// spellings and inflections, and "university" in the sources' languages,
// so that "Uniwersytet Jagielloński" and "Jagiellonian University" share
// a word. A short list, as dedupe's and Zingg's preprocessing; what it
// cannot decide goes to the curated links file.
var synonyms = map[string]string{
	"cracow": "krakow", "krakowie": "krakow", "krakowa": "krakow", "krakov": "krakow", "krakau": "krakow", "cracovia": "krakow",
	"malopoland": "malopolska", "malopolskie": "malopolska", "malopolskiego": "malopolska", "malopolski": "malopolska",
	"malopolskiej": "malopolska", "malpolska": "malopolska", "lesser": "malopolska",
	"marshall": "marshal", "marshals": "marshal",
	"uniwersytet": "university", "universita": "university", "universitat": "university", "universidad": "university",
	"universite": "university", "universiteit": "university", "univerzita": "university", "universitaet": "university", //nolint:misspell // French, Dutch, Czech, German words
	"universidade": "university", "uniwersytetu": "university", "univ": "university",
	"dept": "department", "dep": "department", "dpt": "department",
}

// wordRules is stopWords (to "") and synonyms in one map: one lookup a
// word.
var wordRules = func() map[string]string {
	m := make(map[string]string, len(stopWords)+len(synonyms))
	for w, c := range synonyms {
		m[w] = c
	}
	for w := range stopWords { // a stop word is dropped, whatever else it is
		m[w] = ""
	}
	return m
}()

// unitWords name a part of an organisation, a kind of municipality, or a
// foundation (a university's foundation is a body of its own): a
// name that has one of them where the other name has nothing in its place
// means another body ("X" against "X, Department of Y"; "Gmina Nowa Ruda"
// against "Gmina Miejska Nowa Ruda"), which resolution keeps apart.
var unitWords = map[string]bool{
	"department": true, "faculty": true, "division": true, "unit": true, "section": true,
	"laboratory": true, "lab": true, "school": true, "chair": true, "directorate": true,
	"wydzial": true, "katedra": true, "zaklad": true, "abteilung": true, "fachbereich": true, "lehrstuhl": true,
	"departamento": true, "dipartimento": true, "departement": true, "servizio": true, "settore": true,
	"direzione": true, "direccion": true, "direction": true, "faculte": true, "facultad": true, "fakulta": true,
	"miejska": true, "miasto": true, "wiejska": true, "miejsko": true,
	"foundation": true, "fundacion": true, "fundacio": true, "fundacao": true, "fundacja": true,
	"fondation": true, "fondazione": true, "stiftung": true, "stichting": true, //nolint:misspell // French, Italian, German, Dutch words
}

// nameVariants is s and, when s starts with an acronym or has one in
// brackets ("CEI - Central European Initiative", "Nature Conservation
// Agency (NCA)"), s without it: the name's own abbreviation says nothing
// its words do not, and a record with it must still match a record
// without it. An acronym after a dash stays: it usually names a unit
// ("University of Geneva – GEDT").
func nameVariants(s string) []string {
	if !strings.ContainsAny(s, "-–—([") {
		return []string{s}
	}
	marked := acronymMarks.Replace(s)
	parts := strings.Split(marked, "\x00")
	var kept []string
	dropped := false
	for i, p := range parts {
		bracketed := strings.HasPrefix(p, "(")
		word := strings.Trim(p, "-()[] ,")
		if (i == 0 || bracketed) && isAcronym(word) {
			dropped = true
			continue
		}
		kept = append(kept, strings.TrimLeft(p, "-"))
	}
	if !dropped || len(kept) == 0 {
		return []string{s}
	}
	return []string{s, strings.Join(kept, " ")}
}

var acronymMarks = strings.NewReplacer(" - ", "\x00-", " – ", "\x00-", " — ", "\x00-", "(", "\x00(", "[", "\x00(")

// isAcronym is whether part is one word of 2 to 7 letters written in
// capitals (NCA, UMTI, GRNET), in a name that is not all capitals.
func isAcronym(part string) bool {
	p := strings.TrimSpace(part)
	if strings.ContainsAny(p, " \t") || len(p) < 2 || len(p) > 7 {
		return false
	}
	upper := 0
	for _, r := range p {
		if unicode.IsUpper(r) {
			upper++
		} else if unicode.IsLetter(r) {
			return false
		}
	}
	return upper >= 2
}

// normalName is a name ready for comparison: its identifying tokens, in
// order, and their join (the key of the exact-name rule).
type normalName struct {
	tokens []string
	key    string
}

// normalise folds s (case, diacritics: coopgraph.Fold), splits it into
// words at punctuation, and drops legal forms and stop words. A name left
// with no token (only a legal form) keeps its folded words.
func normalise(s string) normalName {
	words := tokens(s)
	kept := dropLegalForms(words)
	out := kept[:0]
	for _, w := range kept {
		if c, ok := wordRules[w]; ok {
			if c == "" {
				continue
			}
			w = c
		}
		out = append(out, w)
	}
	if len(out) == 0 {
		out = words
	}
	return normalName{tokens: out, key: strings.Join(out, " ")}
}

// tokens is coopgraph.Tokens, with a fast path for names in ASCII (most
// of the sources' names), whose folding is only lower case.
func tokens(s string) []string {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return coopgraph.Tokens(s)
		}
	}
	lower := strings.ToLower(s) // one string; the words are slices of it
	out := make([]string, 0, 8)
	start := -1
	for i := 0; i < len(lower); i++ {
		c := lower[i]
		alnum := 'a' <= c && c <= 'z' || '0' <= c && c <= '9'
		switch {
		case alnum && start < 0:
			start = i
		case !alnum && start >= 0:
			out = append(out, lower[start:i])
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, lower[start:])
	}
	return out
}

func dropLegalForms(words []string) []string {
	out := make([]string, 0, len(words))
	for i := 0; i < len(words); {
		if n := legalFormAt(words, i); n > 0 {
			i += n
			continue
		}
		out = append(out, words[i])
		i++
	}
	return out
}

// legalFormsByFirst indexes legalForms by their first word.
var legalFormsByFirst = func() map[string][][]string {
	m := map[string][][]string{}
	for _, f := range legalForms {
		m[f[0]] = append(m[f[0]], f)
	}
	return m
}()

// legalFormAt is the length of the legal form starting at words[i], or 0.
// Single-letter forms ("s a", "e v") count only at the end of the name or
// before another legal form, where they cannot be initials of the name.
func legalFormAt(words []string, i int) int {
	best := 0
	for _, f := range legalFormsByFirst[words[i]] {
		if len(f) <= best || i+len(f) > len(words) {
			continue
		}
		match := true
		for j, w := range f {
			if words[i+j] != w {
				match = false
				break
			}
		}
		if !match {
			continue
		}
		if len(f[0]) == 1 && i+len(f) < len(words) && legalFormAt(words, i+len(f)) == 0 {
			continue
		}
		best = len(f)
	}
	return best
}

// jaroWinkler is the Jaro–Winkler similarity of a and b (0 to 1): the
// string comparison Splink and dedupe use for names, here on single words
// so that "malopoland" and "malopolska" or "krakow" and "krakowie" count
// as the same word while "technology" and "economics" do not.
func jaroWinkler(a, b string) float64 {
	if a == b {
		return 1
	}
	la, lb := len(a), len(b)
	if la == 0 || lb == 0 {
		return 0
	}
	window := max(la, lb)/2 - 1
	window = max(window, 0)
	var am, bm [64]bool
	if la > 64 || lb > 64 {
		return 0
	}
	matches := 0
	for i := 0; i < la; i++ {
		lo, hi := max(0, i-window), min(lb, i+window+1)
		for j := lo; j < hi; j++ {
			if !bm[j] && a[i] == b[j] {
				am[i], bm[j] = true, true
				matches++
				break
			}
		}
	}
	if matches == 0 {
		return 0
	}
	trans, k := 0, 0
	for i := 0; i < la; i++ {
		if !am[i] {
			continue
		}
		for !bm[k] {
			k++
		}
		if a[i] != b[k] {
			trans++
		}
		k++
	}
	m := float64(matches)
	jaro := (m/float64(la) + m/float64(lb) + (m-float64(trans)/2)/m) / 3
	prefix := 0
	for prefix < 4 && prefix < la && prefix < lb && a[prefix] == b[prefix] {
		prefix++
	}
	return jaro + float64(prefix)*0.1*(1-jaro)
}
