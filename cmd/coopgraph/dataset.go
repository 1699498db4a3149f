package main

import (
	"flag"
	"os"
	"path/filepath"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/data"
	"github.com/coopgraph/coopgraph/loader"
	"github.com/coopgraph/coopgraph/neo4jstore"
)

// datasetFlags are the flags naming a dataset.
type datasetFlags struct {
	dir  string
	name string
}

func (d *datasetFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&d.dir, "data", "", "dataset `DIR` (YAML and/or nodes.csv, edges.csv); default: the built-in seed dataset")
	fs.StringVar(&d.name, "dataset", "", "dataset `NAME` in the store, so that reloading it never touches other datasets (default: the directory's name, or \"seed\")")
}

// read reads and validates the dataset: the named directory or the
// embedded seed dataset.
func (d *datasetFlags) read() (*coopgraph.Dataset, error) {
	if d.dir == "" {
		name := d.name
		if name == "" {
			name = data.SeedName
		}
		return loader.LoadFS(data.Seed(), "data/seed (built in)", name)
	}
	name := d.name
	if name == "" {
		abs, err := filepath.Abs(d.dir)
		if err != nil {
			return nil, err
		}
		name = filepath.Base(abs)
	}
	return loader.LoadDir(d.dir, name)
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
