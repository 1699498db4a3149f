package server

import (
	"net/http"
	"time"

	"github.com/coopgraph/coopgraph/graph"
	"github.com/coopgraph/coopgraph/schema"
)

// loaders gives each GraphQL request its own entity loader, so that the
// resolvers' entity reads go to the store in batches (no query per item)
// and nothing read for one request is served to another; and pins the
// request to the snapshot current when it arrives, so that a refresh
// (WatchStore) during the request never mixes two snapshots in one answer;
// with the read model, the store's reads come from the same load
// (readmodel.go). It also counts the requests being answered, which the
// background computations give way to (yield.go).
func (s *Server) loaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.answering.Add(1)
		defer func() {
			s.answered.Store(time.Now().UnixNano())
			s.answering.Add(-1)
		}()
		p := s.snap.Load()
		ctx, reads := s.withServedLoad(r.Context(), p)
		ctx = schema.WithLoaders(ctx, reads)
		var snap *graph.Snapshot
		if p != nil {
			snap = p.g
		}
		next.ServeHTTP(w, r.WithContext(schema.WithSnapshot(ctx, snap)))
	})
}
