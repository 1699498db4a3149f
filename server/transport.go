package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/coopgraph/coopgraph"
)

// The two media types of a GraphQL answer (GraphQL over HTTP).
const (
	mediaJSON            = "application/json"
	mediaGraphQLResponse = "application/graphql-response+json"
)

// httpTransport answers GraphQL over HTTP as the spec has it, where
// gqlgen's transport.GET and transport.POST do not: a request error (the
// document does not parse or validate, the variables do not fit, the
// operation is not named, a limit refuses it) is answered without a "data"
// entry, with 200 under application/json (so that clients of the legacy
// media type read the errors) and 400 (503 for UNAVAILABLE) under
// application/graphql-response+json; a body that is no request at all
// (not JSON, not an object, no query) gets 400 with INVALID_ARGUMENT under
// either; the messages name what to change (which operations the document
// has, which variable does not fit, where).
type httpTransport struct{}

var _ graphql.Transport = httpTransport{}

func (httpTransport) Supports(r *http.Request) bool {
	if r.Header.Get("Upgrade") != "" {
		return false
	}
	switch r.Method {
	case http.MethodGet:
		return true
	case http.MethodPost:
		mediaType, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		return err == nil && mediaType == mediaJSON
	}
	return false
}

func (httpTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	ctx := r.Context()
	media := responseMedia(r.Header.Get("Accept"))
	w.Header().Set("Content-Type", media)
	start := graphql.Now()
	params, msg := readParams(r)
	if msg != "" {
		err := &gqlerror.Error{Message: msg, Extensions: map[string]any{"code": coopgraph.EINVALID}}
		writeRequestErrors(w, http.StatusBadRequest, exec.DispatchError(ctx, gqlerror.List{err}))
		return
	}
	params.Headers = r.Header
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}

	opCtx, errs := exec.CreateOperationContext(ctx, params)
	if errs != nil {
		resp := exec.DispatchError(graphql.WithOperationContext(ctx, opCtx), explain(opCtx, errs))
		status := http.StatusOK
		if media == mediaGraphQLResponse {
			status = requestErrorStatus(resp.Errors)
		}
		writeRequestErrors(w, status, resp)
		return
	}
	if r.Method == http.MethodGet && opCtx.Operation.Operation != ast.Query {
		// The schema has no mutation; were one added, GET must not run it.
		w.Header().Set("Allow", http.MethodPost)
		err := &gqlerror.Error{Message: fmt.Sprintf("a %s is sent with POST, not GET", opCtx.Operation.Operation),
			Extensions: map[string]any{"code": coopgraph.EINVALID}}
		writeRequestErrors(w, http.StatusMethodNotAllowed, exec.DispatchError(graphql.WithOperationContext(ctx, opCtx), gqlerror.List{err}))
		return
	}
	responses, ctx := exec.DispatchOperation(ctx, opCtx)
	b, err := json.Marshal(responses(ctx))
	if err != nil {
		panic(fmt.Errorf("marshal a GraphQL answer: %w", err)) // recovered and logged as INTERNAL
	}
	_, _ = w.Write(b)
}

// responseMedia picks the answer's media type from Accept the way gqlgen
// does (the first type listed that is served; application/json when Accept
// is missing or any type will do), which the audits pass.
func responseMedia(accept string) string {
	if accept == "" {
		return mediaJSON
	}
	for part := range strings.SplitSeq(accept, ",") {
		mediaType, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		switch mediaType {
		case "*/*", "application/*", mediaJSON:
			return mediaJSON
		case mediaGraphQLResponse:
			return mediaGraphQLResponse
		}
	}
	return mediaGraphQLResponse
}

// readParams reads a GET's URL parameters or a POST's JSON body; msg says
// what is wrong when they are no GraphQL request.
func readParams(r *http.Request) (params *graphql.RawParams, msg string) {
	params = &graphql.RawParams{}
	if r.Method == http.MethodGet {
		q, err := url.ParseQuery(r.URL.RawQuery)
		if err != nil {
			return nil, "the URL's parameters could not be read: " + err.Error()
		}
		params.Query, params.OperationName = q.Get("query"), q.Get("operationName")
		for name, into := range map[string]*map[string]any{"variables": &params.Variables, "extensions": &params.Extensions} {
			if v := q.Get(name); v != "" {
				if err := decodeJSON([]byte(v), into); err != nil {
					return nil, fmt.Sprintf("the URL parameter %q must be a JSON object: %s", name, jsonProblem(err))
				}
			}
		}
	} else {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, "the request body could not be read"
		}
		if err := decodeJSON(body, params); err != nil {
			return nil, "the request body could not be decoded as a GraphQL request: " + jsonProblem(err) +
				`: send one JSON object {"query": …, "variables": {…}, "operationName": …}`
		}
	}
	if params.Query == "" {
		return nil, `the request has no "query": send the GraphQL document as a string in "query"`
	}
	return params, ""
}

// decodeJSON decodes one JSON value, numbers kept as json.Number (as gqlgen
// does, so that a large Int is not rounded through float64).
func decodeJSON(b []byte, into any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(into); err != nil {
		if bytes.HasPrefix(bytes.TrimSpace(b), []byte("[")) {
			return errors.New("it is a JSON array, and batches of operations are not answered")
		}
		return err
	}
	return nil
}

// jsonProblem says in users' words what is wrong with a decoded value.
func jsonProblem(err error) string {
	var typ *json.UnmarshalTypeError
	var syntax *json.SyntaxError
	switch {
	case errors.As(err, &typ) && typ.Field != "":
		return fmt.Sprintf("%q must be %s, not a JSON %s", typ.Field, jsonKind(typ.Field), typ.Value)
	case errors.As(err, &typ):
		return fmt.Sprintf("it is a JSON %s, not an object", typ.Value)
	case errors.As(err, &syntax):
		return fmt.Sprintf("it is not valid JSON (at byte %d: %s)", syntax.Offset, strings.TrimPrefix(syntax.Error(), "json: "))
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "it is empty or cut short"
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

func jsonKind(field string) string {
	switch field {
	case "variables", "extensions":
		return "an object"
	}
	return "a string"
}

// requestErrorStatus is the status of a request error under
// application/graphql-response+json: 400, or 503 when the server could not
// take it (UNAVAILABLE), so that a client retries.
func requestErrorStatus(errs gqlerror.List) int {
	for _, e := range errs {
		if e.Extensions["code"] == coopgraph.EUNAVAILABLE {
			return http.StatusServiceUnavailable
		}
	}
	return http.StatusBadRequest
}

// writeRequestErrors writes an answer to a request that did not run: its
// errors and extensions, and no "data" entry at all (the spec: a request
// error's response has none; gqlgen's Response always writes "data":null).
func writeRequestErrors(w http.ResponseWriter, status int, resp *graphql.Response) {
	b, err := json.Marshal(struct {
		Errors     gqlerror.List  `json:"errors"`
		Extensions map[string]any `json:"extensions,omitempty"`
	}{resp.Errors, resp.Extensions})
	if err != nil {
		panic(fmt.Errorf("marshal GraphQL errors: %w", err))
	}
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// explain rewrites two of gqlgen's request errors whose words do not help:
// "operation  not found" (a document of several operations and no
// operationName, or a name it does not have) names the operations there
// are, and a variable that does not fit its type is named the way GraphQL's
// reference implementation names it, located at its definition, without
// the path gqlgen gives it (["variable","n"]: paths are for fields of the
// answer).
func explain(opCtx *graphql.OperationContext, errs gqlerror.List) gqlerror.List {
	if opCtx == nil || opCtx.Doc == nil {
		return errs
	}
	if opCtx.Operation == nil && len(errs) == 1 {
		return gqlerror.List{operationNotFound(opCtx.Doc.Operations, opCtx.OperationName)}
	}
	for _, e := range errs {
		if len(e.Path) >= 2 && e.Path[0] == ast.PathName("variable") && opCtx.Operation != nil {
			explainVariable(e, opCtx.Operation)
		}
	}
	return errs
}

// maxNamesListed bounds the operation names an error lists.
const maxNamesListed = 10

func operationNotFound(ops ast.OperationList, name string) *gqlerror.Error {
	names := make([]string, 0, min(len(ops), maxNamesListed))
	for _, op := range ops {
		if len(names) == maxNamesListed {
			names = append(names, fmt.Sprintf("and %d more", len(ops)-maxNamesListed))
			break
		}
		if op.Name == "" {
			names = append(names, "an anonymous one")
			continue
		}
		names = append(names, op.Name)
	}
	var msg string
	switch {
	case len(ops) == 0:
		msg = "the document has no operation to run"
	case name == "":
		msg = fmt.Sprintf(`the document has %d operations (%s): name the one to run in "operationName"`, len(ops), strings.Join(names, ", "))
	default:
		msg = fmt.Sprintf(`the document has no operation named %q; it has %s`, truncate(name, maxOperationNameBytes), strings.Join(names, ", "))
	}
	err := &gqlerror.Error{Message: msg}
	errcode.Set(err, errcode.ValidationFailed)
	return err
}

// explainVariable turns gqlparser's `cannot use string as Int` at
// ["variable","n"] into `Variable "$n" got an invalid value: cannot use
// string as Int`, at the line and column of $n's definition; a value
// inside an input object or list says where ("$f" at f.kinds[0]).
func explainVariable(e *gqlerror.Error, op *ast.OperationDefinition) {
	name, _ := e.Path[1].(ast.PathName)
	where := ""
	if len(e.Path) > 2 {
		where = fmt.Sprintf(" at %q", e.Path[1:].String())
	}
	e.Message = fmt.Sprintf("Variable \"$%s\" got an invalid value%s: %s", name, where, e.Message)
	e.Path = nil
	if def := op.VariableDefinitions.ForName(string(name)); def != nil && def.Position != nil {
		e.Locations = []gqlerror.Location{{Line: def.Position.Line, Column: def.Position.Column}}
	}
}
