package main

import (
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

type backtestOptions struct {
	Rounds  string
	Mode    string
	From    string
	To      string
	Runs    int
	Seed    uint64
	Workers int
	Out     string
	// Odds mode only.
	Horizon   string
	Grid      string
	RecordEnd string
	JSON      bool
}

func newBacktestCmd(s *streams) *cobra.Command {
	o := &backtestOptions{}
	cmd := &cobra.Command{
		Use:   "backtest",
		Short: "Measure eesim against real rounds (replay, walk-forward or odds)",
		Long: `Backtest predicts real rounds and compares with what happened.

replay:       each round on the pool snapshot published with it.
walk-forward: each round from the latest snapshot published before it,
              replaying the real rounds in between (type and size known).

In both modes the pool model is calibrated on earlier rounds only. It writes
backtest.csv (one row per round, with the naive baselines "last cutoff of
the family" and "mean of its last 3"), a PNG per family, calibration.json,
and prints MAE, bias and 80%-interval coverage per family.

odds:         invitation odds, walked forward. At the first of each month
              from --from to --to, with only the rounds before it known
              (calibration, the recent schedule, the pool), the projection
              runs --runs times over --horizon; a grid of synthetic
              candidates (default: per family with a round in the last 12
              months, scores -30..+30 around its last cutoff, submitted 30
              and 300 days before; --grid FILE for your own) gets P(invited
              by start + m months) = the share of runs whose rounds invite
              them. The same rule applied to the real rounds is the truth;
              a month is scored only if the record covers it (--record-end,
              default the feed's last round). Writes odds-backtest.csv,
              reliability.csv, reliability.png and config.json, and prints
              Brier score and log loss per family against the naive rule
              (invited if a family open to the candidate last cut at or
              below their score), and the reliability table.`,
		Example: `  eesim backtest --mode replay --from 2022-01-01 --to 2024-12-31 --out out/replay
  eesim backtest --mode walk-forward --from 2025-01-01 --out out/wf
  eesim backtest --mode odds --from 2024-01-01 --out out/odds-bt
  eesim backtest --mode odds --from 2025-01-01 --grid my-grid.csv --runs 100 --horizon 6mo --out out/odds-mine`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runBacktest(cmd, s, o) },
	}
	f := cmd.Flags()
	f.StringVar(&o.Rounds, "rounds", "", roundsFlagHelp)
	f.StringVar(&o.Mode, "mode", sim.WalkForward, "replay, walk-forward or odds")
	f.StringVar(&o.From, "from", "2025-01-01", "first round `DATE` to predict")
	f.StringVar(&o.To, "to", "", "last round `DATE` to predict (default: the end of the feed)")
	f.IntVar(&o.Runs, "runs", 40, "Monte Carlo runs per round (odds: per start, default 200)")
	f.Uint64Var(&o.Seed, "seed", 1, "random seed")
	f.IntVar(&o.Workers, "workers", 0, "parallel workers (default: one per CPU)")
	f.StringVar(&o.Out, "out", "out/backtest", "output `DIR`")
	f.StringVar(&o.Horizon, "horizon", "8mo", "odds: months scored after each start (e.g. 8mo, 6mo, 1y)")
	f.StringVar(&o.Grid, "grid", "", "odds: candidates `FILE` (CSV: family,programs,categories,nominated,score or score_offset,submitted_days_before)")
	addJSONFlag(cmd, &o.JSON)
	f.StringVar(&o.RecordEnd, "record-end", "", "odds: the record is complete up to `DATE` (default: the feed's last round)")
	return cmd
}

func runBacktest(cmd *cobra.Command, s *streams, o *backtestOptions) error {
	if o.Mode == oddsMode {
		return runOddsBacktest(cmd, s, o)
	}
	if err := checkBacktestFlags(cmd, o); err != nil {
		return err
	}
	feed, err := loadFeed(o.Rounds, s)
	if err != nil {
		return err
	}
	from, to, err := backtestRange(o, feed.Rounds[len(feed.Rounds)-1].Instant)
	if err != nil {
		return err
	}
	fs, err := data.NewFileSetContext(cmd.Context(), o.Out)
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
		s.warnf("calibration: %s", n)
	}
	return writeBacktest(s, fs, o, feed, cfg, rows, cal)
}

// checkBacktestFlags checks the flags of the replay and walk-forward
// modes.
func checkBacktestFlags(cmd *cobra.Command, o *backtestOptions) error {
	if o.Mode != sim.Replay && o.Mode != sim.WalkForward {
		return badInputf("--mode %q: want replay, walk-forward or odds", o.Mode)
	}
	for _, f := range []string{"horizon", "grid", "record-end"} {
		if cmd.Flags().Changed(f) {
			return badInputf("--%s is for --mode odds only", f)
		}
	}
	if err := checkRange("runs", o.Runs, 1, sim.MaxBacktestRuns); err != nil {
		return err
	}
	return checkRange("workers", o.Workers, 0, sim.MaxWorkers)
}

// writeBacktest writes the backtest's outputs (backtest.csv, a chart per
// family, config.json, calibration.json) and prints the summary.
func writeBacktest(s *streams, fs *data.FileSet, o *backtestOptions, feed *data.Feed, cfg sim.BacktestConfig,
	rows []data.BacktestRow, cal *sim.Calibrator) error {
	if err := fs.Add("backtest.csv", func(w io.Writer) error { return data.WriteBacktestCSV(w, rows) }); err != nil {
		return err
	}
	if _, err := reports.BacktestCharts(rows, o.Mode, feed.Rounds, fs); err != nil {
		return err
	}
	rec := newRunRecord("backtest")
	rec.Mode, rec.From, rec.To, rec.Runs, rec.Seed = o.Mode, cfg.From, cfg.To, o.Runs, o.Seed
	rec.RoundsSource, rec.CalibrationConfig = feed.Source, &cfg.Calibration
	if err := addRunRecord(fs, &rec); err != nil {
		return err
	}
	if err := addJSON(fs, "calibration.json", calibrationFile(cal)); err != nil {
		return err
	}
	sum := sim.Summarize(rows)
	w := summaryOut(s, o.JSON)
	if err := writeSummary(w, o.Mode, sum); err != nil {
		return err
	}
	if err := fs.Commit(); err != nil {
		return err
	}
	fmt.Fprintf(w, "wrote %s\n", o.Out)
	if o.JSON {
		return writeJSONDoc(s.Out, newBacktestDoc(o.Mode, cfg, sum, o.Out))
	}
	return nil
}

// backtestDoc is the --json document of backtest's replay and
// walk-forward modes (docs/json.md, "backtest"): writeSummary's table.
type backtestDoc struct {
	Command  string              `json:"command"`
	Mode     string              `json:"mode"`
	From     time.Time           `json:"from"`
	To       time.Time           `json:"to"`
	Families []backtestFamilyDoc `json:"families"`
	Out      string              `json:"out"`
}

// backtestFamilyDoc is one sim.FamilySummary, in CRS points (coverage_80
// a fraction).
type backtestFamilyDoc struct {
	Family     string `json:"family"`
	N          int    `json:"n"`
	MAE        num    `json:"mae"`
	Bias       num    `json:"bias"`
	Coverage80 num    `json:"coverage_80"`
	NBase      int    `json:"n_base"`
	MAEOnBase  num    `json:"mae_on_base"`
	MAELast    num    `json:"mae_last"`
	BiasLast   num    `json:"bias_last"`
	MAEMean3   num    `json:"mae_mean3"`
	BiasMean3  num    `json:"bias_mean3"`
}

func newBacktestDoc(mode string, cfg sim.BacktestConfig, sum []sim.FamilySummary, out string) backtestDoc {
	d := backtestDoc{Command: "backtest", Mode: mode, From: cfg.From.UTC(), To: cfg.To.UTC(), Families: []backtestFamilyDoc{}, Out: out}
	for _, r := range sum {
		d.Families = append(d.Families, backtestFamilyDoc{r.Family, r.N, num(r.MAE), num(r.Bias), num(r.Coverage80),
			r.NLast, num(r.MAEOnBase), num(r.MAELast), num(r.BiasLast), num(r.MAEMean3), num(r.BiasMean3)})
	}
	return d
}

// backtestRange parses --from and --to (default last); a --to date
// covers the whole day.
func backtestRange(o *backtestOptions, last time.Time) (from, to time.Time, err error) {
	if from, err = sim.ParseDate(o.From); err != nil {
		return from, to, badInputf("--from: %v", err)
	}
	to = last
	if o.To != "" {
		if to, err = sim.ParseDate(o.To); err != nil {
			return from, to, badInputf("--to: %v", err)
		}
		to = wholeDay(to, o.To)
	}
	if to.Before(from) {
		return from, to, badInputf("--to %s is before --from %s", to.Format(time.DateOnly), from.Format(time.DateOnly))
	}
	return from, to, nil
}

// wholeDay returns the last second of t's day when flag gave a bare date,
// else t.
func wholeDay(t time.Time, flag string) time.Time {
	if len(flag) == len(time.DateOnly) {
		return t.Add(24*time.Hour - time.Second)
	}
	return t
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
