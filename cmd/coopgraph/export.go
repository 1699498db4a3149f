package main

import (
	"bufio"
	"bytes"
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
	var format, out string
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	d.register(fs)
	fs.StringVar(&format, "format", "", "`FORMAT`: graphml, gexf (Gephi), csv (nodes.csv and edges.csv in --out DIR), nodes.csv or edges.csv")
	fs.StringVar(&out, "out", "", "write to `FILE`, to DIR for csv, or - for standard output")
	scopeArgs := scope.Args{}
	for _, f := range exportScopeFlags {
		fs.Var(&scopeFlag{args: scopeArgs, name: f.name, boolean: f.name == "all" || f.name == "structural"}, scope.FlagName(f.name), f.usage)
	}

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
	// --path FROM TO is the command line's way of writing FROM,TO.
	if p := scopeArgs["path"]; len(p) == 1 && !strings.Contains(p[0], ",") && len(pos) > 0 {
		p[0] += "," + pos[0]
		pos = pos[1:]
	}
	sc, err := scope.Parse(scopeArgs, scope.FlagSpelling)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return coopgraph.Errorf(coopgraph.EINVALID, "unexpected argument(s) %q (see coopgraph export -h)", pos)
	}
	formats, err := exportFormats(format, out)
	if err != nil {
		return err
	}
	ds, err := d.read()
	if err != nil {
		return err
	}
	phase(ctx, fmt.Sprintf("building the snapshot (%d entities, %d relations)", len(ds.Entities), len(ds.Relations)))
	snap := graph.NewSnapshot(ds)
	phase(ctx, "choosing what to export")
	net, err := scope.NewNetwork(snap, ds)
	if err != nil {
		return err
	}
	sub, err := net.Select(ctx, sc)
	if err != nil {
		return err
	}
	return writeExport(ctx, sub, formats, out, stdout)
}

// exportFormats checks --out and --format before anything is read: csv is
// the two tables, written into the directory out.
func exportFormats(format, out string) ([]export.Format, error) {
	if out == "" {
		return nil, coopgraph.Errorf(coopgraph.EINVALID, "--out is needed: a file, a directory for --format csv, or - for standard output")
	}
	switch format {
	case "":
		return nil, coopgraph.Errorf(coopgraph.EINVALID, "--format is needed: graphml, gexf or csv")
	case "csv":
		if out == "-" {
			return nil, coopgraph.Errorf(coopgraph.EINVALID, "--format csv writes two files, nodes.csv and edges.csv: give --out DIR (or --format nodes.csv or edges.csv)")
		}
		return []export.Format{export.NodesCSVFormat, export.EdgesCSVFormat}, nil
	default:
		if _, err := export.Writer(format); err != nil {
			return nil, coopgraph.Errorf(coopgraph.EINVALID, "unknown --format %q: use graphml, gexf, csv, nodes.csv or edges.csv", format)
		}
		return []export.Format{export.Format(format)}, nil
	}
}

// writeExport writes sub in each format: to standard output for out "-",
// into the directory out for the two tables of csv, else to the file out,
// each file whole or not at all. The two tables get the sources' credit
// lines beside them, in CREDITS.txt (a CSV table has no room for them;
// GraphML and GEXF carry them inside), and the report of a file written
// names them.
//
// Each format is a phase of the progress report, counting the rows
// written (rowCounter).
func writeExport(ctx context.Context, sub *export.Subgraph, formats []export.Format, out string, stdout io.Writer) error {
	if len(formats) == 2 {
		if err := os.MkdirAll(out, 0o755); err != nil {
			return err
		}
		if credits := export.CreditsText(sub); credits != "" {
			err := writeFileAtomically(filepath.Join(out, "CREDITS.txt"), func(w io.Writer) error {
				_, err := io.WriteString(w, credits)
				return err
			})
			if err != nil {
				return err
			}
		}
	}
	for _, f := range formats {
		format, _ := export.Writer(string(f))
		rows := exportRows(sub, f)
		phase(ctx, fmt.Sprintf("writing %s (%d rows)", f, rows))
		write := func(w io.Writer, sub *export.Subgraph) error {
			return format(newRowCounter(w, f, rows, progressUnits(ctx)), sub)
		}
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
	if len(sub.Credits) > 0 && out != "-" {
		if _, err := fmt.Fprintf(stdout, "coopgraph: credit the sources: %s\n", strings.Join(sub.Credits, "; ")); err != nil {
			return err
		}
	}
	return nil
}

// exportScopeFlags are the flags of scope.Params, each with its help.
var exportScopeFlags = []struct{ name, usage string }{
	{"path", "the paths from `FROM` to TO (give TO after FROM, or FROM,TO): one shortest path unless --all or --k"},
	{"all", "with --path: every shortest path"},
	{"k", "with --path: the `K` shortest simple paths"},
	{"maxHops", "with --path: paths of at most `N` relations"},
	{"structural", "with --path: also follow LOCATED_IN, PART_OF and FUNDED_BY, which paths leave out unless --relation-type names them"},
	{"neighbourhood", "the entity `ID` and everything within --depth relations of it"},
	{"depth", "with --neighbourhood: `N` relations at most (default 1, at most 3)"},
	{"community", "the `I`-th largest community (1: the largest), as `coopgraph communities` numbers them"},
	{"resolution", "with --community: modularity `RESOLUTION` γ (default 1)"},
	{"seed", "with --community: `SEED` of the node order (default 1)"},
	{"relationType", "keep only relations of this `TYPE` (repeatable, or comma-separated), in every scope"},
	{"measure", "add each entity's centrality `MEASURE` (degree, betweenness, …) as an attribute"},
}

// scopeFlag records a scope flag's values as written, for scope.Parse to
// check: the flags only carry the arguments, the rules are the scope's.
type scopeFlag struct {
	args    scope.Args
	name    string
	boolean bool
}

func (f *scopeFlag) String() string {
	if f == nil || f.args == nil {
		return ""
	}
	return strings.Join(f.args[f.name], ",")
}

func (f *scopeFlag) Set(v string) error {
	f.args[f.name] = append(f.args[f.name], v)
	return nil
}

// IsBoolFlag lets --all and --structural stand alone, as a boolean flag does.
func (f *scopeFlag) IsBoolFlag() bool { return f.boolean }

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

// exportRows is the rows a format writes for sub: an entity or a relation
// each (the header aside).
func exportRows(sub *export.Subgraph, f export.Format) int64 {
	switch f {
	case export.NodesCSVFormat:
		return int64(len(sub.Entities))
	case export.EdgesCSVFormat:
		return int64(len(sub.Relations))
	}
	return int64(len(sub.Entities) + len(sub.Relations))
}

// rowCounter passes what an export writer writes on to w and counts the
// rows as they go by, reporting done of total: the lines of a CSV table
// after its header, the <node and <edge elements of GraphML and GEXF (a
// value's "<" is escaped, so the marks are only ever elements). A line
// break quoted inside a CSV cell counts too, so done is capped at total.
type rowCounter struct {
	w      io.Writer
	marks  [][]byte
	tail   []byte // the last bytes written, shorter than a mark: one may straddle two writes
	rows   int64  // marks seen, less the header's
	total  int64
	report func(done, total int64)
}

func newRowCounter(w io.Writer, f export.Format, total int64, report func(done, total int64)) *rowCounter {
	c := &rowCounter{w: w, total: total, report: report}
	switch f {
	case export.NodesCSVFormat, export.EdgesCSVFormat:
		c.marks, c.rows = [][]byte{[]byte("\n")}, -1
	default:
		c.marks = [][]byte{[]byte("<node "), []byte("<edge ")}
	}
	report(0, total)
	return c
}

func (c *rowCounter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	buf := append(c.tail, p[:n]...)
	keep := 0
	for _, m := range c.marks {
		c.rows += int64(bytes.Count(buf, m))
		keep = max(keep, len(m)-1)
	}
	c.tail = append(c.tail[:0], buf[max(0, len(buf)-keep):]...)
	c.report(min(max(c.rows, 0), c.total), c.total)
	return n, err
}
