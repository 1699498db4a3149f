package server_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// abuseResult counts how one kind of abuse was answered.
type abuseResult struct {
	mu      sync.Mutex
	sent    int
	answers map[string]int // "413 LIMIT_EXCEEDED", "closed", …
	bad     []string       // answers that are not a clean refusal
	slowest time.Duration
}

func (r *abuseResult) add(outcome string, ok bool, took time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sent++
	if r.answers == nil {
		r.answers = map[string]int{}
	}
	r.answers[outcome]++
	if !ok && len(r.bad) < 5 {
		r.bad = append(r.bad, outcome)
	}
	r.slowest = max(r.slowest, took)
}

// TestRealServerKeepsServingUnderAbuse runs the real binary (embedded
// store) with short connection timeouts and, all at once: clients that send
// their headers or body too slowly, bodies above the limit, queries too
// deep, too costly or with huge first/maxHops/k, and a burst of 200
// concurrent costly but allowed queries. Each abuse must be refused
// cleanly (its own code, or the connection closed by the server's
// timeout, within that timeout), the burst answered, and a well-behaved
// client beside them must get every answer right.
func TestRealServerKeepsServingUnderAbuse(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the real binary for some seconds")
	}
	bin := buildCoopgraph(t)
	const (
		readHeaderTimeout = time.Second
		readTimeout       = 3 * time.Second
		requestTimeout    = 10 * time.Second
		maxBody           = 64 << 10
	)
	srv := startServe(t, bin, cleanEnv(), "--log-format", "json", "--refresh-every", "0",
		"--read-header-timeout", readHeaderTimeout.String(), "--read-timeout", readTimeout.String(),
		"--write-timeout", "30s", "--request-timeout", requestTimeout.String(), "--max-body-bytes", fmt.Sprint(maxBody))
	client := &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 300}}
	host := strings.TrimPrefix(srv.base, "http://")

	// The well-behaved client asks one question after another throughout.
	stop := make(chan struct{})
	var good struct {
		latencies []time.Duration
		failures  []string
	}
	goodDone := make(chan struct{})
	go func() {
		defer close(goodDone)
		c := &http.Client{Timeout: 60 * time.Second}
		const q = `query Good { entity(id: "malopolskie") { name } search(text: "Opolskie", first: 3) { id } }`
		for {
			select {
			case <-stop:
				return
			default:
			}
			a := ask(c, srv.base, q, nil)
			good.latencies = append(good.latencies, a.took)
			if a.err != nil || a.status != 200 || len(a.Errors) > 0 || !strings.Contains(string(a.Data), "Małopolsk") || !strings.Contains(string(a.Data), `"opolskie"`) {
				good.failures = append(good.failures, fmt.Sprintf("%d %v %.200s", a.status, a.err, a.body))
			}
			time.Sleep(10 * time.Millisecond)
		}
	}()

	results := map[string]*abuseResult{}
	var wg sync.WaitGroup
	abuse := func(name string, n int, f func(r *abuseResult)) {
		r := &abuseResult{}
		results[name] = r
		for range n {
			wg.Add(1)
			go func() { defer wg.Done(); f(r) }()
		}
	}

	// Headers sent one line every 300ms: the server closes the connection
	// after --read-header-timeout, without an answer.
	abuse("slow headers", 50, func(r *abuseResult) {
		outcome, took := slowClient(host, "GET /healthz HTTP/1.1\r\nHost: x\r\n", "X-Slow: 1\r\n", 300*time.Millisecond, 15*time.Second)
		r.add(outcome, outcome == "closed" && took < readHeaderTimeout+3*time.Second, took)
	})
	// A body sent one byte every 300ms: cut at --read-timeout, the body
	// unread is an INVALID_ARGUMENT answer or a closed connection.
	abuse("slow body", 20, func(r *abuseResult) {
		head := "POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10000\r\n\r\n{"
		outcome, took := slowClient(host, head, " ", 300*time.Millisecond, 15*time.Second)
		r.add(outcome, (outcome == "closed" || outcome == "400 INVALID_ARGUMENT") && took < readTimeout+3*time.Second, took)
	})
	big := `{"query":"` + strings.Repeat(" ", 2<<20) + `{ __typename }"}`
	abuse("body above the limit", 20, func(r *abuseResult) {
		a := send(client, http.MethodPost, srv.base+"/graphql", "application/json", strings.NewReader(big))
		r.add(outcomeOf(a), a.status == 413 && a.onlyCode("LIMIT_EXCEEDED"), a.took)
	})
	abuse("body above the limit, chunked", 10, func(r *abuseResult) {
		a := send(client, http.MethodPost, srv.base+"/graphql", "application/json", io.MultiReader(strings.NewReader(big)))
		r.add(outcomeOf(a), a.status == 413 && a.onlyCode("LIMIT_EXCEEDED"), a.took)
	})
	refused := map[string]struct {
		query string
		code  string
	}{
		"too deep":           {nested(60), "LIMIT_EXCEEDED"},
		"too costly":         {`{ centrality(measure: DEGREE, first: 1000) { entity { neighbours(first: 1000) { neighbours(first: 1000) { id } } } } }`, "LIMIT_EXCEEDED"},
		"huge first":         {`{ search(text: "Malopolska", first: 1000000000) { id } }`, "LIMIT_EXCEEDED"},
		"huge maxHops":       {`{ shortestPath(from: "opolskie", to: "malopolskie", maxHops: 2147483647) { length } }`, "LIMIT_EXCEEDED"},
		"huge k":             {`{ kShortestPaths(from: "opolskie", to: "malopolskie", k: 1000000) { length } }`, "LIMIT_EXCEEDED"},
		"negative first":     {`{ search(text: "Malopolska", first: -5) { id } }`, "INVALID_ARGUMENT"},
		"first beyond Int32": {`{ search(text: "Malopolska", first: 99999999999) { id } }`, "LIMIT_EXCEEDED"},
		"many aliases":       {manyAliases(30, `centrality(measure: BETWEENNESS, first: 1000) { entity { id name kind } }`), "LIMIT_EXCEEDED"},
	}
	for name, c := range refused {
		abuse(name, 20, func(r *abuseResult) {
			a := ask(client, srv.base, c.query, nil)
			r.add(outcomeOf(a), a.onlyCode(c.code), a.took)
		})
	}

	// 200 costly but allowed questions at the same instant: all answered.
	burst := []string{
		`{ centrality(measure: BETWEENNESS, first: 100) { rank entity { id } } }`,
		`{ kShortestPaths(from: "opolskie", to: "malopolskie", k: 100) { length } }`,
		`{ allShortestPaths(from: "opolskie", to: "malopolskie", first: 1000) { length } }`,
		`{ communities { modularity } }`,
		`{ whatIfRemoved(id: "malopolskie") { disconnectedPairs } }`,
		`{ partners(id: "malopolskie", first: 1000) { count } }`,
		`{ search(text: "a", first: 1000) { id } }`,
		`{ network(max: 20000) { entities { id } } }`,
	}
	gate := make(chan struct{})
	burstResult := &abuseResult{}
	results["burst of 200 costly queries"] = burstResult
	for i := range 200 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-gate
			a := ask(client, srv.base, burst[i%len(burst)], nil)
			burstResult.add(outcomeOf(a), a.status == 200 && len(a.Errors) == 0 && len(a.Data) > 10, a.took)
		}()
	}
	time.Sleep(200 * time.Millisecond) // let the abusers connect first
	close(gate)
	wg.Wait()
	close(stop)
	<-goodDone

	total := 0
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for k := range results {
			if !yield(k) {
				return
			}
		}
	}) {
		r := results[name]
		total += r.sent
		t.Logf("%-30s %4d sent, answered %v, slowest %s", name, r.sent, r.answers, r.slowest.Round(time.Millisecond))
		if len(r.bad) > 0 {
			t.Errorf("%s: not refused cleanly: %q", name, r.bad)
		}
	}
	slices.Sort(good.latencies)
	n := len(good.latencies)
	if n == 0 {
		t.Fatal("the well-behaved client asked nothing")
	}
	t.Logf("abuse: %d requests and connections; well-behaved client: %d requests, %d failed, latency p50 %s p99 %s max %s",
		total, n, len(good.failures), good.latencies[n/2].Round(time.Microsecond),
		good.latencies[min(n-1, n*99/100)].Round(time.Microsecond), good.latencies[n-1].Round(time.Microsecond))
	if len(good.failures) > 0 {
		t.Errorf("the well-behaved client failed %d times during the abuse: %q", len(good.failures), good.failures[:min(3, len(good.failures))])
	}
	if n < 10 {
		t.Errorf("the well-behaved client got only %d answers during the abuse", n)
	}

	// The server is as it was: ready, answering, no panic logged.
	if a := send(client, http.MethodGet, srv.base+"/readyz", "", nil); a.status != 200 {
		t.Errorf("/readyz after the abuse: %d %s", a.status, a.body)
	}
	if !srv.running() {
		t.Fatalf("serve is gone: %s", srv.stderr)
	}
	if logs := srv.stderr.String(); strings.Contains(logs, "panic") {
		t.Errorf("a panic was logged:\n%.3000s", logs)
	}
	if code := srv.stop(t); code != 0 {
		t.Errorf("serve exited %d after SIGTERM: %s", code, srv.stderr)
	}
}

// manyAliases asks for field n times under different names.
func manyAliases(n int, field string) string {
	var b strings.Builder
	b.WriteString("{ ")
	for i := range n {
		fmt.Fprintf(&b, "a%d: %s ", i, field)
	}
	b.WriteString("}")
	return b.String()
}

// outcomeOf names an answer: its status and error codes.
func outcomeOf(a gqlAnswer) string {
	if a.err != nil {
		return "error: " + a.err.Error()
	}
	if len(a.Errors) == 0 {
		return fmt.Sprintf("%d", a.status)
	}
	return fmt.Sprintf("%d %s", a.status, strings.Join(slices.Compact(a.codes()), ","))
}

// slowClient sends head, then drip every interval until the server answers
// or closes the connection (or limit passes). It returns "closed", "S CODE"
// for an answer with status S and error code CODE, or what went wrong, and
// the time from connecting.
func slowClient(host, head, drip string, interval, limit time.Duration) (string, time.Duration) {
	start := time.Now()
	conn, err := net.Dial("tcp", host)
	if err != nil {
		return "dial: " + err.Error(), 0
	}
	defer conn.Close()
	_ = conn.SetDeadline(start.Add(limit))
	answered := make(chan string, 1)
	go func() {
		br := bufio.NewReader(conn)
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			if err == io.EOF || err == io.ErrUnexpectedEOF || strings.Contains(err.Error(), "reset by peer") {
				answered <- "closed"
			} else {
				answered <- "read: " + err.Error()
			}
			return
		}
		body, _ := io.ReadAll(resp.Body)
		a := gqlAnswer{status: resp.StatusCode, body: body}
		_ = json.Unmarshal(body, &a)
		answered <- outcomeOf(a)
	}()
	if _, err := io.WriteString(conn, head); err != nil {
		return "write: " + err.Error(), time.Since(start)
	}
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case outcome := <-answered:
			return outcome, time.Since(start)
		case <-tick.C:
			// A write after the server closed may fail: the reader says why.
			_, _ = io.WriteString(conn, drip)
		}
	}
}
