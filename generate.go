package coopgraph

// The GraphQL code in schema/ is generated from schema/*.graphqls by gqlgen
// (configured in gqlgen.yml), then its lists are routed through
// schema.marshalList (see schema/internal/inlinelists); CI fails when
// `go generate ./...` leaves a diff. First, the enum of centrality
// measures in the schema and their table in README.md are written from the
// registry graph.Measures (see graph/internal/measuredocs). Last, the
// built-in sources are linked into the network the binary serves by
// default (data/linked.bin.gz; see sources/compiled.go).
//go:generate go run ./graph/internal/measuredocs schema/schema.graphqls README.md web/page/src/measures.gen.js
//go:generate go tool gqlgen generate
//go:generate go run ./schema/internal/inlinelists schema/generated.go
//go:generate go run ./sources/internal/compile data/linked.bin.gz
