package neo4jstore

import (
	"context"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/graph"
	"github.com/coopgraph/coopgraph/storetest"
)

// TestConformance runs the store conformance suite (storetest) against
// Neo4j: its answers must be the embedded store's, to the byte.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T, ds *coopgraph.Dataset) coopgraph.Store {
		s := openTestStore(t)
		mustLoad(t, s, ds)
		return s
	})
}

// TestShortestPathsMatchCypher cross-checks the engine with Neo4j's own path
// search: for many entity pairs, the length and number of shortest paths
// equal what Cypher allShortestPaths finds over the same data.
func TestShortestPathsMatchCypher(t *testing.T) {
	s := openTestStore(t)
	ds := storetest.Seed(t)
	mustLoad(t, s, ds)
	snap := graph.NewSnapshot(ds)
	rng := rand.New(rand.NewPCG(2, 3))
	type answer struct {
		length int64
		count  int64
	}
	pairs := 0
	for pairs < 300 {
		a := ds.Entities[rng.IntN(len(ds.Entities))].ID
		b := ds.Entities[rng.IntN(len(ds.Entities))].ID
		if a == b {
			continue
		}
		pairs++
		rows, err := read(context.Background(), s, `
MATCH (a:Entity {id: $a}), (b:Entity {id: $b})
MATCH p = allShortestPaths((a)-[*]-(b))
RETURN length(p) AS length, count(p) AS count`, map[string]any{"a": a, "b": b},
			func(r *neo4j.Record) (answer, error) {
				return answer{r.Values[0].(int64), r.Values[1].(int64)}, nil
			})
		if err != nil {
			t.Fatal(err)
		}
		paths, total, err := snap.AllShortestPaths(a, b, graph.PathOptions{}, -1)
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case len(rows) == 0 && total != 0:
			t.Errorf("%s–%s: Cypher finds no path, coopgraph %d", a, b, total)
		case len(rows) == 1 && (total != rows[0].count || int64(len(paths[0].Relations)) != rows[0].length):
			t.Errorf("%s–%s: Cypher %d paths of length %d, coopgraph %d of length %d",
				a, b, rows[0].count, rows[0].length, total, len(paths[0].Relations))
		case len(rows) > 1:
			t.Errorf("%s–%s: Cypher gave paths of several lengths: %+v", a, b, rows)
		}
		if int64(len(paths)) != total {
			t.Errorf("%s–%s: %d paths listed, %d counted", a, b, len(paths), total)
		}
	}
}

func TestLuceneQueryLeavesStopWordPrefixesToTheRanking(t *testing.T) {
	for words, want := range map[string]string{
		"region murcia": "region* AND murcia*",
		"region of":     "region*",
		"th":            "",
		"office brus":   "office* AND brus*",
	} {
		if got := luceneQuery(strings.Fields(words)); got != want {
			t.Errorf("luceneQuery(%q) = %q, want %q", words, got, want)
		}
	}
}

// TestSearchWithoutSearchNamesEqualsTheEmbeddedStore: a database loaded
// before the search names existed makes every search read all its
// candidates, and answer as the embedded store does (the ranked case runs
// in TestConformance).
func TestSearchWithoutSearchNamesEqualsTheEmbeddedStore(t *testing.T) {
	s := openTestStore(t)
	ds, texts := storetest.SearchWords()
	mustLoad(t, s, ds)
	ctx := context.Background()
	sess := s.driver.NewSession(ctx, neo4j.SessionConfig{AccessMode: neo4j.AccessModeWrite})
	defer sess.Close(ctx)
	if _, err := neo4j.ExecuteWrite(ctx, sess, func(tx neo4j.ManagedTransaction) (any, error) {
		res, err := tx.Run(ctx, `MATCH (n:Entity) REMOVE n.searchNames, n.searchOrder`, nil)
		if err != nil {
			return nil, err
		}
		return res.Consume(ctx)
	}); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d searches equal", storetest.SameSearches(t, "without search names", s, ds, texts))
}

// TestLinkedConformance runs storetest.RunLinked against Neo4j: the
// built-in linked network loaded into it must answer as the embedded
// store. Loading its 111,251 entities and 300,762 relations takes about
// 75 s on the 2-core development machine (the whole test about 2 min):
// `-run TestLinkedConformance` runs it alone, `-skip` leaves it out.
func TestLinkedConformance(t *testing.T) {
	storetest.RunLinked(t, func(t *testing.T, ds *coopgraph.Dataset) coopgraph.Store {
		s := openTestStore(t)
		start := time.Now()
		mustLoad(t, s, ds)
		t.Logf("neo4jstore.Load: %v", time.Since(start).Round(time.Millisecond))
		return s
	})
}
