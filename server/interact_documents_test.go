package server

import (
	"fmt"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2"
)

// TestPageInteractDocumentsPass: the two questions web/page/src/interact.js
// writes with one alias per entity or count (api.js's neighbourhoodStep and
// neighbourCounts, which TestPageAndPlaygroundDocumentsPass cannot read as
// they are built at run time) pass the default limits at the largest size
// the page sends: 40 entities of 200 neighbours each, and a count for every
// relation type and kind (30 of each here; the built-in network has 14 and 11).
func TestPageInteractDocumentsPass(t *testing.T) {
	sch := servedSchema()
	const entityFields = "id kind name"
	var params, fields []string
	vars := map[string]any{"first": int64(200)}
	for i := range 40 {
		params = append(params, fmt.Sprintf("$e%d: ID!", i))
		fields = append(fields, fmt.Sprintf("e%d: entity(id: $e%d) { neighboursConnection(first: $first) { totalCount pageInfo { hasNextPage endCursor } edges { node { %s } } } }", i, i, entityFields))
		vars[fmt.Sprintf("e%d", i)] = fmt.Sprint("x", i)
	}
	step := fmt.Sprintf("query PageNeighbourhood($first: Int!, %s) {\n  %s\n}", strings.Join(params, ", "), strings.Join(fields, "\n  "))

	params, fields = []string{"$id: ID!"}, []string{"all: neighboursConnection(first: 0) { totalCount }"}
	vars["id"] = "x"
	for i := range 30 {
		params = append(params, fmt.Sprintf("$t%d: String!", i), fmt.Sprintf("$k%d: String!", i))
		fields = append(fields,
			fmt.Sprintf("t%d: neighboursConnection(relationTypes: [$t%d], first: 0) { totalCount }", i, i),
			fmt.Sprintf("k%d: neighboursConnection(kinds: [$k%d], first: 0) { totalCount }", i, i))
		vars[fmt.Sprintf("t%d", i)] = "MEMBER_OF"
		vars[fmt.Sprintf("k%d", i)] = "Region"
	}
	counts := fmt.Sprintf("query PageNeighbourCounts(%s) {\n  entity(id: $id) { %s }\n}", strings.Join(params, ", "), strings.Join(fields, "\n    "))

	for name, q := range map[string]string{"PageNeighbourhood": step, "PageNeighbourCounts": counts} {
		size := sizeLimit{maxBytes: MaxQueryBytes, maxTokens: MaxTokens, maxSelections: MaxSelections, maxRepeats: MaxRepeats}
		if err := size.MutateOperationParameters(t.Context(), &graphql.RawParams{Query: q}); err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		doc, errs := gqlparser.LoadQueryWithRules(sch, q, nil)
		if len(errs) > 0 {
			t.Errorf("%s: %v", name, errs)
			continue
		}
		op := doc.Operations[0]
		c := newCostWalk(doc, vars, sch).cost(op.SelectionSet, listScope{})
		d := depthWalk{doc: doc, memo: map[string]int{}, open: map[string]bool{}}.depth(op.SelectionSet)
		t.Logf("%-20s %6d bytes %4d selections  cost %7.0f  depth %d", name, len(q), countSelections(doc), c, d)
		if c > MaxComplexity || d > MaxDepth {
			t.Errorf("%s: cost %.0f (limit %d), depth %d (limit %d)", name, c, MaxComplexity, d, MaxDepth)
		}
	}
}
