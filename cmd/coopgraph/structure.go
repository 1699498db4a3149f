package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/graph"
)

// partnerFlags say what counts as cooperating.
type partnerFlags struct {
	contexts, types listFlag
	from, to        string
}

func (p *partnerFlags) register(fs *flag.FlagSet) {
	fs.Var(&p.contexts, "context-kind", "kinds of shared context: Project, Network, Event, Agreement… (repeatable; default: the engine's)")
	fs.Var(&p.types, "relation-type", "keep only relations of this `TYPE` (repeatable)")
	fs.StringVar(&p.from, "active-from", "", "only relations active on or after `DATE` (YYYY, YYYY-MM or YYYY-MM-DD)")
	fs.StringVar(&p.to, "active-to", "", "only relations active on or before `DATE`")
}

func (p *partnerFlags) options() graph.PartnerOptions {
	return graph.PartnerOptions{ContextKinds: p.contexts, RelationTypes: p.types, Window: timeWindow(p.from, p.to)}
}

// timeWindow is the window of --active-from/--active-to, nil for none.
func timeWindow(from, to string) *graph.TimeWindow {
	if from == "" && to == "" {
		return nil
	}
	return &graph.TimeWindow{From: from, To: to}
}

// partnersCmd lists who cooperates with ID, and through what:
// coopgraph partners ID [--common OTHER].
func partnersCmd(ctx context.Context, args []string, stdout io.Writer) error {
	var d datasetFlags
	var out outputFlag
	var p partnerFlags
	var common string
	opts := flagFunc(func(fs *flag.FlagSet) {
		fs.StringVar(&common, "common", "", "list the partners ID shares with entity `OTHER`")
	})
	pos, err := parseAnalysis("partners", args, 1, &out, []string{"text", "csv", "json"}, &d, &p, opts)
	if err != nil {
		return err
	}
	snap, err := snapshotOf(ctx, &d, "finding partners")
	if err != nil {
		return err
	}
	if common != "" {
		cps, err := snap.CommonPartners(pos[0], common, p.options())
		if err != nil {
			return err
		}
		switch out.format {
		case "json":
			return writeJSON(stdout, cps)
		case "csv":
			rows := make([][]string, len(cps))
			for i, c := range cps {
				rows[i] = []string{text(c.ID), text(entityName(snap, c.ID)), text(strings.Join(c.WithA, ";")), text(strings.Join(c.WithB, ";"))}
			}
			return writeCSV(stdout, []string{"partner", "name", "withA", "withB"}, rows)
		}
		pr := &printer{w: stdout}
		for _, c := range cps {
			pr.printf("%s (%s): with %s via %s; with %s via %s\n", entityName(snap, c.ID), c.ID,
				entityName(snap, pos[0]), names(snap, c.WithA), entityName(snap, common), names(snap, c.WithB))
		}
		return pr.err
	}
	partners, err := snap.Partners(pos[0], p.options())
	if err != nil {
		return err
	}
	switch out.format {
	case "json":
		return writeJSON(stdout, partners)
	case "csv":
		rows := make([][]string, len(partners))
		for i, pt := range partners {
			rows[i] = []string{text(pt.ID), text(entityName(snap, pt.ID)), strconv.Itoa(len(pt.Contexts)), text(strings.Join(pt.Contexts, ";"))}
		}
		return writeCSV(stdout, []string{"partner", "name", "shared", "contexts"}, rows)
	}
	pr := &printer{w: stdout}
	for _, pt := range partners {
		pr.printf("%3d shared  %s (%s): %s\n", len(pt.Contexts), entityName(snap, pt.ID), pt.ID, names(snap, pt.Contexts))
	}
	return pr.err
}

func names(snap *graph.Snapshot, ids []string) string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = entityName(snap, id)
	}
	return strings.Join(out, "; ")
}

// communitiesCmd finds communities with Louvain: coopgraph communities [--resolution R].
func communitiesCmd(ctx context.Context, args []string, stdout io.Writer) error {
	var d datasetFlags
	var out outputFlag
	var types listFlag
	var resolution float64
	var seed uint64
	var top int
	opts := flagFunc(func(fs *flag.FlagSet) {
		fs.IntVar(&top, "top", 20, "list the `N` largest communities (0: all)")
		fs.Float64Var(&resolution, "resolution", 1, "modularity `RESOLUTION` γ: above 1 more, smaller communities")
		fs.Uint64Var(&seed, "seed", 1, "`SEED` of the node order")
		fs.Var(&types, "relation-type", "keep only relations of this `TYPE` (repeatable)")
	})
	if _, err := parseAnalysis("communities", args, 0, &out, []string{"text", "csv", "json"}, &d, opts); err != nil {
		return err
	}
	if top < 0 {
		return coopgraph.Errorf(coopgraph.EINVALID, "--top must not be negative")
	}
	if resolution <= 0 {
		return coopgraph.Errorf(coopgraph.EINVALID, "--resolution must be positive")
	}
	snap, err := snapshotOf(ctx, &d, "finding communities (Louvain)")
	if err != nil {
		return err
	}
	c, err := snap.Communities(ctx, graph.CommunityOptions{Resolution: resolution, Seed: seed, RelationTypes: types})
	if err != nil {
		return err
	}
	switch out.format {
	case "json":
		return writeJSON(stdout, map[string]any{"modularity": c.Modularity, "count": len(c.Groups),
			"communities": c.Groups[:listed(len(c.Groups), top)]})
	case "csv":
		return writeCSV(stdout, []string{"community", "size", "id", "name", "kind"}, groupRows(snap, c.Groups, top))
	}
	pr := &printer{w: stdout}
	pr.printf("%d communities, modularity %s\n", len(c.Groups), formatScore(c.Modularity))
	printGroups(pr, snap, c.Groups, top)
	return pr.err
}

// componentsCmd lists the connected components, largest first.
func componentsCmd(ctx context.Context, args []string, stdout io.Writer) error {
	var d datasetFlags
	var out outputFlag
	var types listFlag
	var top int
	opts := flagFunc(func(fs *flag.FlagSet) {
		fs.Var(&types, "relation-type", "keep only relations of this `TYPE` (repeatable)")
		fs.IntVar(&top, "top", 20, "list the `N` largest components (0: all)")
	})
	if _, err := parseAnalysis("components", args, 0, &out, []string{"text", "csv", "json"}, &d, opts); err != nil {
		return err
	}
	if top < 0 {
		return coopgraph.Errorf(coopgraph.EINVALID, "--top must not be negative")
	}
	snap, err := snapshotOf(ctx, &d, "finding components")
	if err != nil {
		return err
	}
	cs, err := snap.Components(ctx, types)
	if err != nil {
		return err
	}
	switch out.format {
	case "json":
		return writeJSON(stdout, map[string]any{"count": len(cs), "components": cs[:listed(len(cs), top)]})
	case "csv":
		return writeCSV(stdout, []string{"component", "size", "id", "name", "kind"}, groupRows(snap, cs, top))
	}
	pr := &printer{w: stdout}
	pr.printf("%d components\n", len(cs))
	printGroups(pr, snap, cs, top)
	return pr.err
}

// brokersCmd lists who holds the network together: articulation points and
// bridges, or with --what-if ID what removing ID would break.
func brokersCmd(ctx context.Context, args []string, stdout io.Writer) error {
	var d datasetFlags
	var out outputFlag
	var types listFlag
	var whatIf string
	var first, top int
	opts := flagFunc(func(fs *flag.FlagSet) {
		fs.IntVar(&top, "top", 20, "list the first `N` articulation points and bridges (0: all)")
		fs.Var(&types, "relation-type", "keep only relations of this `TYPE` (repeatable)")
		fs.StringVar(&whatIf, "what-if", "", "say which links break if entity `ID` leaves")
		fs.IntVar(&first, "examples", 20, "with --what-if, list `N` example pairs")
	})
	if _, err := parseAnalysis("brokers", args, 0, &out, []string{"text", "csv", "json"}, &d, opts); err != nil {
		return err
	}
	if top < 0 {
		return coopgraph.Errorf(coopgraph.EINVALID, "--top must not be negative")
	}
	what := "finding brokers"
	if whatIf != "" {
		what = "comparing shortest paths without " + whatIf
	}
	snap, err := snapshotOf(ctx, &d, what)
	if err != nil {
		return err
	}
	if whatIf != "" {
		imp, err := snap.WhatIfRemoved(ctx, whatIf, types, first)
		if err != nil {
			return err
		}
		switch out.format {
		case "json":
			return writeJSON(stdout, imp)
		case "csv":
			rows := make([][]string, len(imp.Examples))
			for i, ex := range imp.Examples {
				rows[i] = []string{text(ex.A), text(entityName(snap, ex.A)), text(ex.B), text(entityName(snap, ex.B)), strconv.Itoa(ex.Before), strconv.Itoa(ex.After)}
			}
			return writeCSV(stdout, []string{"a", "aName", "b", "bName", "before", "after"}, rows)
		}
		pr := &printer{w: stdout}
		pr.printf("if %s leaves: %d pairs lose their connection, %s pairs get a longer shortest path; its component falls into pieces of %v\n",
			entityName(snap, whatIf), imp.DisconnectedPairs, longerPairs(imp), imp.Components)
		for _, ex := range imp.Examples {
			after := fmt.Sprint(ex.After)
			if ex.After < 0 {
				after = "disconnected"
			}
			pr.printf("  %s – %s: %d → %s\n", entityName(snap, ex.A), entityName(snap, ex.B), ex.Before, after)
		}
		return pr.err
	}
	aps, err := snap.ArticulationPoints(ctx, types)
	if err != nil {
		return err
	}
	bridges, err := snap.Bridges(ctx, types)
	if err != nil {
		return err
	}
	return printBrokers(stdout, snap, out.format, aps, bridges, top)
}

// printBrokers writes the first top articulation points and bridges (all
// when top is 0): JSON with their counts, CSV one row each (role
// "articulation point" or "bridge"), text one per line.
func printBrokers(stdout io.Writer, snap *graph.Snapshot, format string, aps []string, bridges []graph.Bridge, top int) error {
	na, nb := listed(len(aps), top), listed(len(bridges), top)
	switch format {
	case "json":
		return writeJSON(stdout, map[string]any{"articulationPointCount": len(aps), "bridgeCount": len(bridges),
			"articulationPoints": aps[:na], "bridges": bridges[:nb]})
	case "csv":
		var rows [][]string
		for _, id := range aps[:na] {
			rows = append(rows, []string{"articulation point", text(id), text(entityName(snap, id)), "", ""})
		}
		for _, b := range bridges[:nb] {
			rows = append(rows, []string{"bridge", text(b.A), text(entityName(snap, b.A)), text(b.B), text(entityName(snap, b.B))})
		}
		return writeCSV(stdout, []string{"role", "a", "aName", "b", "bName"}, rows)
	}
	pr := &printer{w: stdout}
	pr.printf("%d articulation points (entities whose leaving disconnects others):\n", len(aps))
	for _, id := range aps[:na] {
		pr.printf("  %s (%s)\n", entityName(snap, id), id)
	}
	if na < len(aps) {
		pr.printf("  … and %d more (--top 0 lists all)\n", len(aps)-na)
	}
	pr.printf("%d bridges (links whose loss disconnects others):\n", len(bridges))
	for _, b := range bridges[:nb] {
		pr.printf("  %s – %s\n", entityName(snap, b.A), entityName(snap, b.B))
	}
	if nb < len(bridges) {
		pr.printf("  … and %d more (--top 0 lists all)\n", len(bridges)-nb)
	}
	return pr.err
}

// longerPairs says how many pairs get longer: the exact count, or the
// estimate with its bound and the sample it comes from.
func longerPairs(imp *graph.Impact) string {
	if imp.Exact {
		return fmt.Sprint(imp.LongerPairs)
	}
	return fmt.Sprintf("about %d (± %.0f, %.0f%% confidence, from searches out of %d entities)",
		imp.LongerPairs, imp.LongerPairsBound, 100*(1-graph.WhatIfDelta), imp.Samples)
}
