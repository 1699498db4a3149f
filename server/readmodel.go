package server

import (
	"context"

	"github.com/coopgraph/coopgraph"
)

// The read model. A store outside the process (Neo4j) is the source of
// truth and what `coopgraph load` writes; but every server already reads
// its whole dataset at each new load to build the analytics snapshot
// (WatchStore). With the read model (the default: Server.ReadThrough
// false), the server also indexes that dataset in memory, as the embedded
// store does (memstore.New: the search index, entities by id and by merged
// record, relations by entity in LessNeighbour order), before publishing
// it with the snapshot; the API's reads of the store (search, entities,
// neighbours, relations, the dataset for exports and the page) are then
// answered from that index: the same code as the embedded store, so the
// same answers, without a round trip or a Cypher ranking of thousands of
// candidates per request. The store is still asked for its Version (the
// load marker, every --refresh-every) and Ready (/readyz).
//
// A request reads the load published when it arrived, the one its
// snapshot was built from (loaders pins both): a refresh during the
// request never mixes two loads in one answer, nor the store's newest
// load with an older snapshot.
//
// A snapshot published without its dataset (SetSnapshot) has no read
// model: reads then go to the store, as with ReadThrough.

// readModel reports whether the API's reads are answered from the
// published load's dataset in memory rather than by the store.
func (s *Server) readModel() bool {
	_, inProcess := s.Store.(coopgraph.InProcess)
	return s.Store != nil && !inProcess && !s.ReadThrough
}

// readsOf wraps st, the store's reads as the resolvers see them: from the
// read model when on, else from the store, falling back to the last
// complete load while the store holds an incomplete one (servable.go).
func (s *Server) readsOf(st coopgraph.Store) coopgraph.Store {
	if _, inProcess := s.Store.(coopgraph.InProcess); st == nil || inProcess {
		return st
	}
	lc := lastComplete{st, s}
	if !s.readModel() {
		return lc
	}
	return modelReads{lc, s}
}

type servedLoadKey struct{}

// withServedLoad pins the load p to a request (see loaders), and returns
// the store the request's entity loader reads: the load's embedded store
// with the read model, so that its reads go straight through (it is
// coopgraph.InProcess), else s.store.
func (s *Server) withServedLoad(ctx context.Context, p *published) (context.Context, coopgraph.Store) {
	if !s.readModel() || p == nil || p.load == nil {
		return ctx, s.store
	}
	m := p.load.embedded()
	return context.WithValue(ctx, servedLoadKey{}, m), m
}

// modelReads answers from the read model of the request's load (else of
// the load published now); without one (a snapshot published without its
// dataset), from the store.
type modelReads struct {
	lastComplete
	s *Server
}

func (m modelReads) model(ctx context.Context) coopgraph.Store {
	if st, ok := ctx.Value(servedLoadKey{}).(coopgraph.Store); ok {
		return st
	}
	if p := m.s.snap.Load(); p != nil && p.load != nil {
		return p.load.embedded()
	}
	return m.lastComplete
}

func (m modelReads) Search(ctx context.Context, text string, kinds []string, first int) ([]coopgraph.Entity, error) {
	return m.model(ctx).Search(ctx, text, kinds, first)
}

func (m modelReads) Entities(ctx context.Context, ids []string) ([]coopgraph.Entity, error) {
	return m.model(ctx).Entities(ctx, ids)
}

func (m modelReads) Relations(ctx context.Context, id string, nf coopgraph.NeighbourFilter, offset, first int) ([]coopgraph.Relation, int, error) {
	return m.model(ctx).Relations(ctx, id, nf, offset, first)
}

func (m modelReads) Neighbours(ctx context.Context, id string, nf coopgraph.NeighbourFilter, offset, first int) ([]coopgraph.Neighbour, int, error) {
	return m.model(ctx).Neighbours(ctx, id, nf, offset, first)
}

func (m modelReads) Dataset(ctx context.Context) (*coopgraph.Dataset, error) {
	return m.model(ctx).Dataset(ctx)
}
