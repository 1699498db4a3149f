package memstore

import (
	"context"
	"testing"

	"github.com/coopgraph/coopgraph"
)

func TestVersionIsConstant(t *testing.T) {
	s := New(&coopgraph.Dataset{})
	a, err := s.Version(context.Background())
	if err != nil || a == "" {
		t.Fatalf("Version = %q, %v", a, err)
	}
	if b, _ := s.Version(context.Background()); b != a {
		t.Errorf("Version changed from %q to %q without a load", a, b)
	}
}
