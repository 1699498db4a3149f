package loadtest

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestConnReadsWhatNetHTTPWrites: answers with Content-Length, chunked
// (larger than net/http buffers before chunking), with no body, and with
// Connection: close, in turn on one conn; each body arrives whole and the
// request's body reaches the handler.
func TestConnReadsWhatNetHTTPWrites(t *testing.T) {
	big := strings.Repeat("0123456789abcdef", 40_000) // 640 kB: chunked
	var conns atomic.Int32
	ts := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if r.Method != http.MethodPost || r.URL.Path != "/base/graphql" || r.Header.Get("Content-Type") != "application/json" {
			http.Error(w, "bad request line or headers", http.StatusBadRequest)
			return
		}
		switch string(body) {
		case "small":
			_, _ = io.WriteString(w, `{"data":{}}`) // a failed answer fails the client's check
		case "big":
			_, _ = io.WriteString(w, big)
		case "empty":
			w.WriteHeader(http.StatusNoContent)
		case "close":
			w.Header().Set("Connection", "close")
			_, _ = io.WriteString(w, "bye")
		}
	}))
	ts.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	ts.Start()
	defer ts.Close()
	c := newConn(context.Background(), strings.TrimPrefix(ts.URL, "http://"), "/base/graphql", 5*time.Second)
	defer c.close()
	for _, step := range []struct {
		send, want string
		status     int
		conns      int32
	}{
		{"small", `{"data":{}}`, 200, 1},
		{"big", big, 200, 1},
		{"empty", "", 204, 1},
		{"small", `{"data":{}}`, 200, 1},
		{"close", "bye", 200, 1},
		{"small", `{"data":{}}`, 200, 2}, // a new connection after close
	} {
		status, body, err := c.post([]byte(step.send))
		if err != nil {
			t.Fatalf("%s: %v", step.send, err)
		}
		if status != step.status || string(body) != step.want {
			t.Fatalf("%s: %d %.80q, want %d %.80q", step.send, status, body, step.status, step.want)
		}
		if n := conns.Load(); n != step.conns {
			t.Errorf("%s: %d connections so far, want %d", step.send, n, step.conns)
		}
	}
}

// TestConnResendsOnAConnectionTheServerClosed: a kept-alive connection the
// server closed while idle is replaced and the request sent on the new one,
// as net/http's client does.
func TestConnResendsOnAConnectionTheServerClosed(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "ok") }))
	defer ts.Close()
	c := newConn(context.Background(), strings.TrimPrefix(ts.URL, "http://"), "/graphql", 5*time.Second)
	defer c.close()
	if _, _, err := c.post([]byte("1")); err != nil {
		t.Fatal(err)
	}
	ts.CloseClientConnections()
	time.Sleep(50 * time.Millisecond)
	status, body, err := c.post([]byte("2"))
	if err != nil || status != 200 || string(body) != "ok" {
		t.Fatalf("after the server closed the connection: %d %q %v", status, body, err)
	}
}

// TestConnStopsWhenTheRunEnds: a request the server sits on is given up
// as soon as the run's context ends, not at the request timeout.
func TestConnStopsWhenTheRunEnds(t *testing.T) {
	release := make(chan struct{})
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-release }))
	defer ts.Close()
	defer close(release)
	ctx, cancel := context.WithCancel(context.Background())
	c := newConn(ctx, strings.TrimPrefix(ts.URL, "http://"), "/graphql", time.Minute)
	defer c.close()
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	if _, _, err := c.post([]byte("x")); err == nil {
		t.Fatal("no error from a request cut by the end of the run")
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("gave up after %s", took)
	}
}
