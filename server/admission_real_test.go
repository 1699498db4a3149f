package server_test

import (
	"fmt"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// procStat reads the process's CPU time (user + system) and its peak
// resident memory from /proc.
func procStat(t *testing.T, pid int) (cpu time.Duration, peakRSS int64) {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	// The fields after the command name (in parentheses, which may hold spaces).
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+2:]))
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	cpu = time.Duration(utime+stime) * time.Second / 100 // USER_HZ is 100 on Linux
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			peakRSS = kb << 10
		}
	}
	return cpu, peakRSS
}

// TestRealServerRefusesCostlyOperations sends the real binary (embedded
// store, seed) each GraphQL attack of issue 13, four copies of each at
// once, while a well-behaved client asks one question after another. Each
// must be refused with LIMIT_EXCEEDED within 2 s; then the server's CPU must
// be idle (under 0.25 CPU-seconds in the next second) and its peak RSS
// under 300 MB; the client must get every answer.
func TestRealServerRefusesCostlyOperations(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the real binary")
	}
	bin := buildCoopgraph(t)
	srv := startServe(t, bin, cleanEnv(), "--log-format", "json", "--refresh-every", "0")
	pid := srv.cmd.Process.Pid
	client := &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}

	stop := make(chan struct{})
	var latencies []time.Duration
	var failures []string
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
			latencies = append(latencies, a.took)
			if a.err != nil || a.status != 200 || len(a.Errors) != 0 || !strings.Contains(string(a.Data), "Małopolskie") {
				failures = append(failures, outcomeOf(a))
			}
			time.Sleep(5 * time.Millisecond)
		}
	}()

	var b strings.Builder
	b.WriteString("query Exp { ...F0 }")
	for i := range 28 {
		fmt.Fprintf(&b, " fragment F%d on Query { ...F%d ...F%d }", i, i+1, i+1)
	}
	b.WriteString(" fragment F28 on Query { __typename }")
	exp := b.String()
	b.Reset()
	b.WriteString("{ __typename")
	for i := range 10000 {
		fmt.Fprintf(&b, " @d%s", strconv.FormatInt(int64(i), 36))
	}
	b.WriteString(" }")
	directives := b.String()
	b.Reset()
	b.WriteString("{")
	for i := range 10 {
		fmt.Fprintf(&b, ` c%d: centrality(measure: BETWEENNESS, first: 1, samples: %d) { score }`, i, i+1)
	}
	b.WriteString(" }")
	betweenness := b.String()
	b.Reset()
	b.WriteString("{")
	for i := range 200 {
		fmt.Fprintf(&b, ` c%d: communities(seed: %d) { count }`, i, i)
	}
	b.WriteString(" }")
	communities := b.String()
	b.Reset()
	b.WriteString("{")
	for i := range 1000 {
		fmt.Fprintf(&b, " ...F%d", i)
	}
	b.WriteString(" }")
	for i := range 1000 {
		fmt.Fprintf(&b, " fragment F%d on Query { __typename }", i)
	}
	spreads := b.String()

	attacks := []struct{ name, query string }{
		{"28 levels of fragments", exp},
		{"6,400 aliases of __schema", schemaAliases(6400)},
		{"20,000 __typename", "{" + strings.Repeat(" __typename", 20000) + " }"},
		{"5,900 __typename", "{" + strings.Repeat(" __typename", 5900) + " }"},
		{"2,000 __typename", "{" + strings.Repeat(" __typename", 2000) + " }"},
		{"1,000 fragments spread in one selection", spreads},
		{"10,000 unknown directives", directives},
		{"10 aliases of betweenness", betweenness},
		{"200 aliases of communities", communities},
	}
	time.Sleep(200 * time.Millisecond) // the client's first answers, before the attacks
	var mu sync.Mutex
	var wg sync.WaitGroup
	slowest := map[string]time.Duration{}
	for _, at := range attacks {
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				a := ask(client, srv.base, at.query, nil)
				mu.Lock()
				defer mu.Unlock()
				slowest[at.name] = max(slowest[at.name], a.took)
				if a.err != nil || len(a.Errors) != 1 || !slices.Contains(a.codes(), "LIMIT_EXCEEDED") || a.took > 2*time.Second {
					t.Errorf("%s: %s in %s", at.name, outcomeOf(a), a.took)
				}
			}()
		}
	}
	wg.Wait()
	answered := time.Now()
	time.Sleep(200 * time.Millisecond) // the client's answers after the attacks
	close(stop)
	<-goodDone
	for _, at := range attacks {
		t.Logf("%-40s 4 at once: LIMIT_EXCEEDED, slowest %s", at.name, slowest[at.name].Round(time.Microsecond))
	}

	// Idle within a second of the last answer.
	time.Sleep(time.Until(answered.Add(300 * time.Millisecond)))
	cpu0, _ := procStat(t, pid)
	time.Sleep(time.Second)
	cpu1, peak := procStat(t, pid)
	t.Logf("server CPU in the second after the answers: %s; peak RSS %d MB", cpu1-cpu0, peak>>20)
	if cpu1-cpu0 > 250*time.Millisecond {
		t.Errorf("the server used %s of CPU in the second after the last answer: work outlived its request", cpu1-cpu0)
	}
	if peak > 300<<20 {
		t.Errorf("peak RSS %d MB, over 300 MB", peak>>20)
	}

	slices.Sort(latencies)
	if len(latencies) == 0 {
		t.Fatal("the well-behaved client got no answer")
	}
	p := func(q float64) time.Duration { return latencies[min(len(latencies)-1, int(q*float64(len(latencies))))] }
	t.Logf("well-behaved client: %d requests, %d failed, latency p50 %s p99 %s max %s",
		len(latencies), len(failures), p(0.5).Round(time.Microsecond), p(0.99).Round(time.Microsecond), latencies[len(latencies)-1].Round(time.Microsecond))
	if len(failures) > 0 {
		t.Errorf("the well-behaved client failed: %v", failures[:min(5, len(failures))])
	}
}
