package graph

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// lcgVector rebuilds the fixture script's lcg_vector(seed, n) exactly.
func lcgVector(seed uint64, n int) []float64 {
	x := seed
	v := make([]float64, n)
	for i := range v {
		x = 6364136223846793005*x + 1442695040888963407
		v[i] = math.Ldexp(float64(x>>11), -53-int((x>>3)%24))
	}
	return v
}

// TestPythonFloat: pyHypot equals CPython 3.11's math.hypot(*v) and npSum
// numpy 1.24's ndarray.sum() bit for bit (testdata/pyfloat.json).
func TestPythonFloat(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "pyfloat.json"))
	if err != nil {
		t.Fatal(err)
	}
	type vec struct {
		Seed uint64
		N    int
		Want float64
	}
	var fx struct {
		Hypot, NpSum []vec
		Subnormal    struct {
			V    []float64
			Want float64
		}
	}
	if err := json.Unmarshal(b, &fx); err != nil {
		t.Fatal(err)
	}
	if len(fx.Hypot) == 0 || len(fx.NpSum) == 0 {
		t.Fatal("no vectors in pyfloat.json")
	}
	for _, c := range fx.Hypot {
		if got := pyHypot(lcgVector(c.Seed, c.N)); got != c.Want {
			t.Errorf("hypot(seed %d, n %d) = %.17g, Python %.17g", c.Seed, c.N, got, c.Want)
		}
	}
	for _, c := range fx.NpSum {
		if got := npSum(lcgVector(c.Seed, c.N)); got != c.Want {
			t.Errorf("npsum(seed %d, n %d) = %.17g, numpy %.17g", c.Seed, c.N, got, c.Want)
		}
	}
	if got := pyHypot(fx.Subnormal.V); got != fx.Subnormal.Want {
		t.Errorf("hypot(subnormals) = %g, Python %g", got, fx.Subnormal.Want)
	}
}
