package loader

import (
	"errors"
	"hash/maphash"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/coopgraph/coopgraph"
)

// What an import creates.
const (
	importProjectKind   = "Project"
	importOrgKind       = "Organisation"
	importCountryKind   = "Country"
	importRegionKind    = "Region"
	importProgrammeKind = "Programme"
	importTakesPart     = "PARTICIPATES_IN"
	importLocatedIn     = "LOCATED_IN"
	importPartOf        = "PART_OF"
	importFundedBy      = "FUNDED_BY"
)

// importAt is an import with the YAML file it was declared in.
type importAt struct {
	imp      *participationImport
	yamlFile string
}

// importState is what the imports of one dataset share: one entity per
// id and one relation per statement, whichever table says it (keep.eu's
// two exports overlap for 2014–2020).
type importState struct {
	countries map[string]string // code -> Country entity id
	created   map[string]bool   // countries the imports created
	defined   map[string]bool   // ids the dataset's own files define
	entities  map[string]int    // id -> index in l.entities, of entities the imports made
	// relations index the relations the imports made by a hash of their
	// statement (from, type, to, role, start): integer keys keep the map
	// fast over hundreds of thousands of rows; a hash shared by two
	// different statements (never seen, but possible) goes to collided.
	relations map[uint64]int32
	collided  map[statement]int
	seed      maphash.Seed
	orgs      map[string]*orgCountry
	dates     map[string][2]string // project id -> start, end given by a projects table
	byName    map[string]string    // folded country name -> code
	interned  map[string]string    // see intern
	slugs     map[string]string    // cell -> its slug: programmes and names repeat
}

// statement is what makes two relations the same: a later table saying
// it adds to the first.
type statement struct{ from, typ, to, role, start string }

// orgCountry is an organisation's country code and the line that gave it,
// and whether it is located somewhere yet.
type orgCountry struct {
	code        string
	countryLine int
	region      bool // LOCATED_IN a region
	country     bool // LOCATED_IN its country
}

// readImports reads the tables of the imports declared, projects tables
// first (their dates and titles are the projects'). It runs after every
// file of the directory is read, so that the dataset's own entities
// (Country entities with a code property, say) are known.
func (l *loader) readImports() {
	if len(l.imports) == 0 {
		return
	}
	st := &importState{countries: map[string]string{}, created: map[string]bool{}, defined: map[string]bool{},
		entities: map[string]int{}, relations: map[uint64]int32{}, collided: map[statement]int{}, seed: maphash.MakeSeed(), orgs: map[string]*orgCountry{},
		dates: map[string][2]string{}, byName: countryByName(), interned: map[string]string{}, slugs: map[string]string{}}
	for i := range l.entities.len() {
		e := &l.entities.at(i).e
		st.defined[e.ID] = true
		if code := strings.ToUpper(e.Properties["code"]); e.Kind == importCountryKind && code != "" {
			if _, dup := st.countries[code]; !dup {
				st.countries[code] = e.ID
			}
		}
	}
	imports := slices.Clone(l.imports)
	slices.SortStableFunc(imports, func(a, b importAt) int {
		switch {
		case a.imp.projectsTable == b.imp.projectsTable:
			return 0
		case a.imp.projectsTable:
			return -1
		}
		return 1
	})
	for _, ia := range imports {
		if l.stop {
			return
		}
		l.readImport(ia, st)
	}
}

// countryByName maps each country's folded English name to its code (EL
// and UK, as NUTS writes them, for Greece and the United Kingdom).
func countryByName() map[string]string {
	m := make(map[string]string, len(countryNames))
	for _, code := range sortedKeys(countryNames) {
		name := coopgraph.Fold(countryNames[code])
		if _, dup := m[name]; !dup || code == "EL" || code == "UK" {
			m[name] = code
		}
	}
	return m
}

// readImport reads one table: each row gives its entities and relations
// (importRun.row). A table that cannot be read, or rows that cannot, leave
// the dataset incomplete.
func (l *loader) readImport(ia importAt, st *importState) {
	c, closeTable := l.openImport(ia)
	if c == nil {
		l.incomplete = true
		return
	}
	defer closeTable()
	run := &importRun{l: l, imp: ia.imp, doc: ia.imp.document, st: st, pairs: map[uint64]pairAt{}, collidedPairs: map[[2]string]int{}}
	if run.doc == "" {
		run.doc = path.Base(ia.imp.table)
	}
	for {
		rec, ok := c.next()
		if !ok {
			break
		}
		run.row(c, rec)
	}
	if c.line < 0 {
		l.incomplete = true
	}
}

// openTable opens the table a YAML file maps (what: "participation",
// "region") at its line tableAt. YAML files lie at the top of the dataset
// directory: a relative table is relative to it. name is the table's path
// in the dataset, file how messages name it; a table refused or unreadable
// is a problem at tableAt, and ok is false.
func (l *loader) openTable(what, table, yamlFile string, tableAt int) (f fs.File, name, file string, ok bool) {
	name = path.Clean(table)
	file = name
	if l.display != "" && !path.IsAbs(table) {
		file = l.join(l.display, name)
	}
	f, err := l.open(name)
	if err != nil {
		var re *refusedError
		if errors.As(err, &re) {
			l.problem(yamlFile, tableAt, "%s table %s %s", what, quote(table), re.reason)
		} else {
			l.problem(yamlFile, tableAt, "cannot read the %s table %s: %s", what, quote(table), errText(err))
		}
		return nil, name, file, false
	}
	return f, name, file, true
}

// openImport opens an import's table, decompressing it as its name says,
// and reads its header: the mapped columns are required, every other
// column is ignored (the table is the publisher's). It returns nil, with
// the problem reported, when the table cannot be read; otherwise done
// releases the file.
func (l *loader) openImport(ia importAt) (c *csvFile, done func()) {
	imp := ia.imp
	f, name, file, ok := l.openTable("participation", imp.table, ia.yamlFile, imp.tableAt)
	imp.file = file
	if !ok {
		return nil, nil
	}
	r, closeGzip, ok := l.decompress(f, name, imp.file, true)
	if !ok {
		_ = f.Close() // read only: Close has nothing to lose
		return nil, nil
	}
	done = func() {
		closeGzip()
		_ = f.Close() // read only: Close has nothing to lose
	}
	cols := imp.columns()
	c = l.openCSVWith(imp.file, r, imp.delimiter, cols, cols, func(string) bool { return false })
	if c == nil {
		done()
		return nil, nil
	}
	c.props = nil
	c.missing = imp.missing
	c.malformed = func([]string) { l.incomplete = true }
	return c, done
}

// importRun is the state of reading one table.
type importRun struct {
	l   *loader
	imp *participationImport
	doc string
	st  *importState
	// pairs are the organisation–project pairs the table related so far, by
	// a hash of the pair (see importState.relations), with the relation and
	// the line; collidedPairs those whose hash another pair had.
	pairs         map[uint64]pairAt
	collidedPairs map[[2]string]int
	line          int // the line of the row being read
	// lastDated is the last project whose dates were known, lastDates them.
	lastDated string
	lastDates [2]string
}

// row reads one row: its project (and programme), and for a participation
// table its organisation, their PARTICIPATES_IN relation and where the
// organisation is. A row without the ids, or with an id that is not one,
// is a problem of its line.
func (run *importRun) row(c *csvFile, rec []string) {
	imp, line := run.imp, c.line
	run.line = line
	projectID, projectRaw, ok := run.id(c, rec, &imp.project, "")
	if !ok {
		return
	}
	var code, orgID, orgRaw string
	if !imp.projectsTable {
		code = run.country(c, rec)
		if orgID, orgRaw, ok = run.id(c, rec, &imp.organisation, code); !ok {
			return
		}
	}
	run.entity(projectID, c, rec, &imp.project, projectRaw, line)
	start, end := run.dates(c, rec, projectID)
	run.fund(c, rec, projectID)
	if imp.projectsTable {
		return
	}
	role, ok := run.role(c, rec)
	if !ok {
		return
	}
	if org := run.entity(orgID, c, rec, &imp.organisation, orgRaw, line); org != nil && code != "" {
		org.setProperty("country", code)
	}
	ph := run.pairHash(orgID, projectID)
	if first, dup := run.listed(orgID, projectID, ph); dup {
		run.l.warn(imp.file, line, "organisation %s is listed twice in project %s (first at line %d): kept the first row, this one is skipped",
			quote(orgID), quote(projectID), first)
		return
	}
	i := run.relation(coopgraph.Relation{Type: importTakesPart, From: orgID, To: projectID, Role: role, Start: start, End: end,
		Properties: run.relationValues(c, rec, orgRaw)}, line)
	run.list(orgID, projectID, ph, i, line)
	run.place(c, rec, orgID, code)
}

// pairAt is where a table related an organisation to a project.
type pairAt struct{ relation, line int32 }

func (run *importRun) pairHash(org, project string) uint64 {
	var h maphash.Hash
	h.SetSeed(run.st.seed)
	h.WriteString(org)
	h.WriteByte(0)
	h.WriteString(project)
	return h.Sum64()
}

// listed tells whether the table related org to project (pair hash h)
// already, and on which line.
func (run *importRun) listed(org, project string, h uint64) (int, bool) {
	if p, ok := run.pairs[h]; ok {
		r := &run.l.relations.at(int(p.relation)).r
		if r.From == org && r.To == project {
			return int(p.line), true
		}
	}
	line, ok := run.collidedPairs[[2]string{org, project}]
	return line, ok
}

// list notes that the table related org to project (pair hash h) on line,
// by relation i.
func (run *importRun) list(org, project string, h uint64, i, line int) {
	if _, taken := run.pairs[h]; taken {
		run.collidedPairs[[2]string{org, project}] = line
		return
	}
	run.pairs[h] = pairAt{relation: int32(i), line: int32(line)}
}

// id makes the id of one side of a row: its id column's cell, or the slugs
// of its id columns, after the prefix. The country column counts as code.
func (run *importRun) id(c *csvFile, rec []string, pc *participantColumns, code string) (id, raw string, ok bool) {
	l, imp := run.l, run.imp
	if pc.column != "" {
		raw = c.cell(rec, pc.column)
		if raw == "" {
			l.problem(imp.file, c.line, "empty %s: every row needs %s", quote(pc.column), run.needs())
			return "", "", false
		}
		id = pc.idPrefix + raw
	} else {
		parts := make([]string, 0, len(pc.idColumns))
		for _, col := range pc.idColumns {
			v := c.cell(rec, col)
			if col == imp.countryColumn {
				v = code
			}
			if s := run.st.slug(v); s != "" {
				parts = append(parts, s)
			}
		}
		if len(parts) == 0 {
			l.problem(imp.file, c.line, "empty %s: the %s id is made of them", strings.Join(quoteAll(pc.idColumns), ", "), strings.ToLower(pc.kind))
			return "", "", false
		}
		raw = strings.Join(parts, "/")
		id = fitID(pc.idPrefix + raw)
	}
	if p := idProblem("id", id); p != "" {
		l.problem(imp.file, c.line, "%s", p)
		return "", "", false
	}
	return id, raw, true
}

// needs says what ids a row of the table needs.
func (run *importRun) needs() string {
	if run.imp.projectsTable {
		return "a project"
	}
	return "a project and an organisation"
}

func quoteAll(list []string) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = quote(s)
	}
	return out
}

// country reads the row's country code. A name column that names another
// country is the publisher's defect: reported, and the code kept (NUTS
// fields follow it); an empty code is taken from the name when it names one.
func (run *importRun) country(c *csvFile, rec []string) string {
	imp := run.imp
	code, own := countryCell(c.cell(rec, imp.countryColumn))
	name := c.cell(rec, imp.countryNameColumn)
	if name == "" {
		return code
	}
	named, known := run.st.byName[coopgraph.Fold(name)]
	switch {
	case !known:
	case code == "":
		run.l.warn(imp.file, c.line, "empty %s: took %s from %s %s", quote(imp.countryColumn), named, quote(imp.countryNameColumn), quote(name))
		return named
	case named != code && !slices.ContainsFunc(own, func(s string) bool { return coopgraph.Fold(s) == coopgraph.Fold(name) }):
		run.l.warn(imp.file, c.line, "%s %s and %s %s disagree: kept the code %s",
			quote(imp.countryNameColumn), quote(name), quote(imp.countryColumn), quote(c.cell(rec, imp.countryColumn)), code)
	}
	return code
}

// dates are a row's start and end: its project's, as the first row giving
// them said (projects tables are read first); else the years of its
// period. The first start and end columns given for a project are its
// dates, and its properties start and end. A date cell that is not a date
// is the publisher's defect: reported, and the date left out.
func (run *importRun) dates(c *csvFile, rec []string, projectID string) (start, end string) {
	if projectID == run.lastDated {
		return run.lastDates[0], run.lastDates[1]
	}
	if d, ok := run.st.dates[projectID]; ok {
		run.lastDated, run.lastDates = projectID, d
		return d[0], d[1]
	}
	imp := run.imp
	for _, side := range []struct {
		col string
		to  *string
	}{{imp.startColumn, &start}, {imp.endColumn, &end}} {
		if cell := c.cell(rec, side.col); cell != "" {
			if d, ok := tableDate(cell); ok {
				*side.to = run.st.intern(d)
			} else {
				run.l.warn(imp.file, c.line, "%s %s is not a date (YYYY-MM-DD or YYYY/MM/DD): left out", quote(side.col), quote(cell))
			}
		}
	}
	if start != "" && end != "" && endBeforeStart(start, end) {
		run.l.warn(imp.file, c.line, "end %s is before start %s: both left out", quote(end), quote(start))
		start, end = "", ""
	}
	if start != "" || end != "" {
		run.st.dates[projectID] = [2]string{start, end}
		run.setProperty(projectID, "start", start)
		run.setProperty(projectID, "end", end)
		return start, end
	}
	if imp.periodColumn == "" {
		return "", ""
	}
	if cell := c.cell(rec, imp.periodColumn); cell != "" {
		if s, e, ok := period(cell); ok {
			return s, e
		}
		run.l.warn(imp.file, c.line, "%s %s does not start with a period (\"2014 - 2020\"): no dates", quote(imp.periodColumn), quote(cell))
	}
	return "", ""
}

// role maps the row's role cell through roles; an unmapped value is a
// problem of the mapping (add it to roles).
func (run *importRun) role(c *csvFile, rec []string) (string, bool) {
	imp := run.imp
	cell := c.cell(rec, imp.roleColumn)
	if imp.roles == nil || cell == "" {
		return run.st.intern(cell), true
	}
	if role, ok := imp.roles[cell]; ok {
		return role, true
	}
	run.l.problem(imp.file, c.line, "%s %s is not among the roles of the mapping (%s): add it to roles",
		quote(imp.roleColumn), quote(cell), strings.Join(quoteAll(sortedKeys(imp.roles)), ", "))
	return "", false
}

// fund relates the row's project to its programme, when the import maps one.
func (run *importRun) fund(c *csvFile, rec []string, projectID string) {
	pc := &run.imp.programme
	if !pc.given() {
		return
	}
	id, raw, ok := run.id(c, rec, pc, "")
	if !ok {
		return
	}
	run.entity(id, c, rec, pc, raw, c.line)
	run.relation(coopgraph.Relation{Type: importFundedBy, From: projectID, To: id}, c.line)
}

// entity adds the entity id of a row once over the imports; an entity
// the dataset's files define is that one, left as it is. A later row's
// name for it replaces a name made from the pattern, or else becomes an
// alias; its properties fill those not known yet.
//
// It returns the entity, nil for one of the dataset's files.
func (run *importRun) entity(id string, c *csvFile, rec []string, pc *participantColumns, raw string, line int) *entityRec {
	var known *entityRec
	if id == pc.lastID {
		// Rows come grouped (a project's partners together): the entity
		// of the last row is at hand.
		if known = pc.lastRec; known == nil {
			return nil
		}
	} else if run.st.defined[id] {
		pc.lastID, pc.lastRec = id, nil
		return nil
	} else if i, ok := run.st.entities[id]; ok {
		known = run.l.entities.at(i)
		if known.e.Kind != pc.kind {
			run.l.problem(run.imp.file, line, "id %s is a %s here but a %s at %s:%d: give the two different prefixes",
				quote(id), pc.kind, known.e.Kind, known.file, known.at)
			return nil
		}
	}
	name := c.cell(rec, pc.nameColumn)
	if name == "" && pc.names != nil {
		name = pc.names[raw]
	}
	var aliases []string
	for _, col := range pc.aliasColumns {
		if a := c.cell(rec, col); a != "" {
			aliases = append(aliases, a)
		}
	}
	if name == "" && len(aliases) > 0 {
		name, aliases = aliases[0], aliases[1:]
	}
	if known != nil {
		// Most rows repeat an entity: nothing is made for it unless new.
		known.rename(name, aliases)
		for prop, col := range pc.properties {
			if _, has := known.e.Properties[prop]; !has {
				known.setProperty(prop, run.value(c, rec, pc, prop, col, raw))
			}
		}
		pc.lastID, pc.lastRec = id, known
		return known
	}
	var props map[string]string
	for prop, col := range pc.properties {
		if v := run.value(c, rec, pc, prop, col, raw); v != "" {
			if props == nil {
				props = make(map[string]string, len(pc.properties))
			}
			props[prop] = v
		}
	}
	pattern := pc.namePattern
	if pattern == "" {
		pattern = pc.kind + " {id}"
	}
	run.addEntity(id, pc.kind, name, strings.ReplaceAll(pattern, "{id}", raw), aliases, props, line)
	if i, ok := run.st.entities[id]; ok {
		pc.lastID, pc.lastRec = id, run.l.entities.at(i)
		return pc.lastRec
	}
	return nil
}

// rename gives an entity a row's name and aliases: the name replaces one
// made from the pattern, other names become aliases (once, case ignored).
func (rec *entityRec) rename(name string, aliases []string) {
	if name != "" && name != rec.e.Name && rec.nameFromPattern {
		rec.e.Name, rec.nameFromPattern = name, false
	} else {
		rec.alias(name)
	}
	for _, a := range aliases {
		rec.alias(a)
	}
}

func (rec *entityRec) alias(a string) {
	if a != "" && !strings.EqualFold(a, rec.e.Name) && !containsFold(rec.e.Aliases, a) {
		rec.e.Aliases = append(rec.e.Aliases, a)
	}
}

// addEntity adds or completes an entity the imports make; fallback names
// it until a row does.
func (run *importRun) addEntity(id, kind, name, fallback string, aliases []string, props map[string]string, line int) {
	l := run.l
	if i, ok := run.st.entities[id]; ok {
		l.entities.at(i).rename(name, aliases)
		for k, v := range props {
			run.setProperty(id, k, v)
		}
		return
	}
	rec := entityRec{e: coopgraph.Entity{ID: id, Kind: kind, Name: name, Properties: props},
		file: run.imp.file, at: line, idAt: line, kindAt: line, nameAt: line}
	for _, a := range aliases {
		rec.alias(a)
	}
	if rec.e.Name == "" {
		rec.e.Name, rec.nameFromPattern = fallback, true
	}
	if i := l.entities.len(); l.addEntity(rec) {
		run.st.entities[id] = i
	}
}

// setProperty sets a property of an entity the imports made, unless it has
// one already.
func (run *importRun) setProperty(id, name, value string) {
	if i, ok := run.st.entities[id]; ok {
		run.l.entities.at(i).setProperty(name, value)
	}
}

// setProperty sets a property the entity has not got yet.
func (rec *entityRec) setProperty(name, value string) {
	if value == "" {
		return
	}
	e := &rec.e
	if _, known := e.Properties[name]; !known {
		if e.Properties == nil {
			e.Properties = map[string]string{}
		}
		e.Properties[name] = value
	}
}

// value is one mapped property of a row: its column's cell (in words, when
// the side has codes for it), or a pattern's {id} replaced by raw. A cell
// kept is copied, so that it does not hold the whole record's memory.
func (run *importRun) value(c *csvFile, rec []string, pc *participantColumns, prop, col, raw string) string {
	if strings.Contains(col, "{id}") {
		return strings.ReplaceAll(col, "{id}", raw)
	}
	v := c.cell(rec, col)
	if words, ok := pc.codes[prop][v]; ok {
		return words
	}
	return strings.Clone(v)
}

// slug is slug(cell), worked out once per cell value.
func (st *importState) slug(cell string) string {
	if s, ok := st.slugs[cell]; ok {
		return s
	}
	s := slug(cell)
	st.slugs[strings.Clone(cell)] = s
	return s
}

// intern returns the one copy of a value many rows repeat (roles, dates),
// so that the relations holding it do not each hold their record's memory.
func (st *importState) intern(v string) string {
	if s, ok := st.interned[v]; ok {
		return s
	}
	v = strings.Clone(v)
	st.interned[v] = v
	return v
}

// relationValues are the mapped properties of a row's relation.
func (run *importRun) relationValues(c *csvFile, rec []string, raw string) map[string]string {
	var m map[string]string
	for prop, col := range run.imp.relationProperties {
		if v := run.value(c, rec, &participantColumns{}, prop, col, raw); v != "" {
			if m == nil {
				m = make(map[string]string, len(run.imp.relationProperties))
			}
			m[prop] = v
		}
	}
	return m
}

// relation adds a relation the imports make once: the same statement
// (from, type, to, role, start) from another row or table is the same
// relation, whose missing properties it fills. It returns the relation's
// index in l.relations.
func (run *importRun) relation(r coopgraph.Relation, line int) int {
	l := run.l
	key := statement{r.From, r.Type, r.To, r.Role, r.Start}
	h := run.st.hash(key)
	if i, ok := run.st.find(l, key, h); ok {
		have := &l.relations.at(i).r
		for k, v := range r.Properties {
			if _, known := have.Properties[k]; !known {
				if have.Properties == nil {
					have.Properties = map[string]string{}
				}
				have.Properties[k] = v
			}
		}
		return i
	}
	r.Document = run.doc
	i := l.relations.len()
	run.st.keep(key, h, i)
	l.addRelation(relationRec{r: r, file: run.imp.file, at: line, fromAt: line, toAt: line, typeAt: line,
		startAt: line, endAt: line, csv: true})
	return i
}

func (st *importState) hash(key statement) uint64 {
	var h maphash.Hash
	h.SetSeed(st.seed)
	for _, s := range [...]string{key.from, key.typ, key.to, key.role, key.start} {
		h.WriteString(s)
		h.WriteByte(0) // a byte no id or role holds: "a"+"bc" is not "ab"+"c"
	}
	return h.Sum64()
}

// find returns the index of the relation of a statement (of hash h) the
// imports made.
func (st *importState) find(l *loader, key statement, h uint64) (int, bool) {
	i, ok := st.relations[h]
	if !ok {
		return 0, false
	}
	r := &l.relations.at(int(i)).r
	if r.From == key.from && r.Type == key.typ && r.To == key.to && r.Role == key.role && r.Start == key.start {
		return int(i), true
	}
	j, ok := st.collided[key]
	return j, ok
}

// keep indexes a new relation of the imports (h: the statement's hash).
func (st *importState) keep(key statement, h uint64, i int) {
	if _, taken := st.relations[h]; taken {
		st.collided[key] = i
		return
	}
	st.relations[h] = int32(i)
}

// place locates the organisation: in its most detailed NUTS region when the
// row gives one (once), else in its country. A second, different country
// for it is a problem of the line; so is an unknown code.
func (run *importRun) place(c *csvFile, rec []string, orgID, code string) {
	l, imp, line := run.l, run.imp, c.line
	st := run.st.orgs[orgID]
	if st == nil {
		st = &orgCountry{}
		run.st.orgs[orgID] = st
	}
	if code != "" {
		switch {
		case st.code == "":
			st.code, st.countryLine = code, line
		case st.code != code:
			l.problem(imp.file, line, "organisation %s is in country %s here but in %s at line %d: one country per organisation",
				quote(orgID), quote(code), quote(st.code), st.countryLine)
			return
		}
	}
	if region := run.regions(c, rec); region != "" {
		if !st.region {
			st.region = true
			run.relation(coopgraph.Relation{Type: importLocatedIn, From: orgID, To: region}, line)
		}
		return
	}
	if code == "" || st.region || st.country {
		return
	}
	countryID, ok := run.countryID(code)
	if !ok {
		l.problem(imp.file, line, "unknown country code %s in column %s: ISO 3166-1 alpha-2 (or EL, UK, XK as CORDIS writes them)",
			quote(code), quote(imp.countryColumn))
		return
	}
	st.country = true
	run.relation(coopgraph.Relation{Type: importLocatedIn, From: orgID, To: countryID}, line)
}

// countryID is the id of the Country of code: the dataset's own, or one
// the imports create from ISO 3166-1 (false for an unknown code).
func (run *importRun) countryID(code string) (string, bool) {
	if id, ok := run.st.countries[code]; ok {
		return id, true
	}
	name, known := countryNames[code]
	if !known {
		return "", false
	}
	id := run.imp.countryPrefix + code
	run.st.countries[code] = id
	if !run.st.created[id] {
		run.st.created[id] = true
		run.l.addEntity(entityRec{e: coopgraph.Entity{ID: id, Kind: importCountryKind, Name: name,
			Properties: map[string]string{"code": code}},
			file: run.imp.file, at: run.line, idAt: run.line, kindAt: run.line, nameAt: run.line})
	}
	return id, true
}

// nutsCode is a NUTS field of a row.
type nutsCode struct{ code, label string }

// regions makes the row's NUTS regions and returns the id of the most
// detailed; "" when it gives none. A field that is not a NUTS code is the
// publisher's defect: reported and ignored. A code of two letters is the
// country itself (NUTS level 0), not a region.
func (run *importRun) regions(c *csvFile, rec []string) string {
	imp := run.imp
	var codes []nutsCode
	for _, col := range imp.organisation.regionColumns {
		cell := c.cell(rec, col)
		if cell == "" {
			continue
		}
		code, label, ok := regionCell(cell)
		if !ok {
			run.l.warn(imp.file, c.line, "%s %s is not a NUTS code and label (\"PL213  / Miasto Kraków\"): ignored", quote(col), quote(cell))
			continue
		}
		if len(code) > 2 {
			codes = append(codes, nutsCode{code, label})
		}
	}
	if len(codes) == 0 {
		return ""
	}
	slices.SortStableFunc(codes, func(a, b nutsCode) int { return len(a.code) - len(b.code) })
	for i, nc := range codes {
		parent := ""
		for j := i - 1; j >= 0; j-- {
			if strings.HasPrefix(nc.code, codes[j].code) {
				parent = codes[j].code
				break
			}
		}
		run.region(nc.code, nc.label, parent)
	}
	return imp.regionPrefix + codes[len(codes)-1].code
}

// region makes the Region of a NUTS code once, PART_OF its parent (given,
// else the code less its last character) and so on up to its country.
func (run *importRun) region(code, label, parent string) {
	id := run.imp.regionPrefix + code
	_, made := run.st.entities[id]
	props := map[string]string{"nuts": code}
	if len(code) >= 3 && len(code) <= 5 {
		props["level"] = string(rune('0' + len(code) - 2))
	}
	run.addEntity(id, importRegionKind, label, code, nil, props, run.line)
	if made || run.st.defined[id] {
		return
	}
	if parent == "" && len(code) > 3 {
		parent = code[:len(code)-1]
		run.region(parent, "", "")
	}
	if parent != "" {
		run.relation(coopgraph.Relation{Type: importPartOf, From: id, To: run.imp.regionPrefix + parent}, run.line)
		return
	}
	if countryID, ok := run.countryID(code[:2]); ok {
		run.relation(coopgraph.Relation{Type: importPartOf, From: id, To: countryID}, run.line)
	} else {
		run.l.warn(run.imp.file, run.line, "NUTS code %s does not start with a known country code: region %s is in no country", quote(code), quote(id))
	}
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
