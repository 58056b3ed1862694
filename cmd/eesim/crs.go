package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/eesim/eesim/pool/crs"
)

// crsNow is the clock behind the default --on (today, UTC).
var crsNow = time.Now

// crsOptions are the flags of "eesim crs".
type crsOptions struct {
	Profile string // profile JSON file
	On      string // date scored, YYYY-MM-DD; "" for today (UTC)
	JSON    bool   // print the five totals as JSON
	Explain bool   // list the grid rows that applied
}

func newCrsCmd(s *streams) *cobra.Command {
	opts := &crsOptions{}
	cmd := &cobra.Command{
		Use:   "crs --profile FILE [--on DATE] [--json] [--explain]",
		Short: "Compute a profile's CRS score under the rules of a date",
		Long: `Crs computes the Comprehensive Ranking System score of the profile in
--profile (JSON; see the README for the fields) on --on (default: today,
UTC), under the rules in force that day: the grid of 2015-01-01, with
the changes of 2016-11-19 (job offer 50/200, Canadian study, language
results expire after two years), 2017-06-06 (French bonus, sibling),
2020-10-27 (French 25/50) and 2025-03-25 (no arranged-employment points).

Age is taken on the date (birthdays count) and raw IELTS, CELPIP, TEF and
TCF scores are converted with IRCC's equivalence charts. --explain lists
the grid rows that applied; --json prints the five totals only. Invalid
or out-of-range fields exit with code 2 and name the field.`,
		Example: `  eesim crs --profile cmd/eesim/testdata/crs/profile.json --on 2025-09-01
  eesim crs --profile me.json --explain
  eesim crs --profile me.json --on 2024-01-15 --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Profile == "" {
				return badInputf("crs: --profile is required")
			}
			if opts.JSON && opts.Explain {
				return badInputf("crs: --json and --explain cannot be used together")
			}
			return runCrs(opts, s)
		},
	}
	cmd.Flags().StringVar(&opts.Profile, "profile", "", "profile JSON `FILE`")
	cmd.Flags().StringVar(&opts.On, "on", "", "score on `DATE` (YYYY-MM-DD; default today, UTC)")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, `print {"total","core","spouse","transferability","additional"} as JSON`)
	cmd.Flags().BoolVar(&opts.Explain, "explain", false, "list the grid rows that applied")
	return cmd
}

// crsJSON is the --json output; the field order is the documented one.
type crsJSON struct {
	Total           int `json:"total"`
	Core            int `json:"core"`
	Spouse          int `json:"spouse"`
	Transferability int `json:"transferability"`
	Additional      int `json:"additional"`
}

func runCrs(opts *crsOptions, s *streams) error {
	on := crsNow().UTC()
	if opts.On != "" {
		t, err := time.Parse(time.DateOnly, opts.On)
		if err != nil {
			return badInputf("crs: --on: want a date YYYY-MM-DD, got %q", opts.On)
		}
		on = t
	}
	p, err := crs.LoadProfile(opts.Profile)
	if err != nil {
		return badInput(fmt.Errorf("crs: %w", err))
	}
	b, err := crs.Score(p, on)
	if err != nil {
		var fe *crs.FieldError
		if errors.As(err, &fe) {
			fe.File = opts.Profile
			return badInput(fmt.Errorf("crs: %w", fe))
		}
		if errors.Is(err, crs.ErrBeforeExpressEntry) {
			return badInput(fmt.Errorf("crs: --on: %w", err))
		}
		return fmt.Errorf("crs: %w", err)
	}
	for _, n := range b.Notes {
		if !s.Quiet {
			fmt.Fprintf(s.Err, "eesim: crs: warning: %s\n", n)
		}
	}
	if opts.JSON {
		out, err := json.Marshal(crsJSON{b.Total, b.Core, b.Spouse, b.Transferability, b.Additional})
		if err != nil {
			return fmt.Errorf("crs: %w", err)
		}
		_, err = fmt.Fprintf(s.Out, "%s\n", out)
		return err
	}
	return writeBreakdown(s, opts.Profile, &b, opts.Explain)
}

func writeBreakdown(s *streams, file string, b *crs.Breakdown, explain bool) error {
	column := "without spouse"
	if b.WithSpouse {
		column = "with spouse"
	}
	fmt.Fprintf(s.Out, "CRS score of %s on %s (age %d, %s)\n", file, b.On.Format(time.DateOnly), b.Age, column)
	fmt.Fprintf(s.Out, "Rules of %s: %s\n\n", b.Era.Effective.Format(time.DateOnly), b.Era.Name)
	row := func(name string, pts int, note string) {
		line := fmt.Sprintf("  %-26s %5d", name, pts)
		if note != "" {
			line += "   " + note
		}
		fmt.Fprintln(s.Out, line)
	}
	row("A. Core / human capital", b.Core, "")
	row("B. Spouse factors", b.Spouse, "")
	row("C. Skill transferability", b.Transferability,
		"C1 "+strconv.Itoa(b.C1)+", C2 "+strconv.Itoa(b.C2)+", C3 "+strconv.Itoa(b.C3))
	row("D. Additional points", b.Additional, "")
	row("Total", b.Total, "")
	if explain {
		fmt.Fprintf(s.Out, "\nGrid rows applied:\n")
		for _, r := range b.Rows() {
			fmt.Fprintf(s.Out, "  %s\n", r)
		}
	}
	return nil
}
