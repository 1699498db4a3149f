package main

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"testing"

	"github.com/coopgraph/coopgraph/data"
	"github.com/coopgraph/coopgraph/graph"
	"github.com/coopgraph/coopgraph/loader"
	"github.com/coopgraph/coopgraph/memstore"
	"github.com/coopgraph/coopgraph/server"
	"github.com/coopgraph/coopgraph/server/graphqltest"
)

// The CLI answers as the API does: same ranking, same scores, same paths.
func TestCentralityCSVMatchesTheAPI(t *testing.T) {
	ds, err := loader.LoadFS(data.Seed(), "data/seed", data.SeedName)
	if err != nil {
		t.Fatal(err)
	}
	srv := &server.Server{Store: memstore.New(ds), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	srv.SetSnapshot(graph.NewSnapshot(ds))
	for i, m := range graph.MeasureNames(true) { // every measure of the registry, in either case
		if i%2 == 1 {
			m = strings.ToUpper(m)
		}
		code, out, errOut := runSeedCmd(t, "centrality", "--measure", m, "--top", "7", "--format", "csv")
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", m, code, errOut)
		}
		rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(rows[0], ",") != "rank,id,name,kind,score" || len(rows) != 8 {
			t.Fatalf("%s: CSV %q", m, out)
		}
		var api struct {
			Centrality []struct {
				Rank   int
				Score  float64
				Entity struct{ ID, Name, Kind string }
			}
		}
		graphqltest.Data(t, srv.Handler(), `query($m: CentralityMeasure!) { centrality(measure: $m, first: 7) { rank score entity { id name kind } } }`,
			map[string]any{"m": strings.ToUpper(m)}, &api)
		for i, row := range rows[1:] {
			a := api.Centrality[i]
			score, _ := strconv.ParseFloat(row[4], 64)
			if row[0] != strconv.Itoa(a.Rank) || row[1] != a.Entity.ID || row[2] != a.Entity.Name || row[3] != a.Entity.Kind || score != a.Score {
				t.Errorf("%s row %d: CLI %v, API %+v", m, i+1, row, a)
			}
		}
	}
}

// coopgraph's help names every measure of the registry (the flag's help
// of coopgraph centrality is built from it as well).
func TestHelpNamesEveryMeasure(t *testing.T) {
	_, usage, _ := runCmd(t, "help")
	for _, m := range graph.MeasureNames(true) {
		if !strings.Contains(usage, m+"|") && !strings.Contains(usage, "|"+m+" ") {
			t.Errorf("coopgraph help does not name %s:\n%s", m, usage)
		}
	}
}

func TestAnalysisCommands(t *testing.T) {
	cases := []struct {
		args []string
		want []string
	}{
		{[]string{"path", "opolskie", "malopolskie"}, []string{"2 relations", "Dom Polski Południowej"}},
		{[]string{"path", "--all", "--max-hops", "3", "opolskie", "malopolskie"}, []string{"Dom Polski Południowej"}},
		{[]string{"path", "opolskie", "city-of-turin", "--k", "3", "--weight", "hub"}, []string{"City of Turin"}},
		{[]string{"partners", "respondet"}, []string{"City of Turin", "Torino Chamber of Commerce", "(reves)"}},
		{[]string{"partners", "city-of-turin", "--common", "torino-chamber-of-commerce"}, []string{"RESPONDET"}},
		{[]string{"communities", "--resolution", "1.5"}, []string{"communities, modularity"}},
		{[]string{"components"}, []string{"components"}},
		{[]string{"brokers"}, []string{"articulation points", "Województwo Małopolskie", "bridges"}},
		{[]string{"brokers", "--what-if", "malopolskie"}, []string{"pairs lose their connection"}},
	}
	for _, c := range cases {
		code, out, errOut := runSeedCmd(t, c.args...)
		if code != 0 {
			t.Errorf("%v: exit %d: %s", c.args, code, errOut)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(out, w) {
				t.Errorf("%v: output lacks %q:\n%s", c.args, w, out)
			}
		}
	}
}

func TestPathJSONExplainsHops(t *testing.T) {
	code, out, errOut := runSeedCmd(t, "path", "opolskie", "malopolskie", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var paths []struct {
		Length int
		Text   string
		Hops   []struct {
			Relation struct{ Type, Document, Quote string }
		}
	}
	if err := json.Unmarshal([]byte(out), &paths); err != nil {
		t.Fatal(err)
	}
	if len(paths) != 1 || paths[0].Length != 2 || len(paths[0].Hops) != 2 || paths[0].Hops[0].Relation.Quote == "" {
		t.Errorf("path JSON: %s", out)
	}
}

func TestAnalysisErrors(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"path", "opolskie"}, "expected 2 argument"},
		{[]string{"path", "opolskie", "atlantis"}, `"atlantis"`},
		{[]string{"centrality", "--measure", "fame"}, "FAME"},
		{[]string{"centrality", "--format", "xml"}, "xml"},
		{[]string{"path", "a", "b", "--weight", "heavy"}, "heavy"},
		{[]string{"communities", "--resolution", "0"}, "resolution"},
		{[]string{"partners", "nobody"}, `"nobody"`},
	}
	for _, c := range cases {
		code, _, errOut := runSeedCmd(t, c.args...)
		if code == 0 || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, %q; want an error with %q", c.args, code, errOut, c.want)
		}
	}
}
