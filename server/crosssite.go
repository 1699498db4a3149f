package server

import (
	"net/http"
	"slices"

	"github.com/coopgraph/coopgraph"
)

// RequestHeader marks a request as sent on purpose by a client of the
// API. A page of another site cannot send it without a CORS preflight,
// which the server refuses unless its origin is in CORSOrigins: so a
// cross-site request carrying it comes from a script that is no browser
// page, or from an allowed origin.
const RequestHeader = "X-Coopgraph-Request"

// refuseCrossSite keeps another site's pages from making the server work:
// an <img src="…/export/nodes.csv?measure=betweenness"> or a form aimed at
// /graphql on any page would otherwise run the computation once per
// visitor (a denial of service driven by browsers), though the page never
// reads the answer. It follows Fetch Metadata's resource isolation policy
// (web.dev/articles/fetch-metadata): browsers say in Sec-Fetch-Site where
// a request comes from, and a page cannot lie about it.
//
// Allowed: no Sec-Fetch-Site (curl, scripts, browsers from before 2023),
// same-origin (the page, the playground) and none (an address typed or
// bookmarked). A same-site or cross-site request — same-site is another
// origin too, a sibling host that may be anyone's — is allowed only from
// an origin in CORSOrigins or with RequestHeader; otherwise it is
// answered 403 FORBIDDEN before any work. A link to an export from
// another site is refused as well: open it from the page, or copy it into
// the address bar.
func (s *Server) refuseCrossSite(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Header.Get("Sec-Fetch-Site") {
		case "", "same-origin", "none":
			next.ServeHTTP(w, r)
			return
		}
		origin := r.Header.Get("Origin")
		if r.Header.Get(RequestHeader) != "" || origin != "" && slices.Contains(s.CORSOrigins, origin) {
			next.ServeHTTP(w, r)
			return
		}
		writeError(w, http.StatusForbidden, coopgraph.EFORBIDDEN,
			"requests from another site's page are refused here: open coopgraph's own page, or send the header "+RequestHeader+": 1 from a script (the server's --cors-origins lists the sites whose pages may call it)")
	})
}
