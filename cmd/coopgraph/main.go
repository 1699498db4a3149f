// Command coopgraph explores the European cooperation network around
// Małopolska: it serves the GraphQL API and the page (serve), checks a
// dataset (validate) and loads it into Neo4j (load).
//
// This package only wires: flags and environment in, the other packages do
// the work.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/graph"
	"github.com/coopgraph/coopgraph/loader"
)

// usage is the help of every command; the measures are the registry's.
var usage = strings.Replace(usageText, "MEASURES", strings.Join(graph.MeasureNames(true), "|"), 1)

const usageText = `coopgraph — the European cooperation network around Małopolska

Usage:
  coopgraph serve    [--addr 127.0.0.1:8080] [--data DIR | --neo4j-uri URI]
  coopgraph validate --data DIR
  coopgraph links    [--data DIR …] [--links FILE] [--show merges|near|all] [--country CC] [--near N] [--format text|csv]   (one entity per organisation: merges and near misses for review)
  coopgraph load     --data DIR --neo4j-uri URI [--neo4j-user U] [--neo4j-password P] [--dataset NAME] [--batch-size 2000] [--parallel 2] [--wait 0]

Analysis (same engine and answers as the API; --data DIR …, or the built-in linked network):
  coopgraph centrality  --measure MEASURES [--top N] [--kind K] [--format text|csv|json]
  coopgraph path        FROM TO [--all | --k N] [--relation-type T] [--via-kind K] [--avoid ID] [--max-hops N] [--format text|csv|json]
                        [--active-from DATE] [--active-to DATE] [--weight hops|hub|property:NAME]
  coopgraph partners    ID [--common OTHER] [--context-kind K] [--format text|csv|json]
  coopgraph region-partners --region ID [--level 2] [--first 20] [--active-from DATE] [--active-to DATE] [--programme ID] [--format text|csv|json]
  coopgraph communities [--resolution R] [--seed S] [--top N] [--format text|csv|json]
  coopgraph components  [--top N] [--format text|csv|json]
  coopgraph brokers     [--what-if ID] [--top N] [--format text|csv|json]
  coopgraph gen         --participations N --seed S --out DIR   (a synthetic cooperation network)
  coopgraph export      --format graphml|gexf|csv [--path FROM TO [--all | --k N]] [--neighbourhood ID --depth N] [--community I --resolution R --seed S] [--relation-type T …] [--measure M] --out FILE|DIR|-
  coopgraph loadtest    [--url http://127.0.0.1:8080] [--concurrency 50] [--duration 30s] [--requests N] [--mix op=w,…]

Without --data, serve, validate and the analysis commands use the built-in linked network
(the curated seed, NUTS regions, CORDIS H2020 and keep.eu Interreg, linked into one;
--data data/seed for the seed alone).
Reading a dataset is bounded (--max-file-bytes, --max-field-bytes, --max-entities…,
each also a COOPGRAPH_* variable); files outside its directory need --allow-outside-files.
Neo4j settings also come from NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE.
Analysis commands: JSON keys are camelCase. Analysis commands and export: work over 2 s reports its progress on stderr.
Run "coopgraph COMMAND -h" for a command's flags.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes one command and returns the process exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		_, _ = fmt.Fprint(stderr, usage) // stderr has no fallback; the exit code says it
		return 2
	}
	var err error
	var rep *progress
	switch args[0] {
	case "centrality", "path", "partners", "region-partners", "communities", "components", "brokers", "export":
		rep = startProgress(stderr, args[0])
		ctx = withProgress(ctx, rep)
		phase(ctx, "reading the dataset")
	}
	switch args[0] {
	case "serve":
		err = serve(ctx, args[1:], stdout, stderr)
	case "validate":
		err = validate(args[1:], stdout)
	case "load":
		err = load(ctx, args[1:], stdout)
	case "links":
		err = linksCmd(args[1:], stdout, stderr)
	case "centrality":
		err = centralityCmd(ctx, args[1:], stdout)
	case "path":
		err = pathCmd(ctx, args[1:], stdout)
	case "partners":
		err = partnersCmd(ctx, args[1:], stdout)
	case "region-partners":
		err = regionPartnersCmd(ctx, args[1:], stdout)
	case "communities":
		err = communitiesCmd(ctx, args[1:], stdout)
	case "components":
		err = componentsCmd(ctx, args[1:], stdout)
	case "brokers":
		err = brokersCmd(ctx, args[1:], stdout)
	case "gen":
		err = gen(ctx, args[1:], stdout)
	case "export":
		err = exportCmd(ctx, args[1:], stdout)
	case "loadtest":
		err = loadtestCmd(ctx, args[1:], stdout)
	case "help", "-h", "--help":
		_, err = fmt.Fprint(stdout, usage)
	default:
		_, _ = fmt.Fprintf(stderr, "coopgraph: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	rep.done(err)
	if err != nil {
		if !errors.Is(err, errUsage) {
			_, _ = fmt.Fprintf(stderr, "coopgraph %s: %s\n", args[0], describe(args[0], err)) // no fallback; the exit code says it
		}
		return exitCode(err)
	}
	return 0
}

var errUsage = errors.New("usage")

// describe is the message the user sees: a dataset's problems one per
// line, a domain error's message (the options it names spelled as
// command's flags), or the error itself.
func describe(command string, err error) string {
	var ps loader.Problems
	if errors.As(err, &ps) {
		return fmt.Sprintf("the dataset has %d problem(s); nothing was written:\n%s", len(ps), ps.Error())
	}
	var e *coopgraph.Error
	if errors.As(err, &e) {
		return spellFor(command, e)
	}
	return err.Error()
}

func exitCode(err error) int {
	var ps loader.Problems
	switch {
	case errors.Is(err, errUsage):
		return 2
	case errors.As(err, &ps):
		return 1
	}
	return 1
}
