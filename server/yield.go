package server

import (
	"time"

	"github.com/coopgraph/coopgraph/graph"
)

// The background computations of a server (the exact rankings of each
// published snapshot, precompute.go) give way to the requests being
// answered: their Limiter is Yielding to busy, so that they pause between
// units of work while a GraphQL request runs (graph.Limiter.Yielding says
// how long, and why on two cores it matters). loaders counts the requests.

// busy reports whether the server is answering GraphQL requests now, or
// answered one within quietAfter: between two requests of a steady load
// (1,500 a second: 0.7 ms apart) the server is not idle, and a unit of
// background work started in that gap would hold a core for 10–20 ms.
func (s *Server) busy() bool {
	return s.answering.Load() > 0 || time.Now().UnixNano()-s.answered.Load() < int64(quietAfter)
}

// quietAfter is how long after its last answer the server counts as idle.
const quietAfter = 10 * time.Millisecond

// backgroundLimiter admits the server's background computations: procs at
// once, queue more waiting, each giving way to the requests.
func (s *Server) backgroundLimiter(procs, queue int) *graph.Limiter {
	return graph.NewLimiter(procs, queue).Yielding(s.busy)
}
