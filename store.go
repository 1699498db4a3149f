package coopgraph

import "context"

// Store answers the questions the API asks of the stored network. Two
// implementations exist, the embedded in-process store and Neo4j, and both
// give identical answers: same entities, same order.
type Store interface {
	// Search returns the entities whose name or an alias matches text,
	// best first (see SearchRank), at most first of them; kinds, when not
	// empty, keeps only those kinds.
	Search(ctx context.Context, text string, kinds []string, first int) ([]Entity, error)
	// Entities returns the entities with the given ids, in the same order;
	// an id that does not exist is an ENOTFOUND error naming it. An id
	// that is no entity's but the id of one of an entity's Records (a
	// record merged into it by the linked network, e.g. nuts:PL21 kept as
	// malopolskie) gives that entity, so that old links keep working.
	Entities(ctx context.Context, ids []string) ([]Entity, error)
	// Relations returns the relations touching id, in either direction,
	// that pass f, in LessNeighbour order: the page of at most first of
	// them (all when first < 0) from offset, and how many pass in all. An
	// unknown id is an ENOTFOUND error naming it; a bad filter EINVALID.
	Relations(ctx context.Context, id string, f NeighbourFilter, offset, first int) ([]Relation, int, error)
	// Neighbours returns the distinct entities at the other end of the
	// relations touching id that pass f, ordered by id, each with those
	// relations (in LessNeighbour order): the page of at most first
	// entities (all when first < 0) from offset, and how many there are in
	// all. An entity with a relation to itself is its own neighbour.
	Neighbours(ctx context.Context, id string, f NeighbourFilter, offset, first int) ([]Neighbour, int, error)
	// Dataset returns everything the store holds, for building the
	// analytics snapshot. It, Version and the reads above return a
	// *NotServableError while the store holds a load that has not
	// completed.
	Dataset(ctx context.Context) (*Dataset, error)
	// Version names the state of the stored network: it changes whenever
	// a new load lands, so that a change can be noticed without reading
	// everything. A store that never changes returns a constant.
	Version(ctx context.Context) (string, error)
	// Ready reports whether the store can answer (the database is reachable).
	Ready(ctx context.Context) error
	Close(ctx context.Context) error
}

// LessNeighbour orders the relations touching id as both stores list them:
// by the entity at the other end, then relation type, then relation id.
func LessNeighbour(id string, a, b Relation) bool {
	oa, ob := a.Other(id), b.Other(id)
	if oa != ob {
		return oa < ob
	}
	if a.Type != b.Type {
		return a.Type < b.Type
	}
	return a.ID < b.ID
}

// Other returns the id at the other end of r from id.
func (r Relation) Other(id string) string {
	if r.From == id {
		return r.To
	}
	return r.From
}

// CheckRelationTypes returns an EINVALID error naming the first type that is
// not in the vocabulary.
func CheckRelationTypes(types []string) error {
	for _, t := range types {
		if !IsRelationType(t) {
			return Errorf(EINVALID, "unknown relation type %q", t)
		}
	}
	return nil
}

// CheckKinds returns an EINVALID error naming the first kind that is not in
// the vocabulary.
func CheckKinds(kinds []string) error {
	for _, k := range kinds {
		if !IsKind(k) {
			return Errorf(EINVALID, "unknown kind %q", k)
		}
	}
	return nil
}

// StringSet returns the set of ss (nil for none).
func StringSet(ss []string) map[string]bool {
	if len(ss) == 0 {
		return nil
	}
	m := make(map[string]bool, len(ss))
	for _, s := range ss {
		m[s] = true
	}
	return m
}

// Neighbour is an entity next to another, with the relations linking them.
type Neighbour struct {
	Entity    Entity
	Relations []Relation
}

// NeighbourFilter selects among the relations touching an entity. The zero
// value keeps them all.
type NeighbourFilter struct {
	// RelationTypes keeps only relations of these types (all when empty).
	RelationTypes []string
	// Kinds keeps only relations whose other end is of these kinds.
	Kinds []string
	// ActiveFrom and ActiveTo keep only relations active at some moment
	// between them (dates YYYY, YYYY-MM or YYYY-MM-DD; either may be empty
	// for an open end), with the meaning the analytics engine gives a time
	// window (graph.TimeWindow): a relation is active from the first day of
	// its start to the last day of its end, and an undated relation is
	// always active.
	ActiveFrom, ActiveTo string
}

// Check returns an EINVALID error naming the first unknown relation type or
// kind, a date that is not a real calendar date, or a window that ends
// before it starts.
func (f NeighbourFilter) Check() error {
	if err := CheckRelationTypes(f.RelationTypes); err != nil {
		return err
	}
	if err := CheckKinds(f.Kinds); err != nil {
		return err
	}
	for _, d := range []struct{ name, date string }{{"activeFrom", f.ActiveFrom}, {"activeTo", f.ActiveTo}} {
		if d.date != "" && !ValidDate(d.date) {
			return Errorf(EINVALID, "bad date %q in %s: use YYYY, YYYY-MM or YYYY-MM-DD, a real calendar date", d.date, d.name)
		}
	}
	if f.ActiveFrom != "" && f.ActiveTo != "" && !DateOnOrBefore(f.ActiveFrom, f.ActiveTo) {
		return Errorf(EINVALID, "activeFrom %q is after activeTo %q", f.ActiveFrom, f.ActiveTo)
	}
	return nil
}

// Keeps reports whether r, whose other end is of kind otherKind, passes f
// (checked with Check).
func (f NeighbourFilter) Keeps(r Relation, otherKind string) bool {
	if len(f.RelationTypes) > 0 && !contains(f.RelationTypes, r.Type) {
		return false
	}
	if len(f.Kinds) > 0 && !contains(f.Kinds, otherKind) {
		return false
	}
	return Active(r, f.ActiveFrom, f.ActiveTo)
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// Active reports whether r is active at some moment between from and to
// (either may be empty for an open end): its start is on or before to and
// its end on or after from, each date read as the whole period it names.
func Active(r Relation, from, to string) bool {
	return (r.Start == "" || to == "" || DateOnOrBefore(r.Start, to)) &&
		(r.End == "" || from == "" || DateOnOrBefore(from, r.End))
}

// DateOnOrBefore reports whether the first day of date a is on or before
// the last day of date b, both valid dates. A date names a period (a year,
// a month or a day), and two periods overlap in that way exactly when they
// compare so at the coarser of their precisions: "2013-05" is on or before
// "2013", "2014" is not on or before "2013-12". Stores compare the same way
// in their own query language (neo4jstore does it in Cypher with left()).
func DateOnOrBefore(a, b string) bool {
	k := min(len(a), len(b))
	return a[:k] <= b[:k]
}

// ValidDate reports whether s is YYYY, YYYY-MM or YYYY-MM-DD naming a real
// calendar date (2023-02-30 is not).
func ValidDate(s string) bool {
	if len(s) != 4 && len(s) != 7 && len(s) != 10 {
		return false
	}
	num := 0
	var parts []int
	for i := 0; i <= len(s); i++ {
		if i == len(s) || i == 4 || i == 7 {
			if i < len(s) && s[i] != '-' {
				return false
			}
			parts = append(parts, num)
			num = 0
			continue
		}
		if s[i] < '0' || s[i] > '9' {
			return false
		}
		num = num*10 + int(s[i]-'0')
	}
	if len(parts) >= 2 && (parts[1] < 1 || parts[1] > 12) {
		return false
	}
	if len(parts) == 3 {
		y, m, d := parts[0], parts[1], parts[2]
		days := 31
		switch m {
		case 4, 6, 9, 11:
			days = 30
		case 2:
			days = 28
			if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
				days = 29
			}
		}
		return d >= 1 && d <= days
	}
	return true
}

// InProcess is implemented by stores that answer from the process's own
// memory. The API holds entity reads back for a moment to batch them into
// one call, which saves round trips to a database; an in-process store has
// none to save, so its reads go straight through.
type InProcess interface{ InProcess() }

// NotServableError is what a store answers while it holds a network it must
// not serve: a load has begun and not completed (it still runs, or it was
// stopped before its end), so what is stored is part old, part new. Its
// code is UNAVAILABLE and Reason says what to do; a server keeps serving the
// last complete network it read, and one that has none waits for a
// complete load.
type NotServableError struct{ Reason string }

func (e *NotServableError) Error() string { return e.Reason }

// Unwrap makes it an UNAVAILABLE *Error to ErrorCode and ErrorMessage.
func (e *NotServableError) Unwrap() error { return &Error{Code: EUNAVAILABLE, Message: e.Reason} }
