package schema

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/graph"
	"github.com/coopgraph/coopgraph/memstore"
)

// recordingStore records the ids of every Entities call.
type recordingStore struct {
	coopgraph.Store
	mu    sync.Mutex
	calls [][]string
}

func (s *recordingStore) Entities(ctx context.Context, ids []string) ([]coopgraph.Entity, error) {
	s.mu.Lock()
	s.calls = append(s.calls, slices.Clone(ids))
	s.mu.Unlock()
	return s.Store.Entities(ctx, ids)
}

func (s *recordingStore) taken() [][]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.calls
	s.calls = nil
	return c
}

func testStore(n int) (*memstore.Store, *coopgraph.Dataset) {
	ds := &coopgraph.Dataset{}
	for i := range n {
		id := fmt.Sprintf("e%03d", i)
		ds.Entities = append(ds.Entities, coopgraph.Entity{ID: id, Kind: "Organisation", Name: "Entity " + id})
	}
	return memstore.New(ds), ds
}

func TestLoaderBatchesConcurrentReads(t *testing.T) {
	mem, _ := testStore(100)
	st := &recordingStore{Store: mem}
	r := &Resolver{Store: st}
	ctx := WithLoaders(context.Background(), st)

	var wg sync.WaitGroup
	got := make([]string, 100)
	for i := range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e, err := r.entity(ctx, fmt.Sprintf("e%03d", i%50)) // each id asked twice
			if err != nil {
				t.Error(err)
				return
			}
			got[i] = e.Name
		}()
	}
	wg.Wait()
	for i, name := range got {
		if want := fmt.Sprintf("Entity e%03d", i%50); name != want {
			t.Errorf("read %d: %q, want %q", i, name, want)
		}
	}
	calls := st.taken()
	read := 0
	for _, c := range calls {
		read += len(c)
	}
	if len(calls) > 2 || read != 50 {
		t.Errorf("100 concurrent reads of 50 ids: %d calls reading %d ids, want one or two calls reading each id once", len(calls), read)
	}
	// Read again within the request: nothing goes to the store.
	if _, err := r.entities(ctx, []string{"e001", "e049"}); err != nil || len(st.taken()) != 0 {
		t.Errorf("a second read of the same ids went to the store (%v)", err)
	}
}

func TestLoaderUnknownIDFailsOnlyItsReader(t *testing.T) {
	mem, _ := testStore(10)
	st := &recordingStore{Store: mem}
	r := &Resolver{Store: st}
	ctx := WithLoaders(context.Background(), st)
	var wg sync.WaitGroup
	errs := map[string]error{}
	var mu sync.Mutex
	for _, id := range []string{"e001", "ghost", "e002", "e003", "e004"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := r.entity(ctx, id)
			mu.Lock()
			errs[id] = err
			mu.Unlock()
		}()
	}
	wg.Wait()
	for id, err := range errs {
		switch {
		case id == "ghost" && (coopgraph.ErrorCode(err) != coopgraph.ENOTFOUND || err.Error() != `unknown entity id "ghost"`):
			t.Errorf("ghost: %v", err)
		case id != "ghost" && err != nil:
			t.Errorf("%s failed with the unknown id: %v", id, err)
		}
	}
}

func TestLoaderRemembersAndPrefetches(t *testing.T) {
	mem, ds := testStore(10)
	st := &recordingStore{Store: mem}
	r := &Resolver{Store: st}
	ctx := WithLoaders(context.Background(), st)
	r.remember(ctx, ds.Entities[:3])
	if es, err := r.entities(ctx, []string{"e000", "e002"}); err != nil || es[1].ID != "e002" || len(st.taken()) != 0 {
		t.Errorf("remembered entities read again: %v %v", es, err)
	}
	r.prefetch(ctx, []string{"e001", "e005", "e006"})
	es, err := r.entities(ctx, []string{"e006", "e005"})
	if err != nil || es[0].ID != "e006" || es[1].ID != "e005" {
		t.Fatalf("prefetched: %v %v", es, err)
	}
	if calls := st.taken(); len(calls) != 1 || !slices.Equal(calls[0], []string{"e005", "e006"}) {
		t.Errorf("prefetch calls %v, want one for e005 and e006 (e001 is known)", calls)
	}
}

func TestLoaderWaitsNoLongerThanItsContext(t *testing.T) {
	block := make(chan struct{})
	defer close(block)
	st := &blockingStore{block: block}
	r := &Resolver{Store: st}
	ctx, cancel := context.WithTimeout(WithLoaders(context.Background(), st), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := r.entity(ctx, "x"); err == nil || time.Since(start) > time.Second {
		t.Errorf("a read past its context: %v after %s", err, time.Since(start))
	}
}

type blockingStore struct {
	coopgraph.Store
	block chan struct{}
}

func (b *blockingStore) Entities(ctx context.Context, ids []string) ([]coopgraph.Entity, error) {
	<-b.block
	return nil, coopgraph.Errorf(coopgraph.EUNAVAILABLE, "blocked")
}

func TestInProcessStoresAreReadDirectly(t *testing.T) {
	mem, _ := testStore(1)
	ctx := WithLoaders(context.Background(), mem)
	if ctx.Value(loaderKey{}) != nil {
		t.Error("an in-process store got a batching loader")
	}
}

// A request pinned to a snapshot keeps it when a newer one is published.
func TestRequestKeepsItsSnapshot(t *testing.T) {
	old := graph.NewSnapshot(&coopgraph.Dataset{Entities: []coopgraph.Entity{{ID: "a", Kind: "Region", Name: "A"}}})
	current := graph.NewSnapshot(&coopgraph.Dataset{})
	r := &Resolver{Snapshot: func() *graph.Snapshot { return current }}
	ctx := WithSnapshot(context.Background(), old)
	if r.snapshot(ctx) != old {
		t.Error("a pinned request sees the newer snapshot")
	}
	if r.snapshot(context.Background()) != current {
		t.Error("an unpinned call does not see the current snapshot")
	}
}
