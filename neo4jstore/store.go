// Package neo4jstore keeps the cooperation network in Neo4j: it loads a
// dataset (Load) and answers the API's reads (Store) with the same answers as
// the embedded store. It is the only package that imports the Neo4j driver.
//
// Every query is parameterised; reads run in managed read transactions and
// writes in managed write transactions whose callbacks are idempotent, so the
// driver may retry them. Sessions are opened per call and never shared
// between goroutines.
package neo4jstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/coopgraph/coopgraph"
)

// Config says how to reach Neo4j. Printed (%v, %+v, %#v), logged (slog)
// or marshalled to JSON, it shows no password.
type Config struct {
	URI      string // bolt://host:7687, or neo4j://host for a routed cluster
	User     string
	Password string
	Database string // empty: the server's default database
}

// String is the configuration with the password, and any password written
// into the URI, replaced by xxxxx.
func (c Config) String() string {
	pw := ""
	if c.Password != "" {
		pw = "xxxxx"
	}
	return fmt.Sprintf("{URI:%s User:%s Password:%s Database:%s}", redactURI(c.URI), c.User, pw, c.Database)
}

// GoString is String for %#v.
func (c Config) GoString() string { return "neo4jstore.Config" + c.String() }

// LogValue is String for slog, whose JSON handler would otherwise write
// the fields.
func (c Config) LogValue() slog.Value { return slog.StringValue(c.String()) }

// MarshalJSON writes the configuration without its passwords.
func (c Config) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct{ URI, User, Database string }{redactURI(c.URI), c.User, c.Database})
}

// redactURI hides the password of a URI (bolt://user:password@host).
func redactURI(uri string) string {
	u, err := url.Parse(uri)
	if err != nil {
		return "(a URI that does not parse)"
	}
	return u.Redacted()
}

// scrub removes the secrets of cfg from a message: the driver's errors may
// quote the URI, password and all.
func (c Config) scrub(msg string) string {
	for _, secret := range []string{c.Password, uriPassword(c.URI)} {
		if secret != "" {
			msg = strings.ReplaceAll(msg, secret, "xxxxx")
		}
	}
	return msg
}

// uriPassword is the password written into uri, found even when uri does
// not parse (which is when the driver quotes it whole).
func uriPassword(uri string) string {
	_, rest, ok := strings.Cut(uri, "://")
	if !ok {
		return ""
	}
	userinfo, _, ok := strings.Cut(rest, "@")
	if !ok {
		return ""
	}
	_, pw, _ := strings.Cut(userinfo, ":")
	return pw
}

// Store reads the network from Neo4j.
type Store struct {
	driver neo4j.DriverWithContext
	db     string
	// bookmarks chains every session of this store causally: a read
	// never sees an older state than one seen before, even when a cluster
	// routes it to another server (the snapshot refresher reads Version,
	// then Dataset, and the second must not be older than the first).
	bookmarks neo4j.BookmarkManager
}

var _ coopgraph.Store = (*Store)(nil)

// Open connects to Neo4j and checks that it answers.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	auth := neo4j.NoAuth()
	if cfg.User != "" {
		auth = neo4j.BasicAuth(cfg.User, cfg.Password, "")
	}
	driver, err := neo4j.NewDriverWithContext(cfg.URI, auth)
	if err != nil {
		// The driver's message may quote the URI whole, with a password
		// written into it.
		return nil, coopgraph.Errorf(coopgraph.EINVALID, "neo4j: %s", cfg.scrub(err.Error()))
	}
	s := &Store{driver: driver, db: cfg.Database, bookmarks: neo4j.NewBookmarkManager(neo4j.BookmarkManagerConfig{})}
	if err := s.Ready(ctx); err != nil {
		_ = driver.Close(ctx)
		return nil, err
	}
	return s, nil
}

// Close closes the driver.
func (s *Store) Close(ctx context.Context) error { return s.driver.Close(ctx) }

// Ready checks connectivity (and credentials).
func (s *Store) Ready(ctx context.Context) error {
	if err := s.driver.VerifyConnectivity(ctx); err != nil {
		return classify(err)
	}
	return nil
}

// classify sorts a driver error: connection trouble is UNAVAILABLE
// (the API says so and /readyz turns false); anything else is INTERNAL,
// wrapped so that the CLI and the logs keep the driver's words while the API
// shows only "internal error".
func classify(err error) error {
	var e *coopgraph.Error
	if errors.As(err, &e) {
		return err
	}
	var nerr *neo4j.Neo4jError
	switch {
	case errors.As(err, &nerr) && nerr.Code == "Neo.ClientError.Security.Unauthorized":
		return coopgraph.Errorf(coopgraph.EUNAVAILABLE, "neo4j refused the credentials")
	case neo4j.IsConnectivityError(err), neo4j.IsRetryable(err), errors.Is(err, context.DeadlineExceeded):
		return &coopgraph.Error{Code: coopgraph.EUNAVAILABLE, Message: fmt.Sprintf("neo4j is unavailable: %v", err)}
	}
	return fmt.Errorf("neo4j: %w", err)
}

func (s *Store) session(ctx context.Context, mode neo4j.AccessMode) neo4j.SessionWithContext {
	return s.driver.NewSession(ctx, neo4j.SessionConfig{AccessMode: mode, DatabaseName: s.db, BookmarkManager: s.bookmarks})
}

// closeSession closes sess, for a defer. Its error is dropped on purpose:
// the driver's Close reports only the failure of an explicit transaction,
// and this package runs managed ones only (ExecuteRead, ExecuteWrite),
// whose failures they return themselves.
func closeSession(ctx context.Context, sess neo4j.SessionWithContext) {
	_ = sess.Close(ctx)
}

// read runs one parameterised query in a managed read transaction and
// converts each record with conv.
func read[T any](ctx context.Context, s *Store, cypher string, params map[string]any, conv func(*neo4j.Record) (T, error)) ([]T, error) {
	sess := s.session(ctx, neo4j.AccessModeRead)
	defer closeSession(ctx, sess)
	out, err := neo4j.ExecuteRead(ctx, sess, func(tx neo4j.ManagedTransaction) ([]T, error) {
		return collect(ctx, tx, cypher, params, conv)
	})
	if err != nil {
		return nil, classify(err)
	}
	return out, nil
}

// collect runs cypher in tx and converts every record. The slice is fresh
// on every call: a transaction's callback may be retried.
func collect[T any](ctx context.Context, tx neo4j.ManagedTransaction, cypher string, params map[string]any, conv func(*neo4j.Record) (T, error)) ([]T, error) {
	res, err := tx.Run(ctx, cypher, params)
	if err != nil {
		return nil, err
	}
	var out []T
	for res.Next(ctx) {
		v, err := conv(res.Record())
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, res.Err()
}

// The search reads its candidates' names only (id, kind, name, aliases),
// ranks them, and reads the whole entities of the hits it returns
// (entitiesCypher), in one read transaction. A common prefix ("pic",
// "h20") has 20–30,000 candidates on CORDIS: reading them all, even by
// name, takes half a second. So it first asks Neo4j to rank them and
// return the best first (searchBest): coopgraph.RankTokens's rank follows
// from the folded names stored at load (coopgraph.SearchNames), the order
// within a rank from coopgraph.SearchOrderKey. When that gives first hits
// they are the answer. Otherwise there are fewer matches than first, and
// it reads every candidate, few then, and ranks them in Go: a database
// loaded before those properties existed ranks nothing in Cypher and gets
// the same answers that way, slower.
const (
	searchIndexCandidates = `
CALL db.index.fulltext.queryNodes($index, $query) YIELD node
WHERE (size($kinds) = 0 OR node.kind IN $kinds)`
	// searchScanCandidates applies coopgraph's rule itself (every query
	// word starts a word of searchText), for queries the full-text index
	// cannot serve.
	searchScanCandidates = `
MATCH (node:Entity)
WHERE (size($kinds) = 0 OR node.kind IN $kinds)
  AND all(w IN $words WHERE node.searchText STARTS WITH w OR node.searchText CONTAINS (' ' + w))`
	searchBest = `
WITH node, node.searchNames AS names
WITH node, names, [name IN names | split(name, ' ')] AS words
WHERE all(w IN $words WHERE any(ws IN words WHERE any(x IN ws WHERE x STARTS WITH w)))
WITH node, CASE
    WHEN names[0] = $joined THEN 0
    WHEN $joined IN names[1..] THEN 1
    WHEN names[0] STARTS WITH $joined THEN 2
    WHEN any(name IN names[1..] WHERE name STARTS WITH $joined) THEN 3
    WHEN all(w IN $words WHERE any(x IN words[0] WHERE x STARTS WITH w)) THEN 4
    WHEN any(ws IN words[1..] WHERE all(w IN $words WHERE any(x IN ws WHERE x STARTS WITH w))) THEN 5
    ELSE 6
  END AS rank
RETURN node.id AS id, node.kind AS kind, node.name AS name, node.aliases AS aliases
ORDER BY rank, node.searchOrder
LIMIT $first`
	searchReturn = `
RETURN node.id AS id, node.kind AS kind, node.name AS name, node.aliases AS aliases`
)

// Search finds candidates with the full-text index and ranks them with
// coopgraph.RankSearch, the same ranking as the embedded store, so both
// return the same entities in the same order.
func (s *Store) Search(ctx context.Context, text string, kinds []string, first int) ([]coopgraph.Entity, error) {
	q, err := coopgraph.SearchQuery(text, kinds)
	if err != nil {
		return nil, err
	}
	candidates := searchScanCandidates
	params := map[string]any{"words": q, "kinds": orEmpty(kinds), "joined": strings.Join(q, " "), "first": first}
	if lq := luceneQuery(q); lq != "" {
		candidates = searchIndexCandidates
		params["index"], params["query"] = searchIndex, lq
	}
	return executeRead(ctx, s, false, func(tx neo4j.ManagedTransaction) ([]coopgraph.Entity, error) {
		var hits []coopgraph.Entity
		if first >= 0 {
			if hits, err = searchRanked(ctx, tx, candidates+searchBest, params, q, kinds, first); err != nil {
				return nil, err
			}
		}
		if first < 0 || len(hits) < first {
			if hits, err = searchRanked(ctx, tx, candidates+searchReturn, params, q, kinds, first); err != nil {
				return nil, err
			}
		}
		if len(hits) == 0 {
			return hits, nil
		}
		ids := make([]string, len(hits))
		for i, e := range hits {
			ids[i] = e.ID
		}
		found, err := collect(ctx, tx, entitiesCypher, map[string]any{"ids": ids}, recordEntity("n"))
		if err != nil {
			return nil, err
		}
		return inOrder(ids, found)
	})
}

// searchRanked reads the candidates cypher returns (id, kind, name and
// aliases) and ranks them.
func searchRanked(ctx context.Context, tx neo4j.ManagedTransaction, cypher string, params map[string]any,
	q, kinds []string, first int) ([]coopgraph.Entity, error) {
	candidates, err := collect(ctx, tx, cypher, params, recordSearchName)
	if err != nil {
		return nil, err
	}
	return coopgraph.RankSearch(candidates, q, kinds, first), nil
}

// luceneQuery makes "w1* AND w2*" of the query words, a superset of what
// RankSearch keeps. The standard-folding analyzer drops English stop words
// from the index, so a word that starts a stop word ("th", "of") could miss
// entities whose only matching word is that stop word: such words are left
// to RankSearch, and when none is left the query is "" (scan instead).
// Tokens holds only letters and digits, so no word carries Lucene syntax;
// lower case keeps "and", "or", "not" from being read as operators.
func luceneQuery(words []string) string {
	q := ""
	for _, w := range words {
		if startsStopWord(w) {
			continue
		}
		if q != "" {
			q += " AND "
		}
		q += w + "*"
	}
	return q
}

// luceneStopWords is Lucene's English stop word set, which Neo4j's
// standard-folding analyzer removes.
var luceneStopWords = []string{"a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into",
	"is", "it", "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these", "they",
	"this", "to", "was", "will", "with"}

func startsStopWord(w string) bool {
	for _, s := range luceneStopWords {
		if strings.HasPrefix(s, w) {
			return true
		}
	}
	return false
}

const entitiesCypher = `MATCH (n:Entity) WHERE n.id IN $ids RETURN n`

// byRecordCypher finds entities by the ids of records merged into them. A
// list property has no index: it scans the merged entities, and runs only
// for ids that are no entity's own (a merged-away id, or an unknown one).
const byRecordCypher = `MATCH (n:Entity) WHERE n.recordIds IS NOT NULL AND any(x IN n.recordIds WHERE x IN $ids) RETURN n`

// Entities returns the entities in the order of ids, an id of a merged
// record giving the entity it was merged into.
func (s *Store) Entities(ctx context.Context, ids []string) ([]coopgraph.Entity, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	found, err := executeRead(ctx, s, false, func(tx neo4j.ManagedTransaction) ([]coopgraph.Entity, error) {
		found, err := collect(ctx, tx, entitiesCypher, map[string]any{"ids": ids}, recordEntity("n"))
		if err != nil || len(found) == len(ids) {
			return found, err
		}
		own := make(map[string]bool, len(found))
		for _, e := range found {
			own[e.ID] = true
		}
		var missing []string
		for _, id := range ids {
			if !own[id] {
				missing = append(missing, id)
			}
		}
		if len(missing) == 0 {
			return found, nil // an id asked twice
		}
		merged, err := collect(ctx, tx, byRecordCypher, map[string]any{"ids": missing}, recordEntity("n"))
		return append(found, merged...), err
	})
	if err != nil {
		return nil, err
	}
	return inOrder(ids, found)
}

// inOrder puts the entities found in the order of ids, an entity found by
// the id of a record merged into it at that id too; an id not found is
// ENOTFOUND naming it.
func inOrder(ids []string, found []coopgraph.Entity) ([]coopgraph.Entity, error) {
	byID := make(map[string]coopgraph.Entity, len(found))
	for _, e := range found {
		byID[e.ID] = e
	}
	for _, e := range found {
		for _, r := range e.Records {
			if _, own := byID[r.ID]; !own {
				byID[r.ID] = e
			}
		}
	}
	out := make([]coopgraph.Entity, len(ids))
	for i, id := range ids {
		e, ok := byID[id]
		if !ok {
			return nil, coopgraph.Errorf(coopgraph.ENOTFOUND, "unknown entity id %q", id)
		}
		out[i] = e
	}
	return out, nil
}

// neighbourFilter is the WHERE clause of coopgraph.NeighbourFilter for a
// relation r to an entity o. Dates compare as coopgraph.DateOnOrBefore says:
// at the coarser precision of the two, which left() gives in Cypher.
const neighbourFilter = `
WHERE (size($types) = 0 OR type(r) IN $types)
  AND (size($kinds) = 0 OR o.kind IN $kinds)
  AND ($activeTo = '' OR r.start IS NULL OR left(r.start, size($activeTo)) <= left($activeTo, size(r.start)))
  AND ($activeFrom = '' OR r.end IS NULL OR left($activeFrom, size(r.end)) <= left(r.end, size($activeFrom)))`

// A self-loop matches an undirected pattern twice, hence DISTINCT. The
// counts group by n.id so that an unknown id gives no row (not a count of 0).
const (
	relationsCountCypher = `
MATCH (n:Entity {id: $id})
OPTIONAL MATCH (n)-[r]-(o:Entity)` + neighbourFilter + `
RETURN n.id AS id, count(DISTINCT r) AS total`
	neighboursCountCypher = `
MATCH (n:Entity {id: $id})
OPTIONAL MATCH (n)-[r]-(o:Entity)` + neighbourFilter + `
RETURN n.id AS id, count(DISTINCT o) AS total`
	// The order is coopgraph.LessNeighbour's.
	relationsPageCypher = `
MATCH (:Entity {id: $id})-[r]-(o:Entity)` + neighbourFilter + `
WITH DISTINCT r, o
RETURN r, startNode(r).id AS from, endNode(r).id AS to
ORDER BY o.id, type(r), r.id SKIP $offset LIMIT $limit`
	neighboursPageCypher = `
MATCH (:Entity {id: $id})-[r]-(o:Entity)` + neighbourFilter + `
WITH DISTINCT o ORDER BY o.id SKIP $offset LIMIT $limit
MATCH (:Entity {id: $id})-[r]-(o)` + neighbourFilter + `
WITH DISTINCT o, r
RETURN o, r, startNode(r).id AS from, endNode(r).id AS to`
)

// Relations returns a page of the relations touching id that pass f, in
// coopgraph.LessNeighbour order, and how many pass in all.
func (s *Store) Relations(ctx context.Context, id string, f coopgraph.NeighbourFilter, offset, first int) ([]coopgraph.Relation, int, error) {
	var rels []coopgraph.Relation
	total, err := s.neighbourPage(ctx, id, f, offset, first, relationsCountCypher, relationsPageCypher, func(rec *neo4j.Record) error {
		r, err := recordRelation(rec)
		rels = append(rels, r)
		return err
	}, func() { rels = nil })
	if err != nil {
		return nil, 0, err
	}
	return rels, total, nil
}

// Neighbours returns a page of the entities at the other end of the
// relations touching id that pass f, by id, each with those relations in
// coopgraph.LessNeighbour order, and how many such entities there are.
func (s *Store) Neighbours(ctx context.Context, id string, f coopgraph.NeighbourFilter, offset, first int) ([]coopgraph.Neighbour, int, error) {
	var out []coopgraph.Neighbour
	at := map[string]int{}
	conv := recordEntity("o")
	total, err := s.neighbourPage(ctx, id, f, offset, first, neighboursCountCypher, neighboursPageCypher, func(rec *neo4j.Record) error {
		r, err := recordRelation(rec)
		if err != nil {
			return err
		}
		o := r.Other(id)
		i, ok := at[o]
		if !ok {
			e, err := conv(rec)
			if err != nil {
				return err
			}
			i, at[o] = len(out), len(out)
			out = append(out, coopgraph.Neighbour{Entity: e})
		}
		out[i].Relations = append(out[i].Relations, r)
		return nil
	}, func() { out, at = nil, map[string]int{} })
	if err != nil {
		return nil, 0, err
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Entity.ID < out[b].Entity.ID })
	for _, n := range out {
		sort.Slice(n.Relations, func(a, b int) bool { return coopgraph.LessNeighbour(id, n.Relations[a], n.Relations[b]) })
	}
	return out, total, nil
}

// neighbourPage counts (countCypher) and reads one page (pageCypher, each
// record given to row) in one read transaction, so that the count and the
// page see the same state. reset empties what row collected, for a retry.
func (s *Store) neighbourPage(ctx context.Context, id string, f coopgraph.NeighbourFilter, offset, first int,
	countCypher, pageCypher string, row func(*neo4j.Record) error, reset func()) (int, error) {
	if err := f.Check(); err != nil {
		return 0, err
	}
	params := map[string]any{
		"id": id, "types": orEmpty(f.RelationTypes), "kinds": orEmpty(f.Kinds),
		"activeFrom": f.ActiveFrom, "activeTo": f.ActiveTo, "offset": max(offset, 0),
	}
	total, err := executeRead(ctx, s, false, func(tx neo4j.ManagedTransaction) (int, error) {
		reset()
		res, err := tx.Run(ctx, countCypher, params)
		if err != nil {
			return 0, err
		}
		if !res.Next(ctx) {
			return -1, res.Err() // no row: the entity does not exist
		}
		total, _, err := neo4j.GetRecordValue[int64](res.Record(), "total")
		if err != nil {
			return 0, err
		}
		params["limit"] = total // all of them when first < 0
		if first >= 0 {
			params["limit"] = int64(first)
		}
		if res, err = tx.Run(ctx, pageCypher, params); err != nil {
			return 0, err
		}
		for res.Next(ctx) {
			if err := row(res.Record()); err != nil {
				return 0, err
			}
		}
		return int(total), res.Err()
	})
	if err != nil {
		return 0, err
	}
	if total < 0 {
		return 0, coopgraph.Errorf(coopgraph.ENOTFOUND, "unknown entity id %q", id)
	}
	return total, nil
}

// markersCypher lists the load markers (see markLoading): one per dataset,
// whose id changes with every complete load of that dataset.
const markersCypher = `
MATCH (l:CoopgraphLoad)
RETURN l.dataset AS dataset, l.id AS id, l.state AS state, l.startedAt AS startedAt
ORDER BY dataset`

// servable reads the load markers in tx: the version they make when every
// load they record completed, else a *coopgraph.NotServableError naming the
// dataset whose load did not.
func servable(ctx context.Context, tx neo4j.ManagedTransaction) (string, error) {
	type marker struct {
		dataset, id, state string
		started            time.Time
	}
	ms, err := collect(ctx, tx, markersCypher, nil, func(rec *neo4j.Record) (marker, error) {
		v := rec.Values
		return marker{dataset: str(v[0]), id: str(v[1]), state: str(v[2]), started: timeOf(v[3])}, nil
	})
	if err != nil {
		return "", err
	}
	vs := make([]string, 0, len(ms))
	for _, m := range ms {
		switch m.state {
		case "complete", "": // "": a marker from before states, written last by a complete load
		case "loading":
			return "", &coopgraph.NotServableError{Reason: fmt.Sprintf(
				"the store holds an incomplete load of dataset %q (started %s): it is still running, or it was stopped before its end; "+
					"coopgraph serves complete loads only: wait for that load to finish, or run `coopgraph load` for this dataset again",
				m.dataset, stamp(m.started))}
		default:
			return "", &coopgraph.NotServableError{Reason: fmt.Sprintf(
				"the load of dataset %q is in a state this coopgraph does not know (%q): it was written by a newer coopgraph; "+
					"serve with that version, or run `coopgraph load` for this dataset again with this one", m.dataset, m.state)}
		}
		vs = append(vs, m.dataset+"@"+m.id)
	}
	return strings.Join(vs, " "), nil
}

// executeRead runs fn in a managed read transaction, then looks at the load
// markers in the same transaction, so that it never answers from a load in
// progress or interrupted. Neo4j reads what is committed as it goes (read
// committed), not one snapshot; but a load commits its "loading" marker
// before any of its writes, so a read that met one of them finds the
// marker at its end, unless that load also completed meanwhile: then the
// read may mix two complete loads. withBefore looks at the markers before
// fn too, and refuses when they changed: Dataset does, whose read lasts
// seconds, long enough for a small load to start and complete. The short
// reads of the API do not: each look is a round trip (BenchmarkMarkerCheck),
// and a whole load (lock, marker, reads, batches, last transaction) does not
// fit inside one of them in practice.
func executeRead[T any](ctx context.Context, s *Store, withBefore bool, fn func(tx neo4j.ManagedTransaction) (T, error)) (T, error) {
	sess := s.session(ctx, neo4j.AccessModeRead)
	defer closeSession(ctx, sess)
	out, err := neo4j.ExecuteRead(ctx, sess, func(tx neo4j.ManagedTransaction) (T, error) {
		var zero T
		var before string
		if withBefore {
			v, err := servable(ctx, tx)
			if err != nil {
				return zero, err
			}
			before = v
		}
		out, err := fn(tx)
		if err != nil {
			return zero, err
		}
		after, err := servable(ctx, tx)
		if err != nil {
			return zero, err
		}
		if withBefore && after != before {
			return zero, &coopgraph.NotServableError{Reason: "a load completed while the network was read from the store: what was read mixes two loads; it is read again"}
		}
		return out, nil
	})
	if err != nil {
		var zero T
		return zero, classify(err)
	}
	return out, nil
}

// Version joins the load markers: it changes when any load completes.
// Without a marker (nothing loaded yet) it is "". While a load has not
// completed it is a *coopgraph.NotServableError.
func (s *Store) Version(ctx context.Context) (string, error) {
	sess := s.session(ctx, neo4j.AccessModeRead)
	defer closeSession(ctx, sess)
	v, err := neo4j.ExecuteRead(ctx, sess, func(tx neo4j.ManagedTransaction) (string, error) {
		return servable(ctx, tx)
	})
	if err != nil {
		return "", classify(err)
	}
	return v, nil
}

// creditsCypher reads the credit lines of the loaded datasets, kept on
// their load markers (see markLoad).
const creditsCypher = `MATCH (l:CoopgraphLoad) WHERE l.credits IS NOT NULL RETURN l.credits AS credits ORDER BY l.dataset`

// documentsCypher reads the documents of the loaded datasets (see
// replaceDocuments), one per id: the first dataset's in name order.
const documentsCypher = `MATCH (d:Document) RETURN d ORDER BY d.id, d.dataset`

// Dataset reads every entity and relation, for the analytics snapshot. The
// two reads run in one read transaction, checked as executeRead says, so
// that they see one complete load.
func (s *Store) Dataset(ctx context.Context) (*coopgraph.Dataset, error) {
	return executeRead(ctx, s, true, func(tx neo4j.ManagedTransaction) (*coopgraph.Dataset, error) {
		ds := &coopgraph.Dataset{Name: "neo4j"}
		credits, err := collect(ctx, tx, creditsCypher, nil, func(rec *neo4j.Record) ([]string, error) { return strs(rec.Values[0]), nil })
		if err != nil {
			return nil, err
		}
		for _, cs := range credits {
			for _, c := range cs {
				if !slices.Contains(ds.Credits, c) {
					ds.Credits = append(ds.Credits, c)
				}
			}
		}
		docs, err := collect(ctx, tx, documentsCypher, nil, func(rec *neo4j.Record) (coopgraph.Document, error) {
			n, _, err := neo4j.GetRecordValue[neo4j.Node](rec, "d")
			return recordDocument(n), err
		})
		if err != nil {
			return nil, err
		}
		for _, d := range docs {
			if len(ds.Documents) == 0 || ds.Documents[len(ds.Documents)-1].ID != d.ID {
				ds.Documents = append(ds.Documents, d)
			}
		}
		res, err := tx.Run(ctx, `MATCH (n:Entity) RETURN n ORDER BY n.id`, nil)
		if err != nil {
			return nil, err
		}
		conv := recordEntity("n")
		for res.Next(ctx) {
			e, err := conv(res.Record())
			if err != nil {
				return nil, err
			}
			ds.Entities = append(ds.Entities, e)
		}
		if err := res.Err(); err != nil {
			return nil, err
		}
		res, err = tx.Run(ctx, `MATCH (a:Entity)-[r]->(b:Entity)
RETURN r, a.id AS from, b.id AS to ORDER BY r.id`, nil)
		if err != nil {
			return nil, err
		}
		for res.Next(ctx) {
			r, err := recordRelation(res.Record())
			if err != nil {
				return nil, err
			}
			ds.Relations = append(ds.Relations, r)
		}
		return ds, res.Err()
	})
}

// orEmpty keeps a nil list from reaching Cypher as null.
func orEmpty(ss []string) []string {
	if ss == nil {
		return []string{}
	}
	return ss
}
