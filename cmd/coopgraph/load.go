package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"time"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/neo4jstore"
)

// loadFlags tune the writes of a load.
type loadFlags struct{ neo4jstore.LoadOptions }

func (l *loadFlags) register(fs *flag.FlagSet) {
	fs.IntVar(&l.BatchSize, "batch-size", neo4jstore.DefaultBatchSize, "rows per write transaction")
	fs.IntVar(&l.Parallel, "parallel", neo4jstore.DefaultParallel, "write transactions in flight at once")
	fs.DurationVar(&l.Wait, "wait", 0, "how long to wait for another load of the same dataset to finish (0: refuse at once)")
}

// load validates a dataset whole, then writes it into Neo4j.
func load(ctx context.Context, args []string, stdout io.Writer) (err error) {
	// Neo4j gets the directories as parsed now, never a cached load.
	d := datasetFlags{noCache: true}
	d.warnings = stdout // the publishers' defects read past
	var n neo4jFlags
	var l loadFlags
	if _, err := parseFlags("load", args, 0, &d, &n, &l); err != nil {
		return err
	}
	if n.URI == "" {
		return coopgraph.Errorf(coopgraph.EINVALID, "no Neo4j to load into: give --neo4j-uri or set NEO4J_URI")
	}
	if l.BatchSize < 1 || l.Parallel < 1 || l.Wait < 0 {
		return coopgraph.Errorf(coopgraph.EINVALID, "--batch-size and --parallel must be at least 1, --wait not negative")
	}
	// Validate before connecting: a bad dataset writes nothing.
	ds, err := d.read()
	if err != nil {
		return err
	}
	st, err := neo4jstore.Open(ctx, n.Config)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := st.Close(context.WithoutCancel(ctx)); cerr != nil {
			err = errors.Join(err, cerr)
		}
	}()
	stats, err := neo4jstore.LoadWith(ctx, st, ds, l.LoadOptions)
	if err != nil {
		return err
	}
	pr := &printer{w: stdout}
	if stats.TookOver != "" {
		pr.printf("took over the lock of a load that stopped (%s)\n", stats.TookOver)
	}
	pr.printf("loaded dataset %q into %s: %d entities, %d relations written; %d entities, %d relations removed; %s\n",
		ds.Name, redactURI(n.URI), stats.Entities, stats.Relations, stats.EntitiesRemoved, stats.RelationsRemoved, stats.Duration.Round(time.Millisecond))
	return pr.err
}
