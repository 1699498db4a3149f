package memstore

import (
	"context"
	"slices"
	"testing"

	"github.com/coopgraph/coopgraph"
)

func TestNeighboursOrderFilterAndSelfLoop(t *testing.T) {
	ds := &coopgraph.Dataset{
		Entities: []coopgraph.Entity{{ID: "a", Kind: "Region", Name: "A"}, {ID: "b", Kind: "Network", Name: "B"}, {ID: "c", Kind: "Project", Name: "C"}},
		Relations: []coopgraph.Relation{
			{ID: "r3", Type: "PARTICIPATES_IN", From: "a", To: "c"},
			{ID: "r2", Type: "MEMBER_OF", From: "a", To: "b"},
			{ID: "r1", Type: "SUPPORTS", From: "b", To: "a"},
			{ID: "r0", Type: "COOPERATES_WITH", From: "a", To: "a"},
		},
	}
	s := New(ds)
	ctx := context.Background()
	ids := func(rels []coopgraph.Relation) (out []string) {
		for _, r := range rels {
			out = append(out, r.ID)
		}
		return out
	}
	cases := []struct {
		types []string
		first int
		want  []string
	}{
		{nil, -1, []string{"r0", "r2", "r1", "r3"}}, // other end a, b (MEMBER_OF < SUPPORTS), c; the loop once
		{[]string{"MEMBER_OF", "PARTICIPATES_IN"}, -1, []string{"r2", "r3"}},
		{nil, 2, []string{"r0", "r2"}},
	}
	for _, c := range cases {
		got, err := s.Neighbours(ctx, "a", c.types, c.first)
		if err != nil {
			t.Fatal(err)
		}
		if g := ids(got); !slices.Equal(g, c.want) {
			t.Errorf("Neighbours(a, %v, %d) = %v, want %v", c.types, c.first, g, c.want)
		}
	}
	if _, err := s.Neighbours(ctx, "zz", nil, -1); coopgraph.ErrorCode(err) != coopgraph.ENOTFOUND {
		t.Errorf("unknown id: %v", err)
	}
	if _, err := s.Neighbours(ctx, "a", []string{"LOVES"}, -1); coopgraph.ErrorCode(err) != coopgraph.EINVALID {
		t.Errorf("unknown type: %v", err)
	}
	if _, err := s.Entities(ctx, []string{"a", "nope"}); coopgraph.ErrorCode(err) != coopgraph.ENOTFOUND {
		t.Errorf("unknown entity: %v", err)
	}
}
