package link_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/link"
)

func org(id, name, country, town string, props ...string) coopgraph.Entity {
	p := map[string]string{"country": country}
	if town != "" {
		p["town"] = town
	}
	for i := 0; i+1 < len(props); i += 2 {
		p[props[i]] = props[i+1]
	}
	return coopgraph.Entity{ID: id, Kind: "Organisation", Name: name, Properties: p}
}

func byID(ds *coopgraph.Dataset) map[string]coopgraph.Entity {
	m := map[string]coopgraph.Entity{}
	for _, e := range ds.Entities {
		m[e.ID] = e
	}
	return m
}

// TestNetworkMerges checks each rule on a small network: the merged
// entity's id, name, aliases, records and rules, and its relations.
func TestNetworkMerges(t *testing.T) {
	seed := &coopgraph.Dataset{Name: "seed", Entities: []coopgraph.Entity{
		{ID: "poland", Kind: "Country", Name: "Polska", Properties: map[string]string{"code": "PL"}},
		{ID: "agh", Kind: "Organisation", Name: "Akademia Górniczo-Hutnicza", Aliases: []string{"AGH"},
			Properties: map[string]string{"city": "Kraków", "type": "university"}},
		{ID: "p1", Kind: "Project", Name: "P1"},
	}, Relations: []coopgraph.Relation{{ID: "r-seed", Type: "PARTICIPATES_IN", From: "agh", To: "p1"}}}
	cordis := &coopgraph.Dataset{Name: "cordis-h2020", Entities: []coopgraph.Entity{
		{ID: "country:PL", Kind: "Country", Name: "Poland", Properties: map[string]string{"code": "PL"}},
		org("pic:1", "AKADEMIA GORNICZO-HUTNICZA", "PL", "", "pic", "1", "type", "HES"),
		org("pic:2", "PIC 2", "PL", "", "pic", "2"),
	}, Relations: []coopgraph.Relation{
		{Type: "LOCATED_IN", From: "pic:1", To: "country:PL"},
		{Type: "LOCATED_IN", From: "pic:2", To: "country:PL"},
	}}
	keep := &coopgraph.Dataset{Name: "keep-interreg", Entities: []coopgraph.Entity{
		org("keep:pl/a", "Marshal Office of the MałoPoland Region", "PL", "Kraków"),
		org("keep:pl/b", "Marshal office of the Malpolska Region", "PL", "Krakow"),
		org("keep:pl/c", "Cracow University of Technology", "PL", "Kraków"),
		org("keep:pl/d", "Cracow University of Economics", "PL", "Kraków"),
		org("keep:pl/e", "Akademia Gorniczo-Hutnicza", "PL", "Kraków"),
		org("keep:pl/f", "Central Mining Institute", "PL", "Katowice"),
		org("keep:pl/g", "Central Mining Instiute", "PL", "Katowice"),
		{ID: "keep:proj", Kind: "Project", Name: "PROJ"},
	}, Relations: []coopgraph.Relation{
		{Type: "PARTICIPATES_IN", From: "keep:pl/a", To: "keep:proj", Role: "partner", Document: "keep"},
		{Type: "PARTICIPATES_IN", From: "keep:pl/b", To: "keep:proj", Role: "partner", Document: "keep"},
		{Type: "PARTICIPATES_IN", From: "keep:pl/e", To: "keep:proj", Role: "partner", Document: "keep"},
	}}
	for _, ds := range []*coopgraph.Dataset{cordis, keep} {
		for i := range ds.Relations {
			ds.Relations[i].ID = coopgraph.RelationKey(ds.Relations[i])
		}
	}
	out, rep, err := link.Network("linked", []*coopgraph.Dataset{seed, cordis, keep}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ents := byID(out)
	if _, ok := ents["country:PL"]; ok {
		t.Error("country:PL kept beside the seed's poland: same code must be one entity")
	}
	if got := ents["poland"].Records; len(got) != 2 || got[1].Rule != link.RuleSameCode {
		t.Errorf("poland's records = %+v, want seed's and CORDIS's, the second by %q", got, link.RuleSameCode)
	}
	checkAGH(t, ents["agh"])
	checkMergedRelations(t, out, rep)
	if _, ok := ents["pic:2"]; !ok {
		t.Error("an unnamed CORDIS organisation (PIC 2) must stay itself")
	}
	marshal := ents["keep:pl/a"]
	if len(marshal.Records) != 2 || marshal.Records[1].Rule != link.RuleSameName || marshal.Records[1].Place != "Krakow, PL" {
		t.Errorf("marshal office records %+v: two spellings of one name (MałoPoland, Malpolska) in one town", marshal.Records)
	}
	if r := ents["keep:pl/f"].Records; len(r) != 2 || r[1].Rule != link.RuleSimilarName {
		t.Errorf("central mining institute records %+v: a misspelling in one town, similar names", r)
	}
	if _, ok := ents["keep:pl/c"]; !ok || ents["keep:pl/d"].ID == "" {
		t.Error("Cracow University of Technology and of Economics must stay two entities")
	}
}

// checkAGH: the seed's AGH, CORDIS's and keep.eu's are one entity.
func checkAGH(t *testing.T, agh coopgraph.Entity) {
	t.Helper()
	if len(agh.Records) != 3 {
		t.Fatalf("agh made of %d records, want 3 (seed, CORDIS, keep.eu): %+v", len(agh.Records), agh.Records)
	}
	if agh.Name != "Akademia Górniczo-Hutnicza" || !slices.Contains(agh.Aliases, "AKADEMIA GORNICZO-HUTNICZA") {
		t.Errorf("agh = %q aliases %v: the seed's name, every other spelling an alias", agh.Name, agh.Aliases)
	}
	if agh.Properties["type"] != "university" || agh.Properties["pic"] != "1" {
		t.Errorf("agh properties %v: first record wins, others fill in", agh.Properties)
	}
	if !slices.ContainsFunc(agh.Facts, func(f coopgraph.Fact) bool { return f.Property == "type" && f.Value == "HES" }) {
		t.Errorf("agh facts %v: the conflicting type HES must be kept", agh.Facts)
	}
}

// checkMergedRelations: relations re-pointed to the kept ids, the two
// keep.eu spellings' participations in one project folded into one.
func checkMergedRelations(t *testing.T, out *coopgraph.Dataset, rep link.Report) {
	t.Helper()
	// two keep.eu spellings' participations in one project are one relation
	n := 0
	for _, r := range out.Relations {
		if r.To == "keep:proj" && r.From == "keep:pl/a" {
			n++
		}
		if r.From == "keep:pl/b" || r.To == "country:PL" {
			t.Errorf("relation %+v not re-pointed to the kept ids", r)
		}
	}
	if n != 1 || rep.FoldedRelations != 1 {
		t.Errorf("%d office participations, %d folded: want 1 and 1", n, rep.FoldedRelations)
	}
	if rep.Records != 14 || rep.Entities != len(out.Entities) || len(rep.Merges) != 4 {
		t.Errorf("report %d records, %d entities, %d merges", rep.Records, rep.Entities, len(rep.Merges))
	}
}

// TestNetworkCuratedLinks: same-as merges what the rules would not; not-same-as
// keeps apart what they would merge, even through a third record.
func TestNetworkCuratedLinks(t *testing.T) {
	ds := &coopgraph.Dataset{Name: "keep-interreg", Entities: []coopgraph.Entity{
		org("k:1", "MaloPoland Region", "PL", "Kraków"),
		org("k:2", "Marshal Office of the Malopolska Region", "PL", "Kraków"),
		org("k:3", "Elk City Municipality", "PL", "Ełk"),
		org("k:4", "Ełk City Municipality", "PL", "Ełk"),
	}}
	links, err := link.ReadLinks(strings.NewReader(`# test
a,b,same,reason
k:2,name:PL:The Malopolska Region,yes,the regional government
k:3,k:4,no,two bodies
`), "links.csv")
	if err != nil {
		t.Fatal(err)
	}
	out, rep, err := link.Network("linked", []*coopgraph.Dataset{ds}, links)
	if err != nil {
		t.Fatal(err)
	}
	ents := byID(out)
	if r := ents["k:1"].Records; len(r) != 2 || r[1].ID != "k:2" || r[1].Rule != "curated link: the regional government" {
		t.Errorf("k:1 records %+v: the curated link must merge k:2 with its reason", r)
	}
	if _, ok := ents["k:4"]; !ok || len(rep.Blocked) == 0 {
		t.Errorf("k:3 and k:4 must stay apart and the refused merge be reported (blocked %v)", rep.Blocked)
	}
	_, rep, err = link.Network("linked", []*coopgraph.Dataset{ds}, link.Links{{A: "k:1", B: "nothing", Same: true, Reason: "x", Line: 7}})
	if err != nil || len(rep.Unresolved) != 1 || rep.Unresolved[0] != "line 7: nothing names no record" {
		t.Errorf("a link to no record: err %v, unresolved %q", err, rep.Unresolved)
	}
}

func TestNetworkKindConflict(t *testing.T) {
	a := &coopgraph.Dataset{Name: "seed", Entities: []coopgraph.Entity{{ID: "x", Kind: "Region", Name: "X"}}}
	b := &coopgraph.Dataset{Name: "nuts", Entities: []coopgraph.Entity{{ID: "x", Kind: "Organisation", Name: "X"}}}
	_, _, err := link.Network("linked", []*coopgraph.Dataset{a, b}, nil)
	if err == nil || !strings.Contains(err.Error(), "x is a Region in dataset seed but a Organisation in dataset nuts") {
		t.Errorf("err = %v, want both kinds and datasets named", err)
	}
}

func TestReadLinksProblems(t *testing.T) {
	_, err := link.ReadLinks(strings.NewReader("a,b,same,reason\nx,y,maybe,r\nx,,yes,r\n"), "data/links.csv")
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{`data/links.csv:2: same is "maybe"`, "data/links.csv:3: a link needs a, b and a reason"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if coopgraph.ErrorCode(err) != coopgraph.EINVALID {
		t.Errorf("code %s", coopgraph.ErrorCode(err))
	}
}

// TestNetworkDeterministic: the same input gives the same output, entity
// for entity and relation for relation.
func TestNetworkDeterministic(t *testing.T) {
	if testing.Short() {
		t.Skip("reads the real datasets")
	}
	sets := realDatasets(t)
	a, _, err := link.Network("linked", sets, curatedLinks(t))
	if err != nil {
		t.Fatal(err)
	}
	b, _, _ := link.Network("linked", sets, curatedLinks(t))
	if len(a.Entities) != len(b.Entities) || len(a.Relations) != len(b.Relations) {
		t.Fatal("sizes differ between two runs")
	}
	for i := range a.Entities {
		if a.Entities[i].ID != b.Entities[i].ID || len(a.Entities[i].Records) != len(b.Entities[i].Records) {
			t.Fatalf("entity %d: %s vs %s", i, a.Entities[i].ID, b.Entities[i].ID)
		}
	}
	for i := range a.Relations {
		if a.Relations[i].ID != b.Relations[i].ID {
			t.Fatalf("relation %d: %s vs %s", i, a.Relations[i].ID, b.Relations[i].ID)
		}
	}
}

// TestMalopolskaOrganisations: the issue's own examples on the real data.
func TestMalopolskaOrganisations(t *testing.T) {
	if testing.Short() {
		t.Skip("reads the real datasets")
	}
	out, rep, err := link.Network("linked", realDatasets(t), curatedLinks(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Unresolved) > 0 {
		t.Errorf("curated links naming no record of the real network: %q", rep.Unresolved)
	}
	of := entityOf(out)
	same := [][]string{
		{"umwm", "keep:pl/malopoland-region", "keep:pl/the-malopolska-region", "keep:pl/wojewodztwo-malopolskie",
			"keep:pl/marshal-office-of-the-malopoland-region", "keep:pl/marshal-office-of-the-malpolska-region",
			"keep:pl/malopoland-region-marshal-office-of-the-malopoland-region"},
		{"agh", "pic:999844573", "keep:pl/agh-university-of-science-and-technology"},
		{"pic:999642716", "keep:pl/jagiellonian-university"},
		{"poland", "country:PL"},
	}
	for _, group := range same {
		for _, id := range group[1:] {
			if of[id] != of[group[0]] || of[id] == "" {
				t.Errorf("%s is entity %q, want %s's entity %q", id, of[id], group[0], of[group[0]])
			}
		}
	}
	apart := [][2]string{
		{"keep:pl/cracow-university-of-technology", "keep:pl/cracow-university-of-economics"},
		{"umwm", "keep:pl/association-of-communes-and-cities-of-malopolska-region"},
		{"umwm", "malopolskie"}, {"umwm", "sejmik-malopolskie"}, {"umwm", "dpr-malopolskie"},
	}
	for _, p := range apart {
		if of[p[0]] == of[p[1]] {
			t.Errorf("%s and %s are one entity %s: they must stay apart", p[0], p[1], of[p[0]])
		}
	}
}

// TestNetworkRunTogetherWords: a space lost or added by the publisher
// ("InteriorBIC", "Technolo gies") does not keep two spellings apart;
// two different words of a name still do.
func TestNetworkRunTogetherWords(t *testing.T) {
	ds := &coopgraph.Dataset{Name: "keep-interreg", Entities: []coopgraph.Entity{
		org("k:1", "Centro Empresarial da Beira Interior BIC Business Centre da Beira Interior", "PT", "Covilhã"),
		org("k:2", "Centro Empresarial da Beira InteriorBIC Business Centre da Beira Interior", "PT", "Covilhã"),
		org("k:3", "Université des Sciences et Technolo gies de Lille", "FR", "Villeneuve d'Ascq"),
		org("k:4", "Université des sciences et technologies de Lille", "FR", "Villeneuve d'Ascq"),
		org("k:5", "Université des sciences humaines de Lille", "FR", "Villeneuve d'Ascq"),
	}}
	out, _, err := link.Network("linked", []*coopgraph.Dataset{ds}, nil)
	if err != nil {
		t.Fatal(err)
	}
	of := entityOf(out)
	if of["k:1"] != of["k:2"] || of["k:3"] != of["k:4"] {
		t.Errorf("run-together words kept apart: %v", of)
	}
	if of["k:5"] == of["k:3"] {
		t.Errorf("sciences humaines merged with sciences et technologies: %v", of)
	}
}

// TestRealNetworkAcrossSources: on the real imports, the seed's country,
// regions and programme are one entity with NUTS's and CORDIS's records of
// them (same code, same NUTS code, same id), CORDIS's organisations carry
// their PIC, and no relation points to a record merged away.
func TestRealNetworkAcrossSources(t *testing.T) {
	if testing.Short() {
		t.Skip("reads the real datasets")
	}
	sets := realDatasets(t)
	out, _, err := link.Network("linked", sets, curatedLinks(t))
	if err != nil {
		t.Fatal(err)
	}
	ents := byID(out)
	datasetsOf := func(id string) []string {
		var ds []string
		for _, r := range ents[id].Records {
			ds = append(ds, r.Dataset)
		}
		return ds
	}
	if _, ok := ents["country:PL"]; ok {
		t.Error("country:PL kept beside the seed's poland")
	}
	if ds := datasetsOf("poland"); !slices.Contains(ds, "nuts") || !slices.Contains(ds, "cordis-h2020") || !slices.Contains(ds, "keep-interreg") {
		t.Errorf("poland's records come from %v, want the seed, nuts, cordis-h2020 and keep-interreg", ds)
	}
	regions := 0
	for _, e := range sets[0].Entities {
		code := e.Properties["nuts"]
		if e.Kind != "Region" || code == "" {
			continue
		}
		regions++
		if _, ok := ents[e.ID]; !ok {
			t.Errorf("seed region %s (nuts %s) lost its id", e.ID, code)
		}
		if _, ok := ents["nuts:"+code]; ok {
			t.Errorf("nuts:%s kept beside the seed's %s", code, e.ID)
		}
		if r := ents[e.ID].Records; !slices.ContainsFunc(r, func(r coopgraph.Record) bool {
			return r.ID == "nuts:"+code && r.Rule == link.RuleSameNUTS
		}) {
			t.Errorf("seed region %s: records %+v lack nuts:%s by %q", e.ID, r, code, link.RuleSameNUTS)
		}
	}
	if regions < 5 {
		t.Errorf("%d seed regions with a nuts code, want the seed's Polish, Spanish, Italian… regions", regions)
	}
	if ds := datasetsOf("horizon-2020"); !slices.Equal(ds, []string{"seed", "cordis-h2020"}) || ents["horizon-2020"].Name != "Horizon 2020" {
		t.Errorf("horizon-2020's records come from %v, want the seed's then CORDIS's", ds)
	}
	pics := 0
	for _, e := range sets[2].Entities {
		if pic, ok := strings.CutPrefix(e.ID, "pic:"); ok && e.Kind == "Organisation" {
			pics++
			if e.Properties["pic"] != pic {
				t.Fatalf("CORDIS organisation %s has pic %q", e.ID, e.Properties["pic"])
			}
		}
	}
	if pics < 20000 {
		t.Errorf("%d CORDIS organisations with a PIC", pics)
	}
	checkRepointed(t, out, ents)
}

// checkRepointed: every relation's ends are entities of the linked network.
func checkRepointed(t *testing.T, out *coopgraph.Dataset, ents map[string]coopgraph.Entity) {
	t.Helper()
	bad := 0
	for _, r := range out.Relations {
		_, fromOK := ents[r.From]
		_, toOK := ents[r.To]
		if fromOK && toOK {
			continue
		}
		if bad++; bad <= 5 {
			t.Errorf("relation %s %s %s: an end is no entity of the linked network", r.From, r.Type, r.To)
		}
	}
	if bad > 0 {
		t.Errorf("%d relations with an end not in the network", bad)
	}
}
