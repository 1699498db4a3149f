package storetest

import (
	"os"
	"testing"
)

// Neo4jEnv is the test Neo4j server named by the environment (NEO4J_URI,
// NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE), as `scripts/neo4j start`
// writes it. It holds plain strings, not a neo4jstore.Config, so that
// neo4jstore's own tests can use it without an import cycle.
type Neo4jEnv struct {
	URI, User, Password, Database string
}

// Neo4j returns the test Neo4j server of the environment. Without
// NEO4J_URI it skips t (a plain `go test` needs no database), unless
// COOPGRAPH_REQUIRE_NEO4J is set (scripts/test and CI set it): then a missing
// server fails t instead of passing it silently. what names the test in the
// skip message.
func Neo4j(t testing.TB, what string) Neo4jEnv {
	t.Helper()
	uri := os.Getenv("NEO4J_URI")
	if uri == "" {
		if os.Getenv("COOPGRAPH_REQUIRE_NEO4J") != "" {
			t.Fatal("COOPGRAPH_REQUIRE_NEO4J is set but NEO4J_URI is not: start Neo4j with scripts/neo4j start and source .neo4j/env")
		}
		t.Skipf("NEO4J_URI is not set: skipping %s (scripts/test runs it)", what)
	}
	return Neo4jEnv{URI: uri, User: os.Getenv("NEO4J_USER"), Password: os.Getenv("NEO4J_PASSWORD"), Database: os.Getenv("NEO4J_DATABASE")}
}

// Neo4jTestsRun skips t where the Neo4j tests do not run (neither NEO4J_URI
// nor COOPGRAPH_REQUIRE_NEO4J is set). It is for the tests that start a
// Neo4j of their own with scripts/neo4j and so need no server named by the
// environment; what names the test in the skip message.
func Neo4jTestsRun(t testing.TB, what string) {
	t.Helper()
	if os.Getenv("NEO4J_URI") == "" && os.Getenv("COOPGRAPH_REQUIRE_NEO4J") == "" {
		t.Skipf("NEO4J_URI is not set: skipping %s, which starts a Neo4j of its own with scripts/neo4j (scripts/test runs it)", what)
	}
}
