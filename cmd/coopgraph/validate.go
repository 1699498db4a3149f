package main

import (
	"flag"
	"fmt"
	"io"
)

// validate reads a dataset and reports every problem at once.
func validate(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	var d datasetFlags
	d.register(fs)
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	ds, err := d.read()
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: valid: %d entities, %d relations\n", displayDir(d.dir), len(ds.Entities), len(ds.Relations))
	return nil
}

func displayDir(dir string) string {
	if dir == "" {
		return "data/seed (built in)"
	}
	return dir
}
