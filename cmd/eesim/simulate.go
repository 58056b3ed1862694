package main

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/eesim/eesim/data"
	"github.com/eesim/eesim/pool"
	"github.com/eesim/eesim/sim"
	"github.com/eesim/eesim/sim/schedule"
	"github.com/spf13/cobra"
)

func init() { register(newSimulateCmd) }

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

type simulateOptions struct {
	projectionFlags
	DrawSize []string
	Parquet  bool
	Shard    string
}

func newSimulateCmd(s *streams) *cobra.Command {
	o := &simulateOptions{}
	cmd := &cobra.Command{
		Use:   "simulate",
		Short: "Project cutoff scores by Monte Carlo on a synthetic pool",
		Long: `Simulate builds a synthetic candidate pool from the latest published CRS
distribution on or before --start, replays the real rounds since that
snapshot, then runs the scheduled rounds --runs times, each run with a fresh
pool and fresh arrivals. It writes runs.arrow (one row per run and round),
quantiles.csv (cutoff quantiles per projected round), fan charts per round
family (fan-<family>.png) and config.json, the configuration of the run.`,
		Example: `  eesim simulate --out out/sim
  eesim simulate --horizon 12mo --runs 2000 --seed 7 --draw-size CEC=3000 --out out/cec3000
  eesim simulate --schedule my-rounds.csv --parquet --out out/custom
  eesim simulate --runs 1000 --shard 2/4 --parquet --out out/shard-2`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runSimulate(cmd, s, o) },
	}
	o.projectionFlags.bind(cmd, projectionDefaults{horizon: "6mo", runs: 1000, runsHelp: "number of Monte Carlo runs",
		seedHelp: "random seed: the same seed gives the same outputs", scheduleHelp: "rounds to project", out: "out/sim"})
	f := cmd.Flags()
	f.StringArrayVar(&o.DrawSize, "draw-size", nil, "override the size of a family's rounds, `FAMILY=N` (repeatable)")
	f.BoolVar(&o.Parquet, "parquet", false, "also write runs.parquet")
	f.StringVar(&o.Shard, "shard", "", "run only the k-th of n slices of the runs, `k/n` (same per-run seeds)")
	return cmd
}

// parseDate parses YYYY-MM-DD or RFC 3339 as UTC.
func parseDate(s string) (time.Time, error) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a date (YYYY-MM-DD or RFC 3339)", s)
	}
	return t.UTC(), nil
}

func parseShard(s string) (sim.Shard, error) {
	if s == "" {
		return sim.Shard{}, nil
	}
	k, n, ok := strings.Cut(s, "/")
	ki, err1 := strconv.Atoi(k)
	ni, err2 := strconv.Atoi(n)
	if !ok || err1 != nil || err2 != nil || ni < 1 || ki < 1 || ki > ni {
		return sim.Shard{}, fmt.Errorf("--shard %q: want k/n with 1 <= k <= n", s)
	}
	return sim.Shard{K: ki, N: ni}, nil
}

// simConfigFile is config.json: everything needed to reproduce a run.
type simConfigFile struct {
	Tool         string                 `json:"tool"`
	Command      string                 `json:"command"`
	Start        time.Time              `json:"start"`
	SnapshotDate string                 `json:"snapshot_date"`
	Horizon      string                 `json:"horizon"`
	Runs         int                    `json:"runs"`
	Seed         uint64                 `json:"seed"`
	Shard        string                 `json:"shard,omitempty"`
	ShardRuns    [2]int                 `json:"shard_runs"`
	RoundsSource string                 `json:"rounds_source"`
	ScheduleSrc  string                 `json:"schedule_source"`
	DrawSizes    []string               `json:"draw_sizes,omitempty"`
	Schedule     []scheduleEntry        `json:"schedule"`
	Settings     settingsFile           `json:"settings"`
	Model        *pool.Model            `json:"model"`
	Calibration  map[string]interface{} `json:"calibration,omitempty"`
}

type scheduleEntry struct {
	Instant  time.Time `json:"instant"`
	Family   string    `json:"family"`
	Type     string    `json:"type"`
	Programs string    `json:"programs,omitempty"`
	Category string    `json:"category,omitempty"`
	Version  string    `json:"version,omitempty"`
	Size     int       `json:"size"`
}

type settingsFile struct {
	DeclineShare             float64 `json:"decline_share"`
	DeclineDelayDays         float64 `json:"decline_delay_days"`
	ArrivalScale             float64 `json:"arrival_scale"`
	NomineesInProgramRounds  bool    `json:"nominees_in_program_rounds"`
	NomineesInCategoryRounds bool    `json:"nominees_in_category_rounds"`
}

func scheduleEntries(sched []schedule.ScheduledRound) []scheduleEntry {
	out := make([]scheduleEntry, len(sched))
	for i, r := range sched {
		out[i] = scheduleEntry{Instant: r.Instant.UTC(), Family: r.Family(), Type: r.Type.String(),
			Programs: r.Programs.String(), Category: r.CategoryKey, Version: r.Version, Size: r.Size}
	}
	return out
}

func settingsOf(set sim.Settings) settingsFile {
	return settingsFile{
		DeclineShare: set.DeclineShare, DeclineDelayDays: set.DeclineDelay.Hours() / 24,
		ArrivalScale:            set.ArrivalScale,
		NomineesInProgramRounds: set.Rules.NomineesInProgramRounds, NomineesInCategoryRounds: set.Rules.NomineesInCategoryRounds,
	}
}

// checkRunFlags checks the flags every Monte Carlo command shares and
// returns the horizon.
func checkRunFlags(runs, workers int, horizon string) (time.Duration, error) {
	if runs < 1 {
		return 0, badInputf("--runs %d: want at least 1", runs)
	}
	if workers < 0 {
		return 0, badInputf("--workers %d: want 0 (one per CPU) or more", workers)
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
		if start, err = parseDate(startFlag); err != nil {
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

func runSimulate(cmd *cobra.Command, s *streams, o *simulateOptions) error {
	horizon, err := checkRunFlags(o.Runs, o.Workers, o.Horizon)
	if err != nil {
		return err
	}
	shard, err := parseShard(o.Shard)
	if err != nil {
		return badInput(err)
	}
	feed, start, snap, err := projectionStart(s, o.Rounds, o.Start)
	if err != nil {
		return err
	}
	rounds := feed.Rounds
	sched, recent, err := buildSchedule(rounds, o.Schedule, start, horizon, o.Seed, o.DrawSize)
	if err != nil {
		return err
	}
	model, errs, calib, err := loadModel(o.Model, rounds, start, sched, s)
	if err != nil {
		return err
	}
	set := sim.DefaultSettings(model)
	reg := pool.NewRegistry(pool.DefaultCategories...)
	cfg := sim.Config{Start: start, Schedule: sched, Runs: o.Runs, Seed: o.Seed, Workers: o.Workers, Shard: shard, Settings: set, Errors: errs, Recent: recent}

	fs, err := data.NewFileSet(o.Out)
	if err != nil {
		return err
	}
	defer fs.Abort()

	lo, hi := shard.Range(o.Runs)
	bar := newProgress(s, hi-lo, "simulate")
	rows, err := sim.Project(cmd.Context(), rounds, cfg, reg, bar)
	bar.Done()
	if err != nil {
		return err
	}
	if err := fs.Add("runs.arrow", func(w io.Writer) error { return data.WriteRunsArrow(w, rows) }); err != nil {
		return err
	}
	if o.Parquet {
		if err := fs.Add("runs.parquet", func(w io.Writer) error { return data.WriteRunsParquet(w, rows) }); err != nil {
			return err
		}
	}
	conf := simConfigFile{
		Tool: "eesim " + buildVersion(), Command: "simulate",
		Start: start, SnapshotDate: rounds[snap].SnapshotDate.Format(time.DateOnly),
		Horizon: o.Horizon, Runs: o.Runs, Seed: o.Seed, Shard: o.Shard, ShardRuns: [2]int{lo, hi},
		RoundsSource: feed.Source, ScheduleSrc: o.Schedule, DrawSizes: o.DrawSize,
		Schedule: scheduleEntries(sched), Settings: settingsOf(set), Model: model, Calibration: calib,
	}
	if err := fs.Add("config.json", func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(conf)
	}); err != nil {
		return err
	}
	fmt.Fprintf(s.Out, "eesim simulate: %d runs (%d-%d) from the %s snapshot, %d projected rounds from %s\n",
		hi-lo, lo, hi-1, rounds[snap].SnapshotDate.Format(time.DateOnly), len(sched), start.Format(time.DateOnly))
	if errs, ok := calib["walk_forward_errors"].(map[string]sim.ErrorSummary); ok {
		writeModelErrors(s.Out, errs)
	}
	if err := writeSimReports(fs, rows, rounds, start, recent != nil, s.Out); err != nil {
		return err
	}
	if err := fs.Commit(); err != nil {
		return err
	}
	fmt.Fprintf(s.Out, "wrote %s\n", o.Out)
	return nil
}

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
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, nil, nil, badInputf("model %s: %v", path, err)
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
