// Package graph is the in-memory analytics engine of coopgraph: shortest
// paths and centrality over an immutable Snapshot of the cooperation
// network.
//
// The network is treated as undirected. Paths run over the multigraph of
// relations: two relations between the same pair of entities are two
// distinct edges, and so two distinct paths, as Neo4j's allShortestPaths
// counts them. Centrality runs over the simple graph networkx builds with
// nx.Graph(): parallel relations collapse to one edge, and every measure
// reproduces networkx's default parameters and floating-point evaluation
// order, so scores agree with networkx 2.8/3.x to rounding, most of them
// bit for bit.
//
// The package imports only the domain package and the standard library.
//
// References:
//
//   - U. Brandes, A faster algorithm for betweenness centrality, Journal of
//     Mathematical Sociology 25(2):163–177, 2001.
//   - A. Hagberg, D. Schult, P. Swart, Exploring network structure, dynamics,
//     and function using NetworkX, SciPy 2008 (networkx 2.8.8 source, the
//     version the reference fixtures in testdata were computed with).
package graph
