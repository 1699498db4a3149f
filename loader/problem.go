package loader

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/coopgraph/coopgraph"
)

// Problem is one thing wrong with a dataset.
type Problem struct {
	// File is the file as the caller named it: the display prefix (LoadFS)
	// or the directory (LoadDir) joined with the file's name; for a problem
	// of the whole directory, the directory itself.
	File string
	// Line is the 1-based line the problem is on; 0 means the whole file.
	Line int
	// Reason says what is wrong, in plain words.
	Reason string
}

// String formats p as "file:line: reason", or "file: reason" for a problem
// of the whole file.
func (p Problem) String() string {
	if p.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Reason)
	}
	return p.File + ": " + p.Reason
}

// Problems is returned as the error when anything is wrong with a dataset.
// It holds every problem found, sorted by file then line.
type Problems []Problem

// maxListed is how many problems Error lists before summing up the rest.
const maxListed = 200

// Error lists the problems one per line, sorted by file then line; past 200
// lines it says how many more there are (the slice keeps them all).
func (ps Problems) Error() string {
	sorted := slices.Clone(ps)
	sortProblems(sorted)
	var b strings.Builder
	for i, p := range sorted {
		if i == maxListed {
			fmt.Fprintf(&b, "\n… and %d more", len(sorted)-maxListed)
			break
		}
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(p.String())
	}
	return b.String()
}

// As lets errors.As (and so coopgraph.ErrorCode and ErrorMessage) see a
// dataset's problems as a *coopgraph.Error with code EINVALID: a dataset
// that does not validate is the user's input at fault, not the program.
func (ps Problems) As(target any) bool {
	if e, ok := target.(**coopgraph.Error); ok {
		*e = &coopgraph.Error{Code: coopgraph.EINVALID, Message: ps.Error()}
		return true
	}
	return false
}

// sortProblems orders ps by file, then line, keeping the order in which
// they were found among problems of the same line.
func sortProblems(ps []Problem) {
	slices.SortStableFunc(ps, func(a, b Problem) int {
		if c := cmp.Compare(a.File, b.File); c != 0 {
			return c
		}
		return cmp.Compare(a.Line, b.Line)
	})
}
