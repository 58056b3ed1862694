package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"text/tabwriter"
	"time"

	"github.com/eesim/eesim/data"
	"github.com/eesim/eesim/reports"
	"github.com/eesim/eesim/sim"
	"github.com/spf13/cobra"
)

func init() { register(newBacktestCmd) }

type backtestOptions struct {
	Rounds  string
	Mode    string
	From    string
	To      string
	Runs    int
	Seed    uint64
	Workers int
	Out     string
}

func newBacktestCmd(s *streams) *cobra.Command {
	o := &backtestOptions{}
	cmd := &cobra.Command{
		Use:   "backtest",
		Short: "Measure eesim against real rounds (replay or walk-forward)",
		Long: `Backtest predicts real rounds and compares with what happened.

replay:       each round on the pool snapshot published with it.
walk-forward: each round from the latest snapshot published before it,
              replaying the real rounds in between (type and size known).

In both modes the pool model is calibrated on earlier rounds only. It writes
backtest.csv (one row per round, with the naive baselines "last cutoff of
the family" and "mean of its last 3"), a PNG per family, calibration.json,
and prints MAE, bias and 80%-interval coverage per family.`,
		Example: `  eesim backtest --mode replay --from 2022-01-01 --to 2024-12-31 --out out/replay
  eesim backtest --mode walk-forward --from 2025-01-01 --out out/wf`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runBacktest(cmd, s, o) },
	}
	f := cmd.Flags()
	f.StringVar(&o.Rounds, "rounds", "", "IRCC rounds feed `FILE` (default: the embedded feed)")
	f.StringVar(&o.Mode, "mode", sim.WalkForward, "replay or walk-forward")
	f.StringVar(&o.From, "from", "2025-01-01", "first round `DATE` to predict")
	f.StringVar(&o.To, "to", "", "last round `DATE` to predict (default: the end of the feed)")
	f.IntVar(&o.Runs, "runs", 40, "Monte Carlo runs per round")
	f.Uint64Var(&o.Seed, "seed", 1, "random seed")
	f.IntVar(&o.Workers, "workers", 0, "parallel workers (default: one per CPU)")
	f.StringVar(&o.Out, "out", "out/backtest", "output `DIR`")
	return cmd
}

func runBacktest(cmd *cobra.Command, s *streams, o *backtestOptions) error {
	if o.Mode != sim.Replay && o.Mode != sim.WalkForward {
		return badInputf("--mode %q: want replay or walk-forward", o.Mode)
	}
	if o.Runs < 1 {
		return badInputf("--runs %d: want at least 1", o.Runs)
	}
	feed, err := loadFeed(o.Rounds, s)
	if err != nil {
		return err
	}
	from, err := parseDate(o.From)
	if err != nil {
		return badInputf("--from: %v", err)
	}
	to := feed.Rounds[len(feed.Rounds)-1].Instant
	if o.To != "" {
		if to, err = parseDate(o.To); err != nil {
			return badInputf("--to: %v", err)
		}
		if len(o.To) == len(time.DateOnly) {
			to = to.Add(24*time.Hour - time.Second) // the whole day
		}
	}
	if to.Before(from) {
		return badInputf("--to %s is before --from %s", to.Format(time.DateOnly), from.Format(time.DateOnly))
	}
	fs, err := data.NewFileSet(o.Out)
	if err != nil {
		return err
	}
	defer fs.Abort()
	cfg := sim.BacktestConfig{Mode: o.Mode, From: from, To: to, Runs: o.Runs, Seed: o.Seed, Workers: o.Workers, Calibration: sim.DefaultCalibration}
	bar := newProgress(s, sim.BacktestCount(feed.Rounds, from, to), "backtest")
	rows, cal, err := sim.Backtest(cmd.Context(), feed.Rounds, cfg, bar)
	bar.Done()
	if err != nil {
		return err
	}
	for _, n := range cal.Notes {
		fmt.Fprintf(s.Err, "warning: calibration: %s\n", n)
	}
	if err := fs.Add("backtest.csv", func(w io.Writer) error { return data.WriteBacktestCSV(w, rows) }); err != nil {
		return err
	}
	if _, err := reports.BacktestCharts(rows, o.Mode, fs); err != nil {
		return err
	}
	conf := map[string]any{
		"tool": "eesim " + buildVersion(), "command": "backtest", "mode": o.Mode,
		"from": from, "to": to, "runs": o.Runs, "seed": o.Seed, "rounds_source": feed.Source,
		"calibration_config": sim.DefaultCalibration,
	}
	if err := addJSON(fs, "config.json", conf); err != nil {
		return err
	}
	if err := addJSON(fs, "calibration.json", calibrationFile(cal)); err != nil {
		return err
	}
	if err := writeSummary(s.Out, o.Mode, sim.Summarize(rows)); err != nil {
		return err
	}
	if err := fs.Commit(); err != nil {
		return err
	}
	fmt.Fprintf(s.Out, "wrote %s\n", o.Out)
	return nil
}

func addJSON(fs *data.FileSet, name string, v any) error {
	return fs.Add(name, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	})
}

func calibrationFile(cal *sim.Calibrator) map[string]any {
	return map[string]any{"model": cal.Model(), "observations": cal.Log, "notes": cal.Notes}
}

func writeSummary(w io.Writer, mode string, sum []sim.FamilySummary) error {
	fmt.Fprintf(w, "backtest (%s): cutoff error in CRS points; baselines: last cutoff of the family, mean of its last 3\n", mode)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "family\tn\tMAE\tbias\tcover80\t\tn base\tMAE on base\tMAE last\tbias last\t\tMAE mean3\tbias mean3\t")
	f := func(v float64) string {
		if math.IsNaN(v) {
			return "-"
		}
		return fmt.Sprintf("%.1f", v)
	}
	for _, r := range sum {
		cov := "-"
		if !math.IsNaN(r.Coverage80) {
			cov = fmt.Sprintf("%.0f%%", 100*r.Coverage80)
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t\t%d\t%s\t%s\t%s\t\t%s\t%s\t\n", r.Family, r.N, f(r.MAE), f(r.Bias), cov,
			r.NLast, f(r.MAEOnBase), f(r.MAELast), f(r.BiasLast), f(r.MAEMean3), f(r.BiasMean3))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintln(w, "n base: rounds with a baseline (a family's first round has none); the baseline MAEs and \"MAE on base\" (the forecast's) are over those rounds only")
	return err
}
