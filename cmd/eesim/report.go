package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/eesim/eesim/data"
	"github.com/eesim/eesim/reports"
	"github.com/spf13/cobra"
)

// reportOptions are the flags of eesim report.
type reportOptions struct {
	In     string // folder of a simulate run: runs.arrow or runs.parquet, config.json
	Out    string // output folder
	Rounds string // rounds feed; "" for config.json's rounds_source
	HTML   bool   // write one self-contained report.html instead
	JSON   bool   // print the summary as JSON
}

func newReportCmd(s *streams) *cobra.Command {
	var o reportOptions
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Redraw the quantiles and fan charts of a saved simulation",
		Long: `report reads the runs dataset of an earlier eesim simulate (--in DIR:
runs.arrow, or runs.parquet when there is no runs.arrow, and config.json for
the projection start and the rounds feed used) and writes, to --out:

  quantiles.csv      cutoff and tie-break quantiles (p5 ... p95) per projected round
  fan-<family>.png   projected cutoffs of each round family: median, 50% and 90%
                     bands, and the family's real cutoffs of the 12 months before
                     the start

the same files simulate writes, without re-running it. It prints p10, p50 and
p90 of each projected round. The real rounds come from --rounds, or else from
config.json's rounds_source (the embedded feed when "embedded"). Files are
written together at the end: a failed run leaves none.

With --html it writes instead one file, report.html, to send to someone:
the charts as inline SVG (a backtest's as embedded PNG), the tables, and
config.json's settings (version, the data's snapshot date, rounds source,
runs, seed, candidate), with no script and nothing fetched. It reads a
simulate, odds or backtest folder.`,
		Example: `  eesim report --in out/sim --out out/sim-report
  eesim report --in out/sim --out out/sim-report --rounds ee_rounds_123_en.json
  eesim report --html --in out/odds --out out/odds-report`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.In == "" || o.Out == "" {
				return badInputf("report: --in and --out are required")
			}
			if err := checkReportFolders(&o); err != nil {
				return err
			}
			if o.HTML {
				return runReportHTML(&o, s)
			}
			return runReport(&o, s)
		},
	}
	cmd.Flags().StringVar(&o.In, "in", "", "folder of a simulate run (`DIR` with runs.arrow or runs.parquet, and config.json)")
	cmd.Flags().StringVar(&o.Out, "out", "", "output `DIR` (created if needed)")
	cmd.Flags().StringVar(&o.Rounds, "rounds", "", "IRCC rounds feed `FILE`, or an https:// URL (default: config.json's rounds_source)")
	addJSONFlag(cmd, &o.JSON)
	cmd.Flags().BoolVar(&o.HTML, "html", false, "write one self-contained report.html (inline SVG, no script) from a simulate, odds or backtest folder")
	return cmd
}

// checkReportFolders refuses an --out that is the --in folder: --out is
// replaced as a whole (data.FileSet), which would delete what report reads.
func checkReportFolders(o *reportOptions) error {
	in, err1 := filepath.Abs(o.In)
	out, err2 := filepath.Abs(o.Out)
	if err1 == nil && err2 == nil && in == out {
		return badInputf("--out %s is the --in folder: eesim replaces the whole --out folder, so name another one", o.Out)
	}
	return nil
}

func runReport(o *reportOptions, s *streams) error {
	confPath := filepath.Join(o.In, "config.json")
	b, err := os.ReadFile(confPath)
	if err != nil {
		return badInputf("report: %w", err)
	}
	var conf RunRecord
	if err := data.DecodeJSONPart(b, &conf); err != nil {
		return badInputf("report: %s: %w", confPath, err)
	}
	if conf.Start.IsZero() {
		return badInputf("report: %s: no \"start\" field", confPath)
	}

	runsPath, rows, err := readRuns(o.In)
	if err != nil {
		return err
	}

	feedPath := o.Rounds
	if feedPath == "" && conf.RoundsSource != data.EmbeddedSource {
		feedPath = conf.RoundsSource
	}
	feed, err := loadFeed(feedPath, s)
	if err != nil {
		if o.Rounds == "" && feedPath != "" {
			return badInputf("report: rounds feed %s named by %s: %w (use --rounds FILE)", feedPath, confPath, err)
		}
		return err
	}

	out, err := data.NewFileSet(o.Out)
	if err != nil {
		return err
	}
	defer out.Abort()
	w := summaryOut(s, o.JSON)
	fmt.Fprintf(w, "eesim report: %d rows from %s, projection start %s\n",
		len(rows), runsPath, conf.Start.UTC().Format(time.DateOnly))
	q, err := writeSimReports(out, rows, feed.Rounds, conf.Start.UTC(), conf.ScheduleSource == "recent", w)
	if err != nil {
		return err
	}
	if err := out.Commit(); err != nil {
		return err
	}
	fmt.Fprintf(w, "wrote %s\n", o.Out)
	if o.JSON {
		return writeJSONDoc(s.Out, reportDoc{"report", len(rows), runsPath, day(conf.Start), quantileDocs(q), o.Out})
	}
	return nil
}

// reportDoc is report's --json document (docs/json.md, "report").
type reportDoc struct {
	Command   string        `json:"command"`
	Rows      int           `json:"rows"`
	Runs      string        `json:"runs_file"`
	Start     string        `json:"start"`
	Quantiles []quantileDoc `json:"quantiles"`
	Out       string        `json:"out"`
}

// readRuns reads the runs dataset of the simulate folder dir: runs.arrow,
// else runs.parquet. It returns the file read and its rows.
func readRuns(dir string) (string, []data.RunRow, error) {
	runsPath := filepath.Join(dir, data.RunsArrowFile)
	if _, err := os.Stat(runsPath); errors.Is(err, fs.ErrNotExist) {
		runsPath = filepath.Join(dir, data.RunsParquetFile)
		if _, err := os.Stat(runsPath); errors.Is(err, fs.ErrNotExist) {
			return "", nil, badInputf("report: %s: no %s or %s", dir, data.RunsArrowFile, data.RunsParquetFile)
		}
	}
	rows, err := data.ReadRunsFile(runsPath)
	if err != nil {
		return "", nil, badInputf("report: %w", err)
	}
	if len(rows) == 0 {
		return "", nil, badInputf("report: %s: no rows", runsPath)
	}
	return runsPath, rows, nil
}

// writeSimReports stages quantiles.csv and one fan chart per round family
// (fan-<family>.png) in fs, from the runs dataset rows, the real rounds
// (for context in the charts) and the projection start; then prints a
// table of each projected round's p10, p50 and p90 cutoffs to out, and
// returns the quantiles the table shows.
// simulate and report both call it, so that their outputs are the same.
// With monthly (every run drew its own schedule), the quantiles are per
// family and month (reports.QuantilesByMonth), else per round.
func writeSimReports(fs *data.FileSet, rows []data.RunRow, real []data.Round, start time.Time, monthly bool, out io.Writer) ([]reports.RoundQuantiles, error) {
	q := reports.Quantiles(rows)
	if monthly {
		q = reports.QuantilesByMonth(rows)
	}
	return q, writeQuantileReports(fs, q, real, start, out)
}

// writeQuantileReports is writeSimReports from the quantiles.
func writeQuantileReports(fs *data.FileSet, q []reports.RoundQuantiles, real []data.Round, start time.Time, out io.Writer) error {
	if err := fs.Add("quantiles.csv", func(w io.Writer) error { return reports.WriteQuantilesCSV(w, q) }); err != nil {
		return err
	}
	if _, err := reports.FanCharts(q, real, start, fs); err != nil {
		return err
	}
	return writeQuantileTable(out, q)
}

// writeQuantileTable prints round, date, family, size and the p10, p50 and
// p90 cutoffs of each projected round; "-" when no run invited anyone.
func writeQuantileTable(out io.Writer, q []reports.RoundQuantiles) error {
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "round\tdate\tfamily\tsize\tp10\tp50\tp90\t")
	cell := func(v float64) string {
		if math.IsNaN(v) {
			return "-"
		}
		return fmt.Sprintf("%.0f", v)
	}
	for _, r := range q {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t\n", r.Round, r.Instant.UTC().Format(time.DateOnly), r.Family,
			reports.Thousands(r.Size), cell(r.Cutoff[reports.Q10]), cell(r.Cutoff[reports.Q50]), cell(r.Cutoff[reports.Q90]))
	}
	return tw.Flush()
}
