package storetest

import (
	"context"
	"sync"

	"github.com/coopgraph/coopgraph"
)

// CountingStore counts the reads that reach a store, to show that the API
// batches them (no read per item). It does not say it is in-process, so the
// API batches its reads as it does Neo4j's, whatever store it wraps.
type CountingStore struct {
	coopgraph.Store
	mu    sync.Mutex
	calls map[string]int
	ids   int
}

// NewCountingStore wraps s.
func NewCountingStore(s coopgraph.Store) *CountingStore {
	return &CountingStore{Store: s, calls: map[string]int{}}
}

func (c *CountingStore) count(call string, n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls[call]++
	c.ids += n
}

func (c *CountingStore) Entities(ctx context.Context, ids []string) ([]coopgraph.Entity, error) {
	c.count("Entities", len(ids))
	return c.Store.Entities(ctx, ids)
}

func (c *CountingStore) Relations(ctx context.Context, id string, f coopgraph.NeighbourFilter, offset, first int) ([]coopgraph.Relation, int, error) {
	c.count("Relations", 0)
	return c.Store.Relations(ctx, id, f, offset, first)
}

func (c *CountingStore) Neighbours(ctx context.Context, id string, f coopgraph.NeighbourFilter, offset, first int) ([]coopgraph.Neighbour, int, error) {
	c.count("Neighbours", 0)
	return c.Store.Neighbours(ctx, id, f, offset, first)
}

// Reset returns the calls counted since the last Reset, by method name,
// and how many ids the Entities calls asked for, and counts again from zero.
func (c *CountingStore) Reset() (calls map[string]int, ids int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	calls, ids = c.calls, c.ids
	c.calls, c.ids = map[string]int{}, 0
	return calls, ids
}
