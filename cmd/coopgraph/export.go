package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/export"
	"github.com/coopgraph/coopgraph/export/scope"
	"github.com/coopgraph/coopgraph/graph"
)

// exportCmd writes the network, or the part the flags choose, as GraphML,
// GEXF or CSV, choosing and writing exactly as GET /export/{format} does:
//
//	coopgraph export --format graphml|gexf|csv [--path FROM TO [--all | --k N] [--max-hops N]]
//	  [--neighbourhood ID [--depth N]] [--community I [--resolution R] [--seed S]]
//	  [--relation-type T …] [--measure M] --out FILE|DIR|-
func exportCmd(ctx context.Context, args []string, stdout io.Writer) error {
	var d datasetFlags
	var format, out, path, neighbourhood, measure string
	var types listFlag
	var all bool
	var k, maxHops, depth, community int
	var resolution float64
	var seed uint64
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	d.register(fs)
	fs.StringVar(&format, "format", "", "`FORMAT`: graphml, gexf (Gephi), csv (nodes.csv and edges.csv in --out DIR), nodes.csv or edges.csv")
	fs.StringVar(&out, "out", "", "write to `FILE`, to DIR for csv, or - for standard output")
	fs.StringVar(&path, "path", "", "the paths from `FROM` to TO (give TO after FROM, or FROM,TO): one shortest path unless --all or --k")
	fs.BoolVar(&all, "all", false, "with --path: every shortest path")
	fs.IntVar(&k, "k", 0, "with --path: the `K` shortest simple paths")
	fs.IntVar(&maxHops, "max-hops", 0, "with --path: paths of at most `N` relations")
	fs.StringVar(&neighbourhood, "neighbourhood", "", "the entity `ID` and everything within --depth relations of it")
	fs.IntVar(&depth, "depth", 1, "with --neighbourhood: `N` relations at most (at most 3)")
	fs.IntVar(&community, "community", 0, "the `I`-th largest community (1: the largest), as `coopgraph communities` numbers them")
	fs.Float64Var(&resolution, "resolution", 1, "with --community: modularity `RESOLUTION` γ")
	fs.Uint64Var(&seed, "seed", 1, "with --community: `SEED` of the node order")
	fs.Var(&types, "relation-type", "keep only relations of this `TYPE` (repeatable), in every scope")
	fs.StringVar(&measure, "measure", "", "add each entity's centrality `MEASURE` (degree, betweenness, …) as an attribute")

	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return errUsage
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })

	sc, err := exportScopeOf(set, pos, path, neighbourhood, community, all, k, maxHops, depth, resolution, seed)
	if err != nil {
		return err
	}
	sc.RelationTypes = types
	if measure != "" {
		sc.Measure = graph.Measure(strings.ToUpper(measure))
	}
	if out == "" {
		return coopgraph.Errorf(coopgraph.EINVALID, "--out is needed: a file, a directory for --format csv, or - for standard output")
	}
	var formats []export.Format
	switch format {
	case "":
		return coopgraph.Errorf(coopgraph.EINVALID, "--format is needed: graphml, gexf or csv")
	case "csv":
		if out == "-" {
			return coopgraph.Errorf(coopgraph.EINVALID, "--format csv writes two files, nodes.csv and edges.csv: give --out DIR (or --format nodes.csv or edges.csv)")
		}
		formats = []export.Format{export.NodesCSVFormat, export.EdgesCSVFormat}
	default:
		if _, err := export.Writer(format); err != nil {
			return coopgraph.Errorf(coopgraph.EINVALID, "unknown --format %q: use graphml, gexf, csv, nodes.csv or edges.csv", format)
		}
		formats = []export.Format{export.Format(format)}
	}

	ds, err := d.read()
	if err != nil {
		return err
	}
	snap := graph.NewSnapshot(ds)
	net, err := scope.NewNetwork(snap, ds)
	if err != nil {
		return err
	}
	sub, err := net.Select(ctx, sc)
	if err != nil {
		return err
	}

	if len(formats) == 2 {
		if err := os.MkdirAll(out, 0o755); err != nil {
			return err
		}
	}
	for _, f := range formats {
		write, _ := export.Writer(string(f))
		target := out
		switch {
		case out == "-":
			bw := bufio.NewWriter(stdout)
			if err := write(bw, sub); err != nil {
				return err
			}
			if err := bw.Flush(); err != nil {
				return err
			}
			continue
		case len(formats) == 2:
			target = filepath.Join(out, string(f))
		}
		if err := writeFileAtomically(target, func(w io.Writer) error { return write(w, sub) }); err != nil {
			return err
		}
		if _, err := fmt.Fprintf(stdout, "coopgraph: wrote %d entities and %d relations to %s\n", len(sub.Entities), len(sub.Relations), target); err != nil {
			return err
		}
	}
	return nil
}

// exportScopeOf turns the scope flags into a scope. A flag of a scope not
// chosen (--depth without --neighbourhood, say) is an EINVALID error: it
// would silently do nothing.
func exportScopeOf(set map[string]bool, pos []string, path, neighbourhood string, community int,
	all bool, k, maxHops, depth int, resolution float64, seed uint64) (scope.Scope, error) {
	var sc scope.Scope
	chosen := ""
	for _, name := range []string{"path", "neighbourhood", "community"} {
		if set[name] {
			if chosen != "" {
				return sc, coopgraph.Errorf(coopgraph.EINVALID, "choose one of --path, --neighbourhood and --community, not --%s and --%s", chosen, name)
			}
			chosen = name
		}
	}
	for _, fb := range [][2]string{{"all", "path"}, {"k", "path"}, {"max-hops", "path"}, {"depth", "neighbourhood"}, {"resolution", "community"}, {"seed", "community"}} {
		if set[fb[0]] && fb[1] != chosen {
			return sc, coopgraph.Errorf(coopgraph.EINVALID, "--%s goes with --%s", fb[0], fb[1])
		}
	}
	if chosen != "path" && len(pos) > 0 {
		return sc, coopgraph.Errorf(coopgraph.EINVALID, "unexpected argument(s) %q (see coopgraph export -h)", pos)
	}
	switch chosen {
	case "path":
		from, to := path, ""
		if f, t, ok := strings.Cut(path, ","); ok {
			from, to = f, t
			if len(pos) > 0 {
				return sc, coopgraph.Errorf(coopgraph.EINVALID, "unexpected argument(s) %q after --path FROM,TO", pos)
			}
		} else if len(pos) == 1 {
			to = pos[0]
		} else {
			return sc, coopgraph.Errorf(coopgraph.EINVALID, "--path takes two entity ids, FROM TO (got %d after %q)", len(pos), path)
		}
		if from == "" || to == "" || strings.Contains(to, ",") {
			return sc, coopgraph.Errorf(coopgraph.EINVALID, "--path takes two entity ids, FROM TO")
		}
		if set["k"] && k < 1 {
			return sc, coopgraph.Errorf(coopgraph.EINVALID, "--k must be at least 1 (got %d)", k)
		}
		if set["max-hops"] && maxHops < 1 {
			return sc, coopgraph.Errorf(coopgraph.EINVALID, "--max-hops must be at least 1 (got %d)", maxHops)
		}
		sc.Path = &scope.Path{From: from, To: to, All: all, K: k, MaxHops: maxHops}
	case "neighbourhood":
		if neighbourhood == "" {
			return sc, coopgraph.Errorf(coopgraph.EINVALID, "--neighbourhood takes an entity id")
		}
		sc.Neighbourhood = &scope.Neighbourhood{ID: neighbourhood, Depth: depth}
	case "community":
		if !(resolution > 0) {
			return sc, coopgraph.Errorf(coopgraph.EINVALID, "--resolution must be a positive number (got %v)", resolution)
		}
		sc.Community = &scope.Community{Index: community, Resolution: resolution, Seed: seed}
	}
	return sc, nil
}

// writeFileAtomically writes a file whole or not at all: a failed export
// never leaves a truncated file where a good one may have been.
func writeFileAtomically(path string, write func(io.Writer) error) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = tmp.Close() // discarded with the file; err says why
			if rmErr := os.Remove(tmp.Name()); rmErr != nil {
				err = fmt.Errorf("%w (and the temporary file is left: %v)", err, rmErr)
			}
		}
	}()
	bw := bufio.NewWriter(tmp)
	if err = write(bw); err != nil {
		return err
	}
	if err = bw.Flush(); err != nil {
		return err
	}
	if err = tmp.Chmod(0o644); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
