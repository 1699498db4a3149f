package main

import (
	"context"
	"flag"
	"io"
	"strconv"
	"strings"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/graph"
)

// pathFlags are the constraints every path query takes.
type pathFlags struct {
	types, kinds, avoid listFlag
	maxHops             int
	from, to            string
	weight              string
	structural          bool
}

func (p *pathFlags) register(fs *flag.FlagSet) {
	fs.Var(&p.types, "relation-type", "keep only relations of this `TYPE` (repeatable); every type but LOCATED_IN, PART_OF and FUNDED_BY when absent")
	fs.BoolVar(&p.structural, "structural", false, "also follow the structural relations LOCATED_IN, PART_OF and FUNDED_BY, which paths leave out by default")
	fs.Var(&p.kinds, "via-kind", "pass only through entities of this `KIND` (repeatable)")
	fs.Var(&p.avoid, "avoid", "never pass through this entity `ID` (repeatable)")
	fs.IntVar(&p.maxHops, "max-hops", 0, "at most `N` relations (0: unlimited)")
	fs.StringVar(&p.from, "active-from", "", "only relations active on or after `DATE` (YYYY, YYYY-MM or YYYY-MM-DD)")
	fs.StringVar(&p.to, "active-to", "", "only relations active on or before `DATE`")
	fs.StringVar(&p.weight, "weight", "", "rank paths by `WEIGHT`: hops (default), hub (through small projects rather than big networks), or property:NAME")
}

func (p *pathFlags) options() (graph.PathOptions, error) {
	types := coopgraph.PathRelationTypes(p.types, p.structural)
	opt := graph.PathOptions{RelationTypes: types, Kinds: p.kinds, Avoid: p.avoid, MaxHops: p.maxHops}
	if p.maxHops < 0 {
		return opt, coopgraph.Errorf(coopgraph.EINVALID, "--max-hops must not be negative")
	}
	opt.Window = timeWindow(p.from, p.to)
	switch w := p.weight; {
	case w == "" || w == "hops":
	case w == "hub":
		opt.Weight = graph.WeightHub
	case strings.HasPrefix(w, "property:") && len(w) > len("property:"):
		opt.Weight, opt.WeightProperty = graph.WeightProperty, strings.TrimPrefix(w, "property:")
	default:
		return opt, coopgraph.Errorf(coopgraph.EINVALID, "--weight %q: use hops, hub or property:NAME", w)
	}
	return opt, nil
}

// pathCmd prints how FROM is linked to TO: coopgraph path [--all | --k N] FROM TO.
func pathCmd(ctx context.Context, args []string, stdout io.Writer) error {
	var d datasetFlags
	var out outputFlag
	var p pathFlags
	var all bool
	var k int
	opts := flagFunc(func(fs *flag.FlagSet) {
		fs.BoolVar(&all, "all", false, "every shortest path, not just one")
		fs.IntVar(&k, "k", 0, "the `K` shortest simple paths (Yen), shortest first")
	})
	pos, err := parseAnalysis("path", args, 2, &out, []string{"text", "csv", "json"}, &d, &p, opts)
	if err != nil {
		return err
	}
	opt, err := p.options()
	if err != nil {
		return err
	}
	snap, err := snapshotOf(ctx, &d, "finding paths")
	if err != nil {
		return err
	}
	var paths []graph.Path
	switch {
	case k > 0:
		paths, err = snap.KShortestPaths(ctx, pos[0], pos[1], k, opt)
	case all:
		paths, _, err = snap.AllShortestPaths(pos[0], pos[1], opt, -1)
	default:
		var one *graph.Path
		one, err = snap.ShortestPath(pos[0], pos[1], opt)
		if one != nil {
			paths = []graph.Path{*one}
		}
	}
	if err != nil {
		return err
	}
	switch out.format {
	case "json":
		return writeJSON(stdout, explainPaths(snap, paths))
	case "csv":
		return writeCSV(stdout, []string{"path", "length", "cost", "hop", "from", "fromName", "relation", "type", "to", "toName", "forward"}, pathRows(snap, paths))
	}
	pr := &printer{w: stdout}
	if len(paths) == 0 {
		pr.printf("%s and %s are not connected under these constraints\n", entityName(snap, pos[0]), entityName(snap, pos[1]))
		return pr.err
	}
	for _, ep := range explainPaths(snap, paths) {
		pr.printf("%d relations (cost %s): %s\n", ep.Length, formatScore(ep.Cost), ep.Text)
	}
	return pr.err
}

// explainedPath is a path with every hop said in words.
type explainedPath struct {
	Length int       `json:"length"`
	Cost   float64   `json:"cost"`
	Text   string    `json:"text"`
	Nodes  []string  `json:"nodes"`
	Hops   []pathHop `json:"hops"`
}

type pathHop struct {
	From     string             `json:"from"`
	To       string             `json:"to"`
	Relation coopgraph.Relation `json:"relation"`
	// Relations are the ids of every kept relation between From and To,
	// Relation's among them: parallel relations are one hop.
	Relations []string `json:"relations"`
	Forward   bool     `json:"forward"` // the relation is stated from From to To
}

func explainPaths(snap *graph.Snapshot, paths []graph.Path) []explainedPath {
	out := make([]explainedPath, len(paths))
	for i, p := range paths {
		ep := explainedPath{Length: len(p.Relations), Cost: p.Cost, Nodes: p.Nodes}
		nodes := make([]coopgraph.Entity, len(p.Nodes))
		for j, id := range p.Nodes {
			nodes[j], _ = snap.Entity(id)
		}
		rels := make([]coopgraph.Relation, len(p.Relations))
		for j, rid := range p.Relations {
			rels[j], _ = snap.Relation(rid)
			ep.Hops = append(ep.Hops, pathHop{From: p.Nodes[j], To: p.Nodes[j+1], Relation: rels[j], Relations: p.Hops[j], Forward: rels[j].From == p.Nodes[j]})
		}
		ep.Text = coopgraph.PathText(nodes, rels)
		out[i] = ep
	}
	return out
}

// pathRows are the CSV rows of paths: one per hop.
func pathRows(snap *graph.Snapshot, paths []graph.Path) [][]string {
	var rows [][]string
	for i, ep := range explainPaths(snap, paths) {
		for j, h := range ep.Hops {
			rows = append(rows, []string{strconv.Itoa(i + 1), strconv.Itoa(ep.Length), formatScore(ep.Cost), strconv.Itoa(j + 1),
				text(h.From), text(entityName(snap, h.From)), text(h.Relation.ID), text(h.Relation.Type),
				text(h.To), text(entityName(snap, h.To)), strconv.FormatBool(h.Forward)})
		}
	}
	return rows
}
