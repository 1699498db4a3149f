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

// pathOptions turns a path query's arguments into the engine's options.
func pathOptions(relationTypes []string, maxHops *int, viaKinds, avoid []string, activeFrom, activeTo *string,
	weight *PathWeight, weightProperty *string) (graph.PathOptions, error) {
	opt := graph.PathOptions{RelationTypes: relationTypes, Kinds: viaKinds, Avoid: avoid}
	opt.Window = window(activeFrom, activeTo)
	switch {
	case weight == nil || *weight == PathWeightHops:
		if weightProperty != nil {
			return opt, coopgraph.Errorf(coopgraph.EINVALID, "weightProperty goes with weight: PROPERTY")
		}
	case *weight == PathWeightHub:
		opt.Weight = graph.WeightHub
	case *weight == PathWeightProperty:
		if deref(weightProperty) == "" {
			return opt, coopgraph.Errorf(coopgraph.EINVALID, "weight: PROPERTY needs weightProperty, the relation property holding the cost")
		}
		opt.Weight, opt.WeightProperty = graph.WeightProperty, *weightProperty
	}
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
		out[i] = Path{Length: len(p.Relations), Cost: p.Cost, Nodes: es[:len(p.Nodes)]}
		es = es[len(p.Nodes):]
		for _, id := range p.Relations {
			rel, ok := snap.Relation(id)
			if !ok {
				return nil, coopgraph.Errorf(coopgraph.EINTERNAL, "relation %q missing from snapshot", id)
			}
			out[i].Relations = append(out[i].Relations, rel)
		}
		out[i].Text = coopgraph.PathText(out[i].Nodes, out[i].Relations)
	}
	return out, nil
}

// entity reads one entity from the store; an unknown id is NOT_FOUND.
func (r *Resolver) entity(ctx context.Context, id string) (*coopgraph.Entity, error) {
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

// entityMap reads the entities with the given ids (repeats allowed) from the
// store in one call.
func (r *Resolver) entityMap(ctx context.Context, ids []string) (map[string]coopgraph.Entity, error) {
	seen := map[string]bool{}
	var unique []string
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			unique = append(unique, id)
		}
	}
	es, err := r.Store.Entities(ctx, unique)
	if err != nil {
		return nil, err
	}
	m := make(map[string]coopgraph.Entity, len(es))
	for _, e := range es {
		m[e.ID] = e
	}
	return m, nil
}

// pick lists the entities of ids from m, in order.
func pick(m map[string]coopgraph.Entity, ids []string) []coopgraph.Entity {
	out := make([]coopgraph.Entity, len(ids))
	for i, id := range ids {
		out[i] = m[id]
	}
	return out
}

func ptr[T any](v T) *T { return &v }

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// capped keeps at most n elements (all when n < 0). It serves arguments
// named first: the caller asked for the first n, so nothing is hidden.
func capped[T any](xs []T, n int) []T {
	if n >= 0 && len(xs) > n {
		return xs[:n]
	}
	return xs
}

// window is the time window of activeFrom/activeTo arguments, nil for none.
func window(from, to *string) *graph.TimeWindow {
	if from == nil && to == nil {
		return nil
	}
	return &graph.TimeWindow{From: deref(from), To: deref(to)}
}
