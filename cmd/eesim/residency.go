package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/eesim/eesim/data"
	"github.com/eesim/eesim/pathway"
	"github.com/eesim/eesim/pathway/residency"
	"github.com/eesim/eesim/reports"
)

func init() { register(newResidencyCmd) }

// pathwayNow is the clock behind the default assessment dates of the
// pathway commands (today, UTC).
var pathwayNow = time.Now

// residencyOptions are the flags of "eesim residency".
type residencyOptions struct {
	Input    string   // JSON file
	Landing  string   // --landing DATE
	Absences []string // --absence DEPART:RETURN[:EXCEPTION]
	AsOf     string   // --as-of DATE
	Out      string   // --out DIR
}

// residencyFile is the JSON input of "eesim residency".
type residencyFile struct {
	Landing  *pathway.Date     `json:"landing"`
	AsOf     *pathway.Date     `json:"as_of,omitempty"`
	Absences []pathway.Absence `json:"absences"`
}

func newResidencyCmd(s *streams) *cobra.Command {
	opts := &residencyOptions{}
	cmd := &cobra.Command{
		Use:   "residency (--in FILE | --landing DATE [--absence DEPART:RETURN[:EXCEPTION]]...) [--as-of DATE] [--out DIR]",
		Short: "Check a permanent resident's 730-day residency obligation",
		Long: `Residency checks the residency obligation of a permanent resident (IRPA
s. 28): 730 days of physical presence in every 5-year period.

It prints, for the assessment date (--as-of, default today, UTC): the days
credited in the 5-year window ending that day; whether the person
complies; the worst 5-year window so far and the first day they did not
comply; and, if they leave on the assessment date and do not come back,
the last day they still comply. Before the 5th anniversary of landing the
window is the time since landing, and the person complies if they can
still reach 730 days by the day before the anniversary.

Days: departure and return days count as days in Canada (IRCC physical
presence calculator); Feb 29 is a day like any other. The 5-year window
ending on D starts on the same month and day 5 years earlier plus one day
(Feb 29 becomes Feb 28). Days abroad with an exception count as in Canada:
citizen-spouse (accompanying a citizen spouse, partner or parent),
canadian-employer (full-time employee of a Canadian business or the public
service posted abroad), accompanying-employed-pr.

Input: --in FILE, JSON {"landing": "2010-01-01", "as_of": "2015-06-01",
"absences": [{"depart": "2013-01-01", "return": "2013-02-01",
"exception": "citizen-spouse", "country": "FR"}]}; leave "return" out for
someone still abroad. Or flags: --landing and --absence
DEPART:RETURN[:EXCEPTION] (RETURN empty: still abroad). Dates after the
assessment date, overlapping absences or a return before its departure
exit with code 2 and nothing is written. With --out, writes
residency_timeline.csv and residency_window.png.`,
		Example: `  eesim residency --landing 2010-01-01 --absence 2013-01-01: --as-of 2015-06-01
  eesim residency --in cmd/eesim/testdata/residency/landing2005.json --out out/residency`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Input != "" && (opts.Landing != "" || len(opts.Absences) > 0) {
				return badInputf("residency: use --in or --landing/--absence, not both")
			}
			if opts.Input == "" && opts.Landing == "" {
				return badInputf("residency: --in FILE or --landing DATE is required")
			}
			return runResidency(opts, s)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Input, "in", "", "input JSON `FILE`")
	f.StringVar(&opts.Landing, "landing", "", "landing `DATE` (YYYY-MM-DD)")
	f.StringArrayVar(&opts.Absences, "absence", nil, "an absence `DEPART:RETURN[:EXCEPTION]` (repeatable; RETURN empty if still abroad)")
	f.StringVar(&opts.AsOf, "as-of", "", "assessment `DATE` (default: the file's as_of, else today UTC)")
	f.StringVar(&opts.Out, "out", "", "write CSV and PNG to `DIR`")
	return cmd
}

// pathwayReadJSON decodes a JSON file strictly (unknown fields are errors)
// into v; errors name the file and, for syntax errors, the line.
func pathwayReadJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return badInputf("%w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			line := 1 + bytes.Count(b[:se.Offset], []byte("\n"))
			return badInputf("%s: line %d: %w", path, line, err)
		}
		return badInputf("%s: %w", path, err)
	}
	return nil
}

// pathwayDate parses a date flag.
func pathwayDate(flag, s string) (pathway.Date, error) {
	d, err := pathway.ParseDate(s)
	if err != nil {
		return 0, badInputf("--%s: %w", flag, err)
	}
	return d, nil
}

// pathwayAsOf resolves an assessment date: the flag, else the file's, else
// today (UTC).
func pathwayAsOf(flag, value string, fromFile *pathway.Date) (pathway.Date, error) {
	if value != "" {
		return pathwayDate(flag, value)
	}
	if fromFile != nil {
		return *fromFile, nil
	}
	return pathway.FromTime(pathwayNow().UTC()), nil
}

// parseAbsenceFlag reads DEPART:RETURN[:EXCEPTION].
func parseAbsenceFlag(i int, s string) (pathway.Absence, error) {
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return pathway.Absence{}, badInputf("--absence %d %q: want DEPART:RETURN[:EXCEPTION]", i+1, s)
	}
	var a pathway.Absence
	var err error
	if a.Depart, err = pathway.ParseDate(parts[0]); err != nil {
		return a, badInputf("--absence %d: depart: %w", i+1, err)
	}
	if parts[1] != "" {
		r, err := pathway.ParseDate(parts[1])
		if err != nil {
			return a, badInputf("--absence %d: return: %w", i+1, err)
		}
		a.Return = &r
	}
	if len(parts) == 3 {
		a.Exception = pathway.Exception(parts[2])
	}
	return a, nil
}

// pathwayInputError marks a validation error from the pathway packages as
// bad input, prefixed with where the input came from.
func pathwayInputError(src string, err error) error {
	if errors.Is(err, pathway.ErrInput) {
		return badInputf("%s: %w", src, err)
	}
	return err
}

func runResidency(opts *residencyOptions, s *streams) error {
	var in residency.Input
	src := "flags"
	var fileAsOf *pathway.Date
	if opts.Input != "" {
		src = opts.Input
		var f residencyFile
		if err := pathwayReadJSON(opts.Input, &f); err != nil {
			return err
		}
		if f.Landing == nil {
			return badInputf("%s: landing: missing", opts.Input)
		}
		in = residency.Input{Landing: *f.Landing, Absences: f.Absences}
		fileAsOf = f.AsOf
	} else {
		var err error
		if in.Landing, err = pathwayDate("landing", opts.Landing); err != nil {
			return err
		}
		for i, a := range opts.Absences {
			ab, err := parseAbsenceFlag(i, a)
			if err != nil {
				return err
			}
			in.Absences = append(in.Absences, ab)
		}
	}
	asOf, err := pathwayAsOf("as-of", opts.AsOf, fileAsOf)
	if err != nil {
		return err
	}
	c, err := residency.New(in, asOf)
	if err != nil {
		return pathwayInputError(src, err)
	}
	a := c.Assess()
	if err := printResidency(s.Out, c, a); err != nil {
		return err
	}
	if opts.Out == "" {
		return nil
	}
	return writeResidencyOutputs(opts.Out, c, a, s)
}

func printResidency(w io.Writer, c *residency.Calc, a residency.Assessment) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Residency obligation (IRPA s. 28): %d days in every 5-year period\n", residency.RequiredDays)
	fmt.Fprintf(&b, "Landed %s, assessed on %s\n\n", c.Landing(), a.AsOf)
	win := a.Window
	if win.Full {
		fmt.Fprintf(&b, "Window %s to %s (%s days): %s days credited", win.Start, win.End, reports.Thousands(win.Days()), reports.Thousands(win.Credited))
	} else {
		fmt.Fprintf(&b, "Since landing, %s to %s (%s days): %s days credited", win.Start, win.End, reports.Thousands(win.Days()), reports.Thousands(win.Credited))
	}
	if win.Excepted > 0 {
		fmt.Fprintf(&b, ", of which %s abroad under an exception", reports.Thousands(win.Excepted))
	}
	b.WriteString("\n")
	if a.Remaining > 0 {
		fmt.Fprintf(&b, "First 5-year period ends %s: %s days left to add\n", a.Deadline, reports.Thousands(a.Remaining))
	}
	if a.Complies {
		fmt.Fprintf(&b, "On %s: COMPLIES (%s to spare)\n", a.AsOf, pathwayDays(win.Credited+a.Remaining-residency.RequiredDays))
	} else {
		fmt.Fprintf(&b, "On %s: DOES NOT COMPLY (%s short)\n", a.AsOf, pathwayDays(a.Shortfall))
	}
	if a.Worst == nil {
		fmt.Fprintf(&b, "Worst 5-year window: none yet (the first ends %s)\n", a.Deadline)
	} else {
		fmt.Fprintf(&b, "Worst 5-year window so far: %s to %s, %s\n", a.Worst.Start, a.Worst.End, pathwayDays(a.Worst.Credited))
	}
	switch {
	case a.Worst != nil && a.Worst.Credited < residency.RequiredDays:
		fmt.Fprintf(&b, "Every 5-year window since landing: FAILS (the window %s to %s holds fewer than %d days; an officer may examine any window)\n", a.Worst.Start, a.Worst.End, residency.RequiredDays)
	case a.FirstBreach != nil:
		fmt.Fprintf(&b, "Every day since landing: FAILS (from %s on the person could no longer reach %d days by %s)\n", a.FirstBreach, residency.RequiredDays, a.Deadline)
	default:
		b.WriteString("Every 5-year window since landing: complies\n")
	}
	if a.FirstBreach != nil {
		fmt.Fprintf(&b, "First day not complying: %s\n", a.FirstBreach)
	} else {
		b.WriteString("First day not complying: none so far\n")
	}
	if a.ComplyThrough != nil {
		fmt.Fprintf(&b, "Outside Canada from %s on (leaving that day, or still abroad) without returning: complies through %s\n", a.AsOf, a.ComplyThrough)
	} else {
		b.WriteString("Outside Canada from now on without returning: does not comply now\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// pathwayDays formats a count of days: "1 day", "1,095 days".
func pathwayDays(n int) string {
	if n == 1 {
		return "1 day"
	}
	return reports.Thousands(n) + " days"
}

func writeResidencyOutputs(dir string, c *residency.Calc, a residency.Assessment, s *streams) error {
	var days []reports.PresenceDay
	for _, d := range c.Timeline() {
		pd := reports.PresenceDay{Date: d.Date.Time(), InCanada: d.Credit == 1, Excepted: d.Excepted,
			WindowStart: d.Window.Start.Time(), Credited: float64(d.Window.Credited), Complies: d.Complies}
		if r := c.Remaining(d.Date); r > 0 {
			pd.Reachable = float64(d.Window.Credited + r)
		}
		days = append(days, pd)
	}
	// Projection: leaving on the assessment date, up to 60 days past the
	// last compliant day (or 1 year if the person does not comply now).
	end := a.AsOf.AddYears(1)
	if a.ComplyThrough != nil {
		end = *a.ComplyThrough + 60
	}
	end = pathway.Min(end, pathway.Max(a.AsOf, a.Deadline).AddYears(residency.WindowYears))
	for e := a.AsOf + 1; e <= end; e++ {
		w := c.WindowEnding(e)
		pd := reports.PresenceDay{Date: e.Time(), WindowStart: w.Start.Time(), Credited: float64(w.Credited), Complies: c.Complies(e), Projected: true}
		if r := c.Remaining(e); r > 0 {
			pd.Reachable = float64(w.Credited + r)
		}
		days = append(days, pd)
	}
	marks := []reports.DateMark{{Date: a.AsOf.Time(), Label: "assessed"}}
	if a.Deadline <= end {
		marks = append(marks, reports.DateMark{Date: a.Deadline.Time(), Label: "first 5-year period ends"})
	}
	if a.FirstBreach != nil {
		marks = append(marks, reports.DateMark{Date: a.FirstBreach.Time(), Label: "first day not complying"})
	}
	fig, err := reports.PresenceChart{
		Title:          fmt.Sprintf("Residency obligation: days in Canada in the 5-year window (landed %s)", c.Landing()),
		YLabel:         "Days credited in the window (days)",
		Threshold:      residency.RequiredDays,
		ThresholdLabel: "730-day requirement",
		LineLabel:      "credited days in the window",
		ProjLabel:      fmt.Sprintf("if outside Canada from %s on", a.AsOf),
		ReachLabel:     fmt.Sprintf("credited + days left to %s (first 5 years)", a.Deadline),
		Days:           days,
		Marks:          marks,
	}.Figure()
	if err != nil {
		return err
	}
	return writePresence(s, dir, "residency_timeline.csv", "residency_window.png", days, fig)
}

// writePresence writes the timeline CSV and the chart of a presence
// calculator into dir, together or not at all.
func writePresence(s *streams, dir, csvName, pngName string, days []reports.PresenceDay, fig reports.Figure) error {
	fs, err := data.NewFileSet(dir)
	if err != nil {
		return err
	}
	defer fs.Abort()
	if err := fs.Add(csvName, func(w io.Writer) error { return reports.WritePresenceCSV(w, days) }); err != nil {
		return err
	}
	if err := reports.AddPNG(fs, pngName, fig, reports.Width, reports.Height); err != nil {
		return err
	}
	if err := fs.Commit(); err != nil {
		return err
	}
	s.notef("wrote %s/%s and %s", dir, csvName, pngName)
	return nil
}
