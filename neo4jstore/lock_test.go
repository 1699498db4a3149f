package neo4jstore

// The load lock against a real Neo4j (see lock.go): concurrent loads of one
// dataset, each with its own driver, are serialised or refused and never
// interleave; a lock whose holder stopped is taken over; a load that loses
// its lock stops writing.

import (
	"context"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/gen"
	"github.com/coopgraph/coopgraph/loader"
	"github.com/coopgraph/coopgraph/storetest"
)

// generated is a synthetic dataset of n participations named "gen", big
// enough that a load takes a while (gen writes it, loader reads it back as
// coopgraph load does).
func generated(t *testing.T, n int) (*coopgraph.Dataset, string) {
	t.Helper()
	nw, err := gen.New(gen.Config{Participations: n, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := nw.WriteDir(context.Background(), dir, false); err != nil {
		t.Fatal(err)
	}
	ds, err := loader.LoadDir(dir, "gen")
	if err != nil {
		t.Fatal(err)
	}
	return ds, dir
}

// otherStore opens a second driver on the test server, as a second process
// would have, without emptying the database.
func otherStore(t *testing.T) *Store {
	t.Helper()
	ctx := context.Background()
	s, err := Open(ctx, testConfig(storetest.Neo4j(t, "the load lock tests")))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close(ctx) })
	return s
}

// cleanDump is the dump of ds loaded alone into an emptied database.
func cleanDump(t *testing.T, ds *coopgraph.Dataset) string {
	t.Helper()
	s := openTestStore(t)
	mustLoad(t, s, ds)
	return dump(t, s)
}

func TestConcurrentLoadsOfOneDatasetWaitInTurn(t *testing.T) {
	s := openTestStore(t)
	ds, _ := generated(t, 20000)
	stores := []*Store{s, otherStore(t)}
	stats := make([]LoadStats, 2)
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i := range 2 {
		wg.Go(func() {
			stats[i], errs[i] = LoadWith(context.Background(), stores[i], ds, LoadOptions{Wait: 2 * time.Minute})
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("load %d: %v", i, err)
		}
	}
	a, b := stats[0], stats[1]
	if a.Locked.After(b.Locked) {
		a, b = b, a
	}
	if !a.Unlocked.Before(b.Locked) {
		t.Errorf("the loads overlapped: one held the lock %s–%s, the other from %s",
			a.Locked.Format(time.StampMilli), a.Unlocked.Format(time.StampMilli), b.Locked.Format(time.StampMilli))
	}
	if !a.Fresh || b.Fresh {
		t.Errorf("the first load should create (fresh %v), the second upsert (fresh %v)", a.Fresh, b.Fresh)
	}
	if n := count(t, s, `MATCH (l:CoopgraphLoadLock) RETURN count(l) AS n`, nil); n != 0 {
		t.Errorf("%d load locks left after both loads finished", n)
	}
	got := dump(t, s)
	if want := cleanDump(t, ds); got != want {
		t.Errorf("two loads in turn differ from one clean load")
	}
}

func TestASecondLoadOfTheSameDatasetIsRefused(t *testing.T) {
	s := openTestStore(t)
	ds, _ := generated(t, 20000)
	first := make(chan error, 1)
	go func() {
		_, err := LoadWith(context.Background(), s, ds, LoadOptions{BatchSize: 1000})
		first <- err
	}()
	waitFor(t, s, `MATCH (l:CoopgraphLoadLock {dataset: 'gen'}) RETURN count(l) AS n`, atLeast(1), first)
	_, err := LoadWith(context.Background(), otherStore(t), ds, LoadOptions{})
	if coopgraph.ErrorCode(err) != coopgraph.EUNAVAILABLE || !strings.Contains(err.Error(), `dataset "gen" is being loaded by another load (pid `+strconv.Itoa(os.Getpid())) {
		t.Errorf("second load: %v (%s), want UNAVAILABLE naming the first", err, coopgraph.ErrorCode(err))
	}
	if err := <-first; err != nil {
		t.Fatalf("the first load: %v", err)
	}
	got := dump(t, s)
	if want := cleanDump(t, ds); got != want {
		t.Errorf("after a refused second load, the database differs from one clean load")
	}
}

// waitFor polls cypher (returning n) until when(n), and fails if done
// delivers first (the load under test finished too soon).
func waitFor(t *testing.T, s *Store, cypher string, when func(int64) bool, done <-chan error) int64 {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		if n := count(t, s, cypher, nil); when(n) {
			return n
		}
		select {
		case err := <-done:
			t.Fatalf("the load finished (%v) before %q came to the point awaited", err, cypher)
		case <-time.After(10 * time.Millisecond):
		}
	}
	t.Fatalf("%q did not come to the point awaited in time", cypher)
	return 0
}

func atLeast(least int64) func(int64) bool { return func(n int64) bool { return n >= least } }

// putLock writes a lock node as another load would have.
func putLock(t *testing.T, s *Store, props map[string]any, expiresIn time.Duration) {
	t.Helper()
	props["dataset"] = "seed"
	if err := s.write(context.Background(), `
CREATE (l:CoopgraphLoadLock)
SET l = $props, l.since = datetime(), l.renewedAt = datetime(),
    l.expiresAt = datetime() + duration({milliseconds: $ms})`, map[string]any{"props": props, "ms": expiresIn.Milliseconds()}); err != nil {
		t.Fatal(err)
	}
}

func TestTheLockOfAStoppedLoadIsTakenOver(t *testing.T) {
	openTestStore(t) // skips without Neo4j
	ctx := context.Background()
	me := thisProcess()
	if me.boot == "" || me.pidNS == "" || me.start == "" {
		t.Skip("no /proc: this machine cannot tell whether a process runs")
	}
	// A process of this machine that is gone.
	gone := exec.Command("true")
	if err := gone.Run(); err != nil {
		t.Fatal(err)
	}
	mine := func(pid int, start string) map[string]any {
		return map[string]any{"owner": "killed-load", "holder": "pid " + strconv.Itoa(pid) + " on host " + me.host,
			"host": me.host, "bootId": me.boot, "pidNamespace": me.pidNS, "pid": int64(pid), "processStart": start}
	}

	t.Run("killed on this machine: at once", func(t *testing.T) {
		s := openTestStore(t)
		putLock(t, s, mine(gone.Process.Pid, "1"), time.Hour)
		began := time.Now()
		st, err := LoadWith(ctx, s, storetest.Seed(t), LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(st.TookOver, "its process is gone") || time.Since(began) > 30*time.Second {
			t.Errorf("took over %q after %s", st.TookOver, time.Since(began))
		}
	})

	t.Run("running on this machine: refused", func(t *testing.T) {
		s := openTestStore(t)
		putLock(t, s, mine(me.pid, me.start), time.Hour)
		_, err := LoadWith(ctx, s, storetest.Seed(t), LoadOptions{})
		if coopgraph.ErrorCode(err) != coopgraph.EUNAVAILABLE || !strings.Contains(err.Error(), "pid "+strconv.Itoa(me.pid)) {
			t.Errorf("a lock held by a running process: %v", err)
		}
		if n := count(t, s, `MATCH (n:Entity) RETURN count(n) AS n`, nil); n != 0 {
			t.Errorf("the refused load wrote %d entities", n)
		}
	})

	t.Run("another machine: when its lease expires", func(t *testing.T) {
		s := openTestStore(t)
		putLock(t, s, map[string]any{"owner": "far-load", "holder": "pid 4242 on host elsewhere", "host": "elsewhere",
			"bootId": "b", "pidNamespace": "p", "pid": int64(4242), "processStart": "7"}, 3*time.Second)
		_, err := LoadWith(ctx, s, storetest.Seed(t), LoadOptions{})
		if coopgraph.ErrorCode(err) != coopgraph.EUNAVAILABLE || !strings.Contains(err.Error(), "pid 4242 on host elsewhere") {
			t.Errorf("a live lease of another machine: %v", err)
		}
		st, err := LoadWith(ctx, s, storetest.Seed(t), LoadOptions{Wait: time.Minute})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(st.TookOver, "pid 4242 on host elsewhere") || !strings.Contains(st.TookOver, "expired") {
			t.Errorf("took over %q", st.TookOver)
		}
		if n := count(t, s, `MATCH (l:CoopgraphLoadLock) RETURN count(l) AS n`, nil); n != 0 {
			t.Errorf("%d load locks left", n)
		}
	})
}

// A load whose lock is taken from it (here by hand, as a load that found
// its lease expired would) stops at its next write.
func TestALoadThatLosesItsLockStopsWriting(t *testing.T) {
	s := openTestStore(t)
	ds, _ := generated(t, 20000)
	const batch = 200
	done := make(chan error, 1)
	go func() {
		_, err := LoadWith(context.Background(), otherStore(t), ds, LoadOptions{BatchSize: batch, Parallel: 2})
		done <- err
	}()
	waitFor(t, s, `MATCH (n:Entity) RETURN count(n) AS n`, atLeast(2000), done)
	if err := s.write(context.Background(), `MATCH (l:CoopgraphLoadLock {dataset: 'gen'})
SET l.owner = 'thief', l.expiresAt = datetime() + duration('PT1H')`, nil); err != nil {
		t.Fatal(err)
	}
	stolen := count(t, s, `MATCH (n:Entity) RETURN count(n) AS n`, nil)
	err := <-done
	if coopgraph.ErrorCode(err) != coopgraph.EUNAVAILABLE || !strings.Contains(err.Error(), "lock") {
		t.Fatalf("the load went on without its lock: %v", err)
	}
	// Only the transactions already past their check may commit: one
	// batch per transaction in flight.
	if after := count(t, s, `MATCH (n:Entity) RETURN count(n) AS n`, nil); after > stolen+2*batch {
		t.Errorf("%d entities when the lock was taken, %d after: the load kept writing", stolen, after)
	}
	if n := count(t, s, `MATCH (l:CoopgraphLoad {state: 'complete'}) RETURN count(l) AS n`, nil); n != 0 {
		t.Errorf("the stopped load marked itself done")
	}
	// What it wrote is never served.
	expectNotServable(t, s)
}

func TestProcessRecognition(t *testing.T) {
	me := thisProcess()
	if me.start == "" {
		t.Skip("no /proc on this machine")
	}
	if !me.running() || !me.sameMachine(me) {
		t.Errorf("this process %+v is not recognised as running here", me)
	}
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	gone := me
	gone.pid = cmd.Process.Pid
	if gone.running() {
		t.Errorf("a finished process (pid %d) is taken for running", gone.pid)
	}
	reused := me
	reused.start = "1"
	if reused.running() {
		t.Errorf("a pid started at another time is taken for the same process")
	}
	elsewhere := me
	elsewhere.host = "elsewhere"
	if me.sameMachine(elsewhere) {
		t.Errorf("another host is taken for this machine")
	}
}

// A load longer than its lease renews the lock (renewedAt moves on) and
// finishes: without renewals its writes would stop half a lease in.
func TestALoadLongerThanItsLeaseRenewsIt(t *testing.T) {
	s := openTestStore(t)
	ds, _ := generated(t, 50000)
	const lease = 4 * time.Second
	done := make(chan error, 1)
	var st LoadStats
	go func() {
		var err error
		st, err = LoadWith(context.Background(), otherStore(t), ds, LoadOptions{BatchSize: 50, Parallel: 1, Lease: lease})
		done <- err
	}()
	renewals := map[string]bool{}
	for {
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("a load with a lease of %s: %v", lease, err)
			}
			held := st.Unlocked.Sub(st.Locked)
			if held < lease || len(renewals) < 3 {
				t.Errorf("held the lock %s with a lease of %s, seen %d distinct renewal times", held, lease, len(renewals))
			}
			return
		case <-time.After(100 * time.Millisecond):
		}
		got, err := read(context.Background(), s, `MATCH (l:CoopgraphLoadLock {dataset: 'gen'}) RETURN toString(l.renewedAt) AS r`, nil,
			func(rec *neo4j.Record) (string, error) { return str(rec.Values[0]), nil })
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range got {
			renewals[r] = true
		}
	}
}

// Two datasets sharing entities, loaded at once into an empty database:
// both may start by creating; the one that meets the other's entities
// upserts instead, and every shared entity lists both datasets.
func TestTwoDatasetsSharingEntitiesLoadAtOnce(t *testing.T) {
	s := openTestStore(t)
	a, _ := generated(t, 20000)
	a.Name = "a"
	b := &coopgraph.Dataset{Name: "b", Entities: a.Entities}
	for _, r := range a.Relations {
		r.ID = "b-" + r.ID
		b.Relations = append(b.Relations, r)
	}
	stores := []*Store{s, otherStore(t)}
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i, ds := range []*coopgraph.Dataset{a, b} {
		wg.Go(func() { _, errs[i] = LoadWith(context.Background(), stores[i], ds, LoadOptions{BatchSize: 500}) })
	}
	wg.Wait()
	if errs[0] != nil || errs[1] != nil {
		t.Fatalf("loads: %v, %v", errs[0], errs[1])
	}
	if n := count(t, s, `MATCH (n:Entity) WHERE size(n.datasets) = 2 AND 'a' IN n.datasets AND 'b' IN n.datasets RETURN count(n) AS n`, nil); n != int64(len(a.Entities)) {
		t.Errorf("%d of %d entities list both datasets", n, len(a.Entities))
	}
	if n := count(t, s, `MATCH ()-[r]->() RETURN count(r) AS n`, nil); n != int64(2*len(a.Relations)) {
		t.Errorf("%d relations, want %d", n, 2*len(a.Relations))
	}
	// Emptying one leaves the other whole.
	mustLoad(t, s, &coopgraph.Dataset{Name: "a"})
	if got, want := dump(t, s), cleanDump(t, b); got != want {
		t.Errorf("after emptying dataset a, the database is not dataset b alone")
	}
}

// A batch of creates that meets an entity written meanwhile is redone as
// upserts, and the batches after it upsert too.
func TestCreatesMeetingExistingEntitiesFallBackToUpserts(t *testing.T) {
	s := openTestStore(t)
	mustLoad(t, s, other(t)) // writes seed's first entity too
	ds := storetest.Seed(t)
	lock, err := acquireLock(context.Background(), s, ds.Name, LoadOptions{}.withDefaults())
	if err != nil {
		t.Fatal(err)
	}
	w := &writer{s: s, lock: lock, dataset: ds.Name, batch: 10, parallel: 1}
	var rows []any
	for _, e := range ds.Entities {
		props, err := entityProps(e)
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, map[string]any{"id": e.ID, "props": props})
	}
	if err := w.run(context.Background(), w.split(nil, createEntities, upsertEntities, "rows", rows, true)); err != nil {
		t.Fatal(err)
	}
	if !w.upsertOnly {
		t.Errorf("the writer did not turn to upserts")
	}
	if n := count(t, s, `MATCH (n:Entity) RETURN count(n) AS n`, nil); n != int64(len(ds.Entities)+2) {
		t.Errorf("%d entities, want the seed's %d and other's 2 of its own", n, len(ds.Entities))
	}
	shared := ds.Entities[0].ID
	if n := count(t, s, `MATCH (n:Entity {id: $id}) WHERE n.datasets = ['other', 'seed'] RETURN count(n) AS n`, map[string]any{"id": shared}); n != 1 {
		t.Errorf("the shared entity %s does not list both datasets", shared)
	}
}

// A batch held up longer than the transaction timeout (here by another
// transaction's lock on an entity it writes) is tried again; one held up
// every time fails the load with a clear error.
func TestABatchHeldUpBeyondItsTimeoutIsRetried(t *testing.T) {
	s := openTestStore(t)
	ds := storetest.Seed(t)
	mustLoad(t, s, ds)
	ctx := context.Background()
	const lease = 5 * time.Second // transactions time out after 2 s
	hold := func(d time.Duration) {
		sess := s.session(ctx, neo4j.AccessModeWrite)
		tx, err := sess.BeginTransaction(ctx)
		if err != nil {
			t.Fatal(err)
		}
		res, err := tx.Run(ctx, `MATCH (n:Entity {id: $id}) SET n.heldBy = 'test' RETURN n.id`, map[string]any{"id": ds.Entities[0].ID})
		if err == nil {
			_, err = res.Consume(ctx)
		}
		if err != nil {
			t.Fatal(err)
		}
		go func() {
			time.Sleep(d)
			_ = tx.Rollback(ctx)
			_ = sess.Close(ctx)
		}()
	}

	hold(3 * time.Second)
	if _, err := LoadWith(ctx, otherStore(t), ds, LoadOptions{Lease: lease}); err != nil {
		t.Errorf("a load held up once: %v", err)
	}
	hold(time.Minute)
	_, err := LoadWith(ctx, otherStore(t), ds, LoadOptions{Lease: lease})
	if coopgraph.ErrorCode(err) != coopgraph.EUNAVAILABLE || !strings.Contains(err.Error(), "did not finish within 2s, 3 times") {
		t.Errorf("a load held up every time: %v", err)
	}
}
