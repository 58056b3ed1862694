package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/eesim/eesim/data"
	"github.com/eesim/eesim/draws"
	"github.com/eesim/eesim/pathway"
	"github.com/eesim/eesim/pathway/nseoi"
	"github.com/eesim/eesim/reports"
)

// nseoiOptions are the flags of "eesim ns-eoi".
type nseoiOptions struct {
	Profile  string
	Date     string
	Pool     string
	TieBreak string
	Invited  string   // --invited DATE: the deadlines after an ITA
	Steps    []string // --step NAME=DATE
	Holidays []string // --holiday DATE
	Out      string
	JSON     bool
}

// nseoiTime is a time in JSON: RFC 3339, or a date (midnight UTC).
type nseoiTime struct{ time.Time }

func (t *nseoiTime) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("time: want a string, got %s", b)
	}
	for _, layout := range []string{time.RFC3339, time.DateOnly} {
		if v, err := time.Parse(layout, s); err == nil {
			t.Time = v.UTC()
			return nil
		}
	}
	return fmt.Errorf("time %q: want RFC 3339 (2025-03-01T09:00:00Z) or a date (2025-03-01)", s)
}

// nseoiPoolFile is the --pool input.
type nseoiPoolFile struct {
	TieBreak string `json:"tie_break,omitempty"`
	EOIs     []struct {
		ID        string         `json:"id"`
		Points    *int           `json:"points,omitempty"`
		Profile   *nseoi.Profile `json:"profile,omitempty"`
		Submitted nseoiTime      `json:"submitted"`
		Replaces  string         `json:"replaces,omitempty"`
	} `json:"eois"`
	Rounds []struct {
		Date nseoiTime `json:"date"`
		Size int       `json:"size"`
	} `json:"rounds"`
}

// nseoiLong is the help text of the command.
const nseoiLong = `Ns-eoi works with Nova Scotia's International Graduate Entrepreneur
stream, an Expression of Interest (EOI) pool.

--profile FILE scores one EOI profile (JSON) on the points matrix, at
most 105: first official language (CLB 7 minimum in each ability), second
official language, education (a Nova Scotia credential of 2+ years
minimum), work experience, age (21 minimum), adaptability (max 10) and
economic priorities (max 10). It prints each factor with its minimum and
cap, and every reason the profile is ineligible (the stream's minimums,
excluded applicants and businesses). --date is the EOI date (default
today, UTC): the language test must be under 2 years old then. Languages
are CLB levels [listening, reading, writing, speaking], or test results
as eesim crs takes them: {"test": "IELTS", "reading": 6.5, "writing": 6,
"speaking": 7, "listening": 8, "test_date": "2025-01-15"} with test
IELTS, CELPIP, TEF, TCF, CLB or NCLC, converted with IRCC's charts.

--pool FILE runs EOI rounds on eesim's draws engine: EOIs ranked by
points, an EOI leaving the pool one calendar year after it was received
(366 days across a February 29), the top N of each round invited, ties
at the cutoff broken by submission time (--tie-break submission, earliest
first) or all invited (all-tied). The file: {"eois": [{"id": "a",
"points": 80, "submitted": "2025-03-01T09:00:00Z"}, {"id": "b",
"profile": {...}, "submitted": ..., "replaces": "old-id"}], "rounds":
[{"date": "2025-04-01", "size": 2}]}. EOIs given by profile are scored on
their submission date; ineligible ones are left out with a warning. With
--out, writes nseoi_rounds.csv and nseoi_invitations.csv.

--invited DATE lists the deadlines after an invitation to apply: name the
assurance-service provider within 20 days and send the complete
application within 90 days of the invitation; the interview within 15
business days of being contacted; apply to IRCC within 6 months of the
nomination; send the PR confirmation within 30 business days of becoming
a PR. --step NAME=DATE gives the dates known (provider-named, application,
interview-contact, interview, nominated, pr-application, pr-landed,
confirmation-sent); --date is the assessment date (default today).
Business days are Monday to Friday less the --holiday dates: eesim has no
calendar of Nova Scotia's holidays, so without them a business-day
deadline is the earliest it can be.

--json prints one JSON document (docs/json.md).`

func newNSEOICmd(s *streams) *cobra.Command {
	opts := &nseoiOptions{}
	cmd := &cobra.Command{
		Use:   "ns-eoi (--profile FILE [--date DATE] | --pool FILE [--tie-break RULE] [--out DIR] | --invited DATE [--step NAME=DATE]... [--holiday DATE]... [--date DATE]) [--json]",
		Short: "Nova Scotia International Graduate Entrepreneur: EOI points, pool rounds and deadlines",
		Long:  nseoiLong,
		Example: `  eesim ns-eoi --profile cmd/eesim/testdata/nseoi/profile.json --date 2026-03-01
  eesim ns-eoi --pool cmd/eesim/testdata/nseoi/pool.json --out out/nseoi
  eesim ns-eoi --invited 2025-04-01 --step provider-named=2025-04-15 --step interview-contact=2025-07-07 --holiday 2025-07-14 --date 2025-07-10`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := nseoiCheckFlags(opts); err != nil {
				return err
			}
			switch {
			case opts.Profile != "":
				return runNSEOIProfile(opts, s)
			case opts.Invited != "":
				return runNSEOIDeadlines(opts, s)
			}
			return runNSEOIPool(opts, s)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Profile, "profile", "", "EOI profile JSON `FILE` to score")
	f.StringVar(&opts.Date, "date", "", "EOI `DATE` for --profile, assessment date for --invited (default today, UTC)")
	f.StringVar(&opts.Pool, "pool", "", "EOIs and rounds JSON `FILE`")
	f.StringVar(&opts.TieBreak, "tie-break", "", "ties at the cutoff: submission (earliest first) or all-tied (default: the file's, else submission)")
	f.StringVar(&opts.Invited, "invited", "", "`DATE` of the invitation to apply: list the deadlines after it")
	f.StringArrayVar(&opts.Steps, "step", nil, "a step after the invitation, `NAME=DATE` (repeatable)")
	f.StringArrayVar(&opts.Holidays, "holiday", nil, "a holiday `DATE`, not a business day (repeatable)")
	f.BoolVar(&opts.JSON, "json", false, "print one JSON document instead of the text")
	f.StringVar(&opts.Out, "out", "", "write the rounds CSV to `DIR`")
	return cmd
}

// nseoiCheckFlags checks that one mode is chosen and its flags go with it.
func nseoiCheckFlags(opts *nseoiOptions) error {
	modes := 0
	for _, m := range []string{opts.Profile, opts.Pool, opts.Invited} {
		if m != "" {
			modes++
		}
	}
	switch {
	case modes != 1:
		return badInputf("ns-eoi: give exactly one of --profile FILE, --pool FILE and --invited DATE")
	case opts.Pool == "" && (opts.TieBreak != "" || opts.Out != ""):
		return badInputf("ns-eoi: --tie-break and --out go with --pool")
	case opts.Pool != "" && opts.Date != "":
		return badInputf("ns-eoi: --date goes with --profile or --invited (pool EOIs are scored on their submission date)")
	case opts.Invited == "" && (len(opts.Steps) > 0 || len(opts.Holidays) > 0):
		return badInputf("ns-eoi: --step and --holiday go with --invited")
	}
	return nil
}

// nseoiProfileDoc is the --profile --json document (docs/json.md, "ns-eoi").
type nseoiProfileDoc struct {
	Command          string       `json:"command"`
	Mode             string       `json:"mode"`
	Source           string       `json:"source"`
	Date             pathway.Date `json:"date"`
	MaxPoints        int          `json:"max_points"`
	EOIValidityYears int          `json:"eoi_validity_years"`
	nseoi.Score
}

func runNSEOIProfile(opts *nseoiOptions, s *streams) error {
	var p nseoi.Profile
	if err := pathwayReadJSON(opts.Profile, &p); err != nil {
		return err
	}
	if err := p.Validate(); err != nil {
		return badInputf("%s: %w", opts.Profile, err)
	}
	date, err := pathwayAsOf("date", opts.Date, nil)
	if err != nil {
		return err
	}
	sc := nseoi.Points(p, date)
	pathwayWarn(s, sc.Warnings)
	if opts.JSON {
		return writeJSONDoc(s.Out, nseoiProfileDoc{"ns-eoi", "profile", nseoi.Source, date, nseoi.MaxPoints, nseoi.EOIValidityYears, sc})
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Nova Scotia International Graduate Entrepreneur: EOI points on %s\n", date)
	fmt.Fprintf(&b, "Rule source: %s\n\n", nseoi.Source)
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "factor\tpoints\tminimum\tmax\tdetail")
	for _, f := range sc.Factors {
		min := "-"
		if f.Min > 0 {
			min = strconv.Itoa(f.Min)
		}
		if !f.MinimumMet {
			min += " NOT MET"
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%d\t%s\n", f.Name, f.Points, min, f.Max, f.Explanation)
	}
	fmt.Fprintf(tw, "total\t%d\t\t%d\t\n", sc.Total, nseoi.MaxPoints)
	tw.Flush()
	if sc.Eligible {
		fmt.Fprintf(&b, "\nEligible: yes; the EOI stays in the pool at most %d year from the date received\n", nseoi.EOIValidityYears)
	} else {
		b.WriteString("\nEligible: NO\n")
		for _, r := range sc.Reasons {
			fmt.Fprintf(&b, "  - %s\n", r)
		}
	}
	_, err = io.WriteString(s.Out, b.String())
	return err
}

func parseNSTieBreak(s string) (draws.TieBreak, error) {
	switch s {
	case "", "submission":
		return draws.BySubmission, nil
	case "all-tied":
		return draws.AllTied, nil
	}
	return 0, fmt.Errorf("tie-break %q: want submission or all-tied", s)
}

func runNSEOIPool(opts *nseoiOptions, s *streams) error {
	var f nseoiPoolFile
	if err := pathwayReadJSON(opts.Pool, &f); err != nil {
		return err
	}
	tbName := f.TieBreak
	if opts.TieBreak != "" {
		tbName = opts.TieBreak
	}
	tb, err := parseNSTieBreak(tbName)
	if err != nil {
		return badInputf("%s: %w", opts.Pool, err)
	}
	eois, err := nseoiEOIs(opts.Pool, f, s)
	if err != nil {
		return err
	}
	var rounds []nseoi.Round
	for _, r := range f.Rounds {
		rounds = append(rounds, nseoi.Round{Date: r.Date.Time, Size: r.Size})
	}
	if len(rounds) == 0 {
		return badInputf("%s: rounds: none given", opts.Pool)
	}
	res, err := nseoi.Run(eois, rounds, nseoi.Config{TieBreak: tb})
	if err != nil {
		return badInputf("%s: %w", opts.Pool, err)
	}
	if opts.JSON {
		err = writeJSONDoc(s.Out, nseoiPoolJSON(len(eois), tb, res))
	} else {
		err = printNSEOIRounds(s.Out, len(eois), len(rounds), tb, res)
	}
	if err != nil {
		return err
	}
	if opts.Out == "" {
		return nil
	}
	return writeNSEOIOutputs(opts.Out, eois, res, s)
}

// nseoiEOIs converts the file's EOIs, scoring those given by profile on
// their submission date; ineligible ones are left out with a warning.
func nseoiEOIs(src string, f nseoiPoolFile, s *streams) ([]nseoi.EOI, error) {
	var eois []nseoi.EOI
	for i, e := range f.EOIs {
		var pts int
		switch {
		case e.Points != nil && e.Profile != nil:
			return nil, badInputf("%s: eois[%d]: give points or profile, not both", src, i+1)
		case e.Points != nil:
			pts = *e.Points
		case e.Profile != nil:
			if err := e.Profile.Validate(); err != nil {
				return nil, badInputf("%s: eois[%d].profile: %w", src, i+1, err)
			}
			sc := nseoi.Points(*e.Profile, pathway.FromTime(e.Submitted.Time))
			if !sc.Eligible {
				s.warnf("%s: eois[%d] %q is ineligible and stays out of the pool: %s", src, i+1, e.ID, strings.Join(sc.Reasons, "; "))
				continue
			}
			pts = sc.Total
		default:
			return nil, badInputf("%s: eois[%d]: points or profile is required", src, i+1)
		}
		eois = append(eois, nseoi.EOI{ID: e.ID, Points: pts, Submitted: e.Submitted.Time, Replaces: e.Replaces})
	}
	return eois, nil
}

func printNSEOIRounds(w io.Writer, nEOIs, nRounds int, tb draws.TieBreak, res []nseoi.Result) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Nova Scotia EOI rounds: %d EOIs, %d rounds, ties by %s\n", nEOIs, nRounds, nseoiTieNames[tb])
	fmt.Fprintf(&b, "Rule source: %s; an EOI stays in the pool at most %d year from the date received (a calendar year)\n\n", nseoi.Source, nseoi.EOIValidityYears)
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "round date\tsize\tin pool\texpired\tinvited\tcutoff\ttie-break (UTC)\t")
	for _, r := range res {
		cut, tie := "-", "-"
		if r.Cutoff != draws.NoCutoff {
			cut, tie = strconv.Itoa(r.Cutoff), r.TieBreak.Format(time.RFC3339)
		}
		short := ""
		if r.Short {
			short = " (pool ran out)"
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d%s\t%s\t%s\t\n", r.Round.Date.Format(time.RFC3339), r.Round.Size, r.InPool, r.Expired, len(r.Invited), short, cut, tie)
	}
	tw.Flush()
	for _, r := range res {
		fmt.Fprintf(&b, "%s invited: %s\n", r.Round.Date.Format(time.DateOnly), strings.Join(r.Invited, ", "))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

var nseoiTieNames = map[draws.TieBreak]string{draws.BySubmission: "submission time", draws.AllTied: "inviting all tied"}

// nseoiPoolDoc is the --pool --json document (docs/json.md, "ns-eoi").
type nseoiPoolDoc struct {
	Command     string           `json:"command"`
	Mode        string           `json:"mode"`
	Source      string           `json:"source"`
	EOIValidity string           `json:"eoi_validity"`
	EOIs        int              `json:"eois"`
	TieBreak    string           `json:"tie_break"`
	Rounds      []nseoiRoundJSON `json:"rounds"`
}

type nseoiRoundJSON struct {
	Date      time.Time  `json:"date"`
	Size      int        `json:"size"`
	InPool    int        `json:"in_pool"`
	Expired   int        `json:"expired"`
	Withdrawn int        `json:"withdrawn"`
	Invited   []string   `json:"invited"`
	Cutoff    *int       `json:"cutoff"`    // null when nobody was invited
	TieBreak  *time.Time `json:"tie_break"` // the last invitee's submission
	Short     bool       `json:"short"`
}

func nseoiPoolJSON(nEOIs int, tb draws.TieBreak, res []nseoi.Result) nseoiPoolDoc {
	d := nseoiPoolDoc{Command: "ns-eoi", Mode: "pool", Source: nseoi.Source, EOIValidity: "1 calendar year from the date received",
		EOIs: nEOIs, TieBreak: nseoiTieNames[tb], Rounds: []nseoiRoundJSON{}}
	for _, r := range res {
		j := nseoiRoundJSON{Date: r.Round.Date, Size: r.Round.Size, InPool: r.InPool, Expired: r.Expired, Withdrawn: r.Withdrawn,
			Invited: append([]string{}, r.Invited...), Short: r.Short}
		if r.Cutoff != draws.NoCutoff {
			cut, tie := r.Cutoff, r.TieBreak
			j.Cutoff, j.TieBreak = &cut, &tie
		}
		d.Rounds = append(d.Rounds, j)
	}
	return d
}

// nseoiDeadlineDoc is the --invited --json document (docs/json.md, "ns-eoi").
type nseoiDeadlineDoc struct {
	Command  string         `json:"command"`
	Mode     string         `json:"mode"`
	Source   string         `json:"source"`
	AsOf     pathway.Date   `json:"as_of"`
	Invited  pathway.Date   `json:"invited"`
	Holidays []pathway.Date `json:"holidays"`
	Steps    []nseoi.Step   `json:"steps"`
	Reasons  []string       `json:"reasons"`
}

func runNSEOIDeadlines(opts *nseoiOptions, s *streams) error {
	asOf, err := pathwayAsOf("date", opts.Date, nil)
	if err != nil {
		return err
	}
	events := map[nseoi.Event]pathway.Date{}
	if events[nseoi.Invited], err = pathwayDate("invited", opts.Invited); err != nil {
		return err
	}
	for i, kv := range opts.Steps {
		k, v, _ := strings.Cut(kv, "=")
		ev, err := nseoi.ParseEvent(k)
		if err != nil || ev == nseoi.Invited {
			return badInputf("--step %d %q: want NAME=DATE with NAME one of %s", i+1, kv, nseoiStepNames())
		}
		if events[ev], err = pathway.ParseDate(v); err != nil {
			return badInputf("--step %d %q: %w", i+1, kv, err)
		}
	}
	hol := []pathway.Date{}
	for i, h := range opts.Holidays {
		d, err := pathway.ParseDate(h)
		if err != nil {
			return badInputf("--holiday %d: %w", i+1, err)
		}
		hol = append(hol, d)
	}
	steps, reasons, err := nseoi.Deadlines(events, hol, asOf)
	if err != nil {
		return badInputf("ns-eoi: %w", err)
	}
	doc := nseoiDeadlineDoc{"ns-eoi", "deadlines", nseoi.Source, asOf, events[nseoi.Invited], hol, steps, append([]string{}, reasons...)}
	if opts.JSON {
		return writeJSONDoc(s.Out, doc)
	}
	return printNSEOIDeadlines(s.Out, doc)
}

// nseoiStepNames lists the --step names.
func nseoiStepNames() string {
	var names []string
	for _, e := range nseoi.Events[1:] {
		names = append(names, string(e))
	}
	return strings.Join(names, ", ")
}

func printNSEOIDeadlines(w io.Writer, d nseoiDeadlineDoc) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Nova Scotia International Graduate Entrepreneur: deadlines after the invitation of %s, on %s\n", d.Invited, d.AsOf)
	fmt.Fprintf(&b, "Rule source: %s\n\n", nseoi.Source)
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "step\trule\tfrom\tdue\tdone\tstatus")
	opt := func(d *pathway.Date) string {
		if d == nil {
			return "-"
		}
		return d.String()
	}
	for _, st := range d.Steps {
		status := st.Status
		switch st.Status {
		case "open":
			status = fmt.Sprintf("open, %s left", pathwayDays(st.DaysLeft))
		case "missed", "overdue":
			status = strings.ToUpper(st.Status)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", st.Step, st.Rule, opt(st.Start), opt(st.Due), opt(st.Done), status)
	}
	tw.Flush()
	if len(d.Reasons) == 0 {
		b.WriteString("\nDeadlines missed: none\n")
	} else {
		b.WriteString("\nDeadlines missed:\n")
		for _, r := range d.Reasons {
			fmt.Fprintf(&b, "  - %s\n", r)
		}
	}
	fmt.Fprintf(&b, "Business days: Monday to Friday, less %d holiday(s) given (--holiday); eesim has no calendar of Nova Scotia's holidays\n", len(d.Holidays))
	_, err := io.WriteString(w, b.String())
	return err
}

// writeNSEOIOutputs writes nseoi_rounds.csv and nseoi_invitations.csv to
// dir, converting the results to reports rows.
func writeNSEOIOutputs(dir string, eois []nseoi.EOI, res []nseoi.Result, s *streams) error {
	byID := map[string]nseoi.EOI{}
	for _, e := range eois {
		byID[e.ID] = e
	}
	var rounds []reports.EOIRoundRow
	var invited []reports.EOIInvitationRow
	for _, r := range res {
		rounds = append(rounds, reports.EOIRoundRow{Date: r.Round.Date, Size: r.Round.Size, InPool: r.InPool, Expired: r.Expired,
			Withdrawn: r.Withdrawn, Invited: len(r.Invited), HasCutoff: r.Cutoff != draws.NoCutoff, Cutoff: r.Cutoff, TieBreak: r.TieBreak, Short: r.Short})
		for k, id := range r.Invited {
			invited = append(invited, reports.EOIInvitationRow{Round: r.Round.Date, Rank: k + 1, ID: id, Points: byID[id].Points, Submitted: byID[id].Submitted})
		}
	}
	fs, err := data.NewFileSet(dir)
	if err != nil {
		return err
	}
	defer fs.Abort()
	if err := fs.Add("nseoi_rounds.csv", func(w io.Writer) error { return reports.WriteEOIRoundsCSV(w, nseoi.Source, rounds) }); err != nil {
		return err
	}
	if err := fs.Add("nseoi_invitations.csv", func(w io.Writer) error { return reports.WriteEOIInvitationsCSV(w, nseoi.Source, invited) }); err != nil {
		return err
	}
	if err := fs.Commit(); err != nil {
		return err
	}
	s.notef("wrote %s/nseoi_rounds.csv and nseoi_invitations.csv", dir)
	return nil
}
