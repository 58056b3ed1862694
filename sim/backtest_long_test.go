package sim

import (
	"context"
	"flag"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/eesim/eesim/data"
)

var longBacktest = flag.Bool("backtest", false, "run the long backtests on the embedded feed (minutes)")

func summaryTable(s []FamilySummary) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-14s %4s %6s %6s %5s | %6s %6s | %6s %6s\n", "family", "n", "MAE", "bias", "cov80", "MAElst", "bias", "MAEm3", "bias")
	for _, f := range s {
		fmt.Fprintf(&b, "%-14s %4d %6.1f %6.1f %5.2f | %6.1f %6.1f | %6.1f %6.1f\n", f.Family, f.N, f.MAE, f.Bias, f.Coverage80, f.MAELast, f.BiasLast, f.MAEMean3, f.BiasMean3)
	}
	return b.String()
}

// TestBacktestLong measures the acceptance numbers of the backtest issue
// and checks those eesim meets: general replay 2022-2024 MAE <= 2; replay
// 2022-2025 MAE <= 10 for CEC, healthcare, STEM and education; walk-forward
// 2025 MAE <= 0.7 x the better naive baseline with 70-90% of real cutoffs
// inside the 80% intervals. French, trades and PNP (not met; see README,
// Accuracy) are logged only.
// go test ./sim -run BacktestLong -backtest -v -timeout 60m
func TestBacktestLong(t *testing.T) {
	if !*longBacktest {
		t.Skip("long backtest: run with -backtest")
	}
	f, err := data.LoadFeed("")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	end := f.Rounds[len(f.Rounds)-1].Instant
	run := func(name, mode string, from time.Time) []data.BacktestRow {
		rows, _, err := Backtest(ctx, f.Rounds, BacktestConfig{Mode: mode, From: from, To: end, Runs: 40, Seed: 1, Calibration: DefaultCalibration}, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s\n%s", name, summaryTable(Summarize(rows)))
		return rows
	}

	replay := run("replay 2022-2025", Replay, day("2022-01-01"))
	var general []data.BacktestRow
	for _, r := range replay {
		if r.Family == "general" && r.Date.Before(day("2025-01-01")) {
			general = append(general, r)
		}
	}
	if s := Summarize(general); len(general) == 0 || s[0].MAE > 2 {
		t.Errorf("replay of general rounds 2022-2024: %d rounds, MAE %v, want <= 2", len(general), s[0].MAE)
	}
	for _, s := range Summarize(replay) {
		switch s.Family {
		case "cec", "healthcare", "stem", "education":
			if s.MAE > 10 {
				t.Errorf("replay 2022-2025, %s: MAE %.1f over %d rounds, want <= 10", s.Family, s.MAE, s.N)
			}
		}
	}

	wf := Summarize(run("walk-forward 2025", WalkForward, day("2025-01-01")))
	all := wf[len(wf)-1]
	if best := math.Min(all.MAELast, all.MAEMean3); all.MAE > 0.7*best {
		t.Errorf("walk-forward 2025: MAE %.1f, better baseline %.1f: ratio %.2f, want <= 0.7", all.MAE, best, all.MAE/best)
	}
	if all.Coverage80 < 0.7 || all.Coverage80 > 0.9 {
		t.Errorf("walk-forward 2025: 80%% interval coverage %.0f%%, want 70-90%%", 100*all.Coverage80)
	}
}
