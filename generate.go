package coopgraph

// The GraphQL code in schema/ is generated from schema/*.graphqls by gqlgen
// (configured in gqlgen.yml); CI fails when `go generate ./...` leaves a diff.
//go:generate go tool gqlgen generate
