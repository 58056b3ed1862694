package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/eesim/eesim/data"
	"github.com/eesim/eesim/pool"
	"github.com/eesim/eesim/sim"
	"github.com/spf13/cobra"
)

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
  eesim simulate --schedule my-rounds.csv --out out/custom
  eesim simulate --runs 1000 --shard 2/4 --out out/shard-2`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runSimulate(cmd, s, o) },
	}
	o.projectionFlags.bind(cmd, projectionDefaults{horizon: "6mo", runs: 1000, runsHelp: "number of Monte Carlo runs",
		seedHelp: "random seed: the same seed gives the same outputs", scheduleHelp: "rounds to project", out: "out/sim"})
	f := cmd.Flags()
	f.StringArrayVar(&o.DrawSize, "draw-size", nil, "override the size of a family's rounds, `FAMILY=N` (repeatable)")
	f.BoolVar(&o.Parquet, "parquet", true, "write runs.parquet beside runs.arrow (DuckDB reads it with no extension); --parquet=false skips it")
	f.StringVar(&o.Shard, "shard", "", "run only the k-th of n slices of the runs, `k/n` (same per-run seeds)")
	return cmd
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

func runSimulate(cmd *cobra.Command, s *streams, o *simulateOptions) error {
	horizon, err := checkRunFlags(o.Runs, o.Workers, o.Horizon)
	if err != nil {
		return err
	}
	shard, err := parseShard(o.Shard)
	if err != nil {
		return badInput(err)
	}
	p, err := newProjection(s, &o.projectionFlags, horizon)
	if err != nil {
		return err
	}
	if err := p.buildSchedule(&o.projectionFlags, o.DrawSize); err != nil {
		return err
	}
	if err := p.loadModel(s, &o.projectionFlags); err != nil {
		return err
	}
	cfg := p.config(&o.projectionFlags)
	cfg.Shard = shard
	reg := pool.NewRegistry(pool.DefaultCategories...)

	fs, err := data.NewFileSet(o.Out)
	if err != nil {
		return err
	}
	defer fs.Abort()

	lo, hi := shard.Range(o.Runs)
	bar := newProgress(s, hi-lo, "simulate")
	rows, err := sim.Project(cmd.Context(), p.feed.Rounds, cfg, reg, bar)
	bar.Done()
	if err != nil {
		return err
	}
	return writeSimulate(s, fs, o, p, rows, [2]int{lo, hi})
}

// writeSimulate writes simulate's outputs: the runs dataset, config.json,
// the summary and the reports (writeSimReports) of the runs [lo, hi).
func writeSimulate(s *streams, fs *data.FileSet, o *simulateOptions, p *projection, rows []data.RunRow, runs [2]int) error {
	if err := fs.Add("runs.arrow", func(w io.Writer) error { return data.WriteRunsArrow(w, rows) }); err != nil {
		return err
	}
	if o.Parquet {
		if err := fs.Add("runs.parquet", func(w io.Writer) error { return data.WriteRunsParquet(w, rows) }); err != nil {
			return err
		}
	}
	rec := p.record("simulate", &o.projectionFlags)
	rec.Shard, rec.ShardRuns, rec.DrawSizes = o.Shard, &runs, o.DrawSize
	if err := addRunRecord(fs, &rec); err != nil {
		return err
	}
	fmt.Fprintf(s.Out, "eesim simulate: %d runs (%d-%d) from the %s snapshot, %d projected rounds from %s\n",
		runs[1]-runs[0], runs[0], runs[1]-1, p.snapshotDate(), len(p.sched), p.start.Format(time.DateOnly))
	if errs, ok := p.calib["walk_forward_errors"].(map[string]sim.ErrorSummary); ok {
		writeModelErrors(s.Out, errs)
	}
	if err := writeSimReports(fs, rows, p.feed.Rounds, p.start, p.recent != nil, s.Out); err != nil {
		return err
	}
	if err := fs.Commit(); err != nil {
		return err
	}
	fmt.Fprintf(s.Out, "wrote %s\n", o.Out)
	return nil
}
