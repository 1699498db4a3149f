package graph

import (
	"math"
	"os"
	"testing"
	"time"

	"github.com/coopgraph/coopgraph/loader"
	"github.com/coopgraph/coopgraph/sources"
)

// TestWhatIfRemovedLinkedExact compares, on the built-in linked network,
// the estimate WhatIfRemoved gives with the exact count (a search from
// every entity: about a minute of CPU per entity, so only with
// COOPGRAPH_EXACT_WHATIF=1), for Małopolskie, AGH and CNRS (the
// best-connected organisation).
func TestWhatIfRemovedLinkedExact(t *testing.T) {
	if os.Getenv("COOPGRAPH_EXACT_WHATIF") == "" {
		t.Skip("set COOPGRAPH_EXACT_WHATIF=1: a minute of CPU per entity")
	}
	n, _, err := sources.BuiltinNetwork(loader.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := NewSnapshot(n.Dataset)
	for _, id := range []string{"malopolskie", "agh", "pic:999997930"} {
		x, err := s.node(id)
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		est, err := s.whatIf(nil, x, nil, 0, MaxWhatIfWork, 1)
		if err != nil {
			t.Fatal(err)
		}
		tookEst := time.Since(start)
		start = time.Now()
		exact, err := s.whatIf(nil, x, nil, 0, math.MaxInt64, 1)
		if err != nil || !exact.Exact {
			t.Fatal(err)
		}
		e := math.Abs(float64(est.LongerPairs - exact.LongerPairs))
		t.Logf("%s: exact %d longer pairs in %v; estimate %d ± %.0f from %d samples in %v: error %.0f (%.3f of the bound)",
			id, exact.LongerPairs, time.Since(start).Round(time.Millisecond), est.LongerPairs, est.LongerPairsBound, est.Samples,
			tookEst.Round(time.Millisecond), e, e/est.LongerPairsBound)
		if e > est.LongerPairsBound {
			t.Errorf("%s: the estimate is outside its bound", id)
		}
	}
}
