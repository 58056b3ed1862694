package main

import (
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

// pathwayNow is the clock behind the default assessment dates of the
// pathway commands (today, UTC).
var pathwayNow = time.Now

// residencyOptions are the flags of "eesim residency".
type residencyOptions struct {
	Input    string   // JSON file
	Landing  string   // --landing DATE
	Absences []string // --absence from=..,to=..,country=..,reason=.. (or DEPART:RETURN[:REASON])
	Travel   string   // --travel FILE (CSV or JSON)
	AsOf     string   // --as-of DATE
	Out      string   // --out DIR
	JSON     bool     // --json
}

// residencyFile is the JSON input of "eesim residency". Absences are
// decoded one by one so that an error names its position.
type residencyFile struct {
	Landing  *pathway.Date     `json:"landing"`
	AsOf     *pathway.Date     `json:"as_of,omitempty"`
	Absences []json.RawMessage `json:"absences"`
}

// residencyLong is the help text of the command.
const residencyLong = `Residency checks the residency obligation of a permanent resident (IRPA
s. 28): 730 days of physical presence in every 5-year period.

It prints, for the assessment date (--as-of, default today, UTC): the days
credited in the 5-year window ending that day; whether the person
complies; the worst 5-year window so far and the first day they did not
comply; and, if they leave on the assessment date and do not come back,
the last day they still comply. Before the 5th anniversary of landing the
window is the time since landing, and the person complies if they can
still reach 730 days by the day before the anniversary. --as-of may fall
inside an absence, or before later travel: the history is taken as known
that day (an absence returning later is still under way, later trips are
not counted), so a past date needs no edited history.

Days: departure and return days count as days in Canada (IRCC physical
presence calculator); Feb 29 is a day like any other. The 5-year window
ending on D starts on the same month and day 5 years earlier plus one day
(Feb 29 becomes Feb 28). Days abroad count as in Canada for these reasons
(IRPA s. 28(2)(a)): citizen-spouse (accompanying a citizen spouse,
partner or parent), canadian-employer (full-time employee of a Canadian
business or the public service posted abroad), public-service (the
federal or a provincial public service), accompanying-employed-pr.
armed-forces and accompanying-crown-servant are citizenship reasons: they
count as absent here, with a warning.

Travel: --absence from=2019-01-01,to=2020-01-01,country=FR,reason=R
(repeatable; to left out while still abroad; several countries as
country=FR;DE@2019-07-01 with each later country's arrival day), or the
older DEPART:RETURN[:REASON]; or --travel FILE, CSV with a header row
from,to,country,reason or JSON [{"from", "to", "country", "reason"}].
Or --in FILE, JSON {"landing": "2010-01-01", "as_of": "2015-06-01",
"absences": [{"from": "2013-01-01", "to": "2013-02-01", "reason":
"citizen-spouse", "country": "FR"}]} (also "depart", "return",
"exception"). Overlapping absences or a return before its departure exit
with code 2 and nothing is written. --json prints one JSON document
(docs/json.md). With --out, writes residency_timeline.csv and
residency_window.png.`

func newResidencyCmd(s *streams) *cobra.Command {
	opts := &residencyOptions{}
	cmd := &cobra.Command{
		Use:   "residency (--in FILE | --landing DATE [--absence from=DATE,to=DATE,...]... | --travel FILE) [--as-of DATE] [--json] [--out DIR]",
		Short: "Check a permanent resident's 730-day residency obligation",
		Long:  residencyLong,
		Example: `  eesim residency --landing 2010-01-01 --absence from=2013-01-01 --as-of 2015-06-01
  eesim residency --landing 2010-01-01 --absence from=2013-01-01,to=2017-01-01,country=FR --as-of 2015-06-01 --json
  eesim residency --in cmd/eesim/testdata/residency/landing2005.json --out out/residency`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Input != "" && (opts.Landing != "" || len(opts.Absences) > 0) {
				return badInputf("residency: use --in or --landing/--absence, not both")
			}
			if opts.Input == "" && opts.Landing == "" {
				return badInputf("residency: --in FILE or --landing DATE is required")
			}
			if opts.Travel != "" && len(opts.Absences) > 0 {
				return badInputf("residency: use --absence or --travel, not both")
			}
			return runResidency(opts, s)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Input, "in", "", "input JSON `FILE`")
	f.StringVar(&opts.Landing, "landing", "", "landing `DATE` (YYYY-MM-DD)")
	f.StringArrayVar(&opts.Absences, "absence", nil, "an absence `from=DATE,to=DATE,country=C,reason=R` (repeatable; to empty if still abroad)")
	f.StringVar(&opts.Travel, "travel", "", "travel history `FILE`: CSV (from,to,country,reason) or JSON")
	f.StringVar(&opts.AsOf, "as-of", "", "assessment `DATE` (default: the file's as_of, else today UTC)")
	f.BoolVar(&opts.JSON, "json", false, "print one JSON document instead of the text")
	f.StringVar(&opts.Out, "out", "", "write CSV and PNG to `DIR`")
	return cmd
}

// pathwayReadJSON decodes a JSON file strictly (unknown fields are errors)
// into v; errors name the file and, for syntax errors, the line.
func pathwayReadJSON(path string, v any) error {
	if err := data.DecodeJSONFile(path, v); err != nil {
		return badInput(err)
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

// pathwaySrc says where an input came from, for error messages: In is
// the --in file or "flags", Travel the --travel file ("" if none) and
// Lines its lines, one per absence.
type pathwaySrc struct {
	In, Travel string
	Lines      []int
}

// pathwayAbsences reads the travel history of the flags: each --absence
// in the named form (or the older positional one, whose third field is
// third), or the --travel file, whose lines it returns.
func pathwayAbsences(flags []string, third pathway.Third, travel string) (abs []pathway.Absence, lines []int, err error) {
	if travel != "" {
		f, err := os.Open(travel)
		if err != nil {
			return nil, nil, badInputf("%w", err)
		}
		defer f.Close()
		abs, lines, err = pathway.ReadTravel(f)
		if err != nil {
			return nil, nil, badInputf("%s: %w", travel, err)
		}
		return abs, lines, nil
	}
	for i, v := range flags {
		var a pathway.Absence
		if strings.Contains(v, "=") {
			a, err = pathway.ParseAbsence(v)
		} else {
			a, err = pathway.ParsePositional(v, third)
		}
		if err != nil {
			return nil, nil, badInputf("--absence %d %q: %w", i+1, v, err)
		}
		abs = append(abs, a)
	}
	return abs, nil, nil
}

// pathwayInputError marks a validation error from the pathway packages as
// bad input, prefixed with where the input came from: the travel file
// (and its line) for an error about an absence read from one, else the
// input file or the flags.
func pathwayInputError(src pathwaySrc, err error) error {
	if !errors.Is(err, pathway.ErrInput) {
		return err
	}
	var ie *pathway.InputError
	if src.Travel != "" && errors.As(err, &ie) && ie.List == "absences" {
		return badInputf("%s: %w", src.Travel, pathway.AtLine(err, src.Lines))
	}
	return badInputf("%s: %w", src.In, err)
}

// pathwayWarn prints warnings on stderr.
func pathwayWarn(s *streams, warnings []string) {
	for _, w := range warnings {
		s.warnf("%s", w)
	}
}

// residencyDoc is the --json document (docs/json.md, "residency").
type residencyDoc struct {
	Command      string `json:"command"`
	Source       string `json:"source"`
	RequiredDays int    `json:"required_days"`
	WindowYears  int    `json:"window_years"`
	residency.Assessment
}

func runResidency(opts *residencyOptions, s *streams) error {
	in, fileAsOf, src, err := residencyInput(opts)
	if err != nil {
		return err
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
	pathwayWarn(s, a.Warnings)
	if opts.JSON {
		err = writeJSONDoc(s.Out, residencyDoc{"residency", residency.Source, residency.RequiredDays, residency.WindowYears, a})
	} else {
		err = printResidency(s.Out, a)
	}
	if err != nil || opts.Out == "" {
		return err
	}
	return writeResidencyOutputs(opts.Out, c, a, s)
}

// residencyInput reads the input from --in, or from --landing with
// --absence or --travel.
func residencyInput(opts *residencyOptions) (in residency.Input, asOf *pathway.Date, src pathwaySrc, err error) {
	src = pathwaySrc{In: "flags", Travel: opts.Travel}
	if opts.Input == "" {
		if in.Landing, err = pathwayDate("landing", opts.Landing); err != nil {
			return in, nil, src, err
		}
		in.Absences, src.Lines, err = pathwayAbsences(opts.Absences, pathway.ThirdReason, opts.Travel)
		return in, nil, src, err
	}
	var f residencyFile
	if err := pathwayReadJSON(opts.Input, &f); err != nil {
		return in, nil, src, err
	}
	if f.Landing == nil {
		return in, nil, src, badInputf("%s: landing: missing", opts.Input)
	}
	in.Landing, src.In = *f.Landing, opts.Input
	if in.Absences, err = pathway.DecodeAbsences(f.Absences); err != nil {
		return in, nil, src, badInputf("%s: %w", opts.Input, err)
	}
	if opts.Travel != "" {
		if len(f.Absences) > 0 {
			return in, nil, src, badInputf("%s: absences given in the file and with --travel; give them once", opts.Input)
		}
		in.Absences, src.Lines, err = pathwayAbsences(nil, pathway.ThirdReason, opts.Travel)
	}
	return in, f.AsOf, src, err
}

func printResidency(w io.Writer, a residency.Assessment) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Residency obligation (IRPA s. 28): %d days in every 5-year period\n", residency.RequiredDays)
	fmt.Fprintf(&b, "Rule source: %s\n", residency.Source)
	fmt.Fprintf(&b, "Landed %s, assessed on %s\n", a.Landing, a.AsOf)
	for _, c := range a.Clipped {
		fmt.Fprintf(&b, "Travel as known on %s: %s\n", a.AsOf, c.Note)
	}
	b.WriteString("\n")
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
		fmt.Fprintf(&b, "On %s: COMPLIES (%s to spare)\n", a.AsOf, pathwayDays(a.Spare))
	} else {
		fmt.Fprintf(&b, "On %s: DOES NOT COMPLY (%s short)\n", a.AsOf, pathwayDays(a.Shortfall))
	}
	writeResidencyHistory(&b, a)
	_, err := io.WriteString(w, b.String())
	return err
}

// writeResidencyHistory writes the worst window, the first breach and the
// leave-for-good projection.
func writeResidencyHistory(b *strings.Builder, a residency.Assessment) {
	if a.Worst == nil {
		fmt.Fprintf(b, "Worst 5-year window: none yet (the first ends %s)\n", a.Deadline)
	} else {
		fmt.Fprintf(b, "Worst 5-year window so far: %s to %s, %s\n", a.Worst.Start, a.Worst.End, pathwayDays(a.Worst.Credited))
	}
	switch {
	case a.Worst != nil && a.Worst.Credited < residency.RequiredDays:
		fmt.Fprintf(b, "Every 5-year window since landing: FAILS (the window %s to %s holds fewer than %d days; an officer may examine any window)\n", a.Worst.Start, a.Worst.End, residency.RequiredDays)
	case a.FirstBreach != nil:
		fmt.Fprintf(b, "Every day since landing: FAILS (from %s on the person could no longer reach %d days by %s)\n", a.FirstBreach, residency.RequiredDays, a.Deadline)
	default:
		b.WriteString("Every 5-year window since landing: complies\n")
	}
	if a.FirstBreach != nil {
		fmt.Fprintf(b, "First day not complying: %s\n", a.FirstBreach)
	} else {
		b.WriteString("First day not complying: none so far\n")
	}
	if a.ComplyThrough != nil {
		fmt.Fprintf(b, "Outside Canada from %s on (leaving that day, or still abroad) without returning: complies through %s\n", a.AsOf, a.ComplyThrough)
	} else {
		b.WriteString("Outside Canada from now on without returning: does not comply now\n")
	}
}

// pathwayDays formats a count of days: "1 day", "1,095 days".
func pathwayDays(n int) string {
	if n == 1 {
		return "1 day"
	}
	return reports.Thousands(n) + " days"
}

func writeResidencyOutputs(dir string, c *residency.Calc, a residency.Assessment, s *streams) error {
	days, end := residencyDays(c, a)
	marks := []reports.DateMark{{Date: a.AsOf.Time(), Label: "assessed"}}
	if a.Deadline <= end {
		marks = append(marks, reports.DateMark{Date: a.Deadline.Time(), Label: "first 5-year period ends"})
	}
	if a.FirstBreach != nil {
		marks = append(marks, reports.DateMark{Date: a.FirstBreach.Time(), Label: "first day not complying"})
	}
	fig, err := reports.PresenceChart{
		Title:          fmt.Sprintf("Residency obligation (IRPA s. 28): days in Canada in the 5-year window (landed %s)", c.Landing()),
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

// residencyDays converts the timeline and the leave-for-good projection to
// chart and CSV rows; end is the last day projected.
func residencyDays(c *residency.Calc, a residency.Assessment) (days []reports.PresenceDay, end pathway.Date) {
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
	end = a.AsOf.AddYears(1)
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
	return days, end
}

// writePresence writes the timeline CSV and the chart of a presence
// calculator into dir, together or not at all.
func writePresence(s *streams, dir, csvName, pngName string, days []reports.PresenceDay, fig reports.Figure) error {
	fs, err := data.NewFileSet(dir)
	if err != nil {
		return err
	}
	defer fs.Abort()
	if err := fs.Add(csvName, func(w io.Writer) error { return reports.WritePresenceCSV(w, residency.Source, days) }); err != nil {
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
