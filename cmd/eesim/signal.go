package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

// interrupted is the cause of a context cancelled by a signal.
type interrupted struct{ sig os.Signal }

func (e *interrupted) Error() string { return "interrupted by " + signalName(e.sig) }

// exitCode is 128 plus the signal number, as shells report a process
// killed by the signal: 130 for SIGINT, 143 for SIGTERM.
func (e *interrupted) exitCode() int {
	if s, ok := e.sig.(syscall.Signal); ok {
		return 128 + int(s)
	}
	return 130
}

func signalName(sig os.Signal) string {
	switch sig {
	case os.Interrupt:
		return "SIGINT"
	case syscall.SIGTERM:
		return "SIGTERM"
	}
	return sig.String()
}

// signalContext returns a context cancelled, with an *interrupted cause,
// by the first SIGINT or SIGTERM. The command then stops its work, removes
// its temporary files (data.FileSet) and exits with 130 or 143. After the
// first signal the default handling is restored, so a second one kills
// eesim at once. stop releases the signal handler.
func signalContext() (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancelCause(context.Background())
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-ch:
			signal.Stop(ch)
			cancel(&interrupted{sig: sig})
		case <-done:
		}
	}()
	return ctx, func() {
		signal.Stop(ch)
		close(done)
		cancel(nil)
	}
}

// interruptedBy returns the signal that cancelled ctx, or nil.
func interruptedBy(ctx context.Context) *interrupted {
	if in, ok := context.Cause(ctx).(*interrupted); ok {
		return in
	}
	return nil
}

// reportInterrupted prints the one line of an interrupted command.
func reportInterrupted(s *streams, in *interrupted) int {
	fmt.Fprintf(s.Err, "eesim: %s: stopped, nothing was written\n", in)
	return in.exitCode()
}
