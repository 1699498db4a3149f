package schema

import (
	"context"
	"sort"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/graph"
)

// Limits on what one request may ask for. Exceeding one is a LIMIT_EXCEEDED
// error, never a silently shortened answer.
const (
	MaxFirst   = 1000
	MaxMaxHops = 12
)

// limitFirst checks a `first` argument: nil means def (-1 = unbounded).
func limitFirst(first *int, def int) (int, error) {
	if first == nil {
		return def, nil
	}
	switch {
	case *first < 0:
		return 0, coopgraph.Errorf(coopgraph.EINVALID, "first must not be negative (got %d)", *first)
	case *first > MaxFirst:
		return 0, coopgraph.Errorf(coopgraph.ELIMIT, "first is %d; the limit is %d", *first, MaxFirst)
	}
	return *first, nil
}

func pathOptions(relationTypes []string, maxHops *int) (graph.PathOptions, error) {
	opt := graph.PathOptions{RelationTypes: relationTypes}
	if maxHops != nil {
		switch {
		case *maxHops < 1:
			return opt, coopgraph.Errorf(coopgraph.EINVALID, "maxHops must be at least 1 (got %d)", *maxHops)
		case *maxHops > MaxMaxHops:
			return opt, coopgraph.Errorf(coopgraph.ELIMIT, "maxHops is %d; the limit is %d", *maxHops, MaxMaxHops)
		}
		opt.MaxHops = *maxHops
	}
	return opt, coopgraph.CheckRelationTypes(relationTypes)
}

// resolvePaths turns engine paths into API paths, reading all their entities
// from the store in one call.
func (r *Resolver) resolvePaths(ctx context.Context, snap *graph.Snapshot, paths []graph.Path) ([]Path, error) {
	var ids []string
	for _, p := range paths {
		ids = append(ids, p.Nodes...)
	}
	es, err := r.Store.Entities(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]Path, len(paths))
	for i, p := range paths {
		out[i] = Path{Length: len(p.Relations), Nodes: es[:len(p.Nodes)]}
		es = es[len(p.Nodes):]
		for _, id := range p.Relations {
			rel, ok := snap.Relation(id)
			if !ok {
				return nil, coopgraph.Errorf(coopgraph.EINTERNAL, "relation %q missing from snapshot", id)
			}
			out[i].Relations = append(out[i].Relations, rel)
		}
	}
	return out, nil
}

// withStoreEntities replaces the snapshot's copies of ranked entities with
// the store's, in one call, so every entity field comes from the store.
func (r *Resolver) withStoreEntities(ctx context.Context, scores []CentralityScore) ([]CentralityScore, error) {
	ids := make([]string, len(scores))
	for i, s := range scores {
		ids[i] = s.Entity.ID
	}
	es, err := r.Store.Entities(ctx, ids)
	if err != nil {
		return nil, err
	}
	for i := range scores {
		scores[i].Entity = es[i]
	}
	return scores, nil
}

func (r *relationResolver) entity(ctx context.Context, id string) (*coopgraph.Entity, error) {
	es, err := r.Store.Entities(ctx, []string{id})
	if err != nil {
		return nil, err
	}
	return &es[0], nil
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// properties lists a property map sorted by key, for a stable answer.
func properties(m map[string]string) []Property {
	out := make([]Property, 0, len(m))
	for k, v := range m {
		out = append(out, Property{Key: k, Value: v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}
