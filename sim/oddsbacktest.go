package sim

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/eesim/eesim/data"
	"github.com/eesim/eesim/pool"
)

// OddsBacktestConfig is a walk-forward backtest of invitation odds.
type OddsBacktestConfig struct {
	// From and To bound the starts: the first of each month in [From, To].
	From, To time.Time
	// RecordEnd is how far the record is known to be complete: a month is
	// scored only when its end is on or before it. Zero means the instant
	// of the last round of the feed (a feed ends where it was fetched, not
	// where the rounds stop: give a later date only when you know there
	// was no round in between).
	RecordEnd time.Time
	Months    int // months scored after each start; 0 means 8
	Runs      int // Monte Carlo runs per start; 0 means 200
	Seed      uint64
	Workers   int
	// Grid is the candidates; nil means DefaultOddsGrid at each start.
	Grid        []GridCandidate
	Calibration CalibrationConfig
}

// DefaultOddsBacktest holds the defaults of OddsBacktestConfig.
var DefaultOddsBacktest = OddsBacktestConfig{Months: 8, Runs: 200, Seed: 1, Calibration: DefaultCalibration}

// OddsBacktestStart is what one start of an odds backtest ran.
type OddsBacktestStart struct {
	Start        time.Time `json:"start"`
	SnapshotDate time.Time `json:"snapshot_date"` // the pool distribution the runs start from
	Scheduled    int       `json:"scheduled"`     // projected rounds (the recent schedule)
	Candidates   int       `json:"candidates"`
	Months       int       `json:"months"`  // months scored (RecordEnd allowing)
	Skipped      string    `json:"skipped"` // why the start was skipped, or ""
}

// OddsBacktestResult is the outcome of OddsBacktest.
type OddsBacktestResult struct {
	Rows      []data.OddsBacktestRow // by start, candidate, month
	Starts    []OddsBacktestStart
	RecordEnd time.Time
	Notes     []string // calibration notes and skipped grid rows, once each
}

// OddsBacktestStarts returns the starts of cfg with at least one month
// scored: the first of each month in [From, To] whose first month ends on
// or before the record's end.
func OddsBacktestStarts(rounds []data.Round, cfg OddsBacktestConfig) []time.Time {
	end := recordEnd(rounds, cfg)
	s := time.Date(cfg.From.Year(), cfg.From.Month(), 1, 0, 0, 0, 0, time.UTC)
	if s.Before(cfg.From) {
		s = s.AddDate(0, 1, 0)
	}
	var out []time.Time
	for ; !s.After(cfg.To); s = s.AddDate(0, 1, 0) {
		if !s.AddDate(0, 1, 0).After(end) {
			out = append(out, s)
		}
	}
	return out
}

func recordEnd(rounds []data.Round, cfg OddsBacktestConfig) time.Time {
	if !cfg.RecordEnd.IsZero() || len(rounds) == 0 {
		return cfg.RecordEnd
	}
	return rounds[len(rounds)-1].Instant
}

// OddsBacktest forecasts the odds of synthetic candidates at monthly
// starts and scores them against what the real rounds did.
//
// Method, per start S (OddsBacktestStarts):
//  1. Only the rounds before S are known: the pool model is the
//     calibration as of S (one Calibrator walked forward through the
//     rounds: the same model as CalibrateAsOf(rounds, S), as `eesim
//     simulate --start S` uses), the schedule is schedule.RecentSchedule of the
//     rounds before S with the seed's schedule stream (as `eesim simulate`
//     draws it), and Project runs on the rounds before S only, so that not
//     even a snapshot published with a later round is seen.
//  2. The candidates are the grid at S (DefaultOddsGrid, or cfg.Grid with
//     offsets taken from each family's last cutoff in the 12 months before
//     S).
//  3. For each candidate and month m, the forecast P is the share of runs
//     in which FirstInvitation, applied to the run's own rounds (rows
//     grouped by run: runs may differ in their rounds), is a round before
//     S + m months; the truth is FirstInvitation on the real rounds from
//     S. A month is scored only if S + m is on or before the record's end.
//  4. The naive forecast is 1 when a family the candidate may be ranked in,
//     with a round in the 12 months before S, had its last cutoff at or
//     below the candidate's score, else 0, the same for every month.
//
// Progress counts runs (Runs per start). Results do not depend on
// cfg.Workers.
func OddsBacktest(ctx context.Context, rounds []data.Round, cfg OddsBacktestConfig, prog Progress) (*OddsBacktestResult, error) {
	if cfg.Months <= 0 {
		cfg.Months = DefaultOddsBacktest.Months
	}
	if cfg.Runs <= 0 {
		cfg.Runs = DefaultOddsBacktest.Runs
	}
	if len(rounds) == 0 {
		return nil, errors.New("sim: odds backtest: no rounds")
	}
	res := &OddsBacktestResult{RecordEnd: recordEnd(rounds, cfg)}
	noted := map[string]bool{}
	note := func(s string) {
		if !noted[s] {
			noted[s] = true
			res.Notes = append(res.Notes, s)
		}
	}
	real := InviteRoundsOf(rounds)
	cal := NewCalibrator(DefaultModel(), cfg.Calibration)
	k := 0 // rounds[:k] are before the start
	for _, s := range OddsBacktestStarts(rounds, cfg) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var err error
		if k, err = calibrateTo(cal, rounds, k, s); err != nil {
			return nil, err
		}
		for _, n := range cal.Notes {
			note("calibration: " + n)
		}
		st, rows, err := oddsAtStart(ctx, rounds[:k], real[k:], s, res.RecordEnd, cal.Model(), cal.ErrorModel(), cfg, note, prog)
		if err != nil {
			return nil, fmt.Errorf("start %s: %w", s.Format(time.DateOnly), err)
		}
		res.Starts = append(res.Starts, st)
		res.Rows = append(res.Rows, rows...)
	}
	return res, nil
}

// calibrateTo has cal, which has observed rounds[:k], observe every
// later round before s, and returns the index of the first round not
// before s. Walked forward from NewCalibrator(DefaultModel(), cfg), its
// model is then CalibrateAsOf(rounds, s, cfg)'s: Observe depends only on
// the rounds and on what the calibrator observed before
// (TestCalibrateToMatchesAsOf).
func calibrateTo(cal *Calibrator, rounds []data.Round, k int, s time.Time) (int, error) {
	for ; k < len(rounds) && rounds[k].Instant.Before(s); k++ {
		if err := cal.Observe(rounds, k); err != nil {
			return k, fmt.Errorf("calibrate on round %s: %w", rounds[k].Number, err)
		}
	}
	return k, nil
}

// gridMember is a grid candidate at a start.
type gridMember struct {
	g      GridCandidate
	c      Candidate
	anchor int
}

// resolveGrid gives the grid candidates their scores and submission
// instants at start; a relative candidate whose family had no round in
// the 12 months before start is left out, and noted.
func resolveGrid(grid []GridCandidate, recent []familyCutoff, start time.Time, note func(string)) []gridMember {
	last := map[string]int{}
	for _, f := range recent {
		last[f.family] = f.cutoff
	}
	var out []gridMember
	seen := map[string]bool{}
	for _, g := range grid {
		anchor, ok := last[g.Family]
		if !ok {
			anchor = -1
		}
		score := g.Score
		if g.Relative {
			if !ok {
				note(fmt.Sprintf("grid: family %s has no round in the 12 months before %s: its score_offset candidates are left out there", g.Family, start.Format(time.DateOnly)))
				continue
			}
			score = anchor + g.Offset
			lo := 0
			if g.Nominated {
				lo = pool.NominationPoints
			}
			score = max(lo, min(pool.MaxScore, score))
		}
		c := Candidate{Score: score, Programs: g.Programs, Categories: g.Categories, Nominated: g.Nominated,
			Submitted: start.AddDate(0, 0, -g.SubmittedDaysBefore)}
		// Offsets clamped to the same score are the same candidate.
		key := fmt.Sprint(g.Family, c.Score, c.Programs, c.Categories, c.Nominated, g.SubmittedDaysBefore)
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, gridMember{g: g, c: c, anchor: anchor})
	}
	return out
}

// oddsAtStart runs the projection from start on the rounds before it
// (known) and scores the grid against the real rounds from it (after).
func oddsAtStart(ctx context.Context, known []data.Round, after []InviteRound, start, end time.Time, model *pool.Model, errs *ErrorModel,
	cfg OddsBacktestConfig, note func(string), prog Progress) (OddsBacktestStart, []data.OddsBacktestRow, error) {
	st := OddsBacktestStart{Start: start}
	skip := func(why string) (OddsBacktestStart, []data.OddsBacktestRow, error) {
		st.Skipped = why
		if prog != nil {
			prog.Add(cfg.Runs)
		}
		return st, nil, nil
	}
	var by []time.Time
	for m := 1; m <= cfg.Months; m++ {
		if t := start.AddDate(0, m, 0); !t.After(end) {
			by = append(by, t)
		}
	}
	st.Months = len(by)
	snap := LatestSnapshot(known, start)
	if snap < 0 {
		return skip("no published pool distribution before the start")
	}
	st.SnapshotDate = known[snap].SnapshotDate
	horizon := start.AddDate(0, cfg.Months, 0).Sub(start)
	// The schedule's own stream, as `eesim simulate` draws it.
	recentDraw := &RecentDraw{Rounds: known, Horizon: horizon}
	sched := recentDraw.Draw(start, cfg.Seed, 0)
	st.Scheduled = len(sched)
	// Run 0's silences and pauses may leave it no round; the record's
	// schedule before them says whether there is anything to repeat.
	if len(recentDraw.unpaused(start, cfg.Seed, 0)) == 0 {
		return skip("no real rounds in the months before the start to repeat")
	}
	recent := recentFamilies(known, start)
	grid := cfg.Grid
	if grid == nil {
		grid = DefaultOddsGrid(known, start)
	}
	members := resolveGrid(grid, recent, start, note)
	st.Candidates = len(members)
	if len(members) == 0 {
		return skip("no grid candidate has a family with a round in the 12 months before the start")
	}
	// As `eesim simulate` runs: every run draws its own schedule and adds
	// the model's own error, both from the record before the start.
	pc := Config{Start: start, Schedule: sched, Runs: cfg.Runs, Seed: cfg.Seed, Workers: cfg.Workers, Settings: DefaultSettings(model),
		Recent: recentDraw, Errors: errs.WithRecord(known, start, sched)}
	rows, err := Project(ctx, known, pc, pool.NewRegistry(pool.DefaultCategories...), prog)
	if err != nil {
		return st, nil, err
	}
	runs := runRounds(rows, cfg.Runs)
	out := make([]data.OddsBacktestRow, 0, len(members)*len(by))
	for _, gm := range members {
		iv := newInvitee(gm.c)
		invited, decided := iv.forecast(runs, start, by)
		var invitedAt time.Time
		if i := iv.first(after, start); i >= 0 {
			invitedAt = after[i].Instant
		}
		naive := 0.0
		for _, f := range recent {
			if f.cutoff <= gm.c.Score && iv.canRank(f.family, start) {
				naive = 1
				break
			}
		}
		for m, t := range by {
			row := data.OddsBacktestRow{Start: start, Month: m + 1, By: t, Family: gm.g.Family, Programs: gm.c.Programs,
				Categories: gm.c.Categories, Nominated: gm.c.Nominated, Score: gm.c.Score, Relative: gm.g.Relative,
				Anchor: gm.anchor, Submitted: gm.c.Submitted, Runs: len(runs), Naive: naive, Decided: decided[m],
				RunsInvited: invited[m], Invited: !invitedAt.IsZero() && invitedAt.Before(t)}
			if gm.g.Relative {
				row.Offset = gm.c.Score - gm.anchor
			}
			if row.Invited {
				row.InvitedAt = invitedAt
			}
			if row.Runs > 0 {
				row.P = RunShare(row.RunsInvited, row.Runs, row.Decided)
			}
			out = append(out, row)
		}
	}
	return st, out, nil
}

// forecast returns, for each instant of by, how many runs invited the
// candidate in a round before it (FirstInvitation on the run's rounds
// from start), and whether the rules rule them out of every round before
// it (ruledOut): the only case in which the probability is exactly 0.
func (iv *invitee) forecast(runs [][]InviteRound, start time.Time, by []time.Time) (invited []int, decided []bool) {
	invited = make([]int, len(by))
	decided = make([]bool, len(by))
	for m, t := range by {
		decided[m] = iv.ruledOut(t)
	}
	for _, rr := range runs {
		inv := iv.first(rr, start)
		for m, t := range by {
			if inv >= 0 && rr[inv].Instant.Before(t) {
				invited[m]++
			}
		}
	}
	return invited, decided
}

// runRounds groups a projection's rows by run, in run order, each run's
// rounds in time order. Runs may differ in their rounds.
func runRounds(rows []data.RunRow, runs int) [][]InviteRound {
	by := make([][]data.RunRow, runs)
	for _, r := range rows {
		by[r.Run] = append(by[r.Run], r)
	}
	out := make([][]InviteRound, runs)
	for i := range by {
		out[i] = InviteRoundsOfRun(by[i])
	}
	return out
}

// LogLossClip is how far from 0 and 1 LogLoss clips probabilities: a
// forecast of exactly 0 or 1 that misses would otherwise cost an
// infinite loss. Brier scores are not clipped.
const LogLossClip = 1e-3

// Brier returns the Brier score of forecasts p of events y: the mean of
// (p - y)² (Brier, Monthly Weather Review 1950). NaN when there are none.
func Brier(p []float64, y []bool) float64 {
	if len(p) == 0 {
		return math.NaN()
	}
	s := 0.0
	for i := range p {
		d := p[i] - b2f(y[i])
		s += d * d
	}
	return s / float64(len(p))
}

// LogLoss returns the mean negative natural log of the probability the
// forecasts p gave to what happened, with p clipped to [LogLossClip,
// 1 - LogLossClip] (Good, JRSS B 1952). NaN when there are none.
func LogLoss(p []float64, y []bool) float64 {
	if len(p) == 0 {
		return math.NaN()
	}
	s := 0.0
	for i := range p {
		q := math.Max(LogLossClip, math.Min(1-LogLossClip, p[i]))
		if y[i] {
			s -= math.Log(q)
		} else {
			s -= math.Log(1 - q)
		}
	}
	return s / float64(len(p))
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// Reliability returns the reliability table of forecasts p of events y in
// bins equal bins of [0, 1]: bin i holds p in [i/bins, (i+1)/bins), the
// last bin also p = 1. Panics if bins < 1.
func Reliability(p []float64, y []bool, bins int) []data.ReliabilityBin {
	if bins < 1 {
		panic("sim: Reliability with fewer than 1 bin")
	}
	out := make([]data.ReliabilityBin, bins)
	sumP := make([]float64, bins)
	hits := make([]int, bins)
	for i, v := range p {
		b := min(bins-1, max(0, int(v*float64(bins))))
		out[b].N++
		sumP[b] += v
		if y[i] {
			hits[b]++
		}
	}
	for b := range out {
		out[b].Lo, out[b].Hi = float64(b)/float64(bins), float64(b+1)/float64(bins)
		out[b].MeanP, out[b].Observed = math.NaN(), math.NaN()
		if n := out[b].N; n > 0 {
			out[b].MeanP = sumP[b] / float64(n)
			out[b].Observed = float64(hits[b]) / float64(n)
		}
	}
	return out
}

// OddsScore is the accuracy of the odds forecasts of one family (or "all").
type OddsScore struct {
	Family  string
	N       int     // scored forecasts (candidate, start, month)
	Invited float64 // share of them that the record invited
	Brier   float64
	LogLoss float64 // clipped: see LogLossClip
	// The naive forecast's scores.
	NaiveBrier, NaiveLogLoss float64
	// Exact counts eesim probabilities of exactly 0 or 1; Undecided those
	// of them the rules did not decide (OddsBacktestRow.Decided).
	Exact, Undecided int
}

// ScoreOdds returns the scores per family, sorted, and the overall line
// (Family "all") last.
func ScoreOdds(rows []data.OddsBacktestRow) []OddsScore {
	by := map[string][]data.OddsBacktestRow{}
	for _, r := range rows {
		by[r.Family] = append(by[r.Family], r)
	}
	fams := make([]string, 0, len(by))
	for f := range by {
		fams = append(fams, f)
	}
	slices.Sort(fams)
	var out []OddsScore
	for _, f := range fams {
		out = append(out, scoreOdds(f, by[f]))
	}
	return append(out, scoreOdds("all", rows))
}

func scoreOdds(fam string, rows []data.OddsBacktestRow) OddsScore {
	p, naive, y := OddsForecasts(rows)
	s := OddsScore{Family: fam, N: len(rows), Brier: Brier(p, y), LogLoss: LogLoss(p, y),
		NaiveBrier: Brier(naive, y), NaiveLogLoss: LogLoss(naive, y), Invited: math.NaN()}
	hits := 0
	for _, r := range rows {
		if r.Invited {
			hits++
		}
		if r.P == 0 || r.P == 1 {
			s.Exact++
			if !r.Decided {
				s.Undecided++
			}
		}
	}
	if len(rows) > 0 {
		s.Invited = float64(hits) / float64(len(rows))
	}
	return s
}

// OddsForecasts returns the eesim and naive forecasts of rows and what
// happened.
func OddsForecasts(rows []data.OddsBacktestRow) (p, naive []float64, y []bool) {
	p = make([]float64, len(rows))
	naive = make([]float64, len(rows))
	y = make([]bool, len(rows))
	for i, r := range rows {
		p[i], naive[i], y[i] = r.P, r.Naive, r.Invited
	}
	return p, naive, y
}
