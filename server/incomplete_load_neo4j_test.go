package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/coopgraph/coopgraph/neo4jstore"
	"github.com/coopgraph/coopgraph/storetest"
)

// datasetCounts is what `coopgraph validate` says of a dataset directory.
func datasetCounts(t *testing.T, bin, dir string) (entities, relations int) {
	t.Helper()
	code, out := runCoopgraph(t, bin, cleanEnv(), time.Minute, "validate", "--data", dir)
	m := regexp.MustCompile(`valid: (\d+) entities, (\d+) relations`).FindStringSubmatch(out)
	if code != 0 || m == nil {
		t.Fatalf("validate %s: exit %d: %s", dir, code, out)
	}
	entities, _ = strconv.Atoi(m[1])
	relations, _ = strconv.Atoi(m[2])
	return entities, relations
}

// generateDataset writes `coopgraph gen` output into a temporary directory.
func generateDataset(t *testing.T, bin string, participations, seed int) string {
	t.Helper()
	dir := t.TempDir()
	code, out := runCoopgraph(t, bin, cleanEnv(), time.Minute, "gen", "--participations", strconv.Itoa(participations),
		"--seed", strconv.Itoa(seed), "--out", dir)
	if code != 0 {
		t.Fatalf("gen: exit %d: %s", code, out)
	}
	return dir
}

// snapshotCounts reads the served snapshot's size from /metrics, or -1s
// when there is none.
func snapshotCounts(client *http.Client, base string) (entities, relations int) {
	a := send(client, http.MethodGet, base+"/metrics", "", nil)
	get := func(name string) int {
		m := regexp.MustCompile(`(?m)^` + name + ` (\d+)`).FindSubmatch(a.body)
		if m == nil {
			return -1
		}
		n, _ := strconv.Atoi(string(m[1]))
		return n
	}
	return get("coopgraph_snapshot_entities"), get("coopgraph_snapshot_relations")
}

// incompleteLoadQueries reach both halves of the API: the analytics
// (snapshot) and the store's own reads (search, an entity's neighbours).
const (
	countQuery      = `{ centralityConnection(measure: DEGREE, first: 1) { totalCount } }`
	neighboursQuery = `{ entity(id: "c:PL") { neighboursConnection(first: 1) { totalCount } } search(text: "Poland") { id } }`
)

// killedLoad starts `coopgraph load` of dir as dataset "gen" in small
// batches, waits until it holds the load lock and the entities and
// relations in the database pass midway, kills it with SIGKILL and returns how many
// entities and relations it left.
func killedLoad(t *testing.T, bin string, env []string, drv neo4j.DriverWithContext, dir string, midway func(entities, relations int64) bool) (int64, int64) {
	t.Helper()
	cmd := exec.Command(bin, "load", "--data", dir, "--dataset", "gen", "--batch-size", "200")
	cmd.Env = env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	count := func(cypher string) int64 {
		rows := queryRows(t, drv, "neo4j", cypher)
		n, _ := rows[0][0].(int64)
		return n
	}
	for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(10 * time.Millisecond) {
		// The lock is held from before the first write to the last.
		if count(`MATCH (l:CoopgraphLoadLock) RETURN count(l)`) > 0 &&
			midway(count(`MATCH (n:Entity) RETURN count(n)`), count(`MATCH ()-[r]->() RETURN count(r)`)) {
			break
		}
		select {
		case err := <-exited:
			t.Fatalf("the load ended (%v) before it was killed:\n%s", err, out.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("the load did not come midway within 2 minutes:\n%s", out.String())
		}
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-exited
	return count(`MATCH (n:Entity) RETURN count(n)`), count(`MATCH ()-[r]->() RETURN count(r)`)
}

// TestRealServeNeverServesAnIncompleteLoad runs the real binary against a
// Neo4j of its own:
//
//   - a load killed with SIGKILL midway, then `serve`: it starts, but is not
//     ready (/readyz 503 with the reason) and answers every GraphQL query
//     503 UNAVAILABLE naming the reason, never the partial data; the load
//     rerun, serve picks the complete dataset up by itself, with the
//     dataset's counts;
//   - a serve running on that complete load while a load of another version
//     of the dataset is killed midway keeps answering from the last complete
//     load, both the analytics and the store's own reads, and stays ready;
//     the rerun then lands and is served.
func TestRealServeNeverServesAnIncompleteLoad(t *testing.T) {
	storetest.Neo4jTestsRun(t, "the incomplete-load test")
	bin := buildCoopgraph(t)
	secret := randomToken("Cg-pw-")
	n4 := startPrivateNeo4j(t, secret)
	cfg := neo4jstore.Config{URI: n4.uri, User: "neo4j", Password: secret, Database: "neo4j"}
	drv := testDriver(t, cfg)
	env := cleanEnv("NEO4J_URI="+n4.uri, "NEO4J_USER=neo4j", "NEO4J_PASSWORD="+secret)
	client := &http.Client{Timeout: time.Minute}

	first := generateDataset(t, bin, 50000, 1)
	second := generateDataset(t, bin, 50000, 2) // another version of the same dataset
	firstEntities, firstRelations := datasetCounts(t, bin, first)
	secondEntities, secondRelations := datasetCounts(t, bin, second)

	// 1. Killed midway, then serve.
	n, r := killedLoad(t, bin, env, drv, first, func(e, _ int64) bool { return e >= 3000 })
	t.Logf("load killed midway: %d of %d entities, %d of %d relations in the database", n, firstEntities, r, firstRelations)
	if n >= int64(firstEntities) && r >= int64(firstRelations) {
		t.Fatalf("the load had written everything when it was killed")
	}
	srv := startServe(t, bin, env, "--refresh-every", "500ms", "--log-format", "json")
	checkNotReadyOnIncompleteLoad(t, client, srv)

	// The rerun lands; serve picks it up by itself.
	complete := rerunServesFirstVersion(t, bin, env, client, srv, first, firstEntities, firstRelations)

	// 2. A running serve while a load of another version is killed midway.
	// It removes the first version's relations first: midway when 2000 went.
	n, r = killedLoad(t, bin, env, drv, second, func(_, r int64) bool { return r <= int64(firstRelations)-2000 })
	t.Logf("second load killed midway: %d entities, %d relations in the database (the first version has %d and %d, the second %d and %d)",
		n, r, firstEntities, firstRelations, secondEntities, secondRelations)
	checkServesLastCompleteLoad(t, client, srv, complete, firstEntities, firstRelations)

	// The rerun of the second version lands and is served.
	if code, out := runCoopgraph(t, bin, env, 5*time.Minute, "load", "--data", second, "--dataset", "gen"); code != 0 {
		t.Fatalf("rerun of the second version: exit %d: %s", code, out)
	}
	waitUntil(t, "serve picks the second version up", time.Minute, func() (bool, string) {
		e, rel := snapshotCounts(client, srv.base)
		return e == secondEntities && rel == secondRelations, fmt.Sprintf("snapshot of %d entities and %d relations", e, rel)
	})
	if got := ask(client, srv.base, neighboursQuery, nil); got.status != 200 || len(got.Errors) > 0 || bytes.Equal(got.Data, complete.Data) {
		t.Errorf("store reads after the second version landed: %d %s, want other answers than the first version's", got.status, got.body)
	}
	if code := srv.stop(t); code != 0 {
		t.Errorf("serve exited %d after SIGTERM:\n%s", code, srv.stderr)
	}
	if !strings.Contains(srv.stderr.String(), "not ready: the store holds no complete load") {
		t.Errorf("serve does not log why it was not ready:\n%.2000s", srv.stderr)
	}
}

// checkNotReadyOnIncompleteLoad: serve on an incomplete load says it is
// not ready, /readyz is 503 with the reason and what to do, every GraphQL
// query 503 UNAVAILABLE naming the reason with no data, and no snapshot is
// served.
func checkNotReadyOnIncompleteLoad(t *testing.T, client *http.Client, srv *served) {
	t.Helper()
	if !strings.Contains(srv.stdout.String(), "NOT READY") {
		t.Errorf("serve on an incomplete load does not say it is not ready:\n%s", srv.stdout)
	}
	readyz := send(client, http.MethodGet, srv.base+"/readyz", "", nil)
	var ready struct {
		Ready    bool
		NotReady []string
		Reason   string
	}
	_ = json.Unmarshal(readyz.body, &ready)
	if readyz.status != http.StatusServiceUnavailable || ready.Ready || !strings.Contains(ready.Reason, `incomplete load of dataset "gen"`) ||
		!strings.Contains(ready.Reason, "coopgraph load") {
		t.Errorf("/readyz on an incomplete load: %d %s, want 503 with the reason and what to do", readyz.status, readyz.body)
	}
	for _, q := range []string{countQuery, neighboursQuery} {
		a := ask(client, srv.base, q, nil)
		if a.status != http.StatusServiceUnavailable || !a.onlyCode("UNAVAILABLE") || len(a.Data) > 0 && string(a.Data) != "null" ||
			!strings.Contains(a.Errors[0].Message, "incomplete load") {
			t.Errorf("%s on an incomplete load: %d %s, want 503 UNAVAILABLE naming the reason, no data", q, a.status, a.body)
		}
	}
	if e, _ := snapshotCounts(client, srv.base); e >= 0 {
		t.Errorf("a snapshot of %d entities is served from an incomplete load", e)
	}
}

// rerunServesFirstVersion reruns the load of the first version and waits
// for serve to pick it up by itself, with the dataset's counts. It returns
// the store's answer to neighboursQuery on the complete load.
func rerunServesFirstVersion(t *testing.T, bin string, env []string, client *http.Client, srv *served, first string, firstEntities, firstRelations int) gqlAnswer {
	t.Helper()
	began := time.Now()
	if code, out := runCoopgraph(t, bin, env, 5*time.Minute, "load", "--data", first, "--dataset", "gen"); code != 0 {
		t.Fatalf("rerun: exit %d: %s", code, out)
	}
	took := waitUntil(t, "serve picks the complete load up", time.Minute, func() (bool, string) {
		a := send(client, http.MethodGet, srv.base+"/readyz", "", nil)
		return a.status == 200, fmt.Sprintf("/readyz %d %s", a.status, a.body)
	})
	t.Logf("rerun took %s; serve ready %s after it", time.Since(began).Round(time.Millisecond)-took, took.Round(time.Millisecond))
	if e, rel := snapshotCounts(client, srv.base); e != firstEntities || rel != firstRelations {
		t.Errorf("serve after the rerun: snapshot of %d entities and %d relations, the dataset has %d and %d", e, rel, firstEntities, firstRelations)
	}
	a := ask(client, srv.base, countQuery, nil)
	if a.status != 200 || len(a.Errors) > 0 || !strings.Contains(string(a.Data), `"totalCount":`+strconv.Itoa(firstEntities)) {
		t.Errorf("count after the rerun: %d %s, want %d entities", a.status, a.body, firstEntities)
	}
	complete := ask(client, srv.base, neighboursQuery, nil)
	if complete.status != 200 || len(complete.Errors) > 0 {
		t.Fatalf("store reads after the rerun: %d %s", complete.status, complete.body)
	}
	return complete
}

// checkServesLastCompleteLoad: once serve has looked at the store again
// (past a refresh tick), it still answers from the last complete load,
// complete, both the store's reads and the analytics, and stays ready.
func checkServesLastCompleteLoad(t *testing.T, client *http.Client, srv *served, complete gqlAnswer, firstEntities, firstRelations int) {
	t.Helper()
	// Past a refresh tick, so that serve has looked at the store again.
	waitUntil(t, "serve notices the incomplete load", 30*time.Second, func() (bool, string) {
		return strings.Contains(srv.stderr.String(), "snapshot not refreshed"), srv.stderr.String()
	})
	if got := ask(client, srv.base, neighboursQuery, nil); got.status != 200 || !bytes.Equal(got.Data, complete.Data) {
		t.Errorf("store reads during an incomplete load: %d %s, want the last complete load's %s", got.status, got.body, complete.Data)
	}
	if a := ask(client, srv.base, countQuery, nil); a.status != 200 || !strings.Contains(string(a.Data), `"totalCount":`+strconv.Itoa(firstEntities)) {
		t.Errorf("count during an incomplete load: %d %s, want %d entities", a.status, a.body, firstEntities)
	}
	if e, rel := snapshotCounts(client, srv.base); e != firstEntities || rel != firstRelations {
		t.Errorf("snapshot during an incomplete load: %d entities and %d relations, want the last complete load's %d and %d", e, rel, firstEntities, firstRelations)
	}
	if a := send(client, http.MethodGet, srv.base+"/readyz", "", nil); a.status != 200 {
		t.Errorf("/readyz while serving the last complete load: %d %s", a.status, a.body)
	}
}
