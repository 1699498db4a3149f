// Package web serves coopgraph's pages from files built in web/playground
// and web/page (npm, esbuild) and committed under web/dist, embedded in the binary so that
// coopgraph needs neither Node nor the internet to serve them.
package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"
)

//go:embed dist
var dist embed.FS

// ContentSecurityPolicy is sent with every file of the playground and the
// page: the bundles need no inline script, no eval, no worker and nothing
// from another origin. Inline styles stay allowed for the style attributes
// GraphiQL's components and sigma's canvases set. base-uri, form-action and
// frame-ancestors are not covered by default-src: they are closed here.
const ContentSecurityPolicy = "default-src 'self'; style-src 'self' 'unsafe-inline'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// PlaygroundPath is where Playground expects to be mounted.
const PlaygroundPath = "/playground"

// Content types by extension, written out rather than taken from the
// machine's MIME tables so that every machine answers the same.
var contentTypes = map[string]string{
	".html":  "text/html; charset=utf-8",
	".js":    "text/javascript; charset=utf-8",
	".css":   "text/css; charset=utf-8",
	".svg":   "image/svg+xml",
	".png":   "image/png",
	".gif":   "image/gif",
	".woff":  "font/woff",
	".woff2": "font/woff2",
	".ttf":   "font/ttf",
	".txt":   "text/plain; charset=utf-8",
}

type file struct {
	body        []byte
	contentType string
	etag        string
	// immutable files have content-hashed names: a new build gives new names.
	immutable bool
}

// Playground serves GraphiQL at /playground and /playground/ and its files
// under /playground/…; anything else is 404. It looks at the whole request
// path, so it works mounted with chi (r.Mount("/playground", …)) and on a
// plain http.ServeMux at "/playground/".
func Playground() http.Handler {
	files, err := load(dist, "dist/playground")
	if err != nil {
		// The files are embedded at build time: a failure here is a broken build.
		panic("web: " + err.Error())
	}
	return &handler{prefix: PlaygroundPath, index: "index.html", files: files}
}

// load reads every file under dir once, with its content type and ETag.
func load(fsys fs.FS, dir string) (map[string]*file, error) {
	files := map[string]*file{}
	err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(p, dir+"/")
		ct, ok := contentTypes[path.Ext(name)]
		if !ok {
			ct = "application/octet-stream"
		}
		sum := sha256.Sum256(body)
		files[name] = &file{
			body:        body,
			contentType: ct,
			etag:        `"` + hex.EncodeToString(sum[:12]) + `"`,
			immutable:   strings.HasPrefix(name, "assets/"),
		}
		return nil
	})
	return files, err
}

type handler struct {
	prefix string
	index  string
	files  map[string]*file
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name, ok := h.name(r.URL.Path)
	f := h.files[name]
	if !ok || f == nil {
		http.NotFound(w, r)
		return
	}
	serve(w, r, name, f)
}

// serve answers a GET or HEAD of an embedded file with its type, ETag, cache
// policy and the Content-Security-Policy.
func serve(w http.ResponseWriter, r *http.Request, name string, f *file) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", f.contentType)
	hd.Set("ETag", f.etag)
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Content-Security-Policy", ContentSecurityPolicy)
	if f.immutable {
		hd.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		// Fixed names (index.html, playground.js): revalidate by ETag, so a
		// new binary's playground is seen at once.
		hd.Set("Cache-Control", "no-cache")
	}
	// ServeContent answers If-None-Match with 304 and handles Range and HEAD.
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(f.body))
}

// name maps a request path to a file name: the prefix itself and the prefix
// with a slash to the index, prefix/x to x. Directory paths and anything
// outside the prefix have no file.
func (h *handler) name(p string) (string, bool) {
	if p == h.prefix || p == h.prefix+"/" {
		return h.index, true
	}
	rest, ok := strings.CutPrefix(p, h.prefix+"/")
	if !ok || rest == "" || strings.HasSuffix(rest, "/") {
		return "", false
	}
	// Embedded names are clean; "a/../b" or "a//b" name no file.
	if path.Clean(rest) != rest {
		return "", false
	}
	return rest, true
}
