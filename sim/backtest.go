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
//
// Every round of the feed up to To is forecast, whatever From: the
// selection of a forecaster (selector) learns from the family's earlier
// forecasts, and the calibrator's random streams advance with each
// prediction, so a round's forecast is the same in a run from 2023 and in
// one from 2025. Only the rounds in [From, To] are returned.
//
// The forecast of a round (Predicted, Method) is the choice, per family,
// among the model, the naive baselines, the PNP regression (PNPForecast)
// and their median, of the one with the least absolute error over the
// family's earlier rounds; the first round of a category takes the
// new-family prior (NewFamilyPrior). The 80% interval is split-conformal on
// the chosen forecaster's past errors in the family (docs/model.md).
func Backtest(ctx context.Context, rounds []data.Round, cfg BacktestConfig, prog Progress) ([]data.BacktestRow, *Calibrator, error) {
	if cfg.Mode != Replay && cfg.Mode != WalkForward {
		return nil, nil, fmt.Errorf("sim: backtest mode %q: want %s or %s", cfg.Mode, Replay, WalkForward)
	}
	cal := NewCalibrator(DefaultModel(), cfg.Calibration)
	sel := newSelector()
	var out []data.BacktestRow
	for k := range rounds {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		r := &rounds[k]
		if r.Instant.After(cfg.To) {
			break
		}
		row, err := forecastRound(ctx, rounds, k, cfg, cal, sel)
		if err != nil {
			return nil, nil, fmt.Errorf("round %s: %w", r.Number, err)
		}
		if !r.Instant.Before(cfg.From) {
			if !math.IsNaN(row.Predicted) {
				out = append(out, row)
			}
			if prog != nil {
				prog.Add(1)
			}
		}
		if err := cal.Observe(rounds, k); err != nil {
			return nil, nil, fmt.Errorf("calibrate on round %s: %w", r.Number, err)
		}
	}
	return out, cal, nil
}

// forecastRound forecasts round k with the model (when it has a snapshot
// to start from) and the other forecasters, picks one with sel, and tells
// sel the outcome. The row's Predicted is NaN when nothing could forecast
// the round.
func forecastRound(ctx context.Context, rounds []data.Round, k int, cfg BacktestConfig, cal *Calibrator, sel *selector) (data.BacktestRow, error) {
	r := &rounds[k]
	fam := r.Family()
	row, ok, err := predictRound(ctx, rounds, k, cfg, cal)
	if err != nil {
		return row, err
	}
	if !ok {
		row = data.BacktestRow{Number: r.Number, Date: r.Date, Family: fam, Size: r.Invitations, Real: r.Cutoff,
			RealTie: r.TieBreak, Predicted: math.NaN(), Lo80: math.NaN(), Hi80: math.NaN()}
		row.BaseLast, row.BaseMean3 = baselines(rounds, k)
	}
	model, spreadLo, spreadHi := row.Predicted, row.Lo80, row.Hi80
	row.Model = model
	c := noCandidates()
	c[0], c[1], c[2] = model, row.BaseLast, row.BaseMean3
	if fam == "pnp" {
		if p, ok := pnpFit(rounds[:k], r.Invitations); ok {
			c[3] = p
		}
		if p, ok := pnpLogFit(rounds[:k], r.Invitations); ok {
			c[4] = p
		}
	}
	c = c.withMedian()
	real := float64(r.Cutoff)
	note := row.Note
	add := func(s string) { note = strings.TrimPrefix(note+"; "+s, "; ") }
	if r.Type == data.Category && math.IsNaN(row.BaseLast) {
		return newFamilyRound(rounds, k, row, model, sel), nil
	}
	best, errs := sel.choose(fam, c)
	if best < 0 {
		row.Predicted, row.Lo80, row.Hi80 = math.NaN(), math.NaN(), math.NaN()
		sel.observe(fam, c, real, -1, math.NaN())
		return row, nil
	}
	pred := c[best]
	row.Predicted, row.Method = pred, methods[best]
	if rad, how, ok := sel.interval(fam, errs); ok {
		row.Lo80, row.Hi80 = pred-rad, pred+rad
		add(fmt.Sprintf("%s chosen, interval from %s", methods[best], how))
	} else if best == 0 {
		// No past errors at all yet: the model's own spread.
		row.Lo80, row.Hi80 = spreadLo, spreadHi
		add("model chosen, interval from its runs")
	} else {
		row.Lo80, row.Hi80 = math.NaN(), math.NaN()
	}
	row.Note = note
	sel.observe(fam, c, real, best, pred)
	if !math.IsNaN(row.Lo80) {
		sel.adapt(fam, row.Lo80 <= real && real <= row.Hi80)
	}
	return row, nil
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
		if top, ok := recentHigh(rounds, k); ok && pred > top {
			row.Predicted = top
			row.Note += fmt.Sprintf("; model %.0f capped at the family's highest cutoff of the last 12 months", pred)
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

// newFamilyRound forecasts the first round k of a category: the interval
// is the new-family prior's (NewFamilyPrior, from the first rounds of
// earlier categories); the point is the prior's or the model's, whichever
// had the smaller total error on the first rounds of earlier categories
// (the model when none, as the selector's default). The selector learns
// this choice as family "new-family".
func newFamilyRound(rounds []data.Round, k int, row data.BacktestRow, model float64, sel *selector) data.BacktestRow {
	r := &rounds[k]
	pred, lo, hi, _ := NewFamilyPrior(rounds[:k], r.Instant, r.Invitations, "")
	c := noCandidates()
	c[0], c[1] = model, pred // the prior takes the slot of "last": a new family has none
	best, _ := sel.choose(newFamily, c)
	point, which := c[best], "model"
	if best != 0 {
		which = "prior"
	}
	row.Predicted, row.Method = point, MethodNewFamily+":"+which
	row.Lo80, row.Hi80 = math.Min(lo, point), math.Max(hi, point)
	row.Note = strings.TrimPrefix(row.Note+"; ", "; ") + fmt.Sprintf("new family: interval from the prior of %d earlier first rounds (prior median %.0f), point from the %s",
		len(FirstRounds(rounds[:k], r.Instant)), pred, which)
	sel.observe(newFamily, c, float64(r.Cutoff), best, point)
	sel.observe(r.Family(), noCandidates(), float64(r.Cutoff), -1, point)
	return row
}

// newFamily is the selector's family of the first rounds of categories.
const newFamily = "new-family"

// recentHigh returns the highest cutoff of round k's family in the 12
// months before it, and false if it had no round then. The model's
// forecast is capped there (predictRound): profiles expire 12 months after
// submission (IRCC, "Express Entry: after you submit a profile"), so the
// rounds of the last 12 months drew on the pool that round k draws on, and
// a cutoff above all of them needs the pool to have grown at the top,
// which the model gets wrong when it misplaces the nominees (general round
// 2023-07-04 of 700: model 838, real 511). See docs/model.md.
func recentHigh(rounds []data.Round, k int) (float64, bool) {
	r := &rounds[k]
	hi, ok := math.Inf(-1), false
	for j := k - 1; j >= 0; j-- {
		q := &rounds[j]
		if q.Instant.Before(r.Instant.AddDate(-1, 0, 0)) {
			break
		}
		if q.Family() == r.Family() && q.Instant.Before(r.Instant) {
			hi, ok = math.Max(hi, float64(q.Cutoff)), true
		}
	}
	return hi, ok
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
//
// The baseline columns count only the rounds that have a baseline (a
// family's first round has none): NLast and NMean3 rounds (equal: both
// need one earlier round). MAEOnBase is the forecast's MAE over those same
// rounds, the fair comparison with them.
type FamilySummary struct {
	Family                string
	N                     int
	MAE, Bias, Coverage80 float64
	MAEOnBase             float64
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
	var cov, nOn int
	for _, r := range rows {
		if !math.IsNaN(r.Predicted) && !math.IsNaN(r.BaseLast) {
			nOn++
			s.MAEOnBase += math.Abs(r.Predicted - float64(r.Real))
		}
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
	s.MAEOnBase = div(s.MAEOnBase, nOn)
	s.MAELast, s.BiasLast = div(s.MAELast, s.NLast), div(s.BiasLast, s.NLast)
	s.MAEMean3, s.BiasMean3 = div(s.MAEMean3, s.NMean3), div(s.BiasMean3, s.NMean3)
	return s
}
