package link_test

import (
	"bytes"
	"fmt"
	"github.com/coopgraph/coopgraph/data"
	"os"
	"strings"
	"testing"

	"github.com/coopgraph/coopgraph/link"
)

func TestExplore(t *testing.T) {
	if os.Getenv("EXPLORE") == "" {
		t.Skip()
	}
	sets := realDatasets(t)
	out, rep, err := link.Network("linked", sets, curated(t))
	if err != nil {
		t.Fatal(err)
	}
	fmt.Println(rep.Records, rep.Entities, rep.Rules, rep.Comparisons, len(rep.NearMisses), rep.FoldedRelations, rep.Loops, len(out.Relations))
	for _, m := range rep.Merges {
		pl := false
		for _, r := range m.Records {
			if strings.Contains(r.Place, "PL") {
				pl = true
			}
		}
		if !pl || m.Kind != "Organisation" {
			continue
		}
		fmt.Println("==", m.ID, m.Name)
		for _, r := range m.Records {
			fmt.Printf("   %s %s | %s | %s | %s\n", r.Dataset, r.ID, r.Name, r.Place, r.Rule)
		}
	}
	for _, nm := range rep.NearMisses {
		if strings.Contains(nm.A.Place, "PL") {
			fmt.Printf("NEAR %.3f/%.2f %s | %s (%s) -- %s | %s (%s)\n", nm.Score, nm.Threshold, nm.A.ID, nm.A.Name, nm.A.Place, nm.B.ID, nm.B.Name, nm.B.Place)
		}
	}
}

func TestExploreMalopolska(t *testing.T) {
	if os.Getenv("EXPLORE") == "" {
		t.Skip()
	}
	sets := realDatasets(t)
	out, _, err := link.Network("linked", sets, curated(t))
	if err != nil {
		t.Fatal(err)
	}
	in := map[string]bool{}
	for _, r := range out.Relations {
		if r.Type == "LOCATED_IN" && strings.HasPrefix(r.To, "nuts:PL21") {
			in[r.From] = true
		}
	}
	for _, e := range out.Entities {
		if in[e.ID] || strings.Contains(e.ID, "krakow") || strings.Contains(strings.ToLower(e.Name), "krak") {
			fmt.Printf("%s | %s | %d | %v\n", e.ID, e.Name, len(e.Records), e.Aliases)
		}
	}
}

func curated(t testing.TB) link.Links {
	t.Helper()
	l, err := link.ReadLinks(bytes.NewReader(data.Links()), data.LinksFile)
	if err != nil {
		t.Fatal(err)
	}
	return l
}
