package main

import (
	"context"
	"fmt"
	"io"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/neo4jstore"
)

// load validates a dataset whole, then writes it into Neo4j.
func load(ctx context.Context, args []string, stdout io.Writer) error {
	var d datasetFlags
	var n neo4jFlags
	if _, err := parseFlags("load", args, 0, &d, &n); err != nil {
		return err
	}
	if n.URI == "" {
		return coopgraph.Errorf(coopgraph.EINVALID, "no Neo4j to load into: give --neo4j-uri or set NEO4J_URI")
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
	defer st.Close(context.WithoutCancel(ctx))
	stats, err := neo4jstore.Load(ctx, st, ds)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "loaded dataset %q into %s: %d entities, %d relations written; %d entities, %d relations removed; %s\n",
		ds.Name, n.URI, stats.Entities, stats.Relations, stats.EntitiesRemoved, stats.RelationsRemoved, stats.Duration.Round(1e6))
	return nil
}
