package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// A handler that has started streaming its answer when the deadline comes
// is let finish (with its context cancelled, so it can stop early); its
// answer is not replaced.
func TestTimeoutLetsAStartedAnswerFinish(t *testing.T) {
	s := &Server{}
	cancelled := make(chan bool, 1)
	h := s.withTimeout(30*time.Millisecond, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/csv")
		_, _ = w.Write([]byte("id,name\n"))
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
			cancelled <- true
		case <-time.After(5 * time.Second):
			cancelled <- false
		}
		_, _ = w.Write([]byte("malopolskie,Małopolska\n"))
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/export/csv", nil))
	if rec.Code != 200 || rec.Body.String() != "id,name\nmalopolskie,Małopolska\n" || rec.Header().Get("Content-Type") != "text/csv" {
		t.Errorf("%d %q %q", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
	}
	if !<-cancelled {
		t.Error("the handler's context was not cancelled at the deadline")
	}
}

// A handler that writes nothing by the deadline is answered for, and what
// it writes afterwards goes nowhere.
func TestTimeoutDropsALateAnswer(t *testing.T) {
	s := &Server{}
	wrote := make(chan error, 1)
	release := make(chan struct{})
	h := s.withTimeout(30*time.Millisecond, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-release
		_, err := w.Write([]byte("too late"))
		wrote <- err
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	close(release)
	if err := <-wrote; err != http.ErrHandlerTimeout {
		t.Errorf("a late write returned %v, want http.ErrHandlerTimeout", err)
	}
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), `"code":"UNAVAILABLE"`) || strings.Contains(rec.Body.String(), "too late") {
		t.Errorf("%d %s", rec.Code, rec.Body)
	}
}

// net/http cancels a request's context on any read error of its
// connection, a body cut by --read-timeout too, while the client still
// waits for the answer to that error: the handler's answer, written just
// after the cancellation, goes out whole (it went out as a bare 400 with
// an empty body, one time in five, in TestRealServerKeepsServingUnderAbuse).
// A handler that does not answer within cancelGrace is abandoned.
func TestCancelledConnectionLetsAPromptAnswerOut(t *testing.T) {
	s := &Server{}
	h := s.withTimeout(time.Minute, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done() // the body's read failed
		time.Sleep(20 * time.Millisecond)
		writeError(w, http.StatusBadRequest, "INVALID_ARGUMENT", "the request body could not be read")
	}))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/graphql", nil).WithContext(ctx))
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), `"code":"INVALID_ARGUMENT"`) {
		t.Errorf("%d %q", rec.Code, rec.Body)
	}

	wrote := make(chan error, 1)
	release := make(chan struct{})
	h = s.withTimeout(time.Minute, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-release
		_, err := w.Write([]byte("nobody reads this"))
		wrote <- err
	}))
	rec = httptest.NewRecorder()
	start := time.Now()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil).WithContext(ctx))
	if took := time.Since(start); took < cancelGrace || took > cancelGrace+2*time.Second {
		t.Errorf("a handler that does not answer was waited for %s, want about %s", took, cancelGrace)
	}
	close(release)
	if err := <-wrote; err != http.ErrHandlerTimeout || rec.Body.Len() != 0 {
		t.Errorf("after the grace a write returned %v and %q went out; want http.ErrHandlerTimeout and nothing", err, rec.Body)
	}
}

// A panic in the handler reaches the panic recovery outside the timeout.
func TestTimeoutPassesPanicsOn(t *testing.T) {
	s := &Server{}
	h := s.recoverPanics(s.withTimeout(time.Second, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		panic("boom")
	})))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	if rec.Code != 500 || !strings.Contains(rec.Body.String(), `"code":"INTERNAL"`) || strings.Contains(rec.Body.String(), "boom") {
		t.Errorf("%d %s", rec.Code, rec.Body)
	}
}
