package neo4jstore

// Integration tests against a real Neo4j 5.26 server (scripts/neo4j start;
// scripts/test runs them with COOPGRAPH_REQUIRE_NEO4J=1, so a missing server
// fails the run instead of skipping). They wipe the database they are given.

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/storetest"
)

// openTestStore connects to the test server and empties it.
func openTestStore(t *testing.T) *Store {
	t.Helper()
	env := storetest.Neo4j(t, "the Neo4j integration tests")
	ctx := context.Background()
	s, err := Open(ctx, testConfig(env))
	if err != nil {
		t.Fatalf("open %s: %v", env.URI, err)
	}
	t.Cleanup(func() { _ = s.Close(ctx) })
	// In bounded transactions: one DETACH DELETE of a database holding a
	// whole programme (a developer's CORDIS load) ran out of Neo4j's
	// transaction memory.
	if err := Wipe(ctx, s); err != nil {
		t.Fatal(err)
	}
	return s
}

// testConfig is the store's configuration for the test server env.
func testConfig(env storetest.Neo4jEnv) Config {
	return Config{URI: env.URI, User: env.User, Password: env.Password, Database: env.Database}
}

func mustLoad(t *testing.T, s *Store, ds *coopgraph.Dataset) LoadStats {
	t.Helper()
	st, err := Load(context.Background(), s, ds)
	if err != nil {
		t.Fatalf("load %s: %v", ds.Name, err)
	}
	return st
}

// dump is the whole database as comparable data: every node's and every
// relationship's properties, labels and type. The load markers are left
// out: each load gives its dataset's marker a new id, on purpose.
func dump(t *testing.T, s *Store) string {
	t.Helper()
	ctx := context.Background()
	nodes, err := read(ctx, s, `MATCH (n) WHERE NOT n:CoopgraphLoad RETURN labels(n) AS l, properties(n) AS p ORDER BY n.id`, nil,
		func(r *neo4j.Record) (any, error) { return r.Values, nil })
	if err != nil {
		t.Fatal(err)
	}
	rels, err := read(ctx, s, `MATCH (a)-[r]->(b) RETURN a.id, type(r), b.id, properties(r) AS p ORDER BY r.id, a.id, b.id`, nil,
		func(r *neo4j.Record) (any, error) { return r.Values, nil })
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal([]any{nodes, rels})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func count(t *testing.T, s *Store, cypher string, params map[string]any) int64 {
	t.Helper()
	got, err := read(context.Background(), s, cypher, params, func(r *neo4j.Record) (int64, error) {
		n, _, err := neo4j.GetRecordValue[int64](r, "n")
		return n, err
	})
	if err != nil {
		t.Fatal(err)
	}
	return got[0]
}

func TestLoadSeedCreatesSchemaAndEverything(t *testing.T) {
	s := openTestStore(t)
	ds := storetest.Seed(t)
	st := mustLoad(t, s, ds)
	if st.Entities != len(ds.Entities) || st.Relations != len(ds.Relations) {
		t.Errorf("stats %+v, dataset has %d entities %d relations", st, len(ds.Entities), len(ds.Relations))
	}
	if n := count(t, s, `MATCH (n:Entity) RETURN count(n) AS n`, nil); n != int64(len(ds.Entities)) {
		t.Errorf("%d entities in Neo4j, %d in the dataset", n, len(ds.Entities))
	}
	if n := count(t, s, `MATCH ()-[r]->() RETURN count(r) AS n`, nil); n != int64(len(ds.Relations)) {
		t.Errorf("%d relations in Neo4j, %d in the dataset", n, len(ds.Relations))
	}
	for _, name := range []string{entityConstraint, "relation_id_MEMBER_OF", "relation_id_PARTICIPATES_IN"} {
		if n := count(t, s, `SHOW CONSTRAINTS YIELD name, type WHERE name = $name AND type CONTAINS 'UNIQUENESS' RETURN count(*) AS n`, map[string]any{"name": name}); n != 1 {
			t.Errorf("uniqueness constraint %s: found %d", name, n)
		}
	}
	if n := count(t, s, `SHOW INDEXES YIELD name, type, options
WHERE name = $name AND type = 'FULLTEXT' AND options.indexConfig['fulltext.analyzer'] = 'standard-folding'
RETURN count(*) AS n`, map[string]any{"name": searchIndex}); n != 1 {
		t.Errorf("full-text index %s with analyzer standard-folding: found %d", searchIndex, n)
	}
	// That every stored entity reads back as the dataset has it is
	// storetest's DatasetReadsBack, run by TestConformance.
}

func TestLoadTwiceChangesNothing(t *testing.T) {
	s := openTestStore(t)
	ds := storetest.Seed(t)
	mustLoad(t, s, ds)
	once := dump(t, s)
	st := mustLoad(t, s, ds)
	if st.EntitiesRemoved != 0 || st.RelationsRemoved != 0 {
		t.Errorf("second load removed something: %+v", st)
	}
	if twice := dump(t, s); twice != once {
		t.Errorf("a second load changed the database")
	}
}

// other is a second dataset sharing one entity with the seed dataset.
func other(t *testing.T) *coopgraph.Dataset {
	ds := &coopgraph.Dataset{Name: "other"}
	seedDS := storetest.Seed(t)
	shared := seedDS.Entities[0]
	ds.Entities = []coopgraph.Entity{
		shared,
		{ID: "other:a", Kind: "Organisation", Name: "Other A"},
		{ID: "other:b", Kind: "Project", Name: "Other B"},
	}
	ds.Relations = []coopgraph.Relation{
		{ID: "other:r1", Type: "PARTICIPATES_IN", From: "other:a", To: "other:b", Role: "partner"},
		{ID: "other:r2", Type: "PARTICIPATES_IN", From: shared.ID, To: "other:b"},
	}
	return ds
}

func TestReloadChangedDatasetTouchesOnlyItsOwn(t *testing.T) {
	s := openTestStore(t)
	ds := storetest.Seed(t)
	mustLoad(t, s, other(t))
	mustLoad(t, s, ds)

	// Change the seed: drop the last entity (and its relations), rename one,
	// re-role one relation, add an entity with a relation.
	changed := *ds
	gone := ds.Entities[len(ds.Entities)-1].ID
	changed.Entities = append([]coopgraph.Entity{}, ds.Entities[:len(ds.Entities)-1]...)
	changed.Entities[1].Name = "Renamed for the test"
	changed.Entities = append(changed.Entities, coopgraph.Entity{ID: "zz-new", Kind: "Person", Name: "New Person"})
	changed.Relations = nil
	for _, r := range ds.Relations {
		if r.From != gone && r.To != gone {
			changed.Relations = append(changed.Relations, r)
		}
	}
	changed.Relations[0].Quote = "changed quote"
	changed.Relations = append(changed.Relations, coopgraph.Relation{ID: "zz-new-rel", Type: "WORKS_FOR", From: "zz-new", To: ds.Entities[0].ID})
	st := mustLoad(t, s, &changed)
	if st.EntitiesRemoved != 1 {
		t.Errorf("removed %d entities, want 1 (%s)", st.EntitiesRemoved, gone)
	}
	if n := count(t, s, `MATCH (n:Entity {id: $id}) RETURN count(n) AS n`, map[string]any{"id": gone}); n != 0 {
		t.Errorf("entity %s the dataset no longer has is still there", gone)
	}
	if n := count(t, s, `MATCH (:Entity {id: 'other:a'})-[r {id: 'other:r1'}]->(:Entity {id: 'other:b'}) RETURN count(r) AS n`, nil); n != 1 {
		t.Errorf("the other dataset's relation was touched")
	}
	shared := ds.Entities[0].ID
	if n := count(t, s, `MATCH (n:Entity {id: $id}) WHERE n.datasets = ['other', 'seed'] RETURN count(n) AS n`, map[string]any{"id": shared}); n != 1 {
		t.Errorf("shared entity %s should list both datasets", shared)
	}
	reloaded := dump(t, s)

	// The same state as a clean load of both datasets (the test server has
	// one database: openTestStore empties it).
	s = openTestStore(t)
	mustLoad(t, s, other(t))
	mustLoad(t, s, &changed)
	if clean := dump(t, s); clean != reloaded {
		t.Errorf("reloading a changed dataset differs from loading it clean")
	}

	// Removing the seed entirely leaves the other dataset whole, shared entity included.
	mustLoad(t, s, &coopgraph.Dataset{Name: "seed"})
	emptied := dump(t, s)
	s = openTestStore(t)
	mustLoad(t, s, other(t))
	if alone := dump(t, s); alone != emptied {
		t.Errorf("after emptying the seed dataset, the database is not the other dataset alone")
	}
}
