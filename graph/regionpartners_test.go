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
