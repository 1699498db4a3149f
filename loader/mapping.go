package loader

import (
	"slices"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v4"
)

// A participation import reads a table as its publisher ships it (CORDIS's
// participations.csv.gz, keep.eu's partnership exports: one row per
// organisation in a project) through a column mapping given in a dataset
// YAML file, so that nobody converts the file by hand:
//
//	participations:
//	  - table: participations.csv.gz   # relative to the YAML file
//	    document: CORDIS Horizon 2020 participations
//	    project: {column: project_id, idPrefix: "h2020:", nameColumn: project_acronym, namePattern: "H2020 project {id}"}
//	    organisation: {column: org_id, idPrefix: "pic:", nameColumn: org_name, namePattern: "PIC {id}"}
//	    roleColumn: role
//	    countryColumn: country
//
// Each row gives a Project and an Organisation entity (once per id, over
// every import of the dataset) and an Organisation PARTICIPATES_IN Project
// relation with the row's role; with countryColumn, each organisation is
// LOCATED_IN its country (or, with regionColumns, its most detailed NUTS
// region). A projects table (key projects) gives projects alone: their
// titles, dates and properties, which the participations then take. FORMAT.md
// documents the keys.
type participationImport struct {
	table    string // as given
	file     string // as problems name it
	at       int    // line of the import in the YAML file
	document string
	// projectsTable is set for a table under the key projects: it has no
	// organisation side and is read before the participation tables.
	projectsTable         bool
	delimiter             rune
	project, organisation participantColumns
	programme             participantColumns // optional: Project FUNDED_BY Programme
	roleColumn            string
	roles                 map[string]string // cell -> role; nil: the cell as it is
	countryColumn         string
	countryNameColumn     string // the country's name, checked against the code
	countryPrefix         string
	regionPrefix          string
	periodColumn          string // "2014 - 2020 …": the relation's years
	startColumn           string
	endColumn             string
	relationProperties    map[string]string // property -> column or {id} pattern
	missing               map[string]bool   // cells meaning "no value" ("NA")
	projectAt, orgAt      int               // lines of the two mappings; -1 when wrong
	tableAt               int               // line of the table key
}

// participantColumns maps one side of the table (project, organisation,
// programme) to entities.
type participantColumns struct {
	column string // the id column
	// idColumns make the id when the table has no id column: the slug of
	// each cell, joined by "/" (the country column counts as its code).
	idColumns    []string
	idPrefix     string
	nameColumn   string
	namePattern  string            // {id} is the value of the id column
	names        map[string]string // id value -> name, for a table of codes
	aliasColumns []string
	properties   map[string]string // property -> column or {id} pattern
	// codes name a property's codes: property -> code -> what it says
	// (CORDIS's activity type HES: "Higher or secondary education").
	codes map[string]map[string]string
	// regionColumns hold NUTS fields ("PL213  / Miasto Kraków"), least
	// detailed first: the organisation is LOCATED_IN the most detailed.
	regionColumns []string
	kind          string // the kind of entity it makes
	// lastID is the id of the last row read through this mapping, lastRec
	// its entity (nil for one of the dataset's files): a cache.
	lastID  string
	lastRec *entityRec
}

// given tells whether the side is mapped at all.
func (pc *participantColumns) given() bool { return pc.column != "" || len(pc.idColumns) > 0 }

var (
	participationKeys = []string{"table", "document", "delimiter", "missing", "project", "organisation", "programme",
		"roleColumn", "roles", "countryColumn", "countryNameColumn", "countryPrefix", "regionPrefix",
		"periodColumn", "startColumn", "endColumn", "relationProperties"}
	projectTableKeys = []string{"table", "document", "delimiter", "missing", "project", "programme",
		"periodColumn", "startColumn", "endColumn"}
	participantKeys = []string{"column", "idColumns", "idPrefix", "nameColumn", "namePattern", "names",
		"aliasColumns", "properties", "codes", "regionColumns"}
)

// participations reads the participations key of a YAML file.
func (y *yamlFileReader) participations(n *yaml.Node) { y.importTables(n, "participations", false) }

// projectTables reads the projects key of a YAML file.
func (y *yamlFileReader) projectTables(n *yaml.Node) { y.importTables(n, "projects", true) }

func (y *yamlFileReader) importTables(n *yaml.Node, key string, projectsTable bool) {
	for _, item := range y.sequence(n, key) {
		if imp, ok := y.importTable(item, projectsTable); ok {
			y.l.imports = append(y.l.imports, importAt{imp: imp, yamlFile: y.file})
		} else {
			y.l.incomplete = true
		}
	}
}

// importTable reads one import; false when it is wrong (reported).
func (y *yamlFileReader) importTable(item *yaml.Node, projectsTable bool) (*participationImport, bool) {
	what, keys := "participation import", participationKeys
	if projectsTable {
		what, keys = "projects table", projectTableKeys
	}
	pairs, ok := y.mapping(item, "a "+what)
	if !ok {
		return nil, false
	}
	imp := &participationImport{at: item.Line, countryPrefix: "country:", regionPrefix: "nuts:",
		delimiter: ',', projectsTable: projectsTable}
	ok = true
	for _, p := range pairs {
		if !slices.Contains(keys, p.key) {
			y.unknownKey(p, "in a "+what, keys)
			continue
		}
		if !y.importKey(imp, p) {
			ok = false
		}
	}
	switch {
	case imp.tableAt == 0:
		y.problem(item.Line, `%s has no "table" (required: the path of the CSV file, relative to this file)`, what)
		ok = false
	case imp.tableAt > 0 && imp.table == "":
		y.problem(imp.tableAt, "empty table: give the path of the CSV file")
		ok = false
	}
	sides := []struct {
		name string
		at   int
	}{{"project", imp.projectAt}, {"organisation", imp.orgAt}}
	if projectsTable {
		sides = sides[:1]
	}
	for _, side := range sides {
		if side.at == 0 {
			y.problem(item.Line, "%s has no %q (required: {column: …} or {idColumns: […]} naming its id)", what, side.name)
			ok = false
		}
	}
	return imp, ok
}

// scalarFields are the keys of an import whose value is one string, each
// with the field it fills.
func (imp *participationImport) scalarFields() map[string]*string {
	return map[string]*string{
		"document": &imp.document, "roleColumn": &imp.roleColumn, "countryColumn": &imp.countryColumn,
		"countryNameColumn": &imp.countryNameColumn, "countryPrefix": &imp.countryPrefix,
		"regionPrefix": &imp.regionPrefix, "periodColumn": &imp.periodColumn,
		"startColumn": &imp.startColumn, "endColumn": &imp.endColumn,
	}
}

// importKey reads one key of an import into imp; false when its value is
// wrong (reported).
func (y *yamlFileReader) importKey(imp *participationImport, p pair) bool {
	if f, ok := imp.scalarFields()[p.key]; ok {
		var line int
		*f, line = y.scalar(p.v, p.key)
		return line >= 0
	}
	line := 0
	switch p.key {
	case "table":
		imp.table, line = y.scalar(p.v, "table")
		imp.tableAt = line
	case "delimiter":
		return y.delimiter(imp, p.v)
	case "missing":
		imp.missing = map[string]bool{}
		for _, v := range y.stringList(p.v, "missing") {
			imp.missing[v] = true
		}
		line = p.v.Line
	case "project":
		imp.project, imp.projectAt = y.participant(p.v, "project", importProjectKind)
		line = imp.projectAt
	case "organisation":
		imp.organisation, imp.orgAt = y.participant(p.v, "organisation", importOrgKind)
		line = imp.orgAt
	case "programme":
		imp.programme, line = y.participant(p.v, "programme", importProgrammeKind)
	case "roles":
		imp.roles, line = y.valueMap(p.v, "roles")
	case "relationProperties":
		imp.relationProperties, line = y.valueMap(p.v, "relationProperties")
	}
	return line >= 0
}

// delimiter reads the column separator: one character, not a quote or a
// line break.
func (y *yamlFileReader) delimiter(imp *participationImport, n *yaml.Node) bool {
	s, line := y.scalar(n, "delimiter")
	if line < 0 {
		return false
	}
	r, size := utf8.DecodeRuneInString(s)
	if s == "" || size != len(s) || r == '"' || r == '\r' || r == '\n' || r == utf8.RuneError {
		y.problem(line, "delimiter %s must be one character, not a quote or a line break (\";\" for a semicolon-separated file)", quote(s))
		return false
	}
	imp.delimiter = r
	return true
}

// valueMap reads a mapping of names to non-empty single values.
func (y *yamlFileReader) valueMap(n *yaml.Node, what string) (map[string]string, int) {
	before := len(y.l.problems)
	m := y.properties(n, func(string) bool { return false })
	if len(y.l.problems) > before {
		return nil, -1
	}
	return m, n.Line
}

// codes reads a mapping of property names to mappings of codes to what
// they say.
func (y *yamlFileReader) codes(n *yaml.Node, what string) (map[string]map[string]string, int) {
	pairs, ok := y.mapping(n, what)
	if !ok {
		return nil, -1
	}
	out := make(map[string]map[string]string, len(pairs))
	for _, p := range pairs {
		m, line := y.valueMap(p.v, what+" of "+quote(p.key))
		if line < 0 {
			return nil, -1
		}
		out[p.key] = m
	}
	return out, n.Line
}

// participant reads the mapping of one side; the line is -1 when it is
// wrong (reported).
func (y *yamlFileReader) participant(n *yaml.Node, what, kind string) (participantColumns, int) {
	pc := participantColumns{kind: kind}
	pairs, ok := y.mapping(n, what)
	if !ok {
		return pc, -1
	}
	columnAt, bad := 0, false
	for _, p := range pairs {
		line := 0
		switch p.key {
		case "column":
			pc.column, columnAt = y.scalar(p.v, what+" column")
		case "idColumns":
			pc.idColumns, columnAt = y.stringList(p.v, what+" idColumns"), p.v.Line
		case "idPrefix":
			pc.idPrefix, line = y.scalar(p.v, what+" idPrefix")
		case "nameColumn":
			pc.nameColumn, line = y.scalar(p.v, what+" nameColumn")
		case "namePattern":
			pc.namePattern, line = y.scalar(p.v, what+" namePattern")
		case "names":
			pc.names, line = y.valueMap(p.v, what+" names")
		case "aliasColumns":
			pc.aliasColumns = y.stringList(p.v, what+" aliasColumns")
		case "properties":
			pc.properties, line = y.valueMap(p.v, what+" properties")
		case "regionColumns":
			pc.regionColumns = y.stringList(p.v, what+" regionColumns")
		case "codes":
			pc.codes, line = y.codes(p.v, what+" codes")
		default:
			y.unknownKey(p, "in "+what, participantKeys)
		}
		bad = bad || line < 0
	}
	switch {
	case columnAt == 0:
		y.problem(n.Line, "%s has no \"column\" nor \"idColumns\" (required: the columns giving its id)", what)
		return pc, -1
	case columnAt > 0 && !pc.given():
		y.problem(columnAt, "empty %s column", what)
		return pc, -1
	case columnAt < 0 || bad:
		return pc, -1
	case pc.column != "" && len(pc.idColumns) > 0:
		y.problem(n.Line, "%s has both \"column\" and \"idColumns\": give one", what)
		return pc, -1
	}
	if pc.namePattern != "" && !strings.Contains(pc.namePattern, "{id}") {
		y.problem(n.Line, "%s namePattern %s has no {id}: every entity would get the same name", what, quote(pc.namePattern))
		return pc, -1
	}
	return pc, n.Line
}

// columns lists the columns the import reads, each once.
func (imp *participationImport) columns() []string {
	var cols []string
	add := func(list ...string) {
		for _, c := range list {
			if c != "" && !strings.Contains(c, "{id}") && !slices.Contains(cols, c) {
				cols = append(cols, c)
			}
		}
	}
	for _, pc := range []*participantColumns{&imp.project, &imp.organisation, &imp.programme} {
		add(pc.column)
		add(pc.idColumns...)
		add(pc.nameColumn)
		add(pc.aliasColumns...)
		add(pc.regionColumns...)
		for _, name := range sortedKeys(pc.properties) {
			add(pc.properties[name])
		}
	}
	add(imp.roleColumn, imp.countryColumn, imp.countryNameColumn, imp.periodColumn, imp.startColumn, imp.endColumn)
	for _, name := range sortedKeys(imp.relationProperties) {
		add(imp.relationProperties[name])
	}
	return cols
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
