package storetest

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// stoppingT records how a helper stopped its test: as t.Fatal and t.Skip
// do, it ends the goroutine that called them.
type stoppingT struct {
	testing.TB
	skipped, failed string
}

func (t *stoppingT) Helper() {}
func (t *stoppingT) Fatal(args ...any) {
	t.failed = fmt.Sprint(args...)
	runtime.Goexit()
}
func (t *stoppingT) Skipf(format string, args ...any) {
	t.skipped = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// on runs f on a stoppingT in a goroutine of its own, as the testing
// package runs a test, and returns how it stopped.
func on(tb testing.TB, f func(testing.TB)) *stoppingT {
	st := &stoppingT{TB: tb}
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(st)
	}()
	<-done
	return st
}

func TestNeo4jSkipsFailsOrNamesTheServer(t *testing.T) {
	for _, c := range []struct {
		uri, require     string
		skip, fail, runs bool
	}{
		{uri: "", require: "", skip: true},
		{uri: "", require: "1", fail: true},
		{uri: "bolt://127.0.0.1:1", require: "", runs: true},
		{uri: "bolt://127.0.0.1:1", require: "1", runs: true},
	} {
		t.Setenv("NEO4J_URI", c.uri)
		t.Setenv("COOPGRAPH_REQUIRE_NEO4J", c.require)
		t.Setenv("NEO4J_USER", "u")
		t.Setenv("NEO4J_PASSWORD", "p")
		t.Setenv("NEO4J_DATABASE", "d")
		var env Neo4jEnv
		st := on(t, func(tb testing.TB) { env = Neo4j(tb, "the test of the test") })
		switch {
		case c.skip && (st.skipped == "" || st.failed != "" || !strings.Contains(st.skipped, "the test of the test")):
			t.Errorf("URI %q require %q: skipped %q, failed %q; want a skip naming the test", c.uri, c.require, st.skipped, st.failed)
		case c.fail && (st.failed == "" || st.skipped != "" || !strings.Contains(st.failed, "COOPGRAPH_REQUIRE_NEO4J")):
			t.Errorf("URI %q require %q: skipped %q, failed %q; want a failure naming COOPGRAPH_REQUIRE_NEO4J", c.uri, c.require, st.skipped, st.failed)
		case c.runs && (st.skipped != "" || st.failed != "" || env != Neo4jEnv{URI: c.uri, User: "u", Password: "p", Database: "d"}):
			t.Errorf("URI %q require %q: skipped %q, failed %q, env %+v; want the server of the environment", c.uri, c.require, st.skipped, st.failed, env)
		}

		ran := false
		st = on(t, func(tb testing.TB) { Neo4jTestsRun(tb, "the test of the test"); ran = true })
		if want := c.uri != "" || c.require != ""; ran != want || st.failed != "" || (st.skipped != "") == want {
			t.Errorf("URI %q require %q: Neo4jTestsRun ran %v (skipped %q), want %v", c.uri, c.require, ran, st.skipped, want)
		}
	}
}
