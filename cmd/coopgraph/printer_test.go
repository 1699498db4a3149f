package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
)

// failingWriter fails its write number fail (from 0) and every one after.
type failingWriter struct {
	writes, fail int
}

var errDiskFull = errors.New("no space left on device")

func (w *failingWriter) Write(p []byte) (int, error) {
	defer func() { w.writes++ }()
	if w.writes >= w.fail {
		return 0, errDiskFull
	}
	return len(p), nil
}

// A command whose output does not reach stdout fails, whichever of its
// writes fails, and says why: before, it answered 0 with nothing written.
func TestCommandsFailWhenTheirOutputCannotBeWritten(t *testing.T) {
	for _, args := range [][]string{
		{"validate", "--data", seedDir},
		{"centrality", "--measure", "degree", "--top", "5", "--data", seedDir},
		{"path", "opolskie", "malopolskie", "--data", seedDir},
		{"partners", "respondet", "--data", seedDir},
		{"partners", "city-of-turin", "--common", "torino-chamber-of-commerce", "--data", seedDir},
		{"communities", "--data", seedDir},
		{"components", "--data", seedDir},
		{"brokers", "--data", seedDir},
		{"brokers", "--what-if", "malopolskie", "--data", seedDir},
		{"help"},
	} {
		counted := &failingWriter{fail: 1 << 30}
		var errOut bytes.Buffer
		if code := run(context.Background(), args, counted, &errOut); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut.String())
		}
		if counted.writes == 0 {
			t.Fatalf("%v wrote nothing", args)
		}
		// The first write, the second and the last.
		for _, fail := range []int{0, min(1, counted.writes-1), counted.writes - 1} {
			errOut.Reset()
			code := run(context.Background(), args, &failingWriter{fail: fail}, &errOut)
			if code != 1 || !strings.Contains(errOut.String(), errDiskFull.Error()) {
				t.Errorf("%v, write %d of %d failing: exit %d, stderr %q; want exit 1 naming the error",
					args, fail+1, counted.writes, code, errOut.String())
			}
		}
	}
}
