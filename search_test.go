package coopgraph

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"
)

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"Małopolska":               "malopolska",
		"Śląskie":                  "slaskie",
		"Województwo Łódzkie":      "wojewodztwo lodzkie",
		"Generalitat de Catalunya": "generalitat de catalunya",
		"Straße Øresund Æble":      "strasse oresund aeble",
		"Département d’Empresa":    "departement d'empresa",
	} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTokens(t *testing.T) {
	got := Tokens(`Euroregion "Tatry" – Dom Polski Południowej (krk UrbanHub.pl)`)
	want := []string{"euroregion", "tatry", "dom", "polski", "poludniowej", "krk", "urbanhub", "pl"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Tokens = %q, want %q", got, want)
	}
}

func TestSearchRanking(t *testing.T) {
	region := Entity{ID: "malopolskie", Kind: "Region", Name: "Województwo Małopolskie", Aliases: []string{"Małopolska", "Lesser Poland"}}
	office := Entity{ID: "office", Kind: "Organisation", Name: "Biuro Regionalne Województwa Małopolskiego w Brukseli", Aliases: []string{"Małopolska Regional Office in Brussels"}}
	agency := Entity{ID: "agency", Kind: "Organisation", Name: "Małopolska Agencja Rozwoju Regionalnego"}
	poland := Entity{ID: "poland", Kind: "Country", Name: "Polska", Aliases: []string{"Poland"}}
	all := []Entity{office, agency, poland, region}

	cases := []struct {
		text  string
		kinds []string
		want  []string
	}{
		{"Malopolska", nil, []string{"malopolskie", "agency", "office"}}, // exact alias, then prefix name, then prefix alias
		{"lesser poland", nil, []string{"malopolskie"}},
		{"pol", nil, []string{"poland", "malopolskie"}}, // prefix of name beats a word of an alias
		{"Malopolska", []string{"Organisation"}, []string{"agency", "office"}},
		{"brussels malopolska", nil, []string{"office"}}, // words spread over one alias
		{"zzz", nil, nil},
	}
	for _, c := range cases {
		q, err := SearchQuery(c.text, c.kinds)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range RankSearch(all, q, c.kinds, 10) {
			got = append(got, e.ID)
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("search %q %v = %v, want %v", c.text, c.kinds, got, c.want)
		}
	}
}

func TestSearchQueryRefusesNothingAndTooLong(t *testing.T) {
	if _, err := SearchQuery(" -- ", nil); ErrorCode(err) != EINVALID {
		t.Errorf("empty query: got %v, want INVALID_ARGUMENT", err)
	}
	long := make([]byte, MaxSearchText+1)
	for i := range long {
		long[i] = 'a'
	}
	if _, err := SearchQuery(string(long), nil); ErrorCode(err) != ELIMIT {
		t.Errorf("long query: got %v, want LIMIT_EXCEEDED", err)
	}
	if _, err := SearchQuery("tatry", []string{"Mountain"}); ErrorCode(err) != EINVALID {
		t.Errorf("unknown kind: got %v, want INVALID_ARGUMENT", err)
	}
}

// TestSearchOrderKey: sorting by SearchOrderKey, compared byte by byte or
// by UTF-16 units as Neo4j compares strings, gives SearchOrder's order,
// on names and ids with diacritics, other scripts, characters beyond the
// BMP and above U+E000 (where the two string orders differ), prefixes
// and equal folded names.
func TestSearchOrderKey(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 2))
	alphabet := []rune{'a', 'b', 'A', 'ł', 'Ł', 'é', 'ż', 'Σ', '中', '\uE000', '\uFF21', '𝔸', '😀', ' ', '-', '1'}
	word := func() string {
		r := make([]rune, rng.IntN(5))
		for i := range r {
			r[i] = alphabet[rng.IntN(len(alphabet))]
		}
		return string(r)
	}
	var es []Entity
	for i := range 3000 {
		es = append(es, Entity{ID: word() + fmt.Sprint(i%7), Name: word()})
	}
	utf16Less := func(a, b string) int { return slices.Compare(utf16.Encode([]rune(a)), utf16.Encode([]rune(b))) }
	for i := range 20000 {
		a, b := es[rng.IntN(len(es))], es[rng.IntN(len(es))]
		if i%10 == 0 {
			b.ID = a.ID + word() // a prefix of the other id
			b.Name = a.Name
		}
		want := SearchOrder(Fold(a.Name), a.ID, Fold(b.Name), b.ID)
		ka, kb := SearchOrderKey(a), SearchOrderKey(b)
		if got := strings.Compare(ka, kb); got != want {
			t.Fatalf("%q/%q vs %q/%q: bytes compare %d, SearchOrder %d", a.Name, a.ID, b.Name, b.ID, got, want)
		}
		if got := utf16Less(ka, kb); got != want {
			t.Fatalf("%q/%q vs %q/%q: UTF-16 compare %d, SearchOrder %d", a.Name, a.ID, b.Name, b.ID, got, want)
		}
	}
}

// TestSearchNamesGiveTheBestRanks: an entity ranks RankPrefixAlias or
// better exactly when one of its SearchNames starts with the query's
// words joined by spaces, and the rank follows from which one (what the
// Neo4j store asks Cypher).
func TestSearchNamesGiveTheBestRanks(t *testing.T) {
	es := []Entity{
		{ID: "1", Name: "Małopolska Region", Aliases: []string{"Malopolska", "Region of Lesser Poland"}},
		{ID: "2", Name: "Region Małopolska"},
		{ID: "3", Name: "...", Aliases: []string{"Dom Polski"}},
		{ID: "4", Name: "Dom"},
	}
	for _, text := range []string{"małopolska", "malopolska r", "region", "region of", "dom", "dom pol", "pol", "lesser"} {
		q := Tokens(text)
		joined := strings.Join(q, " ")
		for _, e := range es {
			names := SearchNames(e)
			want := -1
			switch {
			case names[0] == joined:
				want = RankExactName
			case slices.Contains(names[1:], joined):
				want = RankExactAlias
			case strings.HasPrefix(names[0], joined):
				want = RankPrefixName
			case slices.ContainsFunc(names[1:], func(n string) bool { return strings.HasPrefix(n, joined) }):
				want = RankPrefixAlias
			}
			r, ok := SearchRank(e, q)
			if !ok || r > RankPrefixAlias {
				r = -1
			}
			if r != want {
				t.Errorf("%q in %q (names %q): rank %d, the names say %d", text, e.Name, names, r, want)
			}
		}
	}
}
