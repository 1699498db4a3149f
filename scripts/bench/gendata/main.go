// Command gendata writes a generated network like `coopgraph gen`, for
// scripts/bench/run.py when the coopgraph binary cannot be built (the CLI
// is being changed): go run ./scripts/bench/gendata N SEED DIR.
package main

import (
	"context"
	"fmt"
	"os"
	"strconv"

	"github.com/coopgraph/coopgraph/gen"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "gendata:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) != 3 {
		return fmt.Errorf("usage: gendata PARTICIPATIONS SEED DIR")
	}
	n, err := strconv.Atoi(args[0])
	if err != nil {
		return err
	}
	seed, err := strconv.ParseUint(args[1], 10, 64)
	if err != nil {
		return err
	}
	cfg := gen.Config{Participations: n, Seed: seed}
	nw, err := gen.New(cfg)
	if err != nil {
		return err
	}
	if err := nw.WriteDir(context.Background(), args[2], true); err != nil {
		return err
	}
	s := nw.Summary()
	fmt.Printf("wrote %s: %d participations, %d projects, %d organisations, %d countries\n",
		args[2], s.Participations, s.Projects, s.Organisations, s.Countries)
	return nil
}
