package schema

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/graph"
)

// BatchWait is how long the first entity read of a batch waits for others
// to join it. gqlgen resolves the fields of a list's elements in parallel
// goroutines, so the reads of one level of a query (the from and to of
// fifty relations) arrive within microseconds of each other; one database
// round trip costs about as much as the wait.
const BatchWait = time.Millisecond

// maxBatch is the most ids one Store.Entities call carries; a full batch
// goes at once.
const maxBatch = MaxFirst

// WithLoaders returns ctx with a request-scoped entity loader: the
// resolvers' entity reads within one request go to store in batches (one
// Store.Entities call for the from and to of a whole page of relations,
// never one per item) and each entity is read at most once. Install it per
// request, so that nothing is cached beyond one answer. Stores answering
// from process memory (coopgraph.InProcess) are read directly: there is no
// round trip to save.
func WithLoaders(ctx context.Context, store coopgraph.Store) context.Context {
	if _, ok := store.(coopgraph.InProcess); ok {
		return ctx
	}
	return context.WithValue(ctx, loaderKey{}, &entityLoader{
		store: store, ctx: ctx, wait: BatchWait, loaded: map[string]*loading{},
	})
}

type loaderKey struct{}

// WithSnapshot returns ctx with the analytics snapshot one request uses
// throughout: the snapshot may be replaced while the request runs (a new
// load landed), and then every part of its answer still comes from the
// same one, old or new, never a mix.
func WithSnapshot(ctx context.Context, snap *graph.Snapshot) context.Context {
	if snap == nil {
		return ctx
	}
	return context.WithValue(ctx, snapshotKey{}, snap)
}

type snapshotKey struct{}

// snapshot is the request's snapshot (WithSnapshot), else the current one.
func (r *Resolver) snapshot(ctx context.Context) *graph.Snapshot {
	if snap, ok := ctx.Value(snapshotKey{}).(*graph.Snapshot); ok {
		return snap
	}
	return r.Snapshot()
}

// entityLoader batches entity reads by time: the first read of a batch
// starts a timer of wait; reads arriving before it fires (or before the
// batch is full) join it.
type entityLoader struct {
	store  coopgraph.Store
	ctx    context.Context // the request's: a batch serves many resolvers
	wait   time.Duration
	mu     sync.Mutex
	loaded map[string]*loading
	next   *entityBatch // the batch being gathered, nil when none
}

// loading is one entity's read, done when done is closed.
type loading struct {
	done   chan struct{}
	entity coopgraph.Entity
	err    error
}

type entityBatch struct {
	ids  []string
	into []*loading
	full chan struct{}
}

// entities reads the entities with the given ids, in order, through the
// request's loader when there is one; an unknown id is ENOTFOUND naming it.
func (r *Resolver) entities(ctx context.Context, ids []string) ([]coopgraph.Entity, error) {
	l, _ := ctx.Value(loaderKey{}).(*entityLoader)
	if l == nil {
		return r.Store.Entities(ctx, ids)
	}
	return l.load(ctx, ids)
}

func (l *entityLoader) load(ctx context.Context, ids []string) ([]coopgraph.Entity, error) {
	waits := make([]*loading, len(ids))
	l.mu.Lock()
	for i, id := range ids {
		if w, ok := l.loaded[id]; ok {
			waits[i] = w
			continue
		}
		w := &loading{done: make(chan struct{})}
		l.loaded[id] = w
		waits[i] = w
		if l.next == nil {
			l.next = &entityBatch{full: make(chan struct{})}
			go l.run(l.next)
		}
		b := l.next
		b.ids, b.into = append(b.ids, id), append(b.into, w)
		if len(b.ids) >= maxBatch {
			l.next = nil
			close(b.full)
		}
	}
	l.mu.Unlock()
	out := make([]coopgraph.Entity, len(ids))
	for i, w := range waits {
		select {
		case <-w.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if w.err != nil {
			return nil, w.err
		}
		out[i] = w.entity
	}
	return out, nil
}

// remember puts entities a resolver has already read (with a search, a
// neighbour list, a path) into the request's loader, so that the fields
// asking for them again read nothing.
func (r *Resolver) remember(ctx context.Context, es []coopgraph.Entity) {
	l, _ := ctx.Value(loaderKey{}).(*entityLoader)
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, e := range es {
		if _, ok := l.loaded[e.ID]; !ok {
			w := &loading{done: make(chan struct{}), entity: e}
			close(w.done)
			l.loaded[e.ID] = w
		}
	}
}

// prefetch starts reading the entities with the given ids at once, in one
// batch, without waiting for others to join: a resolver that returns
// relations whose ends the query asks for knows them all before their
// fields ask, however the field goroutines happen to be scheduled.
func (r *Resolver) prefetch(ctx context.Context, ids []string) {
	l, _ := ctx.Value(loaderKey{}).(*entityLoader)
	if l == nil {
		return
	}
	l.mu.Lock()
	var b entityBatch
	for _, id := range ids {
		if _, ok := l.loaded[id]; ok {
			continue
		}
		w := &loading{done: make(chan struct{})}
		l.loaded[id] = w
		b.ids, b.into = append(b.ids, id), append(b.into, w)
	}
	l.mu.Unlock()
	for lo := 0; lo < len(b.ids); lo += maxBatch {
		hi := min(lo+maxBatch, len(b.ids))
		go l.fetch(b.ids[lo:hi], b.into[lo:hi])
	}
}

// selects reports whether the query asks, under the field being resolved
// and along path (field names, through the types in satisfies level by
// level), for any of the fields named in want.
func selects(ctx context.Context, path []string, satisfies [][]string, want ...string) bool {
	fc, oc := graphql.GetFieldContext(ctx), graphql.GetOperationContext(ctx)
	if fc == nil || oc == nil {
		return false
	}
	return selectsIn(oc, fc.Field.Selections, path, satisfies, want)
}

func selectsIn(oc *graphql.OperationContext, sel ast.SelectionSet, path []string, satisfies [][]string, want []string) bool {
	for _, f := range graphql.CollectFields(oc, sel, satisfies[0]) {
		switch {
		case len(path) == 0 && slices.Contains(want, f.Name):
			return true
		case len(path) > 0 && f.Name == path[0] && selectsIn(oc, f.Selections, path[1:], satisfies[1:], want):
			return true
		}
	}
	return false
}

// prefetchEnds prefetches the ends of rels, other than the entity whose
// relations they are, when the query asks for them along path.
func (r *Resolver) prefetchEnds(ctx context.Context, of string, rels []coopgraph.Relation, path []string, satisfies [][]string) {
	if len(rels) == 0 || !selects(ctx, path, satisfies, "from", "to") {
		return
	}
	ids := make([]string, 0, len(rels))
	for _, rel := range rels {
		ids = append(ids, rel.Other(of))
	}
	r.prefetch(ctx, ids)
}

// run waits for the batch to fill or the wait to pass, then reads it.
func (l *entityLoader) run(b *entityBatch) {
	t := time.NewTimer(l.wait)
	select {
	case <-t.C:
	case <-b.full:
		t.Stop()
	}
	l.mu.Lock()
	if l.next == b {
		l.next = nil
	}
	l.mu.Unlock()
	l.fetch(b.ids, b.into)
}

// fetch reads ids in one call. Store.Entities fails whole when one id is
// unknown, so then the batch is halved until the unknown ids are alone and
// only their readers get the NOT_FOUND error.
func (l *entityLoader) fetch(ids []string, into []*loading) {
	es, err := l.store.Entities(l.ctx, ids)
	if coopgraph.ErrorCode(err) == coopgraph.ENOTFOUND && len(ids) > 1 {
		h := len(ids) / 2
		l.fetch(ids[:h], into[:h])
		l.fetch(ids[h:], into[h:])
		return
	}
	for i, w := range into {
		if err != nil {
			w.err = err
		} else {
			w.entity = es[i]
		}
		close(w.done)
	}
}
