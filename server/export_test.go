package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/data"
	"github.com/coopgraph/coopgraph/export"
	"github.com/coopgraph/coopgraph/export/scope"
	"github.com/coopgraph/coopgraph/graph"
	"github.com/coopgraph/coopgraph/loader"
	"github.com/coopgraph/coopgraph/memstore"
	"github.com/coopgraph/coopgraph/neo4jstore"
	"github.com/coopgraph/coopgraph/server"
)

func exportSeed(t *testing.T) *coopgraph.Dataset {
	t.Helper()
	ds, err := loader.LoadFS(data.Seed(), "data/seed", data.SeedName)
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// exportServer serves ds from st with the snapshot of ds.
func exportServer(st coopgraph.Store, ds *coopgraph.Dataset, logs io.Writer) *server.Server {
	srv := &server.Server{Store: st, Logger: slog.New(slog.NewJSONHandler(logs, nil))}
	if ds != nil {
		srv.SetSnapshot(graph.NewSnapshot(ds))
	}
	return srv
}

func exportFetch(t *testing.T, h http.Handler, target string) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
	return rec
}

// exportDirect is what an export of sc in format f must hold: the subgraph the
// scope package chooses, written by the export package.
func exportDirect(t *testing.T, ds *coopgraph.Dataset, sc scope.Scope, f export.Format) []byte {
	t.Helper()
	n, err := scope.NewNetwork(graph.NewSnapshot(ds), ds)
	if err != nil {
		t.Fatal(err)
	}
	sub, err := n.Select(context.Background(), sc)
	if err != nil {
		t.Fatal(err)
	}
	write, err := export.Writer(string(f))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := write(&b, sub); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// exportCases are requests with the scope they ask for and the file name
// they are given.
var exportCases = []struct {
	query string
	scope scope.Scope
	name  string
}{
	{"", scope.Scope{}, "coopgraph"},
	{"?relationType=MEMBER_OF&relationType=PART_OF", scope.Scope{RelationTypes: []string{"MEMBER_OF", "PART_OF"}}, "coopgraph"},
	{"?path=opolskie,malopolskie", scope.Scope{Path: &scope.Path{From: "opolskie", To: "malopolskie"}}, "coopgraph-path-opolskie-malopolskie"},
	{"?path=opolskie,city-of-turin&all=1", scope.Scope{Path: &scope.Path{From: "opolskie", To: "city-of-turin", All: true}}, "coopgraph-path-opolskie-city-of-turin-all"},
	{"?path=opolskie,city-of-turin&k=4&maxHops=6&relationType=MEMBER_OF,PARTICIPATES_IN,LOCATED_IN,PART_OF",
		scope.Scope{Path: &scope.Path{From: "opolskie", To: "city-of-turin", K: 4, MaxHops: 6}, RelationTypes: []string{"MEMBER_OF", "PARTICIPATES_IN", "LOCATED_IN", "PART_OF"}},
		"coopgraph-path-opolskie-city-of-turin-k4"},
	{"?neighbourhood=malopolskie", scope.Scope{Neighbourhood: &scope.Neighbourhood{ID: "malopolskie", Depth: 1}}, "coopgraph-neighbourhood-malopolskie-1"},
	{"?neighbourhood=respondet&depth=2&relationType=PARTICIPATES_IN&measure=pagerank",
		scope.Scope{Neighbourhood: &scope.Neighbourhood{ID: "respondet", Depth: 2}, RelationTypes: []string{"PARTICIPATES_IN"}, Measure: graph.PageRank},
		"coopgraph-neighbourhood-respondet-2"},
	{"?community=2", scope.Scope{Community: &scope.Community{Index: 2, Resolution: 1, Seed: 1}}, "coopgraph-community-2"},
	{"?community=1&resolution=1.5&seed=7&measure=Betweenness",
		scope.Scope{Community: &scope.Community{Index: 1, Resolution: 1.5, Seed: 7}, Measure: graph.Betweenness}, "coopgraph-community-1"},
}

var exportMediaTypes = map[export.Format]string{
	export.GraphMLFormat:  "application/graphml+xml; charset=utf-8",
	export.GEXFFormat:     "application/gexf+xml; charset=utf-8",
	export.NodesCSVFormat: "text/csv; charset=utf-8",
	export.EdgesCSVFormat: "text/csv; charset=utf-8",
}

// Every format of every scope: the bytes the export packages write for it,
// with its media type and an attachment name saying what it holds.
func TestExportEveryFormatAndScope(t *testing.T) {
	ds := exportSeed(t)
	h := exportServer(memstore.New(ds), ds, io.Discard).Handler()
	for _, c := range exportCases {
		for _, f := range export.Formats {
			rec := exportFetch(t, h, "/export/"+string(f)+c.query)
			if rec.Code != http.StatusOK {
				t.Fatalf("%s%s: status %d: %s", f, c.query, rec.Code, rec.Body)
			}
			if got := rec.Header().Get("Content-Type"); got != exportMediaTypes[f] {
				t.Errorf("%s%s: Content-Type %q", f, c.query, got)
			}
			want := c.name + "." + string(f)
			if f == export.NodesCSVFormat || f == export.EdgesCSVFormat {
				want = c.name + "-" + string(f)
			}
			if disp, params, err := mime.ParseMediaType(rec.Header().Get("Content-Disposition")); err != nil || disp != "attachment" || params["filename"] != want {
				t.Errorf("%s%s: Content-Disposition %q, want an attachment named %q", f, c.query, rec.Header().Get("Content-Disposition"), want)
			}
			if !bytes.Equal(rec.Body.Bytes(), exportDirect(t, ds, c.scope, f)) {
				t.Errorf("%s%s: the body is not the export of %+v", f, c.query, c.scope)
			}
		}
	}
}

// The whole graph over HTTP is the whole seed dataset.
func TestExportWholeGraphHoldsEverything(t *testing.T) {
	ds := exportSeed(t)
	h := exportServer(memstore.New(ds), ds, io.Discard).Handler()
	var g struct {
		Nodes []struct {
			ID string `xml:"id,attr"`
		} `xml:"graph>node"`
		Edges []struct {
			ID string `xml:"id,attr"`
		} `xml:"graph>edge"`
	}
	if err := xml.Unmarshal(exportFetch(t, h, "/export/graphml").Body.Bytes(), &g); err != nil {
		t.Fatal(err)
	}
	if len(g.Nodes) != len(ds.Entities) || len(g.Edges) != len(ds.Relations) {
		t.Errorf("%d nodes, %d edges; the seed has %d entities, %d relations", len(g.Nodes), len(g.Edges), len(ds.Entities), len(ds.Relations))
	}
	lines := strings.Count(exportFetch(t, h, "/export/nodes.csv").Body.String(), "\n")
	if lines < len(ds.Entities)+1 {
		t.Errorf("nodes.csv has %d lines for %d entities", lines, len(ds.Entities))
	}
}

type exportErrorBody struct {
	Errors []struct {
		Message    string
		Extensions struct{ Code string }
	}
}

func TestExportErrors(t *testing.T) {
	ds := exportSeed(t)
	h := exportServer(memstore.New(ds), ds, io.Discard).Handler()
	for _, c := range []struct {
		target string
		status int
		code   string
		msg    string
	}{
		{"/export/pdf", 400, coopgraph.EINVALID, `unknown export format "pdf"`},
		{"/export/graphml?path=opolskie,malopolskie&neighbourhood=malopolskie", 400, coopgraph.EINVALID, "choose one of path, neighbourhood and community"},
		{"/export/graphml?neighborhood=malopolskie", 400, coopgraph.EINVALID, `unknown parameter "neighborhood"`},
		{"/export/graphml?depth=2", 400, coopgraph.EINVALID, "depth goes with neighbourhood"},
		{"/export/graphml?path=opolskie,malopolskie&seed=2", 400, coopgraph.EINVALID, "seed goes with community"},
		{"/export/graphml?neighbourhood=malopolskie&depth=1&depth=2", 400, coopgraph.EINVALID, "depth is given 2 times"},
		{"/export/graphml?path=opolskie", 400, coopgraph.EINVALID, "path must be two entity ids"},
		{"/export/graphml?path=opolskie,malopolskie&k=many", 400, coopgraph.EINVALID, `k must be a whole number (got "many")`},
		{"/export/graphml?path=opolskie,malopolskie&k=0", 400, coopgraph.EINVALID, "k must be at least 1"},
		{"/export/graphml?path=opolskie,malopolskie&all=maybe", 400, coopgraph.EINVALID, "all must be 1 or 0"},
		{"/export/graphml?path=opolskie,malopolskie&all=1&k=3", 400, coopgraph.EINVALID, "not both"},
		{"/export/graphml?path=opolskie,malopolskie&maxHops=0", 400, coopgraph.EINVALID, "maxHops must be at least 1"},
		{"/export/graphml?path=opolskie,malopolskie&maxHops=13", 400, coopgraph.ELIMIT, "maxHops is 13; the limit is 12"},
		{"/export/graphml?path=opolskie,malopolskie&k=500", 400, coopgraph.ELIMIT, "the limit of 100"},
		{"/export/graphml?path=opolskie,nowhere", 404, coopgraph.ENOTFOUND, `unknown entity id "nowhere"`},
		{"/export/graphml?path=opolskie,city-of-turin&maxHops=1", 404, coopgraph.ENOTFOUND, "no path links"},
		{"/export/gexf?neighbourhood=nowhere", 404, coopgraph.ENOTFOUND, `unknown entity id "nowhere"`},
		{"/export/gexf?neighbourhood=", 400, coopgraph.EINVALID, "neighbourhood must be an entity id"},
		{"/export/gexf?neighbourhood=malopolskie&depth=4", 400, coopgraph.ELIMIT, "depth is 4; the limit is 3"},
		{"/export/gexf?neighbourhood=malopolskie&depth=-1", 400, coopgraph.EINVALID, "depth must not be negative"},
		{"/export/nodes.csv?community=0", 400, coopgraph.EINVALID, "community must be at least 1"},
		{"/export/nodes.csv?community=999", 404, coopgraph.ENOTFOUND, "there is no community 999"},
		{"/export/nodes.csv?community=1&resolution=-1", 400, coopgraph.EINVALID, "resolution must be a positive number"},
		{"/export/nodes.csv?community=1&seed=-1", 400, coopgraph.EINVALID, "seed must be a whole number"},
		{"/export/edges.csv?relationType=LIKES", 400, coopgraph.EINVALID, `unknown relation type "LIKES"`},
		{"/export/edges.csv?measure=fame", 400, coopgraph.EINVALID, `unknown centrality measure "FAME"`},
	} {
		rec := exportFetch(t, h, c.target)
		var body exportErrorBody
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || len(body.Errors) != 1 {
			t.Errorf("%s: status %d, body %q is not one error in JSON", c.target, rec.Code, rec.Body)
			continue
		}
		e := body.Errors[0]
		if rec.Code != c.status || e.Extensions.Code != c.code || !strings.Contains(e.Message, c.msg) {
			t.Errorf("%s: %d %s %q, want %d %s containing %q", c.target, rec.Code, e.Extensions.Code, e.Message, c.status, c.code, c.msg)
		}
		if cd := rec.Header().Get("Content-Disposition"); cd != "" {
			t.Errorf("%s: an error is served as an attachment: %q", c.target, cd)
		}
	}
}

// exportBrokenStore fails to read its dataset as a driver would, with details
// that must never reach a client.
type exportBrokenStore struct{ *memstore.Store }

func (exportBrokenStore) Dataset(context.Context) (*coopgraph.Dataset, error) {
	return nil, errors.New("neo4j: connection to bolt://db.internal:7687 refused (user neo4j)")
}

func TestExportFailuresTellNoInternals(t *testing.T) {
	ds := exportSeed(t)
	var logs bytes.Buffer
	h := exportServer(exportBrokenStore{memstore.New(ds)}, ds, &logs).Handler()
	rec := exportFetch(t, h, "/export/graphml")
	var body exportErrorBody
	_ = json.Unmarshal(rec.Body.Bytes(), &body)
	if rec.Code != 500 || len(body.Errors) != 1 || body.Errors[0].Extensions.Code != coopgraph.EINTERNAL || body.Errors[0].Message != "internal error" {
		t.Errorf("status %d, body %s", rec.Code, rec.Body)
	}
	if strings.Contains(rec.Body.String(), "bolt") || !strings.Contains(logs.String(), "bolt://db.internal") {
		t.Errorf("the cause must be logged, never answered: body %s, logs %s", rec.Body, logs.String())
	}

	// Before the first snapshot the network is not there to export.
	h = exportServer(memstore.New(ds), nil, io.Discard).Handler()
	rec = exportFetch(t, h, "/export/gexf")
	_ = json.Unmarshal(rec.Body.Bytes(), &body)
	if rec.Code != 503 || body.Errors[0].Extensions.Code != coopgraph.EUNAVAILABLE {
		t.Errorf("no snapshot: status %d, body %s", rec.Code, rec.Body)
	}
}

// An export follows the published snapshot: while the store holds another
// network than the snapshot it answers UNAVAILABLE rather than mixing the
// two, and once the new snapshot is published it exports that.
func TestExportFollowsTheSnapshot(t *testing.T) {
	ds := exportSeed(t)
	small := &coopgraph.Dataset{Name: ds.Name}
	keep := map[string]bool{}
	for _, r := range ds.Relations {
		if r.Type == "MEMBER_OF" {
			small.Relations = append(small.Relations, r)
			keep[r.From], keep[r.To] = true, true
		}
	}
	for _, e := range ds.Entities {
		if keep[e.ID] {
			small.Entities = append(small.Entities, e)
		}
	}
	srv := exportServer(memstore.New(small), ds, io.Discard)
	h := srv.Handler()
	if rec := exportFetch(t, h, "/export/graphml"); rec.Code != 503 || !strings.Contains(rec.Body.String(), coopgraph.EUNAVAILABLE) {
		t.Errorf("store and snapshot differ: status %d, body %s", rec.Code, rec.Body)
	}
	srv.SetSnapshot(graph.NewSnapshot(small))
	rec := exportFetch(t, h, "/export/edges.csv")
	if rec.Code != 200 || !bytes.Equal(rec.Body.Bytes(), exportDirect(t, small, scope.Scope{}, export.EdgesCSVFormat)) {
		t.Errorf("after the new snapshot: status %d, body %.300s", rec.Code, rec.Body)
	}
}

// Neo4j and the embedded store export the same bytes. The test wipes the
// Neo4j database it is given (scripts/test runs it with
// COOPGRAPH_REQUIRE_NEO4J=1, so a missing server fails it).
func TestExportFromNeo4jIsTheSame(t *testing.T) {
	ctx := context.Background()
	cfg := sharedNeo4j(t, "the Neo4j export test")
	exportWipeNeo4j(t, cfg)
	st, err := neo4jstore.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close(ctx)
	ds := exportSeed(t)
	if _, err := neo4jstore.Load(ctx, st, ds); err != nil {
		t.Fatal(err)
	}
	fromNeo4j, err := st.Dataset(ctx)
	if err != nil {
		t.Fatal(err)
	}
	hn := exportServer(st, fromNeo4j, io.Discard).Handler()
	hm := exportServer(memstore.New(ds), ds, io.Discard).Handler()
	for _, c := range exportCases {
		for _, f := range export.Formats {
			target := "/export/" + string(f) + c.query
			rn, rm := exportFetch(t, hn, target), exportFetch(t, hm, target)
			if rn.Code != 200 || rm.Code != 200 {
				t.Fatalf("%s: status %d from Neo4j (%s), %d embedded", target, rn.Code, rn.Body, rm.Code)
			}
			if !bytes.Equal(rn.Body.Bytes(), rm.Body.Bytes()) {
				t.Errorf("%s: Neo4j and the embedded store export different bytes", target)
			}
		}
	}
}

// exportWipeNeo4j empties the test database.
func exportWipeNeo4j(t *testing.T, cfg neo4jstore.Config) {
	t.Helper()
	ctx := context.Background()
	drv, err := neo4j.NewDriverWithContext(cfg.URI, neo4j.BasicAuth(cfg.User, cfg.Password, ""))
	if err != nil {
		t.Fatal(err)
	}
	defer drv.Close(ctx)
	sess := drv.NewSession(ctx, neo4j.SessionConfig{DatabaseName: cfg.Database, AccessMode: neo4j.AccessModeWrite})
	defer sess.Close(ctx)
	if _, err := neo4j.ExecuteWrite(ctx, sess, func(tx neo4j.ManagedTransaction) (bool, error) {
		res, err := tx.Run(ctx, `MATCH (n) DETACH DELETE n`, nil)
		if err != nil {
			return false, err
		}
		_, err = res.Consume(ctx)
		return err == nil, err
	}); err != nil {
		t.Fatal(err)
	}
}

// datasetCountingStore counts the reads of its whole dataset.
type datasetCountingStore struct {
	*memstore.Store
	reads *atomic.Int32
}

func (c datasetCountingStore) Dataset(ctx context.Context) (*coopgraph.Dataset, error) {
	c.reads.Add(1)
	return c.Store.Dataset(ctx)
}

// The store's dataset is read once per snapshot, not per export, even
// with another server exporting in between.
func TestExportReadsTheStoreOncePerSnapshot(t *testing.T) {
	ds := exportSeed(t)
	var reads, otherReads atomic.Int32
	srv := exportServer(datasetCountingStore{memstore.New(ds), &reads}, ds, io.Discard)
	other := exportServer(datasetCountingStore{memstore.New(ds), &otherReads}, ds, io.Discard)
	h, oh := srv.Handler(), other.Handler()
	for _, target := range []string{"/export/graphml", "/export/gexf?neighbourhood=malopolskie", "/export/nodes.csv?community=1", "/export/edges.csv?path=opolskie,malopolskie"} {
		if rec := exportFetch(t, h, target); rec.Code != 200 {
			t.Fatalf("%s: %d %s", target, rec.Code, rec.Body)
		}
		if rec := exportFetch(t, oh, target); rec.Code != 200 {
			t.Fatalf("%s: %d %s", target, rec.Code, rec.Body)
		}
	}
	if reads.Load() != 1 || otherReads.Load() != 1 {
		t.Errorf("the datasets were read %d and %d times for one snapshot each", reads.Load(), otherReads.Load())
	}
	srv.SetSnapshot(graph.NewSnapshot(ds))
	exportFetch(t, h, "/export/graphml")
	exportFetch(t, h, "/export/gexf")
	if reads.Load() != 2 {
		t.Errorf("after a new snapshot the dataset was read %d times in all, want 2", reads.Load())
	}
}
