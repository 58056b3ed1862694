package main

import (
	"bytes"
	"errors"
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

// oddsMode is backtest --mode odds: a walk-forward of invitation odds.
const oddsMode = "odds"

// oddsBacktestRuns is --runs in odds mode when not given (the other modes
// default to 40 per round).
const oddsBacktestRuns = 200

// monthDays is the length of a horizon month (parseHorizon).
const monthDays = 365.25 / 12

// reliabilityBins is the number of probability bins of the reliability
// table and chart.
const reliabilityBins = 10

func runOddsBacktest(cmd *cobra.Command, s *streams, o *backtestOptions) error {
	runs := o.Runs
	if !cmd.Flags().Changed("runs") {
		runs = oddsBacktestRuns
	}
	h, err := checkRunFlags(runs, o.Workers, o.Horizon)
	if err != nil {
		return err
	}
	months := int(math.Round(h.Hours() / 24 / monthDays))
	if months < 1 {
		return badInputf("--horizon %s: want at least one month", o.Horizon)
	}
	feed, err := loadFeed(o.Rounds, s)
	if err != nil {
		return err
	}
	cfg, err := oddsBacktestConfig(o, feed.Rounds, months, runs)
	if err != nil {
		return err
	}
	starts := sim.OddsBacktestStarts(feed.Rounds, cfg)
	if len(starts) == 0 {
		return badInputf("no month start from %s to %s has a month scored by the record's end %s",
			cfg.From.Format(time.DateOnly), cfg.To.Format(time.DateOnly), cfg.RecordEnd.Format(time.DateOnly))
	}
	fs, err := data.NewFileSetContext(cmd.Context(), o.Out)
	if err != nil {
		return err
	}
	defer fs.Abort()

	bar := newProgress(s, len(starts)*runs, "odds backtest")
	res, err := sim.OddsBacktest(cmd.Context(), feed.Rounds, cfg, bar)
	bar.Done()
	if err != nil {
		return err
	}
	warnOddsBacktest(s, res)
	if len(res.Rows) == 0 {
		return errors.New("odds backtest: no forecast to score")
	}
	return writeOddsBacktest(s, fs, o, feed, cfg, starts, res)
}

// oddsBacktestConfig reads --from, --to, --record-end and --grid into the
// odds backtest's configuration.
func oddsBacktestConfig(o *backtestOptions, rounds []data.Round, months, runs int) (sim.OddsBacktestConfig, error) {
	last := rounds[len(rounds)-1].Instant
	from, to, err := backtestRange(o, last)
	if err != nil {
		return sim.OddsBacktestConfig{}, err
	}
	end := last
	if o.RecordEnd != "" {
		if end, err = sim.ParseDate(o.RecordEnd); err != nil {
			return sim.OddsBacktestConfig{}, badInputf("--record-end: %v", err)
		}
		end = wholeDay(end, o.RecordEnd)
	}
	var grid []sim.GridCandidate
	if o.Grid != "" {
		b, err := readFile(o.Grid)
		if err != nil {
			return sim.OddsBacktestConfig{}, badInput(err)
		}
		if grid, err = sim.ReadOddsGrid(bytes.NewReader(b), o.Grid); err != nil {
			return sim.OddsBacktestConfig{}, badInput(err)
		}
	}
	return sim.OddsBacktestConfig{From: from, To: to, RecordEnd: end, Months: months, Runs: runs, Seed: o.Seed,
		Workers: o.Workers, Grid: grid, Calibration: sim.DefaultCalibration}, nil
}

// warnOddsBacktest prints the odds backtest's notes and skipped starts.
func warnOddsBacktest(s *streams, res *sim.OddsBacktestResult) {
	for _, n := range res.Notes {
		s.warnf("%s", n)
	}
	for _, st := range res.Starts {
		if st.Skipped != "" {
			s.warnf("start %s skipped: %s", st.Start.Format(time.DateOnly), st.Skipped)
		}
	}
}

// writeOddsBacktest writes the odds backtest's outputs
// (odds-backtest.csv, reliability.csv, reliability.png, config.json) and
// prints the summary.
func writeOddsBacktest(s *streams, fs *data.FileSet, o *backtestOptions, feed *data.Feed, cfg sim.OddsBacktestConfig,
	starts []time.Time, res *sim.OddsBacktestResult) error {
	p, naive, y := sim.OddsForecasts(res.Rows)
	relE, relN := sim.Reliability(p, y, reliabilityBins), sim.Reliability(naive, y, reliabilityBins)
	if err := fs.Add("odds-backtest.csv", func(w io.Writer) error { return reports.WriteOddsBacktestCSV(w, res.Rows) }); err != nil {
		return err
	}
	if err := fs.Add("reliability.csv", func(w io.Writer) error {
		return reports.WriteReliabilityCSV(w, []string{"eesim", "naive"}, [][]data.ReliabilityBin{relE, relN})
	}); err != nil {
		return err
	}
	info := reports.ReliabilityInfo{FirstStart: starts[0], LastStart: starts[len(starts)-1], RecordEnd: res.RecordEnd,
		Source: "IRCC rounds feed (" + feed.Source + ")"}
	if err := reports.AddPNG(fs, "reliability.png", reports.ReliabilityChart(relE, relN, info), reports.Width, reports.Height); err != nil {
		return err
	}
	rec := oddsBacktestRecord(o, feed, cfg, res)
	if err := addRunRecord(fs, &rec); err != nil {
		return err
	}
	scores := sim.ScoreOdds(res.Rows)
	w := summaryOut(s, o.JSON)
	if err := writeOddsBacktestSummary(w, res, scores, relE, relN); err != nil {
		return err
	}
	if err := fs.Commit(); err != nil {
		return err
	}
	fmt.Fprintf(w, "wrote %s\n", o.Out)
	if o.JSON {
		return writeJSONDoc(s.Out, newOddsBacktestDoc(res, scores, relE, relN, o.Out))
	}
	return nil
}

// oddsBacktestDoc is the --json document of backtest --mode odds
// (docs/json.md, "backtest"): writeOddsBacktestSummary's values.
type oddsBacktestDoc struct {
	Command     string              `json:"command"`
	Mode        string              `json:"mode"`
	Starts      int                 `json:"starts"`
	FirstStart  string              `json:"first_start"`
	LastStart   string              `json:"last_start"`
	RecordEnd   string              `json:"record_end"`
	LogLossClip float64             `json:"log_loss_clip"`
	Families    []oddsScoreDoc      `json:"families"`
	Reliability []reliabilityBinDoc `json:"reliability"`
	Out         string              `json:"out"`
}

type oddsScoreDoc struct {
	Family       string `json:"family"`
	N            int    `json:"n"`
	Invited      num    `json:"invited"`
	Brier        num    `json:"brier"`
	BrierNaive   num    `json:"brier_naive"`
	LogLoss      num    `json:"log_loss"`
	LogLossNaive num    `json:"log_loss_naive"`
	Exact        int    `json:"exact"`
	Undecided    int    `json:"undecided"`
}

type reliabilityBinDoc struct {
	Lo            float64 `json:"lo"`
	Hi            float64 `json:"hi"`
	N             int     `json:"n"`
	MeanP         num     `json:"mean_p"`
	Observed      num     `json:"observed"`
	NNaive        int     `json:"n_naive"`
	ObservedNaive num     `json:"observed_naive"`
}

func newOddsBacktestDoc(res *sim.OddsBacktestResult, scores []sim.OddsScore, relE, relN []data.ReliabilityBin, out string) oddsBacktestDoc {
	d := oddsBacktestDoc{Command: "backtest", Mode: oddsMode, Starts: len(res.Starts), FirstStart: day(res.Starts[0].Start),
		LastStart: day(res.Starts[len(res.Starts)-1].Start), RecordEnd: day(res.RecordEnd), LogLossClip: sim.LogLossClip,
		Families: []oddsScoreDoc{}, Reliability: []reliabilityBinDoc{}, Out: out}
	for _, sc := range scores {
		d.Families = append(d.Families, oddsScoreDoc{sc.Family, sc.N, num(sc.Invited), num(sc.Brier), num(sc.NaiveBrier),
			num(sc.LogLoss), num(sc.NaiveLogLoss), sc.Exact, sc.Undecided})
	}
	for i, b := range relE {
		n := relN[i]
		d.Reliability = append(d.Reliability, reliabilityBinDoc{b.Lo, b.Hi, b.N, num(b.MeanP), num(b.Observed), n.N, num(n.Observed)})
	}
	return d
}

// oddsBacktestRecord is the RunRecord of an odds backtest.
func oddsBacktestRecord(o *backtestOptions, feed *data.Feed, cfg sim.OddsBacktestConfig, res *sim.OddsBacktestResult) RunRecord {
	rec := newRunRecord("backtest")
	rec.Mode, rec.From, rec.To, rec.RecordEnd = oddsMode, cfg.From, cfg.To, res.RecordEnd
	rec.Horizon, rec.Months, rec.Runs, rec.Seed = o.Horizon, cfg.Months, cfg.Runs, o.Seed
	rec.RoundsSource, rec.ScheduleSource, rec.Grid = feed.Source, "recent", o.Grid
	if rec.Grid == "" {
		rec.Grid = "default"
	}
	rec.GridOffsets, rec.GridSubmitted = sim.DefaultOddsOffsets, sim.DefaultOddsSubmitted
	rec.LogLossClip, rec.ReliabilityBins = sim.LogLossClip, reliabilityBins
	rec.CalibrationConfig, rec.Starts = &cfg.Calibration, res.Starts
	return rec
}

func writeOddsBacktestSummary(w io.Writer, res *sim.OddsBacktestResult, scores []sim.OddsScore, relE, relN []data.ReliabilityBin) error {
	first, last := res.Starts[0].Start, res.Starts[len(res.Starts)-1].Start
	fmt.Fprintf(w, "odds backtest: %d starts (%s to %s), months scored to %s; one forecast per candidate, start and month\n",
		len(res.Starts), first.Format("2006-01"), last.Format("2006-01"), res.RecordEnd.Format(time.DateOnly))
	fmt.Fprintf(w, "Brier score and log loss (lower is better; log loss clips probabilities to [%g, %g]);\n", sim.LogLossClip, 1-sim.LogLossClip)
	fmt.Fprintln(w, "naive: invited if a family open to the candidate last cut at or below their score")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "family\tn\tinvited\tBrier\tBrier naive\t\tlog loss\tlog loss naive\t\tp=0 or 1\tnot by rules\t")
	for _, sc := range scores {
		fmt.Fprintf(tw, "%s\t%d\t%.0f%%\t%.3f\t%.3f\t\t%.3f\t%.3f\t\t%d\t%d\t\n", sc.Family, sc.N, 100*sc.Invited,
			sc.Brier, sc.NaiveBrier, sc.LogLoss, sc.NaiveLogLoss, sc.Exact, sc.Undecided)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "reliability (forecasts binned by predicted probability):")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "bin\tn\tmean p\tobserved\t\tn naive\tobserved naive\t")
	f := func(v float64) string {
		if math.IsNaN(v) {
			return "-"
		}
		return fmt.Sprintf("%.3f", v)
	}
	for i, b := range relE {
		n := relN[i]
		fmt.Fprintf(tw, "%.1f-%.1f\t%d\t%s\t%s\t\t%d\t%s\t\n", b.Lo, b.Hi, b.N, f(b.MeanP), f(b.Observed), n.N, f(n.Observed))
	}
	return tw.Flush()
}
