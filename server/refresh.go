package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/graph"
)

// WatchStore keeps the analytics snapshot in step with the store until ctx
// ends: every interval it asks the store's Version, and when that changed (a
// new load landed) it reads the whole dataset, builds a new snapshot and
// publishes it with SetSnapshot. The swap is atomic: a request sees the old
// snapshot or the new one, never a mix. A failed read keeps the old
// snapshot, logs why, and is tried again at the next tick. every <= 0
// disables the watch. Run it in its own goroutine, after the first
// SetSnapshot.
func (s *Server) WatchStore(ctx context.Context, every time.Duration) {
	if every <= 0 || s.Store == nil {
		return
	}
	log := s.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	// A snapshot published with its version (PublishSnapshot) says what
	// it stands for; one without was read just before, so it stands for
	// the version the store has now (a load landing in between is then
	// noticed at the next load). Without any snapshot (serve started on
	// an incomplete load) nothing is seen: the first tick reads whatever
	// the store holds, even if a load completed before the watch began.
	var seen string
	var known bool
	switch p := s.snap.Load(); {
	case p == nil:
	case p.versioned:
		seen, known = p.version, true
	default:
		var err error
		seen, err = s.Store.Version(ctx)
		known = err == nil
		if err != nil && ctx.Err() == nil {
			log.Warn("snapshot refresh: cannot read the store's version; will refresh when it answers", "error", err.Error())
		}
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		// Bounded, so that a database that hangs is reported at each tick
		// rather than blocking the watch in silence until it answers.
		rctx, cancel := context.WithTimeout(ctx, max(refreshTimeout, 2*every))
		v, changed, err := s.refresh(rctx, seen, known)
		cancel()
		var ns *coopgraph.NotServableError
		if errors.As(err, &ns) {
			// Logged once, not at every tick, until a complete load lands.
			if _, news := s.noteServable(err); news && s.Snapshot() != nil {
				log.Warn("snapshot not refreshed: the store holds a load that is not complete; still serving the last complete load", "reason", ns.Reason)
			} else if news {
				log.Warn("not ready: the store holds no complete load to serve; waiting for one", "reason", ns.Reason)
			}
			continue
		}
		if err != nil {
			if ctx.Err() == nil {
				log.Warn("snapshot refresh failed; still serving the previous snapshot", "error", err.Error())
			}
			continue
		}
		if _, back := s.noteServable(nil); back {
			log.Info("the store holds complete loads only again")
		}
		if changed {
			snap := s.Snapshot()
			log.Info("snapshot refreshed: a new load landed in the store", "version", v,
				"entities", snap.NumNodes(), "relations", snap.NumRelations())
		}
		seen, known = v, true
	}
}

// refreshTimeout bounds one refresh (version, dataset, snapshot); CORDIS
// takes about 3 s. A longer interval gives it twice the interval.
const refreshTimeout = time.Minute

// refresh publishes a new snapshot when the store's version is not seen
// (or not known). The version is read before the dataset: a load landing
// during the read changes the version again, and the next tick reads anew.
func (s *Server) refresh(ctx context.Context, seen string, known bool) (version string, changed bool, err error) {
	v, err := s.Store.Version(ctx)
	if err != nil || (known && v == seen) {
		return v, false, err
	}
	ds, err := s.Store.Dataset(ctx)
	if err != nil {
		return "", false, err
	}
	snap, err := buildSnapshot(ds)
	if err != nil {
		return "", false, err
	}
	s.PublishLoad(snap, ds, v)
	return v, true, nil
}

// buildSnapshot builds the snapshot of ds. NewSnapshot panics on a dataset
// that breaks its rules (a programming error in a store); here that must
// not bring the server down, only keep the old snapshot.
func buildSnapshot(ds *coopgraph.Dataset) (snap *graph.Snapshot, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("building the snapshot: %v", v)
		}
	}()
	return graph.NewSnapshot(ds), nil
}
