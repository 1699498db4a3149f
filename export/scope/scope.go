// Package scope chooses the part of the network an export writes: the
// whole graph, the paths between two entities, the neighbourhood of an
// entity, or a community. Paths, communities and scores come from the
// analytics snapshot, so that an export shows what the API answers; the
// HTTP handler and the CLI both read a scope through Parse (its rules and
// messages, spelled as each names its arguments) and choose through
// Network.Select, so that the same scope gives the same bytes.
package scope

import (
	"cmp"
	"context"
	"maps"
	"slices"
	"strings"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/export"
	"github.com/coopgraph/coopgraph/graph"
)

// Limits of a scope. Exceeding one is an ELIMIT error, never a silently
// smaller export.
const (
	// MaxDepth bounds a neighbourhood's depth: at depth 4 a neighbourhood
	// of a well-connected region is most of any real network.
	MaxDepth = 3
	// MaxNeighbourhoodRelations bounds the relations of a neighbourhood
	// (and so its entities, each reached by one of them): an interactive
	// view, not a bulk export (export the whole graph for that).
	MaxNeighbourhoodRelations = 50_000
	// MaxPaths bounds the shortest paths of Path.All, as the API's first.
	MaxPaths = 1000
	// MaxHops bounds Path.MaxHops, as the API's maxHops.
	MaxHops = 12
)

// Scope says what to export. At most one of Path, Neighbourhood and
// Community is set; none is the whole graph.
type Scope struct {
	Path          *Path
	Neighbourhood *Neighbourhood
	Community     *Community
	// RelationTypes keeps only relations of these types (empty: all):
	// those exported, and those the paths, the neighbourhood, the
	// communities and the scores are computed on. The whole graph keeps
	// every entity.
	RelationTypes []string
	// Measure, when set, adds each entity's centrality score, computed on
	// the whole network, as an attribute named after the measure in lower
	// case ("betweenness").
	Measure graph.Measure
}

// Path selects the entities and relations of the paths between From and
// To: one shortest path (the API's shortestPath), every shortest path
// (All), or the K shortest simple paths.
type Path struct {
	From, To string
	All      bool
	K        int
	// MaxHops bounds the length of the paths (0: unlimited).
	MaxHops int
	// Structural also follows the structural relations LOCATED_IN,
	// PART_OF and FUNDED_BY, which paths leave out by default (see
	// coopgraph.PathRelationTypes).
	Structural bool
}

// Neighbourhood selects an entity, every entity within Depth relations of
// it, and every relation among them (networkx's ego_graph with radius
// Depth, on the undirected multigraph). Each entity gets its distance from
// the centre as the attribute "depth".
type Neighbourhood struct {
	ID    string
	Depth int
}

// Community selects the members of one community of the Louvain partition
// (the API's communities with the same resolution and seed) and the
// relations among them. Index is 1 for the largest community, as the API
// and the CLI number them; each member gets it as the attribute
// "community".
type Community struct {
	Index      int
	Resolution float64 // 0 means 1
	Seed       uint64
}

// Network is what scopes are chosen from: the analytics snapshot, with its
// entities and relations indexed by entity for neighbourhoods and
// communities (the snapshot answers paths, communities and scores, and
// each entity and relation by id, but does not list them). It is
// immutable and safe for concurrent use.
type Network struct {
	snap      *graph.Snapshot
	entities  []coopgraph.Entity   // ascending id
	relations []coopgraph.Relation // ascending id
	entityAt  map[string]int32
	relAt     map[string]int32
	ends      [][2]int32 // relation index -> entity indexes of from, to
	// The relations touching entity i are incident[off[i]:off[i+1]],
	// ascending (a self-loop once).
	off      []int32
	incident []int32
}

// NewNetwork indexes snap, given ds, the dataset snap was built from, for
// its lists of ids. Everything a Network exports is the snapshot's own:
// entities and relations are read from snap, and ds must agree with it on
// every id and every relation's ends and type. A dataset that does not is
// an EUNAVAILABLE error: the store has changed since the snapshot was
// taken, and the next snapshot will agree with it.
func NewNetwork(snap *graph.Snapshot, ds *coopgraph.Dataset) (*Network, error) {
	changed := coopgraph.Errorf(coopgraph.EUNAVAILABLE, "the network is being reloaded; try again shortly")
	if len(ds.Entities) != snap.NumNodes() || len(ds.Relations) != snap.NumRelations() {
		return nil, changed
	}
	n := &Network{
		snap:      snap,
		entities:  make([]coopgraph.Entity, 0, len(ds.Entities)),
		relations: make([]coopgraph.Relation, 0, len(ds.Relations)),
		entityAt:  make(map[string]int32, len(ds.Entities)),
		relAt:     make(map[string]int32, len(ds.Relations)),
		ends:      make([][2]int32, len(ds.Relations)),
	}
	for _, e := range ds.Entities {
		own, ok := snap.Entity(e.ID)
		if !ok {
			return nil, changed
		}
		n.entities = append(n.entities, own)
	}
	for _, r := range ds.Relations {
		own, ok := snap.Relation(r.ID)
		if !ok || own.From != r.From || own.To != r.To || own.Type != r.Type {
			return nil, changed
		}
		n.relations = append(n.relations, own)
	}
	slices.SortFunc(n.entities, func(a, b coopgraph.Entity) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(n.relations, func(a, b coopgraph.Relation) int { return cmp.Compare(a.ID, b.ID) })
	for i, e := range n.entities {
		if i > 0 && e.ID == n.entities[i-1].ID {
			return nil, changed
		}
		n.entityAt[e.ID] = int32(i)
	}
	// A merged record's id finds the entity it was merged into, as in
	// the stores and the snapshot (neighbourhood=nuts:PL21).
	for i, e := range n.entities {
		for _, r := range e.Records {
			if _, own := n.entityAt[r.ID]; !own && r.ID != "" {
				n.entityAt[r.ID] = int32(i)
			}
		}
	}
	deg := make([]int32, len(n.entities)+1)
	for i, r := range n.relations {
		if i > 0 && r.ID == n.relations[i-1].ID {
			return nil, changed
		}
		n.relAt[r.ID] = int32(i)
		// Both ends are entities: the snapshot holds only such relations.
		u, v := n.entityAt[r.From], n.entityAt[r.To]
		n.ends[i] = [2]int32{u, v}
		deg[u+1]++
		if v != u {
			deg[v+1]++
		}
	}
	for i := 1; i < len(deg); i++ {
		deg[i] += deg[i-1]
	}
	n.off = deg
	n.incident = make([]int32, deg[len(deg)-1])
	fill := slices.Clone(deg[:len(deg)-1])
	for i, e := range n.ends {
		u, v := e[0], e[1]
		n.incident[fill[u]] = int32(i)
		fill[u]++
		if v != u {
			n.incident[fill[v]] = int32(i)
			fill[v]++
		}
	}
	return n, nil
}

// Select returns the subgraph sc describes, in id order. Its entities and
// relations share their aliases, properties and other slices and maps
// with the Network: read them, never modify them. Unknown ids are
// ENOTFOUND errors, and so is a path query that finds no path and a
// community index beyond the partition; bad arguments are EINVALID errors
// and limits exceeded ELIMIT errors, each naming the argument.
func (n *Network) Select(ctx context.Context, sc Scope) (*export.Subgraph, error) {
	set := 0
	for _, on := range []bool{sc.Path != nil, sc.Neighbourhood != nil, sc.Community != nil} {
		if on {
			set++
		}
	}
	if set > 1 {
		return nil, coopgraph.Errorf(coopgraph.EINVALID, "choose one of path, neighbourhood and community, not several")
	}
	if err := coopgraph.CheckRelationTypes(sc.RelationTypes); err != nil {
		return nil, err
	}
	keep := coopgraph.StringSet(sc.RelationTypes)
	var sub *export.Subgraph
	var err error
	switch {
	case sc.Path != nil:
		sub, err = n.paths(ctx, *sc.Path, sc.RelationTypes)
	case sc.Neighbourhood != nil:
		sub, err = n.neighbourhood(*sc.Neighbourhood, keep)
	case sc.Community != nil:
		sub, err = n.community(ctx, *sc.Community, sc.RelationTypes, keep)
	default:
		sub = n.whole(keep)
	}
	if err != nil {
		return nil, err
	}
	sub.Credits = n.snap.Credits()
	sub.Documents = n.snap.Documents()
	if sc.Measure != "" {
		scores, err := n.snap.Centrality(ctx, sc.Measure, graph.CentralityOptions{RelationTypes: sc.RelationTypes})
		if err != nil {
			return nil, err
		}
		values := make(map[string]float64, len(sub.Entities))
		in := make(map[string]bool, len(sub.Entities))
		for _, e := range sub.Entities {
			in[e.ID] = true
		}
		for _, s := range scores {
			if in[s.ID] {
				values[s.ID] = s.Score
			}
		}
		sub.Attributes = append(sub.Attributes, export.DoubleAttribute(strings.ToLower(string(sc.Measure)), values))
	}
	return sub, nil
}

// kept reports whether relation r passes the type filter (nil: all).
func (n *Network) kept(keep map[string]bool, r int32) bool {
	return keep == nil || keep[n.relations[r].Type]
}

func (n *Network) whole(keep map[string]bool) *export.Subgraph {
	sub := &export.Subgraph{Entities: slices.Clone(n.entities)}
	if keep == nil {
		sub.Relations = slices.Clone(n.relations)
		return sub
	}
	for i := range n.relations {
		if n.kept(keep, int32(i)) {
			sub.Relations = append(sub.Relations, n.relations[i])
		}
	}
	return sub
}

func (n *Network) paths(ctx context.Context, p Path, types []string) (*export.Subgraph, error) {
	switch {
	case p.MaxHops < 0:
		return nil, coopgraph.Errorf(coopgraph.EINVALID, "maxHops must not be negative (got %d)", p.MaxHops)
	case p.MaxHops > MaxHops:
		return nil, coopgraph.Errorf(coopgraph.ELIMIT, "maxHops is %d; the limit is %d", p.MaxHops, MaxHops)
	case p.K < 0:
		return nil, coopgraph.Errorf(coopgraph.EINVALID, "k must be positive (got %d)", p.K)
	case p.All && p.K > 0:
		return nil, coopgraph.Errorf(coopgraph.EINVALID, "choose every shortest path (all) or the k shortest, not both")
	}
	opt := graph.PathOptions{RelationTypes: coopgraph.PathRelationTypes(types, p.Structural), MaxHops: p.MaxHops}
	var paths []graph.Path
	var err error
	switch {
	case p.K > 0:
		paths, err = n.snap.KShortestPaths(ctx, p.From, p.To, p.K, opt)
	case p.All:
		var total int64
		paths, total, err = n.snap.AllShortestPaths(p.From, p.To, opt, MaxPaths)
		if err == nil && total > MaxPaths {
			return nil, coopgraph.Errorf(coopgraph.ELIMIT, "there are %d shortest paths; the limit is %d: keep fewer relation types, or ask for the k shortest", total, MaxPaths)
		}
	default:
		var one *graph.Path
		if one, err = n.snap.ShortestPath(p.From, p.To, opt); one != nil {
			paths = []graph.Path{*one}
		}
	}
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, coopgraph.Errorf(coopgraph.ENOTFOUND, "no path links %q and %q under these constraints", p.From, p.To)
	}
	ents, rels := map[int32]bool{}, map[int32]bool{}
	for _, path := range paths {
		for _, id := range path.Nodes {
			i, ok := n.entityAt[id]
			if !ok {
				return nil, errChanged
			}
			ents[i] = true
		}
		for _, hop := range path.Hops { // every parallel relation of a hop: its sources
			for _, id := range hop {
				i, ok := n.relAt[id]
				if !ok {
					return nil, errChanged
				}
				rels[i] = true
			}
		}
	}
	return n.subgraph(ents, rels), nil
}

// errChanged is what a snapshot answer naming an id the dataset does not
// hold means: the two are from different loads.
var errChanged = coopgraph.Errorf(coopgraph.EUNAVAILABLE, "the network is being reloaded; try again shortly")

func (n *Network) neighbourhood(nb Neighbourhood, keep map[string]bool) (*export.Subgraph, error) {
	centre, ok := n.entityAt[nb.ID]
	if !ok {
		return nil, coopgraph.Errorf(coopgraph.ENOTFOUND, "unknown entity id %q", nb.ID)
	}
	switch {
	case nb.Depth < 0:
		return nil, coopgraph.Errorf(coopgraph.EINVALID, "depth must not be negative (got %d)", nb.Depth)
	case nb.Depth > MaxDepth:
		return nil, coopgraph.Errorf(coopgraph.ELIMIT, "depth is %d; the limit is %d", nb.Depth, MaxDepth)
	}
	tooMany := func() error {
		return coopgraph.Errorf(coopgraph.ELIMIT, "the neighbourhood of %q at depth %d has more than %d relations: lower the depth or keep fewer relation types",
			nb.ID, nb.Depth, MaxNeighbourhoodRelations)
	}
	// Breadth-first: every relation followed from an entity closer than
	// Depth has both ends in the neighbourhood, so counting them bounds
	// the work before the limit is known to be exceeded.
	depth := map[int32]int{centre: 0}
	rels := map[int32]bool{}
	frontier := []int32{centre}
	for d := 1; d <= nb.Depth && len(frontier) > 0; d++ {
		var next []int32
		for _, u := range frontier {
			for _, r := range n.incident[n.off[u]:n.off[u+1]] {
				if !n.kept(keep, r) {
					continue
				}
				rels[r] = true
				if len(rels) > MaxNeighbourhoodRelations {
					return nil, tooMany()
				}
				v := n.other(u, r)
				if _, seen := depth[v]; !seen {
					depth[v] = d
					next = append(next, v)
				}
			}
		}
		frontier = next
	}
	// The relations among the outermost entities.
	for _, u := range frontier {
		for _, r := range n.incident[n.off[u]:n.off[u+1]] {
			if _, in := depth[n.other(u, r)]; in && n.kept(keep, r) {
				rels[r] = true
				if len(rels) > MaxNeighbourhoodRelations {
					return nil, tooMany()
				}
			}
		}
	}
	ents := make(map[int32]bool, len(depth))
	values := make(map[string]int, len(depth))
	for u, d := range depth {
		ents[u] = true
		values[n.entities[u].ID] = d
	}
	sub := n.subgraph(ents, rels)
	sub.Attributes = []export.Attribute{export.IntAttribute("depth", values)}
	return sub, nil
}

func (n *Network) community(ctx context.Context, c Community, types []string, keep map[string]bool) (*export.Subgraph, error) {
	if c.Index < 1 {
		return nil, coopgraph.Errorf(coopgraph.EINVALID, "community must be at least 1, the largest (got %d)", c.Index)
	}
	part, err := n.snap.Communities(ctx, graph.CommunityOptions{Resolution: c.Resolution, Seed: c.Seed, RelationTypes: types})
	if err != nil {
		return nil, err
	}
	if c.Index > len(part.Groups) {
		return nil, coopgraph.Errorf(coopgraph.ENOTFOUND, "there is no community %d: the partition has %d", c.Index, len(part.Groups))
	}
	ents, rels := map[int32]bool{}, map[int32]bool{}
	values := map[string]int{}
	for _, id := range part.Groups[c.Index-1] {
		u, ok := n.entityAt[id]
		if !ok {
			return nil, errChanged
		}
		ents[u] = true
		values[id] = c.Index
	}
	for u := range ents {
		for _, r := range n.incident[n.off[u]:n.off[u+1]] {
			if ents[n.other(u, r)] && n.kept(keep, r) {
				rels[r] = true
			}
		}
	}
	sub := n.subgraph(ents, rels)
	sub.Attributes = []export.Attribute{export.IntAttribute("community", values)}
	return sub, nil
}

// other is the end of relation r that is not entity u (u for a self-loop).
func (n *Network) other(u, r int32) int32 {
	if e := n.ends[r]; e[0] != u {
		return e[0]
	}
	return n.ends[r][1]
}

// subgraph lists the chosen entities and relations in id order.
func (n *Network) subgraph(ents, rels map[int32]bool) *export.Subgraph {
	sub := &export.Subgraph{
		Entities:  make([]coopgraph.Entity, 0, len(ents)),
		Relations: make([]coopgraph.Relation, 0, len(rels)),
	}
	for _, u := range slices.Sorted(maps.Keys(ents)) {
		sub.Entities = append(sub.Entities, n.entities[u])
	}
	for _, r := range slices.Sorted(maps.Keys(rels)) {
		sub.Relations = append(sub.Relations, n.relations[r])
	}
	return sub
}
