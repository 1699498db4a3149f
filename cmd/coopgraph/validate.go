package main

import (
	"fmt"
	"io"
)

// validate reads a dataset and reports every problem at once.
func validate(args []string, stdout io.Writer) error {
	d := datasetFlags{full: true, noCache: true} // validate checks the files themselves
	d.warnings = stdout                          // the publishers' defects read past
	if _, err := parseFlags("validate", args, 0, &d); err != nil {
		return err
	}
	ds, err := d.read()
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "%s: valid: %d entities, %d relations\n", d.display(), len(ds.Entities), len(ds.Relations))
	return err
}
