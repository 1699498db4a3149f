package scope_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/export/scope"
)

// Every mistake in a scope's arguments is one message, spelled as the
// user wrote the argument: the CLI and the server cannot drift apart.
func TestParseRefusesWithOneMessageForBothSpellings(t *testing.T) {
	for _, c := range []struct {
		args        scope.Args
		query, flag string
	}{
		{scope.Args{"path": {"a,b"}, "neighbourhood": {"a"}}, "choose one of path, neighbourhood and community, not path and neighbourhood",
			"choose one of --path, --neighbourhood and --community, not --path and --neighbourhood"},
		{scope.Args{"maxHops": {"2"}}, "maxHops goes with path", "--max-hops goes with --path"},
		{scope.Args{"path": {"a,b"}, "seed": {"2"}}, "seed goes with community", "--seed goes with --community"},
		{scope.Args{"neighbourhood": {"a"}, "depth": {"1", "2"}}, "depth is given 2 times", "--depth is given 2 times"},
		{scope.Args{"neighborhood": {"a"}}, `unknown parameter "neighborhood": the parameters are path, all, k, maxHops, structural, neighbourhood, depth, community, resolution, seed, relationType and measure`,
			`unknown parameter "--neighborhood": the parameters are --path, --all, --k, --max-hops, --structural, --neighbourhood, --depth, --community, --resolution, --seed, --relation-type and --measure`},
		{scope.Args{"path": {"a"}}, `path must be two entity ids, FROM,TO (got "a")`, `--path must be two entity ids, FROM,TO (got "a")`},
		{scope.Args{"path": {"a,b,c"}}, `path must be two entity ids, FROM,TO (got "a,b,c")`, `--path must be two entity ids, FROM,TO (got "a,b,c")`},
		{scope.Args{"path": {"a,b"}, "all": {"maybe"}}, `all must be 1 or 0 (got "maybe")`, `--all must be 1 or 0 (got "maybe")`},
		{scope.Args{"path": {"a,b"}, "structural": {"yes please"}}, `structural must be 1 or 0 (got "yes please")`, `--structural must be 1 or 0 (got "yes please")`},
		{scope.Args{"structural": {"1"}}, "structural goes with path", "--structural goes with --path"},
		{scope.Args{"path": {"a,b"}, "k": {"many"}}, `k must be a whole number (got "many")`, `--k must be a whole number (got "many")`},
		{scope.Args{"path": {"a,b"}, "k": {"0"}}, "k must be at least 1 (got 0)", "--k must be at least 1 (got 0)"},
		{scope.Args{"path": {"a,b"}, "maxHops": {"0"}}, "maxHops must be at least 1 (got 0)", "--max-hops must be at least 1 (got 0)"},
		{scope.Args{"neighbourhood": {""}}, "neighbourhood must be an entity id", "--neighbourhood must be an entity id"},
		{scope.Args{"neighbourhood": {"a"}, "depth": {"deep"}}, `depth must be a whole number (got "deep")`, `--depth must be a whole number (got "deep")`},
		{scope.Args{"community": {"first"}}, `community must be a whole number (got "first")`, `--community must be a whole number (got "first")`},
		{scope.Args{"community": {"1"}, "resolution": {"-1"}}, `resolution must be a positive number (got "-1")`, `--resolution must be a positive number (got "-1")`},
		{scope.Args{"community": {"1"}, "resolution": {"NaN"}}, `resolution must be a positive number (got "NaN")`, `--resolution must be a positive number (got "NaN")`},
		{scope.Args{"community": {"1"}, "seed": {"-1"}}, `seed must be a whole number from 0 (got "-1")`, `--seed must be a whole number from 0 (got "-1")`},
	} {
		for _, s := range []struct {
			spell scope.Spelling
			want  string
		}{{scope.QuerySpelling, c.query}, {scope.FlagSpelling, c.flag}} {
			_, err := scope.Parse(c.args, s.spell)
			if coopgraph.ErrorCode(err) != coopgraph.EINVALID || coopgraph.ErrorMessage(err) != s.want {
				t.Errorf("%v: %v (%s); want EINVALID %q", c.args, err, coopgraph.ErrorCode(err), s.want)
			}
		}
	}
}

func TestParseReadsEveryScope(t *testing.T) {
	for _, c := range []struct {
		args scope.Args
		want scope.Scope
	}{
		{scope.Args{}, scope.Scope{}},
		{scope.Args{"relationType": {"MEMBER_OF, PARTNER_IN", "FUNDED_BY"}, "measure": {"pagerank"}},
			scope.Scope{RelationTypes: []string{"MEMBER_OF", "PARTNER_IN", "FUNDED_BY"}, Measure: "PAGERANK"}},
		{scope.Args{"path": {"a,b"}}, scope.Scope{Path: &scope.Path{From: "a", To: "b"}}},
		{scope.Args{"path": {"a,b"}, "all": {"true"}, "maxHops": {"4"}}, scope.Scope{Path: &scope.Path{From: "a", To: "b", All: true, MaxHops: 4}}},
		{scope.Args{"path": {"a,b"}, "k": {"3"}}, scope.Scope{Path: &scope.Path{From: "a", To: "b", K: 3}}},
		{scope.Args{"neighbourhood": {"a"}}, scope.Scope{Neighbourhood: &scope.Neighbourhood{ID: "a", Depth: 1}}},
		{scope.Args{"neighbourhood": {"a"}, "depth": {"2"}}, scope.Scope{Neighbourhood: &scope.Neighbourhood{ID: "a", Depth: 2}}},
		{scope.Args{"community": {"2"}}, scope.Scope{Community: &scope.Community{Index: 2, Resolution: 1, Seed: 1}}},
		{scope.Args{"community": {"1"}, "resolution": {"0.5"}, "seed": {"7"}}, scope.Scope{Community: &scope.Community{Index: 1, Resolution: 0.5, Seed: 7}}},
	} {
		got, err := scope.Parse(c.args, nil)
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("%v: %+v, %v; want %+v", c.args, got, err, c.want)
		}
	}
}

func TestFlagName(t *testing.T) {
	for _, p := range scope.Params {
		f := scope.FlagName(p.Name)
		if f != strings.ToLower(f) || strings.ReplaceAll(f, "-", "") != strings.ToLower(p.Name) {
			t.Errorf("FlagName(%q) = %q", p.Name, f)
		}
	}
	if got := scope.FlagName("relationType"); got != "relation-type" {
		t.Errorf("FlagName(relationType) = %q", got)
	}
}
