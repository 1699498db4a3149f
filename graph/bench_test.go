package graph

import (
	"fmt"
	"sync"
	"testing"
)

// The benchmark network: 25,000 entities and 50,000 relations of three
// types, grown by preferential attachment (a few hubs, a long tail), with
// ~2% parallel relations, ~1% self-loops and a mostly isolated 5%. Seeded,
// so every run measures the same graph.
var benchNet = sync.OnceValue(func() *Snapshot { return NewSnapshot(randomDataset(25_000, 50_000, 2024)) })

func benchPairs(s *Snapshot) [][2]string {
	var pairs [][2]string
	for i := range 1024 {
		a, b := (i*7919)%s.NumNodes(), (i*104729+17)%s.NumNodes()
		pairs = append(pairs, [2]string{s.ids[a], s.ids[b]})
	}
	return pairs
}

func BenchmarkNewSnapshot(b *testing.B) {
	ds := randomDataset(25_000, 50_000, 2024)
	for b.Loop() {
		NewSnapshot(ds)
	}
}

func BenchmarkShortestPath(b *testing.B) {
	s := benchNet()
	pairs := benchPairs(s)
	for _, opt := range []PathOptions{{}, {RelationTypes: []string{"MEMBER_OF"}}} {
		b.Run(fmt.Sprintf("types=%v", opt.RelationTypes), func(b *testing.B) {
			i := 0
			for b.Loop() {
				p := pairs[i%len(pairs)]
				if _, err := s.ShortestPath(p[0], p[1], opt); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

func BenchmarkAllShortestPaths(b *testing.B) {
	s := benchNet()
	pairs := benchPairs(s)
	i := 0
	for b.Loop() {
		p := pairs[i%len(pairs)]
		if _, _, err := s.AllShortestPaths(p[0], p[1], PathOptions{}, 25); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// The centrality benchmarks call the measures directly: Centrality would
// answer from its cache after the first call.

func BenchmarkBetweenness(b *testing.B) {
	g := benchNet().simple(nil, nil)
	for b.Loop() {
		betweenness(g)
	}
}

func BenchmarkCloseness(b *testing.B) {
	g := benchNet().simple(nil, nil)
	for b.Loop() {
		closeness(g)
	}
}

func BenchmarkPageRank(b *testing.B) {
	g := benchNet().simple(nil, nil)
	for b.Loop() {
		if _, err := pageRank(g); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEigenvector(b *testing.B) {
	g := benchNet().simple(nil, nil)
	for b.Loop() {
		if _, err := eigenvector(g); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDegree(b *testing.B) {
	g := benchNet().simple(nil, nil)
	for b.Loop() {
		degreeCentrality(g)
	}
}

func BenchmarkHarmonic(b *testing.B) {
	g := benchNet().simple(nil, nil)
	for b.Loop() {
		harmonic(g)
	}
}

// BenchmarkBetweennessSampled: 500 sources of 25,000 (Samples: 500).
func BenchmarkBetweennessSampled(b *testing.B) {
	g := benchNet().simple(nil, nil)
	sources := sampleSources(g.n, 500, 1)
	for b.Loop() {
		betweennessSampled(g, sources)
	}
}

// BenchmarkPendantTrees: the reduction betweenness and closeness start
// with, O(n + m).
func BenchmarkPendantTrees(b *testing.B) {
	g := benchNet().simple(nil, nil)
	for b.Loop() {
		newPendantTrees(g)
	}
}
