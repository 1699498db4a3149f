package main

import (
	"context"
	"flag"
	"io"
	"strconv"
	"strings"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/graph"
)

// regionPartnersCmd lists the regions whose organisations share projects
// with a region's: coopgraph region-partners --region ID [--level 2].
func regionPartnersCmd(ctx context.Context, args []string, stdout io.Writer) error {
	var d datasetFlags
	var out outputFlag
	var region, from, to string
	var level, first int
	var programmes listFlag
	opts := flagFunc(func(fs *flag.FlagSet) {
		fs.StringVar(&region, "region", "", "the region `ID` (e.g. nuts:PL21, or the seed's malopolskie)")
		fs.IntVar(&level, "level", 2, "count partner regions at this `LEVEL`: 0 country, 1–3 NUTS levels")
		fs.IntVar(&first, "first", 20, "list at most `N` partner regions")
		fs.StringVar(&from, "active-from", "", "only participations active on or after `DATE` (YYYY, YYYY-MM or YYYY-MM-DD)")
		fs.StringVar(&to, "active-to", "", "only participations active on or before `DATE`")
		fs.Var(&programmes, "programme", "only projects FUNDED_BY this programme `ID` or its parts (repeatable)")
	})
	if _, err := parseAnalysis("region-partners", args, 0, &out, []string{"text", "csv", "json"}, &d, opts); err != nil {
		return err
	}
	if region == "" {
		return coopgraph.Errorf(coopgraph.EINVALID, "--region is required: the id of a Region")
	}
	if err := checkPositive(positiveSetting{"first", int64(first)}); err != nil {
		return err
	}
	snap, err := snapshotOf(ctx, &d, "counting partner regions")
	if err != nil {
		return err
	}
	partners, err := snap.RegionPartners(ctx, region, graph.RegionPartnerOptions{Level: level, Window: timeWindow(from, to), Programmes: programmes})
	if err != nil {
		return err
	}
	if len(partners) > first {
		partners = partners[:first]
	}
	switch out.format {
	case "json":
		if partners == nil {
			partners = []graph.RegionPartner{}
		}
		return writeJSON(stdout, partners)
	case "csv":
		rows := make([][]string, len(partners))
		for i, p := range partners {
			rows[i] = []string{text(p.Region), text(entityName(snap, p.Region)), strconv.Itoa(len(p.Projects)), text(strings.Join(p.Programmes, ";"))}
		}
		return writeCSV(stdout, []string{"region", "name", "projects", "programmes"}, rows)
	}
	pr := &printer{w: stdout}
	for _, p := range partners {
		pr.printf("%4d projects  %s (%s)", len(p.Projects), entityName(snap, p.Region), p.Region)
		if len(p.Programmes) > 0 {
			pr.printf(": %s", names(snap, p.Programmes))
		}
		pr.printf("\n")
	}
	return pr.err
}
