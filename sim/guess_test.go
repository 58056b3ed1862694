package sim

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/eesim/eesim/data"
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

// TestLearnGuesses checks the guesses a pilot run gives a projection
// against the pilot run made by hand: per family of non-nominee rounds,
// pilotMargin under its lowest cutoff, none for a family with a round
// that came up short; and that the projection's steps carry them where
// they are above the record's guesses.
func TestLearnGuesses(t *testing.T) {
	f := newOddsFixture(t, 120*24*time.Hour)
	set := DefaultSettings(DefaultModel())
	set.Scale = 0.2
	for _, tc := range []struct {
		name  string
		flood bool // a French round larger than the pool comes first
	}{{"recent", false}, {"short French round", true}} {
		t.Run(tc.name, func(t *testing.T) {
			sched := slices.Clone(f.sched)
			if tc.flood {
				for i, s := range sched {
					if s.Type == data.Category && s.CategoryKey == "french" {
						sched[i].Size = 1_000_000
						break
					}
				}
			}
			cfg := Config{Start: f.start, Schedule: sched, Seed: 3, Settings: set}
			reg := pool.NewRegistry(pool.DefaultCategories...)
			sc, g, err := projectionScenario(f.rounds, cfg, reg)
			if err != nil {
				t.Fatal(err)
			}
			// By hand: the same scenario with no learned guess, run once
			// with the pilot's stream.
			plain := cfg
			plain.guesses = map[string]int{}
			sc0, _, err := projectionScenario(f.rounds, plain, reg)
			if err != nil {
				t.Fatal(err)
			}
			rn, err := NewRunner(sc0, set, reg)
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]int{}
			for _, o := range rn.Run(RunRNG(3, pilotRun), nil, nil) {
				st := sc0.Steps[o.Step]
				fam := st.Round.Family()
				if st.Known || fam == "pnp" {
					continue // real rounds replayed; nominee rounds
				}
				v, ok := want[fam]
				switch {
				case o.Short:
					want[fam] = 0
				case !ok || v != 0 && o.Cutoff-15 < v:
					want[fam] = o.Cutoff - 15
				}
			}
			if !reflect.DeepEqual(g, want) {
				t.Fatalf("guesses %v, by hand %v", g, want)
			}
			raised := 0
			for i, st := range sc.Steps {
				st0 := sc0.Steps[i]
				w := st0.Guess
				if fam := st.Round.Family(); !st.Known && fam != "pnp" {
					w = max(w, want[fam])
				}
				if st.Guess != w {
					t.Errorf("step %d (%s): guess %d, want %d", i, st.Round.Family(), st.Guess, w)
				}
				if st.Guess > st0.Guess && st.Guess > st.Round.Floor {
					raised++
				}
			}
			switch fr, ok := g["french"]; {
			case !ok:
				t.Fatal("no French round in the schedule: the test shows nothing")
			case tc.flood && fr != 0:
				t.Errorf("French guess %d after a short French round, want none", fr)
			case !tc.flood && raised == 0:
				t.Errorf("the pilot raised no guess above a floor: the test shows nothing")
			}
		})
	}
}

func TestMergeGuesses(t *testing.T) {
	got := mergeGuesses([]map[string]int{{"cec": 480, "french": 0}, {"cec": 470, "trades": 460}, {"french": 380}})
	want := map[string]int{"cec": 470, "french": 0, "trades": 460}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("merged %v, want %v", got, want)
	}
}
