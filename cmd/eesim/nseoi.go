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

func init() { register(newNSEOICmd) }

// nseoiOptions are the flags of "eesim ns-eoi".
type nseoiOptions struct {
	Profile  string
	Date     string
	Pool     string
	TieBreak string
	Out      string
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

func newNSEOICmd(s *streams) *cobra.Command {
	opts := &nseoiOptions{}
	cmd := &cobra.Command{
		Use:   "ns-eoi (--profile FILE [--date DATE] | --pool FILE [--tie-break RULE] [--out DIR])",
		Short: "Nova Scotia International Graduate Entrepreneur: EOI points and pool rounds",
		Long: `Ns-eoi works with Nova Scotia's International Graduate Entrepreneur
stream, an Expression of Interest (EOI) pool.

--profile FILE scores one EOI profile (JSON) on the points matrix, at
most 105: first official language (CLB 7 minimum in each ability), second
official language, education (a Nova Scotia credential of 2+ years
minimum), work experience, age (21 minimum), adaptability (max 10) and
economic priorities (max 10). It prints each factor with its minimum and
cap, and every reason the profile is ineligible (the stream's minimums,
excluded applicants and businesses). --date is the EOI date (default
today, UTC): the language test must be under 2 years old then.

--pool FILE runs EOI rounds on eesim's draws engine: EOIs ranked by
points, an EOI expiring 1 year (365 days) after submission, the top N of
each round invited, ties at the cutoff broken by submission time
(--tie-break submission, earliest first) or all invited (all-tied). The
file: {"eois": [{"id": "a", "points": 80, "submitted":
"2025-03-01T09:00:00Z"}, {"id": "b", "profile": {...}, "submitted": ...,
"replaces": "old-id"}], "rounds": [{"date": "2025-04-01", "size": 2}]}.
EOIs given by profile are scored on their submission date; ineligible
ones are left out with a warning. With --out, writes nseoi_rounds.csv and
nseoi_invitations.csv.

The name: "ns-eoi" is the stream's pool (Nova Scotia EOI), as the issue
names it.`,
		Example: `  eesim ns-eoi --profile cmd/eesim/testdata/nseoi/profile.json --date 2026-03-01
  eesim ns-eoi --pool cmd/eesim/testdata/nseoi/pool.json --out out/nseoi`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if (opts.Profile == "") == (opts.Pool == "") {
				return badInputf("ns-eoi: give exactly one of --profile FILE and --pool FILE")
			}
			if opts.Profile != "" && (opts.TieBreak != "" || opts.Out != "") {
				return badInputf("ns-eoi: --tie-break and --out go with --pool")
			}
			if opts.Pool != "" && opts.Date != "" {
				return badInputf("ns-eoi: --date goes with --profile (pool EOIs are scored on their submission date)")
			}
			if opts.Profile != "" {
				return runNSEOIProfile(opts, s)
			}
			return runNSEOIPool(opts, s)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Profile, "profile", "", "EOI profile JSON `FILE` to score")
	f.StringVar(&opts.Date, "date", "", "EOI `DATE` for --profile (default today, UTC)")
	f.StringVar(&opts.Pool, "pool", "", "EOIs and rounds JSON `FILE`")
	f.StringVar(&opts.TieBreak, "tie-break", "", "ties at the cutoff: submission (earliest first) or all-tied (default: the file's, else submission)")
	f.StringVar(&opts.Out, "out", "", "write the rounds CSV to `DIR`")
	return cmd
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
	var b strings.Builder
	fmt.Fprintf(&b, "Nova Scotia International Graduate Entrepreneur: EOI points on %s\n\n", date)
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
		b.WriteString("\nEligible: yes; the EOI enters the pool for 1 year\n")
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
	if err := printNSEOIRounds(s.Out, len(eois), len(rounds), tb, res); err != nil {
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
	fmt.Fprintf(&b, "Nova Scotia EOI rounds: %d EOIs, %d rounds, ties by %s\n\n", nEOIs, nRounds, map[draws.TieBreak]string{draws.BySubmission: "submission time", draws.AllTied: "inviting all tied"}[tb])
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
	if err := fs.Add("nseoi_rounds.csv", func(w io.Writer) error { return reports.WriteEOIRoundsCSV(w, rounds) }); err != nil {
		return err
	}
	if err := fs.Add("nseoi_invitations.csv", func(w io.Writer) error { return reports.WriteEOIInvitationsCSV(w, invited) }); err != nil {
		return err
	}
	if err := fs.Commit(); err != nil {
		return err
	}
	s.notef("wrote %s/nseoi_rounds.csv and nseoi_invitations.csv", dir)
	return nil
}
