package server

import (
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
