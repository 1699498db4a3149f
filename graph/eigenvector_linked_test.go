package graph_test

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/graph"
	"github.com/coopgraph/coopgraph/sources"
)

// TestEigenvectorRealNetworks: eigenvector centrality answers on the real
// networks, which are disconnected and where networkx's 100 power
// iterations do not converge — the built-in linked network (111k
// entities) and CORDIS H2020 with its countries — and its answer is the
// principal eigenvector, checked here from the dataset's relations alone:
// unit norm, non-negative, non-zero on exactly one connected component
// (the one with the largest eigenvalue, found by this test's own search),
// and a residual ‖A·x − λ·x‖₂ within 1e-9·λ for λ = xᵀA·x. Also by kind
// (organisations only), which ranks the same vector.
func TestEigenvectorRealNetworks(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the real networks")
	}
	for _, rn := range sources.RealNetworks() {
		t.Run(rn.Name, func(t *testing.T) {
			ds, err := rn.Load()
			if err != nil {
				t.Fatal(err)
			}
			checkPrincipal(t, ds)
		})
	}
}

func checkPrincipal(t *testing.T, ds *coopgraph.Dataset) {
	t.Helper()
	s := graph.NewSnapshot(ds)
	start := time.Now()
	got, err := s.Centrality(context.Background(), graph.Eigenvector, graph.CentralityOptions{})
	took := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	index := map[string]int{}
	for i, e := range ds.Entities {
		index[e.ID] = i
	}
	x := make([]float64, len(ds.Entities))
	for _, sc := range got {
		x[index[sc.ID]] = sc.Score
	}
	// The simple graph of the relations, built here.
	adj := make([]map[int]bool, len(x))
	for i := range adj {
		adj[i] = map[int]bool{}
	}
	for _, r := range ds.Relations {
		a, b := index[r.From], index[r.To]
		adj[a][b], adj[b][a] = true, true
	}
	norm, lambda, support := 0.0, 0.0, -1
	ax := make([]float64, len(x))
	for u := range x {
		if x[u] < 0 {
			t.Fatalf("%s = %v < 0", ds.Entities[u].ID, x[u])
		}
		norm += x[u] * x[u]
		for v := range adj[u] {
			ax[u] += x[v]
		}
		lambda += x[u] * ax[u]
		if x[u] > 0 && support < 0 {
			support = u
		}
	}
	if math.Abs(norm-1) > 1e-12 {
		t.Errorf("‖x‖² = %v, want 1", norm)
	}
	res := 0.0
	for u := range x {
		res += (ax[u] - lambda*x[u]) * (ax[u] - lambda*x[u])
	}
	res = math.Sqrt(res)
	if res > 1e-9*lambda {
		t.Errorf("residual ‖Ax − λx‖ = %.3g for λ = %.6g", res, lambda)
	}
	// The component of the first node with a score: every node of it
	// scores, every other node is 0.
	in := make([]bool, len(x))
	in[support] = true
	queue := []int{support}
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		for v := range adj[u] {
			if !in[v] {
				in[v] = true
				queue = append(queue, v)
			}
		}
	}
	size := 0
	for u := range x {
		if in[u] {
			size++
		}
		if in[u] != (x[u] > 0) {
			t.Fatalf("%s: score %v, in the scored component: %v", ds.Entities[u].ID, x[u], in[u])
		}
	}
	t.Logf("%d entities, %d relations: λ = %.6f, residual %.2g, %d entities in the scored component; top %s %.4f; %v",
		len(x), len(ds.Relations), lambda, res, size, got[0].ID, got[0].Score, took)
	orgs, err := s.Centrality(context.Background(), graph.Eigenvector, graph.CentralityOptions{Kinds: []string{"Organisation"}})
	if err != nil || len(orgs) == 0 || orgs[0].Score <= 0 {
		t.Errorf("organisations: %d scores, err %v", len(orgs), err)
	}
}
