package export_test

import (
	"bytes"
	"encoding/xml"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/data"
	"github.com/coopgraph/coopgraph/export"
	"github.com/coopgraph/coopgraph/loader"
)

// tricky is a small subgraph with everything that is easy to get wrong:
// Polish quotes and letters, XML markup characters, a line break and a
// tab, a control character XML cannot hold, CSV separators, parallel
// relations, a self-loop, empty values, a property named like a column,
// and attributes of each type. Its entities and relations are out of id
// order on purpose.
func tricky() *export.Subgraph {
	return &export.Subgraph{
		Entities: []coopgraph.Entity{
			{ID: "slaskie", Kind: "Region", Name: "Województwo Śląskie", Aliases: []string{"Śląsk", "Silesia"},
				Properties: map[string]string{"country": "PL", "label": "a property named label"}},
			{ID: "malopolskie", Kind: "Region", Name: `Małopolska <"Lesser" & 'Poland'>`,
				Aliases: []string{"Małopolska", "Lesser Poland", "ł;ś"}, Documents: []string{"000.txt", "004.txt"},
				Properties: map[string]string{"country": "PL", "description": "line one\nline two\tand a tab, \"quoted\""}},
			{ID: "proj:s3/pilot", Kind: "Project", Name: "S3 Pilot \x01 control", Properties: map[string]string{"url": "https://example.eu/?a=1&b=2"}},
		},
		Relations: []coopgraph.Relation{
			{ID: "r2", Type: "COOPERATES_WITH", From: "slaskie", To: "malopolskie", Start: "2019-05",
				Document: "004.txt", Quote: "„Małopolska i Śląsk” podpisały <porozumienie> & więcej"},
			{ID: "r1", Type: "PARTICIPATES_IN", From: "malopolskie", To: "proj:s3/pilot", Role: "lead partner",
				Start: "2018", End: "2021-12-31", Document: "003.txt", Quote: "Małopolska, the lead partner,",
				Properties: map[string]string{"weight": "2.5"}},
			// An id derived from the content, as the loader gives one.
			{ID: "malopolskie|PARTICIPATES_IN|proj:s3/pilot|partner", Type: "PARTICIPATES_IN", From: "malopolskie", To: "proj:s3/pilot", Role: "partner"},
			{ID: "r0", Type: "CONCERNS", From: "proj:s3/pilot", To: "proj:s3/pilot"},
		},
		Attributes: []export.Attribute{
			export.IntAttribute("community", map[string]int{"malopolskie": 1, "slaskie": 1, "proj:s3/pilot": 2}),
			export.DoubleAttribute("betweenness", map[string]float64{"malopolskie": math.Nextafter(0.3, 1), "slaskie": 0}),
		},
	}
}

// seed is the built-in seed dataset as a subgraph.
func seed(t *testing.T) (*coopgraph.Dataset, *export.Subgraph) {
	t.Helper()
	ds, err := loader.LoadFS(data.Seed(), "data/seed", data.SeedName)
	if err != nil {
		t.Fatal(err)
	}
	return ds, &export.Subgraph{Entities: ds.Entities, Relations: ds.Relations}
}

func write(t *testing.T, f func(io.Writer, *export.Subgraph) error, sub *export.Subgraph) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := f(&b, sub); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

var writers = map[string]func(io.Writer, *export.Subgraph) error{
	"graphml": export.GraphML, "gexf": export.GEXF, "nodes.csv": export.NodesCSV, "edges.csv": export.EdgesCSV,
}

// The same subgraph gives the same bytes, whatever the order of its
// entities, relations and attributes' maps.
func TestOutputIsDeterministic(t *testing.T) {
	_, s := seed(t)
	for name, f := range writers {
		want := write(t, f, s)
		for i := range 3 {
			shuffled := &export.Subgraph{Entities: slices.Clone(s.Entities), Relations: slices.Clone(s.Relations)}
			rng := rand.New(rand.NewPCG(uint64(i), 7))
			rng.Shuffle(len(shuffled.Entities), func(a, b int) {
				shuffled.Entities[a], shuffled.Entities[b] = shuffled.Entities[b], shuffled.Entities[a]
			})
			rng.Shuffle(len(shuffled.Relations), func(a, b int) {
				shuffled.Relations[a], shuffled.Relations[b] = shuffled.Relations[b], shuffled.Relations[a]
			})
			if got := write(t, f, shuffled); !bytes.Equal(got, want) {
				t.Fatalf("%s: a shuffled subgraph writes other bytes", name)
			}
		}
	}
}

func TestColumnsAreTheSameInEveryFormat(t *testing.T) {
	nodes, edges, err := export.Columns(tricky())
	if err != nil {
		t.Fatal(err)
	}
	wantNodes := []string{"kind", "name", "aliases", "documents", "community", "betweenness", "country", "description", "property:label", "url"}
	wantEdges := []string{"type", "role", "start", "end", "document", "quote", "weight"}
	if !slices.Equal(nodes, wantNodes) || !slices.Equal(edges, wantEdges) {
		t.Errorf("columns\n nodes %q\n edges %q\nwant\n nodes %q\n edges %q", nodes, edges, wantNodes, wantEdges)
	}
}

// A subgraph that would not read back as itself is refused before a byte
// is written.
func TestInconsistentSubgraphsAreRefused(t *testing.T) {
	dangling := tricky()
	dangling.Relations = append(dangling.Relations, coopgraph.Relation{ID: "r9", Type: "MEMBER_OF", From: "slaskie", To: "vanguard"})
	twice := tricky()
	twice.Entities = append(twice.Entities, coopgraph.Entity{ID: "slaskie", Kind: "Region", Name: "again"})
	relTwice := tricky()
	relTwice.Relations = append(relTwice.Relations, relTwice.Relations[0])
	taken := tricky()
	taken.Attributes = append(taken.Attributes, export.IntAttribute("kind", nil))
	repeated := tricky()
	repeated.Attributes = append(repeated.Attributes, export.IntAttribute("community", nil))
	for name, c := range map[string]struct {
		sub  *export.Subgraph
		want string
	}{
		"dangling relation":  {dangling, `relation "r9" links "vanguard", which is not in the subgraph`},
		"entity twice":       {twice, `entity "slaskie" is twice`},
		"relation twice":     {relTwice, `relation "r2" is twice`},
		"attribute kind":     {taken, `attribute name "kind"`},
		"attribute repeated": {repeated, `attribute name "community"`},
	} {
		for format, f := range writers {
			var b bytes.Buffer
			err := f(&b, c.sub)
			if coopgraph.ErrorCode(err) != coopgraph.EINVALID || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s, %s: error %v, want EINVALID containing %q", name, format, err, c.want)
			}
			if b.Len() != 0 {
				t.Errorf("%s, %s: wrote %d bytes before failing", name, format, b.Len())
			}
		}
	}
}

func TestWriterNamesTheFormats(t *testing.T) {
	for _, f := range export.Formats {
		if _, err := export.Writer(string(f)); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	_, err := export.Writer("pdf")
	if coopgraph.ErrorCode(err) != coopgraph.EINVALID || !strings.Contains(err.Error(), `"pdf"`) || !strings.Contains(err.Error(), "graphml, gexf, nodes.csv, edges.csv") {
		t.Errorf("unknown format: %v", err)
	}
}

// failingWriter fails after n bytes, as a full disk or a closed
// connection does.
type failingWriter struct{ n int }

func (f *failingWriter) Write(p []byte) (int, error) {
	if len(p) > f.n {
		n := f.n
		f.n = 0
		return n, io.ErrShortWrite
	}
	f.n -= len(p)
	return len(p), nil
}

func TestWriteErrorsAreReturned(t *testing.T) {
	_, s := seed(t)
	for name, f := range writers {
		if err := f(&failingWriter{n: 5000}, s); err == nil {
			t.Errorf("%s: a failing writer gave no error", name)
		}
	}
}

// TestCredits: every format that can describe the whole graph carries the
// sources' credit lines, escaped, and a subgraph without them is written
// as before; the CSV tables stay tables, the lines going to CreditsText.
func TestCredits(t *testing.T) {
	_, sub := seed(t)
	plain := map[string][]byte{}
	for name, f := range writers {
		plain[name] = write(t, f, sub)
	}
	sub.Credits = []string{"NUTS: © European Union, Eurostat", "Source: keep.eu <Interact> & co"}
	for name, f := range writers {
		got := string(write(t, f, sub))
		switch name {
		case "graphml":
			for _, want := range []string{
				"<desc>NUTS: © European Union, Eurostat&#xA;Source: keep.eu &lt;Interact&gt; &amp; co</desc>",
				`for="graph" attr.name="credits" attr.type="string"/>`,
				">NUTS: © European Union, Eurostat&#xA;Source: keep.eu &lt;Interact&gt; &amp; co</data>\n    <node ",
			} {
				if !strings.Contains(got, want) {
					t.Errorf("graphml: no %q", want)
				}
			}
		case "gexf":
			if want := "their sources state&#xA;NUTS: © European Union, Eurostat&#xA;Source: keep.eu &lt;Interact&gt; &amp; co</description>"; !strings.Contains(got, want) {
				t.Errorf("gexf: no %q in\n%.600s", want, got)
			}
		default:
			if got != string(plain[name]) {
				t.Errorf("%s: credits changed the table", name)
			}
		}
		if name == "graphml" || name == "gexf" {
			var doc struct{}
			if err := xml.Unmarshal([]byte(got), &doc); err != nil {
				t.Errorf("%s with credits is not XML: %v", name, err)
			}
		}
	}
	if got, want := export.CreditsText(sub), "NUTS: © European Union, Eurostat\nSource: keep.eu <Interact> & co\n"; got != want {
		t.Errorf("CreditsText = %q, want %q", got, want)
	}
	if got := export.CreditsText(&export.Subgraph{}); got != "" {
		t.Errorf("CreditsText without credits = %q", got)
	}
}
