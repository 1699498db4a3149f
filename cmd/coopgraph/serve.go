package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/graph"
	"github.com/coopgraph/coopgraph/memstore"
	"github.com/coopgraph/coopgraph/neo4jstore"
	"github.com/coopgraph/coopgraph/server"
)

// listenFlag is where serve listens.
type listenFlag struct{ addr string }

func (l *listenFlag) register(fs *flag.FlagSet) {
	fs.StringVar(&l.addr, "addr", envOr("COOPGRAPH_ADDR", "127.0.0.1:8080"), "listen `HOST:PORT` (env COOPGRAPH_ADDR)")
}

// serve opens the store (embedded by default, Neo4j with --neo4j-uri),
// builds the analytics snapshot and serves until SIGINT or SIGTERM.
func serve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var addr listenFlag
	var d datasetFlags
	var n neo4jFlags
	if _, err := parseFlags("serve", args, 0, &addr, &d, &n); err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))

	var store coopgraph.Store
	where := "the embedded store"
	if n.URI != "" {
		if d.dir != "" {
			return coopgraph.Errorf(coopgraph.EINVALID, "--data and --neo4j-uri: serve reads from Neo4j; load the dataset with `coopgraph load --data %s` first", d.dir)
		}
		st, err := neo4jstore.Open(ctx, n.Config)
		if err != nil {
			return err
		}
		store, where = st, "Neo4j at "+n.URI
	} else {
		// A dataset that does not validate is refused whole, never served in part.
		ds, err := d.read()
		if err != nil {
			return err
		}
		store = memstore.New(ds)
	}
	defer store.Close(context.WithoutCancel(ctx))

	ds, err := store.Dataset(ctx)
	if err != nil {
		return err
	}
	srv := &server.Server{Store: store, Logger: logger}
	srv.SetSnapshot(graph.NewSnapshot(ds))

	ln, err := net.Listen("tcp", addr.addr)
	if err != nil {
		return err
	}
	hs := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	fmt.Fprintf(stdout, "coopgraph: serving %d entities and %d relations from %s\n  open http://%s/  (GraphQL: POST http://%s/graphql)\n",
		len(ds.Entities), len(ds.Relations), where, ln.Addr(), ln.Addr())

	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	_ = os.Stdout.Sync()
	return nil
}
