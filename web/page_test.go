package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"
)

// pageRouter mounts the page as server.Handler does.
func pageRouter() http.Handler {
	r := chi.NewRouter()
	r.Handle("/", Page())
	r.Handle(PageAssetsPath+"/*", Page())
	r.Mount("/playground", Playground())
	return r
}

func TestPageIndex(t *testing.T) {
	h := pageRouter()
	// The view's state is in the query: every query gets the page.
	for _, target := range []string{"/", "/?sel=malopolskie&tab=path&from=opolskie&to=malopolskie", "/?lang=pl"} {
		res := get(t, h, http.MethodGet, target, nil)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: status %d, want 200", target, res.StatusCode)
		}
		for k, want := range map[string]string{
			"Content-Type":            "text/html; charset=utf-8",
			"Cache-Control":           "no-cache",
			"Content-Security-Policy": ContentSecurityPolicy,
			"X-Content-Type-Options":  "nosniff",
		} {
			if got := res.Header.Get(k); got != want {
				t.Errorf("GET %s: %s %q, want %q", target, k, got, want)
			}
		}
		page := body(t, res)
		if !regexp.MustCompile(`<script src="/app/assets/page-[A-Z0-9]+\.js" defer></script>`).MatchString(page) {
			t.Errorf("GET %s: the page does not load its hashed script:\n%s", target, page)
		}
		if !regexp.MustCompile(`<link rel="stylesheet" href="/app/assets/page-[A-Z0-9]+\.css">`).MatchString(page) {
			t.Errorf("GET %s: the page does not load its hashed stylesheet", target)
		}
		if strings.Contains(page, "{{") {
			t.Errorf("GET %s: a placeholder the build did not fill", target)
		}
	}
}

// The CSP forbids inline script: every <script> has a src and no body, no
// element carries an on… handler, and nothing names another origin.
func TestPageIndexHasNoInlineScriptNorOtherOrigin(t *testing.T) {
	page := body(t, get(t, pageRouter(), http.MethodGet, "/", nil))
	scripts := regexp.MustCompile(`(?s)<script([^>]*)>(.*?)</script>`).FindAllStringSubmatch(page, -1)
	if len(scripts) != 1 {
		t.Fatalf("%d scripts, want the bundle only", len(scripts))
	}
	for _, s := range scripts {
		if !strings.Contains(s[1], "src=") || strings.TrimSpace(s[2]) != "" {
			t.Errorf("inline script: %s", s[0])
		}
	}
	if m := regexp.MustCompile(`\son[a-z]+=`).FindString(page); m != "" {
		t.Errorf("inline event handler %q", m)
	}
	if m := regexp.MustCompile(`(?i)(?:src|href)="(?:https?:)?//`).FindString(page); m != "" {
		t.Errorf("the page names another origin: %s", m)
	}
}

// Every file the page names is served with its type; hashed assets are
// cached for good, the rest revalidated.
func TestPageServesEverythingItNames(t *testing.T) {
	h := pageRouter()
	page := body(t, get(t, h, http.MethodGet, "/", nil))
	refs := regexp.MustCompile(`(?:src|href)="([^"]+)"`).FindAllStringSubmatch(page, -1)
	types := map[string]string{".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml", ".txt": "text/plain; charset=utf-8"}
	seen := map[string]bool{}
	for _, ref := range refs {
		u, err := url.Parse(ref[1])
		if err != nil {
			t.Fatal(err)
		}
		if u.Path == "/playground" || strings.HasPrefix(ref[1], "#") {
			continue // the playground's own handler; a place in the page
		}
		if !strings.HasPrefix(u.Path, PageAssetsPath+"/") {
			t.Errorf("the page names %q, outside %s/", ref[1], PageAssetsPath)
			continue
		}
		ext := u.Path[strings.LastIndex(u.Path, "."):]
		seen[ext] = true
		res := get(t, h, http.MethodGet, u.Path, nil)
		if res.StatusCode != http.StatusOK {
			t.Errorf("GET %s: status %d", u.Path, res.StatusCode)
			continue
		}
		if ct := res.Header.Get("Content-Type"); ct != types[ext] {
			t.Errorf("GET %s: Content-Type %q, want %q", u.Path, ct, types[ext])
		}
		wantCache := "no-cache"
		if strings.HasPrefix(u.Path, PageAssetsPath+"/assets/") {
			wantCache = "public, max-age=31536000, immutable"
		}
		if cc := res.Header.Get("Cache-Control"); cc != wantCache {
			t.Errorf("GET %s: Cache-Control %q, want %q", u.Path, cc, wantCache)
		}
		if csp := res.Header.Get("Content-Security-Policy"); csp != ContentSecurityPolicy {
			t.Errorf("GET %s: Content-Security-Policy %q", u.Path, csp)
		}
	}
	for _, ext := range []string{".js", ".css", ".svg", ".txt"} {
		if !seen[ext] {
			t.Errorf("the page names no %s file", ext)
		}
	}
	css := body(t, get(t, h, http.MethodGet, regexp.MustCompile(`/app/assets/page-[A-Z0-9]+\.css`).FindString(page), nil))
	if strings.Contains(css, "data:") || strings.Contains(css, "@import") || regexp.MustCompile(`url\(\s*["']?(?:https?:)?//`).MatchString(css) {
		t.Error("the stylesheet loads something the Content-Security-Policy refuses or from another origin")
	}
}

// The bundle runs under a CSP without 'unsafe-eval' and names no other
// origin to load from. (It holds ForceAtlas2's unused worker helper; a
// worker started would break the CSP, which the browser tests catch.)
func TestPageBundleNeedsNoEvalNorWorker(t *testing.T) {
	h := pageRouter()
	page := body(t, get(t, h, http.MethodGet, "/", nil))
	js := body(t, get(t, h, http.MethodGet, regexp.MustCompile(`/app/assets/page-[A-Z0-9]+\.js`).FindString(page), nil))
	if len(js) < 50_000 {
		t.Fatalf("the bundle is %d bytes: not sigma and graphology", len(js))
	}
	for _, re := range []string{`new Function\(`, `[^.\w]eval\(`, `setTimeout\("`, `setInterval\("`, `importScripts\(`, `fetch\("http`, `sendBeacon`} {
		if m := regexp.MustCompile(re).FindString(js); m != "" {
			t.Errorf("the bundle uses %q", m)
		}
	}
	if !strings.Contains(js, `"/graphql"`) {
		t.Error("the bundle does not ask /graphql")
	}
}

// The licences of the bundled packages are served with the page.
func TestPageLicences(t *testing.T) {
	txt := body(t, get(t, pageRouter(), http.MethodGet, "/app/licenses.txt", nil))
	for _, pkg := range []string{"sigma@", "graphology@", "graphology-layout-forceatlas2@"} {
		if !strings.Contains(txt, pkg) {
			t.Errorf("licenses.txt does not name %s", pkg)
		}
	}
	if !strings.Contains(txt, "MIT") {
		t.Error("licenses.txt holds no licence text")
	}
}

func TestPageNotFound(t *testing.T) {
	h := pageRouter()
	for _, target := range []string{
		"/app",
		"/app/",
		"/app/index.html",
		"/app/nope.js",
		"/app/assets/",
		"/app/assets/nope.js",
		"/app//favicon.svg",
		"/app/./favicon.svg",
		"/app/assets/../favicon.svg",
		"/index.html",
		"/nope",
	} {
		if res := get(t, h, http.MethodGet, target, nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", target, res.StatusCode)
		}
	}
	// The handler alone, reached with a path it does not serve.
	if res := get(t, Page(), http.MethodGet, "/appx/favicon.svg", nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("GET /appx/favicon.svg: status %d, want 404", res.StatusCode)
	}
}

func TestPageMethodsAndRevalidation(t *testing.T) {
	h := pageRouter()
	res := get(t, h, http.MethodPost, "/", nil)
	if res.StatusCode != http.StatusMethodNotAllowed || res.Header.Get("Allow") != "GET, HEAD" {
		t.Errorf("POST /: status %d, Allow %q", res.StatusCode, res.Header.Get("Allow"))
	}
	res = get(t, h, http.MethodHead, "/", nil)
	if res.StatusCode != http.StatusOK || body(t, res) != "" {
		t.Errorf("HEAD /: status %d or a body", res.StatusCode)
	}
	etag := get(t, h, http.MethodGet, "/", nil).Header.Get("ETag")
	if again := get(t, h, http.MethodGet, "/", http.Header{"If-None-Match": {etag}}); again.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match %s: status %d, want 304", etag, again.StatusCode)
	}
}

// Outside chi: a plain ServeMux.
func TestPageOnServeMux(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle("/{$}", Page())
	mux.Handle(PageAssetsPath+"/", Page())
	for _, target := range []string{"/", "/app/favicon.svg", "/app/licenses.txt"} {
		if res := get(t, mux, http.MethodGet, target, nil); res.StatusCode != http.StatusOK {
			t.Errorf("ServeMux GET %s: status %d", target, res.StatusCode)
		}
	}
}

// Every embedded file of the page has a known content type.
func TestPageContentTypesKnown(t *testing.T) {
	files, err := load(dist, "dist/page")
	if err != nil {
		t.Fatal(err)
	}
	for name, f := range files {
		if f.contentType == "application/octet-stream" {
			t.Errorf("%s: no content type for its extension", name)
		}
	}
}
