package neo4jstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/coopgraph/coopgraph"
)

// Names of the schema objects Load creates.
const (
	entityConstraint = "entity_id"
	loadConstraint   = "coopgraph_load_dataset"
	searchIndex      = "entity_search"
)

// BatchSize is the number of rows one UNWIND write transaction carries.
const BatchSize = 2000

// LoadStats says what a load did.
type LoadStats struct {
	Entities         int // entities written (created or updated)
	Relations        int // relations written
	EntitiesRemoved  int // entities this dataset wrote before and no longer has
	RelationsRemoved int
	Duration         time.Duration
}

// schemaStatements create the uniqueness constraints and the full-text
// index. Schema commands take no parameters, so these are constant text; the
// relation-type constraints are made from the fixed vocabulary, never from
// input.
func schemaStatements() []string {
	stmts := []string{
		"CREATE CONSTRAINT " + entityConstraint + " IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE",
		"CREATE CONSTRAINT " + loadConstraint + " IF NOT EXISTS FOR (l:CoopgraphLoad) REQUIRE l.dataset IS UNIQUE",
		// standard-folding lowercases and folds diacritics (ASCIIFoldingFilter),
		// as coopgraph.Fold does before the text is even stored.
		"CREATE FULLTEXT INDEX " + searchIndex + " IF NOT EXISTS FOR (n:Entity) ON EACH [n.searchText] " +
			"OPTIONS {indexConfig: {`fulltext.analyzer`: 'standard-folding', `fulltext.eventually_consistent`: false}}",
	}
	for _, t := range coopgraph.RelationTypes {
		stmts = append(stmts, "CREATE CONSTRAINT relation_id_"+t.Name+" IF NOT EXISTS FOR ()-[r:"+t.Name+"]-() REQUIRE r.id IS UNIQUE")
	}
	return stmts
}

// The entity's dataset list keeps its order: the same load twice leaves the
// node exactly as one load does.
const upsertEntities = `
UNWIND $rows AS row
MERGE (n:Entity {id: row.id})
WITH n, row, coalesce(n.datasets, []) AS ds
SET n = row.props
SET n.datasets = CASE WHEN $dataset IN ds THEN ds ELSE ds + $dataset END`

const upsertRelations = `
UNWIND $rows AS row
MATCH (a:Entity {id: row.from}), (b:Entity {id: row.to})
MERGE (a)-[r:$(row.type) {id: row.id}]->(b)
SET r = row.props, r.dataset = $dataset`

const datasetRelations = `
MATCH (a:Entity)-[r]->(b:Entity) WHERE r.dataset = $dataset
RETURN r.id AS id, type(r) AS type, a.id AS from, b.id AS to`

const deleteRelations = `
UNWIND $rows AS row
MATCH (:Entity {id: row.from})-[r:$(row.type) {id: row.id}]->(:Entity {id: row.to})
WHERE r.dataset = $dataset
DELETE r`

// markLoad records that a load of the dataset completed, with a new id:
// Store.Version changes, and serving processes refresh their snapshot. It
// runs in the load's last write transaction, so that the mark lands with
// the last of the data, never before.
const markLoad = `
MERGE (l:CoopgraphLoad {dataset: $dataset})
SET l.id = $load, l.loadedAt = datetime()`

const datasetEntities = `MATCH (n:Entity) WHERE $dataset IN n.datasets RETURN n.id AS id`

// An entity another dataset also wrote stays, with this dataset struck from
// its list; one only this dataset wrote goes.
const removeEntities = `
UNWIND $ids AS id
MATCH (n:Entity {id: id})
SET n.datasets = [d IN n.datasets WHERE d <> $dataset]
WITH n WHERE size(n.datasets) = 0
DETACH DELETE n`

// Load writes ds into Neo4j under ds.Name. It is safe to repeat and to rerun
// after a crash: it upserts every entity and relation by id, then removes
// what this dataset wrote before and no longer contains, and touches nothing
// that other datasets wrote. ds must be validated: Load writes it whole.
// Its last transaction marks the load done (a :CoopgraphLoad node per
// dataset, see markLoad), which changes Store.Version.
func Load(ctx context.Context, s *Store, ds *coopgraph.Dataset) (LoadStats, error) {
	start := time.Now()
	var st LoadStats
	if ds.Name == "" {
		return st, coopgraph.Errorf(coopgraph.EINVALID, "a dataset needs a name to be loaded")
	}
	entityRows := make([]any, len(ds.Entities))
	newEntities := make(map[string]bool, len(ds.Entities))
	for i, e := range ds.Entities {
		props, err := entityProps(e)
		if err != nil {
			return st, err
		}
		entityRows[i] = map[string]any{"id": e.ID, "props": props}
		newEntities[e.ID] = true
	}
	relationRows := make([]any, len(ds.Relations))
	newRelations := make(map[relKey]bool, len(ds.Relations))
	for i, r := range ds.Relations {
		props, err := relationProps(r)
		if err != nil {
			return st, err
		}
		relationRows[i] = map[string]any{"id": r.ID, "type": r.Type, "from": r.From, "to": r.To, "props": props}
		newRelations[relKey{r.ID, r.Type, r.From, r.To}] = true
	}

	for _, stmt := range schemaStatements() {
		if err := s.write(ctx, stmt, nil); err != nil {
			return st, err
		}
	}
	// Stale relations go first, so that a relation whose id moved to other
	// entities never meets its old self in the uniqueness constraint.
	old, err := read(ctx, s, datasetRelations, map[string]any{"dataset": ds.Name}, func(rec *neo4j.Record) (relKey, error) {
		var k relKey
		vals := rec.Values
		k.id, k.typ, k.from, k.to = str(vals[0]), str(vals[1]), str(vals[2]), str(vals[3])
		return k, nil
	})
	if err != nil {
		return st, err
	}
	var staleRelations []any
	for _, k := range old {
		if !newRelations[k] {
			staleRelations = append(staleRelations, map[string]any{"id": k.id, "type": k.typ, "from": k.from, "to": k.to})
		}
	}
	if err := s.batches(ctx, deleteRelations, ds.Name, "rows", staleRelations, nil); err != nil {
		return st, err
	}
	if err := s.batches(ctx, upsertEntities, ds.Name, "rows", entityRows, nil); err != nil {
		return st, err
	}
	if err := s.batches(ctx, upsertRelations, ds.Name, "rows", relationRows, nil); err != nil {
		return st, err
	}
	oldIDs, err := read(ctx, s, datasetEntities, map[string]any{"dataset": ds.Name}, func(rec *neo4j.Record) (string, error) {
		id, _, err := neo4j.GetRecordValue[string](rec, "id")
		return id, err
	})
	if err != nil {
		return st, err
	}
	var staleEntities []any
	for _, id := range oldIDs {
		if !newEntities[id] {
			staleEntities = append(staleEntities, id)
		}
	}
	loadID := make([]byte, 16)
	if _, err := rand.Read(loadID); err != nil {
		return st, err
	}
	mark := statement{markLoad, map[string]any{"dataset": ds.Name, "load": hex.EncodeToString(loadID)}}
	if err := s.batches(ctx, removeEntities, ds.Name, "ids", staleEntities, &mark); err != nil {
		return st, err
	}
	st = LoadStats{
		Entities: len(ds.Entities), Relations: len(ds.Relations),
		EntitiesRemoved: len(staleEntities), RelationsRemoved: len(staleRelations),
		Duration: time.Since(start),
	}
	return st, nil
}

type relKey struct{ id, typ, from, to string }

// batches runs cypher once per BatchSize rows, each batch in its own managed
// write transaction; every statement is an idempotent upsert or delete, so a
// retried or repeated batch does no harm. last, when given, runs in the
// transaction of the last batch (alone when there are no rows).
func (s *Store) batches(ctx context.Context, cypher, dataset, param string, rows []any, last *statement) error {
	for lo := 0; lo < len(rows) || (lo == 0 && last != nil); lo += BatchSize {
		hi := min(lo+BatchSize, len(rows))
		var stmts []statement
		if lo < hi {
			stmts = append(stmts, statement{cypher, map[string]any{param: rows[lo:hi], "dataset": dataset}})
		}
		if hi == len(rows) && last != nil {
			stmts = append(stmts, *last)
		}
		if err := s.writeTx(ctx, stmts...); err != nil {
			return err
		}
	}
	return nil
}

// statement is one parameterised Cypher statement.
type statement struct {
	cypher string
	params map[string]any
}

func (s *Store) write(ctx context.Context, cypher string, params map[string]any) error {
	return s.writeTx(ctx, statement{cypher, params})
}

// writeTx runs the statements in one managed write transaction.
func (s *Store) writeTx(ctx context.Context, stmts ...statement) error {
	sess := s.session(ctx, neo4j.AccessModeWrite)
	defer sess.Close(ctx)
	_, err := neo4j.ExecuteWrite(ctx, sess, func(tx neo4j.ManagedTransaction) (struct{}, error) {
		for _, st := range stmts {
			res, err := tx.Run(ctx, st.cypher, st.params)
			if err != nil {
				return struct{}{}, err
			}
			if _, err := res.Consume(ctx); err != nil {
				return struct{}{}, err
			}
		}
		return struct{}{}, nil
	})
	if err != nil {
		return classify(err)
	}
	return nil
}
