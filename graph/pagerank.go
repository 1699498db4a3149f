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
// order, as scipy's CSC product does, and the stopping sum is numpy's:
// the scores equal networkx's bit for bit, and so does the number of
// iterations (an error within an ulp of the tolerance would otherwise stop
// one side an iteration before the other).
//
// O(n + m) per iteration, the nodes spread over GOMAXPROCS cores on large
// graphs (the same bits on any number); the number of iterations is
// networkx's: 9 on CORDIS H2020 (67k nodes, 145k edges). Not
// converging within 100 iterations is an EINVALID error, where networkx
// raises PowerIterationFailedConvergence (PageRank always converges within
// 100 iterations at n·1e-6, as the error shrinks by α each step).
//
// Reference: L. Page, S. Brin, R. Motwani, T. Winograd, The PageRank
// citation ranking: bringing order to the web, Stanford, 1999.
func pageRank(g *simpleGraph) ([]float64, error) {
	return pageRankIter(g, pageRankMaxIter, pageRankTol)
}

// pageRankIter is pageRank with another iteration budget and tolerance:
// it stops when Σ|x - x_last| < n·tol.
func pageRankIter(g *simpleGraph, maxIter int, tol float64) ([]float64, error) {
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

	// z[j] = inv[j]·x[j] is the value j sends along each of its edges:
	// scipy multiplies A[j,k] = inv[j] by x[j] for every k, the same
	// product each time, so computing it once per node changes no bit.
	x, z := make([]float64, n), make([]float64, n)
	for i := range x {
		x[i] = p
		z[i] = float64(inv[i] * p)
	}
	last, zlast := make([]float64, n), make([]float64, n)
	diff := make([]float64, n)
	// The nodes are updated in chunks spread over the cores; numpy sums
	// diff in buffers of npBuffer values, each summed pairwise, and those
	// are summed by the cores too, then added in order.
	const chunk = 2048
	chunks := (n + chunk - 1) / chunk
	buffers := (n + npBuffer - 1) / npBuffer
	bufSum := make([]float64, buffers)
	work := len(g.adj) + n
	off, adj, loop := g.off, g.adj, g.loop
	conv := convergence{j: g.job, limit: maxIter}
	for range maxIter {
		if g.job.stopped() {
			return x, nil // partial: the caller answers with the job's error
		}
		x, last = last, x
		z, zlast = zlast, z
		ds := 0.0 // Python's sum(): left to right
		for _, u := range dangling {
			ds += last[u]
		}
		dp := float64(ds * p)
		parallelChunks(g.job, chunks, work, func(c int) {
			hi := min(n, (c+1)*chunk)
			xs, zs, ds := x[:hi], z[:hi], diff[:hi]
			for k := c * chunk; k < hi; k++ {
				y := 0.0
				nb := adj[off[k]:off[k+1]]
				if !loop[k] {
					for _, j := range nb {
						y += zlast[j]
					}
				} else { // k among its neighbours, in order
					i := 0
					for ; i < len(nb) && nb[i] < int32(k); i++ {
						y += zlast[nb[i]]
					}
					y += zlast[k]
					for _, j := range nb[i:] {
						y += zlast[j]
					}
				}
				xk := float64(alpha*(y+dp)) + float64(beta*p)
				xs[k] = xk
				zs[k] = float64(inv[k] * xk)
				ds[k] = math.Abs(xk - last[k])
			}
		})
		parallelChunks(g.job, buffers, work, func(b int) {
			bufSum[b] = npPairwise(diff[b*npBuffer : min(n, (b+1)*npBuffer)])
		})
		err := 0.0
		for _, v := range bufSum {
			err += v
		}
		conv.step(err, float64(n)*tol)
		if err < float64(n)*tol {
			return x, nil
		}
	}
	return nil, coopgraph.Errorf(coopgraph.EINVALID,
		"PAGERANK centrality did not converge within %d iterations", maxIter)
}
