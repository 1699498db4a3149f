package graph

import (
	"math"

	"github.com/coopgraph/coopgraph"
)

// TimeWindow keeps only the relations active at some moment of a period.
// From and To are dates as relations write them (YYYY, YYYY-MM or
// YYYY-MM-DD); From is read as the first day of its period and To as the
// last ("2013" to "2013" is the whole of 2013), and either may be empty
// for an open end.
//
// A relation is active over [Start, End], read the same way: Start "2013"
// is 2013-01-01, End "2013" is 2013-12-31, a missing Start is the open past
// and a missing End the open future. It passes the window when the two
// intervals meet (days inclusive):
//
//	relation.start <= window.to && relation.end >= window.from
//
// so an undated relation passes every window, and a relation that ended
// in 2012 passes no window starting in 2013. From after To is an EINVALID
// error, and so is a date that is not a real calendar date.
type TimeWindow struct{ From, To string }

// Day numbers: days since 1970-01-01 (proleptic Gregorian), with the open
// past and future as sentinels below and above every date of years
// 0000–9999.
const (
	openPast   int32 = math.MinInt32
	openFuture int32 = math.MaxInt32
)

// parseDay turns a date into a day number: the first day of its period,
// or the last when last is set. The empty date is openPast (first) or
// openFuture (last). ok is false for anything but YYYY, YYYY-MM or
// YYYY-MM-DD naming a real calendar date (2023-02-30 is not).
func parseDay(date string, last bool) (day int32, ok bool) {
	if date == "" {
		if last {
			return openFuture, true
		}
		return openPast, true
	}
	n := len(date)
	if n != 4 && n != 7 && n != 10 {
		return 0, false
	}
	num := func(s string) (int, bool) {
		v := 0
		for i := 0; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				return 0, false
			}
			v = v*10 + int(s[i]-'0')
		}
		return v, true
	}
	y, okY := num(date[:4])
	if !okY {
		return 0, false
	}
	m, d := 1, 1
	if last {
		m = 12
	}
	if n >= 7 {
		var okM bool
		if m, okM = num(date[5:7]); !okM || date[4] != '-' || m < 1 || m > 12 {
			return 0, false
		}
	}
	if last {
		d = monthDays(y, m)
	}
	if n == 10 {
		var okD bool
		if d, okD = num(date[8:10]); !okD || date[7] != '-' || d < 1 || d > monthDays(y, m) {
			return 0, false
		}
	}
	return civilDay(y, m, d), true
}

func monthDays(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// civilDay is the number of days from 1970-01-01 to y-m-d in the
// proleptic Gregorian calendar (H. Hinnant, chrono-compatible low-level
// date algorithms, days_from_civil), for years 0–9999.
func civilDay(y, m, d int) int32 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 {
		era = (y - 399) / 400
	}
	yoe := y - era*400
	mp := (m + 9) % 12 // March = 0
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int32(era*146097 + doe - 719468)
}

// window is a parsed TimeWindow: relations with start <= to and end >=
// from pass.
type window struct{ from, to int32 }

// parseWindow validates w; nil gives nil (no window).
func parseWindow(w *TimeWindow) (*window, error) {
	if w == nil {
		return nil, nil
	}
	from, ok := parseDay(w.From, false)
	if !ok {
		return nil, coopgraph.Errorf(coopgraph.EINVALID, "bad date %q in %s: use YYYY, YYYY-MM or YYYY-MM-DD, a real calendar date", w.From, coopgraph.Option("activeFrom"))
	}
	to, ok := parseDay(w.To, true)
	if !ok {
		return nil, coopgraph.Errorf(coopgraph.EINVALID, "bad date %q in %s: use YYYY, YYYY-MM or YYYY-MM-DD, a real calendar date", w.To, coopgraph.Option("activeTo"))
	}
	if from > to {
		return nil, coopgraph.Errorf(coopgraph.EINVALID, "%s %q is after %s %q", coopgraph.Option("activeFrom"), w.From, coopgraph.Option("activeTo"), w.To)
	}
	return &window{from: from, to: to}, nil
}

// meets reports whether a relation active over [start, end] is active at
// some day of the window.
func (w *window) meets(start, end int32) bool { return start <= w.to && end >= w.from }
