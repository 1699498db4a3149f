package loader

import (
	"errors"
	"path"
	"strings"

	"github.com/coopgraph/coopgraph"
	"go.yaml.in/yaml/v4"
)

// A participation import reads a table as its publisher ships it (CORDIS's
// participations.csv.gz: one row per organisation in a project) through a
// column mapping given in a dataset YAML file, so that nobody converts the
// file by hand:
//
//	participations:
//	  - table: participations.csv.gz   # relative to the YAML file
//	    document: CORDIS Horizon 2020 participations
//	    project: {column: project_id, idPrefix: "h2020:", nameColumn: project_acronym, namePattern: "H2020 project {id}"}
//	    organisation: {column: org_id, idPrefix: "pic:", nameColumn: org_name, namePattern: "PIC {id}"}
//	    roleColumn: role
//	    countryColumn: country
//
// Each row gives a Project and an Organisation entity (once per id) and an
// Organisation PARTICIPATES_IN Project relation with the row's role; with
// countryColumn, each organisation is LOCATED_IN its country, a Country
// entity of the dataset whose property code is the country code, or else
// one the import creates ("country:PL", named from ISO 3166-1). FORMAT.md
// documents the keys.
type participationImport struct {
	table                 string // as given
	file                  string // as problems name it
	at                    int    // line of the import in the YAML file
	document              string
	project, organisation participantColumns
	roleColumn            string
	countryColumn         string
	countryPrefix         string
	projectAt, orgAt      int // lines of the two mappings; -1 when wrong
	tableAt               int // line of the table key
}

// What an import creates.
const (
	importProjectKind = "Project"
	importOrgKind     = "Organisation"
	importCountryKind = "Country"
	importTakesPart   = "PARTICIPATES_IN"
	importLocatedIn   = "LOCATED_IN"
)

// participantColumns maps one side of the table to entities.
type participantColumns struct {
	column      string // the id column
	idPrefix    string
	nameColumn  string
	namePattern string // {id} is the value of the id column
}

var (
	participationKeys = []string{"table", "document", "project", "organisation", "roleColumn", "countryColumn", "countryPrefix"}
	participantKeys   = []string{"column", "idPrefix", "nameColumn", "namePattern"}
)

// participations reads the participations key of a YAML file.
func (y *yamlFileReader) participations(n *yaml.Node) {
	for _, item := range y.sequence(n, "participations") {
		pairs, ok := y.mapping(item, "a participation import")
		if !ok {
			continue
		}
		imp := &participationImport{at: item.Line, countryPrefix: "country:"}
		tableAt := 0
		for _, p := range pairs {
			switch p.key {
			case "table":
				imp.table, tableAt = y.scalar(p.v, "table")
				imp.tableAt = tableAt
			case "document":
				imp.document, _ = y.scalar(p.v, "document")
			case "project":
				imp.project, imp.projectAt = y.participant(p.v, "project")
			case "organisation":
				imp.organisation, imp.orgAt = y.participant(p.v, "organisation")
			case "roleColumn":
				imp.roleColumn, _ = y.scalar(p.v, "roleColumn")
			case "countryColumn":
				imp.countryColumn, _ = y.scalar(p.v, "countryColumn")
			case "countryPrefix":
				imp.countryPrefix, _ = y.scalar(p.v, "countryPrefix")
			default:
				y.unknownKey(p, "in a participation import", participationKeys)
			}
		}
		ok = true
		switch {
		case tableAt == 0:
			y.problem(item.Line, `participation import has no "table" (required: the path of the CSV file, relative to this file)`)
			ok = false
		case tableAt > 0 && imp.table == "":
			y.problem(tableAt, "empty table: give the path of the CSV file")
			ok = false
		case tableAt < 0:
			ok = false
		}
		for _, side := range []struct {
			name string
			at   int
		}{{"project", imp.projectAt}, {"organisation", imp.orgAt}} {
			if side.at == 0 {
				y.problem(item.Line, "participation import has no %q (required: {column: …} naming its id column)", side.name)
				ok = false
			} else if side.at < 0 {
				ok = false
			}
		}
		if ok {
			y.l.imports = append(y.l.imports, importAt{imp: imp, yamlFile: y.file})
		} else {
			y.l.incomplete = true
		}
	}
}

// participant reads the mapping of one side; the line is -1 when it is
// wrong (reported).
func (y *yamlFileReader) participant(n *yaml.Node, what string) (participantColumns, int) {
	var pc participantColumns
	pairs, ok := y.mapping(n, what)
	if !ok {
		return pc, -1
	}
	columnAt := 0
	for _, p := range pairs {
		switch p.key {
		case "column":
			pc.column, columnAt = y.scalar(p.v, what+" column")
		case "idPrefix":
			pc.idPrefix, _ = y.scalar(p.v, what+" idPrefix")
		case "nameColumn":
			pc.nameColumn, _ = y.scalar(p.v, what+" nameColumn")
		case "namePattern":
			pc.namePattern, _ = y.scalar(p.v, what+" namePattern")
		default:
			y.unknownKey(p, "in "+what, participantKeys)
		}
	}
	switch {
	case columnAt == 0:
		y.problem(n.Line, "%s has no \"column\" (required: the column holding its id)", what)
		return pc, -1
	case columnAt > 0 && pc.column == "":
		y.problem(columnAt, "empty %s column", what)
		return pc, -1
	case columnAt < 0:
		return pc, -1
	}
	if pc.namePattern != "" && !strings.Contains(pc.namePattern, "{id}") {
		y.problem(n.Line, "%s namePattern %s has no {id}: every entity would get the same name", what, quote(pc.namePattern))
		return pc, -1
	}
	return pc, n.Line
}

// importAt is an import with the YAML file it was declared in.
type importAt struct {
	imp      *participationImport
	yamlFile string
}

// readImports reads the tables of the imports declared so far. It runs
// after every file of the directory is read, so that the countries of the
// dataset (Country entities with a code property) are known.
func (l *loader) readImports() {
	if len(l.imports) == 0 {
		return
	}
	countries := map[string]string{} // code -> entity id
	for i := range l.entities.len() {
		e := &l.entities.at(i).e
		if e.Kind == importCountryKind && e.Properties["code"] != "" {
			if _, dup := countries[strings.ToUpper(e.Properties["code"])]; !dup {
				countries[strings.ToUpper(e.Properties["code"])] = e.ID
			}
		}
	}
	created := map[string]bool{}
	for _, ia := range l.imports {
		if l.stop {
			return
		}
		l.readImport(ia, countries, created)
	}
}

// readImport reads one participation table: each row gives its project,
// its organisation and their relation (importRow), and with countryColumn
// the organisation's country (importRun.locate). A table that cannot be
// read, or rows that cannot, leave the dataset incomplete.
func (l *loader) readImport(ia importAt, countries map[string]string, created map[string]bool) {
	c, closeTable := l.openImport(ia)
	if c == nil {
		l.incomplete = true
		return
	}
	defer closeTable()
	run := &importRun{l: l, imp: ia.imp, doc: ia.imp.document, countries: countries, created: created,
		seen: map[string]int{}, orgs: map[string]*orgCountry{}}
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

// openImport opens an import's table, decompressing it as its name says,
// and reads its header: the mapped columns are required, every other
// column is ignored (the table is the publisher's). It returns nil, with
// the problem reported, when the table cannot be read; otherwise done
// releases the file.
func (l *loader) openImport(ia importAt) (c *csvFile, done func()) {
	imp := ia.imp
	// YAML files lie at the top of the dataset directory: a relative
	// table is relative to it.
	name := path.Clean(imp.table)
	imp.file = name
	if l.display != "" && !path.IsAbs(imp.table) {
		imp.file = l.join(l.display, name)
	}
	f, err := l.open(name)
	if err != nil {
		var re *refusedError
		if errors.As(err, &re) {
			l.problem(ia.yamlFile, imp.tableAt, "participation table %s %s", quote(imp.table), re.reason)
		} else {
			l.problem(ia.yamlFile, imp.tableAt, "cannot read the participation table %s: %s", quote(imp.table), errText(err))
		}
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
	required := []string{imp.project.column, imp.organisation.column}
	var known []string
	for _, col := range []string{imp.project.column, imp.project.nameColumn, imp.organisation.column,
		imp.organisation.nameColumn, imp.roleColumn, imp.countryColumn} {
		if col != "" {
			known = append(known, col)
			if col != imp.project.column && col != imp.organisation.column {
				required = append(required, col)
			}
		}
	}
	c = l.openCSV(imp.file, r, required, known, func(string) bool { return false })
	if c == nil {
		done()
		return nil, nil
	}
	c.props = nil
	c.malformed = func([]string) { l.incomplete = true }
	return c, done
}

// importRun is the state of reading one participation table.
type importRun struct {
	l         *loader
	imp       *participationImport
	doc       string
	countries map[string]string      // code -> country entity id, shared by the imports
	created   map[string]bool        // countries the imports created
	seen      map[string]int         // entity id -> index in l.entities
	orgs      map[string]*orgCountry // organisation id -> its country
}

// orgCountry is an organisation's country code and the line that gave it.
type orgCountry struct {
	code        string
	countryLine int
}

// row reads one row: its project and organisation entities, their
// PARTICIPATES_IN relation, and the organisation's country. A row without
// both ids, or with an id that is not one, is a problem of its line.
func (run *importRun) row(c *csvFile, rec []string) {
	l, imp, line := run.l, run.imp, c.line
	projectRaw, orgRaw := c.cell(rec, imp.project.column), c.cell(rec, imp.organisation.column)
	if projectRaw == "" || orgRaw == "" {
		col := imp.project.column
		if projectRaw != "" {
			col = imp.organisation.column
		}
		l.problem(imp.file, line, "empty %s: every row needs a project and an organisation", quote(col))
		return
	}
	projectID, orgID := imp.project.idPrefix+projectRaw, imp.organisation.idPrefix+orgRaw
	bad := false
	for _, id := range []string{projectID, orgID} {
		if p := idProblem("id", id); p != "" {
			l.problem(imp.file, line, "%s", p)
			bad = true
		}
	}
	if bad {
		return
	}
	run.entity(projectID, importProjectKind, c.cell(rec, imp.project.nameColumn), imp.project, projectRaw, line)
	run.entity(orgID, importOrgKind, c.cell(rec, imp.organisation.nameColumn), imp.organisation, orgRaw, line)
	l.addRelation(relationRec{
		r:    coopgraph.Relation{Type: importTakesPart, From: orgID, To: projectID, Role: c.cell(rec, imp.roleColumn), Document: run.doc},
		file: imp.file, at: line, fromAt: line, toAt: line, typeAt: line, csv: true,
	})
	if code := strings.ToUpper(c.cell(rec, imp.countryColumn)); code != "" {
		run.locate(orgID, code, line)
	}
}

// entity adds the entity id of a row once. A later row's name for it
// replaces a name made from the pattern, or else becomes an alias.
func (run *importRun) entity(id, kind, nameCell string, pc participantColumns, raw string, line int) {
	l := run.l
	if i, ok := run.seen[id]; ok {
		rec := l.entities.at(i)
		if nameCell != "" && rec.e.Name != nameCell {
			if rec.nameFromPattern {
				rec.e.Name, rec.nameFromPattern = nameCell, false
			} else if !containsFold(rec.e.Aliases, nameCell) {
				rec.e.Aliases = append(rec.e.Aliases, nameCell)
			}
		}
		return
	}
	rec := entityRec{e: coopgraph.Entity{ID: id, Kind: kind, Name: nameCell},
		file: run.imp.file, at: line, idAt: line, kindAt: line, nameAt: line}
	if rec.e.Name == "" {
		pattern := pc.namePattern
		if pattern == "" {
			pattern = kind + " {id}"
		}
		rec.e.Name = strings.ReplaceAll(pattern, "{id}", raw)
		rec.nameFromPattern = true
	}
	if i := l.entities.len(); l.addEntity(rec) {
		run.seen[id] = i
	}
}

// locate relates organisation orgID to the country of code, once: the
// dataset's Country with that code, or one the imports create from ISO
// 3166-1. A second, different country for it is a problem of the line;
// so is an unknown code.
func (run *importRun) locate(orgID, code string, line int) {
	l, imp := run.l, run.imp
	st := run.orgs[orgID]
	if st == nil {
		st = &orgCountry{}
		run.orgs[orgID] = st
	}
	if st.code != "" {
		if st.code != code {
			l.problem(imp.file, line, "organisation %s is in country %s here but in %s at line %d: one country per organisation",
				quote(orgID), quote(code), quote(st.code), st.countryLine)
		}
		return
	}
	st.code, st.countryLine = code, line
	countryID, ok := run.countries[code]
	if !ok {
		name, known := countryNames[code]
		if !known {
			l.problem(imp.file, line, "unknown country code %s in column %s: ISO 3166-1 alpha-2 (or EL, UK, XK as CORDIS writes them)",
				quote(code), quote(imp.countryColumn))
			return
		}
		countryID = imp.countryPrefix + code
		run.countries[code] = countryID
		if !run.created[countryID] {
			run.created[countryID] = true
			l.addEntity(entityRec{e: coopgraph.Entity{ID: countryID, Kind: importCountryKind, Name: name,
				Properties: map[string]string{"code": code}},
				file: imp.file, at: line, idAt: line, kindAt: line, nameAt: line})
		}
	}
	l.addRelation(relationRec{
		r:    coopgraph.Relation{Type: importLocatedIn, From: orgID, To: countryID, Document: run.doc},
		file: imp.file, at: line, fromAt: line, toAt: line, typeAt: line, csv: true,
	})
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
