package main

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"time"

	"github.com/eesim/eesim/data"
	"github.com/eesim/eesim/pool"
	"github.com/eesim/eesim/sim"
	"github.com/eesim/eesim/sim/schedule"
	"github.com/spf13/cobra"
)

// projection is what simulate, odds and whatif set up from their flags
// before they run: the feed, the start, the schedule and the pool model.
// Each step is a method, so that every command takes them in its own
// order (its checks first).
type projection struct {
	feed    *data.Feed
	start   time.Time
	snap    int // index of the round whose snapshot the pool starts from
	horizon time.Duration
	sched   []schedule.ScheduledRound
	recent  *sim.RecentDraw // nil with a user's schedule
	model   *pool.Model
	errs    *sim.ErrorModel
	calib   map[string]any
	set     sim.Settings
}

// newProjection loads the feed and resolves --start (projectionStart).
func newProjection(s *streams, o *projectionFlags, horizon time.Duration) (*projection, error) {
	feed, start, snap, err := projectionStart(s, o.Rounds, o.Start)
	if err != nil {
		return nil, err
	}
	return &projection{feed: feed, start: start, snap: snap, horizon: horizon}, nil
}

// end is the end of the horizon.
func (p *projection) end() time.Time { return p.start.Add(p.horizon) }

// buildSchedule sets the schedule (buildSchedule) with the --draw-size
// overrides sizes.
func (p *projection) buildSchedule(o *projectionFlags, sizes []string) error {
	var err error
	p.sched, p.recent, err = buildSchedule(p.feed.Rounds, o.Schedule, p.start, p.horizon, o.Seed, sizes)
	return err
}

// loadModel sets the pool model, its error and the settings (loadModel).
func (p *projection) loadModel(s *streams, o *projectionFlags) error {
	var err error
	p.model, p.errs, p.calib, err = loadModel(o.Model, p.feed.Rounds, p.start, p.sched, s)
	if err != nil {
		return err
	}
	p.set = sim.DefaultSettings(p.model)
	return nil
}

// config is the projection's sim.Config.
func (p *projection) config(o *projectionFlags) sim.Config {
	return sim.Config{Start: p.start, Schedule: p.sched, Runs: o.Runs, Seed: o.Seed, Workers: o.Workers, Settings: p.set,
		Errors: p.errs, Recent: p.recent}
}

// snapshotDate is the date of the pool distribution the runs start from.
func (p *projection) snapshotDate() string {
	return p.feed.Rounds[p.snap].SnapshotDate.Format(time.DateOnly)
}

// record is the RunRecord of the projection for command.
func (p *projection) record(command string, o *projectionFlags) RunRecord {
	set := settingsOf(p.set)
	r := newRunRecord(command)
	r.Start, r.SnapshotDate, r.Horizon = p.start, p.snapshotDate(), o.Horizon
	r.Runs, r.Seed = o.Runs, o.Seed
	r.RoundsSource, r.ScheduleSource = p.feed.Source, o.Schedule
	r.Schedule, r.Settings, r.Model, r.Calibration = scheduleEntries(p.sched), &set, p.model, p.calib
	return r
}

// projectionFlags are the flags of every command that runs the projection
// (simulate, odds, whatif).
type projectionFlags struct {
	Rounds   string
	Start    string
	Horizon  string
	Schedule string
	Runs     int
	Seed     uint64
	Workers  int
	Model    string
	Out      string
}

// projectionDefaults are what differs between those commands' flags.
type projectionDefaults struct {
	horizon      string
	runs         int
	runsHelp     string
	seedHelp     string
	scheduleHelp string
	out          string
}

func (o *projectionFlags) bind(cmd *cobra.Command, d projectionDefaults) {
	f := cmd.Flags()
	f.StringVar(&o.Rounds, "rounds", "", roundsFlagHelp)
	f.StringVar(&o.Start, "start", "", "projection start `DATE` (YYYY-MM-DD; default: the day after the feed's last round)")
	f.StringVar(&o.Horizon, "horizon", d.horizon, "how far to project (e.g. 6mo, 90d, 1y)")
	f.StringVar(&o.Schedule, "schedule", "recent", d.scheduleHelp+": a CSV or JSON `FILE`, or \"recent\" to repeat the last 6 months")
	f.IntVar(&o.Runs, "runs", d.runs, d.runsHelp)
	f.Uint64Var(&o.Seed, "seed", 1, d.seedHelp)
	f.IntVar(&o.Workers, "workers", 0, "parallel workers (default: one per CPU); results do not depend on it")
	f.StringVar(&o.Model, "model", "", "pool model `FILE` (JSON from eesim calibrate --write), or \"default\" for the uncalibrated priors (default: calibrated on the feed before --start)")
	f.StringVar(&o.Out, "out", d.out, "output `DIR`")
}

// checkRunFlags checks the flags every Monte Carlo command shares and
// returns the horizon.
func checkRunFlags(runs, workers int, horizon string) (time.Duration, error) {
	if err := checkRange("runs", runs, 1, sim.MaxRuns); err != nil {
		return 0, err
	}
	if err := checkRange("workers", workers, 0, sim.MaxWorkers); err != nil {
		return 0, err
	}
	h, err := parseHorizon(horizon)
	return h, badInput(err)
}

// projectionStart loads the feed and resolves --start (default: the day
// after the feed's last round), with the index of the latest round whose
// published snapshot is on or before it.
func projectionStart(s *streams, roundsPath, startFlag string) (*data.Feed, time.Time, int, error) {
	feed, err := loadFeed(roundsPath, s)
	if err != nil {
		return nil, time.Time{}, 0, err
	}
	start := sim.DefaultStart(feed.Rounds)
	if startFlag != "" {
		if start, err = sim.ParseDate(startFlag); err != nil {
			return nil, time.Time{}, 0, badInputf("--start: %v", err)
		}
	}
	snap := sim.LatestSnapshot(feed.Rounds, start)
	if snap < 0 {
		return nil, time.Time{}, 0, badInputf("--start %s: no published pool distribution on or before it (the first is in January 2022)", start.Format(time.DateOnly))
	}
	return feed, start, snap, nil
}

// buildSchedule returns the rounds to project from start. With the
// recent schedule it also returns how every run draws its own (the
// schedule returned is run 0's, which config.json shows and the pilot run
// uses); a user's schedule is the same in every run.
func buildSchedule(rounds []data.Round, spec string, start time.Time, horizon time.Duration, seed uint64, sizes []string) ([]schedule.ScheduledRound, *sim.RecentDraw, error) {
	var sched []schedule.ScheduledRound
	var recent *sim.RecentDraw
	if isRecent(spec) {
		var before []data.Round
		for _, r := range rounds {
			if r.Instant.Before(start) {
				before = append(before, r)
			}
		}
		recent = &sim.RecentDraw{Rounds: before, Horizon: horizon}
		sched = recent.Draw(start, seed, 0)
		if len(sched) == 0 {
			return nil, nil, badInputf("schedule recent: no real rounds in the months before %s to repeat", start.Format(time.DateOnly))
		}
	} else {
		var err error
		sched, err = schedule.LoadSchedule(spec, start)
		if err != nil {
			return nil, nil, badInput(err)
		}
	}
	if len(sizes) > 0 {
		m, err := schedule.ParseDrawSizes(sizes)
		if err != nil {
			return nil, nil, badInput(err)
		}
		if err := schedule.ApplySizeOverrides(sched, m); err != nil {
			return nil, nil, badInput(err)
		}
		if recent != nil {
			recent.Sizes = m
		}
	}
	return sched, recent, nil
}

// isRecent reports whether a --schedule value is the recent schedule.
func isRecent(spec string) bool { return spec == "" || spec == "recent" }

// loadModel returns the pool model: from a model file written by
// `eesim calibrate --write`, or calibrated on the rounds before start.
// With the calibrated model comes its own error, measured on the same
// rounds (sim.ErrorModel); a model from elsewhere has none, and the
// runs' spread is then Monte Carlo noise only, which it says.
//
// The error model is completed from the record for sched
// (sim.ErrorModel.WithRecord): the PNP line, and a prior for a family with
// no round before start.
func loadModel(path string, rounds []data.Round, start time.Time, sched []schedule.ScheduledRound, s *streams) (*pool.Model, *sim.ErrorModel, map[string]interface{}, error) {
	if path == "default" {
		s.warnf("--model default: no measured model error; the bands are Monte Carlo noise only")
		return sim.DefaultModel(), nil, map[string]interface{}{"model": "default (uncalibrated)"}, nil
	}
	if path == "" {
		cal, err := sim.Calibrate(rounds, start, calibrationCache(s))
		if err != nil {
			return nil, nil, nil, err
		}
		for _, n := range cal.Notes {
			s.warnf("calibration: %s", n)
		}
		info := map[string]interface{}{
			"as_of":           start,
			"rounds_observed": cal.Observed,
			"scale":           sim.DefaultCalibration.Scale,
			"rate":            sim.DefaultCalibration.Rate,
			"seed":            sim.DefaultCalibration.Seed,
			// How far one-round-ahead forecasts of each family were off
			// (simulated minus real cutoff) over its last 15 rounds: the
			// model's own error, which the runs' spread does not include.
			"walk_forward_errors": cal.Errors,
		}
		errs := cal.ErrorModel.WithRecord(rounds, start, sched)
		info["error_model"] = errs
		return cal.Model, errs, info, nil
	}
	b, err := readFile(path)
	if err != nil {
		return nil, nil, nil, badInput(err)
	}
	var m pool.Model
	if err := data.DecodeJSON(b, &m); err != nil {
		return nil, nil, nil, badInputf("--model %s: %v", path, err)
	}
	s.warnf("--model %s: no measured model error; the bands are Monte Carlo noise only", path)
	return &m, nil, map[string]interface{}{"model_file": path}, nil
}

// writeModelErrors prints how far one-round-ahead forecasts of each family
// were off while calibrating: the model's own error, which the spread of
// the runs does not include.
func writeModelErrors(w io.Writer, errs map[string]sim.ErrorSummary) {
	fams := slices.Sorted(maps.Keys(errs))
	fmt.Fprintln(w, "model error one round ahead (simulated minus real cutoff, p10/p50/p90 over each family's last rounds);")
	fmt.Fprintln(w, "the runs add it to their cutoffs, so the bands below are predictive bands:")
	for _, f := range fams {
		e := errs[f]
		fmt.Fprintf(w, "  %-12s n=%2d  %+4.0f %+4.0f %+4.0f\n", f, e.N, e.P10, e.P50, e.P90)
	}
}
