package reports

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/eesim/eesim/data"
)

// WriteMonthlyCSV writes m as CSV, one row per month and family present
// (months without a round of the family are left out), oldest first:
// month_start (YYYY-MM-DD, as data's CSV writers give dates), family,
// rounds, invitations.
func WriteMonthlyCSV(w io.Writer, m Monthly) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"month_start", "family", "rounds", "invitations"})
	for i, t := range m.Months {
		for j, f := range m.Families {
			if m.Rounds[i][j] == 0 {
				continue
			}
			cw.Write([]string{t.Format(time.DateOnly), f,
				strconv.Itoa(m.Rounds[i][j]), strconv.Itoa(m.Invitations[i][j])})
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteLagsCSV writes the tie-break lags as CSV, one row per round: number,
// date (YYYY-MM-DD), family, instant and tie_break (RFC 3339 UTC),
// lag_days (3 decimals).
func WriteLagsCSV(w io.Writer, lags []Lag) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"number", "date", "family", "instant", "tie_break", "lag_days"})
	for _, g := range lags {
		cw.Write([]string{g.Number, g.Date.Format(time.DateOnly), g.Family,
			g.Instant.UTC().Format(time.RFC3339), g.TieBreak.UTC().Format(time.RFC3339),
			strconv.FormatFloat(g.Days, 'f', 3, 64)})
	}
	cw.Flush()
	return cw.Error()
}

// WriteHistorySummary writes the text summary of eesim history: the last
// round of each display family, then rounds and invitations per year.
func WriteHistorySummary(w io.Writer, rounds []data.Round) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "Last round of each family:")
	fmt.Fprintln(tw, "family\tround\tdate\tinvitations\tcutoff\t")
	for _, r := range LastRounds(rounds) {
		fmt.Fprintf(tw, "%s\t#%s\t%s\t%s\t%d\t\n", DisplayFamily(r), r.Number,
			r.Date.Format("2006-01-02"), Thousands(r.Invitations), r.Cutoff)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Invitations per year:")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "year\trounds\tinvitations\t")
	for _, y := range Years(rounds) {
		fmt.Fprintf(tw, "%d\t%d\t%s\t\n", y.Year, y.Rounds, Thousands(y.Invitations))
	}
	return tw.Flush()
}
