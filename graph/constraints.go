package graph

import (
	"math"
	"slices"

	"github.com/coopgraph/coopgraph"
)

// query is a PathOptions validated for one pair of entities: every path
// search (ShortestPath, AllShortestPaths, KShortestPaths, each spur search
// of Yen's algorithm) reads its constraints from here.
//
// Constraints on relations (types, window) decide whether a relation
// exists at all: they also define the degrees of WeightHub. Constraints on
// entities (kinds, avoid) only say where a path may pass: a path's two
// endpoints are always allowed.
type query struct {
	s        *Snapshot
	src, dst int32

	types     []bool  // relation type mask, nil: all
	win       *window // nil: no window
	relFilter bool    // types != nil || win != nil
	inline    bool    // the relation attributes are in the words

	kinds []bool  // allowed kinds of intermediates, indexed like s.kinds; nil: all
	avoid []int32 // entities no path passes through, ascending
	// members are the entities a filter lets a path pass through; nil: all.
	members *Members

	maxHops int // 0: unlimited
	weight  Weighting
	prop    *propWeights // Weight == WeightProperty
}

// compile validates opt for a path from -> to. The checks come in a fixed
// order, so that a query with several mistakes always reports the same:
// endpoints (ENOTFOUND), relation types, maxHops, kinds, avoided entities
// (ENOTFOUND for an unknown id, EINVALID for an endpoint), window, weight.
func (s *Snapshot) compile(from, to string, opt PathOptions) (*query, error) {
	q := &query{s: s, maxHops: opt.MaxHops, weight: opt.Weight, members: opt.Members}
	var err error
	if q.src, err = s.node(from); err != nil {
		return nil, err
	}
	if q.dst, err = s.node(to); err != nil {
		return nil, err
	}
	if q.types, err = s.typeFilter(opt.RelationTypes); err != nil {
		return nil, err
	}
	if opt.MaxHops < 0 {
		return nil, coopgraph.Errorf(coopgraph.EINVALID, "%s must not be negative, got %d", coopgraph.Option("maxHops"), opt.MaxHops)
	}
	if q.kinds, err = s.kindFilter(opt.Kinds); err != nil {
		return nil, err
	}
	for _, id := range opt.Avoid {
		x, err := s.node(id)
		if err != nil {
			return nil, err
		}
		if x == q.src || x == q.dst {
			return nil, coopgraph.Errorf(coopgraph.EINVALID, "avoid lists %q, an endpoint of the path", id)
		}
		q.avoid = append(q.avoid, x)
	}
	slices.Sort(q.avoid)
	q.avoid = slices.Compact(q.avoid)
	if q.win, err = parseWindow(opt.Window); err != nil {
		return nil, err
	}
	if q.win, err = q.filterWindow(); err != nil {
		return nil, err
	}
	q.relFilter = q.types != nil || q.win != nil
	q.inline = s.attr16 == nil && s.attr32 == nil
	switch opt.Weight {
	case WeightHops, WeightHub:
		if opt.WeightProperty != "" {
			return nil, coopgraph.Errorf(coopgraph.EINVALID, "%s %q is only read with %s %s", coopgraph.Option("weightProperty"), opt.WeightProperty, coopgraph.Option("weight"), WeightProperty)
		}
	case WeightProperty:
		if opt.WeightProperty == "" {
			return nil, coopgraph.Errorf(coopgraph.EINVALID, "%s %s needs a %s", coopgraph.Option("weight"), WeightProperty, coopgraph.Option("weightProperty"))
		}
		q.prop = s.weights.get(s, opt.WeightProperty)
		if err := q.prop.check(q); err != nil {
			return nil, err
		}
	default:
		return nil, coopgraph.Errorf(coopgraph.EINVALID, "unknown %s %q: use %q (hops), %s or %s", coopgraph.Option("weight"), opt.Weight, WeightHops, WeightProperty, WeightHub)
	}
	return q, nil
}

// kindFilter turns a list of kinds into a mask indexed like s.kinds; nil
// allows every kind. A kind of the vocabulary that no entity has is valid
// and allows nothing; any other kind is an EINVALID error.
func (s *Snapshot) kindFilter(kinds []string) ([]bool, error) {
	if len(kinds) == 0 {
		return nil, nil
	}
	allow := make([]bool, len(s.kinds))
	for _, k := range kinds {
		if !coopgraph.IsKind(k) {
			return nil, coopgraph.Errorf(coopgraph.EINVALID, "unknown kind %q in %s", k, coopgraph.Option("viaKinds"))
		}
		if i, found := slices.BinarySearch(s.kinds, k); found {
			allow[i] = true
		}
	}
	return allow, nil
}

// relOK reports whether relation r passes the relation constraints.
func (q *query) relOK(r int32) bool {
	return !q.relFilter || q.keep(r, q.s.word[r])
}

// keep is relOK for a relation whose word x the caller has read: the
// type, and the period when there is a window, come from x when the
// attributes are inline.
func (q *query) keep(r, x int32) bool {
	s := q.s
	a := uint32(x&math.MaxInt32) >> s.nodeBits
	if !q.inline {
		a = s.attr(r)
	}
	if q.types != nil && !q.types[a&(1<<s.typeBits-1)] {
		return false
	}
	if q.win != nil {
		p := &s.periods[a>>s.typeBits]
		return p.start <= q.win.to && p.end >= q.win.from
	}
	return true
}

// kindOK reports whether x may be an intermediate of a path by its kind.
func (q *query) kindOK(x int32) bool {
	return q.kinds == nil || q.kinds[q.s.kindOf[x]]
}

// filterWindow is the query's window narrowed to its filter's period (see
// PathOptions.Members): a path's relations must be active in both.
func (q *query) filterWindow() (*window, error) {
	fw, err := parseWindow(q.members.Window())
	switch {
	case err != nil:
		return nil, err
	case fw == nil:
		return q.win, nil
	case q.win == nil:
		return fw, nil
	}
	w := &window{from: max(q.win.from, fw.from), to: min(q.win.to, fw.to)}
	if w.from > w.to {
		return nil, coopgraph.Errorf(coopgraph.EINVALID, "the filter's period does not meet %s and %s", coopgraph.Option("activeFrom"), coopgraph.Option("activeTo"))
	}
	return w, nil
}
