package server

import (
	"context"
	"errors"
	"maps"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
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
// attachment. See exportScope for the query.
func (s *Server) export(w http.ResponseWriter, r *http.Request) {
	format := chi.URLParam(r, "format")
	write, err := export.Writer(format)
	if err != nil {
		s.exportError(w, r, err)
		return
	}
	sc, err := exportScope(r.URL.Query())
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

// exportParams are the query parameters of /export/{format}, each with the
// scope it belongs to ("" for any).
var exportParams = map[string]string{
	"path": "path", "all": "path", "k": "path", "maxHops": "path",
	"neighbourhood": "neighbourhood", "depth": "neighbourhood",
	"community": "community", "resolution": "community", "seed": "community",
	"relationType": "", "measure": "",
}

// exportScope reads the scope of an export from its query:
//
//   - nothing: the whole network;
//   - path=FROM,TO: a shortest path, with all=1 every shortest path or
//     k=N the N shortest; maxHops=N bounds their length;
//   - neighbourhood=ID: the entity and all within depth=N relations (1
//     unless given, at most 3);
//   - community=I: the I-th largest community (1 the largest) of the
//     partition with resolution=R (1) and seed=S (1), as the API computes it;
//   - relationType=T (repeatable, or comma-separated): only these
//     relations, for every scope;
//   - measure=M: each entity's centrality score as an attribute.
//
// An unknown parameter, a repeated one (but relationType), one of another
// scope, or a value of the wrong form is an EINVALID error naming it.
func exportScope(q url.Values) (scope.Scope, error) {
	var sc scope.Scope
	chosen := ""
	for _, name := range []string{"path", "neighbourhood", "community"} {
		if q.Has(name) {
			if chosen != "" {
				return sc, coopgraph.Errorf(coopgraph.EINVALID, "choose one of path, neighbourhood and community, not %s and %s", chosen, name)
			}
			chosen = name
		}
	}
	for _, name := range slices.Sorted(maps.Keys(q)) {
		belongs, ok := exportParams[name]
		switch {
		case !ok:
			return sc, coopgraph.Errorf(coopgraph.EINVALID, "unknown parameter %q: the parameters are path, all, k, maxHops, neighbourhood, depth, community, resolution, seed, relationType and measure", name)
		case name != "relationType" && len(q[name]) > 1:
			return sc, coopgraph.Errorf(coopgraph.EINVALID, "parameter %s is given %d times", name, len(q[name]))
		case belongs != "" && belongs != chosen:
			return sc, coopgraph.Errorf(coopgraph.EINVALID, "parameter %s goes with %s=…", name, belongs)
		}
	}
	for _, v := range q["relationType"] {
		for _, t := range strings.Split(v, ",") {
			if t = strings.TrimSpace(t); t != "" {
				sc.RelationTypes = append(sc.RelationTypes, t)
			}
		}
	}
	if m := q.Get("measure"); m != "" {
		sc.Measure = graph.Measure(strings.ToUpper(m))
	}

	var err error
	switch chosen {
	case "path":
		ends := strings.Split(q.Get("path"), ",")
		if len(ends) != 2 || ends[0] == "" || ends[1] == "" {
			return sc, coopgraph.Errorf(coopgraph.EINVALID, "path must be two entity ids, FROM,TO (got %q)", q.Get("path"))
		}
		p := &scope.Path{From: ends[0], To: ends[1]}
		if q.Has("all") {
			if p.All, err = strconv.ParseBool(q.Get("all")); err != nil {
				return sc, coopgraph.Errorf(coopgraph.EINVALID, "all must be 1 or 0 (got %q)", q.Get("all"))
			}
		}
		if p.K, err = intParam(q, "k", 0); err != nil {
			return sc, err
		}
		if q.Has("k") && p.K < 1 {
			return sc, coopgraph.Errorf(coopgraph.EINVALID, "k must be at least 1 (got %d)", p.K)
		}
		if p.MaxHops, err = intParam(q, "maxHops", 0); err != nil {
			return sc, err
		}
		if q.Has("maxHops") && p.MaxHops < 1 {
			return sc, coopgraph.Errorf(coopgraph.EINVALID, "maxHops must be at least 1 (got %d)", p.MaxHops)
		}
		sc.Path = p
	case "neighbourhood":
		nb := &scope.Neighbourhood{ID: q.Get("neighbourhood")}
		if nb.ID == "" {
			return sc, coopgraph.Errorf(coopgraph.EINVALID, "neighbourhood must be an entity id")
		}
		if nb.Depth, err = intParam(q, "depth", 1); err != nil {
			return sc, err
		}
		sc.Neighbourhood = nb
	case "community":
		c := &scope.Community{Resolution: 1, Seed: 1}
		if c.Index, err = intParam(q, "community", 0); err != nil {
			return sc, err
		}
		if q.Has("resolution") {
			if c.Resolution, err = strconv.ParseFloat(q.Get("resolution"), 64); err != nil || !(c.Resolution > 0) {
				return sc, coopgraph.Errorf(coopgraph.EINVALID, "resolution must be a positive number (got %q)", q.Get("resolution"))
			}
		}
		if q.Has("seed") {
			if c.Seed, err = strconv.ParseUint(q.Get("seed"), 10, 64); err != nil {
				return sc, coopgraph.Errorf(coopgraph.EINVALID, "seed must be a whole number from 0 (got %q)", q.Get("seed"))
			}
		}
		sc.Community = c
	}
	return sc, nil
}

// intParam reads an integer parameter, def when absent.
func intParam(q url.Values, name string, def int) (int, error) {
	if !q.Has(name) {
		return def, nil
	}
	v, err := strconv.Atoi(q.Get(name))
	if err != nil {
		return 0, coopgraph.Errorf(coopgraph.EINVALID, "%s must be a whole number (got %q)", name, q.Get(name))
	}
	return v, nil
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
		suggestRetry(r.Context())
	default:
		s.logger().Error("export failed", "request_id", middleware.GetReqID(r.Context()), "error", err.Error())
	}
	writeError(w, status, code, coopgraph.ErrorMessage(err))
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
