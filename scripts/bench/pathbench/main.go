// Command pathbench times coopgraph's shortest-path query in process: it
// loads a dataset once, builds the snapshot, then times ShortestPath over
// the given pairs one query at a time and prints a JSON summary (with each
// pair's path length, so that callers can check it against another
// library). scripts/bench/run.py runs it.
//
//	go run ./scripts/bench/pathbench --data DIR --pairs pairs.tsv
//	go run ./scripts/bench/pathbench --data DIR --random 1000 --seed 1
//
// With --pagerank it also times PageRank in process: one
// Centrality(PAGERANK) call on a fresh snapshot (no cached result), best
// of --pagerank-reps, with networkx's stopping rule and at the certified
// tolerances 1e-10 and 1e-12; --pagerank-scores FILE writes the 1e-10
// scores (id<TAB>score lines) for a comparison with another library.
//
// A pairs file holds one "FROM<TAB>TO" pair of entity ids a line.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/graph"
	"github.com/coopgraph/coopgraph/loader"
)

type result struct {
	Dataset       string  `json:"dataset"`
	Nodes         int     `json:"nodes"`
	Relations     int     `json:"relations"`
	LoadSeconds   float64 `json:"load_s"`
	BuildSeconds  float64 `json:"snapshot_s"`
	TopologyBytes *int    `json:"topology_bytes"` // nil: the engine has no TopologyBytes yet
	HeapBytes     uint64  `json:"heap_bytes"`     // live heap after the snapshot is built (dataset dropped)
	Queries       int     `json:"queries"`
	Warmup        int     `json:"warmup"`
	MedianMicros  float64 `json:"median_us"`
	P90Micros     float64 `json:"p90_us"`
	P99Micros     float64 `json:"p99_us"`
	MeanMicros    float64 `json:"mean_us"`
	MaxMicros     float64 `json:"max_us"`
	Lengths       []int   `json:"lengths"` // hops per pair, -1 when not connected

	// With --pagerank: PageRank computed in process on a fresh snapshot,
	// best of --pagerank-reps runs: with networkx's stopping rule, and by
	// tolerance ("1e-10", "1e-12": certified L1 distance to the exact
	// vector).
	PageRankSeconds    *float64           `json:"pagerank_s,omitempty"`
	PageRankTolSeconds map[string]float64 `json:"pagerank_tol_s,omitempty"`
}

// pageRankTolerances are the certified tolerances --pagerank times: igraph's
// PRPACK solves to a nominal 1e-10, and lands within ~1e-12 in practice.
var pageRankTolerances = []float64{1e-10, 1e-12}

func main() {
	data := flag.String("data", "", "dataset `DIR`")
	pairsFile := flag.String("pairs", "", "`FILE` of FROM<TAB>TO lines")
	random := flag.Int("random", 0, "time `N` random pairs of entities instead")
	seed := flag.Uint64("seed", 1, "`SEED` for --random")
	warmup := flag.Int("warmup", 100, "untimed queries first (`N`, cycling over the pairs)")
	pagerank := flag.Bool("pagerank", false, "also time PageRank in process")
	reps := flag.Int("pagerank-reps", 3, "PageRank runs per setting, the best counts (`N`)")
	scores := flag.String("pagerank-scores", "", "write the tolerance-1e-10 PageRank scores to `FILE`")
	flag.Parse()
	if err := run(*data, *pairsFile, *random, *seed, *warmup, *pagerank, *reps, *scores); err != nil {
		fmt.Fprintln(os.Stderr, "pathbench:", err)
		os.Exit(1)
	}
}

func run(dir, pairsFile string, random int, seed uint64, warmup int, pagerank bool, reps int, scoresFile string) error {
	if dir == "" {
		return fmt.Errorf("--data DIR is required")
	}
	t0 := time.Now()
	ds, err := loader.LoadDir(dir, "bench")
	if err != nil {
		return err
	}
	t1 := time.Now()
	snap := graph.NewSnapshot(ds)
	t2 := time.Now()
	var ids []string
	if random > 0 {
		for _, e := range ds.Entities {
			ids = append(ids, e.ID)
		}
		slices.Sort(ids)
	}
	var prSeconds *float64
	var prTol map[string]float64
	if pagerank {
		if prSeconds, prTol, err = timePageRank(ds, reps, scoresFile); err != nil {
			return err
		}
	}
	ds = nil
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)

	res := result{Dataset: dir, Nodes: snap.NumNodes(), Relations: snap.NumRelations(),
		LoadSeconds: t1.Sub(t0).Seconds(), BuildSeconds: t2.Sub(t1).Seconds(), HeapBytes: ms.HeapAlloc,
		PageRankSeconds: prSeconds, PageRankTolSeconds: prTol}
	if tb, ok := any(snap).(interface{ TopologyBytes() int }); ok {
		b := tb.TopologyBytes()
		res.TopologyBytes = &b
	}

	var pairs [][2]string
	switch {
	case pairsFile != "":
		if pairs, err = readPairs(pairsFile); err != nil {
			return err
		}
	case random > 0 && len(ids) > 0:
		r := rand.New(rand.NewPCG(seed, 1))
		for range random {
			pairs = append(pairs, [2]string{ids[r.IntN(len(ids))], ids[r.IntN(len(ids))]})
		}
	default:
		return fmt.Errorf("give --pairs FILE or --random N")
	}

	query := func(p [2]string) (int, error) {
		path, err := snap.ShortestPath(p[0], p[1], graph.PathOptions{})
		if err != nil || path == nil {
			return -1, err
		}
		return len(path.Nodes) - 1, nil
	}
	if len(pairs) > 0 {
		for i := range warmup {
			if _, err := query(pairs[i%len(pairs)]); err != nil {
				return err
			}
		}
		res.Warmup = warmup
	}
	times := make([]float64, len(pairs))
	res.Lengths = make([]int, len(pairs))
	for i, p := range pairs {
		start := time.Now()
		n, err := query(p)
		times[i] = float64(time.Since(start).Nanoseconds()) / 1e3
		if err != nil {
			return err
		}
		res.Lengths[i] = n
	}
	res.Queries = len(pairs)
	if len(times) > 0 {
		var sum float64
		for _, t := range times {
			sum += t
		}
		res.MeanMicros = sum / float64(len(times))
		slices.Sort(times)
		q := func(f float64) float64 { return times[min(len(times)-1, int(f*float64(len(times))))] }
		res.MedianMicros = median(times)
		res.P90Micros, res.P99Micros, res.MaxMicros = q(0.9), q(0.99), times[len(times)-1]
	}
	enc := json.NewEncoder(os.Stdout)
	return enc.Encode(res)
}

// timePageRank times one Centrality(PAGERANK) call on a fresh snapshot
// (Centrality caches per snapshot), best of reps, with networkx's
// stopping rule and at each of pageRankTolerances.
func timePageRank(ds *coopgraph.Dataset, reps int, scoresFile string) (*float64, map[string]float64, error) {
	best := func(opt graph.CentralityOptions) (float64, []graph.Score, error) {
		b := 0.0
		var scores []graph.Score
		for i := range max(1, reps) {
			snap := graph.NewSnapshot(ds)
			runtime.GC()
			start := time.Now()
			sc, err := snap.Centrality(context.Background(), graph.PageRank, opt)
			s := time.Since(start).Seconds()
			if err != nil {
				return 0, nil, err
			}
			if i == 0 || s < b {
				b = s
			}
			scores = sc
		}
		return b, scores, nil
	}
	nx, _, err := best(graph.CentralityOptions{})
	if err != nil {
		return nil, nil, err
	}
	tol := map[string]float64{}
	for _, t := range pageRankTolerances {
		s, scores, err := best(graph.CentralityOptions{Tolerance: t})
		if err != nil {
			return nil, nil, err
		}
		tol[fmt.Sprintf("%g", t)] = s
		if t == 1e-10 && scoresFile != "" {
			var b strings.Builder
			for _, sc := range scores {
				fmt.Fprintf(&b, "%s\t%.17g\n", sc.ID, sc.Score)
			}
			if err := os.WriteFile(scoresFile, []byte(b.String()), 0o644); err != nil {
				return nil, nil, err
			}
		}
	}
	return &nx, tol, nil
}

func median(sorted []float64) float64 {
	n := len(sorted)
	if n%2 == 1 {
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}

func readPairs(path string) ([][2]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }() // read only: Close has nothing to lose
	var pairs [][2]string
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		from, to, ok := strings.Cut(text, "\t")
		if !ok {
			return nil, fmt.Errorf("%s:%d: want FROM<TAB>TO", path, line)
		}
		pairs = append(pairs, [2]string{from, to})
	}
	return pairs, sc.Err()
}
