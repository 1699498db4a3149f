package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/link"
	"github.com/coopgraph/coopgraph/loader"
	"github.com/coopgraph/coopgraph/neo4jstore"
	"github.com/coopgraph/coopgraph/sources"
)

// datasetFlags are the flags naming the datasets and bounding their
// reading.
type datasetFlags struct {
	dirs  stringList
	links string
	name  string
	opt   loader.Options

	fs *flag.FlagSet
	// full reads and links the built-in sources rather than taking the
	// network compiled from them (validate checks the sources themselves).
	full bool
	// noCache reads the directories even when the cache holds their load
	// (--no-cache; always for load: Neo4j gets what was parsed).
	noCache bool
	// warnings receives the count and the first few warnings of a load
	// (defects of the publishers' tables read past); nil means stderr.
	warnings io.Writer
}

// datasetEnv names the environment variable of each bound on reading a
// dataset.
var datasetEnv = []envFlag{
	{"max-file-bytes", "COOPGRAPH_MAX_FILE_BYTES"},
	{"max-dataset-bytes", "COOPGRAPH_MAX_DATASET_BYTES"},
	{"max-yaml-bytes", "COOPGRAPH_MAX_YAML_BYTES"},
	{"max-gzip-ratio", "COOPGRAPH_MAX_GZIP_RATIO"},
	{"max-field-bytes", "COOPGRAPH_MAX_FIELD_BYTES"},
	{"max-line-bytes", "COOPGRAPH_MAX_LINE_BYTES"},
	{"max-entities", "COOPGRAPH_MAX_ENTITIES"},
	{"max-relations", "COOPGRAPH_MAX_RELATIONS"},
	{"allow-outside-files", "COOPGRAPH_ALLOW_OUTSIDE_FILES"},
}

func (d *datasetFlags) register(fs *flag.FlagSet) {
	d.fs = fs
	fs.Var(&d.dirs, "data", "dataset `DIR` (YAML, CSV and mapped tables); repeat it to link several into one network, in priority order; default: the built-in linked network (data/seed, data/nuts, data/cordis-h2020, data/keep-interreg)")
	fs.StringVar(&d.links, "links", "", "curated links `FILE` (CSV a,b,same,reason) to link the --data datasets with (default: data/links.csv for the built-in network, none with --data)")
	fs.StringVar(&d.name, "dataset", "", "dataset `NAME` in the store, so that reloading it never touches other datasets (default: the directory's name, the names joined by +, or \"linked\" for the built-in network)")
	fs.Int64Var(&d.opt.MaxFileBytes, "max-file-bytes", loader.DefaultMaxFileBytes, "refuse a dataset file holding more than `N` bytes, decompressed")
	fs.Int64Var(&d.opt.MaxDatasetBytes, "max-dataset-bytes", loader.DefaultMaxDatasetBytes, "refuse a dataset whose files (participation tables included) hold more than `N` bytes together, decompressed")
	fs.Int64Var(&d.opt.MaxYAMLBytes, "max-yaml-bytes", loader.DefaultMaxYAMLBytes, "refuse a dataset whose YAML files hold more than `N` bytes together")
	fs.IntVar(&d.opt.MaxGzipRatio, "max-gzip-ratio", loader.DefaultMaxGzipRatio, "refuse a .gz dataset file expanding more than `N` times (past its first MiB)")
	fs.IntVar(&d.opt.MaxFieldBytes, "max-field-bytes", loader.DefaultMaxFieldBytes, "refuse a CSV cell or YAML value longer than `N` bytes")
	fs.IntVar(&d.opt.MaxLineBytes, "max-line-bytes", loader.DefaultMaxLineBytes, "refuse a CSV record or YAML line longer than `N` bytes")
	fs.IntVar(&d.opt.MaxEntities, "max-entities", loader.DefaultMaxEntities, "refuse a dataset of more than `N` entities")
	fs.IntVar(&d.opt.MaxRelations, "max-relations", loader.DefaultMaxRelations, "refuse a dataset of more than `N` relations")
	fs.BoolVar(&d.noCache, "no-cache", d.noCache, "read the --data directories even when the cache holds their load (env "+sources.CacheDirEnv+" moves the cache; default: the user's cache directory's coopgraph)")
	fs.BoolVar(&d.opt.AllowOutsideFiles, "allow-outside-files", false, "read dataset files outside the dataset directory: symbolic links out of it, participation tables by an absolute or .. path")
	documentEnv(fs, datasetEnv)
}

// applyEnv sets each bound not given on the command line from its
// environment variable, then checks them.
func (d *datasetFlags) applyEnv() error {
	if err := setFromEnv(d.fs, datasetEnv); err != nil {
		return err
	}
	o := d.opt
	return checkPositive([]positiveSetting{{"max-file-bytes", o.MaxFileBytes}, {"max-dataset-bytes", o.MaxDatasetBytes},
		{"max-yaml-bytes", o.MaxYAMLBytes}, {"max-gzip-ratio", int64(o.MaxGzipRatio)},
		{"max-field-bytes", int64(o.MaxFieldBytes)}, {"max-line-bytes", int64(o.MaxLineBytes)},
		{"max-entities", int64(o.MaxEntities)}, {"max-relations", int64(o.MaxRelations)}}...)
}

// read reads and validates the datasets and links them into one network:
// the built-in sources with their curated links, or the named directories
// (one alone is served as it is, unless --links is given), within the
// bounds of the flags.
func (d *datasetFlags) read() (*coopgraph.Dataset, error) {
	if d.fs != nil {
		if err := d.applyEnv(); err != nil {
			return nil, err
		}
	}
	var n *sources.Network
	var err error
	if len(d.dirs) == 0 && !d.full && d.links == "" {
		n, err = d.compiled()
	} else {
		var srcs []sources.Source
		var links link.Links
		if srcs, links, err = d.sources(); err != nil {
			return nil, err
		}
		n, err = d.readSources(srcs, links)
	}
	if n != nil {
		for _, w := range n.Warnings {
			d.printWarnings(w.Source, w.Problems)
		}
	}
	if err != nil {
		return nil, err
	}
	return n.Dataset, nil
}

// readSources reads the sources, through the cache of --data loads
// unless --no-cache (or the command) says otherwise; what went wrong with
// the cache is a note on stderr, never an error.
func (d *datasetFlags) readSources(srcs []sources.Source, links link.Links) (*sources.Network, error) {
	// A load is hundreds of MB that all stays (CORDIS: ~150 MB read from
	// the cache): collecting while it grows frees little and takes a core.
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	if d.noCache || len(d.dirs) == 0 {
		return sources.Read(srcs, links, d.name, d.opt)
	}
	dir, err := sources.CacheDir()
	if err != nil {
		_, _ = fmt.Fprintf(d.warningsTo(), "coopgraph: no cache of loads (%v): reading the datasets\n", err) // a note: nowhere to report failing to print it
		return sources.Read(srcs, links, d.name, d.opt)
	}
	n, notes, err := sources.Cache{Dir: dir}.ReadCached(srcs, d.links, links, d.name, d.opt)
	for _, note := range notes {
		_, _ = fmt.Fprintf(d.warningsTo(), "coopgraph: %s\n", note) // a note: nowhere to report failing to print it
	}
	return n, err
}

// compiled is the built-in network as the binary carries it, linked at
// go generate (or now, when its sources changed since: said on stderr).
func (d *datasetFlags) compiled() (*sources.Network, error) {
	n, stale, err := sources.BuiltinNetwork(d.opt)
	if stale {
		_, _ = fmt.Fprintln(d.warningsTo(), "coopgraph: the built-in network was compiled from other sources than those embedded (run go generate ./...): linking them now, which takes longer") // a note: nowhere to report failing to print it
	}
	if err == nil && d.name != "" {
		n.Dataset.Name = d.name
	}
	return n, err
}

// sources are the datasets the flags name, and the links to link them with.
func (d *datasetFlags) sources() ([]sources.Source, link.Links, error) {
	if len(d.dirs) == 0 {
		if d.links != "" {
			return nil, nil, coopgraph.Errorf(coopgraph.EINVALID, "--links without --data: the built-in network has its own links (data/links.csv)")
		}
		links, err := sources.BuiltinLinks()
		return sources.Builtin(), links, err
	}
	var srcs []sources.Source
	for _, dir := range d.dirs {
		s, err := sources.Dir(dir)
		if err != nil {
			return nil, nil, err
		}
		srcs = append(srcs, s)
	}
	if d.links == "" {
		return srcs, nil, nil
	}
	links, err := sources.ReadLinks(d.links)
	return srcs, links, err
}

// display names the datasets read, for messages.
func (d *datasetFlags) display() string {
	if len(d.dirs) == 0 {
		return "the built-in network (data/seed, data/nuts, data/cordis-h2020, data/keep-interreg)"
	}
	return strings.Join(d.dirs, " + ")
}

// warningsTo is where warnings and notes of reading go.
func (d *datasetFlags) warningsTo() io.Writer {
	if d.warnings == nil {
		return os.Stderr
	}
	return d.warnings
}

// shownWarnings is how many warnings a command prints; the count says the rest.
const shownWarnings = 5

// printWarnings says how many defects of the publishers' tables the load
// read past, and the first few, each with the rule of what was kept.
func (d *datasetFlags) printWarnings(dir string, ws loader.Problems) {
	if len(ws) == 0 {
		return
	}
	w := d.warningsTo()
	noun := "warnings"
	if len(ws) == 1 {
		noun = "warning"
	}
	_, _ = fmt.Fprintf(w, "%s: %d %s (defects of the published files, read past as each says):\n", dir, len(ws), noun) // a note: nowhere to report failing to print it
	for i, p := range ws {
		if i == shownWarnings {
			_, _ = fmt.Fprintf(w, "  … and %d more\n", len(ws)-shownWarnings)
			break
		}
		_, _ = fmt.Fprintf(w, "  %s\n", p)
	}
}

// neo4jFlags are the flags reaching Neo4j; each defaults to its NEO4J_*
// environment variable. The password is never printed.
type neo4jFlags struct{ neo4jstore.Config }

func (n *neo4jFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&n.URI, "neo4j-uri", os.Getenv("NEO4J_URI"), "Neo4j `URI`, e.g. bolt://127.0.0.1:7687 or neo4j://cluster (env NEO4J_URI)")
	fs.StringVar(&n.User, "neo4j-user", envOr("NEO4J_USER", "neo4j"), "Neo4j `user` (env NEO4J_USER)")
	n.Password = os.Getenv("NEO4J_PASSWORD")
	fs.Var(secretFlag{&n.Password}, "neo4j-password", "Neo4j `password` (env NEO4J_PASSWORD; prefer it: flags show in ps)")
	fs.StringVar(&n.Database, "neo4j-database", os.Getenv("NEO4J_DATABASE"), "Neo4j `database` (env NEO4J_DATABASE; default: the server's default)")
}

// secretFlag is a string flag whose value is never printed: -h shows
// flags' defaults, and the default here comes from NEO4J_PASSWORD.
type secretFlag struct{ p *string }

func (s secretFlag) String() string {
	return "" // not even the default: it may be the password from the environment
}

func (s secretFlag) Set(v string) error {
	*s.p = v
	return nil
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

// flagGroup is a set of flags a command shares with others.
type flagGroup interface{ register(*flag.FlagSet) }

// parseFlags parses a command's arguments with the given flag groups and
// returns exactly `positional` positional arguments, which may stand before,
// between or after the flags. A parse error (already printed by package
// flag) is errUsage; a wrong count is an EINVALID error.
func parseFlags(name string, args []string, positional int, groups ...flagGroup) ([]string, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	for _, g := range groups {
		g.register(fs)
	}
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, errUsage
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(pos) != positional {
		return nil, coopgraph.Errorf(coopgraph.EINVALID, "expected %d argument(s), got %d: %q (see coopgraph %s -h)", positional, len(pos), pos, name)
	}
	return pos, nil
}
