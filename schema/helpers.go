package schema

import (
	"context"
	"encoding/base64"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
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

// pathOptions turns a path query's arguments into the engine's options:
// without relationTypes, paths follow every type but the structural ones
// unless structural is true (coopgraph.PathRelationTypes).
func pathOptions(relationTypes []string, structural *bool, maxHops *int, viaKinds, avoid []string, activeFrom, activeTo *string,
	weight *PathWeight, weightProperty *string) (graph.PathOptions, error) {
	types := coopgraph.PathRelationTypes(relationTypes, structural != nil && *structural)
	opt := graph.PathOptions{RelationTypes: types, Kinds: viaKinds, Avoid: avoid}
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
// from the store in one call, and explains each hop.
func (r *Resolver) resolvePaths(ctx context.Context, snap *graph.Snapshot, paths []graph.Path) ([]Path, error) {
	var ids []string
	for _, p := range paths {
		ids = append(ids, p.Nodes...)
	}
	es, err := r.entities(ctx, ids)
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
		if out[i].Hops, err = hops(snap, out[i].Nodes, out[i].Relations, p.Hops); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// hops explains a path step by step: rels[i] links nodes[i] and nodes[i+1],
// and parallel[i] lists every kept relation between them (graph.Path.Hops).
func hops(snap *graph.Snapshot, nodes []coopgraph.Entity, rels []coopgraph.Relation, parallel [][]string) ([]Hop, error) {
	out := make([]Hop, len(rels))
	for i := range rels {
		dir := HopDirectionForward
		if rels[i].From != nodes[i].ID {
			dir = HopDirectionBackward
		}
		all, err := relationsOf(snap, parallel[i])
		if err != nil {
			return nil, err
		}
		out[i] = Hop{From: &nodes[i], To: &nodes[i+1], Relation: &rels[i], Relations: all, Direction: dir,
			Text: coopgraph.PathText(nodes[i:i+2], rels[i:i+1])}
	}
	return out, nil
}

// relationsOf reads relations from the snapshot by id.
func relationsOf(snap *graph.Snapshot, ids []string) ([]coopgraph.Relation, error) {
	out := make([]coopgraph.Relation, len(ids))
	for i, id := range ids {
		rel, ok := snap.Relation(id)
		if !ok {
			return nil, coopgraph.Errorf(coopgraph.EINTERNAL, "relation %q missing from snapshot", id)
		}
		out[i] = rel
	}
	return out, nil
}

// Most a shortest-path subgraph may hold (LIMIT_EXCEEDED above): on the
// linked network, of 170 pairs of organisations linked by cooperation (300
// drawn), the median subgraph held 46 entities, the 90th percentile 324,
// the largest 1,249 entities and 3,632 hops (4,364 paths).
const (
	MaxSubgraphEntities = 2500
	MaxSubgraphLinks    = 5000
)

// resolveSubgraph turns the engine's layered subgraph into the API's,
// reading all its entities from the store in one call.
func (r *Resolver) resolveSubgraph(ctx context.Context, snap *graph.Snapshot, g *graph.PathSubgraph) (*PathSubgraph, error) {
	var ids []string
	for _, l := range g.Layers {
		ids = append(ids, l...)
	}
	if len(ids) > MaxSubgraphEntities || len(g.Links) > MaxSubgraphLinks {
		return nil, coopgraph.Errorf(coopgraph.ELIMIT,
			"the shortest paths pass through %d entities and %d hops; the limit is %d and %d: narrow them with relationTypes, viaKinds, avoid or dates",
			len(ids), len(g.Links), MaxSubgraphEntities, MaxSubgraphLinks)
	}
	es, err := r.entities(ctx, ids)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]*coopgraph.Entity, len(es))
	out := &PathSubgraph{Length: len(g.Layers) - 1, PathCount: float64(g.Total), Layers: make([]PathLayer, len(g.Layers)), Links: make([]PathLink, len(g.Links))}
	for k, l := range g.Layers {
		out.Layers[k] = PathLayer{Position: k, Entities: es[:len(l)]}
		for i := range l {
			byID[l[i]] = &out.Layers[k].Entities[i]
		}
		es = es[len(l):]
	}
	for i, l := range g.Links {
		rels, err := relationsOf(snap, l.Relations)
		if err != nil {
			return nil, err
		}
		out.Links[i] = PathLink{Position: l.Layer, From: byID[l.From], To: byID[l.To], Relations: rels}
	}
	return out, nil
}

// centrality ranks the entities as a centrality query asks and returns
// the ranking's page from place offset, at most first (all when first < 0),
// and the length of the whole ranking.
func (r *Resolver) centrality(ctx context.Context, measure CentralityMeasure, kinds, relationTypes []string, samples, seed *int,
	tolerance *float64, est estimate, projection *ProjectionInput, offset, first int) ([]graph.Score, int, graph.Certainty, error) {
	scores, total, c, err := r.centralityScores(ctx, measure, kinds, relationTypes, samples, seed, tolerance, est, projection, offset, first)
	if err == nil && c.Exact && samples != nil && *samples > 0 {
		c.Exact = false // sampled: an estimate without a bound
	}
	return scores, total, c, err
}

// estimate is the arguments of a centrality query that ask for an
// approximation (epsilon, delta) or insist on the exact ranking.
type estimate struct {
	epsilon, delta *float64
	exact          *bool
	// members is the filter the ranking keeps (nil: every entity); it
	// rides here as it, too, leaves the measure alone.
	members *graph.Members
}

func (r *Resolver) centralityScores(ctx context.Context, measure CentralityMeasure, kinds, relationTypes []string, samples, seed *int,
	tolerance *float64, est estimate, projection *ProjectionInput, offset, first int) ([]graph.Score, int, graph.Certainty, error) {
	m, err := measureOf(measure)
	if err != nil {
		return nil, 0, graph.Certainty{}, err
	}
	opt := graph.CentralityOptions{RelationTypes: relationTypes, Kinds: kinds, Members: est.members}
	if samples != nil {
		opt.Samples = *samples
	}
	if tolerance != nil {
		if *tolerance == 0 { // the engine reads 0 as unset; here it was given
			return nil, 0, graph.Certainty{}, coopgraph.Errorf(coopgraph.EINVALID, "tolerance must lie between %g and %g, got 0",
				graph.MinPageRankTolerance, graph.MaxPageRankTolerance)
		}
		opt.Tolerance = *tolerance
	}
	if seed != nil {
		if opt.Seed, err = seedArg(*seed); err != nil {
			return nil, 0, graph.Certainty{}, err
		}
	}
	if est.epsilon != nil {
		if *est.epsilon == 0 {
			return nil, 0, graph.Certainty{}, coopgraph.Errorf(coopgraph.EINVALID, "epsilon must lie between %g and %g, got 0",
				graph.MinBetweennessEpsilon, graph.MaxBetweennessEpsilon)
		}
		opt.Epsilon = *est.epsilon
	}
	if est.delta != nil {
		if est.epsilon == nil {
			return nil, 0, graph.Certainty{}, coopgraph.Errorf(coopgraph.EINVALID, "delta applies with epsilon only")
		}
		if *est.delta == 0 {
			return nil, 0, graph.Certainty{}, coopgraph.Errorf(coopgraph.EINVALID, "delta must lie between %g and %g, got 0",
				graph.MinBetweennessDelta, graph.MaxBetweennessDelta)
		}
		opt.Delta = *est.delta
	}
	if projection != nil {
		opt.Projection = &graph.Projection{Kinds: projection.Kinds, Via: projection.Via, RelationTypes: projection.RelationTypes,
			RegionLevel: projection.RegionLevel}
	}
	if !r.Anytime || est.exact != nil && *est.exact {
		if err := r.exactInTime(ctx, m, opt); err != nil {
			return nil, 0, graph.Certainty{}, err
		}
		return r.snapshot(ctx).CentralityCertified(ctx, m, opt, offset, first)
	}
	return r.snapshot(ctx).CentralityAnytime(ctx, m, opt, offset, first)
}

// exactInTime refuses at once (UNAVAILABLE, with when to ask again) a
// request insisting on an exact ranking that the server is computing in
// the background and expects only after the request's time limit: waiting
// would end in the same error, later, having held a worker.
func (r *Resolver) exactInTime(ctx context.Context, m graph.Measure, opt graph.CentralityOptions) error {
	if !r.Anytime || opt.Samples != 0 || opt.Epsilon != 0 {
		return nil
	}
	deadline, ok := ctx.Deadline()
	p := r.snapshot(ctx).RankingProgress(m, opt)
	if !ok || p.Ready || !p.Expected || time.Until(deadline) >= p.ExpectedIn {
		return nil
	}
	err := coopgraph.Errorf(coopgraph.EUNAVAILABLE,
		"the exact %s ranking is being computed and expected in %.0f s, after this request's time limit: ask again then, or without exact for a certified approximation now",
		m, math.Ceil(p.ExpectedIn.Seconds()))
	err.RetryAfter = p.ExpectedIn
	return err
}

// bound is a certainty's epsilon and delta as the API gives them: null
// without a bound. A bound of 0 (an approximation that came out exact:
// every component small enough to compute exactly) is given as 0.
func bound(c graph.Certainty) (epsilon, delta *float64) {
	if c.Exact || c.Delta == 0 {
		return nil, nil
	}
	return &c.Epsilon, &c.Delta
}

// expectedIn is when an approximate answer's exact ranking is expected, in
// seconds, as the API gives it: null when exact or not known.
func expectedIn(c graph.Certainty) *float64 {
	if c.Exact || !c.Progress.Expected {
		return nil
	}
	s := c.Progress.ExpectedIn.Seconds()
	return &s
}

// measureOf is the engine's measure for the API's: the enum
// CentralityMeasure is gqlgen's, the measures are the registry's
// (graph.Measures), and TestCentralityMeasureEnumIsTheRegistry keeps them
// equal.
func measureOf(m CentralityMeasure) (graph.Measure, error) {
	info, ok := graph.LookupMeasure(graph.Measure(m))
	if !ok {
		return "", coopgraph.Errorf(coopgraph.EINVALID, "unknown measure %q", m)
	}
	return info.Name, nil
}

// seedArg is a seed argument as the engine takes it; a negative one is an
// EINVALID error.
func seedArg(seed int) (uint64, error) {
	if seed < 0 {
		return 0, coopgraph.Errorf(coopgraph.EINVALID, "seed must not be negative (got %d)", seed)
	}
	return uint64(seed), nil
}

// communityOptions turns the resolution and seed arguments of a community
// query into the engine's options: resolution 1 and seed 1 unless given,
// a resolution that is not positive refused.
func communityOptions(resolution *float64, seed *int, relationTypes []string) (graph.CommunityOptions, error) {
	opt := graph.CommunityOptions{Resolution: 1, Seed: 1, RelationTypes: relationTypes}
	if resolution != nil {
		if !(*resolution > 0) {
			return opt, coopgraph.Errorf(coopgraph.EINVALID, "resolution must be positive (got %v)", *resolution)
		}
		opt.Resolution = *resolution
	}
	if seed != nil {
		var err error
		if opt.Seed, err = seedArg(*seed); err != nil {
			return opt, err
		}
	}
	return opt, nil
}

// ranked reads the entities of scores, which start at place offset of the
// ranking, and numbers them from offset+1.
func (r *Resolver) ranked(ctx context.Context, scores []graph.Score, offset int, c graph.Certainty) ([]CentralityScore, error) {
	ids := make([]string, len(scores))
	for i, sc := range scores {
		ids[i] = sc.ID
	}
	es, err := r.entities(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]CentralityScore, len(scores))
	for i, sc := range scores {
		out[i] = CentralityScore{Rank: offset + i + 1, Score: sc.Score, Entity: es[i], Exact: c.Exact,
			ExactExpectedInSeconds: expectedIn(c)}
		out[i].Epsilon, out[i].Delta = bound(c)
	}
	return out, nil
}

// entity reads one entity from the store; an unknown id is NOT_FOUND.
func (r *Resolver) entity(ctx context.Context, id string) (*coopgraph.Entity, error) {
	es, err := r.entities(ctx, []string{id})
	if err != nil {
		return nil, err
	}
	return &es[0], nil
}

// limitResult refuses to return more than MaxFirst items when the client
// did not choose how many with first: the answer would be cut short
// silently or grow without bound.
func limitResult[N int | int64](what string, total N, first *int) error {
	if first == nil && total > MaxFirst {
		return coopgraph.Errorf(coopgraph.ELIMIT, "%d %s; without first at most %d are returned: give first (at most %d)",
			total, what, MaxFirst, MaxFirst)
	}
	return nil
}

// neighbourFilter turns the filter arguments of an entity's relations and
// neighbours into the stores' filter.
func neighbourFilter(relationTypes, kinds []string, activeFrom, activeTo *string) coopgraph.NeighbourFilter {
	return coopgraph.NeighbourFilter{RelationTypes: relationTypes, Kinds: kinds, ActiveFrom: deref(activeFrom), ActiveTo: deref(activeTo)}
}

// Cursors are opaque to clients: the base64 of "offset:" and the position
// of the item in the whole list. A position survives no change of the data
// (a new load may shift it), which is the usual bargain of offset cursors.
const cursorPrefix = "offset:"

func cursor(pos int) string {
	return base64.StdEncoding.EncodeToString([]byte(cursorPrefix + strconv.Itoa(pos)))
}

// pageArgs checks a connection's first and after: the page starts at
// offset and holds at most n items.
func pageArgs(first *int, after *string, def int) (offset, n int, err error) {
	if n, err = limitFirst(first, def); err != nil {
		return 0, 0, err
	}
	if after == nil {
		return 0, n, nil
	}
	b, err := base64.StdEncoding.DecodeString(*after)
	pos, perr := strconv.ParseUint(strings.TrimPrefix(string(b), cursorPrefix), 10, 31) // +1 cannot overflow
	if err != nil || !strings.HasPrefix(string(b), cursorPrefix) || perr != nil {
		return 0, 0, coopgraph.Errorf(coopgraph.EINVALID, "after: %q is not a cursor of this API (use an edge's cursor or pageInfo.endCursor)", *after)
	}
	return int(pos) + 1, n, nil
}

// pageInfo says where the page of count items from offset stands in a list
// of total.
func pageInfo(offset, count, total int) *PageInfo {
	p := &PageInfo{HasNextPage: offset+count < total, HasPreviousPage: offset > 0}
	if count > 0 {
		p.StartCursor, p.EndCursor = ptr(cursor(offset)), ptr(cursor(offset+count-1))
	}
	return p
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
	es, err := r.entities(ctx, unique)
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

// requested reports whether the query selects field (dot-separated for
// nested fields) under the field being resolved, through fragments and
// @skip/@include: what it does not ask for is not read from the store.
func requested(ctx context.Context, field string) bool {
	return graphql.FieldRequested(ctx, field)
}

// source is the document a relation or fact cites by id, from the served
// snapshot's dataset; nil when it cites none.
func (r *Resolver) source(ctx context.Context, id string) *coopgraph.Document {
	if id == "" {
		return nil
	}
	d := r.snapshot(ctx).Document(id)
	return &d
}

// sources are the documents an entity cites by id, in its order.
func (r *Resolver) sources(ctx context.Context, ids []string) []coopgraph.Document {
	snap := r.snapshot(ctx)
	out := make([]coopgraph.Document, len(ids))
	for i, id := range ids {
		out[i] = snap.Document(id)
	}
	return out
}

// regionPartnerPage answers regionPartners and regionPartnersPage: the
// engine's partner regions (computed once per snapshot and arguments, so a
// page asking for more of them computes nothing again), the first n read
// from the store, with the total (and every partner, for the programmes
// behind them all), so that a page never truncates silently.
func (r *queryResolver) regionPartnerPage(ctx context.Context, region string, level, first *int, activeFrom, activeTo *string, programmes []string) (*RegionPartnerPage, error) {
	n, err := limitFirst(first, 20)
	if err != nil {
		return nil, err
	}
	lvl := 2
	if level != nil {
		lvl = *level
	}
	all, err := r.snapshot(ctx).RegionPartners(ctx, region, graph.RegionPartnerOptions{Level: lvl, Window: window(activeFrom, activeTo), Programmes: programmes})
	if err != nil {
		return nil, err
	}
	partners := capped(all, n)
	ids := make([]string, len(partners))
	for i, p := range partners {
		ids[i] = p.Region
	}
	es, err := r.entityMap(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := &RegionPartnerPage{TotalCount: len(all), Partners: make([]RegionPartner, len(partners))}
	for i, p := range partners {
		out.Partners[i] = RegionPartner{Region: ptr(es[p.Region]), Projects: len(p.Projects), projects: p.Projects, programmes: p.Programmes}
	}
	out.all = all
	return out, nil
}

// programmeIDs is the union of the programmes behind every partner of the
// page's answer (not only the page's), ascending.
func (p *RegionPartnerPage) programmeIDs() []string {
	seen := map[string]bool{}
	var ids []string
	for _, rp := range p.all {
		for _, id := range rp.Programmes {
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	sort.Strings(ids)
	return ids
}
