package sim

import (
	"context"
	"flag"
	"fmt"
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

// TestBacktestLong measures the acceptance numbers of the backtest issue.
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
	for _, c := range []struct {
		name     string
		mode     string
		from, to time.Time
	}{
		{"replay 2022-2024", Replay, day("2022-01-01"), day("2025-01-01").Add(-time.Second)},
		{"replay 2025", Replay, day("2025-01-01"), end},
		{"walk-forward 2025", WalkForward, day("2025-01-01"), end},
	} {
		rows, _, err := Backtest(ctx, f.Rounds, BacktestConfig{Mode: c.mode, From: c.from, To: c.to, Runs: 40, Seed: 1, Calibration: DefaultCalibration}, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s\n%s", c.name, summaryTable(Summarize(rows)))
	}
}
