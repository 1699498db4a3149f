package graph

import (
	"math"

	"github.com/coopgraph/coopgraph"
)

// PageRank parameters: networkx's defaults.
const (
	pageRankAlpha   = 0.85
	pageRankMaxIter = 100
	pageRankTol     = 1e-6
)

// pageRank is nx.pagerank with its defaults (alpha 0.85, uniform
// personalization, dangling nodes redistributed uniformly, max_iter 100,
// tol 1e-6), replicating networkx's scipy implementation (pagerank_scipy in
// 2.8, _pagerank_scipy in 3.x) operation for operation:
//
//	A = D⁻¹·adjacency, x₀ = 1/N, p = 1/N
//	x = α·(x·A + Σ_{dangling} x · p) + (1-α)·p
//	stop when Σ|x - x_last| < N·tol
//
// An undirected edge links both ways; a self-loop is one entry 1 on the
// diagonal (to_scipy_sparse_array does not double it), so it counts once in
// the node's out-degree and the node keeps that share; a dangling node is
// one without any edge. (x·A)_k sums over k's neighbours j in ascending
// order, as scipy's CSC product does, and the stopping sum is numpy's.
// O(m) per iteration. Not converging within 100 iterations is an EINVALID
// error, where networkx raises PowerIterationFailedConvergence.
func pageRank(g *simpleGraph) ([]float64, error) {
	return pageRankIter(g, pageRankMaxIter)
}

func pageRankIter(g *simpleGraph, maxIter int) ([]float64, error) {
	n := g.n
	if n == 0 {
		return []float64{}, nil
	}
	// Runtime variables, not constants: Go would fold 1 - 0.85 exactly
	// (0.15), numpy computes it in float64 (0.15000000000000002).
	alpha := pageRankAlpha
	beta := 1 - alpha
	p := 1.0 / float64(n)

	inv := make([]float64, n) // 1/out-degree; 0 for dangling nodes
	var dangling []int32
	for u := range n {
		d := len(g.neighbours(int32(u)))
		if g.loop[u] {
			d++
		}
		if d == 0 {
			dangling = append(dangling, int32(u))
			continue
		}
		inv[u] = 1.0 / float64(d)
	}

	x := make([]float64, n)
	for i := range x {
		x[i] = p
	}
	last := make([]float64, n)
	diff := make([]float64, n)
	for range maxIter {
		x, last = last, x
		ds := 0.0 // Python's sum(): left to right
		for _, u := range dangling {
			ds += last[u]
		}
		dp := float64(ds * p)
		for k := range n {
			y := 0.0
			nb := g.neighbours(int32(k))
			i := 0
			for ; i < len(nb) && nb[i] < int32(k); i++ {
				y += float64(inv[nb[i]] * last[nb[i]])
			}
			if g.loop[k] {
				y += float64(inv[k] * last[k])
			}
			for ; i < len(nb); i++ {
				y += float64(inv[nb[i]] * last[nb[i]])
			}
			x[k] = float64(alpha*(y+dp)) + float64(beta*p)
		}
		for i := range diff {
			diff[i] = math.Abs(x[i] - last[i])
		}
		if npSum(diff) < float64(n)*pageRankTol {
			return x, nil
		}
	}
	return nil, coopgraph.Errorf(coopgraph.EINVALID,
		"PAGERANK centrality did not converge within %d iterations", maxIter)
}
