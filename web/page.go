package web

import (
	"net/http"
	"path"
	"strings"
)

// PageAssetsPath is where the page's files (scripts, styles, icon,
// licences) are served; the page itself is served at /.
const PageAssetsPath = "/app"

// Page serves the visualisation page: index.html at / (whatever the query,
// which holds the shared view's state) and the files it names under
// /app/…; anything else is 404. Mount it at "/" and "/app/*" (chi) or
// "/{$}" and "/app/" (http.ServeMux).
func Page() http.Handler {
	files, err := load(dist, "dist/page")
	if err != nil {
		// The files are embedded at build time: a failure here is a broken build.
		panic("web: " + err.Error())
	}
	if files["index.html"] == nil {
		panic("web: dist/page/index.html is missing: build web/page")
	}
	return &pageHandler{files: files}
}

type pageHandler struct {
	files map[string]*file
}

func (h *pageHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name, ok := pageFile(r.URL.Path)
	f := h.files[name]
	if !ok || f == nil {
		http.NotFound(w, r)
		return
	}
	serve(w, r, name, f)
}

// pageFile maps a request path to a file name: / to index.html, /app/x to
// x. Directory paths, unclean paths and anything else name no file; so does
// /app/index.html, which lives at / only (its links are absolute).
func pageFile(p string) (string, bool) {
	if p == "/" {
		return "index.html", true
	}
	rest, ok := strings.CutPrefix(p, PageAssetsPath+"/")
	if !ok || rest == "" || rest == "index.html" || strings.HasSuffix(rest, "/") || path.Clean(rest) != rest {
		return "", false
	}
	return rest, true
}
