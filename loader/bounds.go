package loader

import (
	"bytes"
	"fmt"
	"io"
	"math"
)

// Options bound what one load may read, so that no dataset — a gzip bomb,
// a file of one endless line, a table of a billion rows — can make the
// loader use memory or time without limit. A zero field takes its default;
// every default accepts the datasets the project ships and uses (the seed,
// CORDIS Horizon 2020, `coopgraph gen` up to its largest size) with room
// to spare. Each refusal is a Problem naming the file, the line, the limit
// and the flag that raises it.
type Options struct {
	// MaxFileBytes is the most one file may hold once decompressed.
	MaxFileBytes int64
	// MaxDatasetBytes is the most the files of a dataset may hold together
	// once decompressed, participation tables included (one table may be
	// imported many times).
	MaxDatasetBytes int64
	// MaxYAMLBytes is the most the YAML files of a dataset may hold
	// together: their parser keeps a node for every value of a document,
	// and costs some 0.6 s and 50 MB a MiB, where a CSV file is read a
	// record at a time at 15 to 40 MB/s. YAML is for curated facts (the seed:
	// 130 KB); bulk data is CSV.
	MaxYAMLBytes int64
	// MaxGzipRatio is the most a .gz file may expand: past the first MiB,
	// it may not give more than this many bytes per compressed byte read.
	// Text compresses 3 to 10 times; a gzip bomb a thousand.
	MaxGzipRatio int
	// MaxFieldBytes is the longest a CSV cell or a YAML value may be.
	MaxFieldBytes int
	// MaxLineBytes is the longest a CSV record (its lines, when a quoted
	// cell spans several) or a line of YAML may be.
	MaxLineBytes int
	// MaxEntities and MaxRelations are the most a dataset may have, with
	// those a participation import creates.
	MaxEntities  int
	MaxRelations int
	// AllowOutsideFiles lets the files of a dataset directory be symbolic
	// links to anywhere, and its participation tables be absolute paths or
	// paths with "..". Without it, every file read lies inside the
	// directory (LoadDir) or the file system (LoadFS).
	AllowOutsideFiles bool

	// ratioFloor replaces gzipRatioFloor in tests, whose files are small.
	ratioFloor int64
}

// The defaults of Options.
const (
	DefaultMaxFileBytes    = 1 << 30 // CORDIS: 7.2 MB; gen's largest (5,000,000 participations): edges.csv 263 MB
	DefaultMaxDatasetBytes = 4 << 30 // gen's largest: 360 MB
	DefaultMaxYAMLBytes    = 4 << 20
	DefaultMaxGzipRatio    = 100 // CORDIS: 4.3; gen's output: 6.5 to 7
	DefaultMaxFieldBytes   = 64 << 10
	DefaultMaxLineBytes    = 1 << 20
	DefaultMaxEntities     = 5_000_000  // gen's largest: 2,315,131
	DefaultMaxRelations    = 20_000_000 // gen's largest: 6,232,551
)

// gzipRatioFloor is how much a .gz file may give before its ratio is
// checked: the first blocks of a small, repetitive file expand far more
// than the whole.
const gzipRatioFloor = 1 << 20

// maxProblems is the most problems one load reports; past it, reading
// stops: a file of a million bad rows would otherwise hold a million
// problems in memory, and nobody reads past the first screens.
const maxProblems = 10_000

// withDefaults fills the zero fields of o with the defaults.
func (o Options) withDefaults() Options {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def64 := func(v *int64, d int64) {
		if *v <= 0 {
			*v = d
		}
	}
	def64(&o.MaxFileBytes, DefaultMaxFileBytes)
	def64(&o.MaxDatasetBytes, DefaultMaxDatasetBytes)
	def64(&o.MaxYAMLBytes, DefaultMaxYAMLBytes)
	def(&o.MaxGzipRatio, DefaultMaxGzipRatio)
	def(&o.MaxFieldBytes, DefaultMaxFieldBytes)
	def(&o.MaxLineBytes, DefaultMaxLineBytes)
	def(&o.MaxEntities, DefaultMaxEntities)
	def(&o.MaxRelations, DefaultMaxRelations)
	def64(&o.ratioFloor, gzipRatioFloor)
	return o
}

// boundError is a bound crossed while reading a file: the reader under a
// parser returns it, and the parser's caller reports it as a problem.
type boundError struct {
	line   int
	reason string
}

func (e *boundError) Error() string { return e.reason }

// countingReader counts the bytes read through it: the compressed bytes
// under a gzip reader.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// CSV states of boundedReader: it follows the quotes of a CSV file as
// encoding/csv does, to know where a record and a cell end.
const (
	csvFieldStart = iota
	csvUnquoted
	csvQuoted
	csvQuote   // a " in a quoted field: its end, or the first of ""
	csvQuoteCR // "\r: the end of the record if \n follows
	csvSkip    // a malformed line, which encoding/csv drops to its end
)

// csvSpecial marks the bytes that may change the CSV state; the others
// are skipped in a run.
var csvSpecial = [256]bool{',': true, '"': true, '\n': true, '\r': true}

// boundedReader reads a decompressed file and fails with a boundError as
// soon as it crosses a bound: the sizes (of the file, of the dataset's
// files together, of its YAML files together), the gzip ratio, a line's or
// a CSV cell's length. The parser above it never holds more than one
// bounded record, whatever the file holds; the cost is one pass over
// bytes already in the cache.
type boundedReader struct {
	r          io.Reader
	compressed *countingReader // nil for a file read as it is
	budgets    []budget
	ratio      int64
	ratioFloor int64
	maxField   int64
	maxLine    int64
	csv        bool

	total int64 // bytes given
	line  int   // the line being read, from 1
	err   error

	// Of the line (YAML) or the record (CSV) being read.
	lineBytes int64
	// CSV only.
	state      int
	recordLine int
	fieldBytes int64
	fieldLine  int
	column     int

	bytewise bool // tests: never the fast path of scanCSV
}

// budget is a bound on bytes read, by one file or by several together.
type budget struct {
	used   *int64
	max    int64
	reason string // formatted with max
}

func (l *loader) boundedReader(r io.Reader, compressed *countingReader, csv bool) *boundedReader {
	b := &boundedReader{r: r, compressed: compressed, csv: csv, line: 1, recordLine: 1, fieldLine: 1, column: 1,
		ratio: int64(l.opt.MaxGzipRatio), ratioFloor: l.opt.ratioFloor, maxField: int64(l.opt.MaxFieldBytes), maxLine: int64(l.opt.MaxLineBytes)}
	b.budgets = []budget{
		{&b.total, l.opt.MaxFileBytes, "the file is larger than %d bytes (decompressed): raise the limit with --max-file-bytes"},
		// A mapping may import one table many times, or tables through
		// many links: the files are bounded together too.
		{&l.datasetBytes, l.opt.MaxDatasetBytes, "the files of the dataset hold more than %d bytes together (decompressed): raise the limit with --max-dataset-bytes"},
	}
	if !csv {
		b.budgets = append(b.budgets, budget{&l.yamlBytes, l.opt.MaxYAMLBytes,
			"the YAML files of the dataset hold more than %d bytes together: put bulk data in CSV, or raise the limit with --max-yaml-bytes"})
	}
	return b
}

func (b *boundedReader) fail(line int, format string, args ...any) {
	b.err = &boundError{line: line, reason: fmt.Sprintf(format, args...)}
}

func (b *boundedReader) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	n, err := b.r.Read(p)
	allowed, binding := int64(math.MaxInt64), -1 // -1: the gzip ratio
	for i, bg := range b.budgets {
		if left := bg.max - *bg.used; left < allowed {
			allowed, binding = left, i
		}
	}
	if b.compressed != nil {
		if left := max(b.ratioFloor, satMul(b.ratio, b.compressed.n)) - b.total; left < allowed {
			allowed, binding = left, -1
		}
	}
	k := n
	if int64(n) > allowed {
		k = int(max(allowed, 0))
	}
	if b.csv {
		k = b.scanCSV(p[:k])
	} else {
		k = b.scanLines(p[:k])
	}
	for _, bg := range b.budgets {
		*bg.used += int64(k)
	}
	if b.err == nil && k < n {
		if binding < 0 {
			b.fail(b.line, "the file expands more than %d times its compressed size (after %d bytes): not a dataset, or raise the limit with --max-gzip-ratio",
				b.ratio, b.total)
		} else {
			b.fail(b.line, b.budgets[binding].reason, b.budgets[binding].max)
		}
	}
	if b.err != nil {
		return k, b.err
	}
	return k, err
}

// satMul is a*b, or the largest int64 when that overflows.
func satMul(a, b int64) int64 {
	if a != 0 && b > math.MaxInt64/a {
		return math.MaxInt64
	}
	return a * b
}

// scanLines follows the lines of p, failing on one longer than the limit;
// it returns how many bytes of p are accepted.
func (b *boundedReader) scanLines(p []byte) int {
	for i := 0; i < len(p); {
		j := bytes.IndexByte(p[i:], '\n')
		run := int64(len(p) - i)
		if j >= 0 {
			run = int64(j)
		}
		if b.lineBytes+run > b.maxLine {
			b.fail(b.line, "the line is longer than %d bytes: raise the limit with --max-line-bytes", b.maxLine)
			return i
		}
		if j < 0 {
			b.lineBytes += run
			return len(p)
		}
		b.lineBytes = 0
		b.line++
		i += j + 1
	}
	return len(p)
}

// scanCSV follows the records and cells of p, failing on one longer than
// its limit; it returns how many bytes of p are accepted.
//
// Most lines are whole records, shorter than a cell may be, and hold an
// even number of quotes: such a line ends its record (a record goes on past
// a newline only inside a quoted cell, after an odd number of quotes) and
// crosses no bound, so it is passed over with two vectorised scans; the
// others are followed byte by byte.
func (b *boundedReader) scanCSV(p []byte) int {
	short := min(b.maxField, b.maxLine)
	for i := 0; i < len(p); {
		j := bytes.IndexByte(p[i:], '\n')
		if !b.bytewise && b.state == csvFieldStart && b.lineBytes == 0 && j >= 0 && int64(j) < short && bytes.Count(p[i:i+j], quoteByte)%2 == 0 {
			i += j + 1
			b.line++
			b.recordLine, b.fieldLine = b.line, b.line
			continue
		}
		end := len(p)
		if j >= 0 {
			end = i + j + 1
		}
		if k := b.scanCSVBytes(p[i:end]); k < end-i {
			return i + k
		}
		i = end
	}
	return len(p)
}

var quoteByte = []byte{'"'}

// scanCSVBytes is scanCSV byte by byte: the ordinary bytes inside a cell
// in a run, each other byte through the state machine. It returns how many
// bytes of p are accepted.
//
// The state machine stays in the loop: as a method of its own, not
// inlined, it cost 10–15% on lines followed byte by byte.
func (b *boundedReader) scanCSVBytes(p []byte) int {
	for i := 0; i < len(p); {
		if b.state == csvUnquoted || b.state == csvQuoted || b.state == csvSkip {
			j := ordinaryRunEnd(p, i)
			if !b.countCellRun(int64(j - i)) {
				return i
			}
			i = j
			if i == len(p) {
				break
			}
		}
		c := p[i]
		i++
		b.lineBytes++
		if c == '\n' {
			b.line++
		}
		switch b.state {
		case csvFieldStart:
			switch c {
			case '"':
				b.state = csvQuoted
			case ',':
				b.nextField()
			case '\n':
				b.nextRecord()
			default:
				b.state = csvUnquoted
				b.fieldBytes++
			}
		case csvUnquoted:
			switch c {
			case ',':
				b.nextField()
			case '\n':
				b.nextRecord()
			case '"':
				b.state = csvSkip // a bare quote
			default:
				b.fieldBytes++
			}
		case csvQuoted:
			if c == '"' {
				b.state = csvQuote
			} else {
				b.fieldBytes++
			}
		case csvQuote:
			switch c {
			case '"':
				b.state = csvQuoted
				b.fieldBytes++
			case ',':
				b.nextField()
			case '\n':
				b.nextRecord()
			case '\r':
				b.state = csvQuoteCR
			default:
				b.state = csvSkip
			}
		case csvQuoteCR:
			if c == '\n' {
				b.nextRecord()
			} else {
				b.state = csvSkip
			}
		case csvSkip:
			if c == '\n' {
				b.nextRecord()
			}
		}
		if !b.checkCSV() {
			return i - 1
		}
	}
	return len(p)
}

// ordinaryRunEnd is where the run of bytes from p[i] that cannot change
// the CSV state ends.
func ordinaryRunEnd(p []byte, i int) int {
	for i < len(p) && !csvSpecial[p[i]] {
		i++
	}
	return i
}

// countCellRun counts a run of n ordinary bytes inside a cell (a malformed
// line's only in its record), reporting whether the bounds still hold.
func (b *boundedReader) countCellRun(n int64) bool {
	if b.state != csvSkip {
		b.fieldBytes += n
	}
	b.lineBytes += n
	return b.checkCSV()
}

func (b *boundedReader) nextField() {
	b.state, b.fieldBytes, b.fieldLine = csvFieldStart, 0, b.line
	b.column++
}

func (b *boundedReader) nextRecord() {
	b.state, b.fieldBytes, b.fieldLine, b.column = csvFieldStart, 0, b.line, 1
	b.lineBytes, b.recordLine = 0, b.line
}

// checkCSV fails when the cell or the record being read is too long.
func (b *boundedReader) checkCSV() bool {
	switch {
	case b.fieldBytes > b.maxField:
		b.fail(b.fieldLine, "the cell in column %d is longer than %d bytes: raise the limit with --max-field-bytes", b.column, b.maxField)
	case b.lineBytes > b.maxLine && b.line > b.recordLine:
		b.fail(b.recordLine, "the record (from this line to line %d, in quotes) is longer than %d bytes: raise the limit with --max-line-bytes", b.line, b.maxLine)
	case b.lineBytes > b.maxLine:
		b.fail(b.recordLine, "the line is longer than %d bytes: raise the limit with --max-line-bytes", b.maxLine)
	default:
		return true
	}
	return false
}
