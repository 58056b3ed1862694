package web

import (
	"context"
	"net/http"
	"sync"
)

// slots bounds the simulations running at once: running slots, and a
// queue of at most queued requests waiting for one. A request that finds
// the queue full is refused at once (503 with Retry-After): a small
// machine then stays responsive instead of piling up work.
type slots struct {
	run    chan struct{}
	mu     sync.Mutex
	queued int
	max    int
}

func newSlots(running, queued int) *slots {
	return &slots{run: make(chan struct{}, running), max: queued}
}

// retryAfter is the Retry-After of a refused request, in seconds: about
// the time of a default odds request on 2 cores (cmd/eesim/odds.go).
const retryAfter = 15

// acquire waits for a slot and returns its release; it fails with a 503
// when the queue is full, or with ctx's error when ctx ends first.
func (s *slots) acquire(ctx context.Context) (func(), error) {
	select {
	case s.run <- struct{}{}:
		return s.release, nil
	default:
	}
	s.mu.Lock()
	if s.queued >= s.max {
		s.mu.Unlock()
		return nil, &apiError{Status: http.StatusServiceUnavailable, RetryAfter: retryAfter,
			Msg: "the server is busy with other simulations; try again shortly"}
	}
	s.queued++
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.queued--
		s.mu.Unlock()
	}()
	select {
	case s.run <- struct{}{}:
		return s.release, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (s *slots) release() { <-s.run }
