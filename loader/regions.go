package loader

import (
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/coopgraph/coopgraph"
	"go.yaml.in/yaml/v4"
)

// A region import reads the NUTS classification as Eurostat publishes it
// (one row per code: code, level, label) through a column mapping given in
// a dataset YAML file, so that every NUTS region is a place of the network:
//
//	regions:
//	  - table: nuts2024.csv.gz      # read first: its labels win
//	    version: "2024"
//	    codeColumn: NUTS Code
//	    nameColumn: NUTS label
//	    levelColumn: NUTS level
//	  - table: nuts2021-labels.csv.gz
//	    version: "2021"
//	    codeColumn: nuts2021_code
//	    nameColumn: label
//	    levelColumn: level
//	    successorColumn: nuts2024_code
//
// Every code of levels 1–3, of any table, is one Region entity "nuts:CODE"
// (properties nuts, level, versions; its code an alias, so that searching
// "PL21" finds it), named by the first table that labels it, and PART_OF
// its parent: the code without its last character, or at level 1 the
// Country of its first two letters (level-0 rows are countries: the
// dataset's Country with that code property, or "country:XX" named from
// ISO 3166-1). A code that changed (successorColumn) keeps its entity,
// with properties successor and, on the new one, predecessors. FORMAT.md
// documents the keys.
type regionImport struct {
	table, file     string // as given; as problems name it
	tableAt         int
	document        string
	version         string
	codeColumn      string
	nameColumn      string
	levelColumn     string
	successorColumn string
}

// The id prefix of a NUTS region (importRegionKind, PART_OF its parent).
const regionIDPrefix = "nuts:"

var regionImportKeys = []string{"table", "document", "version", "codeColumn", "nameColumn", "levelColumn", "successorColumn"}

// regions reads the regions key of a YAML file.
func (y *yamlFileReader) regions(n *yaml.Node) {
	for _, item := range y.sequence(n, "regions") {
		pairs, ok := y.mapping(item, "a region import")
		if !ok {
			continue
		}
		imp := &regionImport{}
		fields := map[string]*string{
			"table": &imp.table, "document": &imp.document, "version": &imp.version,
			"codeColumn": &imp.codeColumn, "nameColumn": &imp.nameColumn, "levelColumn": &imp.levelColumn,
			"successorColumn": &imp.successorColumn,
		}
		at := map[string]int{}
		for _, p := range pairs {
			f, known := fields[p.key]
			if !known {
				y.unknownKey(p, "in a region import", regionImportKeys)
				continue
			}
			*f, at[p.key] = y.scalar(p.v, p.key)
		}
		imp.tableAt = at["table"]
		ok = true
		for _, req := range []string{"table", "codeColumn", "nameColumn", "levelColumn"} {
			switch {
			case at[req] == 0:
				y.problem(item.Line, "region import has no %q (required)", req)
				ok = false
			case at[req] > 0 && *fields[req] == "":
				y.problem(at[req], "empty %s in a region import", req)
				ok = false
			case at[req] < 0:
				ok = false
			}
		}
		if !ok {
			y.l.incomplete = true
			continue
		}
		y.l.regionImports = append(y.l.regionImports, regionImportAt{imp: imp, yamlFile: y.file})
	}
}

// regionImportAt is a region import with the YAML file it was declared in.
type regionImportAt struct {
	imp      *regionImport
	yamlFile string
}

// regionRow is what the tables say of one NUTS code.
type regionRow struct {
	code, name   string
	level        int
	versions     []string
	aliases      []string // other tables' labels
	successor    string
	predecessors []string
	file         string // where the code was first read
	line         int
	document     string
}

// readRegions reads the tables of the region imports, in the order they
// are declared, then adds their regions, countries and PART_OF relations.
// It runs before the participation imports, which then find the countries.
func (l *loader) readRegions() {
	if len(l.regionImports) == 0 {
		return
	}
	rows := map[string]*regionRow{}
	for _, ia := range l.regionImports {
		if l.stop {
			return
		}
		l.readRegionTable(ia, rows)
	}
	codes := make([]string, 0, len(rows))
	for code := range rows {
		codes = append(codes, code)
	}
	slices.Sort(codes)
	for _, code := range codes {
		if s := rows[rows[code].successor]; s != nil {
			s.predecessors = append(s.predecessors, code)
		}
	}
	countries := l.countryIDs()
	for _, code := range codes {
		if rows[code].level == 0 {
			l.nutsCountry(rows[code], countries)
		}
	}
	for _, code := range codes {
		if r := rows[code]; r.level > 0 {
			l.nutsRegion(r, rows, countries)
		}
	}
}

// countryIDs maps the country codes of the dataset's Country entities read
// so far (property code, upper case) to their ids, the first one winning.
func (l *loader) countryIDs() map[string]string {
	countries := map[string]string{}
	for i := range l.entities.len() {
		e := &l.entities.at(i).e
		code := strings.ToUpper(e.Properties["code"])
		if e.Kind == importCountryKind && code != "" {
			if _, dup := countries[code]; !dup {
				countries[code] = e.ID
			}
		}
	}
	return countries
}

// readRegionTable reads one NUTS table into rows.
func (l *loader) readRegionTable(ia regionImportAt, rows map[string]*regionRow) {
	imp := ia.imp
	f, name, file, ok := l.openTable("region", imp.table, ia.yamlFile, imp.tableAt)
	imp.file = file
	if !ok {
		l.incomplete = true
		return
	}
	defer func() { _ = f.Close() }() // read only: Close has nothing to lose
	r, closeGzip, ok := l.decompress(f, name, imp.file, true)
	if !ok {
		l.incomplete = true
		return
	}
	defer closeGzip()
	cols := []string{imp.codeColumn, imp.nameColumn, imp.levelColumn}
	if imp.successorColumn != "" {
		cols = append(cols, imp.successorColumn)
	}
	c := l.openCSV(imp.file, r, cols, cols, func(string) bool { return false })
	if c == nil {
		l.incomplete = true
		return
	}
	c.malformed = func([]string) { l.incomplete = true }
	for {
		rec, ok := c.next()
		if !ok {
			break
		}
		l.regionRow(imp, c, rec, rows)
	}
	if c.line < 0 {
		l.incomplete = true
	}
}

// regionRow reads one row of a NUTS table: a code whose length agrees with
// its level (two letters for the country, one character per level below).
func (l *loader) regionRow(imp *regionImport, c *csvFile, rec []string, rows map[string]*regionRow) {
	code := strings.ToUpper(c.cell(rec, imp.codeColumn))
	label := c.cell(rec, imp.nameColumn)
	levelCell := c.cell(rec, imp.levelColumn)
	if code == "" {
		l.problem(imp.file, c.line, "empty %s: every row needs a NUTS code", quote(imp.codeColumn))
		return
	}
	level, err := strconv.Atoi(levelCell)
	if err != nil || level < 0 || level > 3 {
		l.problem(imp.file, c.line, "NUTS level %s of %s in column %s is not 0, 1, 2 or 3", quote(levelCell), quote(code), quote(imp.levelColumn))
		return
	}
	if len(code) != 2+level || !isAlnumString(code) {
		l.problem(imp.file, c.line, "NUTS code %s does not fit level %d: a level-%d code is two letters and %d more letters or digits", quote(code), level, level, level)
		return
	}
	row := rows[code]
	if row == nil {
		row = &regionRow{code: code, level: level, file: imp.file, line: c.line, document: imp.document}
		if row.document == "" {
			row.document = path.Base(imp.table)
		}
		rows[code] = row
	} else if row.level != level {
		l.problem(imp.file, c.line, "NUTS code %s is level %d here but level %d at %s:%d", quote(code), level, row.level, row.file, row.line)
		return
	}
	switch {
	case label == "":
	case row.name == "":
		row.name = label
	case !containsFold(row.aliases, label) && !strings.EqualFold(row.name, label):
		row.aliases = append(row.aliases, label)
	}
	if imp.version != "" && !slices.Contains(row.versions, imp.version) {
		row.versions = append(row.versions, imp.version)
	}
	if imp.successorColumn == "" {
		return
	}
	if succ := strings.ToUpper(c.cell(rec, imp.successorColumn)); succ != "" && succ != code {
		row.successor = succ
	}
}

func isAlnumString(s string) bool {
	for i := range len(s) {
		if !isAlnum(s[i]) {
			return false
		}
	}
	return true
}

// nutsCountry makes a level-0 row the dataset's Country of that code, or a
// Country "country:XX" when the dataset has none.
func (l *loader) nutsCountry(r *regionRow, countries map[string]string) {
	if _, ok := countries[r.code]; ok {
		return
	}
	name, known := countryNames[r.code]
	if !known {
		l.problem(r.file, r.line, "unknown country code %s: ISO 3166-1 alpha-2 (or EL, UK, XK as Eurostat writes them)", quote(r.code))
		return
	}
	id := "country:" + r.code
	countries[r.code] = id
	l.addEntity(entityRec{e: coopgraph.Entity{ID: id, Kind: importCountryKind, Name: name,
		Aliases: []string{r.code}, Properties: map[string]string{"code": r.code}},
		file: r.file, at: r.line, idAt: r.line, kindAt: r.line, nameAt: r.line})
}

// nutsRegion adds the Region of a code of levels 1–3 and its PART_OF
// relation to its parent.
func (l *loader) nutsRegion(r *regionRow, rows map[string]*regionRow, countries map[string]string) {
	id := regionIDPrefix + r.code
	var parent string
	if r.level == 1 {
		cc := r.code[:2]
		if parent = countries[cc]; parent == "" {
			l.nutsCountry(&regionRow{code: cc, file: r.file, line: r.line}, countries)
			parent = countries[cc]
		}
	} else if p := rows[r.code[:len(r.code)-1]]; p != nil {
		parent = regionIDPrefix + p.code
	} else {
		l.problem(r.file, r.line, "NUTS code %s has no parent: no table has the code %s", quote(r.code), quote(r.code[:len(r.code)-1]))
	}
	if r.name == "" {
		l.problem(r.file, r.line, "NUTS code %s has no label in any table", quote(r.code))
		return
	}
	props := map[string]string{"nuts": r.code, "level": strconv.Itoa(r.level)}
	if len(r.versions) > 0 {
		v := slices.Clone(r.versions)
		slices.Sort(v)
		props["versions"] = strings.Join(v, " ")
	}
	if r.successor != "" {
		props["successor"] = r.successor
	}
	if len(r.predecessors) > 0 {
		props["predecessors"] = strings.Join(r.predecessors, " ") // in code order
	}
	aliases := append([]string{r.code}, r.aliases...)
	if !l.addEntity(entityRec{e: coopgraph.Entity{ID: id, Kind: importRegionKind, Name: r.name, Aliases: aliases, Properties: props},
		file: r.file, at: r.line, idAt: r.line, kindAt: r.line, nameAt: r.line}) {
		return
	}
	if parent != "" {
		l.addRelation(relationRec{r: coopgraph.Relation{Type: importPartOf, From: id, To: parent, Document: r.document},
			file: r.file, at: r.line, fromAt: r.line, toAt: r.line, typeAt: r.line, csv: true})
	}
}
