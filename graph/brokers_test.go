package graph

import (
	"context"
	"slices"
	"testing"

	"github.com/coopgraph/coopgraph"
)

type brokersCase struct {
	RelationTypes      []string
	ArticulationPoints []string
	Bridges            []Bridge
	WhatIf             []whatIfCase
}

type whatIfCase struct {
	Entity            string
	DisconnectedPairs int64
	LongerPairs       int64
	Components        []int
	// Changes are the changed pairs in Impact.Examples' order: all of them
	// when Complete, else the first ones.
	Changes  []PairChange
	Complete bool
}

// TestBrokersNetworkx: ArticulationPoints equals sorted(nx.articulation_points(G))
// and Bridges equals sorted(nx.bridges(G)), each bridge with the ids of the
// kept relations between its ends, on G = nx.Graph(kept relations)
// (networkx 2.8.8), for every fixture graph and relation-type filter.
func TestBrokersNetworkx(t *testing.T) {
	n := 0
	forGraphs(t, "brokers", func(t *testing.T, g *structureGraph, s *Snapshot, cases []brokersCase) {
		for _, c := range cases {
			n++
			aps, err := s.ArticulationPoints(context.Background(), c.RelationTypes)
			if err != nil {
				t.Fatalf("%v: %v", c.RelationTypes, err)
			}
			if !slices.Equal(aps, c.ArticulationPoints) && len(aps)+len(c.ArticulationPoints) > 0 {
				t.Errorf("%v: articulation points\n got %v\nwant %v", c.RelationTypes, aps, c.ArticulationPoints)
			}
			bridges, err := s.Bridges(context.Background(), c.RelationTypes)
			if err != nil {
				t.Fatalf("%v: %v", c.RelationTypes, err)
			}
			if !slices.EqualFunc(bridges, c.Bridges, func(a, b Bridge) bool {
				return a.A == b.A && a.B == b.B && slices.Equal(a.Relations, b.Relations)
			}) {
				t.Errorf("%v: bridges\n got %v\nwant %v", c.RelationTypes, bridges, c.Bridges)
			}
		}
	})
	if n < 20 {
		t.Errorf("only %d cases", n)
	}
}

func TestBrokersErrors(t *testing.T) {
	s := NewSnapshot(smallDataset())
	if _, err := s.ArticulationPoints(context.Background(), []string{"LIKES"}); coopgraph.ErrorCode(err) != coopgraph.EINVALID || !errorMentions(err, "LIKES") {
		t.Errorf("ArticulationPoints, unknown type: %v", err)
	}
	if _, err := s.Bridges(context.Background(), []string{"LIKES"}); coopgraph.ErrorCode(err) != coopgraph.EINVALID || !errorMentions(err, "LIKES") {
		t.Errorf("Bridges, unknown type: %v", err)
	}
	// Empty answers are empty slices, not nil (JSON [] rather than null).
	e := NewSnapshot(nil)
	if aps, err := e.ArticulationPoints(context.Background(), nil); err != nil || aps == nil || len(aps) != 0 {
		t.Errorf("empty snapshot: %v, %v", aps, err)
	}
	if bs, err := e.Bridges(context.Background(), nil); err != nil || bs == nil || len(bs) != 0 {
		t.Errorf("empty snapshot: %v, %v", bs, err)
	}
}

// TestCutStructureDeep: the DFS is iterative, so a path of 10^6 nodes (a
// recursion 10^6 deep) is fine: every inner node cuts, every edge is a
// bridge.
func TestCutStructureDeep(t *testing.T) {
	const n = 1_000_000
	g := &simpleGraph{n: n, off: make([]int32, n+1), loop: make([]bool, n)}
	for u := range int32(n) {
		if u > 0 {
			g.adj = append(g.adj, u-1)
		}
		if u < n-1 {
			g.adj = append(g.adj, u+1)
		}
		g.off[u+1] = int32(len(g.adj))
	}
	art, bridges := cutStructure(g)
	cuts := 0
	for _, a := range art {
		if a {
			cuts++
		}
	}
	if cuts != n-2 || len(bridges) != n-1 || art[0] || art[n-1] {
		t.Errorf("path of %d: %d articulation points, %d bridges", n, cuts, len(bridges))
	}
}
