package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

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
	JSON     bool
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
	addJSONFlag(cmd, &o.JSON)
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
	doc := simulateDoc{Command: "simulate", Runs: runs[1] - runs[0], FirstRun: runs[0], LastRun: runs[1] - 1,
		SnapshotDate: p.snapshotDate(), ProjectedRounds: len(p.sched), Start: day(p.start), Out: o.Out}
	w := summaryOut(s, o.JSON)
	fmt.Fprintf(w, "eesim simulate: %d runs (%d-%d) from the %s snapshot, %d projected rounds from %s\n",
		doc.Runs, doc.FirstRun, doc.LastRun, doc.SnapshotDate, doc.ProjectedRounds, doc.Start)
	if errs, ok := p.calib["walk_forward_errors"].(map[string]sim.ErrorSummary); ok {
		writeModelErrors(w, errs)
		doc.ModelErrors = modelErrorDocs(errs)
	}
	if err := writeQuantileReports(fs, q, p.feed.Rounds, p.start, w); err != nil {
		return err
	}
	if err := fs.Commit(); err != nil {
		return err
	}
	fmt.Fprintf(w, "wrote %s\n", o.Out)
	if o.JSON {
		doc.Quantiles = quantileDocs(q)
		return writeJSONDoc(s.Out, doc)
	}
	return nil
}

// simulateDoc is simulate's --json document (docs/json.md, "simulate").
type simulateDoc struct {
	Command         string          `json:"command"`
	Runs            int             `json:"runs"`
	FirstRun        int             `json:"first_run"`
	LastRun         int             `json:"last_run"`
	SnapshotDate    string          `json:"snapshot_date"`
	ProjectedRounds int             `json:"projected_rounds"`
	Start           string          `json:"start"`
	ModelErrors     []modelErrorDoc `json:"model_errors"`
	Quantiles       []quantileDoc   `json:"quantiles"`
	Out             string          `json:"out"`
}

// streamRuns runs the projection of cfg, writing each run's rows to
// runs.arrow (and runs.parquet) in fs as it finishes, and returns the
// quantiles of the runs (per family and month when monthly).
func streamRuns(ctx context.Context, fs *data.FileSet, rounds []data.Round, cfg sim.Config, reg *pool.Registry,
	bar *progress, parquet, monthly bool) ([]reports.RoundQuantiles, error) {
	var sinks runSinks
	defer sinks.close()
	if err := sinks.open(fs, "runs.arrow", data.NewRunsArrowWriter); err != nil {
		return nil, err
	}
	if parquet {
		if err := sinks.open(fs, "runs.parquet", data.NewRunsParquetWriter); err != nil {
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
	if err := sinks.close(); err != nil {
		return nil, err
	}
	return acc.Quantiles(), nil
}

// runSink is a runs file being written: a file of the FileSet and the
// writer that streams runs into it.
type runSink struct {
	f io.WriteCloser
	w *data.RunsWriter
}

// runSinks are the runs files of a simulation.
type runSinks []runSink

// open adds the file name of fs, written by newWriter.
func (ks *runSinks) open(fs *data.FileSet, name string, newWriter func(io.Writer) (*data.RunsWriter, error)) error {
	f, err := fs.Create(name)
	if err != nil {
		return err
	}
	w, err := newWriter(f)
	if err != nil {
		f.Close()
		return err
	}
	*ks = append(*ks, runSink{f, w})
	return nil
}

// close closes every writer and then its file, and returns the first
// error; a second call does nothing.
func (ks *runSinks) close() error {
	var first error
	for _, k := range *ks {
		if err := k.w.Close(); err != nil && first == nil {
			first = err
		}
		if err := k.f.Close(); err != nil && first == nil {
			first = err
		}
	}
	*ks = nil
	return first
}
