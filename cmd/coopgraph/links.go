package main

import (
	"bytes"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/data"
	"github.com/coopgraph/coopgraph/export"
	"github.com/coopgraph/coopgraph/link"
	"github.com/coopgraph/coopgraph/loader"
)

// linksFlags are the flags of coopgraph links.
type linksFlags struct {
	dirs    stringList
	links   string
	format  string
	show    string
	country string
	near    int
}

type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

func (f *linksFlags) register(fs *flag.FlagSet) {
	fs.Var(&f.dirs, "data", "dataset `DIR` to link, repeatable, in priority order (default: the built-in datasets: "+strings.Join(sourceNames(), ", ")+")")
	fs.StringVar(&f.links, "links", "", "curated links `FILE` (CSV a,b,same,reason; default: the built-in data/links.csv)")
	fs.StringVar(&f.format, "format", "text", "output `FORMAT`: text or csv")
	fs.StringVar(&f.show, "show", "all", "`WHAT` to report: merges, near (near misses) or all")
	fs.StringVar(&f.country, "country", "", "report only entities and pairs with a record in country `CC` (e.g. PL)")
	fs.IntVar(&f.near, "near", 100, "report at most `N` near misses, best first")
}

// linksCmd links the datasets into one network and reports, for review,
// the entities made from several records (each record, its source and the
// rule that merged it) and the near misses: pairs of organisations whose
// names scored just below the threshold.
func linksCmd(args []string, stdout, stderr io.Writer) error {
	var f linksFlags
	if _, err := parseFlags("links", args, 0, &f); err != nil {
		return err
	}
	if f.format != "text" && f.format != "csv" {
		return coopgraph.Errorf(coopgraph.EINVALID, "--format %q: text or csv", f.format)
	}
	if f.show != "all" && f.show != "merges" && f.show != "near" {
		return coopgraph.Errorf(coopgraph.EINVALID, "--show %q: merges, near or all", f.show)
	}
	sets, err := f.datasets()
	if err != nil {
		return err
	}
	links, err := f.readLinks()
	if err != nil {
		return err
	}
	_, rep, err := link.Network("linked", sets, links)
	if err != nil {
		return err
	}
	if f.format == "csv" {
		return writeLinksCSV(stdout, rep, f)
	}
	return writeLinksText(stdout, sets, rep, f)
}

// datasets reads the datasets to link: the --data directories, or the
// built-in datasets (data.Sources(), in their linking order).
func (f *linksFlags) datasets() ([]*coopgraph.Dataset, error) {
	var sets []*coopgraph.Dataset
	if len(f.dirs) > 0 {
		for _, dir := range f.dirs {
			abs, err := filepath.Abs(dir)
			if err != nil {
				return nil, err
			}
			ds, err := loader.LoadDir(dir, filepath.Base(abs))
			if err != nil {
				return nil, err
			}
			sets = append(sets, ds)
		}
		return sets, nil
	}
	for _, src := range data.Sources() {
		ds, err := loader.LoadFS(src.FS, "data/"+src.Name+" (built in)", src.Name)
		if err != nil {
			return nil, err
		}
		sets = append(sets, ds)
	}
	return sets, nil
}

// sourceNames are the names of the built-in datasets, in linking order.
func sourceNames() []string {
	var names []string
	for _, src := range data.Sources() {
		names = append(names, src.Name)
	}
	return names
}

func (f *linksFlags) readLinks() (link.Links, error) {
	if f.links == "" {
		return link.ReadLinks(bytes.NewReader(data.Links()), data.LinksFile)
	}
	file, err := os.Open(f.links)
	if err != nil {
		return nil, err
	}
	defer func() { _ = file.Close() }() // read only: nothing to lose
	return link.ReadLinks(file, f.links)
}

// inCountry is whether a record's place (town, CC) is in country cc.
func inCountry(r coopgraph.Record, cc string) bool {
	return cc == "" || strings.HasSuffix(r.Place, strings.ToUpper(cc)) && (len(r.Place) == 2 || strings.HasSuffix(r.Place, ", "+strings.ToUpper(cc)))
}

func (f *linksFlags) mergeShown(e coopgraph.Entity) bool {
	return f.country == "" || slices.ContainsFunc(e.Records, func(r coopgraph.Record) bool { return inCountry(r, f.country) })
}

func (f *linksFlags) nearShown(m link.NearMiss) bool {
	return inCountry(m.A, f.country) || inCountry(m.B, f.country)
}

func writeLinksText(w io.Writer, sets []*coopgraph.Dataset, rep link.Report, f linksFlags) error {
	pr := &printer{w: w}
	names := make([]string, len(sets))
	for i, ds := range sets {
		names[i] = ds.Name
	}
	pr.printf("linked %s: %d records became %d entities\n", strings.Join(names, ", "), rep.Records, rep.Entities)
	rules := make([]string, 0, len(rep.Rules))
	for r := range rep.Rules {
		rules = append(rules, r)
	}
	slices.Sort(rules)
	for _, r := range rules {
		pr.printf("  %6d records merged by %s\n", rep.Rules[r], r)
	}
	pr.printf("  %d name comparisons; %d relations folded as duplicates, %d dropped as loops\n", rep.Comparisons, rep.FoldedRelations, rep.Loops)
	for _, u := range rep.Unresolved {
		pr.printf("  curated link skipped (%s): %s\n", data.LinksFile, u)
	}
	for _, b := range rep.Blocked {
		pr.printf("  refused by a not-same-as link: %s\n", b)
	}
	if f.show != "near" {
		pr.printf("\nmerges (entity, then its records: dataset, id, name, place, rule)\n")
		for _, e := range rep.Merges {
			if !f.mergeShown(e) {
				continue
			}
			pr.printf("%s %s (%s)\n", e.ID, e.Name, e.Kind)
			for _, r := range e.Records {
				rule := r.Rule
				if rule == "" {
					rule = "kept"
				}
				pr.printf("    %-14s %-28s %s | %s | %s\n", r.Dataset, r.ID, r.Name, r.Place, rule)
			}
		}
	}
	if f.show != "merges" {
		pr.printf("\nnear misses (score / threshold: two records not merged)\n")
		shown := 0
		for _, m := range rep.NearMisses {
			if shown >= f.near || !f.nearShown(m) {
				continue
			}
			shown++
			pr.printf("  %.3f / %.2f  %s %s (%s)  ~  %s %s (%s)\n", m.Score, m.Threshold, m.A.ID, m.A.Name, m.A.Place, m.B.ID, m.B.Name, m.B.Place)
		}
	}
	return pr.err
}

// csvSafe neutralises the cells a spreadsheet could take for a formula
// (names come from published files), as every CSV coopgraph writes.
func csvSafe(rec []string) []string {
	for i, c := range rec {
		rec[i] = export.SafeCell(c)
	}
	return rec
}

// writeLinksCSV writes one row per record of a merged entity (kind merge)
// and one per near miss (kind near), the columns a reviewer sorts on.
func writeLinksCSV(w io.Writer, rep link.Report, f linksFlags) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"kind", "entity", "entity_name", "dataset", "id", "name", "place", "rule", "score", "threshold", "other_id", "other_name", "other_place"})
	if f.show != "near" {
		for _, e := range rep.Merges {
			if !f.mergeShown(e) {
				continue
			}
			for _, r := range e.Records {
				_ = cw.Write(csvSafe([]string{"merge", e.ID, e.Name, r.Dataset, r.ID, r.Name, r.Place, r.Rule, "", "", "", "", ""}))
			}
		}
	}
	if f.show != "merges" {
		shown := 0
		for _, m := range rep.NearMisses {
			if shown >= f.near || !f.nearShown(m) {
				continue
			}
			shown++
			_ = cw.Write(csvSafe([]string{"near", "", "", m.A.Dataset, m.A.ID, m.A.Name, m.A.Place, "",
				fmt.Sprintf("%.3f", m.Score), fmt.Sprintf("%.2f", m.Threshold), m.B.ID, m.B.Name, m.B.Place}))
		}
	}
	cw.Flush()
	return cw.Error()
}
