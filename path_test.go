package coopgraph

import "testing"

func TestPathText(t *testing.T) {
	nodes := []Entity{{ID: "opolskie", Name: "Opolskie"}, {ID: "dpp", Name: "Dom Polski Południowej"}, {ID: "malopolskie", Name: "Małopolskie"}}
	rels := []Relation{
		{Type: "MEMBER_OF", From: "opolskie", To: "dpp"},
		{Type: "MEMBER_OF", From: "malopolskie", To: "dpp", Role: "founding member"},
	}
	want := "Opolskie — member of → Dom Polski Południowej ← member of (founding member) — Małopolskie"
	if got := PathText(nodes, rels); got != want {
		t.Errorf("PathText = %q\nwant      %q", got, want)
	}
	if got := PathText(nodes[:1], nil); got != "Opolskie" {
		t.Errorf("one-node path: %q", got)
	}
}
