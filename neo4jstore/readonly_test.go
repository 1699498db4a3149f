package neo4jstore

// Least privilege: everything the server asks Neo4j runs in read
// transactions, which Neo4j itself keeps from writing (on Community too,
// which has no read-only users); only Load writes.

import (
	"context"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/storetest"
)

// The server reaches Neo4j only through the coopgraph.Store methods, all
// in store.go, and store.go opens only read sessions, runs only managed
// read transactions and never calls the write helpers of load.go.
func TestStoreGoOnlyReads(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "store.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	declared := map[string]bool{}
	for _, d := range f.Decls {
		if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv != nil {
			declared[fn.Name.Name] = true
		}
	}
	iface := reflect.TypeFor[coopgraph.Store]()
	for i := range iface.NumMethod() {
		if name := iface.Method(i).Name; !declared[name] {
			t.Errorf("Store.%s is not declared in store.go: the server's reads must all be checked here", name)
		}
	}
	sessions := 0
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.SelectorExpr:
			switch n.Sel.Name {
			case "ExecuteWrite", "AccessModeWrite", "ExecuteQuery", "ExecuteQueryWithWritersRouting", "write", "writeTx":
				t.Errorf("%s: store.go uses %s: the server's access must be read-only", fset.Position(n.Pos()), n.Sel.Name)
			}
		case *ast.CallExpr:
			sel, ok := n.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			recv, _ := sel.X.(*ast.Ident)
			switch {
			case sel.Sel.Name == "session" && recv != nil && recv.Name == "s":
				sessions++
				mode, ok := n.Args[1].(*ast.SelectorExpr)
				if !ok || mode.Sel.Name != "AccessModeRead" {
					t.Errorf("%s: a session opened in another mode than AccessModeRead", fset.Position(n.Pos()))
				}
			case sel.Sel.Name == "Run" && (recv == nil || recv.Name != "tx"):
				t.Errorf("%s: Run outside a managed transaction (tx.Run): an auto-commit query", fset.Position(n.Pos()))
			case sel.Sel.Name == "NewSession":
				if fn := enclosing(f, n.Pos()); fn != "session" {
					t.Errorf("%s: %s opens a session itself instead of through s.session", fset.Position(n.Pos()), fn)
				}
			}
		}
		return true
	})
	if sessions < 3 {
		t.Errorf("found %d read sessions in store.go: the check above looks at the wrong code", sessions)
	}
}

// enclosing names the function declared around pos.
func enclosing(f *ast.File, pos token.Pos) string {
	for _, d := range f.Decls {
		if fn, ok := d.(*ast.FuncDecl); ok && fn.Pos() <= pos && pos < fn.End() {
			return fn.Name.Name
		}
	}
	return ""
}

// openReadOnlyCheck opens the store of NEO4J_URI without touching the data.
func openReadOnlyCheck(t *testing.T) (*Store, Config) {
	t.Helper()
	cfg := testConfig(storetest.Neo4j(t, "the read-only checks"))
	s, err := Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close(context.Background()) })
	return s, cfg
}

// refusedForReadMode reports whether err is Neo4j refusing a write in a
// read transaction.
func refusedForReadMode(err error) bool {
	var nerr *neo4j.Neo4jError
	return errors.As(err, &nerr) && nerr.Code == "Neo.ClientError.Statement.AccessMode" &&
		strings.Contains(nerr.Msg, "Writing in read access mode not allowed")
}

// Writes sent through the sessions and transactions the server's reads use
// (read(), which every read goes through, and s.session with
// AccessModeRead) are refused by Neo4j itself: data, schema and users.
// Nothing is left behind. It writes nothing, so it runs beside tests that
// wipe the database.
func TestNeo4jRefusesWritesInTheServersReadTransactions(t *testing.T) {
	s, _ := openReadOnlyCheck(t)
	ctx := context.Background()
	marker := "readonly-check-" + time.Now().Format("150405.000000000")
	writes := []string{
		`CREATE (n:CoopgraphIntruder {marker: $marker}) RETURN n`,
		`MERGE (n:CoopgraphIntruder {marker: $marker}) RETURN n`,
		`MATCH (n:Entity) WITH n LIMIT 1 SET n.intruder = $marker RETURN n`,
		`MATCH (n:Entity) WITH n LIMIT 1 DETACH DELETE n RETURN count(*) AS n`,
		`CREATE INDEX coopgraph_intruder IF NOT EXISTS FOR (n:CoopgraphIntruder) ON (n.marker)`,
		`CALL db.createLabel('CoopgraphIntruder')`,
	}
	for _, cypher := range writes {
		params := map[string]any{"marker": marker}
		_, err := read(ctx, s, cypher, params, func(*neo4j.Record) (any, error) { return nil, nil })
		if err == nil {
			t.Errorf("%s: a read transaction wrote", cypher)
			continue
		}
		// The schema command is refused as a schema write; the others as
		// data writes: both with the access mode's own error.
		var nerr *neo4j.Neo4jError
		if !errors.As(err, &nerr) || !strings.HasPrefix(nerr.Code, "Neo.ClientError.") {
			t.Errorf("%s: refused, but not by Neo4j as a client error: %v", cypher, err)
		} else if !refusedForReadMode(err) {
			t.Logf("%s: refused with %s: %s", cypher, nerr.Code, nerr.Msg)
		}
		if coopgraph.ErrorCode(err) != coopgraph.EINTERNAL {
			t.Errorf("%s: code %s, want INTERNAL (a bug, never the client's)", cypher, coopgraph.ErrorCode(err))
		}
	}
	// One plain CREATE must be refused for the access mode itself.
	_, err := read(ctx, s, writes[0], map[string]any{"marker": marker}, func(*neo4j.Record) (any, error) { return nil, nil })
	if !refusedForReadMode(err) {
		t.Errorf("CREATE in a read transaction: %v, want Neo.ClientError.Statement.AccessMode (Writing in read access mode not allowed)", err)
	}
	// The session the server opens refuses an explicit transaction's write too.
	sess := s.session(ctx, neo4j.AccessModeRead)
	defer sess.Close(ctx)
	tx, err := sess.BeginTransaction(ctx)
	if err != nil {
		t.Fatal(err)
	}
	res, err := tx.Run(ctx, writes[0], map[string]any{"marker": marker})
	if err == nil {
		_, err = res.Consume(ctx)
	}
	if err == nil {
		err = tx.Commit(ctx)
	} else {
		_ = tx.Rollback(ctx)
	}
	if !refusedForReadMode(err) {
		t.Errorf("CREATE in an explicit transaction of a read session: %v", err)
	}
	left, err := read(ctx, s, `MATCH (n) WHERE n:CoopgraphIntruder OR n.intruder = $marker RETURN count(n) AS n`,
		map[string]any{"marker": marker}, func(r *neo4j.Record) (int64, error) {
			n, _, err := neo4j.GetRecordValue[int64](r, "n")
			return n, err
		})
	if err != nil || left[0] != 0 {
		t.Errorf("left behind: %v nodes (%v)", left, err)
	}
}

// A read-only Neo4j user, where the edition has roles (Enterprise, Aura's
// tiers with role-based access control): the store serves through it and
// its writes are refused. Community has users but no roles (every user is
// an admin), so there it checks that GRANT ROLE is refused and says so.
func TestAReadOnlyUserServesWhereTheEditionHasRoles(t *testing.T) {
	admin, cfg := openReadOnlyCheck(t)
	ctx := context.Background()
	const user = "coopgraph_readonly_check"
	password := "ro-" + time.Now().Format("150405.000000")
	system := func(cypher string, params map[string]any) error {
		sess := admin.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: "system", AccessMode: neo4j.AccessModeWrite})
		defer sess.Close(ctx)
		_, err := neo4j.ExecuteWrite(ctx, sess, func(tx neo4j.ManagedTransaction) (any, error) {
			res, err := tx.Run(ctx, cypher, params)
			if err != nil {
				return nil, err
			}
			return res.Consume(ctx)
		})
		return err
	}
	var edition string
	if rows, err := read(ctx, admin, `CALL dbms.components() YIELD edition RETURN edition`, nil, func(r *neo4j.Record) (string, error) {
		e, _, err := neo4j.GetRecordValue[string](r, "edition")
		return e, err
	}); err != nil {
		t.Fatal(err)
	} else {
		edition = rows[0]
	}
	if err := system(`CREATE OR REPLACE USER `+user+` SET PASSWORD $pw CHANGE NOT REQUIRED`, map[string]any{"pw": password}); err != nil {
		t.Fatalf("CREATE USER on %s: %v", edition, err)
	}
	t.Cleanup(func() { _ = system(`DROP USER `+user+` IF EXISTS`, nil) })
	err := system(`GRANT ROLE reader TO `+user, nil)
	if edition == "community" {
		var nerr *neo4j.Neo4jError
		if err == nil || !errors.As(err, &nerr) || !strings.Contains(strings.ToLower(nerr.Msg), "unsupported") {
			t.Fatalf("GRANT ROLE on Community: %v, want it refused as unsupported", err)
		}
		t.Logf("Neo4j %s has no roles (GRANT ROLE: %s): no read-only user; the server's read transactions are the guard", edition, nerr.Msg)
		return
	}
	if err != nil {
		t.Fatalf("GRANT ROLE reader on %s: %v", edition, err)
	}
	ro, err := Open(ctx, Config{URI: cfg.URI, User: user, Password: password, Database: cfg.Database})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close(ctx)
	if _, err := ro.Dataset(ctx); err != nil {
		t.Errorf("the read-only user cannot read the dataset: %v", err)
	}
	if _, err := ro.Version(ctx); err != nil {
		t.Errorf("the read-only user cannot read the load markers: %v", err)
	}
	// Even in a write transaction, the reader role writes nothing.
	sess := ro.session(ctx, neo4j.AccessModeWrite)
	defer sess.Close(ctx)
	_, werr := neo4j.ExecuteWrite(ctx, sess, func(tx neo4j.ManagedTransaction) (any, error) {
		res, err := tx.Run(ctx, `CREATE (n:CoopgraphIntruder) RETURN n`, nil)
		if err != nil {
			return nil, err
		}
		return res.Consume(ctx)
	})
	var nerr *neo4j.Neo4jError
	if werr == nil || !errors.As(werr, &nerr) || !strings.Contains(nerr.Code, "Security.Forbidden") {
		t.Errorf("a write as the read-only user: %v, want Neo.ClientError.Security.Forbidden", werr)
	}
}
