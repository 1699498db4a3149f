package main

// The analysis commands answer from the engine, like the API, for scripting:
// the same snapshot code, the same answers.

import (
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/export"
	"github.com/coopgraph/coopgraph/graph"
)

// listFlag is a repeatable or comma-separated flag: --kind Region,Network.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*l = append(*l, s)
		}
	}
	return nil
}

// outputFlag chooses the output format.
type outputFlag struct{ format string }

func (o *outputFlag) register(fs *flag.FlagSet) {
	fs.StringVar(&o.format, "format", "text", "output `FORMAT`: text, csv or json")
}

func (o *outputFlag) check(allowed ...string) error {
	for _, a := range allowed {
		if o.format == a {
			return nil
		}
	}
	return coopgraph.Errorf(coopgraph.EINVALID, "--format %q: use one of %s", o.format, strings.Join(allowed, ", "))
}

// parseAnalysis parses an analysis command's arguments, the output flag
// among them, and checks the format is one the command writes.
func parseAnalysis(name string, args []string, positional int, out *outputFlag, formats []string, groups ...flagGroup) ([]string, error) {
	pos, err := parseFlags(name, args, positional, append([]flagGroup{out}, groups...)...)
	if err != nil {
		return nil, err
	}
	return pos, out.check(formats...)
}

// snapshotOf reads and validates the dataset and builds its snapshot;
// the command's next phase is what (e.g. "computing betweenness").
func snapshotOf(ctx context.Context, d *datasetFlags, what string) (*graph.Snapshot, error) {
	ds, err := d.read()
	if err != nil {
		return nil, err
	}
	phase(ctx, fmt.Sprintf("building the snapshot (%d entities, %d relations)", len(ds.Entities), len(ds.Relations)))
	s := graph.NewSnapshot(ds)
	phase(ctx, what)
	return s, nil
}

func formatScore(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// entityName is "name (id)" for text output.
func entityName(s *graph.Snapshot, id string) string {
	if e, ok := s.Entity(id); ok {
		return e.Name
	}
	return id
}

// centralityCmd ranks entities: coopgraph centrality --measure betweenness --top 50 --format csv.
func centralityCmd(ctx context.Context, args []string, stdout io.Writer) error {
	var d datasetFlags
	var out outputFlag
	var measure string
	var top, samples int
	var seed uint64
	var tolerance, epsilon, delta float64
	var kinds, types listFlag
	opts := flagFunc(func(fs *flag.FlagSet) {
		fs.Float64Var(&tolerance, "tolerance", 0, "pagerank within this L1 distance `TOL` of the exact vector, e.g. 1e-10 (0: networkx's stopping rule)")
		fs.StringVar(&measure, "measure", "degree", "`MEASURE`: "+strings.Join(graph.MeasureNames(true), ", "))
		fs.IntVar(&top, "top", 10, "print the top `N` (0: all)")
		fs.IntVar(&samples, "samples", 0, "betweenness from `K` sampled sources (0: exact)")
		fs.Float64Var(&epsilon, "epsilon", 0, "betweenness, closeness or harmonic within `EPS` of the exact scores (in their units), all at once, with probability 1 - delta (certified approximation, e.g. 0.01; harmonic e.g. 1000; 0: exact)")
		fs.Float64Var(&delta, "delta", graph.DefaultBetweennessDelta, "with --epsilon: the probability `P` that the bound fails")
		fs.Uint64Var(&seed, "seed", 1, "`SEED` for sampling")
		fs.Var(&kinds, "kind", "rank only entities of this `KIND` (repeatable; scores from the whole network)")
		fs.Var(&types, "relation-type", "keep only relations of this `TYPE` (repeatable)")
	})
	if _, err := parseAnalysis("centrality", args, 0, &out, []string{"text", "csv", "json"}, &d, opts); err != nil {
		return err
	}
	if top < 0 {
		return coopgraph.Errorf(coopgraph.EINVALID, "--top must not be negative")
	}
	if err := coopgraph.CheckKinds(kinds); err != nil {
		return err
	}
	m, err := graph.ParseMeasure(measure)
	if err != nil {
		return err
	}
	snap, err := snapshotOf(ctx, &d, "computing "+strings.ToLower(string(m)))
	if err != nil {
		return err
	}
	scores, err := snap.Centrality(ctx, m,
		graph.CentralityOptions{RelationTypes: types, Kinds: kinds, Samples: samples, Seed: seed, Tolerance: tolerance,
			Epsilon: epsilon, Delta: delta})
	if err != nil {
		return err
	}
	if top > 0 && len(scores) > top {
		scores = scores[:top]
	}
	type row struct {
		Rank  int     `json:"rank"`
		ID    string  `json:"id"`
		Name  string  `json:"name"`
		Kind  string  `json:"kind"`
		Score float64 `json:"score"`
	}
	rows := make([]row, len(scores))
	for i, sc := range scores {
		e, _ := snap.Entity(sc.ID)
		rows[i] = row{i + 1, sc.ID, e.Name, e.Kind, sc.Score}
	}
	switch out.format {
	case "json":
		return writeJSON(stdout, rows)
	case "csv":
		w := csv.NewWriter(stdout)
		_ = w.Write([]string{"rank", "id", "name", "kind", "score"})
		for _, r := range rows {
			// Rank and score are numbers; the rest is the dataset's text.
			_ = w.Write([]string{strconv.Itoa(r.Rank), export.SafeCell(r.ID), export.SafeCell(r.Name), export.SafeCell(r.Kind), formatScore(r.Score)})
		}
		w.Flush()
		return w.Error()
	}
	for _, r := range rows {
		if _, err := fmt.Fprintf(stdout, "%4d  %-14s %-12s %s (%s)\n", r.Rank, formatScore(r.Score), r.Kind, r.Name, r.ID); err != nil {
			return err
		}
	}
	return nil
}

// flagFunc lets a command register its own flags as a flagGroup.
type flagFunc func(*flag.FlagSet)

func (f flagFunc) register(fs *flag.FlagSet) { f(fs) }

// writeCSV writes a header and its rows; the callers pass text cells
// through export.SafeCell (text), numbers as they are.
func writeCSV(w io.Writer, header []string, rows [][]string) error {
	cw := csv.NewWriter(w)
	_ = cw.Write(header)
	for _, r := range rows {
		_ = cw.Write(r)
	}
	cw.Flush()
	return cw.Error()
}

// text is a cell of the dataset's text, safe for a spreadsheet.
func text(s string) string { return export.SafeCell(s) }

// listed is the first top of n items (all when top is 0).
func listed(n, top int) int {
	if top > 0 && n > top {
		return top
	}
	return n
}

// groupRows are the CSV rows of groups of entities (communities,
// components): one row per entity of the first top groups.
func groupRows(snap *graph.Snapshot, groups [][]string, top int) [][]string {
	var rows [][]string
	for i, g := range groups[:listed(len(groups), top)] {
		for _, id := range g {
			e, _ := snap.Entity(id)
			rows = append(rows, []string{strconv.Itoa(i + 1), strconv.Itoa(len(g)), text(id), text(e.Name), text(e.Kind)})
		}
	}
	return rows
}

// printGroups prints the first top groups one per line: rank, size and
// the first few members' names.
func printGroups(pr *printer, snap *graph.Snapshot, groups [][]string, top int) {
	const shown = 5
	n := listed(len(groups), top)
	for i, g := range groups[:n] {
		line := names(snap, g[:min(len(g), shown)])
		if len(g) > shown {
			line += fmt.Sprintf("; … and %d more", len(g)-shown)
		}
		pr.printf("%4d  %7d  %s\n", i+1, len(g), line)
	}
	if n < len(groups) {
		pr.printf("… and %d more (--top 0 lists all)\n", len(groups)-n)
	}
}
