package link_test

import (
	"syscall"
	"testing"
	"time"

	"github.com/coopgraph/coopgraph/link"
)

// BenchmarkNetwork links the real network (data.Sources() as the loader
// imports them: the seed, NUTS, CORDIS H2020 and keep.eu, about 116,000
// entities and 300,000 relations) with the curated links, as coopgraph
// serve does at start-up. The budget is 500 ms; the figure is in
// BENCHMARKS.md.
//
//	go test -run '^$' -bench BenchmarkNetwork -benchtime 5x ./link/
func BenchmarkNetwork(b *testing.B) {
	sets := realDatasets(b)
	links := curatedLinks(b)
	entities, relations := 0, 0
	for _, ds := range sets {
		entities += len(ds.Entities)
		relations += len(ds.Relations)
	}
	// The machine is shared: besides the wall time per run, the process's
	// CPU time (user and system, every thread) per run.
	before := cpuTime()
	b.ResetTimer()
	var rep link.Report
	for b.Loop() {
		var err error
		if _, rep, err = link.Network("linked", sets, links); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(entities), "entities")
	b.ReportMetric(float64(relations), "relations")
	b.ReportMetric(float64(rep.Comparisons), "comparisons")
	b.ReportMetric(float64((cpuTime()-before).Milliseconds())/float64(b.N), "cpu-ms/op")
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
