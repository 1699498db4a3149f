package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/coopgraph/coopgraph/neo4jstore"
	"github.com/coopgraph/coopgraph/storetest"
)

// runCmd runs the CLI in process and returns its exit code and output.
func runCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// seedDir is the curated seed's directory: the tests that check answers
// on the seed name it, since the default is the whole linked network.
const seedDir = "../../data/seed"

// runSeedCmd runs the CLI on the seed alone (--data seedDir after args).
func runSeedCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	return runCmd(t, append(args, "--data", seedDir)...)
}

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// badDataset holds one of each kind of mistake a new user makes.
func badDataset(t *testing.T) string {
	return writeFiles(t, map[string]string{
		"a.yaml": `entities:
  - id: malopolskie
    kind: Regoin
    name: Małopolska
  - id: malopolskie
    kind: Region
    name: Again
relations:
  - from: malopolskie
    type: MEMBER_OF
    to: nowhere
    start: "2013-13"
`,
		"nodes.csv": "id,kind,name\nx,Organisation,\n",
		"edges.csv": "source,target,type\nx,malopolskie,LIKES\n",
	})
}

func TestValidateSeed(t *testing.T) {
	code, out, _ := runSeedCmd(t, "validate")
	if code != 0 || !strings.Contains(out, "valid: 129 entities") {
		t.Fatalf("validate the seed: exit %d, %q", code, out)
	}
}

// With no --data, validate reads every built-in source and links them:
// the network serve serves by default, Małopolska's region one entity.
func TestValidateTheBuiltInNetwork(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: reads and links 300,000 rows")
	}
	code, out, errOut := runCmd(t, "validate")
	if code != 0 || !strings.Contains(out, "the built-in network") || !strings.Contains(out, "warnings (defects of the published files") {
		t.Fatalf("validate: exit %d, %q %q", code, out, errOut)
	}
	var entities, relations int
	if _, err := fmt.Sscanf(out[strings.Index(out, "valid: "):], "valid: %d entities, %d relations", &entities, &relations); err != nil || entities < 100_000 || relations < 250_000 {
		t.Errorf("the built-in network: %q (%v)", out, err)
	}
}

func TestValidateReportsEveryProblemWithFileAndLine(t *testing.T) {
	dir := badDataset(t)
	code, _, errOut := runCmd(t, "validate", "--data", dir)
	if code == 0 {
		t.Fatal("validate of a bad dataset exited 0")
	}
	for _, want := range []string{
		"a.yaml:3: ", "Regoin",
		"a.yaml:5: ", "duplicate",
		"a.yaml:11: ", `"nowhere"`,
		"a.yaml:12: ", "2013-13",
		"nodes.csv:2: ", "name",
		"edges.csv:2: ", "LIKES",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("validate output lacks %q:\n%s", want, errOut)
		}
	}
}

func TestServeRefusesABadDataset(t *testing.T) {
	code, out, errOut := runCmd(t, "serve", "--addr", "127.0.0.1:0", "--data", badDataset(t), "--neo4j-uri", "")
	if code == 0 || !strings.Contains(errOut, "Regoin") || strings.Contains(out, "serving") {
		t.Errorf("serve of a bad dataset: exit %d, out %q, err %q", code, out, errOut)
	}
}

func TestUnknownCommandAndMissingNeo4j(t *testing.T) {
	if code, _, errOut := runCmd(t, "frobnicate"); code != 2 || !strings.Contains(errOut, "unknown command") {
		t.Errorf("unknown command: exit %d, %q", code, errOut)
	}
	if code, _, errOut := runCmd(t, "load", "--neo4j-uri", ""); code == 0 || !strings.Contains(errOut, "NEO4J_URI") {
		t.Errorf("load without Neo4j: exit %d, %q", code, errOut)
	}
}

// TestLoadOfABadDatasetWritesNothing runs against the real Neo4j test server
// (scripts/test); it loads the seed, then a bad dataset under the same name,
// and requires the database to hold exactly the seed still.
func TestLoadOfABadDatasetWritesNothing(t *testing.T) {
	env := storetest.Neo4j(t, "the Neo4j load test")
	code, out, errOut := runSeedCmd(t, "load", "--dataset", "seed")
	if code != 0 || !strings.Contains(out, "entities") {
		t.Fatalf("load seed: exit %d, %q %q", code, out, errOut)
	}
	var n neo4jFlags
	n.URI, n.User, n.Password, n.Database = env.URI, env.User, env.Password, env.Database
	st, err := neo4jstore.Open(context.Background(), n.Config)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close(context.Background())
	before, err := st.Dataset(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	code, _, errOut = runCmd(t, "load", "--dataset", "seed", "--data", badDataset(t))
	if code == 0 || !strings.Contains(errOut, "nothing was written") {
		t.Fatalf("load of a bad dataset: exit %d, %q", code, errOut)
	}
	after, err := st.Dataset(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(before, after) {
		t.Errorf("a refused load changed the database")
	}
}
