package schema

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"sync"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/graph"
)

// Limits of the page's queries (page.graphqls). Exceeding one is a
// LIMIT_EXCEEDED error, never a shortened answer.
const (
	// MaxNetwork bounds network's max: past it a browser is better served
	// by exploring from a search.
	MaxNetwork = 20_000
	// MaxNetworkRelationsPerEntity bounds the relations network returns, as
	// a multiple of max, so that max bounds the whole answer.
	MaxNetworkRelationsPerEntity = 10
	// MaxSubgraphIDs bounds the ids of subgraph, scores and communityOf.
	MaxSubgraphIDs = 5000
	// MaxSubgraphRelations bounds the relations of one subgraph answer.
	MaxSubgraphRelations = 50_000
)

// pageIndex is what the page's queries need and the snapshot does not list:
// every entity id and relation id, and the relations touching each entity.
// It is built once per snapshot from the store's dataset, keeping only what
// the snapshot holds too, so that it never names a relation the snapshot
// cannot give.
type pageIndex struct {
	ids    []string // entity ids, ascending
	pos    map[string]int32
	relIDs []string // relation ids, ascending
	// The relations touching entity u are via[off[u]:off[u+1]] (indexes in
	// relIDs), each entity's ascending; a self-loop once.
	off, via []int32
	// ends[r] are the positions of relation r's two entities.
	ends  [][2]int32
	kinds []KindCount
	types []RelationTypeCount
	snap  *graph.Snapshot
}

// pageIndexes holds the index of the snapshot last asked about, per store.
var pageIndexes struct {
	sync.Mutex
	store coopgraph.Store
	snap  *graph.Snapshot
	index *pageIndex
}

// pageSnapshot is the request's snapshot, or UNAVAILABLE before the first.
func (r *Resolver) pageSnapshot(ctx context.Context) (*graph.Snapshot, error) {
	snap := r.snapshot(ctx)
	if snap == nil {
		return nil, coopgraph.Errorf(coopgraph.EUNAVAILABLE, "the network is not loaded yet; try again shortly")
	}
	return snap, nil
}

// pageIndex returns the index of the request's snapshot, building it from
// the store's dataset when that snapshot has none yet.
func (r *Resolver) pageIndex(ctx context.Context) (*pageIndex, error) {
	snap, err := r.pageSnapshot(ctx)
	if err != nil {
		return nil, err
	}
	pageIndexes.Lock()
	defer pageIndexes.Unlock()
	if pageIndexes.store == r.Store && pageIndexes.snap == snap {
		return pageIndexes.index, nil
	}
	ds, err := r.Store.Dataset(ctx)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
			return nil, coopgraph.Errorf(coopgraph.EUNAVAILABLE, "reading the network took too long; try again")
		}
		return nil, err
	}
	idx := newPageIndex(snap, ds)
	pageIndexes.store, pageIndexes.snap, pageIndexes.index = r.Store, snap, idx
	return idx, nil
}

func newPageIndex(snap *graph.Snapshot, ds *coopgraph.Dataset) *pageIndex {
	idx := &pageIndex{pos: map[string]int32{}, snap: snap}
	kinds := map[string]int{}
	for _, e := range ds.Entities {
		if kind, ok := snap.Kind(e.ID); ok {
			idx.ids = append(idx.ids, e.ID)
			kinds[kind]++
		}
	}
	slices.Sort(idx.ids)
	for i, id := range idx.ids {
		idx.pos[id] = int32(i)
	}
	rels := make([]coopgraph.Relation, 0, len(ds.Relations))
	for _, rel := range ds.Relations {
		_, from := idx.pos[rel.From]
		_, to := idx.pos[rel.To]
		if _, ok := snap.Relation(rel.ID); ok && from && to {
			rels = append(rels, rel)
		}
	}
	slices.SortFunc(rels, func(a, b coopgraph.Relation) int { return cmp.Compare(a.ID, b.ID) })
	types := map[string]int{}
	idx.relIDs = make([]string, len(rels))
	idx.ends = make([][2]int32, len(rels))
	idx.off = make([]int32, len(idx.ids)+1)
	for i, rel := range rels {
		idx.relIDs[i] = rel.ID
		idx.ends[i] = [2]int32{idx.pos[rel.From], idx.pos[rel.To]}
		types[rel.Type]++
		idx.off[idx.ends[i][0]+1]++
		if rel.From != rel.To {
			idx.off[idx.ends[i][1]+1]++
		}
	}
	for u := range idx.ids {
		idx.off[u+1] += idx.off[u]
	}
	idx.via = make([]int32, idx.off[len(idx.ids)])
	next := slices.Clone(idx.off[:len(idx.ids)])
	for i, e := range idx.ends {
		idx.via[next[e[0]]] = int32(i)
		next[e[0]]++
		if e[0] != e[1] {
			idx.via[next[e[1]]] = int32(i)
			next[e[1]]++
		}
	}
	for k, n := range kinds {
		idx.kinds = append(idx.kinds, KindCount{Kind: k, Count: n})
	}
	slices.SortFunc(idx.kinds, func(a, b KindCount) int { return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Kind, b.Kind)) })
	for t, n := range types {
		idx.types = append(idx.types, RelationTypeCount{Type: t, Count: n})
	}
	slices.SortFunc(idx.types, func(a, b RelationTypeCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Type, b.Type))
	})
	return idx
}

// positions resolves ids to index positions: more than MaxSubgraphIDs is
// LIMIT_EXCEEDED, a repeated id INVALID_ARGUMENT, an unknown one NOT_FOUND.
func (idx *pageIndex) positions(ids []string) ([]int32, error) {
	if len(ids) > MaxSubgraphIDs {
		return nil, coopgraph.Errorf(coopgraph.ELIMIT, "%d ids; the limit is %d", len(ids), MaxSubgraphIDs)
	}
	out := make([]int32, len(ids))
	seen := make(map[int32]bool, len(ids))
	for i, id := range ids {
		u, ok := idx.pos[id]
		if !ok {
			return nil, coopgraph.Errorf(coopgraph.ENOTFOUND, "unknown entity id %q", id)
		}
		if seen[u] {
			return nil, coopgraph.Errorf(coopgraph.EINVALID, "id %q is given twice", id)
		}
		seen[u] = true
		out[i] = u
	}
	return out, nil
}

// among returns the relations (indexes, ascending) whose two ends are both
// in us, or LIMIT_EXCEEDED when they are more than max.
func (idx *pageIndex) among(us []int32, max int) ([]int32, error) {
	in := make(map[int32]bool, len(us))
	for _, u := range us {
		in[u] = true
	}
	var rels []int32
	for _, u := range us {
		for _, r := range idx.via[idx.off[u]:idx.off[u+1]] {
			e := idx.ends[r]
			// Each relation once: from the end with the smaller position.
			v := e[0] ^ e[1] ^ u
			if in[v] && u <= v {
				rels = append(rels, r)
				if len(rels) > max {
					return nil, coopgraph.Errorf(coopgraph.ELIMIT, "more than %d relations among these %d entities; ask for fewer entities", max, len(us))
				}
			}
		}
	}
	slices.Sort(rels)
	return rels, nil
}

// relations reads relations by index from the snapshot.
func (idx *pageIndex) relations(rels []int32) ([]coopgraph.Relation, error) {
	out := make([]coopgraph.Relation, len(rels))
	for i, r := range rels {
		rel, ok := idx.snap.Relation(idx.relIDs[r])
		if !ok {
			return nil, coopgraph.Errorf(coopgraph.EINTERNAL, "relation %q missing from snapshot", idx.relIDs[r])
		}
		out[i] = rel
	}
	return out, nil
}

// subgraph reads the entities ids (ascending) from the store and the
// relations rels from the snapshot.
func (r *Resolver) subgraph(ctx context.Context, idx *pageIndex, ids []string, rels []int32) (*Subgraph, error) {
	es, err := r.entities(ctx, ids)
	if err != nil {
		return nil, err
	}
	rs, err := idx.relations(rels)
	if err != nil {
		return nil, err
	}
	return &Subgraph{Entities: es, Relations: rs}, nil
}
