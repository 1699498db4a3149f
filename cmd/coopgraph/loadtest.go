package main

import (
	"context"
	"encoding/json"
	"flag"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/loadtest"
)

// loadtestCmd drives a running coopgraph on this machine with a realistic
// mix of queries: coopgraph loadtest --url http://127.0.0.1:8080 --concurrency 50 --duration 30s.
func loadtestCmd(ctx context.Context, args []string, stdout io.Writer) error {
	var out outputFlag
	cfg := loadtest.Config{}
	var mix string
	opts := flagFunc(func(fs *flag.FlagSet) {
		fs.StringVar(&cfg.URL, "url", "http://127.0.0.1:8080", "the server's `URL` (loopback only)")
		fs.IntVar(&cfg.Concurrency, "concurrency", 50, "`N` clients sending at once")
		fs.IntVar(&cfg.Requests, "requests", 0, "stop after `N` requests (0: after --duration)")
		fs.DurationVar(&cfg.Duration, "duration", 30*time.Second, "stop after `D` (at most 10m)")
		fs.StringVar(&mix, "mix", "", "operation weights, e.g. `search=30,entity=25,neighbours=15,shortestPath=15,partners=10,centrality=5` (the default)")
		fs.Uint64Var(&cfg.Seed, "seed", 1, "`SEED` for the operations and their arguments")
		fs.IntVar(&cfg.Sample, "sample", 1000, "`N` entities to draw arguments from")
		fs.DurationVar(&cfg.Timeout, "timeout", 10*time.Second, "per-request timeout `D`")
		fs.Float64Var(&cfg.Rate, "rate", 0, "offer `R` requests/s in all, each timed from when it was due (0: every client sends as soon as it is answered)")
	})
	if _, err := parseFlags("loadtest", args, 0, &out, opts); err != nil {
		return err
	}
	if err := out.check("text", "json"); err != nil {
		return err
	}
	if mix != "" {
		cfg.Mix = map[string]int{}
		for part := range strings.SplitSeq(mix, ",") {
			op, w, ok := strings.Cut(strings.TrimSpace(part), "=")
			n, err := strconv.Atoi(w)
			if !ok || err != nil {
				return coopgraph.Errorf(coopgraph.EINVALID, "--mix %q: write operation=weight pairs separated by commas", mix)
			}
			cfg.Mix[op] = n
		}
	}
	if err := cfg.Validate(); err != nil {
		return coopgraph.Errorf(coopgraph.EINVALID, "%v", err)
	}
	rep, err := loadtest.Run(ctx, cfg)
	if err != nil {
		return coopgraph.Errorf(coopgraph.EUNAVAILABLE, "%v", err)
	}
	if out.format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	return rep.WriteText(stdout)
}
