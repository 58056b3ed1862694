package sim

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/eesim/eesim/data"
	"github.com/eesim/eesim/draws"
	"github.com/eesim/eesim/pool"
	"gonum.org/v1/gonum/stat"
)

// Backtest modes.
const (
	Replay      = "replay"
	WalkForward = "walk-forward"
)

// BacktestConfig is a backtest over real rounds.
type BacktestConfig struct {
	Mode        string
	From, To    time.Time // rounds with instants in [From, To]
	Runs        int
	Seed        uint64
	Workers     int
	Calibration CalibrationConfig
}

// Backtest predicts every real round in [From, To] and compares.
//
// Replay predicts round k on the snapshot published with it; walk-forward
// on the latest snapshot published with an earlier round, replaying the
// real rounds in between with their real types and sizes. In both the
// model is calibrated on rounds before k only: the calibrator observes
// round k after round k has been predicted. Run r of round k uses the
// random stream (Seed+k, r), which does not depend on later rounds, so a
// forecast does not change when later rounds are added to or removed from
// the feed.
func Backtest(ctx context.Context, rounds []data.Round, cfg BacktestConfig, prog Progress) ([]data.BacktestRow, *Calibrator, error) {
	if cfg.Mode != Replay && cfg.Mode != WalkForward {
		return nil, nil, fmt.Errorf("sim: backtest mode %q: want %s or %s", cfg.Mode, Replay, WalkForward)
	}
	cal := NewCalibrator(DefaultModel(), cfg.Calibration)
	var out []data.BacktestRow
	for k := range rounds {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		r := &rounds[k]
		inRange := !r.Instant.Before(cfg.From) && !r.Instant.After(cfg.To)
		if inRange {
			row, ok, err := predictRound(ctx, rounds, k, cfg, cal)
			if err != nil {
				return nil, nil, fmt.Errorf("round %s: %w", r.Number, err)
			}
			if ok {
				out = append(out, row)
			}
			if prog != nil {
				prog.Add(1)
			}
		}
		if r.Instant.After(cfg.To) {
			break
		}
		if err := cal.Observe(rounds, k); err != nil {
			return nil, nil, fmt.Errorf("calibrate on round %s: %w", r.Number, err)
		}
	}
	return out, cal, nil
}

// BacktestCount returns how many rounds Backtest will visit (for progress).
func BacktestCount(rounds []data.Round, from, to time.Time) int {
	n := 0
	for _, r := range rounds {
		if !r.Instant.Before(from) && !r.Instant.After(to) {
			n++
		}
	}
	return n
}

func predictRound(ctx context.Context, rounds []data.Round, k int, cfg BacktestConfig, cal *Calibrator) (data.BacktestRow, bool, error) {
	r := &rounds[k]
	row := data.BacktestRow{Number: r.Number, Date: r.Date, Family: r.Family(), Size: r.Invitations, Real: r.Cutoff,
		RealTie: r.TieBreak, Predicted: math.NaN(), Lo80: math.NaN(), Hi80: math.NaN()}
	row.BaseLast, row.BaseMean3 = baselines(rounds, k)
	if r.Type == data.Category {
		if cal.model.Share(r.Category) == nil {
			row.Note = fmt.Sprintf("new category %q: modelled with the mean share of the known ones", r.Category)
		}
		cal.EnsureCategory(r.Category)
	}
	model := cal.Model()
	if err := cal.EnsureCapacity(model, rounds, k, cfg.Mode); err != nil {
		return row, false, err
	}
	reg := pool.NewRegistry(pool.DefaultCategories...)
	set := DefaultSettings(model)
	if err := registerModel(set.Model, reg); err != nil {
		return row, false, err
	}
	sc, ok, err := scenarioFor(rounds, k, cfg.Mode, reg, set.Rules)
	if err != nil || !ok {
		return row, false, err
	}
	outs, err := runMany(ctx, sc, set, reg, cfg.Runs, func(run int) *pool.Rand {
		return pool.NewRand(cfg.Seed+uint64(k), uint64(run))
	}, cfg.Workers)
	if err != nil {
		return row, false, err
	}
	var cut, tie []float64
	for _, o := range outs {
		if len(o) == 0 || o[0].Cutoff < 0 {
			continue
		}
		cut = append(cut, float64(o[0].Cutoff))
		if o[0].TieBreak != 0 {
			tie = append(tie, float64(o[0].TieBreak))
		}
	}
	if len(cut) > 0 {
		sort.Float64s(cut)
		raw := stat.Quantile(0.5, stat.Empirical, cut, nil)
		pulled, beta := cal.Shrink(rounds, k, cfg.Mode, raw)
		pred, lo, hi, how := cal.Adjust(cfg.Mode, row.Family, pulled)
		if math.IsNaN(lo) {
			// No past errors yet: the runs' own spread.
			lo = stat.Quantile(0.1, stat.Empirical, cut, nil)
			hi = stat.Quantile(0.9, stat.Empirical, cut, nil)
		}
		row.Predicted, row.Lo80, row.Hi80 = pred, lo, hi
		row.Note = strings.TrimPrefix(row.Note+"; ", "; ") + fmt.Sprintf("raw median %.0f, corrected with %s", raw, how)
		if beta > 0 {
			row.Note += fmt.Sprintf("; pulled to %.0f (beta %.2f) towards the last cutoff", pulled, beta)
		}
	}
	if len(tie) > 0 {
		sort.Float64s(tie)
		row.PredTie = time.Unix(int64(stat.Quantile(0.5, stat.Empirical, tie, nil)), 0).UTC()
	}
	return row, true, nil
}

// scenarioFor builds the scenario that predicts round k: in replay mode
// from round k's own snapshot, in walk-forward mode from the latest
// snapshot published with an earlier round, replaying the real rounds in
// between. The last step is round k, recorded. It reports false when there
// is no snapshot to start from.
func scenarioFor(rounds []data.Round, k int, mode string, reg *pool.Registry, rules draws.Rules) (*Scenario, bool, error) {
	r := &rounds[k]
	snap := -1
	switch mode {
	case Replay:
		if r.Snapshot != nil {
			snap = k
		}
	default:
		for j := 0; j < k; j++ {
			if rounds[j].Snapshot != nil && rounds[j].Instant.Before(r.Instant) &&
				(snap < 0 || !rounds[j].SnapshotDate.Before(rounds[snap].SnapshotDate)) {
				snap = j
			}
		}
	}
	if snap < 0 {
		return nil, false, nil
	}
	sc, err := NewScenario(rounds, snap, r.Instant, reg, rules)
	if err != nil {
		return nil, false, err
	}
	d, err := ToDraws(r, reg)
	if err != nil {
		return nil, false, err
	}
	sc.Steps = append(sc.Steps, Step{Round: d, Record: true})
	return sc, true, nil
}

// baselines returns the naive forecasts of round k: the last cutoff of the
// same family, and the mean of its last 3 (NaN when there are none).
func baselines(rounds []data.Round, k int) (last, mean3 float64) {
	fam := rounds[k].Family()
	var prev []float64
	for j := k - 1; j >= 0 && len(prev) < 3; j-- {
		if rounds[j].Family() == fam && rounds[j].Instant.Before(rounds[k].Instant) {
			prev = append(prev, float64(rounds[j].Cutoff))
		}
	}
	if len(prev) == 0 {
		return math.NaN(), math.NaN()
	}
	return prev[0], stat.Mean(prev, nil)
}

// runMany runs scenario sc runs times in parallel; the outcomes are in run
// order whatever the number of workers.
func runMany(ctx context.Context, sc *Scenario, set Settings, reg *pool.Registry, runs int, rng func(run int) *pool.Rand, workers int) ([][]Outcome, error) {
	outs := make([][]Outcome, runs)
	err := forRuns(ctx, runs, workers, nil, func() (func(run int), error) {
		rn, err := NewRunner(sc, set, reg)
		if err != nil {
			return nil, err
		}
		return func(run int) { outs[run] = rn.Run(rng(run), nil, nil) }, nil
	})
	return outs, err
}

// FamilySummary is the accuracy of a backtest for one family.
type FamilySummary struct {
	Family                string
	N                     int
	MAE, Bias, Coverage80 float64
	NLast, NMean3         int
	MAELast, BiasLast     float64
	MAEMean3, BiasMean3   float64
}

// Summarize returns the accuracy per family, sorted by family, and the
// overall line (Family "all") last.
func Summarize(rows []data.BacktestRow) []FamilySummary {
	fams, by := data.ByFamily(rows)
	var out []FamilySummary
	for _, f := range fams {
		out = append(out, summarize(f, by[f]))
	}
	return append(out, summarize("all", rows))
}

func summarize(fam string, rows []data.BacktestRow) FamilySummary {
	s := FamilySummary{Family: fam}
	var cov int
	for _, r := range rows {
		if !math.IsNaN(r.Predicted) {
			e := r.Predicted - float64(r.Real)
			s.N++
			s.MAE += math.Abs(e)
			s.Bias += e
			if float64(r.Real) >= r.Lo80 && float64(r.Real) <= r.Hi80 {
				cov++
			}
		}
		if !math.IsNaN(r.BaseLast) {
			e := r.BaseLast - float64(r.Real)
			s.NLast++
			s.MAELast += math.Abs(e)
			s.BiasLast += e
		}
		if !math.IsNaN(r.BaseMean3) {
			e := r.BaseMean3 - float64(r.Real)
			s.NMean3++
			s.MAEMean3 += math.Abs(e)
			s.BiasMean3 += e
		}
	}
	div := func(a float64, n int) float64 {
		if n == 0 {
			return math.NaN()
		}
		return a / float64(n)
	}
	s.MAE, s.Bias, s.Coverage80 = div(s.MAE, s.N), div(s.Bias, s.N), div(float64(cov), s.N)
	s.MAELast, s.BiasLast = div(s.MAELast, s.NLast), div(s.BiasLast, s.NLast)
	s.MAEMean3, s.BiasMean3 = div(s.MAEMean3, s.NMean3), div(s.BiasMean3, s.NMean3)
	return s
}
