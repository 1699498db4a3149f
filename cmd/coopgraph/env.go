package main

import (
	"flag"
	"os"

	"github.com/coopgraph/coopgraph"
)

// envFlag names the environment variable a flag is read from when the
// command line does not give it.
type envFlag struct{ flag, env string }

// documentEnv adds each flag's variable to its usage text.
func documentEnv(fs *flag.FlagSet, vars []envFlag) {
	for _, e := range vars {
		fs.Lookup(e.flag).Usage += " (env " + e.env + ")"
	}
}

// setFromEnv sets each flag not given on the command line from its
// environment variable; a bad value is reported with the variable's name.
func setFromEnv(fs *flag.FlagSet, vars []envFlag) error {
	given := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { given[fl.Name] = true })
	for _, e := range vars {
		v := os.Getenv(e.env)
		if given[e.flag] || v == "" {
			continue
		}
		if err := fs.Set(e.flag, v); err != nil {
			return coopgraph.Errorf(coopgraph.EINVALID, "%s=%q: %v", e.env, v, err)
		}
	}
	return nil
}

// positiveSetting is a numeric setting that must be at least 1.
type positiveSetting struct {
	flag string
	v    int64
}

// checkPositive refuses the first setting below 1, naming its flag.
func checkPositive(settings ...positiveSetting) error {
	for _, s := range settings {
		if s.v < 1 {
			return coopgraph.Errorf(coopgraph.EINVALID, "--%s %d: give a positive number", s.flag, s.v)
		}
	}
	return nil
}
