package server

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"

	"github.com/go-chi/chi/v5/middleware"

	"github.com/coopgraph/coopgraph"
)

// healthz answers 200 as long as the process serves: it says the process
// is alive, not that it can answer questions (that is /readyz).
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte("ok\n"))
}

// readiness is the body of /readyz. NotReady names what is missing, never
// why: a driver's message may name hosts or users.
type readiness struct {
	Ready    bool     `json:"ready"`
	NotReady []string `json:"notReady,omitempty"`
	// Reason says why there is no snapshot when the store holds no
	// complete load (coopgraph.NotServableError): what an operator must
	// do, and nothing of the database's whereabouts.
	Reason string `json:"reason,omitempty"`
	// ExactRankings says, by measure, whether the exact centrality ranking
	// of the served snapshot is computed (with Server.Precompute; until
	// then BETWEENNESS, CLOSENESS and HARMONIC answer with a certified
	// approximation). Ready does not wait for them.
	ExactRankings map[string]bool `json:"exactRankings,omitempty"`
	// ExactProgress details, by measure, how far the exact ranking is:
	// ready, running, the fraction done and the seconds still expected.
	ExactProgress map[string]exactProgress `json:"exactProgress,omitempty"`
}

// readyz answers 200 when the store answers within the ready timeout and a
// snapshot is published; otherwise 503 naming "store" and/or "snapshot",
// with the reason when the snapshot waits for a complete load.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	var missing []string
	if s.store == nil {
		missing = append(missing, "store")
	} else {
		ctx, cancel := context.WithTimeout(r.Context(), s.readyTimeout())
		err := s.store.Ready(ctx)
		cancel()
		if err != nil {
			missing = append(missing, "store")
			// The store's own message says what failed (its errors never
			// hold credentials); an error it did not classify is logged
			// as "internal error" only.
			s.logger().LogAttrs(r.Context(), slog.LevelWarn, "store not ready",
				slog.String("request_id", middleware.GetReqID(r.Context())),
				slog.String("code", coopgraph.ErrorCode(err)),
				slog.String("error", coopgraph.ErrorMessage(err)))
		}
	}
	reason := ""
	if s.Snapshot() == nil {
		missing = append(missing, "snapshot")
		reason = s.notServableReason()
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	status := http.StatusOK
	if len(missing) > 0 {
		status = http.StatusServiceUnavailable
	}
	w.WriteHeader(status)
	progress := s.exactRankings()
	var ready map[string]bool
	if progress != nil {
		ready = make(map[string]bool, len(progress))
		for m, p := range progress {
			ready[m] = p.Ready
		}
	}
	_ = json.NewEncoder(w).Encode(readiness{Ready: len(missing) == 0, NotReady: missing, Reason: reason,
		ExactRankings: ready, ExactProgress: progress})
}
