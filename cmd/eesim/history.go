package main

import (
	"io"
	"time"

	"github.com/eesim/eesim/data"
	"github.com/eesim/eesim/reports"
	"github.com/spf13/cobra"
)

// historyOptions are the flags of eesim history.
type historyOptions struct {
	Rounds string // rounds feed; "" for the embedded copy
	Out    string // output folder
	JSON   bool   // print the summary as JSON
}

func newHistoryCmd(s *streams) *cobra.Command {
	var o historyOptions
	cmd := &cobra.Command{
		Use:   "history",
		Short: "Charts and CSV of IRCC's published rounds of invitations",
		Long: `history reads IRCC's rounds feed and writes, to --out:

  cutoffs.png               cutoff CRS of each round over time, by round family,
                            marker area proportional to invitations (cutoffs
                            above 600, mostly PNP, in an upper panel)
  invitations-monthly.png   invitations per month, stacked by round family
  pool.png                  the published pool distribution by CRS band
  tiebreak-lag.png          round instant minus tie-break instant, in days
  rounds.csv, snapshots.csv the normalized rounds and pool snapshots
  invitations-monthly.csv, tiebreak-lag.csv   the data behind two charts

and prints the last round of each family and the invitations per year.
Files are written together at the end: a failed run leaves none.`,
		Example: `  eesim history --out out/history
  eesim history --rounds ee_rounds_123_en.json --out out/history`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.Out == "" {
				return badInputf("history: --out is required")
			}
			return runHistory(&o, s)
		},
	}
	cmd.Flags().StringVar(&o.Rounds, "rounds", "", roundsFlagHelp)
	cmd.Flags().StringVar(&o.Out, "out", "", "output folder (created if needed)")
	addJSONFlag(cmd, &o.JSON)
	return cmd
}

func runHistory(o *historyOptions, s *streams) error {
	feed, err := loadFeed(o.Rounds, s)
	if err != nil {
		return err
	}
	rounds := feed.Rounds
	snaps := data.Snapshots(rounds)
	monthly := reports.MonthlyInvitations(rounds)
	lags := reports.TieBreakLags(rounds)

	fs, err := data.NewFileSet(o.Out)
	if err != nil {
		return err
	}
	defer fs.Abort()
	type output struct {
		name  string
		write func(io.Writer) error
	}
	csvs := []output{
		{"rounds.csv", func(w io.Writer) error { return data.WriteRoundsCSV(w, rounds) }},
		{"snapshots.csv", func(w io.Writer) error { return data.WriteSnapshotsCSV(w, snaps) }},
		{"invitations-monthly.csv", func(w io.Writer) error { return reports.WriteMonthlyCSV(w, reports.MonthlyByFamily(rounds)) }},
		{"tiebreak-lag.csv", func(w io.Writer) error { return reports.WriteLagsCSV(w, lags) }},
	}
	for _, c := range csvs {
		if err := fs.Add(c.name, c.write); err != nil {
			return err
		}
	}
	charts := []struct {
		name string
		fig  reports.Figure
	}{
		{"cutoffs.png", reports.CutoffsChart(rounds)},
		{"invitations-monthly.png", reports.MonthlyChart(monthly)},
		{"tiebreak-lag.png", reports.TieBreakChart(lags)},
	}
	if len(snaps) > 0 {
		charts = append(charts, struct {
			name string
			fig  reports.Figure
		}{"pool.png", reports.PoolChart(snaps)})
	} else {
		s.warnf("%s: no pool distribution published: pool.png not written", feed.Source)
	}
	for _, c := range charts {
		if err := reports.AddPNG(fs, c.name, reports.WithDataLine(c.fig, rounds), reports.Width, reports.Height); err != nil {
			return err
		}
	}
	if err := fs.Commit(); err != nil {
		return err
	}
	if o.JSON {
		return writeJSONDoc(s.Out, newHistoryDoc(rounds, o.Out))
	}
	return reports.WriteHistorySummary(s.Out, rounds)
}

// historyDoc is history's --json document (docs/json.md, "history"): the
// two tables of reports.WriteHistorySummary, from the same functions.
type historyDoc struct {
	Command    string           `json:"command"`
	LastRounds []historyLastDoc `json:"last_rounds"`
	Years      []historyYearDoc `json:"years"`
	Out        string           `json:"out"`
}

type historyLastDoc struct {
	Family      string `json:"family"`
	FamilyLabel string `json:"family_label"`
	DrawNumber  string `json:"draw_number"`
	DrawDate    string `json:"draw_date"`
	Invitations int    `json:"invitations"`
	Cutoff      int    `json:"cutoff"`
}

type historyYearDoc struct {
	Year        int `json:"year"`
	Rounds      int `json:"rounds"`
	Invitations int `json:"invitations"`
}

func newHistoryDoc(rounds []data.Round, out string) historyDoc {
	d := historyDoc{Command: "history", LastRounds: []historyLastDoc{}, Years: []historyYearDoc{}, Out: out}
	for _, r := range reports.LastRounds(rounds) {
		d.LastRounds = append(d.LastRounds, historyLastDoc{r.Family(), reports.DisplayFamily(r), r.Number,
			r.Date.Format(time.DateOnly), r.Invitations, r.Cutoff})
	}
	for _, y := range reports.Years(rounds) {
		d.Years = append(d.Years, historyYearDoc{y.Year, y.Rounds, y.Invitations})
	}
	return d
}
