package server_test

import (
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/coopgraph/coopgraph/server"
)

// textLines splits what was written into lines.
func (b *logBuffer) textLines() []string {
	return strings.FieldsFunc(b.String(), func(r rune) bool { return r == '\n' })
}

// TestLogWriterHoldsInfoAndWritesWarningsAtOnce: INFO lines wait for the
// interval, a warning goes out at once with what came before it, in order,
// and Close writes the rest.
func TestLogWriterHoldsInfoAndWritesWarningsAtOnce(t *testing.T) {
	var out logBuffer
	lw := server.NewLogWriter(&out, time.Hour)
	log := server.NewBufferedLogger(slog.NewTextHandler(lw, nil), lw).With("component", "test")
	log.Info("first")
	if got := out.textLines(); len(got) != 0 {
		t.Fatalf("INFO written before the interval: %q", got)
	}
	log.Warn("second")
	if got := out.textLines(); len(got) != 2 || !strings.Contains(got[0], "msg=first") || !strings.Contains(got[1], "msg=second") || !strings.Contains(got[1], "component=test") {
		t.Fatalf("after a warning: %q, want both lines in order", got)
	}
	log.Info("third")
	if err := lw.Close(); err != nil {
		t.Fatal(err)
	}
	if got := out.textLines(); len(got) != 3 || !strings.Contains(got[2], "msg=third") {
		t.Fatalf("after Close: %q", got)
	}
}

// TestLogWriterFlushesEveryInterval: an INFO line goes out by itself within
// a few intervals.
func TestLogWriterFlushesEveryInterval(t *testing.T) {
	var out logBuffer
	lw := server.NewLogWriter(&out, 5*time.Millisecond)
	defer lw.Close()
	slog.New(slog.NewTextHandler(lw, nil)).Info("alone")
	for deadline := time.Now().Add(10 * time.Second); len(out.textLines()) == 0; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the line was never written out")
		}
	}
}
