package server

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"sync"
	"time"
)

// LogWriter buffers log lines on their way to w (stderr) and writes them
// out every interval, when 32 KiB have gathered, when a record of level
// WARN or above is logged (through the handler that NewBufferedLogger
// wraps), and on Close.
//
// Every request logs two lines; written one by one they were two of the
// four system calls a request cost, on a machine where the server's CPU is
// what its latency is made of. What a crash can lose is the last interval's
// INFO lines, never a warning or an error.
type LogWriter struct {
	mu   sync.Mutex
	w    *bufio.Writer
	stop chan struct{}
	done chan struct{}
}

// NewLogWriter starts the writer's flushing; Close stops it.
func NewLogWriter(w io.Writer, interval time.Duration) *LogWriter {
	lw := &LogWriter{w: bufio.NewWriterSize(w, 32<<10), stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(lw.done)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				_ = lw.Flush() // the bufio.Writer keeps the error: Close reports it
			case <-lw.stop:
				return
			}
		}
	}()
	return lw
}

// Write buffers p. Lines never interleave: p goes in whole under the lock.
func (lw *LogWriter) Write(p []byte) (int, error) {
	lw.mu.Lock()
	defer lw.mu.Unlock()
	return lw.w.Write(p)
}

// Flush writes out what is buffered.
func (lw *LogWriter) Flush() error {
	lw.mu.Lock()
	defer lw.mu.Unlock()
	return lw.w.Flush()
}

// Close stops the periodic flushing and writes out the rest.
func (lw *LogWriter) Close() error {
	close(lw.stop)
	<-lw.done
	return lw.Flush()
}

// NewBufferedLogger returns a logger of h (which writes to lw) that writes
// out lw at once after every record of level WARN or above.
func NewBufferedLogger(h slog.Handler, lw *LogWriter) *slog.Logger {
	return slog.New(flushOnWarn{h, lw})
}

type flushOnWarn struct {
	slog.Handler
	lw *LogWriter
}

func (f flushOnWarn) Handle(ctx context.Context, r slog.Record) error {
	err := f.Handler.Handle(ctx, r)
	if r.Level >= slog.LevelWarn {
		if ferr := f.lw.Flush(); err == nil {
			err = ferr
		}
	}
	return err
}

func (f flushOnWarn) WithAttrs(attrs []slog.Attr) slog.Handler {
	return flushOnWarn{f.Handler.WithAttrs(attrs), f.lw}
}

func (f flushOnWarn) WithGroup(name string) slog.Handler {
	return flushOnWarn{f.Handler.WithGroup(name), f.lw}
}
