package sim

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/eesim/eesim/data"
)

// TestOddsBacktestLong runs the odds backtest of the README (2024-01 to
// the end of the feed, default runs and grid) and checks the acceptance
// points of the forecast issue: the Brier score at most 0.8 x the naive
// rule's; every reliability bin of 30 forecasts or more within 0.1 of the
// diagonal; no forecast of exactly 0 or 1 that the rules do not decide (a
// candidate who meets no program and holds no nomination). Failures are
// reported per point (README, "Odds backtest", for the state).
// go test ./sim -run OddsBacktestLong -backtest -v -timeout 30m
func TestOddsBacktestLong(t *testing.T) {
	if !*longBacktest {
		t.Skip("long backtest: run with -backtest")
	}
	f, err := data.LoadFeed("")
	if err != nil {
		t.Fatal(err)
	}
	cfg := DefaultOddsBacktest
	cfg.From, cfg.To = ts("2024-01-01"), f.Rounds[len(f.Rounds)-1].Instant
	t0 := time.Now()
	res, err := OddsBacktest(context.Background(), f.Rounds, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d starts, %d forecasts in %s", len(res.Starts), len(res.Rows), time.Since(t0).Round(time.Second))
	scores := ScoreOdds(res.Rows)
	var b strings.Builder
	fmt.Fprintf(&b, "%-12s %6s %7s %7s %7s %7s %7s %6s %6s\n", "family", "n", "invited", "Brier", "naive", "logloss", "naive", "p0/1", "undec")
	for _, s := range scores {
		fmt.Fprintf(&b, "%-12s %6d %7.3f %7.3f %7.3f %7.3f %7.3f %6d %6d\n", s.Family, s.N, s.Invited, s.Brier, s.NaiveBrier,
			s.LogLoss, s.NaiveLogLoss, s.Exact, s.Undecided)
	}
	p, _, y := OddsForecasts(res.Rows)
	worst := 0.0
	for _, bin := range Reliability(p, y, 10) {
		fmt.Fprintf(&b, "bin %.1f-%.1f n %6d mean %.3f observed %.3f\n", bin.Lo, bin.Hi, bin.N, bin.MeanP, bin.Observed)
		if bin.N >= 30 {
			worst = math.Max(worst, math.Abs(bin.Observed-bin.MeanP))
			if math.Abs(bin.Observed-bin.MeanP) > 0.1 {
				t.Errorf("reliability bin %.1f-%.1f (%d forecasts): mean predicted %.3f, observed %.3f, want within 0.1",
					bin.Lo, bin.Hi, bin.N, bin.MeanP, bin.Observed)
			}
		}
	}
	t.Log("\n" + b.String())
	all := scores[len(scores)-1]
	t.Logf("target: Brier %.3f <= 0.8 x naive %.3f: %v; reliability: worst bin (n >= 30) %.3f from the diagonal, <= 0.1: %v",
		all.Brier, all.NaiveBrier, all.Brier <= 0.8*all.NaiveBrier, worst, worst <= 0.1)
	for _, r := range res.Rows {
		if r.Decided && (r.P != 0 || r.RunsInvited != 0) {
			t.Fatalf("decided by the rules but invited in some run: %+v", r)
		}
	}
	if all.Brier > 0.8*all.NaiveBrier {
		t.Errorf("Brier %.3f, naive %.3f: ratio %.2f, want <= 0.8", all.Brier, all.NaiveBrier, all.Brier/all.NaiveBrier)
	}
	if all.Undecided > 0 {
		t.Errorf("%d of %d forecasts are exactly 0 or 1 without the rules deciding it", all.Undecided, all.N)
	}
}
