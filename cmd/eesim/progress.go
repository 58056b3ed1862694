package main

import (
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
)

// progress is a sim.Progress that draws a bar on stderr, only when stderr
// is a terminal and --quiet is not given; otherwise it does nothing, so
// logs stay clean.
type progress struct {
	mu  sync.Mutex
	bar *progressbar.ProgressBar
}

// newProgress returns a progress bar of total units described by desc.
func newProgress(s *streams, total int, desc string) *progress {
	if !s.ErrIsTerminal || s.Quiet || total <= 0 {
		return &progress{}
	}
	return &progress{bar: progressbar.NewOptions(total,
		progressbar.OptionSetWriter(s.Err),
		progressbar.OptionSetDescription(desc),
		progressbar.OptionShowCount(),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)}
}

// Add implements sim.Progress.
func (p *progress) Add(n int) {
	if p.bar == nil {
		return
	}
	p.mu.Lock()
	p.bar.Add(n)
	p.mu.Unlock()
}

// Done finishes the bar.
func (p *progress) Done() {
	if p.bar == nil {
		return
	}
	p.bar.Finish()
}
