package main

import (
	"fmt"
	"io"
)

// printer writes a command's text output and keeps the first write error,
// which the command returns: output that never reached its reader (a full
// disk, a closed pipe) is a failed command, as with any Unix tool.
type printer struct {
	w   io.Writer
	err error
}

func (pr *printer) printf(format string, args ...any) {
	if pr.err == nil {
		_, pr.err = fmt.Fprintf(pr.w, format, args...)
	}
}
