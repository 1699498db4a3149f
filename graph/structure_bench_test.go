package graph

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/coopgraph/coopgraph"
)

// cordisLike is a participation network shaped like CORDIS H2020 (35,871
// organisations in 31,451 projects, 144,726 participations): half the
// projects have a single beneficiary, the others 2 + a heavy-tailed number
// of partners (mean ~8, one of 186), organisations drawn preferentially (a
// few take part in thousands of projects). Seeded.
func cordisLike(orgs, projects int, seed uint64) *coopgraph.Dataset {
	rng := rand.New(rand.NewPCG(seed, 0xc0ffee))
	ds := &coopgraph.Dataset{Name: "cordis-like"}
	org := func(i int) string { return fmt.Sprintf("org:%06d", i) }
	for i := range orgs {
		ds.Entities = append(ds.Entities, coopgraph.Entity{ID: org(i), Kind: "Organisation"})
	}
	var ends []int // organisations of earlier participations
	for p := range projects {
		pid := fmt.Sprintf("project:%06d", p)
		ds.Entities = append(ds.Entities, coopgraph.Entity{ID: pid, Kind: "Project"})
		size := 1
		switch {
		case p == 0:
			size = 186
		case rng.IntN(2) == 0:
			size = 2 + int(math.Min(184, math.Floor(6*math.Pow(1-rng.Float64(), -1/2.5)-6+rng.Float64()*4)))
		}
		seen := map[int]bool{}
		for len(seen) < size {
			o := rng.IntN(orgs)
			if len(ends) > 0 && rng.IntN(2) == 0 {
				o = ends[rng.IntN(len(ends))]
			}
			if seen[o] {
				continue
			}
			seen[o] = true
			ends = append(ends, o)
			ds.Relations = append(ds.Relations, coopgraph.Relation{ID: fmt.Sprintf("r%07d", len(ds.Relations)),
				Type: "PARTICIPATES_IN", From: org(o), To: pid})
		}
	}
	return ds
}

var (
	cordisNet = sync.OnceValue(func() *Snapshot { return NewSnapshot(cordisLike(35_871, 31_451, 2020)) })
	// A larger preferential-attachment network: 50,000 entities, 150,000
	// relations.
	bigNet = sync.OnceValue(func() *Snapshot { return NewSnapshot(randomDataset(50_000, 150_000, 7)) })
)

var orgsViaProjects = Projection{Kinds: []string{"Organisation"}, Via: []string{"Project"}}

func BenchmarkComponents(b *testing.B) {
	for name, s := range map[string]func() *Snapshot{"bench25k": benchNet, "big50k": bigNet} {
		b.Run(name, func(b *testing.B) {
			s := s()
			for b.Loop() {
				if _, err := s.Components(context.Background(), nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkLouvain runs the algorithm on the simple graph (Communities adds
// the simple graph and the answer's map).
func BenchmarkLouvain(b *testing.B) {
	for name, s := range map[string]func() *Snapshot{"bench25k": benchNet, "big50k": bigNet, "cordis": cordisNet} {
		b.Run(name, func(b *testing.B) {
			g := s().simple(nil, nil)
			var q float64
			for b.Loop() {
				q = modularity(g, louvain(g, 1, 1), 1)
			}
			b.ReportMetric(q, "modularity")
		})
	}
}

func BenchmarkCommunities(b *testing.B) {
	s := bigNet()
	for b.Loop() {
		if _, err := s.Communities(context.Background(), CommunityOptions{Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBrokers(b *testing.B) {
	s := bigNet()
	b.Run("ArticulationPoints", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.ArticulationPoints(context.Background(), nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Bridges", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.Bridges(context.Background(), nil); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkWhatIfRemoved: the hub of a 5,000-entity network (a full
// all-pairs comparison over its ~4,800-entity component), an ordinary
// entity (answered by the 2-hop check), and the hub of the 25,000-entity
// network, with its MEMBER_OF relations (a sparse, tree-like piece) and
// with all (2.4·10^9 of the MaxWhatIfWork budget).
func BenchmarkWhatIfRemoved(b *testing.B) {
	small := NewSnapshot(randomDataset(5_000, 10_000, 3))
	for _, tc := range []struct {
		name  string
		s     *Snapshot
		id    string
		types []string
	}{
		{"net5k/hub", small, "e0000000", nil},
		{"net5k/e0000100", small, "e0000100", nil},
		{"bench25k-MEMBER_OF/hub", benchNet(), "e0000000", []string{"MEMBER_OF"}},
		{"bench25k/hub", benchNet(), "e0000000", nil},
	} {
		b.Run(tc.name, func(b *testing.B) {
			var imp *Impact
			for b.Loop() {
				var err error
				if imp, err = tc.s.WhatIfRemoved(context.Background(), tc.id, tc.types, 20); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(imp.DisconnectedPairs), "disconnected")
			b.ReportMetric(float64(imp.LongerPairs), "longer")
		})
	}
}

// BenchmarkProject: CORDIS-like organisations through shared projects.
func BenchmarkProject(b *testing.B) {
	s := cordisNet()
	b.Run("Project/first=100", func(b *testing.B) {
		var total int
		for b.Loop() {
			var err error
			if _, total, err = s.Project(context.Background(), orgsViaProjects, 100); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(total), "edges")
	})
	b.Run("projected", func(b *testing.B) {
		for b.Loop() {
			if _, _, err := s.projected(nil, &orgsViaProjects); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkPartners(b *testing.B) {
	s := cordisNet()
	// The organisation in most projects, and an ordinary one.
	g := s.simple(nil, nil)
	hub, most := int32(0), 0
	for u := range int32(g.n) {
		if d := len(g.neighbours(u)); s.entity(u).Kind == "Organisation" && d > most {
			hub, most = u, d
		}
	}
	for _, id := range []string{s.ids[hub], "org:012345"} {
		b.Run(id, func(b *testing.B) {
			var n int
			for b.Loop() {
				ps, err := s.Partners(id, PartnerOptions{})
				if err != nil {
					b.Fatal(err)
				}
				n = len(ps)
			}
			b.ReportMetric(float64(n), "partners")
		})
	}
}
