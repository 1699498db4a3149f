package scope

import (
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/graph"
)

// Args are the named arguments of an export's scope as the user wrote
// them, keyed by their names in Params (the query parameters of
// /export/{format}), each value as given. The server reads them from the
// URL query, the CLI from its flags; Parse holds the rules for both, so
// that the same mistake gets the same message from either.
type Args map[string][]string

// Params are the arguments of a scope, in the order the messages list
// them, each with the scope it belongs to ("" for any scope). path,
// neighbourhood and community choose the scope; the others refine it.
var Params = []struct{ Name, Scope string }{
	{"path", "path"}, {"all", "path"}, {"k", "path"}, {"maxHops", "path"}, {"structural", "path"},
	{"neighbourhood", "neighbourhood"}, {"depth", "neighbourhood"},
	{"community", "community"}, {"resolution", "community"}, {"seed", "community"},
	{"relationType", ""}, {"measure", ""},
}

// Spelling turns an argument's name in Params into the way the user wrote
// it, for messages: "maxHops" in a query, "--max-hops" on the command line.
type Spelling func(name string) string

// QuerySpelling names arguments as /export/{format}'s query does.
func QuerySpelling(name string) string { return name }

// FlagSpelling names arguments as `coopgraph export`'s flags do.
func FlagSpelling(name string) string { return "--" + FlagName(name) }

// FlagName is the flag of the argument name: maxHops becomes max-hops.
func FlagName(name string) string {
	var b strings.Builder
	for _, r := range name {
		if 'A' <= r && r <= 'Z' {
			b.WriteByte('-')
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Parse reads a scope from its arguments:
//
//   - none of path, neighbourhood, community: the whole network;
//   - path=FROM,TO: a shortest path, with all=1 every shortest path or
//     k=N the N shortest; maxHops=N bounds their length; they follow
//     every relation type but the structural ones (LOCATED_IN, PART_OF,
//     FUNDED_BY) unless relationType
//     names types or structural=1 (coopgraph.PathRelationTypes);
//   - neighbourhood=ID: the entity and all within depth=N relations (1
//     unless given, at most MaxDepth);
//   - community=I: the I-th largest community (1 the largest) of the
//     partition with resolution=R (1) and seed=S (1), as the API computes it;
//   - relationType=T (repeatable, or comma-separated): only these
//     relations, for every scope;
//   - measure=M: each entity's centrality score as an attribute.
//
// An unknown argument, a repeated one (but relationType), one of a scope
// not chosen (it would silently do nothing), or a value of the wrong form
// is an EINVALID error naming it as spell writes it (nil: QuerySpelling).
// Limits and the existence of ids are Select's to check.
func Parse(args Args, spell Spelling) (Scope, error) {
	if spell == nil {
		spell = QuerySpelling
	}
	var sc Scope
	chosen, err := chosenScope(args, spell)
	if err != nil {
		return sc, err
	}
	if err := checkArgs(args, chosen, spell); err != nil {
		return sc, err
	}
	for _, v := range args["relationType"] {
		for _, t := range strings.Split(v, ",") {
			if t = strings.TrimSpace(t); t != "" {
				sc.RelationTypes = append(sc.RelationTypes, t)
			}
		}
	}
	if m := first(args, "measure"); m != "" {
		sc.Measure = graph.Measure(strings.ToUpper(m))
	}
	a := parser{args: args, spell: spell}
	switch chosen {
	case "path":
		sc.Path, err = a.path()
	case "neighbourhood":
		sc.Neighbourhood, err = a.neighbourhood()
	case "community":
		sc.Community, err = a.community()
	}
	return sc, err
}

// chosenScope is the one of path, neighbourhood and community given, or ""
// for the whole network.
func chosenScope(args Args, spell Spelling) (string, error) {
	chosen := ""
	for _, name := range []string{"path", "neighbourhood", "community"} {
		if _, ok := args[name]; ok {
			if chosen != "" {
				return "", coopgraph.Errorf(coopgraph.EINVALID, "choose one of %s, %s and %s, not %s and %s",
					spell("path"), spell("neighbourhood"), spell("community"), spell(chosen), spell(name))
			}
			chosen = name
		}
	}
	return chosen, nil
}

// checkArgs refuses unknown arguments, repeated ones, and those of a scope
// other than chosen, in name order so that the message does not depend on
// the order of a map.
func checkArgs(args Args, chosen string, spell Spelling) error {
	belongs := make(map[string]string, len(Params))
	var names []string
	for _, p := range Params {
		belongs[p.Name] = p.Scope
		names = append(names, spell(p.Name))
	}
	for _, name := range slices.Sorted(maps.Keys(args)) {
		scope, ok := belongs[name]
		switch {
		case !ok:
			return coopgraph.Errorf(coopgraph.EINVALID, "unknown parameter %q: the parameters are %s and %s",
				spell(name), strings.Join(names[:len(names)-1], ", "), names[len(names)-1])
		case name != "relationType" && len(args[name]) > 1:
			return coopgraph.Errorf(coopgraph.EINVALID, "%s is given %d times", spell(name), len(args[name]))
		case scope != "" && scope != chosen:
			return coopgraph.Errorf(coopgraph.EINVALID, "%s goes with %s", spell(name), spell(scope))
		}
	}
	return nil
}

// first is the value of the argument name, "" when absent.
func first(args Args, name string) string {
	if v := args[name]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// parser reads the values of one scope's arguments.
type parser struct {
	args  Args
	spell Spelling
}

func (a parser) has(name string) bool { _, ok := a.args[name]; return ok }

func (a parser) invalid(format string, name string, v any) error {
	return coopgraph.Errorf(coopgraph.EINVALID, "%s "+format, a.spell(name), v)
}

// int reads a whole number, def when absent.
func (a parser) int(name string, def int) (int, error) {
	if !a.has(name) {
		return def, nil
	}
	v, err := strconv.Atoi(first(a.args, name))
	if err != nil {
		return 0, a.invalid("must be a whole number (got %q)", name, first(a.args, name))
	}
	return v, nil
}

// positive reads a whole number that must be at least 1 when given, 0
// when absent.
func (a parser) positive(name string) (int, error) {
	v, err := a.int(name, 0)
	if err == nil && a.has(name) && v < 1 {
		err = a.invalid("must be at least 1 (got %d)", name, v)
	}
	return v, err
}

func (a parser) path() (*Path, error) {
	ends := strings.Split(first(a.args, "path"), ",")
	if len(ends) != 2 || ends[0] == "" || ends[1] == "" {
		return nil, a.invalid("must be two entity ids, FROM,TO (got %q)", "path", first(a.args, "path"))
	}
	p := &Path{From: ends[0], To: ends[1]}
	var err error
	if a.has("all") {
		if p.All, err = strconv.ParseBool(first(a.args, "all")); err != nil {
			return nil, a.invalid("must be 1 or 0 (got %q)", "all", first(a.args, "all"))
		}
	}
	if a.has("structural") {
		if p.Structural, err = strconv.ParseBool(first(a.args, "structural")); err != nil {
			return nil, a.invalid("must be 1 or 0 (got %q)", "structural", first(a.args, "structural"))
		}
	}
	if p.K, err = a.positive("k"); err != nil {
		return nil, err
	}
	if p.MaxHops, err = a.positive("maxHops"); err != nil {
		return nil, err
	}
	return p, nil
}

func (a parser) neighbourhood() (*Neighbourhood, error) {
	nb := &Neighbourhood{ID: first(a.args, "neighbourhood")}
	if nb.ID == "" {
		return nil, coopgraph.Errorf(coopgraph.EINVALID, "%s must be an entity id", a.spell("neighbourhood"))
	}
	var err error
	nb.Depth, err = a.int("depth", 1)
	return nb, err
}

func (a parser) community() (*Community, error) {
	c := &Community{Resolution: 1, Seed: 1}
	var err error
	if c.Index, err = a.int("community", 0); err != nil {
		return nil, err
	}
	if a.has("resolution") {
		v := first(a.args, "resolution")
		if c.Resolution, err = strconv.ParseFloat(v, 64); err != nil || !(c.Resolution > 0) {
			return nil, a.invalid("must be a positive number (got %q)", "resolution", v)
		}
	}
	if a.has("seed") {
		v := first(a.args, "seed")
		if c.Seed, err = strconv.ParseUint(v, 10, 64); err != nil {
			return nil, a.invalid("must be a whole number from 0 (got %q)", "seed", v)
		}
	}
	return c, nil
}
