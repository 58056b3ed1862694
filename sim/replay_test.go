package sim

import (
	"testing"

	"github.com/eesim/eesim/data"
	"github.com/eesim/eesim/pool"
)

// TestReplayGeneralRoundsBelow500 replays real general rounds of 2022-2023
// whose cutoff was 500 or below on their own published snapshot, with the
// uncalibrated default model: within a 10-point band, a uniform spread and
// the exact band counts put the cutoff within a few points (docs/domain.md,
// "The 501-600 band is bottom-heavy": MAE 1.0, max 3, for this case).
func TestReplayGeneralRoundsBelow500(t *testing.T) {
	if testing.Short() {
		t.Skip("builds full-size pools")
	}
	f, err := data.LoadFeed("")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"233": true, "236": true, "238": true, "243": true, "245": true, "250": true, "268": true}
	reg := pool.NewRegistry(pool.DefaultCategories...)
	set := DefaultSettings(DefaultModel())
	if err := registerModel(set.Model, reg); err != nil {
		t.Fatal(err)
	}
	seen := 0
	for k := range f.Rounds {
		r := &f.Rounds[k]
		if !want[r.Number] {
			continue
		}
		seen++
		if r.Type != data.General || r.Cutoff > 500 || r.Snapshot == nil {
			t.Fatalf("round %s is not a general round at or below 500 with a snapshot", r.Number)
		}
		sc, ok, err := scenarioFor(f.Rounds, k, Replay, reg, set.Rules)
		if err != nil || !ok {
			t.Fatalf("round %s: %v", r.Number, err)
		}
		rn, err := NewRunner(sc, set, reg)
		if err != nil {
			t.Fatal(err)
		}
		out := rn.Run(RunRNG(1, k), nil, nil)
		got := out[0].Cutoff
		if d := got - r.Cutoff; d < -3 || d > 3 {
			t.Errorf("round %s (%s, %d invitations): simulated cutoff %d, real %d", r.Number, r.Date.Format("2006-01-02"), r.Invitations, got, r.Cutoff)
		}
	}
	if seen != len(want) {
		t.Fatalf("found %d of %d rounds", seen, len(want))
	}
}
