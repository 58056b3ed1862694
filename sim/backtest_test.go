package sim

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/eesim/eesim/data"
)

// TestWalkForwardNoLeak checks that the forecast of a round does not change
// when the rounds after it are removed from the feed: walk-forward uses
// only what was published before the round.
func TestWalkForwardNoLeak(t *testing.T) {
	if testing.Short() {
		t.Skip("replays a year of rounds")
	}
	f, err := data.LoadFeed("")
	if err != nil {
		t.Fatal(err)
	}
	// Round #240 (2023-02-02, FSW 3,300 at 489) has a year of published
	// snapshots before it, and a snapshot of its own that walk-forward
	// must not use.
	k := -1
	for i, r := range f.Rounds {
		if r.Number == "240" {
			k = i
		}
	}
	if k < 0 {
		t.Fatal("round 240 not in the feed")
	}
	target := f.Rounds[k]
	cfg := BacktestConfig{Mode: WalkForward, From: target.Instant, To: target.Instant, Runs: 3, Seed: 5,
		Calibration: CalibrationConfig{Scale: 0.1, Rate: 0.7, Seed: 1}}
	full, _, err := Backtest(context.Background(), f.Rounds, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	// The same feed cut after round k, and with round k's own result and
	// snapshot scrambled: the forecast must not move.
	cut := append([]data.Round(nil), f.Rounds[:k+1]...)
	cut[k].Cutoff = 300
	cut[k].TieBreak = time.Time{}
	snap := *cut[k].Snapshot
	snap.Counts[1] *= 2
	cut[k].Snapshot = &snap
	short, _, err := Backtest(context.Background(), cut, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(full) != 1 || len(short) != 1 {
		t.Fatalf("got %d and %d rows, want 1 each", len(full), len(short))
	}
	a, b := full[0], short[0]
	if math.IsNaN(a.Predicted) {
		t.Fatalf("no forecast for round 240: %+v", a)
	}
	if a.Predicted != b.Predicted || a.Lo80 != b.Lo80 || a.Hi80 != b.Hi80 || !a.PredTie.Equal(b.PredTie) {
		t.Errorf("forecast moved: with later rounds %+v, without %+v", a, b)
	}
	if b.Real != 300 {
		t.Errorf("real cutoff %d, want the scrambled 300 (the row reports the input)", b.Real)
	}
}

func TestBaselines(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2025, 1, d, 14, 0, 0, 0, time.UTC) }
	rounds := []data.Round{
		{Number: "1", Instant: day(1), Type: data.Program, Programs: data.CEC, Cutoff: 530},
		{Number: "2", Instant: day(2), Type: data.Program, Programs: data.PNP, Cutoff: 700},
		{Number: "3", Instant: day(3), Type: data.Program, Programs: data.CEC, Cutoff: 520},
		{Number: "4", Instant: day(4), Type: data.Program, Programs: data.CEC, Cutoff: 540},
		{Number: "5", Instant: day(5), Type: data.Program, Programs: data.CEC, Cutoff: 510},
		{Number: "6", Instant: day(6), Type: data.Program, Programs: data.CEC, Cutoff: 999},
	}
	// Round 6's baselines: last CEC cutoff 510; mean of 510, 540, 520 = 523.33.
	last, mean3 := baselines(rounds, 5)
	if last != 510 || math.Abs(mean3-1570.0/3) > 1e-9 {
		t.Errorf("baselines(6) = %v, %v; want 510, 523.33", last, mean3)
	}
	// Round 2 is the first PNP round: no baseline.
	if last, mean3 := baselines(rounds, 1); !math.IsNaN(last) || !math.IsNaN(mean3) {
		t.Errorf("baselines(2) = %v, %v; want NaN", last, mean3)
	}
}

func TestSummarize(t *testing.T) {
	rows := []data.BacktestRow{
		{Family: "cec", Real: 520, Predicted: 522, Lo80: 518, Hi80: 525, BaseLast: 530, BaseMean3: 525},
		{Family: "cec", Real: 510, Predicted: 506, Lo80: 504, Hi80: 508, BaseLast: 520, BaseMean3: math.NaN()},
	}
	s := Summarize(rows)
	// cec: errors +2, -4: MAE 3, bias -1; covered 1 of 2. Last: +10, +10.
	// Mean3: +5 on one row.
	c := s[0]
	if c.Family != "cec" || c.N != 2 || c.MAE != 3 || c.Bias != -1 || c.Coverage80 != 0.5 ||
		c.MAELast != 10 || c.BiasLast != 10 || c.NMean3 != 1 || c.MAEMean3 != 5 {
		t.Errorf("summary %+v", c)
	}
	if s[len(s)-1].Family != "all" || s[len(s)-1].N != 2 {
		t.Errorf("overall line %+v", s[len(s)-1])
	}
}
