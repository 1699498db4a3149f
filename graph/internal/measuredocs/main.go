// Command measuredocs writes the registry of centrality measures
// (graph.Measures) where it is documented outside Go: the values of the
// enum CentralityMeasure in schema/schema.graphqls (before gqlgen runs, see
// generate.go at the module's root) and the rows of the table of measures
// in README.md. A measure added to the registry then reaches the API and
// the README with no edit by hand.
//
// Usage: go run ./graph/internal/measuredocs SCHEMA README
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/coopgraph/coopgraph/graph"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: measuredocs SCHEMA README")
		os.Exit(2)
	}
	for _, f := range []struct {
		path  string
		write func(string) (string, error)
	}{{os.Args[1], schema}, {os.Args[2], readme}} {
		if err := rewrite(f.path, f.write); err != nil {
			fmt.Fprintln(os.Stderr, "measuredocs:", err)
			os.Exit(1)
		}
	}
}

func rewrite(path string, write func(string) (string, error)) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	out, err := write(string(b))
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if out == string(b) {
		return nil // untouched: no new modification time for make-like tools
	}
	return os.WriteFile(path, []byte(out), 0o644)
}

// The block each document holds the measures in.
const (
	enumStart   = "enum CentralityMeasure {\n"
	enumEnd     = "}\n"
	tableHeader = "| measure | definition | options |\n|---|---|---|\n"
)

// schema is the GraphQL schema src with the values of CentralityMeasure
// replaced by the registry's, each with its description.
func schema(src string) (string, error) {
	var b strings.Builder
	for _, m := range graph.Measures {
		d, err := json.Marshal(m.Description) // a GraphQL string is a JSON string
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&b, "  %s\n  %s\n", d, m.Name)
	}
	return replaceBlock(src, enumStart, b.String(), func(rest string) int {
		if strings.HasPrefix(rest, enumEnd) {
			return 0
		}
		if j := strings.Index(rest, "\n"+enumEnd); j >= 0 {
			return j + 1
		}
		return -1
	})
}

// readme is README.md src with the rows of the table of measures replaced
// by the registry's: name, description, the options it takes.
func readme(src string) (string, error) {
	var b strings.Builder
	for _, m := range graph.Measures {
		var opts []string
		for _, o := range m.Options() {
			opts = append(opts, "`"+o+"`")
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", m.Name, m.Description, strings.Join(opts, ", "))
	}
	rows := strings.ReplaceAll(b.String(), "|  |", "| |")
	return replaceBlock(src, tableHeader, rows, func(rest string) int {
		n := 0
		for strings.HasPrefix(rest[n:], "|") {
			eol := strings.Index(rest[n:], "\n")
			if eol < 0 {
				return -1
			}
			n += eol + 1
		}
		return n
	})
}

// replaceBlock replaces the text that follows the one occurrence of start
// in src, up to where end finds the block's end in it (-1: nowhere), by
// body.
func replaceBlock(src, start, body string, end func(rest string) int) (string, error) {
	if n := strings.Count(src, start); n != 1 {
		return "", fmt.Errorf("%d places start with %q, want 1: if the measures are documented elsewhere now, update graph/internal/measuredocs", n, strings.TrimSpace(start))
	}
	i := strings.Index(src, start) + len(start)
	j := end(src[i:])
	if j < 0 {
		return "", fmt.Errorf("the block after %q has no end: update graph/internal/measuredocs", strings.TrimSpace(start))
	}
	return src[:i] + body + src[i+j:], nil
}
