// Package loader reads a dataset directory — YAML files, nodes.csv and
// edges.csv — into a validated *coopgraph.Dataset.
//
// Loading is all or nothing: a dataset with any problem yields no Dataset,
// and the error is a Problems value listing every problem found, each with
// its file, line and a plain reason. FORMAT.md documents the files.
package loader

import (
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/coopgraph/coopgraph"
)

// LoadDir reads the dataset in dir, a path of the operating system, with
// the default Options. name is the dataset's name, which stores use to scope
// reloads. Problems name files as dir joined with the file's name.
func LoadDir(dir, name string) (*coopgraph.Dataset, error) {
	return LoadDirWith(dir, name, Options{})
}

// LoadFS reads the dataset at the root of fsys (an embedded seed dataset,
// for instance) with the default Options. display is the path prefix
// problems name files with ("data/seed" gives "data/seed/x.yaml:12: …");
// name is the dataset's name.
func LoadFS(fsys fs.FS, display, name string) (*coopgraph.Dataset, error) {
	return LoadFSWith(fsys, display, name, Options{})
}

// LoadDirWith is LoadDir within the bounds of opt.
func LoadDirWith(dir, name string, opt Options) (*coopgraph.Dataset, error) {
	ds, _, err := LoadDirReport(dir, name, opt)
	return ds, err
}

// LoadFSWith is LoadFS within the bounds of opt.
func LoadFSWith(fsys fs.FS, display, name string, opt Options) (*coopgraph.Dataset, error) {
	return load(fsys, display, name, path.Join, fsFiles{fsys}.open, opt.withDefaults())
}

// Report is what a load says beside its dataset.
type Report struct {
	// Warnings are the defects of publishers' tables (a partner listed
	// twice in a project, a country name contradicting its code), each at
	// its file and line with the rule that decided what was kept. They do
	// not stop the load: the publisher's file is imported as published.
	// (At most 10,000 are kept.)
	Warnings Problems
}

// LoadDirReport is LoadDirWith, also returning the load's Report (its
// warnings are set even when the dataset has problems).
func LoadDirReport(dir, name string, opt Options) (*coopgraph.Dataset, Report, error) {
	var rep Report
	opt = opt.withDefaults()
	files, err := openDirFiles(dir, opt.AllowOutsideFiles)
	if err != nil {
		dirName := dir
		if dirName == "" {
			dirName = "."
		}
		return nil, rep, Problems{{File: dirName, Reason: "cannot read the dataset directory: " + errText(err)}}
	}
	defer files.close()
	ds, err := loadReport(files.fsys, dir, name, filepath.Join, files.open, opt, &rep.Warnings)
	return ds, rep, err
}

// LoadFSReport is LoadFSWith, also returning the load's Report.
func LoadFSReport(fsys fs.FS, display, name string, opt Options) (*coopgraph.Dataset, Report, error) {
	var rep Report
	ds, err := loadReport(fsys, display, name, path.Join, fsFiles{fsys}.open, opt.withDefaults(), &rep.Warnings)
	return ds, rep, err
}

// fileKind is what a file of a dataset directory holds.
type fileKind int

const (
	notDataset fileKind = iota
	yamlFile
	nodesFile
	edgesFile
	documentsFile
)

// datasetFileKind tells which dataset file name is, if any. Hidden files
// (an editor's or the operating system's) are never dataset files.
func datasetFileKind(name string) fileKind {
	switch {
	case strings.HasPrefix(name, "."):
		return notDataset
	case strings.HasSuffix(name, ".yaml"), strings.HasSuffix(name, ".yml"):
		return yamlFile
	case name == "nodes.csv", name == "nodes.csv.gz":
		return nodesFile
	case name == "edges.csv", name == "edges.csv.gz":
		return edgesFile
	case name == "documents.csv":
		return documentsFile
	}
	return notDataset
}

const datasetFiles = "*.yaml, *.yml, nodes.csv, edges.csv, nodes.csv.gz, edges.csv.gz or documents.csv"

// entityRec is an entity as read, with where its fields are. A field's line
// is 0 when the field is absent, and -1 when it was present but of a wrong
// type (already reported: it is then checked no further).
type entityRec struct {
	e                        coopgraph.Entity
	file                     string
	at, idAt, kindAt, nameAt int
	// nameFromPattern is set when an import made the name up from the id
	// (a later row of the table may name the entity).
	nameFromPattern bool
}

// relationRec is a relation as read, with where its fields are (as for
// entityRec). idAt is 0 when the relation has no explicit id.
type relationRec struct {
	r                                              coopgraph.Relation
	file                                           string
	at, idAt, fromAt, toAt, typeAt, startAt, endAt int
	csv                                            bool // names the ends source and target
}

// endNames names the ends of a relation as its file does.
func (rec *relationRec) endNames() (from, to string) {
	if rec.csv {
		return "source", "target"
	}
	return "from", "to"
}

// loader gathers what the files of one dataset hold and what is wrong.
type loader struct {
	display   string
	join      func(...string) string
	problems  Problems
	entities  chunked[entityRec]
	relations chunked[relationRec]
	// incomplete is set when a file that defines entities could not be
	// read whole (unreadable, not YAML, a CSV header without its columns…):
	// the ids it would define are unknown, so relations are then not
	// checked for unknown ends, which would only report false problems.
	incomplete bool
	// extraIDs are the ids of entities on malformed CSV records: not
	// entities of the dataset, but no relation to them is reported.
	extraIDs []string
	// imports are the participation imports the YAML files declare, read
	// once every file is (see readImports), their tables through open.
	imports []importAt
	// regionImports are the NUTS tables the YAML files declare, read
	// before the participation imports (see readRegions).
	regionImports []regionImportAt
	// credits are the credit lines the files ask for (key credit, or a
	// region import's credit), in the order read, each once.
	credits []string
	// open opens a file of the dataset (name slash-separated, relative to
	// the directory) if it is a regular file where the options allow.
	open func(name string) (fs.File, error)
	opt  Options
	// stop is set when a bound of the whole load is crossed (entities,
	// relations, problems): the readers then read no further.
	stop bool
	// warnings are the publishers' defects read past (see warn).
	warnings Problems
	// documents are the documents the files describe (documents.csv, a
	// YAML documents list); documentsBroken is set when a description
	// could not be read whole (citations are then not checked).
	documents       []documentRec
	documentsBroken bool
	// datasetBytes and yamlBytes are what the files (the YAML files) read
	// so far held, decompressed.
	datasetBytes, yamlBytes int64
}

// warn notes a defect of a publisher's table that the import reads past
// by a stated rule (a partner listed twice, a country name contradicting
// its code): the dataset still loads, and the load's Report lists it.
func (l *loader) warn(file string, line int, format string, args ...any) {
	if len(l.warnings) < maxProblems {
		l.warnings = append(l.warnings, Problem{File: file, Line: line, Reason: fmt.Sprintf(format, args...)})
	}
}

func (l *loader) problem(file string, line int, format string, args ...any) {
	if line < 0 {
		line = 0
	}
	if len(l.problems) >= maxProblems {
		if !l.stop || len(l.problems) == maxProblems {
			l.problems = append(l.problems, Problem{File: file, Line: line,
				Reason: fmt.Sprintf("more than %d problems: stopped reading here; fix those listed first", maxProblems)})
		}
		l.stop = true
		return
	}
	l.problems = append(l.problems, Problem{File: file, Line: line, Reason: fmt.Sprintf(format, args...)})
}

func load(fsys fs.FS, display, name string, join func(...string) string, open func(string) (fs.File, error), opt Options) (*coopgraph.Dataset, error) {
	return loadReport(fsys, display, name, join, open, opt, nil)
}

// loadReport is load, adding to warnings (when not nil) the defects of the
// publishers' tables it read past.
func loadReport(fsys fs.FS, display, name string, join func(...string) string, open func(string) (fs.File, error), opt Options, warnings *Problems) (*coopgraph.Dataset, error) {
	l := &loader{display: display, join: join, open: open, opt: opt}
	if warnings != nil {
		defer func() {
			sortProblems(l.warnings)
			*warnings = l.warnings
		}()
	}
	dirName := join(display) // cleaned: "data/seed/" is "data/seed"
	if display == "" {
		dirName = "."
	}
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		l.problem(dirName, 0, "cannot read the dataset directory: %s", errText(err))
		return nil, l.problems
	}
	files := 0
	for _, d := range entries {
		kind := datasetFileKind(d.Name())
		if kind == notDataset {
			continue
		}
		files++
		file := l.join(display, d.Name())
		if d.IsDir() {
			l.problem(file, 0, "is a directory, not a dataset file")
			l.incomplete = true
			continue
		}
		if l.stop {
			break
		}
		l.readFile(d.Name(), file, kind)
	}
	if files == 0 {
		if len(entries) == 0 {
			l.problem(dirName, 0, "the dataset directory is empty: expected %s", datasetFiles)
		} else {
			l.problem(dirName, 0, "the dataset directory has no dataset files: expected %s", datasetFiles)
		}
	}
	l.readRegions()
	l.readImports()
	ds := l.finish(name)
	if len(l.problems) > 0 {
		sortProblems(l.problems)
		return nil, l.problems
	}
	return ds, nil
}

// errText is the reason part of an error from fs: the path is in the
// problem already.
func errText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

func (l *loader) readFile(name, file string, kind fileKind) {
	f, err := l.open(name)
	if err != nil {
		l.problem(file, 0, "%s", openProblem(err))
		if kind != edgesFile {
			l.incomplete = true
		}
		return
	}
	defer func() { _ = f.Close() }() // read only: Close has nothing to lose
	r, closeGzip, ok := l.decompress(f, name, file, kind != yamlFile)
	if !ok {
		if kind != edgesFile {
			l.incomplete = true
		}
		return
	}
	defer closeGzip()
	switch kind {
	case yamlFile:
		l.readYAML(file, r)
	case nodesFile:
		l.readNodes(file, r)
	case edgesFile:
		l.readEdges(file, r)
	case documentsFile:
		l.readDocuments(file, r)
	}
}

// decompress reads a .gz file through gzip, any other as it is, within the
// bounds of the options (csv tells how to follow lines); a file that is not
// gzip is a problem, and ok is false.
func (l *loader) decompress(f io.Reader, name, file string, csv bool) (r io.Reader, closeFn func(), ok bool) {
	if !strings.HasSuffix(name, ".gz") {
		return l.boundedReader(f, nil, csv), func() {}, true
	}
	compressed := &countingReader{r: f}
	gz, err := gzip.NewReader(compressed)
	if err != nil {
		l.problem(file, 0, "cannot read the file as gzip: %s", errText(err))
		return nil, nil, false
	}
	return l.boundedReader(gz, compressed, csv), func() { _ = gz.Close() }, true
}

// addEntity checks what can be checked of one entity alone and keeps it;
// false when the dataset has as many entities as it may (reported).
func (l *loader) addEntity(rec entityRec) bool {
	if l.entities.len() >= l.opt.MaxEntities {
		l.tooMany(rec.file, rec.at, "entities", l.opt.MaxEntities, "--max-entities")
		return false
	}
	e := &rec.e
	switch {
	case rec.idAt == 0:
		l.problem(rec.file, rec.at, `entity has no "id" (required)`)
	case rec.idAt > 0 && e.ID == "":
		l.problem(rec.file, rec.idAt, "empty id")
	case rec.idAt > 0:
		if p := idProblem("id", e.ID); p != "" {
			l.problem(rec.file, rec.idAt, "%s", p)
		}
	}
	switch {
	case rec.kindAt == 0:
		l.problem(rec.file, rec.at, `entity has no "kind" (required; one of: %s)`, kindNames)
	case rec.kindAt > 0:
		if p := kindProblem(e.Kind); p != "" {
			l.problem(rec.file, rec.kindAt, "%s", p)
		}
	}
	switch {
	case rec.nameAt == 0:
		l.problem(rec.file, rec.at, `entity has no "name" (required)`)
	case rec.nameAt > 0 && e.Name == "":
		l.problem(rec.file, rec.nameAt, "empty name")
	}
	l.entities.add(rec)
	return true
}

// tooMany reports the first entity or relation past the limit and stops
// the load: what is known of the dataset is then incomplete.
func (l *loader) tooMany(file string, line int, what string, limit int, flag string) {
	if !l.stop {
		l.problem(file, line, "more than %d %s in the dataset: raise the limit with %s", limit, what, flag)
	}
	l.stop, l.incomplete = true, true
}

// addRelation checks what can be checked of one relation alone and keeps it.
func (l *loader) addRelation(rec relationRec) {
	if l.relations.len() >= l.opt.MaxRelations {
		l.tooMany(rec.file, rec.at, "relations", l.opt.MaxRelations, "--max-relations")
		return
	}
	r := &rec.r
	fromName, toName := rec.endNames()
	l.requireRef(rec.file, rec.at, rec.fromAt, fromName, r.From)
	switch {
	case rec.typeAt == 0:
		l.problem(rec.file, rec.at, `relation has no "type" (required; one of: %s)`, typeNames)
	case rec.typeAt > 0:
		if p := typeProblem(r.Type); p != "" {
			l.problem(rec.file, rec.typeAt, "%s", p)
		}
	}
	l.requireRef(rec.file, rec.at, rec.toAt, toName, r.To)
	if rec.idAt > 0 {
		if r.ID == "" {
			l.problem(rec.file, rec.idAt, "empty relation id; leave id out to have one derived from the relation")
		} else if p := idProblem("relation id", r.ID); p != "" {
			l.problem(rec.file, rec.idAt, "%s", p)
		}
	}
	startOK := l.checkDate(rec.file, rec.startAt, "start", r.Start)
	endOK := l.checkDate(rec.file, rec.endAt, "end", r.End)
	if startOK && endOK && r.Start != "" && r.End != "" && endBeforeStart(r.Start, r.End) {
		l.problem(rec.file, rec.endAt, "end %s is before start %s", quote(r.End), quote(r.Start))
	}
	l.relations.add(rec)
}

// requireRef checks that a relation's end (from/to, source/target) is given.
func (l *loader) requireRef(file string, at, fieldAt int, field, id string) {
	switch {
	case fieldAt == 0:
		l.problem(file, at, "relation has no %q (required: the id of an entity)", field)
	case fieldAt > 0 && id == "":
		l.problem(file, fieldAt, "empty %s: give the id of an entity", field)
	}
}

// checkDate reports a date that is not YYYY, YYYY-MM or YYYY-MM-DD; an empty
// date is fine (dates are optional).
func (l *loader) checkDate(file string, at int, field, date string) bool {
	if date == "" || validDate(date) {
		return true
	}
	if at != 0 {
		l.problem(file, at, "bad date %s in %s: %s", quote(date), field, dateForms)
	}
	return false
}

// finish runs the checks that span the whole dataset — duplicate ids and
// relations to unknown entities — and builds the Dataset, which is only of
// use when no problem was found.
//
// Entities and relations are sorted by id first (an index, not the records):
// duplicates are then neighbours, the first of them the first read, and the
// dataset's order comes for free.
func (l *loader) finish(name string) *coopgraph.Dataset {
	entityOrder := sortedOrder(l.entities.len(), func(i int) string { return l.entities.at(i).e.ID })
	byID := make(map[string]struct{}, len(entityOrder))
	var first *entityRec // the first of a run of equal ids
	for _, i := range entityOrder {
		rec := l.entities.at(int(i))
		id := rec.e.ID
		if id == "" {
			continue
		}
		if first != nil && first.e.ID == id {
			l.problem(rec.file, rec.idAt, "duplicate entity id %s: first defined at %s:%d", quote(id), first.file, first.idAt)
			continue
		}
		first = rec
		byID[id] = struct{}{}
	}
	for _, id := range l.extraIDs {
		byID[id] = struct{}{}
	}

	for i := range l.relations.len() {
		rec := l.relations.at(i)
		r := &rec.r
		if rec.idAt == 0 {
			r.ID = coopgraph.RelationKey(*r)
		}
		if l.incomplete {
			continue
		}
		fromName, toName := rec.endNames()
		if _, ok := byID[r.From]; !ok && r.From != "" {
			l.problem(rec.file, rec.fromAt, "relation from unknown entity %s (%s): no entity of the dataset has this id", quote(r.From), fromName)
		}
		if _, ok := byID[r.To]; !ok && r.To != "" {
			l.problem(rec.file, rec.toAt, "relation to unknown entity %s (%s): no entity of the dataset has this id", quote(r.To), toName)
		}
	}

	relationOrder := sortedOrder(l.relations.len(), func(i int) string { return l.relations.at(i).r.ID })
	var firstRel *relationRec // the first of a run of equal ids
	for _, i := range relationOrder {
		rec := l.relations.at(int(i))
		id := rec.r.ID
		if id == "" {
			continue
		}
		if firstRel == nil || firstRel.r.ID != id {
			firstRel = rec
			continue
		}
		first := firstRel
		if rec.idAt != 0 && first.idAt != 0 {
			l.problem(rec.file, rec.idAt, "duplicate relation id %s: first used at %s:%d", quote(id), first.file, first.idAt)
		} else {
			l.problem(rec.file, rec.at, "duplicate relation %s: the relation at %s:%d has the same id (from, type, to, role, start and document); add an explicit `id` to tell them apart, or remove one",
				quote(id), first.file, first.at)
		}
	}

	docs := l.finishDocuments()
	if len(l.problems) > 0 {
		return nil
	}
	ds := &coopgraph.Dataset{
		Name:      name,
		Entities:  make([]coopgraph.Entity, len(entityOrder)),
		Relations: make([]coopgraph.Relation, len(relationOrder)),
		Credits:   l.credits,
		Documents: docs,
	}
	for k, i := range entityOrder {
		ds.Entities[k] = l.entities.at(int(i)).e
	}
	for k, i := range relationOrder {
		ds.Relations[k] = l.relations.at(int(i)).r
	}
	return ds
}

// sortedOrder returns the indices 0..n-1 ordered by key, equal keys in
// index order (the order read).
//
// The keys are gathered first: a comparison then reads two strings beside
// each other rather than calling key twice, each a lookup in the records'
// chunks.
func sortedOrder(n int, key func(int) string) []int32 {
	type keyed struct {
		key string
		i   int32
	}
	ks := make([]keyed, n)
	for i := range ks {
		ks[i] = keyed{key(i), int32(i)}
	}
	slices.SortFunc(ks, func(a, b keyed) int {
		if c := strings.Compare(a.key, b.key); c != 0 {
			return c
		}
		return int(a.i - b.i)
	})
	order := make([]int32, n)
	for k, e := range ks {
		order[k] = e.i
	}
	return order
}
