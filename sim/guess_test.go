package sim

import (
	"reflect"
	"testing"

	"github.com/eesim/eesim/pool"
)

// TestGuessChangesNothing runs a 12-month projection with the guessed
// floors Simulate gives program rounds (Step.Guess), once lazily (the
// candidates under every guess kept as ghosts, the default) and once in
// full: outcomes must be identical. It then raises every guess far above
// any cutoff, so that every lazy run goes under one and runs again, and
// checks the outcomes are still identical.
func TestGuessChangesNothing(t *testing.T) {
	for _, tc := range []struct {
		name   string
		guess  func(g int) int
		reruns bool
	}{
		{"as Simulate guesses", func(g int) int { return g }, false},
		{"guesses too high", func(g int) int { return 900 }, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rn := benchRunner(t, 24000)
			n := 0
			for i := range rn.sc.Steps {
				if st := &rn.sc.Steps[i]; st.Guess > 0 {
					st.Guess = tc.guess(st.Guess)
					n++
				}
			}
			rn = rebuild(t, rn)
			if n == 0 || rn.guess == nil {
				t.Fatalf("%d steps with a guess; the test would prove nothing", n)
			}
			for run := range 4 {
				lazy := rn.Run(RunRNG(3, run), nil, nil)
				lazyBands, lazyGhosts := rn.p.BandCounts(), rn.p.Ghosts()
				// A hook makes the runner run in full.
				full := rn.Run(RunRNG(3, run), nil, func(int, *pool.Pool) {})
				if !reflect.DeepEqual(lazy, full) {
					t.Fatalf("run %d: outcomes differ lazily and in full (%d reruns so far)", run, rn.Reruns)
				}
				if fb := rn.p.BandCounts(); fb != lazyBands {
					t.Fatalf("run %d: band counts at the end %v lazily, %v in full", run, lazyBands, fb)
				}
				if rn.p.Ghosts() >= lazyGhosts && !tc.reruns {
					t.Errorf("run %d: %d ghosts in full, %d lazily: nothing was lazy", run, rn.p.Ghosts(), lazyGhosts)
				}
			}
			if tc.reruns != (rn.Reruns == 4) {
				t.Errorf("%d of 4 lazy runs ran again", rn.Reruns)
			}
			t.Logf("%d steps with a guess, %d of 4 runs ran again", n, rn.Reruns)
		})
	}
}

// rebuild returns a new runner on rn's scenario and settings.
func rebuild(t *testing.T, rn *Runner) *Runner {
	t.Helper()
	out, err := NewRunner(rn.sc, rn.set, rn.reg)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
