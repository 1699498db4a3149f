package server

import (
	"context"
	"errors"
	"mime"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"sync"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/export"
	"github.com/coopgraph/coopgraph/export/scope"
	"github.com/coopgraph/coopgraph/graph"
)

// export serves GET /export/{format}: the whole network, or the part the
// query chooses, as GraphML, GEXF or one of the two CSV tables, as an
// attachment. The query's parameters are scope.Parse's arguments.
func (s *Server) export(w http.ResponseWriter, r *http.Request) {
	format := chi.URLParam(r, "format")
	write, err := export.Writer(format)
	if err != nil {
		s.exportError(w, r, err)
		return
	}
	sc, err := scope.Parse(scope.Args(r.URL.Query()), scope.QuerySpelling)
	if err != nil {
		s.exportError(w, r, err)
		return
	}
	net, err := s.exportNetwork(r.Context())
	if err != nil {
		s.exportError(w, r, err)
		return
	}
	sub, err := net.Select(r.Context(), sc)
	if err != nil {
		s.exportError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", exportTypes[export.Format(format)])
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": exportFilename(sc, export.Format(format))}))
	if err := write(w, sub); err != nil {
		// The status is sent: all that is left is to say why the body is short.
		s.logger().Warn("export: writing the response failed", "request_id", middleware.GetReqID(r.Context()), "format", format, "error", err.Error())
	}
}

var exportTypes = map[export.Format]string{
	export.GraphMLFormat:  "application/graphml+xml; charset=utf-8",
	export.GEXFFormat:     "application/gexf+xml; charset=utf-8",
	export.NodesCSVFormat: "text/csv; charset=utf-8",
	export.EdgesCSVFormat: "text/csv; charset=utf-8",
}

// exportFilename names the attachment after what it holds:
// coopgraph.graphml, coopgraph-path-opolskie-malopolskie.gexf,
// coopgraph-neighbourhood-malopolskie-2-nodes.csv…
func exportFilename(sc scope.Scope, f export.Format) string {
	name := "coopgraph"
	switch {
	case sc.Path != nil:
		name += "-path-" + safeName(sc.Path.From) + "-" + safeName(sc.Path.To)
		if sc.Path.All {
			name += "-all"
		} else if sc.Path.K > 0 {
			name += "-k" + strconv.Itoa(sc.Path.K)
		}
	case sc.Neighbourhood != nil:
		name += "-neighbourhood-" + safeName(sc.Neighbourhood.ID) + "-" + strconv.Itoa(sc.Neighbourhood.Depth)
	case sc.Community != nil:
		name += "-community-" + strconv.Itoa(sc.Community.Index)
	}
	if f == export.NodesCSVFormat || f == export.EdgesCSVFormat {
		return name + "-" + string(f)
	}
	return name + "." + string(f)
}

var unsafeInName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// safeName keeps an id's characters that are safe in a file name on every
// system (ids may hold ":" and "/").
func safeName(id string) string { return unsafeInName.ReplaceAllString(id, "_") }

// exportError answers a failed export with its code and message, in the
// error shape of every other answer of the server; an internal error is
// logged and answered without its text.
func (s *Server) exportError(w http.ResponseWriter, r *http.Request, err error) {
	code := coopgraph.ErrorCode(err)
	if r.Context().Err() != nil {
		// Cancelled: the client left or the time limit passed (then
		// withTimeout has answered already); nothing failed.
		code = coopgraph.EUNAVAILABLE
		err = coopgraph.Errorf(code, "%s", timeoutMessage(s.requestTimeout()))
	}
	status := http.StatusInternalServerError
	switch code {
	case coopgraph.EINVALID, coopgraph.ELIMIT:
		status = http.StatusBadRequest
	case coopgraph.ENOTFOUND:
		status = http.StatusNotFound
	case coopgraph.EUNAVAILABLE:
		status = http.StatusServiceUnavailable
		suggestRetry(r.Context(), 0)
	default:
		s.logger().Error("export failed", "request_id", middleware.GetReqID(r.Context()), "error", err.Error())
	}
	msg := coopgraph.ErrorMessage(err)
	var e *coopgraph.Error
	if errors.As(err, &e) {
		msg = e.Spell(exportOption)
	}
	writeError(w, status, code, msg)
}

// exportOption spells the engine's options (the API's argument names) as
// /export's query does: relationType=T, repeatable; the others alike.
func exportOption(name string) string {
	if name == "relationTypes" {
		return "relationType"
	}
	return ""
}

// exportIndexes are the export indexes of the snapshots last exported
// from, one per Server, the most recent first. Building one reads the
// store's whole dataset (the snapshot does not list relations), which is
// worth doing once per snapshot, not per request. A process serves one
// Server; tests build several, hence a few entries.
var exportIndexes struct {
	sync.Mutex
	entries []exportIndex
}

type exportIndex struct {
	server *Server
	snap   *graph.Snapshot
	net    *scope.Network
}

const maxExportIndexes = 4

// exportNetwork returns the export index of the current snapshot.
func (s *Server) exportNetwork(ctx context.Context) (*scope.Network, error) {
	snap := s.Snapshot()
	if snap == nil {
		return nil, coopgraph.Errorf(coopgraph.EUNAVAILABLE, "the network is not loaded yet; try again shortly")
	}
	c := &exportIndexes
	c.Lock()
	defer c.Unlock()
	for _, e := range c.entries {
		if e.server == s && e.snap == snap {
			return e.net, nil
		}
	}
	ds, err := s.store.Dataset(ctx)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
			return nil, coopgraph.Errorf(coopgraph.EUNAVAILABLE, "reading the network took too long; try again")
		}
		return nil, err
	}
	net, err := scope.NewNetwork(snap, ds)
	if err != nil {
		return nil, err
	}
	// The server's older snapshot is dropped; so is the least recent entry
	// beyond the bound.
	c.entries = slices.DeleteFunc(c.entries, func(e exportIndex) bool { return e.server == s })
	c.entries = slices.Insert(c.entries, 0, exportIndex{s, snap, net})
	if len(c.entries) > maxExportIndexes {
		clear(c.entries[maxExportIndexes:]) // let the dropped index go
		c.entries = c.entries[:maxExportIndexes]
	}
	return net, nil
}
