package server_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/coopgraph/coopgraph/memstore"
	"github.com/coopgraph/coopgraph/server"
)

// wantSecurityHeaders are the headers every answer carries, exactly.
var wantSecurityHeaders = map[string]string{
	"Content-Security-Policy":      server.ContentSecurityPolicy,
	"X-Content-Type-Options":       "nosniff",
	"Referrer-Policy":              "no-referrer",
	"X-Frame-Options":              "DENY",
	"Cross-Origin-Opener-Policy":   "same-origin",
	"Cross-Origin-Resource-Policy": "same-origin",
	"Permissions-Policy":           "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}

func checkSecurityHeaders(t *testing.T, what string, h http.Header) {
	t.Helper()
	for k, want := range wantSecurityHeaders {
		if got := h.Values(k); len(got) != 1 || got[0] != want {
			t.Errorf("%s: %s is %q, want exactly %q", what, k, got, want)
		}
	}
}

// The policy forbids what the page never needs: inline scripts, eval,
// other origins; X-Frame-Options forbids framing.
func TestContentSecurityPolicyIsStrict(t *testing.T) {
	csp := server.ContentSecurityPolicy
	for _, want := range []string{"default-src 'self'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("the policy %q lacks %q", csp, want)
		}
	}
	for _, bad := range []string{"script-src", "unsafe-eval", "*", "http:", "https:", "data:"} {
		if strings.Contains(csp, bad) {
			t.Errorf("the policy %q allows %q", csp, bad)
		}
	}
}

type headerCase struct {
	name, method, path, body string
	header                   map[string]string
	status                   int
}

func (c headerCase) do(t *testing.T, base string) *http.Response {
	t.Helper()
	var body io.Reader
	if c.body != "" {
		body = strings.NewReader(c.body)
	}
	req, err := http.NewRequest(c.method, base+c.path, body)
	if err != nil {
		t.Fatal(err)
	}
	if c.body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range c.header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s: %v", c.name, err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

// assetPaths are the files an index page links to under prefix.
func assetPaths(t *testing.T, base, index, prefix string) []string {
	t.Helper()
	resp, err := http.Get(base + index)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var out []string
	for _, m := range regexp.MustCompile(`(?:src|href)="(`+regexp.QuoteMeta(prefix)+`/[^"]+)"`).FindAllStringSubmatch(string(b), -1) {
		out = append(out, m[1])
	}
	if len(out) == 0 {
		t.Fatalf("%s links to nothing under %s", index, prefix)
	}
	return out
}

// Every route, and every way an answer can end (refused, too large, too
// slow, a panic, unknown path, wrong method), carries the same security
// headers.
func TestEveryAnswerCarriesTheSecurityHeaders(t *testing.T) {
	ds := seedDataset(t)
	// One server whose search panics, one whose search outlasts the timeout.
	panicky := newServer(t, fakeStore{Store: memstore.New(ds), search: func(context.Context) error { panic("boom") }}, nil)
	slow := newServer(t, fakeStore{Store: memstore.New(ds), search: func(ctx context.Context) error {
		<-ctx.Done()
		return ctx.Err()
	}}, nil)
	slow.RequestTimeout = 100 * time.Millisecond
	plain := newServer(t, nil, nil)
	plain.MaxBodyBytes = 4096
	servers := map[string]*httptest.Server{}
	for name, s := range map[string]*server.Server{"plain": plain, "panicky": panicky, "slow": slow} {
		ts := httptest.NewServer(s.Handler())
		t.Cleanup(ts.Close)
		servers[name] = ts
	}
	base := servers["plain"].URL
	cases := []headerCase{
		{name: "page", method: "GET", path: "/", status: 200},
		{name: "playground", method: "GET", path: "/playground", status: 200},
		{name: "playground slash", method: "GET", path: "/playground/", status: 200},
		{name: "graphql POST", method: "POST", path: "/graphql", body: `{"query":"{ entity(id: \"malopolskie\") { id } }"}`, status: 200},
		{name: "graphql GET", method: "GET", path: "/graphql?query=%7B__typename%7D", status: 200},
		{name: "graphql error", method: "POST", path: "/graphql", body: `{"query":"{ entity(id: \"ghost\") { id } }"}`, status: 200},
		{name: "graphql invalid", method: "POST", path: "/graphql", body: `{"query":"{ nope }"}`, status: 200},
		{name: "graphql bad JSON", method: "POST", path: "/graphql", body: `{"query":`, status: 400},
		{name: "graphql too large", method: "POST", path: "/graphql", body: `{"query":"` + strings.Repeat(" ", 5000) + `{ __typename }"}`, status: 413},
		{name: "export", method: "GET", path: "/export/graphml", status: 200},
		{name: "export bad format", method: "GET", path: "/export/nope", status: 400},
		{name: "healthz", method: "GET", path: "/healthz", status: 200},
		{name: "readyz", method: "GET", path: "/readyz", status: 200},
		{name: "metrics", method: "GET", path: "/metrics", status: 200},
		{name: "unknown path", method: "GET", path: "/no-such-page", status: 404},
		{name: "wrong method", method: "POST", path: "/healthz", status: 405},
		{name: "page HEAD", method: "HEAD", path: "/", status: 200},
		{name: "page not modified", method: "GET", path: "/", header: map[string]string{"If-None-Match": "*"}, status: 304},
	}
	for _, p := range assetPaths(t, base, "/", "/app") {
		cases = append(cases, headerCase{name: "page file " + p, method: "GET", path: p, status: 200})
	}
	for _, p := range assetPaths(t, base, "/playground", "/playground") {
		cases = append(cases, headerCase{name: "playground file " + p, method: "GET", path: p, status: 200})
	}
	for _, c := range cases {
		resp := c.do(t, base)
		if c.status != 0 && resp.StatusCode != c.status {
			t.Errorf("%s: status %d, want %d", c.name, resp.StatusCode, c.status)
		}
		checkSecurityHeaders(t, c.name, resp.Header)
		if v := resp.Header.Get("Access-Control-Allow-Origin"); v != "" {
			t.Errorf("%s: Access-Control-Allow-Origin %q with CORS off", c.name, v)
		}
	}
	search := headerCase{method: "POST", path: "/graphql", body: `{"query":"{ search(text: \"Malopolska\") { id } }"}`}
	search.name = "a panic"
	resp := search.do(t, servers["panicky"].URL)
	if resp.StatusCode != 200 && resp.StatusCode != 500 {
		t.Errorf("a panic: status %d", resp.StatusCode)
	}
	checkSecurityHeaders(t, search.name, resp.Header)
	search.name = "a request past its timeout"
	if resp := search.do(t, servers["slow"].URL); resp.StatusCode != 503 {
		t.Errorf("%s: status %d, want 503", search.name, resp.StatusCode)
	} else {
		checkSecurityHeaders(t, search.name, resp.Header)
	}
}

// preflight sends a CORS preflight from origin asking for method.
func preflight(t *testing.T, base, path, origin, method string) *http.Response {
	t.Helper()
	return headerCase{name: "preflight from " + origin, method: "OPTIONS", path: path, header: map[string]string{
		"Origin": origin, "Access-Control-Request-Method": method, "Access-Control-Request-Headers": "content-type",
	}}.do(t, base)
}

func TestCORSIsOffByDefault(t *testing.T) {
	ts := httptest.NewServer(newServer(t, nil, nil).Handler())
	defer ts.Close()
	for _, path := range []string{"/graphql", "/export/graphml", "/"} {
		resp := preflight(t, ts.URL, path, "https://elsewhere.example", "POST")
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("preflight to %s: status %d, want 403", path, resp.StatusCode)
		}
		for _, h := range []string{"Access-Control-Allow-Origin", "Access-Control-Allow-Methods", "Access-Control-Allow-Headers"} {
			if v := resp.Header.Get(h); v != "" {
				t.Errorf("preflight to %s: %s %q", path, h, v)
			}
		}
		checkSecurityHeaders(t, "refused preflight", resp.Header)
	}
	// The refusal is an error in the API's shape.
	req, _ := http.NewRequest("OPTIONS", ts.URL+"/graphql", nil)
	req.Header.Set("Origin", "https://elsewhere.example")
	req.Header.Set("Access-Control-Request-Method", "POST")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var body struct {
		Errors []struct {
			Message    string
			Extensions struct{ Code string }
		}
	}
	err = json.NewDecoder(resp.Body).Decode(&body)
	resp.Body.Close()
	if err != nil || len(body.Errors) != 1 || body.Errors[0].Extensions.Code != "INVALID_ARGUMENT" || !strings.Contains(body.Errors[0].Message, "--cors-origins") {
		t.Errorf("refused preflight body: %+v (%v)", body, err)
	}
	// A cross-origin request is answered (it may be a same-site tool), but
	// without the header that would let a browser page read the answer.
	post := headerCase{name: "cross-origin POST", method: "POST", path: "/graphql", body: `{"query":"{ entity(id: \"malopolskie\") { id } }"}`,
		header: map[string]string{"Origin": "https://elsewhere.example"}}
	resp = post.do(t, ts.URL)
	if resp.StatusCode != 200 || resp.Header.Get("Access-Control-Allow-Origin") != "" || resp.Header.Get("Vary") != "" {
		t.Errorf("cross-origin POST with CORS off: %d, ACAO %q, Vary %q", resp.StatusCode, resp.Header.Get("Access-Control-Allow-Origin"), resp.Header.Get("Vary"))
	}
	// A plain OPTIONS (no preflight) is no CORS business: the router answers.
	if resp := (headerCase{name: "OPTIONS", method: "OPTIONS", path: "/healthz"}).do(t, ts.URL); resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("plain OPTIONS /healthz: %d, want 405", resp.StatusCode)
	}
}

func TestCORSAllowsTheConfiguredOriginsOnly(t *testing.T) {
	const app = "https://app.example"
	srv := newServer(t, nil, nil)
	srv.CORSOrigins = []string{app, "http://127.0.0.1:3000"}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()

	resp := preflight(t, ts.URL, "/graphql", app, "POST")
	want := map[string]string{
		"Access-Control-Allow-Origin":  app,
		"Access-Control-Allow-Methods": "GET, POST",
		"Access-Control-Allow-Headers": "Content-Type, X-Request-Id, X-Coopgraph-Request",
		"Access-Control-Max-Age":       "600",
		"Vary":                         "Origin",
	}
	if resp.StatusCode != http.StatusNoContent {
		t.Errorf("allowed preflight: %d, want 204", resp.StatusCode)
	}
	for k, v := range want {
		if got := resp.Header.Get(k); got != v {
			t.Errorf("allowed preflight: %s %q, want %q", k, got, v)
		}
	}
	checkSecurityHeaders(t, "allowed preflight", resp.Header)

	for _, c := range []struct{ origin, method string }{
		{"https://evil.example", "POST"},
		{"https://app.example.evil.example", "POST"},
		{"http://app.example", "POST"}, // another scheme is another origin
		{"https://APP.example:443", "POST"},
		{app, "DELETE"},
		{app, "PUT"},
	} {
		resp := preflight(t, ts.URL, "/graphql", c.origin, c.method)
		if resp.StatusCode != http.StatusForbidden || resp.Header.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("preflight from %s for %s: %d, ACAO %q; want 403 without it", c.origin, c.method, resp.StatusCode, resp.Header.Get("Access-Control-Allow-Origin"))
		}
	}

	for _, c := range []struct {
		origin, acao string
	}{{app, app}, {"http://127.0.0.1:3000", "http://127.0.0.1:3000"}, {"https://evil.example", ""}, {"", ""}} {
		post := headerCase{name: "POST from " + c.origin, method: "POST", path: "/graphql", body: `{"query":"{ entity(id: \"malopolskie\") { id } }"}`,
			header: map[string]string{}}
		if c.origin != "" {
			post.header["Origin"] = c.origin
		}
		resp := post.do(t, ts.URL)
		if resp.StatusCode != 200 || resp.Header.Get("Access-Control-Allow-Origin") != c.acao || resp.Header.Get("Vary") != "Origin" {
			t.Errorf("%s: %d, ACAO %q (want %q), Vary %q (want Origin)", post.name, resp.StatusCode, resp.Header.Get("Access-Control-Allow-Origin"), c.acao, resp.Header.Get("Vary"))
		}
		if got := resp.Header.Get("Access-Control-Expose-Headers"); (got != "") != (c.acao != "") {
			t.Errorf("%s: Access-Control-Expose-Headers %q", post.name, got)
		}
		checkSecurityHeaders(t, post.name, resp.Header)
	}
}

func TestParseCORSOrigins(t *testing.T) {
	for in, want := range map[string]string{
		"":                         "[]",
		" , ":                      "[]",
		"https://example.org":      "[https://example.org]",
		"https://Example.ORG/":     "[https://example.org]",
		"https://example.org:443":  "[https://example.org]",
		"http://example.org:80":    "[http://example.org]",
		"http://127.0.0.1:3000":    "[http://127.0.0.1:3000]",
		"https://example.org:8443": "[https://example.org:8443]",
		"http://[::1]:8080":        "[http://[::1]:8080]",
		"https://a.example, https://b.example,https://a.example": "[https://a.example https://b.example]",
	} {
		got, err := server.ParseCORSOrigins(in)
		if err != nil || strings.Join(got, " ") != strings.Trim(want, "[]") {
			t.Errorf("ParseCORSOrigins(%q) = %q, %v; want %s", in, got, err, want)
		}
	}
	for _, in := range []string{"*", "null", "example.org", "ftp://example.org", "https://", "https://user:pw@example.org",
		"https://example.org/path", "https://example.org?q=1", "https://example.org#x", "https://ok.example,*", "https://exa mple.org"} {
		if got, err := server.ParseCORSOrigins(in); err == nil {
			t.Errorf("ParseCORSOrigins(%q) = %q, want an error", in, got)
		} else if !strings.Contains(err.Error(), "is not an origin") {
			t.Errorf("ParseCORSOrigins(%q): %v", in, err)
		}
	}
}

// `coopgraph serve` takes the allowed origins from --cors-origins or
// COOPGRAPH_CORS_ORIGINS, and refuses to start on one that is no origin,
// naming the variable or the flag.
func TestServeTakesCORSOriginsFromTheEnvironment(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the real binary")
	}
	bin := buildCoopgraph(t)
	code, out := runCoopgraph(t, bin, cleanEnv("COOPGRAPH_CORS_ORIGINS=https://ok.example,*"), time.Minute, "serve", "--addr", "127.0.0.1:0")
	if code == 0 || !strings.Contains(out, "COOPGRAPH_CORS_ORIGINS") || !strings.Contains(out, `"*" is not an origin`) {
		t.Errorf("a bad COOPGRAPH_CORS_ORIGINS: exit %d: %s", code, out)
	}
	code, out = runCoopgraph(t, bin, cleanEnv(), time.Minute, "serve", "--addr", "127.0.0.1:0", "--cors-origins", "example.org")
	if code == 0 || !strings.Contains(out, "cors-origins") || !strings.Contains(out, `"example.org" is not an origin`) {
		t.Errorf("a bad --cors-origins: exit %d: %s", code, out)
	}

	srv := startServe(t, bin, cleanEnv("COOPGRAPH_CORS_ORIGINS=https://app.example, http://127.0.0.1:3000"))
	for origin, want := range map[string]int{"https://app.example": 204, "http://127.0.0.1:3000": 204, "https://evil.example": 403} {
		resp := preflight(t, srv.base, "/graphql", origin, "POST")
		acao := resp.Header.Get("Access-Control-Allow-Origin")
		if resp.StatusCode != want || (want == 204) != (acao == origin) {
			t.Errorf("preflight from %s: %d, Access-Control-Allow-Origin %q; want %d", origin, resp.StatusCode, acao, want)
		}
		checkSecurityHeaders(t, "preflight from "+origin, resp.Header)
	}
	// A flag wins over its variable.
	srv = startServe(t, bin, cleanEnv("COOPGRAPH_CORS_ORIGINS=https://app.example"), "--cors-origins", "https://other.example")
	if resp := preflight(t, srv.base, "/graphql", "https://app.example", "POST"); resp.StatusCode != 403 {
		t.Errorf("--cors-origins given, the variable's origin: %d, want 403", resp.StatusCode)
	}
	if resp := preflight(t, srv.base, "/graphql", "https://other.example", "POST"); resp.StatusCode != 204 {
		t.Errorf("--cors-origins given, its origin: %d, want 204", resp.StatusCode)
	}
}
