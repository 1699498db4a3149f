package coopgraph

import "slices"

// KindInfo is one word of the vocabulary: a kind of entity (Kinds) or a
// relation type (RelationTypes), with the description README.md gives it.
// The vocabulary is fixed so that queries, colours and rankings mean the
// same on every dataset; it is documented in README.md (a test keeps them
// equal) and a dataset using any other kind or type does not validate.
type KindInfo struct {
	Name        string
	Description string
}

// Kinds lists every entity kind, in the order the README documents them.
var Kinds = []KindInfo{
	{"Region", "A region or its self-government: a voivodeship, an autonomous community, a province, a euroregion's member area."},
	{"Country", "A state, e.g. Poland (CORDIS country codes become Country entities)."},
	{"City", "A city or municipality as a place (its administration is an Organisation)."},
	{"Network", "A network, association, platform, alliance, consortium, initiative or euroregion that others join."},
	{"Project", "A project or a pilot action with partners, a duration and usually a funding programme."},
	{"Organisation", "An organisation: an administration, department, office, representation, company, cluster, university, chamber."},
	{"Programme", "A funding programme or fund (Horizon 2020, Interreg Europe, the Single Market Programme…)."},
	{"Person", "A named person."},
	{"Agreement", "A signed agreement, letter of intent or declaration."},
	{"Event", "A meeting, conference, convention or workshop (dated where the source gives a date)."},
	{"Strategy", "A strategy, action plan, policy or resolution that is neither a signed agreement nor a funding programme."},
}

// RelationTypes lists every relation type with the direction it is written in.
var RelationTypes = []KindInfo{
	{"MEMBER_OF", "from is a member of the network to (role: founding, initiating, supporting, full member…; start: date joined)."},
	{"PARTICIPATES_IN", "from takes part in the project, network activity or event to (role: lead, coordinator, partner)."},
	{"FUNDED_BY", "the project from is funded by the programme or fund to."},
	{"PART_OF", "from is part of to: a department of its administration, a pilot action of its initiative, a region of its country."},
	{"LOCATED_IN", "from is located in the region, city or country to."},
	{"FOUNDED", "from initiated, founded or co-founded to (role: initiator, co-founder)."},
	{"SIGNED", "from signed the agreement to (start: date signed)."},
	{"COOPERATES_WITH", "from met or cooperates with to (start: date of the meeting)."},
	{"REPRESENTS", "the office or person from represents to (e.g. a regional office in Brussels)."},
	{"WORKS_FOR", "the person from works for or leads the organisation to (role: position)."},
	{"ORGANISED", "from organised or hosted the event or call to."},
	{"PRESENTED", "from presented to at an event: from is the event or presenter, to what was presented."},
	{"CONCERNS", "the network, event, project or strategy from is about, gives opinions on or works towards to (a programme, policy or network)."},
	{"SUPPORTS", "from supports or sponsors to without being a member or partner (e.g. a public call for a network's activities)."},
}

var (
	kindSet         = infoSet(Kinds)
	relationTypeSet = infoSet(RelationTypes)
)

func infoSet(infos []KindInfo) map[string]bool {
	m := make(map[string]bool, len(infos))
	for _, k := range infos {
		m[k.Name] = true
	}
	return m
}

// IsKind reports whether k is a kind of the vocabulary.
func IsKind(k string) bool { return kindSet[k] }

// IsRelationType reports whether t is a relation type of the vocabulary.
func IsRelationType(t string) bool { return relationTypeSet[t] }

// Property names with a meaning of their own in a store (an entity's or a
// relation's fixed fields, the stores' bookkeeping); a dataset cannot use
// them as free-form property names.
var (
	reservedEntityProperties = map[string]bool{
		"id": true, "kind": true, "name": true, "aliases": true, "documents": true, "facts": true,
		"searchText": true, "searchNames": true, "searchOrder": true, "datasets": true,
		"records": true, "recordIds": true,
	}
	reservedRelationProperties = map[string]bool{
		"id": true, "type": true, "from": true, "to": true, "source": true, "target": true, "role": true,
		"start": true, "end": true, "document": true, "quote": true, "dataset": true,
	}
)

// IsReservedEntityProperty reports whether name cannot be an entity's
// free-form property.
func IsReservedEntityProperty(name string) bool { return reservedEntityProperties[name] }

// IsReservedRelationProperty reports whether name cannot be a relation's
// free-form property.
func IsReservedRelationProperty(name string) bool { return reservedRelationProperties[name] }

// StructuralRelationTypes are the relation types that say where an entity
// is, what it belongs to or who pays for it rather than whom it works
// with: LOCATED_IN (an organisation in its town, region or country),
// PART_OF (a region of its country, a NUTS region of the level above, a
// department of its administration) and FUNDED_BY (a project of its
// programme or programme part). They join everything: on the linked
// network every organisation is two hops from every other of its country
// through "located in → Poland ← located in", and every Horizon 2020
// project two hops from the thousands of others of its programme part
// (measured on 15 pairs of organisations in different countries: 9 of
// their shortest paths without LOCATED_IN and PART_OF still ran "project
// → funded by Innovation in SMEs ← project"), which says nothing about
// cooperation. Paths (shortestPath, allShortestPaths, kShortestPaths,
// shortestPathSubgraph, the CLI's path, exports by path) leave them out
// unless asked (PathRelationTypes). REPRESENTS (an office representing a
// region), WORKS_FOR (a person and an organisation) and CONCERNS (what a
// network or event works on) are not structural: they are ties between
// few entities that an analyst follows.
var StructuralRelationTypes = []string{"LOCATED_IN", "PART_OF", "FUNDED_BY"}

// IsStructural reports whether t is one of StructuralRelationTypes.
func IsStructural(t string) bool { return slices.Contains(StructuralRelationTypes, t) }

// PathRelationTypes returns the relation types a path query follows:
// without structural, the types the request names (structural ones
// included: naming LOCATED_IN is asking for it), or, when it names none,
// every type of the vocabulary but the structural ones, in the
// vocabulary's order; with structural, the named types and the structural
// ones, or nil (no filter: every type) when it names none.
func PathRelationTypes(types []string, structural bool) []string {
	switch {
	case len(types) > 0 && structural:
		out := slices.Clone(types)
		for _, t := range StructuralRelationTypes {
			if !slices.Contains(out, t) {
				out = append(out, t)
			}
		}
		return out
	case len(types) > 0:
		return types
	case structural:
		return nil
	}
	out := make([]string, 0, len(RelationTypes))
	for _, t := range RelationTypes {
		if !IsStructural(t.Name) {
			out = append(out, t.Name)
		}
	}
	return out
}
