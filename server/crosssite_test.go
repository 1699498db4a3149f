package server_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/memstore"
	"github.com/coopgraph/coopgraph/server"
)

// workCounter counts the reads that mean work: searches and whole
// dataset reads (an export's first).
type workCounter struct {
	*memstore.Store
	searches, datasets *atomic.Int64
}

func (c workCounter) Search(ctx context.Context, text string, kinds []string, first int) ([]coopgraph.Entity, error) {
	c.searches.Add(1)
	return c.Store.Search(ctx, text, kinds, first)
}

func (c workCounter) Dataset(ctx context.Context) (*coopgraph.Dataset, error) {
	c.datasets.Add(1)
	return c.Store.Dataset(ctx)
}

func newWorkServer(t *testing.T, origins ...string) (*httptest.Server, workCounter) {
	t.Helper()
	st := workCounter{Store: memstore.New(seedDataset(t)), searches: new(atomic.Int64), datasets: new(atomic.Int64)}
	srv := newServer(t, st, nil)
	srv.CORSOrigins = origins
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts, st
}

const searchQuery = `{ search(text: "Malopolska") { id } }`

// sendAs makes one request and returns its status, headers and error code
// (when the body is an error).
func sendAs(t *testing.T, method, target, contentType, body string, header map[string]string) (int, http.Header, string) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, target, rd)
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var e struct {
		Errors []struct {
			Message    string
			Extensions struct{ Code string }
		}
	}
	code := ""
	if json.Unmarshal(b, &e) == nil && len(e.Errors) > 0 {
		code = e.Errors[0].Extensions.Code
		if code == "FORBIDDEN" && !strings.Contains(e.Errors[0].Message, server.RequestHeader) {
			t.Errorf("%s %s: the refusal does not say how to pass: %q", method, target, e.Errors[0].Message)
		}
	}
	return resp.StatusCode, resp.Header, code
}

// Another site's page cannot make the server search or export (Fetch
// Metadata): what browsers mark same-site or cross-site is refused with
// 403 FORBIDDEN before any work, unless it comes from an allowed origin
// or carries the API's request header; scripts (no Sec-Fetch-Site), the
// page itself (same-origin) and a typed address (none) pass.
func TestCrossSitePagesCannotTriggerWork(t *testing.T) {
	const app = "https://app.example"
	cases := []struct {
		name   string
		header map[string]string
		ok     bool
	}{
		{"a script (no Sec-Fetch-Site)", nil, true},
		{"the page itself", map[string]string{"Sec-Fetch-Site": "same-origin"}, true},
		{"a typed address", map[string]string{"Sec-Fetch-Site": "none", "Sec-Fetch-Mode": "navigate"}, true},
		{"a sibling host", map[string]string{"Sec-Fetch-Site": "same-site"}, false},
		{"another site's <img>", map[string]string{"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors", "Sec-Fetch-Dest": "image"}, false},
		{"another site's link", map[string]string{"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document"}, false},
		{"another site's fetch", map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}, false},
		{"a look-alike of the allowed origin", map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://app.example.evil.example"}, false},
		{"the allowed origin", map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": app}, true},
		{"a sibling host with the request header", map[string]string{"Sec-Fetch-Site": "same-site", server.RequestHeader: "1"}, true},
		{"another site with the request header", map[string]string{"Sec-Fetch-Site": "cross-site", server.RequestHeader: "1"}, true},
	}
	q := url.QueryEscape(searchQuery)
	routes := []struct {
		name, method, path, contentType, body string
		work                                  func(workCounter) int64
	}{
		{"GET /graphql", "GET", "/graphql?query=" + q, "", "", func(c workCounter) int64 { return c.searches.Load() }},
		{"POST /graphql", "POST", "/graphql", "application/json", `{"query":` + strconvQuote(searchQuery) + `}`, func(c workCounter) int64 { return c.searches.Load() }},
		{"GET /export", "GET", "/export/nodes.csv?measure=betweenness", "", "", func(c workCounter) int64 { return c.datasets.Load() }},
	}
	for _, rt := range routes {
		t.Run(rt.name, func(t *testing.T) {
			for _, c := range cases {
				// A server of its own: the export reads the dataset once.
				ts, st := newWorkServer(t, app)
				status, h, code := sendAs(t, rt.method, ts.URL+rt.path, rt.contentType, rt.body, c.header)
				checkSecurityHeaders(t, c.name, h)
				work := rt.work(st)
				switch {
				case c.ok && (status != 200 || work == 0):
					t.Errorf("%s: status %d (%s), work done %d; want it answered", c.name, status, code, work)
				case !c.ok && (status != http.StatusForbidden || code != "FORBIDDEN" || work != 0):
					t.Errorf("%s: status %d, code %q, work done %d; want 403 FORBIDDEN and no work", c.name, status, code, work)
				}
				if acao := h.Get("Access-Control-Allow-Origin"); (acao == app) != (c.header["Origin"] == app) {
					t.Errorf("%s: Access-Control-Allow-Origin %q", c.name, acao)
				}
			}
		})
	}
}

func strconvQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// A form on another site's page can POST text/plain or a urlencoded body
// without a preflight: neither runs an operation, from a browser that
// sends Fetch Metadata or from one that does not.
func TestCrossSiteFormPostRunsNothing(t *testing.T) {
	ts, st := newWorkServer(t)
	jsonBody := `{"query":` + strconvQuote(searchQuery) + `}`
	form := url.Values{"query": {searchQuery}}.Encode()
	for _, meta := range []map[string]string{
		{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"},
		{"Origin": "https://evil.example"}, // an older browser
	} {
		for _, c := range []struct{ contentType, body string }{
			{"text/plain", jsonBody},
			{"text/plain;charset=UTF-8", jsonBody},
			{"application/x-www-form-urlencoded", form},
			{"multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"query\"\r\n\r\n" + searchQuery + "\r\n--x--\r\n"},
		} {
			status, _, code := sendAs(t, "POST", ts.URL+"/graphql", c.contentType, c.body, meta)
			if status == 200 {
				t.Errorf("a %s POST (%v) was answered 200", c.contentType, meta)
			}
			if meta["Sec-Fetch-Site"] != "" && code != "FORBIDDEN" {
				t.Errorf("a cross-site %s POST: code %q, want FORBIDDEN", c.contentType, code)
			}
		}
	}
	if n := st.searches.Load(); n != 0 {
		t.Errorf("cross-site form posts ran %d searches", n)
	}
}

// The real binary refuses another site's page too, with the origins it is
// given in the environment allowed.
func TestRealServerRefusesCrossSitePages(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts the binary")
	}
	srv := startServe(t, buildCoopgraph(t), cleanEnv("COOPGRAPH_CORS_ORIGINS=https://app.example"), "--refresh-every", "0")
	img := map[string]string{"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors", "Sec-Fetch-Dest": "image"}
	for _, c := range []struct {
		name   string
		header map[string]string
		status int
		code   string
	}{
		{"another site's <img>", img, 403, "FORBIDDEN"},
		{"a sibling host's <img>", map[string]string{"Sec-Fetch-Site": "same-site"}, 403, "FORBIDDEN"},
		{"the allowed origin", map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://app.example"}, 200, ""},
		{"a script with the request header", map[string]string{"Sec-Fetch-Site": "cross-site", server.RequestHeader: "1"}, 200, ""},
		{"a script", nil, 200, ""},
		{"the page", map[string]string{"Sec-Fetch-Site": "same-origin"}, 200, ""},
	} {
		for _, path := range []string{"/export/nodes.csv?measure=betweenness", "/graphql?query=" + url.QueryEscape(`{ centrality(measure: BETWEENNESS, first: 1) { score } }`)} {
			status, _, code := sendAs(t, "GET", srv.base+path, "", "", c.header)
			if status != c.status || code != c.code {
				t.Errorf("%s, GET %s: %d %q; want %d %q", c.name, path, status, code, c.status, c.code)
			}
		}
	}
}
