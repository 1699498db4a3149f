package schema

import (
	"context"
	"strconv"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/graph"
)

// engineFilter is the API's EntityFilter as the engine's (zero for nil).
func engineFilter(f *EntityFilter) graph.EntityFilter {
	if f == nil {
		return graph.EntityFilter{}
	}
	return graph.EntityFilter{Kinds: f.Kinds, Countries: f.Countries, Regions: f.Regions, Programmes: f.Programmes,
		ActiveFrom: deref(f.ActiveFrom), ActiveTo: deref(f.ActiveTo), Datasets: f.Datasets, Documents: f.Documents}
}

// members returns the entities f keeps in the request's snapshot (nil: all),
// computed once per snapshot and filter (graph.Snapshot.Filter).
func (r *Resolver) members(ctx context.Context, f *EntityFilter) (*graph.Members, error) {
	ef := engineFilter(f)
	if ef.IsZero() {
		return nil, nil
	}
	snap, err := r.pageSnapshot(ctx)
	if err != nil {
		return nil, err
	}
	return snap.Filter(ctx, ef)
}

// filterPaths adds filter f to a path query's options: intermediates must
// pass it, and relations be active in its period as well as between
// activeFrom and activeTo.
func (r *Resolver) filterPaths(ctx context.Context, opt *graph.PathOptions, f *EntityFilter) error {
	m, err := r.members(ctx, f)
	opt.Members = m
	return err
}

// filterNeighbours is neighboursConnection with a filter: the neighbours
// come from the snapshot, which knows the filter's members, and the page's
// entities from the store, as every other entity the API answers with.
func (r *Resolver) filterNeighbours(ctx context.Context, obj *coopgraph.Entity, f coopgraph.NeighbourFilter, m *graph.Members,
	offset, n int) (*NeighbourConnection, error) {
	if err := f.Check(); err != nil {
		return nil, err
	}
	snap, err := r.pageSnapshot(ctx)
	if err != nil {
		return nil, err
	}
	all, err := snap.Neighbours(obj.ID, f, m)
	if err != nil {
		return nil, err
	}
	page := capped(all[min(offset, len(all)):], n)
	ids := make([]string, len(page))
	for i, nb := range page {
		ids[i] = nb.ID
	}
	es, err := r.entities(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := &NeighbourConnection{TotalCount: len(all), PageInfo: pageInfo(offset, len(page), len(all)), Edges: make([]NeighbourEdge, len(page))}
	known := []coopgraph.Entity{*obj}
	for i, nb := range page {
		rels, err := relationsOf(snap, nb.Relations)
		if err != nil {
			return nil, err
		}
		out.Edges[i] = NeighbourEdge{Cursor: cursor(offset + i), Node: &es[i], Relations: rels}
		known = append(known, es[i])
	}
	r.remember(ctx, known)
	return out, nil
}

// filterEntities keeps the entities of es that m keeps, in order, at most
// n of them (all when n < 0).
func filterEntities(es []coopgraph.Entity, m *graph.Members, n int) []coopgraph.Entity {
	out := es[:0:0]
	for _, e := range es {
		if n >= 0 && len(out) == n {
			break
		}
		if m.Has(e.ID) {
			out = append(out, e)
		}
	}
	return out
}

// year is a year string as an Int (nil when empty).
func year(y string) *int {
	v, err := strconv.Atoi(y)
	if err != nil {
		return nil
	}
	return &v
}
