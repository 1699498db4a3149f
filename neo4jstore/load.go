package neo4jstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/coopgraph/coopgraph"
)

// Names of the schema objects Load creates.
const (
	entityConstraint = "entity_id"
	loadConstraint   = "coopgraph_load_dataset"
	lockConstraint   = "coopgraph_load_lock_dataset"
	searchIndex      = "entity_search"
)

// Defaults of LoadOptions, measured on a 2-core machine with the CORDIS
// dataset (BENCHMARKS.md, "Loading into Neo4j").
const (
	DefaultBatchSize = 2000
	DefaultParallel  = 2
)

// LoadOptions tune a load; the zero value takes the defaults.
type LoadOptions struct {
	// BatchSize is the number of rows one write transaction carries.
	BatchSize int
	// Parallel is the number of write transactions in flight at once, each
	// on its own batch; batches of one phase never share a row.
	Parallel int
	// Wait is how long to wait for another load of the same dataset to
	// finish; 0 refuses at once (see lock.go).
	Wait time.Duration
	// Lease is how long the dataset's load lock outlives its last renewal
	// (DefaultLease); a load renews it every Lease/4.
	Lease time.Duration
}

func (o LoadOptions) withDefaults() LoadOptions {
	if o.BatchSize <= 0 {
		o.BatchSize = DefaultBatchSize
	}
	if o.Parallel <= 0 {
		o.Parallel = DefaultParallel
	}
	if o.Lease <= 0 {
		o.Lease = DefaultLease
	}
	return o
}

// LoadStats says what a load did.
type LoadStats struct {
	Entities         int // entities written (created or updated)
	Relations        int // relations written
	EntitiesRemoved  int // entities this dataset wrote before and no longer has
	RelationsRemoved int
	// Fresh is true when the database held no entity, so that entities
	// and relations were created without first looking for them.
	Fresh bool
	// EntitiesTime and RelationsTime are the time spent writing each.
	EntitiesTime, RelationsTime time.Duration
	// Locked and Unlocked are when this load took and gave back the
	// dataset's load lock; loads of one dataset never overlap in them.
	Locked, Unlocked time.Time
	// TookOver names the load whose lock this one took over because it
	// had stopped (killed, or no longer renewing), or is "".
	TookOver string
	Duration time.Duration
}

// schemaStatements create the uniqueness constraints and the full-text
// index. Schema commands take no parameters, so these are constant text; the
// relation-type constraints are made from the fixed vocabulary, never from
// input.
func schemaStatements() []string {
	stmts := []string{
		"CREATE CONSTRAINT " + entityConstraint + " IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE",
		"CREATE CONSTRAINT " + loadConstraint + " IF NOT EXISTS FOR (l:CoopgraphLoad) REQUIRE l.dataset IS UNIQUE",
		"CREATE CONSTRAINT " + lockConstraint + " IF NOT EXISTS FOR (l:CoopgraphLoadLock) REQUIRE l.dataset IS UNIQUE",
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

// createEntities writes entities into a database that holds none: no
// lookup, no lock to take. A batch meeting an existing id (another load
// began at the same time) fails on the constraint and is redone with
// upsertEntities.
const createEntities = `
UNWIND $rows AS row
CREATE (n:Entity)
SET n = row.props, n.datasets = [$dataset]
RETURN count(n) AS written`

// upsertEntities keeps the entity's dataset list in its order, so that the
// same load twice leaves the node exactly as one load does. Setting
// loadLock first takes the node's write lock before its list is read, so
// that a load of another dataset sharing the entity cannot lose an update
// (Cypher manual, "Concurrent data access"); SET n = row.props then drops it.
const upsertEntities = `
UNWIND $rows AS row
MERGE (n:Entity {id: row.id})
SET n.loadLock = true
WITH n, row, coalesce(n.datasets, []) AS ds
SET n = row.props
SET n.datasets = CASE WHEN $dataset IN ds THEN ds ELSE ds + $dataset END
RETURN count(n) AS written`

// Relation statements are one per relation type, because a type cannot be
// a parameter where Cypher plans with it: a static type lets MERGE and
// DELETE use the type's relation-id constraint index. They are made only
// from the fixed vocabulary (coopgraph.RelationTypes), never from input; a
// row of another type is refused before anything is written.
type relationCypher struct{ create, upsert, remove string }

var relationStatements = func() map[string]relationCypher {
	m := make(map[string]relationCypher, len(coopgraph.RelationTypes))
	for _, t := range coopgraph.RelationTypes {
		m[t.Name] = relationCypher{
			create: `
UNWIND $rows AS row
MATCH (a:Entity {id: row.from})
MATCH (b:Entity {id: row.to})
CREATE (a)-[r:` + t.Name + `]->(b)
SET r = row.props, r.dataset = $dataset
RETURN count(r) AS written`,
			upsert: `
UNWIND $rows AS row
MATCH (a:Entity {id: row.from})
MATCH (b:Entity {id: row.to})
MERGE (a)-[r:` + t.Name + ` {id: row.id}]->(b)
SET r = row.props, r.dataset = $dataset
RETURN count(r) AS written`,
			remove: `
UNWIND $rows AS row
MATCH (a:Entity)-[r:` + t.Name + ` {id: row.id}]->(b:Entity)
WHERE a.id = row.from AND b.id = row.to AND r.dataset = $dataset
DELETE r`,
		}
	}
	return m
}()

const datasetRelations = `
MATCH (a:Entity)-[r]->(b:Entity) WHERE r.dataset = $dataset
RETURN r.id AS id, type(r) AS type, a.id AS from, b.id AS to`

// A load's marker, (:CoopgraphLoad {dataset}), says which load of the
// dataset the store holds and whether it is whole. A load sets it to
// "loading" (markLoading) in a transaction of its own before its first
// write, and to "complete" with the load's id (markLoad) in its last. So a
// marker left "loading" means the data is part old, part new: the load
// still runs, or it was killed or failed before its end. Store refuses to
// serve such a store (servable) until a load of that dataset completes;
// a running server keeps the snapshot of the last complete load.
//
// This is option (b) of issue 13, not generations (every node tagged with
// its load, reads filtered by the marker's generation): that would serve
// the last complete load even while a rerun writes, but costs a filter in
// every read and a rewrite of every node and relationship at each load,
// and entities shared between datasets would need one generation per
// dataset. A marker without state was written by a coopgraph from before
// this rule: it counts as complete, as it did then.
const markLoading = `
MERGE (l:CoopgraphLoad {dataset: $dataset})
SET l.state = 'loading', l.run = $load, l.startedAt = datetime()`

// markLoad records that a load of the dataset completed, with a new id:
// Store.Version changes, and serving processes refresh their snapshot. It
// runs in the load's last write transaction, with the lock's release, so
// that the mark lands with the last of the data, never before. The
// dataset's credit lines (coopgraph.Dataset.Credits) are kept on it.
const markLoad = `
MERGE (l:CoopgraphLoad {dataset: $dataset})
SET l.state = 'complete', l.id = $load, l.run = $load, l.loadedAt = datetime(), l.credits = $credits`

// replaceDocuments writes the dataset's documents (coopgraph.Document), as
// :Document nodes scoped by dataset, in the load's last transaction: the
// documents served are always those of the complete load. clearDocuments
// removes the previous load's first.
const (
	clearDocuments   = `MATCH (d:Document {dataset: $dataset}) DETACH DELETE d`
	replaceDocuments = `UNWIND $documents AS doc
CREATE (d:Document {dataset: $dataset}) SET d += doc`
)

const datasetEntities = `MATCH (n:Entity) WHERE $dataset IN n.datasets RETURN n.id AS id`

const countEntities = `MATCH (n:Entity) RETURN count(n) AS n`

// An entity another dataset also wrote stays, with this dataset struck from
// its list; one only this dataset wrote goes. loadLock takes the write lock
// before the list is read, as in upsertEntities.
const removeEntities = `
UNWIND $ids AS id
MATCH (n:Entity {id: id})
SET n.loadLock = true
WITH n
SET n.datasets = [d IN n.datasets WHERE d <> $dataset]
REMOVE n.loadLock
WITH n WHERE size(n.datasets) = 0
DETACH DELETE n`

// Load writes ds into Neo4j under ds.Name with the default options.
func Load(ctx context.Context, s *Store, ds *coopgraph.Dataset) (LoadStats, error) {
	return LoadWith(ctx, s, ds, LoadOptions{})
}

// LoadWith writes ds into Neo4j under ds.Name. It is safe to repeat and to
// rerun after a crash: it creates or upserts every entity and relation by
// id, then removes what this dataset wrote before and no longer contains,
// and touches nothing that other datasets wrote. ds must be validated:
// LoadWith writes it whole.
//
// One load of a dataset runs at a time: LoadWith holds the dataset's load
// lock (lock.go) from before its first write to its last transaction, and
// every write transaction checks that it still holds it. Its first
// transaction marks the dataset's load "loading" (a :CoopgraphLoad node per
// dataset, see markLoading): from then until its last transaction marks it
// "complete" (markLoad), which changes Store.Version and gives the lock
// back, Store refuses to serve the dataset.
func LoadWith(ctx context.Context, s *Store, ds *coopgraph.Dataset, opt LoadOptions) (st LoadStats, err error) {
	start := time.Now()
	opt = opt.withDefaults()
	if ds.Name == "" {
		return st, coopgraph.Errorf(coopgraph.EINVALID, "a dataset needs a name to be loaded")
	}
	rows, err := makeLoadRows(ds)
	if err != nil {
		return st, err
	}
	for _, stmt := range schemaStatements() {
		if err := s.write(ctx, stmt, nil); err != nil {
			return st, err
		}
	}
	lock, err := acquireLock(ctx, s, ds.Name, opt)
	if err != nil {
		return st, err
	}
	st.Locked, st.TookOver = lock.acquired, lock.tookOver
	ctx, stop := lock.keep(ctx)
	defer func() {
		stop()
		if err != nil {
			// Give the lock back so that a rerun need not wait for the
			// lease; a failure here leaves it to expire.
			_ = lock.release(context.WithoutCancel(ctx))
			err = lock.cause(err)
		}
	}()
	w := &writer{s: s, lock: lock, dataset: ds.Name, credits: orEmpty(ds.Credits), documents: documentRows(ds.Documents),
		batch: opt.BatchSize, parallel: opt.Parallel}

	run, err := w.beginLoad(ctx)
	if err != nil {
		return st, err
	}
	if st.RelationsRemoved, err = w.removeStaleRelations(ctx, rows.newRelations); err != nil {
		return st, err
	}
	if st.Fresh, err = isEmpty(ctx, s); err != nil {
		return st, err
	}
	w.upsertOnly = !st.Fresh
	if st.EntitiesTime, err = w.timed(ctx, w.split(nil, createEntities, upsertEntities, "rows", rows.entities, true)); err != nil {
		return st, err
	}
	var jobs []job
	for _, t := range coopgraph.RelationTypes {
		c := relationStatements[t.Name]
		jobs = w.split(jobs, c.create, c.upsert, "rows", rows.relations[t.Name], true)
	}
	if st.RelationsTime, err = w.timed(ctx, jobs); err != nil {
		return st, err
	}
	if st.EntitiesRemoved, err = w.finish(ctx, run, rows.newEntities); err != nil {
		return st, err
	}
	st.Unlocked = time.Now()
	st.Entities, st.Relations = len(ds.Entities), len(ds.Relations)
	st.Duration = time.Since(start)
	return st, nil
}

// loadRows are a dataset's rows for the write statements, and its ids for
// finding what the dataset wrote before and no longer holds.
type loadRows struct {
	entities     []any
	relations    map[string][]any // by relation type
	newEntities  map[string]bool
	newRelations map[relKey]bool
}

// makeLoadRows makes every row before anything is written: a property the
// store cannot hold, or a type outside the vocabulary, writes nothing.
func makeLoadRows(ds *coopgraph.Dataset) (*loadRows, error) {
	rows := &loadRows{
		entities:     make([]any, len(ds.Entities)),
		relations:    make(map[string][]any),
		newEntities:  make(map[string]bool, len(ds.Entities)),
		newRelations: make(map[relKey]bool, len(ds.Relations)),
	}
	for i, e := range ds.Entities {
		props, err := entityProps(e)
		if err != nil {
			return nil, err
		}
		rows.entities[i] = map[string]any{"id": e.ID, "props": props}
		rows.newEntities[e.ID] = true
	}
	for _, r := range ds.Relations {
		if _, ok := relationStatements[r.Type]; !ok {
			return nil, coopgraph.Errorf(coopgraph.EINVALID, "relation %q: unknown relation type %q", r.ID, r.Type)
		}
		props, err := relationProps(r)
		if err != nil {
			return nil, err
		}
		rows.relations[r.Type] = append(rows.relations[r.Type], map[string]any{"id": r.ID, "from": r.From, "to": r.To, "props": props})
		rows.newRelations[relKey{r.ID, r.Type, r.From, r.To}] = true
	}
	return rows, nil
}

// beginLoad marks the dataset's load "loading" with a new run id before
// anything else is written, in a transaction of its own that commits
// first: a reader that sees any of this load's writes sees the marker too
// (see markLoading). It returns the run id, which markLoad completes.
func (w *writer) beginLoad(ctx context.Context) (string, error) {
	loadID := make([]byte, 16)
	if _, err := rand.Read(loadID); err != nil {
		return "", err
	}
	run := hex.EncodeToString(loadID)
	err := w.run(ctx, []job{{last: []statement{{markLoading, map[string]any{"dataset": w.dataset, "load": run}}}}})
	return run, err
}

// removeStaleRelations removes the relations the dataset wrote before and
// no longer holds, and returns how many. They go first, so that a relation
// whose id moved to other entities never meets its old self in the
// uniqueness constraint.
func (w *writer) removeStaleRelations(ctx context.Context, keep map[relKey]bool) (int, error) {
	old, err := read(ctx, w.s, datasetRelations, map[string]any{"dataset": w.dataset}, func(rec *neo4j.Record) (relKey, error) {
		var k relKey
		vals := rec.Values
		k.id, k.typ, k.from, k.to = str(vals[0]), str(vals[1]), str(vals[2]), str(vals[3])
		return k, nil
	})
	if err != nil {
		return 0, err
	}
	stale := map[string][]any{}
	removed := 0
	for _, k := range old {
		if !keep[k] {
			if _, ok := relationStatements[k.typ]; !ok {
				return removed, fmt.Errorf("neo4j: dataset %q holds a relation of type %q, outside the vocabulary", w.dataset, k.typ)
			}
			stale[k.typ] = append(stale[k.typ], map[string]any{"id": k.id, "from": k.from, "to": k.to})
			removed++
		}
	}
	var jobs []job
	for _, t := range coopgraph.RelationTypes {
		jobs = w.split(jobs, relationStatements[t.Name].remove, "", "rows", stale[t.Name], false)
	}
	return removed, w.run(ctx, jobs)
}

// isEmpty reports whether the database holds no entity: one new to every
// dataset, where the load creates without looking first. A load killed
// midway leaves entities behind, so its rerun upserts, and ends as a
// clean load would.
func isEmpty(ctx context.Context, s *Store) (bool, error) {
	n, err := read(ctx, s, countEntities, nil, func(rec *neo4j.Record) (int64, error) {
		n, _, err := neo4j.GetRecordValue[int64](rec, "n")
		return n, err
	})
	if err != nil {
		return false, err
	}
	return n[0] == 0, nil
}

// timed runs jobs and returns how long they took (0 when they failed).
func (w *writer) timed(ctx context.Context, jobs []job) (time.Duration, error) {
	t0 := time.Now()
	if err := w.run(ctx, jobs); err != nil {
		return 0, err
	}
	return time.Since(t0), nil
}

// finish removes the entities the dataset wrote before and no longer
// holds (keep), one transaction after another, the last with the mark of
// run complete and the lock's release: whatever fails before leaves the
// mark unchanged. It returns how many entities it removed (0 when it
// failed).
func (w *writer) finish(ctx context.Context, run string, keep map[string]bool) (int, error) {
	oldIDs, err := read(ctx, w.s, datasetEntities, map[string]any{"dataset": w.dataset}, func(rec *neo4j.Record) (string, error) {
		id, _, err := neo4j.GetRecordValue[string](rec, "id")
		return id, err
	})
	if err != nil {
		return 0, err
	}
	var stale []any
	for _, id := range oldIDs {
		if !keep[id] {
			stale = append(stale, id)
		}
	}
	jobs := w.split(nil, removeEntities, "", "ids", stale, false)
	if len(jobs) == 0 {
		jobs = []job{{}}
	}
	jobs[len(jobs)-1].last = []statement{
		{clearDocuments, map[string]any{"dataset": w.dataset}},
		{replaceDocuments, map[string]any{"dataset": w.dataset, "documents": w.documents}},
		{markLoad, map[string]any{"dataset": w.dataset, "load": run, "credits": w.credits}},
		w.lock.releaseStatement(),
	}
	w.parallel = 1
	if err := w.run(ctx, jobs); err != nil {
		return 0, err
	}
	return len(stale), nil
}

type relKey struct{ id, typ, from, to string }

// A job is one write transaction: the guard, one batch of rows through
// cypher (or fallback, see writer), then any last statements.
type job struct {
	cypher, fallback, param string
	rows                    []any
	check                   bool // the statement returns written, which must equal len(rows)
	last                    []statement
}

// writer runs a load's write transactions.
type writer struct {
	s       *Store
	lock    *loadLock
	dataset string
	credits []string
	// documents are the dataset's documents as Cypher parameters.
	documents []any
	batch     int
	parallel  int

	// upsertOnly is set once a batch of creates has met an existing row:
	// from then on every batch upserts.
	mu         sync.Mutex
	upsertOnly bool
}

// split appends to jobs one job per batch of rows.
func (w *writer) split(jobs []job, cypher, fallback, param string, rows []any, check bool) []job {
	for lo := 0; lo < len(rows); lo += w.batch {
		jobs = append(jobs, job{cypher: cypher, fallback: fallback, param: param, rows: rows[lo:min(lo+w.batch, len(rows))], check: check})
	}
	return jobs
}

// run runs the jobs, w.parallel at a time, each in its own managed write
// transaction, and stops at the first error. Every statement is an
// idempotent create-or-upsert or delete of its own rows, so a retried
// transaction does no harm and the order among batches does not matter.
func (w *writer) run(ctx context.Context, jobs []job) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	next := make(chan job)
	var wg sync.WaitGroup
	var once sync.Once
	var first error
	for range min(w.parallel, max(len(jobs), 1)) {
		wg.Go(func() {
			for j := range next {
				if err := w.do(ctx, j); err != nil {
					once.Do(func() { first = err })
					cancel(err)
				}
			}
		})
	}
feed:
	for _, j := range jobs {
		select {
		case next <- j:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if first != nil {
		return first
	}
	return ctx.Err()
}

// errExists says that a create met a row that exists already.
var errExists = errors.New("exists")

func (w *writer) do(ctx context.Context, j job) error {
	w.mu.Lock()
	cypher := j.cypher
	if w.upsertOnly && j.fallback != "" {
		cypher = j.fallback
	}
	w.mu.Unlock()
	err := w.retry(ctx, j, cypher, cypher != j.fallback)
	if errors.Is(err, errExists) {
		w.mu.Lock()
		w.upsertOnly = true
		w.mu.Unlock()
		err = w.retry(ctx, j, j.fallback, false)
	}
	return err
}

// timeoutAttempts is how many times a batch is tried when its transaction
// outlives the lock's transaction timeout: a stall of the server (a
// checkpoint, a pause) should not fail a load, a batch too big for it should.
const timeoutAttempts = 3

func (w *writer) retry(ctx context.Context, j job, cypher string, canFallBack bool) error {
	for attempt := 1; ; attempt++ {
		err := w.tx(ctx, j, cypher, canFallBack)
		if !timedOut(err) {
			return err
		}
		if attempt == timeoutAttempts {
			return coopgraph.Errorf(coopgraph.EUNAVAILABLE,
				"a write transaction of %d rows did not finish within %s, %d times (the load lock's lease allows no longer): "+
					"Neo4j is overloaded, or the batches are too big for it (give a smaller --batch-size)",
				len(j.rows), w.lock.txTimeout(), attempt)
		}
	}
}

// tx runs one job with cypher; with canFallBack, a create that meets an
// existing row is errExists.
func (w *writer) tx(ctx context.Context, j job, cypher string, canFallBack bool) error {
	sess := w.s.session(ctx, neo4j.AccessModeWrite)
	defer closeSession(ctx, sess)
	_, err := neo4j.ExecuteWrite(ctx, sess, func(tx neo4j.ManagedTransaction) (struct{}, error) {
		if err := w.lock.guard(ctx, tx); err != nil {
			return struct{}{}, err
		}
		if cypher != "" {
			res, err := tx.Run(ctx, cypher, map[string]any{j.param: j.rows, "dataset": w.dataset})
			if err != nil {
				return struct{}{}, err
			}
			if j.check {
				rec, err := res.Single(ctx)
				if err != nil {
					return struct{}{}, err
				}
				if n, _, err := neo4j.GetRecordValue[int64](rec, "written"); err != nil || n != int64(len(j.rows)) {
					// A relation whose end is missing: its entity went
					// while this load ran (another dataset's load removed it).
					return struct{}{}, fmt.Errorf("neo4j: %d of %d rows written (%v)", n, len(j.rows), err)
				}
			} else if _, err := res.Consume(ctx); err != nil {
				return struct{}{}, err
			}
		}
		return struct{}{}, runAll(ctx, tx, j.last)
	}, neo4j.WithTxTimeout(w.lock.txTimeout()))
	var nerr *neo4j.Neo4jError
	if errors.As(err, &nerr) && nerr.Code == "Neo.ClientError.Schema.ConstraintValidationFailed" && canFallBack && j.fallback != "" {
		return errExists
	}
	if err != nil {
		return classify(err)
	}
	return nil
}

// timedOut says whether err is the server ending a transaction at its
// timeout: while running (TransactionTimedOut…) or while waiting for a
// lock (LockClientStopped).
func timedOut(err error) bool {
	var nerr *neo4j.Neo4jError
	return errors.As(err, &nerr) && (strings.HasPrefix(nerr.Code, "Neo.ClientError.Transaction.TransactionTimedOut") ||
		nerr.Code == "Neo.ClientError.Transaction.LockClientStopped")
}

// statement is one parameterised Cypher statement.
type statement struct {
	cypher string
	params map[string]any
}

// runAll runs the statements in tx, one after the other.
func runAll(ctx context.Context, tx neo4j.ManagedTransaction, stmts []statement) error {
	for _, st := range stmts {
		res, err := tx.Run(ctx, st.cypher, st.params)
		if err != nil {
			return err
		}
		if _, err := res.Consume(ctx); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) write(ctx context.Context, cypher string, params map[string]any) error {
	return s.writeTx(ctx, statement{cypher, params})
}

// writeTx runs the statements in one managed write transaction.
func (s *Store) writeTx(ctx context.Context, stmts ...statement) error {
	sess := s.session(ctx, neo4j.AccessModeWrite)
	defer closeSession(ctx, sess)
	_, err := neo4j.ExecuteWrite(ctx, sess, func(tx neo4j.ManagedTransaction) (struct{}, error) {
		return struct{}{}, runAll(ctx, tx, stmts)
	})
	if err != nil {
		return classify(err)
	}
	return nil
}
