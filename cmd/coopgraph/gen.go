package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/coopgraph/coopgraph"
	cgen "github.com/coopgraph/coopgraph/gen"
)

// genFlags are the flags of coopgraph gen.
type genFlags struct {
	participations int
	seed           uint64
	out            string
	force          bool
}

func (g *genFlags) register(fs *flag.FlagSet) {
	fs.IntVar(&g.participations, "participations", 0, fmt.Sprintf("number of Organisation PARTICIPATES_IN Project relations, `N` from 1 to %d (required)", cgen.MaxParticipations))
	fs.Uint64Var(&g.seed, "seed", 1, "`SEED` of the generator: the same seed writes the same files")
	fs.StringVar(&g.out, "out", "", "dataset `DIR` to write (nodes.csv.gz, edges.csv.gz), created if need be (required)")
	fs.BoolVar(&g.force, "force", false, "write into DIR even if it is not empty, replacing the generated files")
}

// gen writes a synthetic cooperation network, calibrated against CORDIS
// H2020, as a dataset directory:
//
//	coopgraph gen --participations 150000 --seed 7 --out /tmp/net150k
func gen(ctx context.Context, args []string, stdout io.Writer) error {
	var f genFlags
	if _, err := parseFlags("gen", args, 0, &f); err != nil {
		return err
	}
	cfg := cgen.Config{Participations: f.participations, Seed: f.seed}
	if f.participations == 0 {
		return coopgraph.Errorf(coopgraph.EINVALID, "--participations N is required: the size of the network, 1 to 5,000,000")
	}
	if err := cfg.Check(); err != nil {
		return coopgraph.Errorf(coopgraph.EINVALID, "--participations: %s", err)
	}
	if f.out == "" {
		return coopgraph.Errorf(coopgraph.EINVALID, "--out DIR is required: the dataset directory to write")
	}
	began := time.Now()
	nw, err := cgen.New(cfg)
	if err != nil {
		return err
	}
	if err := nw.WriteDir(ctx, f.out, f.force); err != nil {
		if errors.Is(err, cgen.ErrNotEmpty) {
			return coopgraph.Errorf(coopgraph.EINVALID, "--out %s", err)
		}
		return err
	}
	s := nw.Summary()
	pr := &printer{w: stdout}
	pr.printf("wrote %s: %d participations, %d projects, %d organisations, %d countries (%d entities, %d relations) in %s\n",
		f.out, s.Participations, s.Projects, s.Organisations, s.Countries,
		s.Projects+s.Organisations+s.Countries, s.Participations+s.Organisations,
		time.Since(began).Round(time.Millisecond))
	pr.printf("partners per project: mean %.2f, max %d, single-partner %.1f%%; projects per organisation: mean %.2f, max %d\n",
		s.MeanPartners, s.MaxPartners, 100*float64(s.SingleProjects)/float64(s.Projects),
		s.MeanProjects, s.MaxProjects)
	return pr.err
}
