package server

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/web"
)

// ContentSecurityPolicy is the policy of every answer, page or API alike:
// the page's and playground's own, defined beside them in package web
// (scripts and styles from this origin only, no inline script, no eval).
// Framing, which default-src does not cover, is refused by frame-ancestors
// and, for older browsers, X-Frame-Options; base-uri and form-action close
// what default-src leaves open too.
const ContentSecurityPolicy = web.ContentSecurityPolicy

// securityHeaders go on every answer. Permissions-Policy names only
// features every current browser knows: an unknown one is a console error.
var securityHeaders = [][2]string{
	{"Content-Security-Policy", ContentSecurityPolicy},
	{"X-Content-Type-Options", "nosniff"},
	{"Referrer-Policy", "no-referrer"},
	{"X-Frame-Options", "DENY"},
	{"Cross-Origin-Opener-Policy", "same-origin"},
	{"Cross-Origin-Resource-Policy", "same-origin"},
	{"Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()"},
}

// CORS answers: the methods and request headers the API takes from another
// origin, the answer header a script there may read, and how long a
// browser may keep a preflight's answer.
const (
	corsMethods       = "GET, POST"
	corsHeaders       = "Content-Type, X-Request-Id, " + RequestHeader
	corsExposeHeaders = "X-Request-Id"
	corsMaxAge        = "600"
)

// secure sets the security headers on every answer and applies the CORS
// policy: no cross-origin access unless the origin is in CORSOrigins. A
// preflight is answered here: 204 for an allowed origin and method, 403
// otherwise.
//
// The headers are set when the answer starts, after the handler has set
// its own, so that this file has the last word on them whatever a handler
// (the page, the playground, an error path) sets.
func (s *Server) secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gw := &headerGuard{ResponseWriter: w, varyOrigin: len(s.CORSOrigins) > 0}
		if s.cors(gw, r) {
			return
		}
		next.ServeHTTP(gw, r)
	})
}

// cors sets the CORS headers of an answer to r and reports whether it
// answered r whole (a preflight).
func (s *Server) cors(w http.ResponseWriter, r *http.Request) bool {
	origin := r.Header.Get("Origin")
	preflight := r.Method == http.MethodOptions && origin != "" && r.Header.Get("Access-Control-Request-Method") != ""
	if len(s.CORSOrigins) > 0 {
		// The answer depends on the origin: caches must keep them apart.
		w.Header().Add("Vary", "Origin")
	}
	allowed := origin != "" && slices.Contains(s.CORSOrigins, origin)
	if preflight {
		method := r.Header.Get("Access-Control-Request-Method")
		switch {
		case !allowed:
			writeError(w, http.StatusForbidden, coopgraph.EINVALID,
				"cross-origin requests from this origin are not allowed (the server's --cors-origins lists those it allows)")
		case method != http.MethodGet && method != http.MethodPost && method != http.MethodHead:
			writeError(w, http.StatusForbidden, coopgraph.EINVALID,
				fmt.Sprintf("cross-origin %s requests are not allowed: use GET or POST", method))
		default:
			h := w.Header()
			h.Set("Access-Control-Allow-Origin", origin)
			h.Set("Access-Control-Allow-Methods", corsMethods)
			h.Set("Access-Control-Allow-Headers", corsHeaders)
			h.Set("Access-Control-Max-Age", corsMaxAge)
			w.WriteHeader(http.StatusNoContent)
		}
		return true
	}
	if allowed {
		w.Header().Set("Access-Control-Allow-Origin", origin)
		w.Header().Set("Access-Control-Expose-Headers", corsExposeHeaders)
	}
	return false
}

// headerGuard sets the security headers when the answer starts.
type headerGuard struct {
	http.ResponseWriter
	varyOrigin bool // CORS is on: the answer varies by Origin
	started    bool
}

func (g *headerGuard) start() {
	if g.started {
		return
	}
	g.started = true
	h := g.Header()
	for _, kv := range securityHeaders {
		h.Set(kv[0], kv[1])
	}
	// A handler that set Vary itself replaced the one cors added.
	if g.varyOrigin && !slices.Contains(h.Values("Vary"), "Origin") {
		h.Add("Vary", "Origin")
	}
}

func (g *headerGuard) WriteHeader(code int) {
	g.start()
	g.ResponseWriter.WriteHeader(code)
}

func (g *headerGuard) Write(p []byte) (int, error) {
	g.start()
	return g.ResponseWriter.Write(p)
}

// Flush lets a streaming answer (an export) push what it wrote.
func (g *headerGuard) Flush() {
	g.start()
	if f, ok := g.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap gives http.ResponseController the connection's writer.
func (g *headerGuard) Unwrap() http.ResponseWriter { return g.ResponseWriter }

// ParseCORSOrigins reads a comma-separated list of the origins allowed to
// call the API from a browser, each scheme://host[:port] as browsers send
// it in Origin (https://example.org, http://127.0.0.1:3000). It returns
// them in that form (lower case, without a default port), or an error
// naming the first that is no origin. "*" is refused: the list is exact.
func ParseCORSOrigins(list string) ([]string, error) {
	var out []string
	for _, item := range strings.Split(list, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		o, err := parseOrigin(item)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(out, o) {
			out = append(out, o)
		}
	}
	return out, nil
}

func parseOrigin(s string) (string, error) {
	bad := func(why string) error {
		return coopgraph.Errorf(coopgraph.EINVALID, "%q is not an origin: %s; write scheme://host[:port], e.g. https://example.org", s, why)
	}
	if s == "*" || s == "null" {
		return "", bad("give each allowed origin exactly")
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", bad("it does not parse")
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return "", bad("the scheme must be http or https")
	case u.Host == "" || u.Hostname() == "":
		return "", bad("it has no host")
	case u.User != nil:
		return "", bad("it has a user")
	case u.Path != "" && u.Path != "/", u.RawQuery != "", u.Fragment != "", u.Opaque != "":
		return "", bad("it has a path, query or fragment")
	}
	scheme, host, port := strings.ToLower(u.Scheme), strings.ToLower(u.Hostname()), u.Port()
	if strings.Contains(host, ":") {
		host = "[" + host + "]" // IPv6
	}
	if port == "" || scheme == "http" && port == "80" || scheme == "https" && port == "443" {
		return scheme + "://" + host, nil
	}
	return scheme + "://" + host + ":" + port, nil
}
