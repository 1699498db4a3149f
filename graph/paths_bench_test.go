package graph

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/coopgraph/coopgraph"
)

// datedDataset is randomDataset with what the constrained queries read:
// entities of four kinds, a "w" property of 0.5 to 3 on every relation,
// and periods. Periods come from a pool of m/25, as the partners of a
// project share its duration: 30% of relations are undated, the others
// take a period of the pool, a start (a year, a month or a day between
// 2000 and 2024) and, four times out of five, an end one to six years
// later.
func datedDataset(n, m int, seed uint64) *coopgraph.Dataset {
	ds := randomDataset(n, m, seed)
	rng := rand.New(rand.NewPCG(seed, 99))
	kinds := []string{"Organisation", "Project", "Network", "Region"}
	for i := range ds.Entities {
		ds.Entities[i].Kind = kinds[rng.IntN(len(kinds))]
	}
	date := func(y int) string {
		switch r := rng.IntN(10); {
		case r < 5:
			return fmt.Sprintf("%04d", y)
		case r < 8:
			return fmt.Sprintf("%04d-%02d", y, 1+rng.IntN(12))
		}
		return fmt.Sprintf("%04d-%02d-%02d", y, 1+rng.IntN(12), 1+rng.IntN(28))
	}
	pool := make([][2]string, max(1, m/25))
	for i := range pool {
		y := 2000 + rng.IntN(25)
		pool[i][0] = date(y)
		if rng.IntN(5) > 0 {
			pool[i][1] = date(y + 1 + rng.IntN(6))
		}
	}
	weights := []string{"0.5", "1", "1.5", "2", "3"}
	for i := range ds.Relations {
		r := &ds.Relations[i]
		r.Properties = map[string]string{"w": weights[rng.IntN(len(weights))]}
		if rng.IntN(10) >= 3 {
			p := pool[rng.IntN(len(pool))]
			r.Start, r.End = p[0], p[1]
		}
	}
	return ds
}

// benchDated is the benchmark network of bench_test.go (25,000 entities,
// 50,000 relations) with datedDataset's kinds, weights and periods.
var benchDated = sync.OnceValue(func() *Snapshot { return NewSnapshot(datedDataset(25_000, 50_000, 2024)) })

// BenchmarkTopologyBytes reports the topology's bytes per relation (the
// B/relation metric; the time is that of the count).
func BenchmarkTopologyBytes(b *testing.B) {
	for _, net := range []struct {
		name string
		s    func() *Snapshot
	}{{"undated", benchNet}, {"dated", benchDated}} {
		b.Run(net.name, func(b *testing.B) {
			s := net.s()
			var n int
			for b.Loop() {
				n = s.TopologyBytes()
			}
			b.ReportMetric(float64(n)/float64(s.NumRelations()), "B/relation")
			b.ReportMetric(float64(len(s.periods)), "periods")
		})
	}
}

// benchPathOptions are the constrained and weighted queries of the
// benchmarks, on benchDated.
var benchPathOptions = []struct {
	name string
	opt  PathOptions
}{
	{"hops", PathOptions{}},
	{"types", PathOptions{RelationTypes: []string{"MEMBER_OF", "COOPERATES_WITH"}}},
	{"window", PathOptions{Window: &TimeWindow{From: "2010", To: "2015"}}},
	{"kinds+avoid", PathOptions{Kinds: []string{"Organisation", "Project", "Network"}, Avoid: []string{"e0000000", "e0000001"}}},
	{"property", PathOptions{Weight: WeightProperty, WeightProperty: "w"}},
	{"property+window", PathOptions{Weight: WeightProperty, WeightProperty: "w", Window: &TimeWindow{From: "2010", To: "2015"}}},
	{"hub", PathOptions{Weight: WeightHub}},
	{"hub+maxHops=8", PathOptions{Weight: WeightHub, MaxHops: 8}},
}

func benchPathPairs(b *testing.B, s *Snapshot, opt PathOptions) [][2]string {
	var out [][2]string
	for _, p := range benchPairs(s) {
		if q, err := s.compile(p[0], p[1], opt); err == nil && q != nil {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		b.Fatal("no pair")
	}
	return out
}

func BenchmarkShortestPathConstrained(b *testing.B) {
	s := benchDated()
	for _, bc := range benchPathOptions {
		b.Run(bc.name, func(b *testing.B) {
			pairs := benchPathPairs(b, s, bc.opt)
			i := 0
			for b.Loop() {
				p := pairs[i%len(pairs)]
				if _, err := s.ShortestPath(p[0], p[1], bc.opt); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

func BenchmarkAllShortestPathsWeighted(b *testing.B) {
	s := benchDated()
	for _, bc := range benchPathOptions {
		if bc.opt.Weight == WeightHops {
			continue
		}
		b.Run(bc.name, func(b *testing.B) {
			pairs := benchPathPairs(b, s, bc.opt)
			i := 0
			for b.Loop() {
				p := pairs[i%len(pairs)]
				if _, _, err := s.AllShortestPaths(p[0], p[1], bc.opt, 25); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

func BenchmarkKShortestPaths(b *testing.B) {
	s := benchDated()
	for _, bc := range benchPathOptions {
		b.Run(bc.name+"/k=10", func(b *testing.B) {
			pairs := benchPathPairs(b, s, bc.opt)
			i := 0
			for b.Loop() {
				p := pairs[i%len(pairs)]
				if _, err := s.KShortestPaths(context.Background(), p[0], p[1], 10, bc.opt); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}
