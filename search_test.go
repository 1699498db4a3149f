package coopgraph

import (
	"reflect"
	"testing"
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
