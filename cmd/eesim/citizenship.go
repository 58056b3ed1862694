package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/eesim/eesim/data"
	"github.com/eesim/eesim/pathway"
	"github.com/eesim/eesim/pathway/citizenship"
	"github.com/eesim/eesim/reports"
)

// citizenshipOptions are the flags of "eesim citizenship".
type citizenshipOptions struct {
	Input    string
	PRDate   string
	Birth    string
	Sign     string
	PrePR    []string // FROM:TO:KIND
	Absences []string // from=..,to=..,country=..,reason=.. (or DEPART:RETURN[:COUNTRY])
	Travel   string
	PRCerts  []string // countries whose police certificate was given for PR
	Out      string
	JSON     bool
}

// citizenshipFile is the JSON input: citizenship.Input plus the signing
// date. Absences are decoded one by one so that an error names its
// position (this field shadows the embedded one).
type citizenshipFile struct {
	citizenship.Input
	Absences []json.RawMessage `json:"absences,omitempty"`
	Sign     *pathway.Date     `json:"sign,omitempty"`
}

// citizenshipLong is the help text of the command.
const citizenshipLong = `Citizenship computes the physical presence test for Canadian citizenship
(Citizenship Act s. 5(1)(c)): 1,095 days in Canada in the 5 years
immediately before the date the application is signed (--sign, default
today, UTC); the signing day itself is not in the period. Days as a
permanent resident count 1; days before PR as an authorized temporary
resident or protected person count 1/2, up to 365 credited days; days
outside Canada or serving a sentence count 0, except days abroad as a PR
in Crown service (reason armed-forces, public-service, or
accompanying-crown-servant for a spouse, partner or parent so employed;
s. 5(1.01)-(1.02)), which count 1. Departure and return days count as
days in Canada (IRCC physical presence calculator).

If the test is not met, it prints the first signing date on which it
will be, assuming the person stays in Canada from the signing date on. It
also lists the other requirements with their thresholds: tax returns for
3 of the tax years in the period, the language (CLB 4) and knowledge
tests at ages 18-54, the fee, and police certificates for stays of 183+
consecutive days in one country since age 18 in the 4 years before
signing, except a country whose certificate was given with the PR
application (--pr-police-certificate) if not visited since landing. List
the stay abroad before landing as an absence for that check.

Travel: --absence from=2019-01-01,to=2020-01-01,country=FR (repeatable;
several countries as country=FR;DE@2019-07-01 with each later country's
arrival day), or the older DEPART:RETURN[:COUNTRY] (a reason's name as
COUNTRY is refused as ambiguous); or --travel FILE, CSV with a header row
from,to,country,reason or JSON. Or --in FILE, JSON {"pr_date":
"2020-01-01", "birth_date": "1990-05-01", "sign": "2023-06-01",
"pre_pr": [{"from": "2018-01-01", "to": "2019-12-31", "kind":
"temporary"}], "absences": [{"from": "2021-07-01", "to": "2021-07-15",
"country": "FR"}], "sentences": [{"from": ..., "to": ...}],
"tax_years_filed": [2020, 2021, 2022], "pr_police_certificates":
["IN"]}. Dates after the signing date, overlapping absences, a return
before its departure exit with code 2 and nothing is written. --json
prints one JSON document (docs/json.md). With --out, writes
citizenship_credit.csv and citizenship_credit.png.`

func newCitizenshipCmd(s *streams) *cobra.Command {
	opts := &citizenshipOptions{}
	cmd := &cobra.Command{
		Use:   "citizenship (--in FILE | --pr-date DATE [flags]) [--sign DATE] [--json] [--out DIR]",
		Short: "Check the citizenship physical presence test and the other requirements",
		Long:  citizenshipLong,
		Example: `  eesim citizenship --pr-date 2020-01-01 --pre-pr 2018-01-01:2019-12-31:temporary --sign 2022-06-30
  eesim citizenship --pr-date 2020-01-01 --absence from=2021-01-01,to=2022-01-01,country=DE,reason=armed-forces --sign 2023-01-01 --json
  eesim citizenship --in cmd/eesim/testdata/citizenship/applicant.json --out out/citizenship`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			flagsUsed := opts.PRDate != "" || opts.Birth != "" || len(opts.PrePR) > 0 || len(opts.Absences) > 0 || len(opts.PRCerts) > 0
			if opts.Input != "" && flagsUsed {
				return badInputf("citizenship: use --in or the history flags (--pr-date, --birth, --pre-pr, --absence, --pr-police-certificate), not both")
			}
			if opts.Input == "" && opts.PRDate == "" {
				return badInputf("citizenship: --in FILE or --pr-date DATE is required")
			}
			if opts.Travel != "" && len(opts.Absences) > 0 {
				return badInputf("citizenship: use --absence or --travel, not both")
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
	f.StringArrayVar(&opts.Absences, "absence", nil, "an absence `from=DATE,to=DATE,country=C,reason=R` (repeatable)")
	f.StringVar(&opts.Travel, "travel", "", "travel history `FILE`: CSV (from,to,country,reason) or JSON")
	f.StringArrayVar(&opts.PRCerts, "pr-police-certificate", nil, "`COUNTRY` whose police certificate was given for PR (repeatable)")
	f.BoolVar(&opts.JSON, "json", false, "print one JSON document instead of the text")
	f.StringVar(&opts.Out, "out", "", "write CSV and PNG to `DIR`")
	return cmd
}

// citizenshipDoc is the --json document (docs/json.md, "citizenship").
type citizenshipDoc struct {
	Command string          `json:"command"`
	Source  string          `json:"source"`
	Rule    citizenshipRule `json:"rule"`
	citizenship.Result
}

// citizenshipRule holds the thresholds the text output prints.
type citizenshipRule struct {
	RequiredDays       int `json:"required_days"`
	WindowYears        int `json:"window_years"`
	PrePRCapDays       int `json:"pre_pr_cap_days"`
	TaxYearsRequired   int `json:"tax_years_required"`
	LanguageMinAge     int `json:"language_min_age"`
	LanguageMaxAge     int `json:"language_max_age"`
	LanguageCLB        int `json:"language_clb"`
	KnowledgeQuestions int `json:"knowledge_questions"`
	KnowledgePass      int `json:"knowledge_pass"`
	FeeAdult           int `json:"fee_adult_cad"`
	FeeAdultProcessing int `json:"fee_adult_processing_cad"`
	FeeRightOfCitizen  int `json:"fee_right_of_citizenship_cad"`
	FeeMinor           int `json:"fee_minor_cad"`
	PoliceYears        int `json:"police_years"`
	PoliceDays         int `json:"police_days"`
	AdultAge           int `json:"adult_age"`
}

var citizenshipRules = citizenshipRule{citizenship.RequiredDays, citizenship.WindowYears, citizenship.PrePRCap, citizenship.TaxYearsRequired,
	citizenship.LanguageMinAge, citizenship.LanguageMaxAge, citizenship.LanguageCLB, citizenship.KnowledgeQuestions, citizenship.KnowledgePass,
	citizenship.FeeAdult, citizenship.FeeAdultProcessing, citizenship.FeeRightOfCitizen, citizenship.FeeMinor,
	citizenship.PoliceYears, citizenship.PoliceDays, citizenship.AdultAge}

func runCitizenship(opts *citizenshipOptions, s *streams) error {
	in, fileSign, src, err := citizenshipInput(opts)
	if err != nil {
		return err
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
	pathwayWarn(s, r.Warnings)
	if opts.JSON {
		err = writeJSONDoc(s.Out, citizenshipDoc{"citizenship", citizenship.Source, citizenshipRules, r})
	} else {
		err = printCitizenship(s.Out, r)
	}
	if err != nil || opts.Out == "" {
		return err
	}
	return writeCitizenshipOutputs(opts.Out, c, r, s)
}

// citizenshipInput reads the input from --in (and --travel), or from the
// history flags.
func citizenshipInput(opts *citizenshipOptions) (in citizenship.Input, sign *pathway.Date, src pathwaySrc, err error) {
	src = pathwaySrc{In: "flags", Travel: opts.Travel}
	if opts.Input == "" {
		if in, err = citizenshipFromFlags(opts); err != nil {
			return in, nil, src, err
		}
		in.Absences, src.Lines, err = pathwayAbsences(opts.Absences, pathway.ThirdCountry, opts.Travel)
		return in, nil, src, err
	}
	var f citizenshipFile
	if err := pathwayReadJSON(opts.Input, &f); err != nil {
		return in, nil, src, err
	}
	if f.PRDate == 0 {
		return in, nil, src, badInputf("%s: pr_date: missing", opts.Input)
	}
	in, src.In = f.Input, opts.Input
	if in.Absences, err = pathway.DecodeAbsences(f.Absences); err != nil {
		return in, nil, src, badInputf("%s: %w", opts.Input, err)
	}
	if opts.Travel != "" {
		if len(f.Absences) > 0 {
			return in, nil, src, badInputf("%s: absences given in the file and with --travel; give them once", opts.Input)
		}
		in.Absences, src.Lines, err = pathwayAbsences(nil, pathway.ThirdCountry, opts.Travel)
	}
	return in, f.Sign, src, err
}

// citizenshipFromFlags reads the input from --pr-date, --birth, --pre-pr
// and --pr-police-certificate.
func citizenshipFromFlags(opts *citizenshipOptions) (citizenship.Input, error) {
	in := citizenship.Input{PRPoliceCertificates: opts.PRCerts}
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

func printCitizenship(w io.Writer, r citizenship.Result) error {
	var b strings.Builder
	p := r.Presence
	fmt.Fprintf(&b, "Citizenship physical presence (Citizenship Act s. 5(1)(c)): %s days in the %d years immediately before the date of application\n", reports.Thousands(citizenship.RequiredDays), citizenship.WindowYears)
	fmt.Fprintf(&b, "Rule source: %s\n", citizenship.Source)
	fmt.Fprintf(&b, "PR since %s, application signed %s\n\n", r.PRDate, r.Sign)
	fmt.Fprintf(&b, "Eligibility period %s to %s (%s days; the signing day is not in it)\n", p.Start, p.End, reports.Thousands(p.Days()))
	fmt.Fprintf(&b, "  days in Canada as a PR        %7s  x 1   = %s\n", reports.Thousands(p.PRDays), reports.Thousands(p.PRDays))
	fmt.Fprintf(&b, "  days abroad in Crown service  %7s  x 1   = %s\n", reports.Thousands(p.CrownDays), reports.Thousands(p.CrownDays))
	fmt.Fprintf(&b, "  days in Canada before PR      %7s  x 1/2 = %s (at most %d)\n", reports.Thousands(p.PrePRDays), pathwayHalf(p.PrePRHalves()), citizenship.PrePRCap)
	fmt.Fprintf(&b, "  days outside Canada           %7s  x 0\n", reports.Thousands(p.AbsentDays))
	fmt.Fprintf(&b, "  days serving a sentence       %7s  x 0\n", reports.Thousands(p.SentenceDays))
	fmt.Fprintf(&b, "Credited: %s of %s days: ", pathwayHalf(p.CreditHalves), reports.Thousands(citizenship.RequiredDays))
	if r.Eligible {
		fmt.Fprintf(&b, "MEETS the test (%s to spare)\n", pathwayHalf(int(2*r.Spare)))
	} else {
		fmt.Fprintf(&b, "does NOT meet the test (%s short)\n", pathwayHalf(int(2*r.Short)))
		if r.EarliestEligible != nil {
			fmt.Fprintf(&b, "Earliest signing date that meets it, staying in Canada from %s on: %s\n", r.Sign, r.EarliestEligible)
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
	writeCitizenshipPolice(b, ck.Police)
	b.WriteString("  also: no unmet PR conditions, no removal order, no prohibition (not assessed)\n")
}

// writeCitizenshipPolice writes the police certificate checks.
func writeCitizenshipPolice(b *strings.Builder, checks []citizenship.PoliceCheck) {
	if len(checks) == 0 {
		fmt.Fprintf(b, "  police certificates: none needed (no stay of %d+ consecutive days in one country since age 18 in the %d years before signing)\n", citizenship.PoliceDays, citizenship.PoliceYears)
	}
	for _, pc := range checks {
		country := pc.Country
		if country == "" {
			country = "(country not given)"
		}
		switch {
		case pc.Needed && pc.Note == "":
			fmt.Fprintf(b, "  police certificate: NEEDED from %s (absence %d: %d consecutive days, %s to %s)\n", country, pc.Absence, pc.Days, pc.From, pc.To)
		case pc.Needed:
			fmt.Fprintf(b, "  police certificate: NEEDED from %s (absence %d: %d consecutive days; %s)\n", country, pc.Absence, pc.Days, pc.Note)
		case pc.Unknown:
			fmt.Fprintf(b, "  police certificate: CHECK %s (absence %d: %s)\n", country, pc.Absence, pc.Note)
		case pc.Exempt:
			fmt.Fprintf(b, "  police certificate: not needed from %s (absence %d: %d consecutive days, %s)\n", country, pc.Absence, pc.Days, pc.Note)
		default:
			fmt.Fprintf(b, "  police certificate: not needed from %s (absence %d: %s)\n", country, pc.Absence, pc.Note)
		}
	}
}

func writeCitizenshipOutputs(dir string, c *citizenship.Calc, r citizenship.Result, s *streams) error {
	// The timeline runs to 60 days past the earliest eligible signing
	// date (or 90 days past signing if eligible).
	end := r.Sign + 90
	if r.EarliestEligible != nil {
		end = *r.EarliestEligible + 60
	}
	var rows []reports.CitizenshipDay
	var days []reports.PresenceDay
	for _, d := range c.Timeline(end) {
		row := reports.CitizenshipDay{Date: d.Date.Time(), Kind: d.Kind.String(), WindowStart: d.Window.Start.Time(), WindowEnd: d.Window.End.Time(),
			Window: d.Window.Credit(), Meets: d.Window.Meets(), Projected: d.Projected}
		// The chart: the credit accumulated in the assessed period, then
		// the period of each later signing date.
		pd := reports.PresenceDay{Date: d.Date.Time(), InCanada: d.Kind != citizenship.Abroad, Credited: d.Window.Credit(), Complies: d.Window.Meets(), Projected: d.Projected}
		if d.Running != nil {
			row.HasRunning, row.Running = true, d.Running.Credit()
			pd.Credited, pd.Complies = d.Running.Credit(), d.Running.Meets()
		}
		rows, days = append(rows, row), append(days, pd)
	}
	fig, err := citizenshipFigure(r, days)
	if err != nil {
		return err
	}
	return writeCitizenshipFiles(s, dir, rows, fig)
}

// citizenshipFigure draws the credit chart.
func citizenshipFigure(r citizenship.Result, days []reports.PresenceDay) (reports.Figure, error) {
	marks := []reports.DateMark{{Date: r.Sign.Time(), Label: "signed"}}
	if r.EarliestEligible != nil {
		marks = append(marks, reports.DateMark{Date: r.EarliestEligible.Time(), Label: "earliest eligible signing date"})
	}
	return reports.PresenceChart{
		Title:          fmt.Sprintf("Citizenship physical presence (Citizenship Act s. 5(1)(c)): credit in the period %s to %s", r.Presence.Start, r.Presence.End),
		YLabel:         "Days credited (days)",
		Threshold:      citizenship.RequiredDays,
		ThresholdLabel: "1,095-day requirement",
		LineLabel:      "credit since the period start (pre-PR half days capped at 365)",
		ProjLabel:      "5 years before each later signing date, staying in Canada",
		Days:           days,
		Marks:          marks,
	}.Figure()
}

// writeCitizenshipFiles writes citizenship_credit.csv and .png into dir,
// together or not at all.
func writeCitizenshipFiles(s *streams, dir string, rows []reports.CitizenshipDay, fig reports.Figure) error {
	fs, err := data.NewFileSet(dir)
	if err != nil {
		return err
	}
	defer fs.Abort()
	if err := fs.Add("citizenship_credit.csv", func(w io.Writer) error { return reports.WriteCitizenshipCSV(w, citizenship.Source, rows) }); err != nil {
		return err
	}
	if err := reports.AddPNG(fs, "citizenship_credit.png", fig, reports.Width, reports.Height); err != nil {
		return err
	}
	if err := fs.Commit(); err != nil {
		return err
	}
	s.notef("wrote %s/citizenship_credit.csv and citizenship_credit.png", dir)
	return nil
}
