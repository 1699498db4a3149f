package loader

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/coopgraph/coopgraph"
	"go.yaml.in/yaml/v4"
)

// yamlFileReader reads one YAML file of a dataset from its node tree, which
// keeps the line of every key and value.
type yamlFileReader struct {
	l    *loader
	file string
}

// yamlError splits an error of the YAML parser into the line it is on and
// its message, which says where the construct it is in started when that is
// on another line ("… (while scanning a quoted scalar from line 3)").
func yamlError(err error) (int, string) {
	var le *yaml.LoadError
	if !errors.As(err, &le) {
		return 0, strings.TrimPrefix(err.Error(), "yaml: ")
	}
	msg := le.Message
	if le.ContextMsg != "" && le.ContextMark.Line > 0 && le.ContextMark.Line != le.Mark.Line {
		msg += fmt.Sprintf(" (%s from line %d)", le.ContextMsg, le.ContextMark.Line)
	}
	return le.Mark.Line, msg
}

// readYAML reads every document of a YAML file (usually one).
func (l *loader) readYAML(file string, r io.Reader) {
	y := &yamlFileReader{l: l, file: file}
	src := &errReader{r: r}
	dec := yaml.NewDecoder(src)
	for {
		var doc yaml.Node
		err := decodeYAML(dec, &doc)
		if err == io.EOF {
			return
		}
		if err != nil {
			var be *boundError
			if errors.As(src.err, &be) {
				l.problem(file, be.line, "%s", be.reason)
			} else if src.err != nil {
				l.problem(file, 0, "cannot read the file: %s", errText(src.err))
			} else {
				line, msg := yamlError(err)
				l.problem(file, line, "invalid YAML: %s", msg)
			}
			l.incomplete = true
			return
		}
		y.document(&doc)
	}
}

// errReader keeps the error of the reader under the YAML parser, to tell
// a file that cannot be read from one that is not YAML.
type errReader struct {
	r   io.Reader
	err error
}

func (e *errReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil && err != io.EOF {
		e.err = err
	}
	return n, err
}

// decodeYAML decodes the next document, turning a panic of the parser into
// an error: a dataset file must never bring the program down.
func decodeYAML(dec *yaml.Decoder, doc *yaml.Node) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("yaml: the YAML parser failed: %v", p)
		}
	}()
	return dec.Decode(doc)
}

func (y *yamlFileReader) problem(line int, format string, args ...any) {
	y.l.problem(y.file, line, format, args...)
}

// describe names the type of a node for a reason: "a list", "a number"…
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	case yaml.DocumentNode:
		return "a document"
	}
	switch n.ShortTag() {
	case "!!null":
		return "empty (null)"
	case "!!int", "!!float":
		return "a number"
	case "!!bool":
		return "true/false"
	case "!!timestamp":
		return "a date"
	}
	return "a string"
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// alias reports an alias (*name) or merge key: the format has none, so that
// every value is written where it applies.
func (y *yamlFileReader) alias(n *yaml.Node) bool {
	if n.Kind == yaml.AliasNode {
		y.problem(n.Line, "YAML aliases (*%s) are not supported: write the value out", n.Value)
		return true
	}
	return false
}

// pair is one key and its value in a mapping.
type pair struct {
	key  string
	k, v *yaml.Node
}

// mapping returns the pairs of a mapping node; what names the node in a
// reason ("an entity"). Keys must be plain, unique scalars.
func (y *yamlFileReader) mapping(n *yaml.Node, what string) ([]pair, bool) {
	if y.alias(n) {
		return nil, false
	}
	if n.Kind != yaml.MappingNode {
		y.problem(n.Line, "%s must be a mapping (key: value), not %s", what, describe(n))
		return nil, false
	}
	pairs := make([]pair, 0, len(n.Content)/2)
	seen := make(map[string]int, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if y.alias(k) {
			continue
		}
		if k.Kind != yaml.ScalarNode {
			y.problem(k.Line, "a key of %s must be a plain name, not %s", what, describe(k))
			continue
		}
		if !y.short(k) {
			continue
		}
		if k.ShortTag() == "!!merge" {
			y.problem(k.Line, "YAML merge keys (<<) are not supported: write the values out")
			continue
		}
		if first, dup := seen[k.Value]; dup {
			y.problem(k.Line, "key %s appears twice in %s (first at line %d)", quote(k.Value), what, first)
			continue
		}
		seen[k.Value] = k.Line
		pairs = append(pairs, pair{key: k.Value, k: k, v: v})
	}
	return pairs, true
}

// sequence returns the items of a list node; null is an empty list.
func (y *yamlFileReader) sequence(n *yaml.Node, what string) []*yaml.Node {
	if y.alias(n) || isNull(n) {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		y.problem(n.Line, "%s must be a list, not %s", what, describe(n))
		return nil
	}
	return n.Content
}

// scalar returns the text of a scalar value as written (a number or date
// keeps its written form), trimmed; null is "". The line is -1 when the
// value is of a wrong type (reported).
func (y *yamlFileReader) scalar(n *yaml.Node, field string) (string, int) {
	if y.alias(n) {
		return "", -1
	}
	if n.Kind != yaml.ScalarNode {
		y.problem(n.Line, "%s must be a single value, not %s", field, describe(n))
		return "", -1
	}
	if isNull(n) {
		return "", n.Line
	}
	if !y.short(n) {
		return "", -1
	}
	return strings.TrimSpace(n.Value), n.Line
}

// short reports a scalar longer than the limit on a cell, as a CSV file
// has: a value that long is no name, id or quote.
func (y *yamlFileReader) short(n *yaml.Node) bool {
	if len(n.Value) > y.l.opt.MaxFieldBytes {
		y.problem(n.Line, "the value is longer than %d bytes: raise the limit with --max-field-bytes", y.l.opt.MaxFieldBytes)
		return false
	}
	return true
}

// stringList reads a list of non-empty strings.
func (y *yamlFileReader) stringList(n *yaml.Node, field string) []string {
	var out []string
	for _, item := range y.sequence(n, field) {
		s, line := y.scalar(item, "an item of "+field)
		if line < 0 {
			continue
		}
		if s == "" {
			y.problem(line, "empty item in %s", field)
			continue
		}
		out = append(out, s)
	}
	return out
}

// properties reads a mapping of names to non-empty single values.
// reserved tells the names the properties of this entity or relation cannot have.
func (y *yamlFileReader) properties(n *yaml.Node, reserved func(string) bool) map[string]string {
	if isNull(n) {
		return nil
	}
	pairs, ok := y.mapping(n, "properties")
	if !ok || len(pairs) == 0 {
		return nil
	}
	out := make(map[string]string, len(pairs))
	for _, p := range pairs {
		name := strings.TrimSpace(p.key)
		if name == "" {
			y.problem(p.k.Line, "a property has an empty name")
			continue
		}
		if reserved(name) {
			y.problem(p.k.Line, "property name %s is reserved (it has a meaning of its own): rename it", quote(name))
			continue
		}
		s, line := y.scalar(p.v, "property "+quote(name))
		if line < 0 {
			continue
		}
		if s == "" {
			y.problem(line, "property %s has no value: give one or leave it out", quote(name))
			continue
		}
		out[name] = s
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// document reads one YAML document: a mapping of entities and relations.
func (y *yamlFileReader) document(doc *yaml.Node) {
	if len(doc.Content) == 0 {
		return // an empty file
	}
	root := doc.Content[0]
	if isNull(root) {
		return // only comments, or an explicit null
	}
	pairs, ok := y.mapping(root, "the file")
	if !ok {
		return
	}
	for _, p := range pairs {
		switch p.key {
		case "entities":
			for _, item := range y.sequence(p.v, "entities") {
				if y.l.stop {
					return
				}
				y.entity(item)
			}
		case "relations":
			for _, item := range y.sequence(p.v, "relations") {
				if y.l.stop {
					return
				}
				y.relation(item)
			}
		case "participations":
			y.participations(p.v)
		case "regions":
			y.regions(p.v)
		case "credit":
			y.credit(p.v)
		case "documents":
			y.documents(p.v)
		case "projects":
			y.projectTables(p.v)
		default:
			y.unknownKey(p, "at the top of the file", topKeys)
		}
	}
}

var (
	topKeys      = []string{"entities", "relations", "participations", "projects", "regions", "credit", "documents"}
	entityKeys   = []string{"id", "kind", "name", "aliases", "properties", "documents", "facts"}
	factKeys     = []string{"property", "value", "document", "quote"}
	relationKeys = []string{"from", "type", "to", "role", "start", "end", "document", "quote", "id", "properties"}
)

// credit reads the credit lines a dataset's sources ask for: one line, or
// a list of them. A line given by two files is kept once.
func (y *yamlFileReader) credit(n *yaml.Node) {
	var lines []string
	if n.Kind == yaml.SequenceNode {
		lines = y.stringList(n, "credit")
	} else if s, line := y.scalar(n, "credit"); line >= 0 {
		if s == "" {
			y.problem(line, "credit has no value: give the credit line its source asks for, or leave the key out")
			return
		}
		lines = []string{s}
	}
	for _, s := range lines {
		if !slices.Contains(y.l.credits, s) {
			y.l.credits = append(y.l.credits, s)
		}
	}
}

// unknownKey reports a key the format does not have, with the likely one
// meant and the keys there are.
func (y *yamlFileReader) unknownKey(p pair, where string, keys []string) {
	list := strings.Join(keys[:len(keys)-1], ", ") + " or " + keys[len(keys)-1]
	y.problem(p.k.Line, "unknown key %s %s%s; the keys are %s", quote(p.key), where, didYouMean(p.key, keys), list)
}

func (y *yamlFileReader) entity(n *yaml.Node) {
	pairs, ok := y.mapping(n, "an entity")
	if !ok {
		return
	}
	rec := entityRec{file: y.file, at: n.Line}
	e := &rec.e
	for _, p := range pairs {
		switch p.key {
		case "id":
			e.ID, rec.idAt = y.scalar(p.v, "id")
		case "kind":
			e.Kind, rec.kindAt = y.scalar(p.v, "kind")
		case "name":
			e.Name, rec.nameAt = y.scalar(p.v, "name")
		case "aliases":
			e.Aliases = y.stringList(p.v, "aliases")
		case "properties":
			e.Properties = y.properties(p.v, coopgraph.IsReservedEntityProperty)
		case "documents":
			e.Documents = y.stringList(p.v, "documents")
		case "facts":
			for _, item := range y.sequence(p.v, "facts") {
				if f, ok := y.fact(item); ok {
					e.Facts = append(e.Facts, f)
				}
			}
		default:
			y.unknownKey(p, "in an entity", entityKeys)
		}
	}
	y.l.addEntity(rec)
}

func (y *yamlFileReader) fact(n *yaml.Node) (coopgraph.Fact, bool) {
	var f coopgraph.Fact
	pairs, ok := y.mapping(n, "a fact")
	if !ok {
		return f, false
	}
	propertyAt, valueAt := 0, 0
	for _, p := range pairs {
		switch p.key {
		case "property":
			f.Property, propertyAt = y.scalar(p.v, "property")
		case "value":
			f.Value, valueAt = y.scalar(p.v, "value")
		case "document":
			f.Document, _ = y.scalar(p.v, "document")
		case "quote":
			f.Quote, _ = y.scalar(p.v, "quote")
		default:
			y.unknownKey(p, "in a fact", factKeys)
		}
	}
	ok = true
	for _, req := range []struct {
		field string
		at    int
		value string
	}{{"property", propertyAt, f.Property}, {"value", valueAt, f.Value}} {
		switch {
		case req.at == 0:
			y.problem(n.Line, "fact has no %q (required)", req.field)
			ok = false
		case req.at > 0 && req.value == "":
			y.problem(req.at, "empty %s in a fact", req.field)
			ok = false
		case req.at < 0:
			ok = false
		}
	}
	return f, ok
}

func (y *yamlFileReader) relation(n *yaml.Node) {
	pairs, ok := y.mapping(n, "a relation")
	if !ok {
		return
	}
	rec := relationRec{file: y.file, at: n.Line}
	r := &rec.r
	for _, p := range pairs {
		switch p.key {
		case "from":
			r.From, rec.fromAt = y.scalar(p.v, "from")
		case "type":
			r.Type, rec.typeAt = y.scalar(p.v, "type")
		case "to":
			r.To, rec.toAt = y.scalar(p.v, "to")
		case "role":
			r.Role, _ = y.scalar(p.v, "role")
		case "start":
			r.Start, rec.startAt = y.scalar(p.v, "start")
		case "end":
			r.End, rec.endAt = y.scalar(p.v, "end")
		case "document":
			r.Document, _ = y.scalar(p.v, "document")
		case "quote":
			r.Quote, _ = y.scalar(p.v, "quote")
		case "id":
			r.ID, rec.idAt = y.scalar(p.v, "id")
		case "properties":
			r.Properties = y.properties(p.v, coopgraph.IsReservedRelationProperty)
		default:
			y.unknownKey(p, "in a relation", relationKeys)
		}
	}
	y.l.addRelation(rec)
}
