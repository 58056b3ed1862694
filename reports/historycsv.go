package reports

import (
	"cmp"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/eesim/eesim/data"
)

// MonthlyRow is the rounds and invitations of one family key in one
// calendar month (of the round date, UTC).
type MonthlyRow struct {
	Month       time.Time // the first day of the month
	Family      string    // family key, data.Round.Family
	Label       string    // display family (DisplayFamily), the charts' group
	Rounds      int
	Invitations int
}

// MonthlyByFamily sums the rounds and invitations of rounds by calendar
// month and family key: one row per month and family with a round, months
// oldest first, families in display-family order (Families), then by key.
// Unlike MonthlyInvitations (the chart's data), it keeps family keys
// apart, so that its rows join the other datasets on family
// (docs/datasets.md); the sums over a display family are the same.
func MonthlyByFamily(rounds []data.Round) []MonthlyRow {
	type k struct {
		month  time.Time
		family string
	}
	sums := map[k]*MonthlyRow{}
	for _, r := range rounds {
		key := k{monthStart(r.Date), r.Family()}
		m := sums[key]
		if m == nil {
			m = &MonthlyRow{Month: key.month, Family: key.family, Label: DisplayFamily(r)}
			sums[key] = m
		}
		m.Rounds++
		m.Invitations += r.Invitations
	}
	order := map[string]int{}
	for i, f := range Families {
		order[f] = i
	}
	out := make([]MonthlyRow, 0, len(sums))
	for _, m := range sums {
		out = append(out, *m)
	}
	slices.SortFunc(out, func(a, b MonthlyRow) int {
		if c := a.Month.Compare(b.Month); c != 0 {
			return c
		}
		if c := cmp.Compare(order[a.Label], order[b.Label]); c != 0 {
			return c
		}
		return strings.Compare(a.Family, b.Family)
	})
	return out
}

// WriteMonthlyCSV writes invitations-monthly.csv, one row per month and
// family key with a round (MonthlyByFamily), with the columns of
// docs/datasets.md: month_start (YYYY-MM-DD), family (key), family_label
// (display family), rounds, invitations.
func WriteMonthlyCSV(w io.Writer, rows []MonthlyRow) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"month_start", "family", "family_label", "rounds", "invitations"})
	for _, m := range rows {
		cw.Write([]string{data.CSVDate(m.Month), m.Family, m.Label,
			strconv.Itoa(m.Rounds), strconv.Itoa(m.Invitations)})
	}
	cw.Flush()
	return cw.Error()
}

// WriteLagsCSV writes tiebreak-lag.csv, one row per round, with the column
// names of rounds.csv (docs/datasets.md): draw_number, draw_date
// (YYYY-MM-DD), family (key), family_label (display family), instant and
// tiebreak (data.CSVTime, UTC), lag_days (3 decimals).
func WriteLagsCSV(w io.Writer, lags []Lag) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"draw_number", "draw_date", "family", "family_label", "instant", "tiebreak", "lag_days"})
	for _, g := range lags {
		cw.Write([]string{g.Number, data.CSVDate(g.Date), g.Key, g.Family,
			data.CSVTime(g.Instant), data.CSVTime(g.TieBreak),
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
