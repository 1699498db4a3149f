package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"
)

// router mounts the playground as server.Handler does.
func router() http.Handler {
	r := chi.NewRouter()
	r.Mount("/playground", Playground())
	r.Get("/", func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "index of the app") })
	return r
}

func get(t *testing.T, h http.Handler, method, target string, header http.Header) *http.Response {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for k, v := range header {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func body(t *testing.T, res *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestPlaygroundIndex(t *testing.T) {
	h := router()
	for _, target := range []string{"/playground", "/playground/", "/playground/index.html"} {
		res := get(t, h, http.MethodGet, target, nil)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: status %d, want 200", target, res.StatusCode)
		}
		if ct := res.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
			t.Errorf("GET %s: Content-Type %q", target, ct)
		}
		if cc := res.Header.Get("Cache-Control"); cc != "no-cache" {
			t.Errorf("GET %s: Cache-Control %q, want no-cache (the index names unhashed files)", target, cc)
		}
		if csp := res.Header.Get("Content-Security-Policy"); csp != ContentSecurityPolicy {
			t.Errorf("GET %s: Content-Security-Policy %q", target, csp)
		}
		if n := res.Header.Get("X-Content-Type-Options"); n != "nosniff" {
			t.Errorf("GET %s: X-Content-Type-Options %q", target, n)
		}
		page := body(t, res)
		if !strings.Contains(page, `<script src="/playground/playground.js" defer></script>`) {
			t.Errorf("GET %s: the page does not load playground.js:\n%s", target, page)
		}
		if !strings.Contains(page, `href="/playground/playground.css"`) {
			t.Errorf("GET %s: the page does not load playground.css:\n%s", target, page)
		}
	}
}

// The CSP forbids inline script: every <script> of the page must have a src
// and no body, and no element may carry an on… handler.
func TestPlaygroundIndexHasNoInlineScript(t *testing.T) {
	page := body(t, get(t, router(), http.MethodGet, "/playground/", nil))
	scripts := regexp.MustCompile(`(?s)<script([^>]*)>(.*?)</script>`).FindAllStringSubmatch(page, -1)
	if len(scripts) == 0 {
		t.Fatal("the page has no script")
	}
	for _, s := range scripts {
		if !strings.Contains(s[1], "src=") || strings.TrimSpace(s[2]) != "" {
			t.Errorf("inline script: %s", s[0])
		}
	}
	if m := regexp.MustCompile(`\son[a-z]+=`).FindString(page); m != "" {
		t.Errorf("inline event handler %q", m)
	}
}

// Every file the page and its stylesheet name is served, with its type, and
// nothing is loaded from another origin.
func TestPlaygroundServesEverythingThePageNames(t *testing.T) {
	h := router()
	page := body(t, get(t, h, http.MethodGet, "/playground/", nil))
	refs := regexp.MustCompile(`(?:src|href)="([^"]+)"`).FindAllStringSubmatch(page, -1)
	want := map[string]string{
		"/playground/playground.js":  "text/javascript; charset=utf-8",
		"/playground/playground.css": "text/css; charset=utf-8",
		"/playground/favicon.svg":    "image/svg+xml",
	}
	seen := map[string]bool{}
	for _, ref := range refs {
		u := ref[1]
		if !strings.HasPrefix(u, "/playground/") {
			t.Errorf("the page names %q, outside /playground/", u)
			continue
		}
		seen[u] = true
		res := get(t, h, http.MethodGet, u, nil)
		if res.StatusCode != http.StatusOK {
			t.Errorf("GET %s: status %d", u, res.StatusCode)
		}
		if ct, ok := want[u]; ok && res.Header.Get("Content-Type") != ct {
			t.Errorf("GET %s: Content-Type %q, want %q", u, res.Header.Get("Content-Type"), ct)
		}
	}
	for u := range want {
		if !seen[u] {
			t.Errorf("the page does not name %s", u)
		}
	}

	cssURL, _ := url.Parse("http://x/playground/playground.css")
	css := body(t, get(t, h, http.MethodGet, cssURL.Path, nil))
	if strings.Contains(css, "data:") {
		t.Error("playground.css holds a data: URL, which the Content-Security-Policy refuses")
	}
	urls := regexp.MustCompile(`url\(([^)]+)\)`).FindAllStringSubmatch(css, -1)
	if len(urls) == 0 {
		t.Fatal("playground.css names no font or image: GraphiQL's fonts are missing")
	}
	fonts := 0
	for _, m := range urls {
		ref, err := url.Parse(strings.Trim(m[1], `"'`))
		if err != nil {
			t.Fatalf("playground.css: url(%s): %v", m[1], err)
		}
		u := cssURL.ResolveReference(ref)
		if u.Host != "x" {
			t.Errorf("playground.css loads %s from another origin", m[1])
			continue
		}
		res := get(t, h, http.MethodGet, u.Path, nil)
		if res.StatusCode != http.StatusOK {
			t.Errorf("playground.css names %s: GET %s status %d", m[1], u.Path, res.StatusCode)
			continue
		}
		if cc := res.Header.Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
			t.Errorf("GET %s: Cache-Control %q, want immutable (hashed name)", u.Path, cc)
		}
		if strings.HasPrefix(res.Header.Get("Content-Type"), "font/") {
			fonts++
		}
	}
	if fonts == 0 {
		t.Error("playground.css names no font file")
	}
}

// Every embedded file has a known content type: a build that adds a new kind
// of file must add it to contentTypes rather than be served as octet-stream.
func TestPlaygroundContentTypesKnown(t *testing.T) {
	files, err := load(dist, "dist/playground")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 5 {
		t.Fatalf("only %d files embedded", len(files))
	}
	for name, f := range files {
		if f.contentType == "application/octet-stream" {
			t.Errorf("%s: no content type for its extension", name)
		}
	}
}

// GraphiQL's bundle must run under a CSP without 'unsafe-eval'.
func TestPlaygroundBundleNeedsNoEval(t *testing.T) {
	js := body(t, get(t, router(), http.MethodGet, "/playground/playground.js", nil))
	if len(js) < 100_000 {
		t.Fatalf("playground.js is %d bytes: not the GraphiQL bundle", len(js))
	}
	for _, re := range []string{`new Function\(`, `[^.\w]eval\(`, `setTimeout\("`, `setInterval\("`} {
		if m := regexp.MustCompile(re).FindString(js); m != "" {
			t.Errorf("playground.js uses %q, which needs 'unsafe-eval'", m)
		}
	}
}

func TestPlaygroundNotFound(t *testing.T) {
	h := router()
	for _, target := range []string{
		"/playground/nope.js",
		"/playground/assets",
		"/playground/assets/",
		"/playground/assets/nope.woff2",
		"/playground/playground.js/",
		"/playground//index.html",
		"/playground/./index.html",
		"/playground/assets/../index.html",
		"/playground/../web.go",
	} {
		res := get(t, h, http.MethodGet, target, nil)
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", target, res.StatusCode)
		}
	}
	// The handler alone, reached with a path outside its prefix.
	res := get(t, Playground(), http.MethodGet, "/playgroundx/index.html", nil)
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("GET /playgroundx/index.html: status %d, want 404", res.StatusCode)
	}
}

func TestPlaygroundMethods(t *testing.T) {
	h := router()
	res := get(t, h, http.MethodPost, "/playground/", nil)
	if res.StatusCode != http.StatusMethodNotAllowed || res.Header.Get("Allow") != "GET, HEAD" {
		t.Errorf("POST /playground/: status %d, Allow %q", res.StatusCode, res.Header.Get("Allow"))
	}
	res = get(t, h, http.MethodHead, "/playground/playground.js", nil)
	if res.StatusCode != http.StatusOK || body(t, res) != "" {
		t.Errorf("HEAD /playground/playground.js: status %d or a body", res.StatusCode)
	}
	if res.Header.Get("Content-Length") == "" || res.Header.Get("Content-Length") == "0" {
		t.Errorf("HEAD /playground/playground.js: Content-Length %q", res.Header.Get("Content-Length"))
	}
}

// A browser that has the file revalidates it with its ETag and gets 304.
func TestPlaygroundRevalidation(t *testing.T) {
	h := router()
	first := get(t, h, http.MethodGet, "/playground/playground.js", nil)
	etag := first.Header.Get("ETag")
	if !regexp.MustCompile(`^"[0-9a-f]{24}"$`).MatchString(etag) {
		t.Fatalf("ETag %q", etag)
	}
	again := get(t, h, http.MethodGet, "/playground/playground.js", http.Header{"If-None-Match": {etag}})
	if again.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match %s: status %d, want 304", etag, again.StatusCode)
	}
	css := get(t, h, http.MethodGet, "/playground/playground.css", nil).Header.Get("ETag")
	if css == etag {
		t.Error("playground.css and playground.js have the same ETag")
	}
}

// Outside chi: a plain ServeMux with the pattern "/playground/".
func TestPlaygroundOnServeMux(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle("/playground/", Playground())
	mux.Handle("/playground", Playground())
	for _, target := range []string{"/playground", "/playground/", "/playground/playground.css"} {
		if res := get(t, mux, http.MethodGet, target, nil); res.StatusCode != http.StatusOK {
			t.Errorf("ServeMux GET %s: status %d", target, res.StatusCode)
		}
	}
}
