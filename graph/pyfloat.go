package graph

import "math"

// The iterative measures stop when a sum falls below a tolerance, and
// networkx computes that sum with numpy or CPython. An error within a few
// ulps of the tolerance would stop one side an iteration earlier than the
// other, and the scores would then differ by ~1e-7 instead of ~1e-16. These
// functions reproduce the two library sums bit for bit, so that both stop
// at the same iteration. Products that feed a sum are wrapped in float64()
// so that no platform fuses them into an FMA (the Go spec allows fusion;
// an explicit conversion forbids it).
//
// They follow the reference stack of testdata (Python 3.11, numpy 1.24).
// Python 3.12 changed sum() of floats (compensated) and hypot's internals,
// which moves the stopping sums by an ulp or so: the scores then still agree
// to ~1e-15, and exactly unless an error lands within an ulp of tol.

// npSum is numpy.sum of a contiguous float64 array (numpy 1.2x): the
// reduction runs over buffers of 8192 elements, added one after another,
// and each buffer is summed pairwise (blocks of at most 128 summed with 8
// interleaved accumulators).
func npSum(a []float64) float64 {
	res := 0.0
	for lo := 0; lo < len(a); lo += npBuffer {
		res += npPairwise(a[lo:min(lo+npBuffer, len(a))])
	}
	return res
}

// npBuffer is the size of numpy's reduction buffers, in elements.
const npBuffer = 8192

// npPairwise is numpy's pairwise_sum for doubles.
func npPairwise(a []float64) float64 {
	n := len(a)
	switch {
	case n < 8:
		res := 0.0
		for _, v := range a {
			res += v
		}
		return res
	case n <= 128:
		var r [8]float64
		copy(r[:], a[:8])
		i := 8
		for ; i < n-n%8; i += 8 {
			for j := range r {
				r[j] += a[i+j]
			}
		}
		res := (r[0] + r[1]) + (r[2] + r[3]) + ((r[4] + r[5]) + (r[6] + r[7]))
		for ; i < n; i++ {
			res += a[i]
		}
		return res
	default:
		n2 := n / 2
		n2 -= n2 % 8
		return npPairwise(a[:n2]) + npPairwise(a[n2:])
	}
}

// pyHypot is CPython 3.8–3.11's math.hypot(*v) (vector_norm in
// Modules/mathmodule.c): scaling by a power of two, Dekker splitting so
// that squares are exact, compensated summation, and one differential
// correction of the square root. It is correctly rounded in almost every
// case, where sqrt(Σx²) is not.
func pyHypot(v []float64) float64 {
	maxv, nan := 0.0, false
	for _, x := range v {
		x = math.Abs(x)
		nan = nan || math.IsNaN(x)
		if x > maxv {
			maxv = x
		}
	}
	switch {
	case math.IsInf(maxv, 1):
		return maxv
	case nan:
		return math.NaN()
	case maxv == 0 || len(v) <= 1:
		return maxv
	}
	const t27 = 134217729.0 // 2^27 + 1, Dekker's splitter
	csum, frac1, frac2, frac3 := 1.0, 0.0, 0.0, 0.0
	add := func(frac *float64, x float64) {
		old := csum
		csum += x
		*frac += (old - csum) + x
	}
	_, maxE := math.Frexp(maxv)
	if maxE < -1023 {
		// 2^-maxE would overflow: divide by the largest value instead.
		for _, x := range v {
			x = math.Abs(x) / maxv
			add(&frac1, float64(x*x))
		}
		return maxv * math.Sqrt(csum-1.0+frac1)
	}
	scale := math.Ldexp(1.0, -maxE)
	for _, x := range v {
		x = math.Abs(x) * scale // lossless
		t := float64(x * t27)
		hi := t - (t - x)
		lo := x - hi
		add(&frac1, float64(hi*hi))
		add(&frac2, float64(2.0*hi*lo))
		frac3 += float64(lo * lo)
	}
	h := math.Sqrt(csum - 1.0 + (frac1 + frac2 + frac3))
	t := float64(h * t27)
	hi := t - (t - h)
	lo := h - hi
	add(&frac1, float64(-hi*hi))
	add(&frac2, float64(-2.0*hi*lo))
	add(&frac3, float64(-lo*lo))
	x := csum - 1.0 + (frac1 + frac2 + frac3)
	return (h + float64(x/(2.0*h))) / scale
}
