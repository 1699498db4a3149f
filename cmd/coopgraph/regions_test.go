package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/coopgraph/coopgraph/graph"
)

func TestRegionPartnersCommand(t *testing.T) {
	fixture := "../../graph/testdata/regionpartners"
	code, out, errOut := runCmd(t, "region-partners", "--data", fixture, "--region", "nuts:PL21", "--first", "2")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], "3 projects  Cataluña (nuts:ES51): Horizon 2020; Interreg") ||
		!strings.Contains(lines[1], "Stuttgart (nuts:DE11)") {
		t.Errorf("output:\n%s", out)
	}

	code, out, errOut = runCmd(t, "region-partners", "--data", fixture, "--region", "nuts:PL21", "--level", "0", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got []graph.RegionPartner
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Region != "country:ES" || len(got[0].Projects) != 3 || got[1].Region != "country:DE" {
		t.Errorf("level 0: %+v", got)
	}

	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--data", fixture}, "--region is required"},
		{[]string{"--data", fixture, "--region", "nuts:XX9"}, `unknown entity id "nuts:XX9"`},
		{[]string{"--data", fixture, "--region", "agh"}, "not a Region"},
		{[]string{"--data", fixture, "--region", "nuts:PL21", "--level", "7"}, "level 7"},
		{[]string{"--data", fixture, "--region", "nuts:PL21", "--first", "0"}, "--first 0"},
	} {
		code, _, errOut := runCmd(t, append([]string{"region-partners"}, c.args...)...)
		if code == 0 || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, %q; want an error with %q", c.args, code, errOut, c.want)
		}
	}
}
