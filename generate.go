package coopgraph

// The GraphQL code in schema/ is generated from schema/*.graphqls by gqlgen
// (configured in gqlgen.yml), then its lists are routed through
// schema.marshalList (see schema/internal/inlinelists); CI fails when
// `go generate ./...` leaves a diff.
//go:generate go tool gqlgen generate
//go:generate go run ./schema/internal/inlinelists schema/generated.go
