package graph

import (
	"slices"
	"testing"
	"time"

	"github.com/coopgraph/coopgraph"
)

func TestParseDay(t *testing.T) {
	day := func(y int, m time.Month, d int) int32 {
		return int32(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
	}
	for _, tc := range []struct {
		date  string
		last  bool
		want  int32
		valid bool
	}{
		{"", false, openPast, true},
		{"", true, openFuture, true},
		{"2013", false, day(2013, 1, 1), true},
		{"2013", true, day(2013, 12, 31), true},
		{"2013-02", false, day(2013, 2, 1), true},
		{"2013-02", true, day(2013, 2, 28), true},
		{"2012-02", true, day(2012, 2, 29), true},
		{"1900-02", true, day(1900, 2, 28), true},
		{"2000-02", true, day(2000, 2, 29), true},
		{"2013-11", true, day(2013, 11, 30), true},
		{"2013-04-05", false, day(2013, 4, 5), true},
		{"2013-04-05", true, day(2013, 4, 5), true},
		{"1970-01-01", false, 0, true},
		{"1364-05-12", false, day(1364, 5, 12), true}, // Kraków Academy
		{"0000-03-01", false, day(0, 3, 1), true},
		{"9999-12", true, day(9999, 12, 31), true},
		{"2023-02-29", false, 0, false},
		{"2024-02-30", false, 0, false},
		{"2013-13", false, 0, false},
		{"2013-00", false, 0, false},
		{"2013-04-31", false, 0, false},
		{"2013-04-00", false, 0, false},
		{"13", false, 0, false},
		{"2013-4-5", false, 0, false},
		{"2013/04/05", false, 0, false},
		{"２０１３", false, 0, false},
		{"2013-04-05T00:00", false, 0, false},
		{"abcd", false, 0, false},
		{"-013", false, 0, false},
	} {
		got, ok := parseDay(tc.date, tc.last)
		if ok != tc.valid || ok && got != tc.want {
			t.Errorf("parseDay(%q, %v) = %d, %v; want %d, %v", tc.date, tc.last, got, ok, tc.want, tc.valid)
		}
	}
	// Every day of four centuries against the time package.
	for d := time.Date(1899, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() < 2300; d = d.AddDate(0, 0, 1) {
		if got, want := civilDay(d.Year(), int(d.Month()), d.Day()), int32(d.Unix()/86400); got != want {
			t.Fatalf("civilDay(%s) = %d, want %d", d.Format(time.DateOnly), got, want)
		}
	}
}

func TestParseWindow(t *testing.T) {
	for _, tc := range []struct {
		w        *TimeWindow
		from, to int32
		mention  string // of the EINVALID error, "" for none
	}{
		{&TimeWindow{}, openPast, openFuture, ""},
		{&TimeWindow{From: "2013", To: "2013"}, civilDay(2013, 1, 1), civilDay(2013, 12, 31), ""},
		{&TimeWindow{From: "2013-12", To: "2013"}, civilDay(2013, 12, 1), civilDay(2013, 12, 31), ""},
		{&TimeWindow{From: "2013-12-31", To: "2013-12-31"}, civilDay(2013, 12, 31), civilDay(2013, 12, 31), ""},
		{&TimeWindow{To: "2012-06"}, openPast, civilDay(2012, 6, 30), ""},
		{&TimeWindow{From: "2014", To: "2013"}, 0, 0, `activeFrom "2014" is after activeTo "2013"`},
		{&TimeWindow{From: "2013-06-02", To: "2013-06-01"}, 0, 0, "is after"},
		{&TimeWindow{From: "2013-02-30"}, 0, 0, `bad date "2013-02-30" in activeFrom`},
		{&TimeWindow{To: "June 2013"}, 0, 0, `bad date "June 2013" in activeTo`},
	} {
		w, err := parseWindow(tc.w)
		if tc.mention != "" {
			if w != nil || coopgraph.ErrorCode(err) != coopgraph.EINVALID || !errorMentions(err, tc.mention) {
				t.Errorf("parseWindow(%+v) = %v, %v; want EINVALID naming %s", *tc.w, w, err, tc.mention)
			}
			continue
		}
		if err != nil || w.from != tc.from || w.to != tc.to {
			t.Errorf("parseWindow(%+v) = %+v, %v; want [%d, %d]", *tc.w, w, err, tc.from, tc.to)
		}
	}
	if w, err := parseWindow(nil); w != nil || err != nil {
		t.Errorf("parseWindow(nil) = %v, %v", w, err)
	}
}

// windowDataset: a -r1- b -r2- d over 2010–2012 and 2015-03 onwards, a
// -r3- c -r4- d in 2013 only, a -r5- d undated but over e: a -x1- e -x2- d.
func windowDataset() *coopgraph.Dataset {
	ds := &coopgraph.Dataset{}
	for _, id := range []string{"a", "b", "c", "d", "e"} {
		ds.Entities = append(ds.Entities, coopgraph.Entity{ID: id, Kind: "Organisation"})
	}
	rel := func(id, from, to, start, end string) {
		ds.Relations = append(ds.Relations, coopgraph.Relation{ID: id, Type: "COOPERATES_WITH", From: from, To: to, Start: start, End: end})
	}
	rel("r1", "a", "b", "2010", "2012")
	rel("r2", "b", "d", "2015-03", "")
	rel("r3", "a", "c", "2013", "2013")
	rel("r4", "d", "c", "2013-01-01", "2013-12-31")
	rel("x1", "a", "e", "", "")
	rel("x2", "e", "f", "", "2009-06")
	rel("x3", "e", "d", "", "")
	ds.Entities = append(ds.Entities, coopgraph.Entity{ID: "f", Kind: "Organisation"})
	return ds
}

func TestPathWindow(t *testing.T) {
	s := NewSnapshot(windowDataset())
	abd := []string{"a", "b", "d"}
	acd := []string{"a", "c", "d"}
	aed := []string{"a", "e", "d"}
	for _, tc := range []struct {
		w    *TimeWindow
		want [][]string // node paths of AllShortestPaths
	}{
		{nil, [][]string{abd, acd, aed}},
		{&TimeWindow{}, [][]string{abd, acd, aed}},
		{&TimeWindow{From: "2013", To: "2013"}, [][]string{acd, aed}},
		{&TimeWindow{From: "2013-12-31", To: "2013-12-31"}, [][]string{acd, aed}},
		{&TimeWindow{From: "2014-01-01", To: "2014-12-31"}, [][]string{aed}},
		// r1 ended 2012, r2 began 2015-03: each is active in the window,
		// not at the same moment; a window asks for activity at some moment.
		{&TimeWindow{From: "2012", To: "2015-03"}, [][]string{abd, acd, aed}},
		{&TimeWindow{From: "2012", To: "2015-02"}, [][]string{acd, aed}},
		{&TimeWindow{To: "2009"}, [][]string{aed}},
		{&TimeWindow{From: "2016"}, [][]string{aed}},
	} {
		got, _, err := s.AllShortestPaths("a", "d", PathOptions{Window: tc.w}, -1)
		var nodes [][]string
		for _, p := range got {
			nodes = append(nodes, p.Nodes)
		}
		if err != nil || len(nodes) != len(tc.want) {
			t.Errorf("window %+v: %v, %v; want %v", tc.w, nodes, err, tc.want)
			continue
		}
		for i := range nodes {
			if !slices.Equal(nodes[i], tc.want[i]) {
				t.Errorf("window %+v: %v; want %v", tc.w, nodes, tc.want)
				break
			}
		}
	}
	// e-f ended mid-2009: no path to f from 2010 on.
	if p, err := s.ShortestPath("a", "f", PathOptions{Window: &TimeWindow{From: "2009-07"}}); p != nil || err != nil {
		t.Errorf("a-f from 2009-07: %v, %v; want none", p, err)
	}
	if p, err := s.ShortestPath("a", "f", PathOptions{Window: &TimeWindow{From: "2009-06"}}); p == nil || err != nil {
		t.Errorf("a-f from 2009-06: %v, %v; want a path", p, err)
	}
}
