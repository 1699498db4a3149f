package graph

// betweenness is nx.betweenness_centrality with its defaults
// (normalized=True, endpoints=False, exact):
//
//	C_B(v) = 1/((n-1)(n-2)) · Σ_{s≠v≠t} σ_st(v) / σ_st
//
// over ordered pairs (s, t), where σ_st is the number of shortest s–t paths
// and σ_st(v) the number through v. Summing over ordered pairs counts each
// unordered pair twice, which is the 2/((n-1)(n-2)) normalisation of an
// undirected graph. For n <= 2 networkx does not scale, and every score is
// 0 anyway. Paths are counted in the simple graph (parallel relations do
// not weigh more); self-loops never lie on a shortest path; isolated nodes
// score 0 but count in n. Unreachable pairs contribute nothing.
//
// Algorithm: Brandes (2001), one BFS and one dependency accumulation per
// source, O(n·m) time and O(n + m) space per worker:
//
//	δ_s(v) = Σ_{w : v ∈ P_s(w)} σ_sv/σ_sw · (1 + δ_s(w))
//
// Sources run on GOMAXPROCS workers, in batches. Each worker records the
// non-zero δ_s of its sources, and the batch is then summed in source
// order: the sum is exactly networkx's (source after source, in node
// order), so the result does not depend on the number of workers and, with
// networkx's graph built in sorted order, equals it bit for bit. The batch
// size keeps the recorded dependencies under ~4M values.
func betweenness(g *simpleGraph) []float64 {
	n := g.n
	bc := make([]float64, n)
	if n == 0 {
		return bc
	}
	// deps[i] holds the non-zero dependencies of source lo+i.
	type dep struct {
		node  []int32
		delta []float64
	}
	var deps []dep
	lo := 0

	fs := workers(n, func() func(s int32) {
		dist := newDist(n)
		sigma := make([]float64, n)
		delta := make([]float64, n)
		var order []int32 // BFS order: Brandes' stack S
		return func(s int32) {
			// Shortest-path counting, as networkx's
			// _single_source_shortest_path_basic: sigma[w] gathers
			// sigma[v] over predecessors in BFS order.
			order = append(order[:0], s)
			dist[s], sigma[s] = 0, 1
			for head := 0; head < len(order); head++ {
				v := order[head]
				next, sv := dist[v]+1, sigma[v]
				for _, w := range g.neighbours(v) {
					switch dist[w] {
					case -1:
						dist[w] = next
						order = append(order, w)
						sigma[w] = sv // 0 + sv
					case next:
						sigma[w] += sv
					}
				}
			}
			// Accumulation, as _accumulate_basic: pop w, push its
			// share to each predecessor. delta[v] receives its terms
			// in pop order whatever the predecessor order, so the sums
			// match networkx's exactly.
			d := &deps[int(s)-lo]
			d.node, d.delta = d.node[:0], d.delta[:0]
			for i := len(order) - 1; i >= 0; i-- {
				w := order[i]
				coeff := (1 + delta[w]) / sigma[w]
				prev := dist[w] - 1
				for _, v := range g.neighbours(w) {
					if dist[v] == prev {
						delta[v] += float64(sigma[v] * coeff) // no FMA: networkx rounds the product
					}
				}
				if w != s && delta[w] != 0 {
					d.node = append(d.node, w)
					d.delta = append(d.delta, delta[w])
				}
			}
			for _, v := range order {
				dist[v], sigma[v], delta[v] = -1, 0, 0
			}
		}
	})

	batch := min(n, max(4*len(fs), min(1024, (1<<22)/n)))
	deps = make([]dep, batch)
	for ; lo < n; lo += batch {
		hi := min(n, lo+batch)
		parallelFor(lo, hi, fs)
		for i := range hi - lo {
			d := &deps[i]
			for j, v := range d.node {
				bc[v] += d.delta[j]
			}
		}
	}

	if n > 2 {
		scale := 1 / float64((n-1)*(n-2)) // networkx multiplies by the inverse
		for v := range bc {
			bc[v] *= scale
		}
	}
	return bc
}
