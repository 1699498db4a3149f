package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"reflect"
	"testing"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/graph"
	"github.com/coopgraph/coopgraph/loader"
)

// regionCase is a query of graph/testdata/regionpartners/expected.json and
// the answer scripts/reference/region_partners.py computed from the
// fixture's rows, independently of the engine.
type regionCase struct {
	Region     string   `json:"region"`
	Level      int      `json:"level"`
	From       string   `json:"from"`
	To         string   `json:"to"`
	Programmes []string `json:"programmes"`
	Want       []struct {
		Region      string   `json:"region"`
		Projects    int      `json:"projects"`
		ProjectList []string `json:"projectList"`
		Programmes  []string `json:"programmes"`
	} `json:"want"`
}

const regionFixture = "testdata/regionpartners"

func regionSnapshot(t *testing.T) *graph.Snapshot {
	t.Helper()
	ds, err := loader.LoadDir(regionFixture, "regionpartners")
	if err != nil {
		t.Fatal(err)
	}
	return graph.NewSnapshot(ds)
}

func TestRegionPartnersReference(t *testing.T) {
	raw, err := os.ReadFile(regionFixture + "/expected.json")
	if err != nil {
		t.Fatal(err)
	}
	// The stored answers are the script's on the fixture as it is now.
	if py, err := exec.LookPath("/usr/bin/python3"); err == nil {
		fresh, err := exec.Command(py, "../scripts/reference/region_partners.py", "--print-fixture").Output()
		if err != nil {
			t.Fatalf("region_partners.py --print-fixture: %v", err)
		}
		if !bytes.Equal(fresh, raw) {
			t.Fatalf("expected.json is stale: run /usr/bin/python3 scripts/reference/region_partners.py --fixture")
		}
	}
	var cases []regionCase
	if err := json.Unmarshal(raw, &cases); err != nil {
		t.Fatal(err)
	}
	if len(cases) < 9 {
		t.Fatalf("%d cases", len(cases))
	}
	s := regionSnapshot(t)
	for _, c := range cases {
		opt := graph.RegionPartnerOptions{Level: c.Level, Programmes: c.Programmes}
		if c.From != "" || c.To != "" {
			opt.Window = &graph.TimeWindow{From: c.From, To: c.To}
		}
		got, err := s.RegionPartners(context.Background(), c.Region, opt)
		if err != nil {
			t.Errorf("%+v: %v", c, err)
			continue
		}
		if len(got) != len(c.Want) {
			t.Errorf("%s level %d %v: %d partners, want %d: %+v", c.Region, c.Level, opt, len(got), len(c.Want), got)
			continue
		}
		for i, w := range c.Want {
			g := got[i]
			if g.Region != w.Region || len(g.Projects) != w.Projects || !reflect.DeepEqual(g.Projects, w.ProjectList) || !reflect.DeepEqual(g.Programmes, w.Programmes) {
				t.Errorf("%s level %d %v: partner %d = %+v, want %+v", c.Region, c.Level, opt, i, g, w)
			}
		}
	}
}

func TestRegionPartnersErrors(t *testing.T) {
	s := regionSnapshot(t)
	ctx := context.Background()
	for _, c := range []struct {
		region string
		opt    graph.RegionPartnerOptions
		code   string
		msg    string
	}{
		{"nuts:XX99", graph.RegionPartnerOptions{Level: 2}, coopgraph.ENOTFOUND, `unknown entity id "nuts:XX99"`},
		{"agh", graph.RegionPartnerOptions{Level: 2}, coopgraph.EINVALID, `"agh" is of kind Organisation, not a Region`},
		{"nuts:PL21", graph.RegionPartnerOptions{Level: 4}, coopgraph.EINVALID, "level 4"},
		{"nuts:PL21", graph.RegionPartnerOptions{Level: -1}, coopgraph.EINVALID, "level -1"},
		{"nuts:PL21", graph.RegionPartnerOptions{Level: 2, Programmes: []string{"p1"}}, coopgraph.EINVALID, `"p1" in programmes is of kind Project`},
		{"nuts:PL21", graph.RegionPartnerOptions{Level: 2, Programmes: []string{"prog:none"}}, coopgraph.ENOTFOUND, `"prog:none"`},
		{"nuts:PL21", graph.RegionPartnerOptions{Level: 2, Window: &graph.TimeWindow{From: "2020", To: "2019"}}, coopgraph.EINVALID, "after"},
	} {
		_, err := s.RegionPartners(ctx, c.region, c.opt)
		if coopgraph.ErrorCode(err) != c.code || err == nil || !bytes.Contains([]byte(err.Error()), []byte(c.msg)) {
			t.Errorf("%s %+v: error %v, want %s containing %q", c.region, c.opt, err, c.code, c.msg)
		}
	}
}

// TestRegionProjection checks the region–region network against
// RegionPartners: for regions of one level, which do not overlap, a link's
// weight is what RegionPartners counts between its two ends, and every
// partner is a link. Centrality then runs on it.
func TestRegionProjection(t *testing.T) {
	s := regionSnapshot(t)
	ctx := context.Background()
	for _, level := range []int{0, 1, 2, 3} {
		edges, total, err := s.Project(ctx, graph.Projection{RegionLevel: &level}, -1)
		if err != nil {
			t.Fatal(err)
		}
		if total != len(edges) || total == 0 {
			t.Fatalf("level %d: %d edges of %d", level, len(edges), total)
		}
		weight := map[[2]string]int{}
		for _, e := range edges {
			weight[[2]string{e.A, e.B}] = e.Weight
			if len(e.Contexts) != e.Weight {
				t.Errorf("level %d: %+v", level, e)
			}
		}
		found := map[[2]string]bool{}
		for _, e := range edges {
			for _, end := range []string{e.A, e.B} {
				ps, err := s.RegionPartners(ctx, end, graph.RegionPartnerOptions{Level: level})
				if err != nil {
					t.Fatal(err)
				}
				for _, p := range ps {
					pair := [2]string{min(end, p.Region), max(end, p.Region)}
					found[pair] = true
					if w := weight[pair]; w != len(p.Projects) {
						t.Errorf("level %d: %s–%s weighs %d, RegionPartners counts %d", level, pair[0], pair[1], w, len(p.Projects))
					}
				}
			}
		}
		if len(found) != total {
			t.Errorf("level %d: RegionPartners finds %d pairs, the projection %d links", level, len(found), total)
		}
	}
	two := 2
	ranked, err := s.Centrality(ctx, graph.Degree, graph.CentralityOptions{Projection: &graph.Projection{Kinds: []string{"Region"}, RegionLevel: &two}})
	if err != nil {
		t.Fatal(err)
	}
	// The fixture's four NUTS 2 regions all share a project with each
	// other (P1, P2, P3): a complete graph, every degree 1.
	if len(ranked) != 4 || ranked[0].ID != "nuts:DE11" || ranked[3].ID != "nuts:PL22" || ranked[0].Score != 1 || ranked[3].Score != 1 {
		t.Errorf("degree on the NUTS 2 network: %+v", ranked)
	}
	for _, bad := range []graph.Projection{
		{RegionLevel: &two, Kinds: []string{"Organisation"}},
		{RegionLevel: &two, Via: []string{"Network"}},
		{RegionLevel: &two, RelationTypes: []string{"PART_OF"}},
		{RegionLevel: new(int)}, // level 0 is fine: checked below
	} {
		_, _, err := s.Project(ctx, bad, 10)
		if bad.Kinds == nil && bad.Via == nil && bad.RelationTypes == nil {
			if err != nil {
				t.Errorf("%+v: %v", bad, err)
			}
			continue
		}
		if coopgraph.ErrorCode(err) != coopgraph.EINVALID {
			t.Errorf("%+v: error %v, want EINVALID", bad, err)
		}
	}
}
