package server

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"sync"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/memstore"
)

// A store may hold a load that has not completed (it runs, or it was
// killed): it then answers *coopgraph.NotServableError rather than part of
// the data. The server serves the last complete load it read instead:
//   - the analytics keep the snapshot published last (WatchStore does not
//     replace it, and logs why);
//   - the reads the resolvers make of the store itself (search, entities,
//     neighbours, relations, the export's dataset) are answered from the
//     dataset of that snapshot, through an embedded store built from it on
//     the first refusal (lastComplete);
//   - a server that has no snapshot yet (started while the store held an
//     incomplete load) is not ready: /readyz says why, and GraphQL and
//     the exports answer 503 UNAVAILABLE with the same reason, until a
//     complete load lands and WatchStore publishes it.

// servedLoad is the dataset of a published snapshot and, once needed, the
// embedded store that answers from it: at once with the read model
// (readmodel.go), else on the first refusal of an incomplete load.
type servedLoad struct {
	ds    *coopgraph.Dataset
	once  sync.Once
	store *memstore.Store
}

func (l *servedLoad) embedded() *memstore.Store {
	l.once.Do(func() { l.store = memstore.New(l.ds) })
	return l.store
}

// notServableReason is why the store cannot be served now, or "" when it
// can (as far as the last look at it says).
func (s *Server) notServableReason() string {
	if p := s.notServable.Load(); p != nil {
		return *p
	}
	return ""
}

// NoteServable records what the store said when serve read it first, so
// that /readyz and the API name the reason from the start (see
// noteServable).
func (s *Server) NoteServable(err error) { s.noteServable(err) }

// noteServable records what the last look at the store said: err is nil,
// a *coopgraph.NotServableError, or another error (which says nothing
// about the loads and changes nothing). It reports whether the reason is
// new, so that it is logged once, not at every tick.
func (s *Server) noteServable(err error) (reason string, changed bool) {
	var ns *coopgraph.NotServableError
	switch {
	case err == nil:
		return "", s.notServable.Swap(nil) != nil
	case errors.As(err, &ns):
		old := s.notServable.Swap(&ns.Reason)
		return ns.Reason, old == nil || *old != ns.Reason
	}
	return s.notServableReason(), false
}

// requireServable answers 503 UNAVAILABLE, with the reason and Retry-After,
// while the server has no snapshot because the store holds no complete
// load: nothing it could answer would be the last complete load.
func (s *Server) requireServable(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if reason := s.notServableReason(); reason != "" && s.Snapshot() == nil {
			w.Header().Set("Retry-After", strconv.Itoa(retryAfterSeconds))
			writeError(w, http.StatusServiceUnavailable, coopgraph.EUNAVAILABLE, reason)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// retryAfterSeconds is what a client is told to wait for a complete load.
const retryAfterSeconds = 10

// lastComplete answers from the last complete load when the store refuses
// because its newest load is not complete (see the comment at the top).
type lastComplete struct {
	coopgraph.Store
	s *Server
}

// fallback is the embedded store of the published snapshot's dataset when
// err is a refusal to serve an incomplete load and there is one; else nil.
func (l lastComplete) fallback(err error) coopgraph.Store {
	var ns *coopgraph.NotServableError
	if !errors.As(err, &ns) {
		return nil
	}
	p := l.s.snap.Load()
	if p == nil || p.load == nil {
		return nil
	}
	return p.load.embedded()
}

func (l lastComplete) Search(ctx context.Context, text string, kinds []string, first int) ([]coopgraph.Entity, error) {
	es, err := l.Store.Search(ctx, text, kinds, first)
	if f := l.fallback(err); f != nil {
		return f.Search(ctx, text, kinds, first)
	}
	return es, err
}

func (l lastComplete) Entities(ctx context.Context, ids []string) ([]coopgraph.Entity, error) {
	es, err := l.Store.Entities(ctx, ids)
	if f := l.fallback(err); f != nil {
		return f.Entities(ctx, ids)
	}
	return es, err
}

func (l lastComplete) Relations(ctx context.Context, id string, nf coopgraph.NeighbourFilter, offset, first int) ([]coopgraph.Relation, int, error) {
	rs, n, err := l.Store.Relations(ctx, id, nf, offset, first)
	if f := l.fallback(err); f != nil {
		return f.Relations(ctx, id, nf, offset, first)
	}
	return rs, n, err
}

func (l lastComplete) Neighbours(ctx context.Context, id string, nf coopgraph.NeighbourFilter, offset, first int) ([]coopgraph.Neighbour, int, error) {
	ns, n, err := l.Store.Neighbours(ctx, id, nf, offset, first)
	if f := l.fallback(err); f != nil {
		return f.Neighbours(ctx, id, nf, offset, first)
	}
	return ns, n, err
}

func (l lastComplete) Dataset(ctx context.Context) (*coopgraph.Dataset, error) {
	ds, err := l.Store.Dataset(ctx)
	if f := l.fallback(err); f != nil {
		return f.Dataset(ctx)
	}
	return ds, err
}
