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
	rows, _, err := Backtest(ctx, f.Rounds, BacktestConfig{Mode: Replay, From: day("2022-01-01"), To: day("2024-12-31T23:59:59Z"[:10]).Add(24 * time.Hour), Runs: 20, Seed: 1, Calibration: DefaultCalibration}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		t.Logf("%s %s %-11s n=%5d real=%d pred=%.0f [%.0f,%.0f] last=%.0f", r.Number, r.Date.Format(time.DateOnly), r.Family, r.Size, r.Real, r.Predicted, r.Lo80, r.Hi80, r.BaseLast)
	}
	t.Logf("replay 2022-2024\n%s", summaryTable(Summarize(rows)))
}
