package schema

import (
	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/graph"
)

// Path is a path as the API returns it: entities and relations resolved.
type Path struct {
	Length    int
	Cost      float64
	Text      string
	Nodes     []coopgraph.Entity
	Relations []coopgraph.Relation
	Hops      []Hop
}

// CentralityScore is one row of a centrality ranking.
type CentralityScore struct {
	Rank    int
	Score   float64
	Entity  coopgraph.Entity
	Exact   bool
	Epsilon *float64
	Delta   *float64
	// ExactExpectedInSeconds: see CentralityConnection's.
	ExactExpectedInSeconds *float64
}

// CommunityPartition holds the communities as ids; members are read from
// the store only for the communities and members a query asks for.
type CommunityPartition struct {
	Modularity float64
	Count      int
	groups     [][]string
}

// Community is one community of a partition.
type Community struct {
	Index int
	Size  int
	ids   []string
}

// ComponentList holds the connected components as ids.
type ComponentList struct {
	Count      int
	Components []Component
}

// Component is one connected component.
type Component struct {
	Size int
	ids  []string
}

// RegionPartner is a partner region with the ids behind its count, read
// from the store only when the query asks for them.
type RegionPartner struct {
	Region     *coopgraph.Entity
	Projects   int
	projects   []string
	programmes []string
}

// RegionPartnerPage is a page of partner regions with their total count
// and every partner the engine found (shared, read-only), whose
// programmes are read from the store only when the query asks for them.
type RegionPartnerPage struct {
	TotalCount int
	Partners   []RegionPartner
	all        []graph.RegionPartner
}
