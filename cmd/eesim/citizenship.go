package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/eesim/eesim/pathway"
	"github.com/eesim/eesim/pathway/citizenship"
	"github.com/eesim/eesim/reports"
)

func init() { register(newCitizenshipCmd) }

// citizenshipOptions are the flags of "eesim citizenship".
type citizenshipOptions struct {
	Input    string
	PRDate   string
	Birth    string
	Sign     string
	PrePR    []string // FROM:TO:KIND
	Absences []string // DEPART:RETURN[:COUNTRY]
	Out      string
}

// citizenshipFile is the JSON input: citizenship.Input plus the signing
// date.
type citizenshipFile struct {
	citizenship.Input
	Sign *pathway.Date `json:"sign,omitempty"`
}

func newCitizenshipCmd(s *streams) *cobra.Command {
	opts := &citizenshipOptions{}
	cmd := &cobra.Command{
		Use:   "citizenship (--in FILE | --pr-date DATE [flags]) [--sign DATE] [--out DIR]",
		Short: "Check the citizenship physical presence test and the other requirements",
		Long: `Citizenship computes the physical presence test for Canadian citizenship
(Citizenship Act s. 5(1)(c)): 1,095 days in Canada in the 5 years before
the application is signed (--sign, default today, UTC). Days as a
permanent resident count 1; days before PR as an authorized temporary
resident or protected person count 1/2, up to 365 credited days; days
outside Canada or serving a sentence count 0. Departure and return days
count as days in Canada (IRCC physical presence calculator).

If the test is not met, it prints the first date it will be, assuming the
person stays in Canada from the signing date on. It also lists the other
requirements with their thresholds: tax returns for 3 of the tax years
in the period, the language (CLB 4) and knowledge tests at ages 18-54,
the fee, and police certificates for stays of 183+ consecutive days
abroad since age 18 in the 4 years before signing.

Input: --in FILE, JSON {"pr_date": "2020-01-01", "birth_date":
"1990-05-01", "sign": "2023-06-01", "pre_pr": [{"from": "2018-01-01",
"to": "2019-12-31", "kind": "temporary"}], "absences": [{"depart":
"2021-07-01", "return": "2021-07-15", "country": "FR"}], "sentences":
[{"from": ..., "to": ...}], "tax_years_filed": [2020, 2021, 2022]}. Or
flags. Dates after the signing date, overlapping absences, a return
before its departure exit with code 2 and nothing is written. With --out,
writes citizenship_credit.csv and citizenship_credit.png.`,
		Example: `  eesim citizenship --pr-date 2020-01-01 --pre-pr 2018-01-01:2019-12-31:temporary --sign 2022-06-30
  eesim citizenship --in cmd/eesim/testdata/citizenship/applicant.json --out out/citizenship`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			flagsUsed := opts.PRDate != "" || opts.Birth != "" || len(opts.PrePR) > 0 || len(opts.Absences) > 0
			if opts.Input != "" && flagsUsed {
				return badInputf("citizenship: use --in or the history flags (--pr-date, --birth, --pre-pr, --absence), not both")
			}
			if opts.Input == "" && opts.PRDate == "" {
				return badInputf("citizenship: --in FILE or --pr-date DATE is required")
			}
			return runCitizenship(opts, s)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Input, "in", "", "input JSON `FILE`")
	f.StringVar(&opts.PRDate, "pr-date", "", "`DATE` the person became a permanent resident")
	f.StringVar(&opts.Birth, "birth", "", "birth `DATE` (for the age-dependent requirements)")
	f.StringVar(&opts.Sign, "sign", "", "application signing `DATE` (default: the file's sign, else today UTC)")
	f.StringArrayVar(&opts.PrePR, "pre-pr", nil, "time in Canada before PR, `FROM:TO:KIND` with KIND temporary or protected (repeatable)")
	f.StringArrayVar(&opts.Absences, "absence", nil, "an absence `DEPART:RETURN[:COUNTRY]` (repeatable)")
	f.StringVar(&opts.Out, "out", "", "write CSV and PNG to `DIR`")
	return cmd
}

func runCitizenship(opts *citizenshipOptions, s *streams) error {
	var in citizenship.Input
	var fileSign *pathway.Date
	src := "flags"
	if opts.Input != "" {
		src = opts.Input
		var f citizenshipFile
		if err := pathwayReadJSON(opts.Input, &f); err != nil {
			return err
		}
		if f.PRDate == 0 {
			return badInputf("%s: pr_date: missing", opts.Input)
		}
		in, fileSign = f.Input, f.Sign
	} else {
		var err error
		if in, err = citizenshipFromFlags(opts); err != nil {
			return err
		}
	}
	sign, err := pathwayAsOf("sign", opts.Sign, fileSign)
	if err != nil {
		return err
	}
	c, err := citizenship.New(in, sign)
	if err != nil {
		return pathwayInputError(src, err)
	}
	r := c.Assess()
	for _, w := range r.Warnings {
		s.warnf("%s", w)
	}
	if err := printCitizenship(s.Out, in, r); err != nil {
		return err
	}
	if opts.Out == "" {
		return nil
	}
	return writeCitizenshipOutputs(opts.Out, c, r, s)
}

// citizenshipFromFlags reads the input from --pr-date, --birth, --pre-pr
// and --absence.
func citizenshipFromFlags(opts *citizenshipOptions) (citizenship.Input, error) {
	var in citizenship.Input
	var err error
	if in.PRDate, err = pathwayDate("pr-date", opts.PRDate); err != nil {
		return in, err
	}
	if opts.Birth != "" {
		b, err := pathwayDate("birth", opts.Birth)
		if err != nil {
			return in, err
		}
		in.BirthDate = &b
	}
	for i, p := range opts.PrePR {
		parts := strings.Split(p, ":")
		if len(parts) != 3 {
			return in, badInputf("--pre-pr %d %q: want FROM:TO:KIND", i+1, p)
		}
		from, err1 := pathway.ParseDate(parts[0])
		to, err2 := pathway.ParseDate(parts[1])
		if err1 != nil || err2 != nil {
			return in, badInputf("--pre-pr %d %q: want FROM:TO:KIND with dates YYYY-MM-DD", i+1, p)
		}
		in.PrePR = append(in.PrePR, citizenship.PrePRPeriod{From: from, To: to, Kind: citizenship.PrePRKind(parts[2])})
	}
	for i, a := range opts.Absences {
		// DEPART:RETURN[:COUNTRY]: reuse the residency parser, then
		// move the third field to the country.
		ab, err := parseAbsenceFlag(i, a)
		if err != nil {
			return in, err
		}
		ab.Country, ab.Exception = string(ab.Exception), ""
		in.Absences = append(in.Absences, ab)
	}
	return in, nil
}

// pathwayHalf formats a credit in days, with ".5" when needed.
func pathwayHalf(halves int) string {
	s := reports.Thousands(halves / 2)
	if halves%2 != 0 {
		s += ".5"
	}
	return s
}

func printCitizenship(w io.Writer, in citizenship.Input, r citizenship.Result) error {
	var b strings.Builder
	p := r.Presence
	fmt.Fprintf(&b, "Citizenship physical presence (Citizenship Act s. 5(1)(c)): %s days in the 5 years before signing\n", reports.Thousands(citizenship.RequiredDays))
	fmt.Fprintf(&b, "PR since %s, application signed %s\n\n", in.PRDate, r.Sign)
	fmt.Fprintf(&b, "Eligibility period %s to %s (%s days)\n", p.Start, p.End, reports.Thousands(int(p.End-p.Start)+1))
	fmt.Fprintf(&b, "  days in Canada as a PR        %7s  x 1   = %s\n", reports.Thousands(p.PRDays), reports.Thousands(p.PRDays))
	fmt.Fprintf(&b, "  days in Canada before PR      %7s  x 1/2 = %s (at most %d)\n", reports.Thousands(p.PrePRDays), pathwayHalf(min(p.PrePRDays, 2*citizenship.PrePRCap)), citizenship.PrePRCap)
	fmt.Fprintf(&b, "  days outside Canada           %7s  x 0\n", reports.Thousands(p.AbsentDays))
	fmt.Fprintf(&b, "  days serving a sentence       %7s  x 0\n", reports.Thousands(p.SentenceDays))
	fmt.Fprintf(&b, "Credited: %s of %s days: ", pathwayHalf(p.CreditHalves), reports.Thousands(citizenship.RequiredDays))
	if r.Eligible {
		fmt.Fprintf(&b, "MEETS the test (%s to spare)\n", pathwayHalf(p.CreditHalves-2*citizenship.RequiredDays))
	} else {
		fmt.Fprintf(&b, "does NOT meet the test (%s short)\n", pathwayHalf(2*citizenship.RequiredDays-p.CreditHalves))
		if r.EarliestEligible != nil {
			fmt.Fprintf(&b, "Earliest date the test is met, staying in Canada from %s on: %s\n", r.Sign, r.EarliestEligible)
		}
	}
	writeCitizenshipChecklist(&b, r.Checklist)
	_, err := io.WriteString(w, b.String())
	return err
}

// writeCitizenshipChecklist writes the other requirements and their
// thresholds.
func writeCitizenshipChecklist(b *strings.Builder, ck citizenship.Checklist) {
	b.WriteString("\nOther requirements\n")
	years := "none"
	if n := len(ck.TaxYears); n > 0 {
		years = fmt.Sprintf("%d-%d", ck.TaxYears[0], ck.TaxYears[n-1])
	}
	if ck.TaxKnown {
		status := "met"
		if !ck.TaxMet {
			status = "NOT met"
		}
		fmt.Fprintf(b, "  tax returns: %d filed for the tax years %s, need %d (if required to file): %s\n", len(ck.TaxFiled), years, citizenship.TaxYearsRequired, status)
	} else {
		fmt.Fprintf(b, "  tax returns: need %d of the tax years %s (if required to file); none declared\n", citizenship.TaxYearsRequired, years)
	}
	if ck.Age != nil {
		if *ck.LanguageNeeded {
			fmt.Fprintf(b, "  language and knowledge: age %d on signing (18-54): needed; CLB/NCLC %d in speaking and listening, knowledge test %d of %d to pass\n", *ck.Age, citizenship.LanguageCLB, citizenship.KnowledgePass, citizenship.KnowledgeQuestions)
		} else {
			fmt.Fprintf(b, "  language and knowledge: age %d on signing: not needed (only at ages 18-54)\n", *ck.Age)
		}
		if *ck.Age >= citizenship.AdultAge {
			fmt.Fprintf(b, "  fee: %d CAD (%d processing + %d right of citizenship)\n", ck.FeeCAD, citizenship.FeeAdultProcessing, citizenship.FeeRightOfCitizen)
		} else {
			fmt.Fprintf(b, "  fee: %d CAD (minor)\n", ck.FeeCAD)
		}
	} else {
		fmt.Fprintf(b, "  language and knowledge: needed at ages 18-54 on signing (give the birth date)\n")
		fmt.Fprintf(b, "  fee: %d CAD per adult, %d per minor\n", citizenship.FeeAdult, citizenship.FeeMinor)
	}
	if len(ck.Police) == 0 {
		fmt.Fprintf(b, "  police certificates: none needed (no stay abroad of %d+ consecutive days since age 18 in the %d years before signing)\n", citizenship.PoliceDays, citizenship.PoliceYears)
	}
	for _, pc := range ck.Police {
		country := pc.Country
		if country == "" {
			country = "(country not given)"
		}
		if pc.Needed {
			fmt.Fprintf(b, "  police certificate: NEEDED from %s (absence %d: %d consecutive days)\n", country, pc.Absence, pc.Days)
		} else {
			fmt.Fprintf(b, "  police certificate: not needed from %s (absence %d: %s)\n", country, pc.Absence, pc.Note)
		}
	}
	b.WriteString("  also: no unmet PR conditions, no removal order, no prohibition (not assessed)\n")
}

func writeCitizenshipOutputs(dir string, c *citizenship.Calc, r citizenship.Result, s *streams) error {
	var days []reports.PresenceDay
	prevAbsent := 0
	for _, p := range c.HistorySeries() {
		// The day was spent abroad if the cumulative absent count rose.
		in := p.AbsentDays == prevAbsent
		prevAbsent = p.AbsentDays
		days = append(days, reports.PresenceDay{Date: p.End.Time(), InCanada: in, WindowStart: p.Start.Time(), Credited: p.Credit(), Complies: p.Meets()})
	}
	// Projection: the rolling period after signing, staying in Canada, to
	// 60 days past the earliest eligible date (or 90 days if eligible).
	end := r.Sign + 90
	if r.EarliestEligible != nil {
		end = *r.EarliestEligible + 60
	}
	for _, p := range c.Series(end) {
		if p.End == r.Sign {
			continue
		}
		days = append(days, reports.PresenceDay{Date: p.End.Time(), InCanada: true, WindowStart: p.Start.Time(), Credited: p.Credit(), Complies: p.Meets(), Projected: true})
	}
	marks := []reports.DateMark{{Date: r.Sign.Time(), Label: "signed"}}
	if r.EarliestEligible != nil {
		marks = append(marks, reports.DateMark{Date: r.EarliestEligible.Time(), Label: "earliest eligible"})
	}
	fig, err := reports.PresenceChart{
		Title:          fmt.Sprintf("Citizenship physical presence: credit accumulated in the period %s to %s", r.Presence.Start, r.Sign),
		YLabel:         "Days credited (days)",
		Threshold:      citizenship.RequiredDays,
		ThresholdLabel: "1,095-day requirement",
		LineLabel:      "credit since the period start (pre-PR half days capped at 365)",
		ProjLabel:      "5 years before each later date, staying in Canada",
		Days:           days,
		Marks:          marks,
	}.Figure()
	if err != nil {
		return err
	}
	return writePresence(s, dir, "citizenship_credit.csv", "citizenship_credit.png", days, fig)
}
