package gen

import (
	"bufio"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// The files of a generated dataset directory.
const (
	NodesFile = "nodes.csv.gz"
	EdgesFile = "edges.csv.gz"
	NoteFile  = "GENERATED.md" // not a dataset file: the loader ignores it
)

// ErrNotEmpty is returned by WriteDir for a directory that holds files,
// unless told to overwrite.
var ErrNotEmpty = errors.New("directory is not empty")

// WriteNodes writes the entities as nodes.csv (not compressed): header
// id,kind,name,country, then the countries in use, the projects and the
// organisations.
func (nw *Network) WriteNodes(ctx context.Context, w io.Writer) error {
	b := newRowWriter(ctx, w)
	b.str("id,kind,name,country\n")
	for _, c := range nw.usedCountries() {
		cc := nw.Countries[c]
		b.str("c:" + cc.Code + ",Country," + csvField(cc.Name) + "," + cc.Code + "\n")
		if !b.row() {
			return b.err
		}
	}
	for p := range nw.Projects() {
		b.str("p:")
		b.int(p + 1)
		b.str(",Project,Project ")
		b.int(p + 1)
		b.str(",\n")
		if !b.row() {
			return b.err
		}
	}
	for o, c := range nw.OrgCountry {
		code := nw.Countries[c].Code
		b.str("o:")
		b.int(o + 1)
		b.str(",Organisation,Organisation ")
		b.int(o + 1)
		b.str(" (" + code + ")," + code + "\n")
		if !b.row() {
			return b.err
		}
	}
	return b.flush()
}

// WriteEdges writes the relations as edges.csv (not compressed): header
// source,target,type,role, then every Organisation PARTICIPATES_IN Project
// (role coordinator or participant) project by project, then every
// Organisation LOCATED_IN Country.
func (nw *Network) WriteEdges(ctx context.Context, w io.Writer) error {
	b := newRowWriter(ctx, w)
	b.str("source,target,type,role\n")
	for p := range nw.Projects() {
		for i, o := range nw.Partners(p) {
			b.str("o:")
			b.int(int(o) + 1)
			b.str(",p:")
			b.int(p + 1)
			if i == 0 {
				b.str(",PARTICIPATES_IN,coordinator\n")
			} else {
				b.str(",PARTICIPATES_IN,participant\n")
			}
			if !b.row() {
				return b.err
			}
		}
	}
	for o, c := range nw.OrgCountry {
		b.str("o:")
		b.int(o + 1)
		b.str(",c:" + nw.Countries[c].Code + ",LOCATED_IN,\n")
		if !b.row() {
			return b.err
		}
	}
	return b.flush()
}

// WriteDir writes the network as a coopgraph dataset in dir, created if
// need be: nodes.csv.gz, edges.csv.gz and a note (GENERATED.md) with the
// configuration and the summary. A directory holding anything is refused
// with ErrNotEmpty unless force is set; then the files gen writes are
// replaced (and a nodes.csv or edges.csv removed, as the loader would read
// it as well), other files left alone. The files are written under hidden
// temporary names and renamed once all are complete. The two CSV files are
// compressed concurrently; the bytes depend on the network only.
func (nw *Network) WriteDir(ctx context.Context, dir string, force bool) error {
	if err := prepareDir(dir, force); err != nil {
		return err
	}
	tmp := func(f string) string { return filepath.Join(dir, "."+f+".tmp") }
	errs := make(chan error, 2)
	go func() { errs <- writeGzip(ctx, tmp(NodesFile), nw.WriteNodes) }()
	go func() { errs <- writeGzip(ctx, tmp(EdgesFile), nw.WriteEdges) }()
	err := errors.Join(<-errs, <-errs)
	if err == nil {
		err = os.WriteFile(tmp(NoteFile), nw.note(), 0o644)
	}
	// Rename only when every file is complete, so that a failed or
	// cancelled run leaves no half dataset behind.
	for _, f := range []string{NodesFile, EdgesFile, NoteFile} {
		if err == nil {
			err = os.Rename(tmp(f), filepath.Join(dir, f))
		}
	}
	if err != nil {
		for _, f := range []string{NodesFile, EdgesFile, NoteFile} {
			if rmErr := os.Remove(tmp(f)); rmErr != nil && !errors.Is(rmErr, fs.ErrNotExist) {
				err = errors.Join(err, rmErr)
			}
		}
	}
	return err
}

func prepareDir(dir string, force bool) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return os.MkdirAll(dir, 0o755)
	case err != nil:
		return err
	case len(entries) > 0 && !force:
		return fmt.Errorf("%s: %w (use --force to overwrite)", dir, ErrNotEmpty)
	}
	for _, f := range []string{"nodes.csv", "edges.csv"} {
		if err := os.Remove(filepath.Join(dir, f)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return nil
}

// writeGzip writes path through gzip with write.
func writeGzip(ctx context.Context, path string, write func(context.Context, io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	// BestSpeed: compression is most of the time spent, and level 1 still
	// shrinks these repetitive rows about 4 times. The header carries no
	// name or time, so the bytes depend on the content only.
	z, _ := gzip.NewWriterLevel(f, gzip.BestSpeed)
	err = write(ctx, z)
	if cerr := z.Close(); err == nil {
		err = cerr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// note is the text of GENERATED.md.
func (nw *Network) note() []byte {
	s, cfg := nw.Summary(), nw.Config
	return []byte(fmt.Sprintf(`# A generated cooperation network

Synthetic, not real data: written by `+"`coopgraph gen --participations %d --seed %d`"+`
(package gen), with distributions calibrated against the CORDIS Horizon 2020
participations. The same command writes byte-identical files.

| | |
|---|---|
| participations (Organisation PARTICIPATES_IN Project) | %d |
| projects | %d |
| organisations (each LOCATED_IN one country) | %d |
| countries | %d |
| partners per project: mean, max | %.3f, %d |
| single-partner projects | %d (%.1f%%) |
| projects per organisation: mean, max | %.3f, %d |
| organisations in one project only | %d (%.1f%%) |
`, cfg.Participations, cfg.Seed, s.Participations, s.Projects, s.Organisations, s.Countries,
		s.MeanPartners, s.MaxPartners, s.SingleProjects, pct(s.SingleProjects, s.Projects),
		s.MeanProjects, s.MaxProjects, s.SingleOrganisation, pct(s.SingleOrganisation, s.Organisations)))
}

func pct(a, b int) float64 { return 100 * float64(a) / float64(max(1, b)) }

// rowWriter buffers rows, checking for cancellation now and then.
type rowWriter struct {
	ctx  context.Context
	w    *bufio.Writer
	rows int
	err  error
	buf  []byte
}

func newRowWriter(ctx context.Context, w io.Writer) *rowWriter {
	return &rowWriter{ctx: ctx, w: bufio.NewWriterSize(w, 256<<10), buf: make([]byte, 0, 20)}
}

// str and int drop the write's error: the bufio.Writer keeps the first one,
// and row and the final Flush report it.
func (b *rowWriter) str(s string) { _, _ = b.w.WriteString(s) }

func (b *rowWriter) int(i int) {
	b.buf = strconv.AppendInt(b.buf[:0], int64(i), 10)
	_, _ = b.w.Write(b.buf)
}

// row ends a row; every 64k rows it checks the context and the writer,
// and reports false when writing should stop.
func (b *rowWriter) row() bool {
	b.rows++
	if b.rows&0xffff == 0 {
		if b.err = b.ctx.Err(); b.err == nil {
			_, b.err = b.w.Write(nil) // the first write error, if any
		}
	}
	return b.err == nil
}

func (b *rowWriter) flush() error {
	if b.err != nil {
		return b.err
	}
	if err := b.ctx.Err(); err != nil {
		return err
	}
	return b.w.Flush()
}

// csvField quotes s as RFC 4180 requires.
func csvField(s string) string {
	for i := range len(s) {
		switch s[i] {
		case ',', '"', '\n', '\r':
			return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
		}
	}
	return s
}
