package schema

import "github.com/coopgraph/coopgraph"

// Path is a path as the API returns it: entities and relations resolved.
type Path struct {
	Length    int
	Nodes     []coopgraph.Entity
	Relations []coopgraph.Relation
}

// CentralityScore is one row of a centrality ranking.
type CentralityScore struct {
	Rank   int
	Score  float64
	Entity coopgraph.Entity
}
