package sources

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"slices"
	"strings"
	"unsafe"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/data"
	"github.com/coopgraph/coopgraph/loader"
)

// The built-in network is linked when the binary is built, not when it
// starts: `go generate` writes it (data/linked.bin.gz, embedded) from the
// embedded sources, because reading 300,000 rows of four sources and
// linking them takes seconds and hundreds of MB, while reading the result
// takes a second. The file records a digest of its inputs; a binary whose
// file does not match its sources (a source changed without go generate)
// links at start instead, so it never serves a stale network.
//
// The format is a gzip stream: a header line, the digest, a table of every
// distinct string once, then the dataset with each string as its index in
// the table (uvarints). Maps are written in key order, so the same network
// gives the same bytes.

// compiledHeader starts the file; the number is the format's version.
const compiledHeader = "coopgraph linked network 2\n"

// linkerVersion marks the linker's rules in the digest. go generate links
// anew every time, so a change of the rules shows as a diff of the file
// (and TestCompiledNetworkIsTheSourcesLinked compares); bump it when a
// binary built from an older file must link at start rather than serve it.
const linkerVersion = "link-1"

// InputsDigest is the digest of everything the built-in network is made
// from: every embedded source file, the curated links, the linker's
// version.
// (Writes to a hash never fail.)
func InputsDigest() (string, error) {
	h := sha256.New()
	_, _ = fmt.Fprintf(h, "%s\n%s\n", compiledHeader, linkerVersion)
	for _, s := range data.Sources() {
		err := fs.WalkDir(s.FS, ".", func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := fs.ReadFile(s.FS, path)
			if err != nil {
				return err
			}
			_, _ = fmt.Fprintf(h, "%s/%s %d\n", s.Name, path, len(b))
			h.Write(b)
			return nil
		})
		if err != nil {
			return "", err
		}
	}
	_, _ = fmt.Fprintf(h, "links %d\n", len(data.Links()))
	h.Write(data.Links())
	return hex.EncodeToString(h.Sum(nil)), nil
}

// WriteCompiled writes ds, linked from inputs of the given digest.
func WriteCompiled(w io.Writer, ds *coopgraph.Dataset, digest string) error {
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(zw)
	writePayload(bw, compiledHeader, ds, nil, digest)
	if err := bw.Flush(); err != nil {
		return err
	}
	return zw.Close()
}

// castagnoli is the checksum of a cache file (hardware-assisted: the
// cache is not compressed, because inflating it would take longer than
// reading it).
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// writeCache writes ds and its sources' warnings as the cache keeps them:
// not compressed, with the payload's CRC-32C after it.
func writeCache(w io.Writer, ds *coopgraph.Dataset, warnings []Warnings, digest string) error {
	crc := crc32.New(castagnoli)
	bw := bufio.NewWriterSize(io.MultiWriter(w, crc), 1<<16)
	writePayload(bw, cacheHeader, ds, warnings, digest)
	if err := bw.Flush(); err != nil {
		return err
	}
	_, err := w.Write(binary.BigEndian.AppendUint32(nil, crc.Sum32()))
	return err
}

// writePayload writes the header, the digest, the string table and the
// body; the cache's warnings follow the dataset. Errors are bw's Flush's.
func writePayload(bw *bufio.Writer, header string, ds *coopgraph.Dataset, warnings []Warnings, digest string) {
	e := newEncoder(ds, header == cacheHeader)
	e.dataset(ds)
	if header == cacheHeader {
		e.warnings(warnings)
	}
	_, _ = bw.WriteString(header)
	writeString(bw, digest)
	writeUvarint(bw, uint64(len(e.table)))
	for _, s := range e.table {
		writeString(bw, s)
	}
	writeUvarint(bw, uint64(len(e.body)))
	if header == cacheHeader {
		// Where the relations start, in bytes from the body's start: the
		// reader decodes them beside the entities.
		split := 0
		for _, v := range e.body[:e.relations] {
			split += len(binary.AppendUvarint(nil, v))
		}
		writeUvarint(bw, uint64(split))
	}
	for _, v := range e.body {
		writeUvarint(bw, v)
	}
}

// encoder turns a dataset into string indices (body) over a table.
type encoder struct {
	index map[string]uint64
	table []string
	body  []uint64
	// byRef, for the cache: a long string is looked up by where its bytes
	// are, not by its bytes. Hashing the long strings (quotes, documents,
	// names) was most of the writing's time; the loader shares the bytes
	// of the values it repeats, so the table grows little, and nothing
	// needs the cache's bytes to be the same from one write to the next.
	// The compiled network, committed, keeps one entry per value.
	byRef bool
	refs  map[stringRef]uint64
	// relations is where the relations start in body.
	relations int
}

// stringRef is where a string's bytes are.
type stringRef struct {
	data *byte
	n    int
}

// shortString is the longest string the cache's encoder looks up by value.
const shortString = 24

func newEncoder(ds *coopgraph.Dataset, byRef bool) *encoder {
	n := len(ds.Entities) + len(ds.Relations)
	e := &encoder{index: make(map[string]uint64, n/4), byRef: byRef, body: make([]uint64, 0, 12*n)}
	if byRef {
		e.refs = make(map[stringRef]uint64, n)
	}
	return e
}

func (e *encoder) str(s string) {
	if e.byRef && len(s) > shortString {
		e.body = append(e.body, intern(e, e.refs, stringRef{unsafe.StringData(s), len(s)}, s))
		return
	}
	e.body = append(e.body, intern(e, e.index, s, s))
}

// intern is s's index in e's table, found in seen by key, or added.
func intern[K comparable](e *encoder, seen map[K]uint64, key K, s string) uint64 {
	i, ok := seen[key]
	if !ok {
		i = uint64(len(e.table))
		seen[key] = i
		e.table = append(e.table, s)
	}
	return i
}

func (e *encoder) strs(ss []string) {
	e.body = append(e.body, uint64(len(ss)))
	for _, s := range ss {
		e.str(s)
	}
}

// fields writes a struct's strings in order, without a count: the reader
// knows how many.
func (e *encoder) fields(ss ...string) {
	for _, s := range ss {
		e.str(s)
	}
}

func (e *encoder) props(m map[string]string) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	e.body = append(e.body, uint64(len(keys)))
	for _, k := range keys {
		e.str(k)
		e.str(m[k])
	}
}

func (e *encoder) dataset(ds *coopgraph.Dataset) {
	e.str(ds.Name)
	e.strs(ds.Credits)
	e.body = append(e.body, uint64(len(ds.Documents)))
	for _, doc := range ds.Documents {
		e.fields(doc.ID, doc.Title, doc.Publisher, doc.URL, doc.Published, doc.Retrieved, doc.Licence)
	}
	e.body = append(e.body, uint64(len(ds.Entities)))
	for _, en := range ds.Entities {
		e.str(en.ID)
		e.str(en.Kind)
		e.str(en.Name)
		e.strs(en.Aliases)
		e.props(en.Properties)
		e.body = append(e.body, uint64(len(en.Facts)))
		for _, f := range en.Facts {
			e.fields(f.Property, f.Value, f.Document, f.Quote)
		}
		e.strs(en.Documents)
		e.body = append(e.body, uint64(len(en.Records)))
		for _, r := range en.Records {
			e.fields(r.Dataset, r.ID, r.Name, r.Place, r.Rule)
		}
	}
	e.relations = len(e.body)
	e.body = append(e.body, uint64(len(ds.Relations)))
	for _, r := range ds.Relations {
		if e.byRef {
			e.relationID(r)
		} else {
			e.str(r.ID)
		}
		e.fields(r.Type, r.From, r.To, r.Role, r.Start, r.End, r.Document, r.Quote)
		e.props(r.Properties)
	}
}

// relationID writes, in the cache, 0 for a relation whose id is its
// coopgraph.RelationKey (the loader's id of a relation without one: most
// of them, each about 150 bytes, two thirds of CORDIS's file), which the
// decoder makes again; otherwise 1 + the id's index.
func (e *encoder) relationID(r coopgraph.Relation) {
	if isRelationKey(r) {
		e.body = append(e.body, 0)
		return
	}
	e.str(r.ID)
	e.body[len(e.body)-1]++
}

// isRelationKey says whether r.ID is coopgraph.RelationKey(r), without
// making the key.
func isRelationKey(r coopgraph.Relation) bool {
	id := r.ID
	cut := func(p string) bool {
		rest, ok := strings.CutPrefix(id, p)
		id = rest
		return ok
	}
	if !cut(r.From) || !cut("|") || !cut(r.Type) || !cut("|") || !cut(r.To) {
		return false
	}
	for _, p := range [...]string{r.Role, r.Start, r.Document} {
		if p != "" && (!cut("|") || !cut(p)) {
			return false
		}
	}
	return id == ""
}

// warnings writes each source's warnings (the cache's only: the built-in
// network has none once compiled).
func (e *encoder) warnings(ws []Warnings) {
	e.body = append(e.body, uint64(len(ws)))
	for _, w := range ws {
		e.str(w.Source)
		e.body = append(e.body, uint64(len(w.Problems)))
		for _, p := range w.Problems {
			e.str(p.File)
			e.body = append(e.body, uint64(p.Line))
			e.str(p.Reason)
		}
	}
}

func writeUvarint(w *bufio.Writer, v uint64) {
	_, _ = w.Write(binary.AppendUvarint(w.AvailableBuffer(), v)) // no allocation; the error is the Flush's
}

func writeString(w *bufio.Writer, s string) {
	writeUvarint(w, uint64(len(s)))
	_, _ = w.WriteString(s)
}

// errCompiled is a file that is not a compiled network of this version.
var errCompiled = errors.New("not a compiled network of this version")

// ReadCompiled reads a network WriteCompiled wrote, and the digest of
// its inputs.
func ReadCompiled(r io.Reader) (*coopgraph.Dataset, string, error) {
	var buf bytes.Buffer
	if size := inflatedSize(r); size > 0 {
		buf.Grow(size + bytes.MinRead) // one allocation: doubling a 70 MB buffer cost more than inflating it
	}
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, "", err
	}
	if _, err := buf.ReadFrom(zr); err != nil {
		return nil, "", err
	}
	ds, _, digest, err := readPayload(buf.Bytes(), compiledHeader)
	return ds, digest, err
}

// inflatedSize is the size a gzip stream in memory says it inflates to (its
// last four bytes, RFC 1952), a hint for the buffer: 0 when r cannot tell,
// at most 1 GiB.
func inflatedSize(r io.Reader) int {
	ra, ok := r.(interface {
		io.ReaderAt
		Size() int64
	})
	if !ok || ra.Size() < 18 {
		return 0
	}
	var t [4]byte
	if _, err := ra.ReadAt(t[:], ra.Size()-4); err != nil {
		return 0
	}
	return int(min(binary.LittleEndian.Uint32(t[:]), 1<<30))
}

// readCache reads what writeCache wrote, checking its checksum first: a
// damaged cache must fail, not answer.
func readCache(b []byte) (*coopgraph.Dataset, []Warnings, string, error) {
	if len(b) < 4 {
		return nil, nil, "", errCompiled
	}
	body, sum := b[:len(b)-4], binary.BigEndian.Uint32(b[len(b)-4:])
	if crc32.Checksum(body, castagnoli) != sum {
		return nil, nil, "", fmt.Errorf("%w: its checksum does not match", errCompiled)
	}
	return readPayload(body, cacheHeader)
}

// readPayload decodes what writePayload wrote, from memory: every string
// of the table is a piece of b, no allocation per string. b must not be
// written after.
func readPayload(b []byte, header string) (*coopgraph.Dataset, []Warnings, string, error) {
	if !bytes.HasPrefix(b, []byte(header)) {
		return nil, nil, "", errCompiled
	}
	d := &decoder{b: b, p: len(header), cache: header == cacheHeader}
	digest := d.rawString()
	d.readTable()
	d.uvarint() // the body's length: the decoder reads it as it goes
	var ds *coopgraph.Dataset
	var warnings []Warnings
	if header != cacheHeader {
		ds = d.dataset()
	} else {
		split := d.uvarint()
		ds = d.datasetSplit(d.p + split)
		warnings = d.warnings()
		if d.err == nil && d.p != len(d.b) {
			d.err = fmt.Errorf("%d bytes past the end", len(d.b)-d.p)
		}
	}
	if d.err != nil {
		return nil, nil, "", fmt.Errorf("%w: %v", errCompiled, d.err)
	}
	return ds, warnings, digest, nil
}

// decoder reads what encoder wrote; its first error sticks.
type decoder struct {
	cache bool // the cache's payload (relationID)
	b     []byte
	p     int // the next byte of b
	table []string
	err   error
}

// maxLen bounds a length read from the file, so that a damaged file fails
// rather than allocating without bound.
const maxLen = 1 << 26

func (d *decoder) uvarint() int {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b[d.p:])
	switch {
	case n <= 0:
		d.err = fmt.Errorf("a number cut short at byte %d", d.p)
		return 0
	case v > maxLen:
		d.err = fmt.Errorf("length %d", v)
		return 0
	}
	d.p += n
	return int(v)
}

// bytesOf is the next n bytes.
func (d *decoder) bytesOf(n int) []byte {
	if d.err != nil {
		return nil
	}
	if n > len(d.b)-d.p {
		d.err = fmt.Errorf("%d bytes past the end", n-(len(d.b)-d.p))
		return nil
	}
	d.p += n
	return d.b[d.p-n : d.p]
}

func (d *decoder) rawString() string {
	return string(d.bytesOf(d.uvarint()))
}

// readTable reads the string table: first its extent, then each string as
// a piece of it, without a copy: the decoder's bytes are its own (read
// from a file or inflated for it) and never written again, so they can be
// the strings' (unsafe.String's condition); the dataset's strings are
// most of them anyway.
func (d *decoder) readTable() {
	n := d.uvarint()
	start := d.p
	for range n {
		d.bytesOf(d.uvarint())
	}
	if d.err != nil {
		return
	}
	var all string
	if d.p > start {
		all = unsafe.String(&d.b[start], d.p-start)
	}
	d.table = make([]string, n)
	q := 0
	for i := range d.table {
		v, w := binary.Uvarint(d.b[start+q:]) // read once above: well formed
		q += w
		d.table[i] = all[q : q+int(v)]
		q += int(v)
	}
}

func (d *decoder) warnings() []Warnings {
	n := d.uvarint()
	if n == 0 {
		return nil
	}
	out := make([]Warnings, n)
	for i := range out {
		if d.err != nil {
			return nil
		}
		out[i].Source = d.str()
		out[i].Problems = make(loader.Problems, d.uvarint())
		for j := range out[i].Problems {
			out[i].Problems[j] = loader.Problem{File: d.str(), Line: d.uvarint(), Reason: d.str()}
		}
	}
	return out
}

// relationKey is coopgraph.RelationKey(r) in one allocation rather than
// one per part (TestCacheAnswersAsParsed compares them).
func relationKey(r coopgraph.Relation) string {
	parts := [...]string{r.From, r.Type, r.To, r.Role, r.Start, r.Document}
	n := len(parts) - 1
	for _, p := range parts {
		n += len(p)
	}
	var b strings.Builder
	b.Grow(n)
	for i, p := range parts {
		if i > 0 && (i < 3 || p != "") {
			b.WriteByte('|')
		}
		b.WriteString(p)
	}
	return b.String()
}

// relationID reads what encoder.relationID wrote for an id not the key.
func (d *decoder) relationID() string {
	i := d.uvarint() - 1
	if i < 0 || i >= len(d.table) {
		if d.err == nil {
			d.err = fmt.Errorf("relation id %d of %d", i, len(d.table))
		}
		return ""
	}
	return d.table[i]
}

func (d *decoder) str() string {
	i := d.uvarint()
	if i >= len(d.table) {
		if d.err == nil {
			d.err = fmt.Errorf("string %d of %d", i, len(d.table))
		}
		return ""
	}
	return d.table[i]
}

func (d *decoder) strs() []string {
	n := d.uvarint()
	if n == 0 {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = d.str()
	}
	return out
}

func (d *decoder) props() map[string]string {
	n := d.uvarint()
	if n == 0 {
		return nil
	}
	m := make(map[string]string, n)
	for range n {
		k := d.str()
		m[k] = d.str()
	}
	return m
}

func (d *decoder) dataset() *coopgraph.Dataset {
	ds := d.head()
	ds.Relations = d.relations()
	return ds
}

// datasetSplit decodes the cache's dataset on two cores: the relations,
// from the byte split the writer recorded, beside the entities.
func (d *decoder) datasetSplit(split int) *coopgraph.Dataset {
	if d.err != nil || split < d.p || split > len(d.b) {
		if d.err == nil {
			d.err = fmt.Errorf("relations at byte %d of %d", split, len(d.b))
		}
		return nil
	}
	rd := &decoder{cache: true, b: d.b, p: split, table: d.table}
	var rels []coopgraph.Relation
	done := make(chan struct{})
	go func() {
		defer close(done)
		rels = rd.relations()
	}()
	ds := d.head()
	<-done
	if d.err == nil && d.p != split {
		d.err = fmt.Errorf("the entities end at byte %d, not %d", d.p, split)
	}
	if d.err == nil {
		d.err = rd.err
	}
	d.p = rd.p
	ds.Relations = rels
	return ds
}

// head decodes the dataset's name, credits and entities.
func (d *decoder) head() *coopgraph.Dataset {
	ds := &coopgraph.Dataset{Name: d.str(), Credits: d.strs()}
	if n := d.uvarint(); n > 0 && d.err == nil {
		ds.Documents = make([]coopgraph.Document, 0, min(n, 1<<16))
		for range n {
			if d.err != nil {
				return ds
			}
			ds.Documents = append(ds.Documents, coopgraph.Document{ID: d.str(), Title: d.str(), Publisher: d.str(),
				URL: d.str(), Published: d.str(), Retrieved: d.str(), Licence: d.str()})
		}
	}
	ds.Entities = make([]coopgraph.Entity, d.uvarint())
	for i := range ds.Entities {
		if d.err != nil {
			return ds
		}
		ds.Entities[i] = d.entity()
	}
	return ds
}

func (d *decoder) relations() []coopgraph.Relation {
	rels := make([]coopgraph.Relation, d.uvarint())
	for i := range rels {
		if d.err != nil {
			return rels
		}
		key := false
		var id string
		if d.cache {
			if key = d.p < len(d.b) && d.b[d.p] == 0; key {
				d.p++
			} else {
				id = d.relationID()
			}
		} else {
			id = d.str()
		}
		r := coopgraph.Relation{ID: id, Type: d.str(), From: d.str(), To: d.str(), Role: d.str(),
			Start: d.str(), End: d.str(), Document: d.str(), Quote: d.str(), Properties: d.props()}
		if key {
			r.ID = relationKey(r)
		}
		rels[i] = r
	}
	return rels
}

func (d *decoder) entity() coopgraph.Entity {
	e := coopgraph.Entity{ID: d.str(), Kind: d.str(), Name: d.str(), Aliases: d.strs(), Properties: d.props()}
	if n := d.uvarint(); n > 0 {
		e.Facts = make([]coopgraph.Fact, n)
		for i := range e.Facts {
			e.Facts[i] = coopgraph.Fact{Property: d.str(), Value: d.str(), Document: d.str(), Quote: d.str()}
		}
	}
	e.Documents = d.strs()
	if n := d.uvarint(); n > 0 {
		e.Records = make([]coopgraph.Record, n)
		for i := range e.Records {
			e.Records[i] = coopgraph.Record{Dataset: d.str(), ID: d.str(), Name: d.str(), Place: d.str(), Rule: d.str()}
		}
	}
	return e
}
