package graph

import (
	"math"

	"github.com/coopgraph/coopgraph"
)

// Eigenvector centrality parameters: networkx's defaults.
const (
	eigenvectorMaxIter = 100
	eigenvectorTol     = 1e-6
)

// eigenvector is nx.eigenvector_centrality with its defaults (max_iter 100,
// tol 1e-6, unweighted), replicating its power iteration on A + I, which
// converges on bipartite graphs where A alone oscillates:
//
//	x₀ = 1/n
//	x = (A + I)·x_last, then x /= ‖x‖₂ (math.hypot; a zero norm counts as 1)
//	stop when Σ|x - x_last| < n·tol
//
// A self-loop is an entry 1 of A (the node is its own neighbour), so its
// node gets 2·x_last from itself. x_k adds x_last of k's neighbours in
// ascending node order, as networkx's loop over G does when nodes are added
// in id order; the norm is CPython's hypot and the stopping sum Python's
// left-to-right sum, so the iterations stop where networkx's do.
//
// Without edges, every node gets 1/√n (A + I = I). An isolated node in a
// graph with edges decays like (1/(λ+1))^k but is not 0 when the iteration
// stops. O(n + m) per iteration, the product spread over GOMAXPROCS cores
// on large graphs (the same bits on any number).
//
// Not converging within 100 iterations (e.g. on a path of 20 nodes, where
// the two largest eigenvalues of A + I are close, or on CORDIS H2020, which
// needs 159) is an EINVALID error, where networkx raises
// PowerIterationFailedConvergence.
//
// Reference: P. Bonacich, Power and centrality: a family of measures,
// American Journal of Sociology 92(5), 1987.
func eigenvector(g *simpleGraph) ([]float64, error) {
	return eigenvectorIter(g, eigenvectorMaxIter)
}

func eigenvectorIter(g *simpleGraph, maxIter int) ([]float64, error) {
	n := g.n
	if n == 0 {
		return []float64{}, nil // networkx raises NetworkXPointlessConcept
	}
	x := make([]float64, n)
	for i := range x {
		x[i] = 1 / float64(n)
	}
	last := make([]float64, n)
	const chunk = 2048
	chunks := (n + chunk - 1) / chunk
	work := len(g.adj) + n
	for range maxIter {
		if g.job.stopped() {
			return x, nil // partial: the caller answers with the job's error
		}
		x, last = last, x
		parallelChunks(g.job, chunks, work, func(c int) {
			for k := c * chunk; k < min(n, (c+1)*chunk); k++ {
				v := last[k]
				nb := g.neighbours(int32(k))
				i := 0
				for ; i < len(nb) && nb[i] < int32(k); i++ {
					v += last[nb[i]]
				}
				if g.loop[k] {
					v += last[k]
				}
				for ; i < len(nb); i++ {
					v += last[nb[i]]
				}
				x[k] = v
			}
		})
		norm := pyHypot(x)
		if norm == 0 {
			norm = 1
		}
		err := 0.0
		for k := range x {
			x[k] /= norm
			err += math.Abs(x[k] - last[k])
		}
		if err < float64(n)*eigenvectorTol {
			return x, nil
		}
	}
	return nil, coopgraph.Errorf(coopgraph.EINVALID,
		"EIGENVECTOR centrality did not converge within %d iterations (networkx raises PowerIterationFailedConvergence); PAGERANK always converges", maxIter)
}
