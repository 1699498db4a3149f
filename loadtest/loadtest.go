// Package loadtest drives a realistic mix of GraphQL queries against a
// running coopgraph on this machine and measures throughput and latency
// per operation. It is a client of the HTTP API only: it knows nothing of
// the stores or the engine.
//
// It refuses any address that is not loopback, and every run is bounded
// in requests and in time: it is a measuring tool, never a way to flood a
// server elsewhere.
package loadtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
)

// Limits of one run.
const (
	MaxConcurrency = 1000
	MaxRequests    = 1_000_000
	MaxDuration    = 10 * time.Minute
	MaxRate        = 100_000 // requests/s
)

// Operation names, as the report prints them.
const (
	OpSearch     = "search"
	OpEntity     = "entity"
	OpNeighbours = "neighbours"
	OpPath       = "shortestPath"
	OpPartners   = "partners"
	OpCentrality = "centrality"
)

// DefaultMix is the share of each operation: what the page and scripts ask
// most (search as you type, entity details, neighbours), then indirect
// links and partners, and rankings, which the server caches per snapshot.
var DefaultMix = map[string]int{OpSearch: 30, OpEntity: 25, OpNeighbours: 15, OpPath: 15, OpPartners: 10, OpCentrality: 5}

// Config is one run.
type Config struct {
	URL         string         // the server's base URL, e.g. http://127.0.0.1:8080
	Concurrency int            // clients sending at once
	Requests    int            // stop after this many requests (0: only Duration bounds the run)
	Duration    time.Duration  // stop after this long
	Mix         map[string]int // operation -> weight; nil: DefaultMix
	Seed        uint64         // for the choice of operations and arguments
	Sample      int            // entities fetched to draw arguments from (default 1000)
	Timeout     time.Duration  // per request (default 10 s)
	Rate        float64        // requests due per second, all clients together (0: each client sends when answered)
}

// Report is what a run measured.
type Report struct {
	URL         string        `json:"url"`
	Concurrency int           `json:"concurrency"`
	Rate        float64       `json:"offered_requests_per_second,omitempty"`
	Elapsed     time.Duration `json:"elapsed_ns"`
	Requests    int           `json:"requests"`
	Errors      int           `json:"errors"`
	Throughput  float64       `json:"requests_per_second"`
	Operations  []OpStats     `json:"operations"`
}

// OpStats is one operation's latency, in milliseconds.
type OpStats struct {
	Operation string         `json:"operation"`
	Requests  int            `json:"requests"`
	Errors    int            `json:"errors"`
	ErrorSeen string         `json:"first_error,omitempty"`
	P50       float64        `json:"p50_ms"`
	P95       float64        `json:"p95_ms"`
	P99       float64        `json:"p99_ms"`
	Max       float64        `json:"max_ms"`
	Codes     map[string]int `json:"error_codes,omitempty"`
}

// CheckLoopback returns an error unless rawURL is an http URL whose host is
// a loopback address (or "localhost").
func CheckLoopback(rawURL string) error {
	u, err := url.Parse(rawURL)
	if err != nil {
		return fmt.Errorf("--url %q: %v", rawURL, err)
	}
	if u.Scheme != "http" { // coopgraph serves plain HTTP; TLS ends at a proxy
		return fmt.Errorf("--url %q: want http://127.0.0.1:PORT", rawURL)
	}
	host := u.Hostname()
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("--url %q: the load test only runs against this machine (127.0.0.1, ::1 or localhost), not %q", rawURL, host)
	}
	return nil
}

// Validate checks cfg and fills in defaults.
func (cfg *Config) Validate() error {
	if err := CheckLoopback(cfg.URL); err != nil {
		return err
	}
	switch {
	case cfg.Concurrency < 1 || cfg.Concurrency > MaxConcurrency:
		return fmt.Errorf("concurrency must be between 1 and %d, got %d", MaxConcurrency, cfg.Concurrency)
	case cfg.Requests < 0 || cfg.Requests > MaxRequests:
		return fmt.Errorf("requests must be between 0 and %d, got %d", MaxRequests, cfg.Requests)
	case cfg.Duration <= 0 || cfg.Duration > MaxDuration:
		return fmt.Errorf("duration must be positive and at most %s, got %s", MaxDuration, cfg.Duration)
	case cfg.Rate < 0 || cfg.Rate > MaxRate || math.IsNaN(cfg.Rate):
		return fmt.Errorf("rate must be between 0 (as fast as answered) and %d requests/s, got %v", MaxRate, cfg.Rate)
	}
	if cfg.Mix == nil {
		cfg.Mix = DefaultMix
	}
	total := 0
	for op, w := range cfg.Mix {
		if _, ok := DefaultMix[op]; !ok {
			return fmt.Errorf("unknown operation %q in the mix (operations: %s)", op, strings.Join(opNames(), ", "))
		}
		if w < 0 {
			return fmt.Errorf("weight of %s must not be negative", op)
		}
		total += w
	}
	if total == 0 {
		return errors.New("the mix has no operation with a positive weight")
	}
	if cfg.Sample <= 0 {
		cfg.Sample = 1000
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	return nil
}

func opNames() []string {
	var names []string
	for op := range DefaultMix {
		names = append(names, op)
	}
	slices.Sort(names)
	return names
}

// entityRef is an entity to draw arguments from.
type entityRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// client posts GraphQL documents on one connection; each of the run's
// clients has its own.
type client struct {
	conn *conn
}

// target is where the clients connect and post: host:port and the
// path of /graphql under the URL's path.
func target(rawURL string) (host, path string, err error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", "", err
	}
	host = u.Host
	if u.Port() == "" {
		host = net.JoinHostPort(u.Hostname(), "80")
	}
	return host, strings.TrimRight(u.Path, "/") + "/graphql", nil
}

// gqlError is the part of a GraphQL error the report keeps.
type gqlError struct {
	Message    string `json:"message"`
	Extensions struct {
		Code string `json:"code"`
	} `json:"extensions"`
}

// post sends one document; the error says what went wrong (transport,
// HTTP status or the first GraphQL error), and code is the GraphQL error
// code when there is one.
func (c *client) post(query string, vars map[string]any, out any) (code string, err error) {
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		return "", err
	}
	status, data, err := c.conn.post(body)
	if err != nil {
		return "TRANSPORT", err
	}
	// The generator shares the machine with the server: an answer with no
	// "errors" anywhere is a success without decoding it (a response is
	// decoded only to read its errors, or its data when asked for).
	if out == nil && status == http.StatusOK && !bytes.Contains(data, []byte(`"errors"`)) {
		return "", nil
	}
	var r struct {
		Data   json.RawMessage `json:"data"`
		Errors []gqlError      `json:"errors"`
	}
	if err := json.Unmarshal(data, &r); err != nil {
		return fmt.Sprintf("HTTP_%d", status), fmt.Errorf("HTTP %d: %.200s", status, data)
	}
	if len(r.Errors) > 0 {
		e := r.Errors[0]
		return e.Extensions.Code, fmt.Errorf("%s: %s", e.Extensions.Code, e.Message)
	}
	if status != http.StatusOK {
		return fmt.Sprintf("HTTP_%d", status), fmt.Errorf("HTTP %d", status)
	}
	if out != nil {
		return "", json.Unmarshal(r.Data, out)
	}
	return "", nil
}

// sample fetches the entities the run draws its arguments from: the
// best-connected ones (what people look up) and members of the largest
// component (so that paths mostly exist).
func (c *client) sample(n int) ([]entityRef, error) {
	var hubs struct {
		Centrality []struct {
			Entity entityRef `json:"entity"`
		} `json:"centrality"`
		Components struct {
			Components []struct {
				Members []entityRef `json:"members"`
			} `json:"components"`
		} `json:"components"`
	}
	q := `query Sample($n: Int!) {
  centrality(measure: DEGREE, first: $n) { entity { id name } }
  components(first: 1) { components { members(first: $n) { id name } } }
}`
	if _, err := c.post(q, map[string]any{"n": n}, &hubs); err != nil {
		return nil, fmt.Errorf("fetching entities to query: %w", err)
	}
	seen := map[string]bool{}
	var out []entityRef
	add := func(e entityRef) {
		if !seen[e.ID] {
			seen[e.ID] = true
			out = append(out, e)
		}
	}
	for _, h := range hubs.Centrality {
		add(h.Entity)
	}
	for _, comp := range hubs.Components.Components {
		for _, m := range comp.Members {
			add(m)
		}
	}
	if len(out) == 0 {
		return nil, errors.New("the server has no entities to query")
	}
	return out, nil
}

// request is one operation with its document and variables.
type request struct {
	op    string
	query string
	vars  map[string]any
}

// The documents, as the page and scripts send them.
const (
	qSearch     = `query Search($text: String!) { search(text: $text, first: 10) { id name kind } }`
	qEntity     = `query Entity($id: ID!) { entity(id: $id) { id kind name aliases } }`
	qNeighbours = `query Neighbours($id: ID!) { entity(id: $id) { id neighbours(first: 50) { id name kind } } }`
	qPath       = `query Path($from: ID!, $to: ID!) { shortestPath(from: $from, to: $to, maxHops: 8) { length nodes { id name } } }`
	qPartners   = `query Partners($id: ID!) { partners(id: $id, first: 20) { partner { id name } count } }`
	qCentrality = `query Ranking($m: CentralityMeasure!) { centrality(measure: $m, first: 20) { rank score entity { id name } } }`
)

// draw picks the next request.
func draw(rng *rand.Rand, ops []string, cum []int, sample []entityRef) request {
	k := rng.IntN(cum[len(cum)-1])
	op := ops[sort.SearchInts(cum, k+1)]
	e := sample[rng.IntN(len(sample))]
	switch op {
	case OpSearch:
		// Typing: a prefix of a word of the name, at least 3 letters.
		words := strings.FieldsFunc(e.Name, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		if len(words) == 0 {
			words = []string{e.ID}
		}
		w := []rune(words[rng.IntN(len(words))])
		if len(w) > 3 {
			w = w[:3+rng.IntN(len(w)-2)]
		}
		return request{op, qSearch, map[string]any{"text": string(w)}}
	case OpEntity:
		return request{op, qEntity, map[string]any{"id": e.ID}}
	case OpNeighbours:
		return request{op, qNeighbours, map[string]any{"id": e.ID}}
	case OpPath:
		to := sample[rng.IntN(len(sample))]
		return request{op, qPath, map[string]any{"from": e.ID, "to": to.ID}}
	case OpPartners:
		return request{op, qPartners, map[string]any{"id": e.ID}}
	default:
		m := []string{"DEGREE", "PAGERANK", "CLOSENESS"}[rng.IntN(3)]
		return request{op, qCentrality, map[string]any{"m": m}}
	}
}

// result is one request's outcome.
type result struct {
	op      string
	latency time.Duration
	code    string
	err     error
}

// Run drives the server with cfg.Concurrency clients until cfg.Requests
// requests were sent or cfg.Duration has passed (or ctx ends), and reports.
//
// Without a rate each client sends its next request as soon as the last
// one is answered (a closed loop: the figures are the server at
// saturation, and by Little's law the mean latency is the number of
// clients over the throughput). With cfg.Rate the requests are due at a
// fixed pace, request i at i/Rate seconds, and a client takes the next due
// one when it is free (an open loop, as wrk2 or k6's constant arrival rate
// do). A request's latency is then counted from when it was due, not from
// when a free client sent it, so a server that falls behind is charged
// for the backlog (no coordinated omission).
func Run(ctx context.Context, cfg Config) (*Report, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	host, path, err := target(cfg.URL)
	if err != nil {
		return nil, err
	}
	first := &client{conn: newConn(ctx, host, path, cfg.Timeout)}
	sample, err := first.sample(cfg.Sample)
	first.conn.close()
	if err != nil {
		return nil, err
	}
	var ops []string
	var cum []int
	for _, op := range opNames() {
		if w := cfg.Mix[op]; w > 0 {
			ops = append(ops, op)
			cum = append(cum, w+lastOr0(cum))
		}
	}

	ctx, cancel := context.WithTimeout(ctx, cfg.Duration)
	defer cancel()
	var tickets atomic.Int64
	results := make([][]result, cfg.Concurrency)
	var wg sync.WaitGroup
	start := time.Now()
	end := start.Add(cfg.Duration)
	for w := range cfg.Concurrency {
		c := &client{conn: newConn(ctx, host, path, cfg.Timeout)}
		wg.Go(func() {
			defer c.conn.close()
			rng := rand.New(rand.NewPCG(cfg.Seed, uint64(w)))
			for ctx.Err() == nil {
				i := tickets.Add(1) - 1
				if cfg.Requests > 0 && i >= int64(cfg.Requests) {
					return
				}
				req := draw(rng, ops, cum, sample)
				t := time.Now()
				if cfg.Rate > 0 {
					t = start.Add(time.Duration(float64(i) * float64(time.Second) / cfg.Rate))
					if !t.Before(end) {
						return
					}
					if wait := time.Until(t); wait > 0 {
						select {
						case <-time.After(wait):
						case <-ctx.Done():
							return
						}
					}
				}
				code, err := c.post(req.query, req.vars, nil)
				if err != nil && (ctx.Err() != nil || !time.Now().Before(end)) {
					return // the run ended during this request: not an error of the server
				}
				results[w] = append(results[w], result{op: req.op, latency: time.Since(t), code: code, err: err})
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	return report(cfg, elapsed, results), nil
}

func lastOr0(s []int) int {
	if len(s) == 0 {
		return 0
	}
	return s[len(s)-1]
}

// report aggregates the results.
func report(cfg Config, elapsed time.Duration, results [][]result) *Report {
	byOp := map[string][]result{}
	r := &Report{URL: cfg.URL, Concurrency: cfg.Concurrency, Rate: cfg.Rate, Elapsed: elapsed}
	for _, rs := range results {
		for _, x := range rs {
			byOp[x.op] = append(byOp[x.op], x)
			r.Requests++
			if x.err != nil {
				r.Errors++
			}
		}
	}
	if elapsed > 0 {
		r.Throughput = float64(r.Requests) / elapsed.Seconds()
	}
	for _, op := range opNames() {
		rs := byOp[op]
		if len(rs) == 0 {
			continue
		}
		st := OpStats{Operation: op, Requests: len(rs)}
		lat := make([]float64, len(rs))
		for i, x := range rs {
			lat[i] = float64(x.latency.Nanoseconds()) / 1e6
			if x.err != nil {
				st.Errors++
				if st.ErrorSeen == "" {
					st.ErrorSeen = x.err.Error()
				}
				if st.Codes == nil {
					st.Codes = map[string]int{}
				}
				st.Codes[x.code]++
			}
		}
		slices.Sort(lat)
		st.P50, st.P95, st.P99, st.Max = quantile(lat, 0.50), quantile(lat, 0.95), quantile(lat, 0.99), lat[len(lat)-1]
		r.Operations = append(r.Operations, st)
	}
	return r
}

// quantile is the nearest-rank quantile of sorted values.
func quantile(sorted []float64, q float64) float64 {
	i := int(q*float64(len(sorted))+0.999999) - 1
	return sorted[max(0, min(len(sorted)-1, i))]
}

// WriteText prints the report as a table and returns the first write error.
func (r *Report) WriteText(w io.Writer) error {
	var err error
	printf := func(format string, args ...any) {
		if err == nil {
			_, err = fmt.Fprintf(w, format, args...)
		}
	}
	pace := "each sending when answered"
	if r.Rate > 0 {
		pace = fmt.Sprintf("%.0f requests/s offered, latency from when each was due", r.Rate)
	}
	printf("%s: %d requests in %.1f s by %d clients (%s): %.0f requests/s, %d errors\n",
		r.URL, r.Requests, r.Elapsed.Seconds(), r.Concurrency, pace, r.Throughput, r.Errors)
	printf("%-13s %9s %7s %9s %9s %9s %9s\n", "operation", "requests", "errors", "p50 ms", "p95 ms", "p99 ms", "max ms")
	for _, s := range r.Operations {
		printf("%-13s %9d %7d %9.2f %9.2f %9.2f %9.2f\n", s.Operation, s.Requests, s.Errors, s.P50, s.P95, s.P99, s.Max)
		if s.ErrorSeen != "" {
			printf("  first error: %s\n", s.ErrorSeen)
		}
	}
	return err
}
