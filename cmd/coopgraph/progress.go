package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coopgraph/coopgraph/graph"
)

// Work that takes longer than progressAfter says on stderr what it is
// doing, every progressEvery — with how far the engine's loop is, when it
// reports (graph.WithProgress: the sources of betweenness, the batches of
// closeness and harmonic, what-if's searches, the iterations of PageRank
// and eigenvector centrality against their estimated number, the nodes of
// each Louvain pass), or the rows export has written — and ends with a
// summary of its phases:
// plain lines when stderr is a file or a pipe (a log keeps them), one line
// redrawn with an activity indicator on a terminal. Shorter work prints
// nothing: a script's stderr stays empty.
var (
	progressAfter = 2 * time.Second
	progressEvery = 5 * time.Second
	redrawEvery   = 200 * time.Millisecond
)

// progress reports an analysis command's phases on stderr.
type progress struct {
	w    io.Writer
	cmd  string
	tty  bool
	stop chan struct{}
	wg   sync.WaitGroup

	mu     sync.Mutex
	start  time.Time
	phase  string
	since  time.Time
	phases []string // finished phases with their durations
	shown  bool     // a line was drawn on the terminal

	// done of total units of the engine's current loop (graph.WithProgress);
	// total 0: the phase has not said.
	unitsDone, unitsTotal atomic.Int64
}

// units is the engine's report (graph.WithProgress).
func (p *progress) units(done, total int64) {
	p.unitsTotal.Store(total)
	p.unitsDone.Store(done)
}

// fraction is the phase's done/total as a bar of width cells and a
// percentage, or "" when the engine has not reported.
func (p *progress) fraction(width int) (bar, pct string) {
	done, total := p.unitsDone.Load(), p.unitsTotal.Load()
	if total <= 0 {
		return "", ""
	}
	f := min(float64(done)/float64(total), 1)
	full := int(f * float64(width))
	return "[" + strings.Repeat("#", full) + strings.Repeat(".", width-full) + "] ",
		fmt.Sprintf(" %d%% (%d of %d)", int(f*100), done, total)
}

// progressAfterEnv overrides progressAfter (a Go duration; 0: always
// report), so that a benchmark reads the phases of a short run
// (scripts/bench/kadabra_vs_networkit.py); a value that does not parse is
// ignored, as the report is a courtesy.
const progressAfterEnv = "COOPGRAPH_PROGRESS_AFTER"

func startProgress(w io.Writer, cmd string) *progress {
	if d, err := time.ParseDuration(os.Getenv(progressAfterEnv)); err == nil && d >= 0 {
		progressAfter = d
	}
	now := time.Now()
	p := &progress{w: w, cmd: cmd, tty: isTerminal(w), stop: make(chan struct{}), start: now, since: now}
	p.wg.Go(p.loop)
	return p
}

// isTerminal says whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func (p *progress) loop() {
	select {
	case <-p.stop:
		return
	case <-time.After(progressAfter):
	}
	every := progressEvery
	if p.tty {
		every = redrawEvery
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	spin := 0
	p.report(spin)
	for {
		select {
		case <-p.stop:
			return
		case <-tick.C:
			spin++
			p.report(spin)
		}
	}
}

func (p *progress) report(spin int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	elapsed := time.Since(p.start).Round(time.Second)
	bar, pct := p.fraction(30)
	if p.tty {
		const frames = `|/-\`
		_, _ = fmt.Fprintf(p.w, "\r\033[K%c coopgraph %s: %s%s…%s %s", frames[spin%len(frames)], p.cmd, bar, p.phase, pct, elapsed)
		p.shown = true
		return
	}
	p.line(pct, elapsed)
}

// line is a plain progress line of the current phase, for a log.
func (p *progress) line(pct string, elapsed time.Duration) {
	_, _ = fmt.Fprintf(p.w, "coopgraph %s: %s…%s %s\n", p.cmd, p.phase, pct, elapsed.Round(time.Second))
}

// set starts a phase, ending the one before.
func (p *progress) set(phase string) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if p.phase != "" {
		// A log gets the phase's last fraction when it ends, so that a loop
		// shorter than progressEvery still says how far it went.
		if !p.tty && p.unitsTotal.Load() > 0 && now.Sub(p.start) >= progressAfter {
			_, pct := p.fraction(0)
			p.line(pct, now.Sub(p.start))
		}
		p.phases = append(p.phases, fmt.Sprintf("%s %s", p.phase, roundDuration(now.Sub(p.since))))
	}
	p.phase, p.since = phase, now
	p.unitsTotal.Store(0)
}

// done ends the report: a summary line when the work took progressAfter
// or more (nothing otherwise).
func (p *progress) done(err error) {
	if p == nil {
		return
	}
	close(p.stop)
	p.wg.Wait()
	p.set("")
	total := time.Since(p.start)
	if total < progressAfter {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		_, _ = fmt.Fprint(p.w, "\r\033[K")
	}
	verb := "done"
	if err != nil {
		verb = "stopped"
	}
	_, _ = fmt.Fprintf(p.w, "coopgraph %s: %s in %s (%s)\n", p.cmd, verb, roundDuration(total), strings.Join(p.phases, ", "))
}

func roundDuration(d time.Duration) time.Duration {
	if d >= time.Second {
		return d.Round(100 * time.Millisecond)
	}
	return d.Round(time.Millisecond)
}

type progressKey struct{}

// withProgress carries p to the command, which names its phases with
// phase.
func withProgress(ctx context.Context, p *progress) context.Context {
	return graph.WithProgress(context.WithValue(ctx, progressKey{}, p), p.units)
}

// progressUnits is the report of the command's own loops (as the engine's
// through graph.WithProgress): done of total units of the current phase.
func progressUnits(ctx context.Context) func(done, total int64) {
	if p, ok := ctx.Value(progressKey{}).(*progress); ok {
		return p.units
	}
	return func(int64, int64) {}
}

// phase names what the command does now, for its progress report.
func phase(ctx context.Context, name string) {
	if p, ok := ctx.Value(progressKey{}).(*progress); ok {
		p.set(name)
	}
}
