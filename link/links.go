package link

import (
	"encoding/csv"
	"errors"
	"io"
	"strings"

	"github.com/coopgraph/coopgraph"
)

// Link is one curated statement that two records are, or are not, the same
// entity, with the reason a reviewer gave for it.
//
// A and B name records: an entity id of any dataset ("umwm", "pic:999880208"),
// or a name within a country, "name:CC:Some Name" (every Organisation record
// of country CC whose normalised name equals that of Some Name), so that a
// link does not depend on how an import spells its ids.
type Link struct {
	A, B   string
	Same   bool
	Reason string
	// Line is the line of the links file that states it (0 when built in
	// code), for messages.
	Line int
}

// Links are the curated links of a network.
type Links []Link

// ReadLinks reads a links file: CSV with the header a,b,same,reason, one
// link a line; same is "yes" (same-as) or "no" (not-same-as); the reason is
// required. Lines starting with # are comments. Every problem is reported
// with its line (file:line), and no links are returned when there is one.
func ReadLinks(r io.Reader, file string) (Links, error) {
	cr := csv.NewReader(r)
	cr.Comment = '#'
	cr.FieldsPerRecord = 4
	header, err := cr.Read()
	if err != nil {
		return nil, coopgraph.Errorf(coopgraph.EINVALID, "%s: reading the header: %v", file, err)
	}
	if strings.Join(header, ",") != "a,b,same,reason" {
		return nil, coopgraph.Errorf(coopgraph.EINVALID, "%s:1: header %q, want a,b,same,reason", file, strings.Join(header, ","))
	}
	var links Links
	var problems []string
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		l := Link{A: strings.TrimSpace(rec[0]), B: strings.TrimSpace(rec[1]), Reason: strings.TrimSpace(rec[3]), Line: line}
		switch strings.TrimSpace(rec[2]) {
		case "yes":
			l.Same = true
		case "no":
		default:
			problems = append(problems, lineMsg(file, line, "same is %q: yes or no", rec[2]))
			continue
		}
		if l.A == "" || l.B == "" || l.Reason == "" {
			problems = append(problems, lineMsg(file, line, "a link needs a, b and a reason"))
			continue
		}
		links = append(links, l)
	}
	if len(problems) > 0 {
		return nil, coopgraph.Errorf(coopgraph.EINVALID, "%s", strings.Join(problems, "\n"))
	}
	return links, nil
}

func lineMsg(file string, line int, format string, args ...any) string {
	return coopgraph.Errorf("", "%s:%d: "+format, append([]any{file, line}, args...)...).Message
}
