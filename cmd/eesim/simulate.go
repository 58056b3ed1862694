package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/eesim/eesim/data"
	"github.com/eesim/eesim/pool"
	"github.com/eesim/eesim/reports"
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
	lo, hi := shard.Range(o.Runs)
	if err := sim.CheckMemory(hi-lo, len(p.sched)); err != nil {
		return badInputf("--runs: %w", err)
	}
	fs, err := data.NewFileSetContext(cmd.Context(), o.Out)
	if err != nil {
		return err
	}
	defer fs.Abort()
	if err := p.loadModel(s, &o.projectionFlags); err != nil {
		return err
	}
	cfg := p.config(&o.projectionFlags)
	cfg.Shard = shard
	reg := pool.NewRegistry(pool.DefaultCategories...)

	// The runs stream to the files as they finish (sim.ProjectTo); only
	// the cutoffs the quantiles need stay in memory.
	q, err := streamRuns(cmd.Context(), fs, p.feed.Rounds, cfg, reg, newProgress(s, hi-lo, "simulate"), o.Parquet, p.recent != nil)
	if err != nil {
		return err
	}
	return writeSimulate(s, fs, o, p, q, [2]int{lo, hi})
}

// writeSimulate writes the rest of simulate's outputs (streamRuns wrote
// the runs dataset): config.json, the summary and the reports
// (writeQuantileReports) of the runs [lo, hi).
func writeSimulate(s *streams, fs *data.FileSet, o *simulateOptions, p *projection, q []reports.RoundQuantiles, runs [2]int) error {
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
	if err := writeQuantileReports(fs, q, p.feed.Rounds, p.start, s.Out); err != nil {
		return err
	}
	if err := fs.Commit(); err != nil {
		return err
	}
	fmt.Fprintf(s.Out, "wrote %s\n", o.Out)
	return nil
}

// streamRuns runs the projection of cfg, writing each run's rows to
// runs.arrow (and runs.parquet) in fs as it finishes, and returns the
// quantiles of the runs (per family and month when monthly).
func streamRuns(ctx context.Context, fs *data.FileSet, rounds []data.Round, cfg sim.Config, reg *pool.Registry,
	bar *progress, parquet, monthly bool) ([]reports.RoundQuantiles, error) {
	type sink struct {
		f io.WriteCloser
		w *data.RunsWriter
	}
	var sinks []sink
	closeAll := func() error {
		var first error
		for _, k := range sinks {
			if err := k.w.Close(); err != nil && first == nil {
				first = err
			}
			if err := k.f.Close(); err != nil && first == nil {
				first = err
			}
		}
		sinks = nil
		return first
	}
	defer closeAll()
	open := func(name string, newWriter func(io.Writer) (*data.RunsWriter, error)) error {
		f, err := fs.Create(name)
		if err != nil {
			return err
		}
		w, err := newWriter(f)
		if err != nil {
			f.Close()
			return err
		}
		sinks = append(sinks, sink{f, w})
		return nil
	}
	if err := open("runs.arrow", data.NewRunsArrowWriter); err != nil {
		return nil, err
	}
	if parquet {
		if err := open("runs.parquet", data.NewRunsParquetWriter); err != nil {
			return nil, err
		}
	}
	acc := reports.NewQuantileAccumulator(monthly)
	err := sim.ProjectTo(ctx, rounds, cfg, reg, bar, func(rows []data.RunRow) error {
		for _, k := range sinks {
			if err := k.w.Write(rows); err != nil {
				return err
			}
		}
		acc.Add(rows)
		return nil
	})
	bar.Done()
	if err != nil {
		return nil, err
	}
	if err := closeAll(); err != nil {
		return nil, err
	}
	return acc.Quantiles(), nil
}
