package neo4jstore

// Faults of `coopgraph load` as a real process against a real Neo4j: killed
// with SIGKILL midway and rerun, and two started at once.

import (
	"bytes"
	"context"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// coopgraphBinary builds cmd/coopgraph into a temporary directory.
func coopgraphBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "coopgraph")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/coopgraph/coopgraph/cmd/coopgraph").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// generate writes `coopgraph gen --participations n --seed seed` into a
// temporary directory.
func generate(t *testing.T, bin string, n, seed int) string {
	t.Helper()
	dir := t.TempDir()
	if out, err := exec.Command(bin, "gen", "--participations", strconv.Itoa(n), "--seed", strconv.Itoa(seed), "--out", dir).CombinedOutput(); err != nil {
		t.Fatalf("coopgraph gen: %v\n%s", err, out)
	}
	return dir
}

// loadCmd is `coopgraph load` of dir as dataset "gen"; the NEO4J_*
// variables of the test reach it through the environment.
func loadCmd(bin, dir string, args ...string) (*exec.Cmd, *bytes.Buffer) {
	cmd := exec.Command(bin, append([]string{"load", "--data", dir, "--dataset", "gen"}, args...)...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	return cmd, &out
}

func TestLoadKilledMidwayThenRerunEqualsOneCleanLoad(t *testing.T) {
	s := openTestStore(t)
	bin := coopgraphBinary(t)
	dir := generate(t, bin, 50000, 1)
	before := generate(t, bin, 50000, 2) // an earlier version of the dataset
	cmd, out := loadCmd(bin, before)
	if err := cmd.Run(); err != nil {
		t.Fatalf("load: %v\n%s", err, out)
	}
	relationsBefore := count(t, s, `MATCH ()-[r]->() RETURN count(r) AS n`, nil)
	s = openTestStore(t)
	cmd, out = loadCmd(bin, dir)
	if err := cmd.Run(); err != nil {
		t.Fatalf("clean load: %v\n%s", err, out)
	}
	clean := dump(t, s)
	entities := count(t, s, `MATCH (n:Entity) RETURN count(n) AS n`, nil)
	relations := count(t, s, `MATCH ()-[r]->() RETURN count(r) AS n`, nil)

	for _, c := range []struct {
		name string
		// the kill comes once this count passes the test
		poll string
		when func(int64) bool
		// the database holds an earlier version of the dataset, or nothing
		reload bool
	}{
		{"writing entities into an empty database", `MATCH (n:Entity) RETURN count(n) AS n`, atLeast(3000), false},
		{"writing relations into an empty database", `MATCH ()-[r]->() RETURN count(r) AS n`, atLeast(10000), false},
		{"removing the relations an earlier version had", `MATCH ()-[r]->() RETURN count(r) AS n`, func(n int64) bool { return n <= relationsBefore-5000 }, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := openTestStore(t)
			if c.reload {
				if cmd, out := loadCmd(bin, before); cmd.Run() != nil {
					t.Fatalf("load of the earlier version: %s", out)
				}
			}
			// Small batches: the load is surely midway when the count moves.
			cmd, out := loadCmd(bin, dir, "--batch-size", "200")
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			at := waitFor(t, s, c.poll, c.when, exited)
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			<-exited
			n := count(t, s, `MATCH (n:Entity) RETURN count(n) AS n`, nil)
			r := count(t, s, `MATCH ()-[r]->() RETURN count(r) AS n`, nil)
			t.Logf("killed at %d (%s): %d of %d entities, %d of %d relations in the database", at, c.poll, n, entities, r, relations)
			if count(t, s, `MATCH (l:CoopgraphLoadLock) RETURN count(l) AS n`, nil) != 1 {
				t.Fatalf("the killed load left no lock: it was not midway\n%s", out)
			}
			if !c.reload && (count(t, s, `MATCH (l:CoopgraphLoad {state: 'complete'}) RETURN count(l) AS n`, nil) != 0 || r == relations) {
				t.Fatalf("the load had finished when it was killed\n%s", out)
			}
			// What it left is never served: every read says why.
			expectNotServable(t, s)

			// The rerun needs no cleanup and no wait: the lock's process is gone.
			began := time.Now()
			rerun, out := loadCmd(bin, dir)
			if err := rerun.Run(); err != nil {
				t.Fatalf("rerun: %v\n%s", err, out)
			}
			if !strings.Contains(out.String(), "took over the lock of a load that stopped (pid "+strconv.Itoa(cmd.Process.Pid)) {
				t.Errorf("the rerun does not say it took over the killed load's lock:\n%s", out)
			}
			t.Logf("rerun in %s: %s", time.Since(began).Round(time.Millisecond), strings.TrimSpace(out.String()))
			if got := dump(t, s); got != clean {
				t.Errorf("killed and rerun, the database differs from one clean load")
			}
			if _, err := s.Version(context.Background()); err != nil {
				t.Errorf("after the rerun, Version: %v", err)
			}
		})
	}
}

func TestTwoLoadProcessesAtOnce(t *testing.T) {
	openTestStore(t) // skips without Neo4j
	bin := coopgraphBinary(t)
	dir := generate(t, bin, 20000, 1)
	t.Run("without --wait: the second is refused", func(t *testing.T) {
		s := openTestStore(t)
		a, outA := loadCmd(bin, dir)
		b, outB := loadCmd(bin, dir)
		if err := a.Start(); err != nil {
			t.Fatal(err)
		}
		if err := b.Start(); err != nil {
			t.Fatal(err)
		}
		errA, errB := a.Wait(), b.Wait()
		if (errA == nil) == (errB == nil) {
			t.Fatalf("want exactly one load refused, got %v and %v:\n%s\n%s", errA, errB, outA, outB)
		}
		won, lost, lostOut := a, b, outB
		if errA != nil {
			won, lost, lostOut = b, a, outA
		}
		want := `dataset "gen" is being loaded by another load (pid ` + strconv.Itoa(won.Process.Pid) + " on host "
		if !strings.Contains(lostOut.String(), want) || lost.ProcessState.ExitCode() == 0 {
			t.Errorf("the refused load (pid %d) should name the other: %s", lost.Process.Pid, lostOut)
		}
		if got, clean := dump(t, s), cleanLoad(t, bin, dir); got != clean {
			t.Errorf("a load with a refused second load at once differs from one clean load")
		}
	})
	t.Run("with --wait: one after the other", func(t *testing.T) {
		s := openTestStore(t)
		a, outA := loadCmd(bin, dir, "--wait", "5m")
		b, outB := loadCmd(bin, dir, "--wait", "5m")
		if err := a.Start(); err != nil {
			t.Fatal(err)
		}
		if err := b.Start(); err != nil {
			t.Fatal(err)
		}
		if errA, errB := a.Wait(), b.Wait(); errA != nil || errB != nil {
			t.Fatalf("loads with --wait: %v, %v\n%s\n%s", errA, errB, outA, outB)
		}
		if got, clean := dump(t, s), cleanLoad(t, bin, dir); got != clean {
			t.Errorf("two loads one after the other differ from one clean load")
		}
	})
}

// cleanLoad empties the database, loads dir with the binary, and dumps.
func cleanLoad(t *testing.T, bin, dir string) string {
	t.Helper()
	s := openTestStore(t)
	if cmd, out := loadCmd(bin, dir); cmd.Run() != nil {
		t.Fatalf("clean load: %s", out)
	}
	return dump(t, s)
}
