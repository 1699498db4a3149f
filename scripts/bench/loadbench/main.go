// Command loadbench measures `coopgraph load`'s writes into Neo4j: it loads
// a dataset into an emptied database with the tuned batches and prints
// entities/s, relations/s and the total time; reloads it (the upsert path a
// second load takes); then loads a sample of the same data naively, one
// row per write transaction with the same Cypher otherwise, and prints the
// per-row rates measured on that sample and the ratios.
//
// It EMPTIES the database it is given (every node and relationship), so it
// asks for --wipe. Point it at a development server:
//
//	scripts/neo4j start && source .neo4j/env
//	go run ./scripts/bench/loadbench --data data/cordis-h2020 --wipe
//	go run ./scripts/bench/loadbench --data data/cordis-h2020 --wipe --batch-size 1000,5000,20000 --parallel 1,2,4 --naive 0
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/loader"
	"github.com/coopgraph/coopgraph/neo4jstore"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "loadbench:", err)
		os.Exit(1)
	}
}

func run() error {
	dir := flag.String("data", "data/cordis-h2020", "dataset `DIR`")
	batches := flag.String("batch-size", strconv.Itoa(neo4jstore.DefaultBatchSize), "rows per write transaction; a comma-separated list tries each")
	parallels := flag.String("parallel", strconv.Itoa(neo4jstore.DefaultParallel), "write transactions in flight; a comma-separated list tries each")
	naive := flag.Int("naive", 3000, "relations in the sample loaded one row per transaction, with the entities they link (0: skip)")
	reload := flag.Bool("reload", true, "also time a second load of the same dataset (upserts)")
	wipe := flag.Bool("wipe", false, "confirm that the database may be emptied")
	uri := flag.String("neo4j-uri", os.Getenv("NEO4J_URI"), "Neo4j URI (env NEO4J_URI)")
	flag.Parse()
	if !*wipe {
		return fmt.Errorf("it empties the database at %q before each load: give --wipe to confirm", *uri)
	}
	if *uri == "" {
		return fmt.Errorf("no Neo4j: give --neo4j-uri or set NEO4J_URI (scripts/neo4j start; source .neo4j/env)")
	}
	sizes, err := ints(*batches)
	if err != nil {
		return fmt.Errorf("--batch-size: %w", err)
	}
	pars, err := ints(*parallels)
	if err != nil {
		return fmt.Errorf("--parallel: %w", err)
	}

	t0 := time.Now()
	abs, err := filepath.Abs(*dir)
	if err != nil {
		return err
	}
	// The CORDIS mapping's table lies outside its directory, beside the repository.
	ds, err := loader.LoadDirWith(*dir, filepath.Base(abs), loader.Options{AllowOutsideFiles: true})
	if err != nil {
		return err
	}
	fmt.Printf("dataset %s: %d entities, %d relations (read and validated in %.1f s, not counted below)\n",
		ds.Name, len(ds.Entities), len(ds.Relations), time.Since(t0).Seconds())
	fmt.Printf("neo4j %s; machine: %d CPUs, load average %s\n", *uri, runtime.NumCPU(), loadAvg())

	ctx := context.Background()
	s, err := neo4jstore.Open(ctx, neo4jstore.Config{URI: *uri, User: os.Getenv("NEO4J_USER"), Password: os.Getenv("NEO4J_PASSWORD"), Database: os.Getenv("NEO4J_DATABASE")})
	if err != nil {
		return err
	}
	defer func() { _ = s.Close(ctx) }() // a benchmark: its figures are printed by then

	fmt.Printf("\n%-28s %10s %10s %12s %12s %9s\n", "load", "entities/s", "relations/s", "entities s", "relations s", "total s")
	var best neo4jstore.LoadStats
	for _, b := range sizes {
		for _, p := range pars {
			st, err := timed(ctx, s, ds, neo4jstore.LoadOptions{BatchSize: b, Parallel: p}, true)
			if err != nil {
				return err
			}
			report(fmt.Sprintf("batch %d, parallel %d", b, p), st)
			if best.Duration == 0 || st.Duration < best.Duration {
				best = st
			}
			if *reload {
				st, err := timed(ctx, s, ds, neo4jstore.LoadOptions{BatchSize: b, Parallel: p}, false)
				if err != nil {
					return err
				}
				report("  again (upserts)", st)
			}
		}
	}
	if *naive == 0 {
		return neo4jstore.Wipe(ctx, s)
	}

	sample := sampleOf(ds, *naive)
	st, err := timed(ctx, s, sample, neo4jstore.LoadOptions{BatchSize: 1, Parallel: 1}, true)
	if err != nil {
		return err
	}
	fmt.Printf("\nnaive: one row per transaction, parallel 1, on a sample of %d entities and %d relations (every %d-th relation, with its ends):\n",
		len(sample.Entities), len(sample.Relations), len(ds.Relations)/max(len(sample.Relations), 1))
	report("  one row per transaction", st)
	ne, nr := rate(len(sample.Entities), st.EntitiesTime), rate(len(sample.Relations), st.RelationsTime)
	be, br := rate(best.Entities, best.EntitiesTime), rate(best.Relations, best.RelationsTime)
	fmt.Printf("  ratio, tuned (best above) to naive per-row rate: entities %.0fx, relations %.0fx\n", be/ne, br/nr)
	est := float64(len(ds.Entities))/ne + float64(len(ds.Relations))/nr
	fmt.Printf("  extrapolated from the sample's per-row rates (not measured): the whole dataset naively ≈ %.0f s, %.0fx the tuned %.1f s\n",
		est, est/best.Duration.Seconds(), best.Duration.Seconds())
	return neo4jstore.Wipe(ctx, s)
}

// timed loads ds, into an emptied database when wipe is set.
func timed(ctx context.Context, s *neo4jstore.Store, ds *coopgraph.Dataset, opt neo4jstore.LoadOptions, wipe bool) (neo4jstore.LoadStats, error) {
	if wipe {
		if err := neo4jstore.Wipe(ctx, s); err != nil {
			return neo4jstore.LoadStats{}, err
		}
	}
	return neo4jstore.LoadWith(ctx, s, ds, opt)
}

func report(name string, st neo4jstore.LoadStats) {
	fmt.Printf("%-28s %10.0f %10.0f %12.2f %12.2f %9.2f\n", name,
		rate(st.Entities, st.EntitiesTime), rate(st.Relations, st.RelationsTime),
		st.EntitiesTime.Seconds(), st.RelationsTime.Seconds(), st.Duration.Seconds())
}

func rate(n int, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / d.Seconds()
}

// sampleOf keeps about n relations, evenly spread over the dataset (so
// every relation type is represented as often as in the whole), and the
// entities they link, under the dataset's name.
func sampleOf(ds *coopgraph.Dataset, n int) *coopgraph.Dataset {
	stride := max(len(ds.Relations)/max(n, 1), 1)
	out := &coopgraph.Dataset{Name: ds.Name}
	keep := map[string]bool{}
	for i := 0; i < len(ds.Relations) && len(out.Relations) < n; i += stride {
		r := ds.Relations[i]
		out.Relations = append(out.Relations, r)
		keep[r.From], keep[r.To] = true, true
	}
	for _, e := range ds.Entities {
		if keep[e.ID] {
			out.Entities = append(out.Entities, e)
		}
	}
	return out
}

func ints(list string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(list, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("%q is not a positive number", f)
		}
		out = append(out, n)
	}
	return out, nil
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}
