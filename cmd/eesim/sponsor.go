package main

import (
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/eesim/eesim/data"
	"github.com/eesim/eesim/pathway"
	"github.com/eesim/eesim/pathway/sponsor"
	"github.com/eesim/eesim/reports"
)

// sponsorOptions are the flags of "eesim sponsor".
type sponsorOptions struct {
	Input     string
	Class     string
	Size      int
	Income    []string // YEAR=AMOUNT
	TaxYear   int
	Age       int // the sponsored person's age at landing
	Invited   string
	Applied   string
	AsOf      string
	Interests int
	Quota     int
	Years     int
	Model     string
	Trials    int
	Seed      uint64
	Out       string
	JSON      bool
}

// sponsorFile is the JSON input of "eesim sponsor".
type sponsorFile struct {
	Class     sponsor.Class     `json:"class"`
	Sponsor   *sponsor.Sponsor  `json:"sponsor,omitempty"`
	Sponsored sponsor.Sponsored `json:"sponsored"`
	Family    *sponsor.Family   `json:"family,omitempty"`
	// Income by tax year; JSON object keys are the years.
	Income  map[string]int `json:"income,omitempty"`
	TaxYear int            `json:"tax_year,omitempty"`
	// ChildWithChild: the application includes a dependent child who has
	// a dependent child of their own (income test for spouses and children).
	ChildWithChild bool `json:"child_with_child,omitempty"`
	// Start and BirthDate date the undertaking when both are given.
	Start     *pathway.Date `json:"start,omitempty"`
	BirthDate *pathway.Date `json:"birth_date,omitempty"`
	// Invited and Applied date a PGP invitation and the application.
	Invited *pathway.Date `json:"invited,omitempty"`
	Applied *pathway.Date `json:"applied,omitempty"`
	AsOf    *pathway.Date `json:"as_of,omitempty"`
	Lottery *struct {
		Interests int    `json:"interests"`
		Quota     int    `json:"quota"`
		Years     int    `json:"years"`
		Model     string `json:"model"`
	} `json:"lottery,omitempty"`
}

// sponsorLong is the help text of the command.
const sponsorLong = `Sponsor evaluates a family sponsorship: the family size, the income test
(the Minimum Necessary Income in each of the 3 tax years before applying
for parents and grandparents; the low income cut-off of the most recent
tax year for orphaned and other relatives, and for spouses and children
only when a dependent child has a dependent child of their own), the
length of the undertaking, and the sponsor's eligibility checks. Each
income year names the table it applied (MNI 2022, 2023, 2024; LICO 2024,
in force for 2025 applications); a tax year with no table is an error
listing the known years. The tax years are those before the application
(--applied, else --invited), else up to --tax-year, else the latest with
a table.

For parents and grandparents invited to apply (--invited), it gives the
deadline: 60 days after the invitation, met or not by --applied, or the
days left on --as-of (default today, UTC). For a spouse or partner, the
relationship bars (IRPR s. 117(9), 130(3)): the partner 18 or older, no
earlier partner's undertaking still running, 5 years since the sponsor
became a PR as a sponsored partner, a year together for common-law and
conjugal partners, no earlier marriage at the time of the marriage, a
genuine relationship ("sponsor" and "sponsored" in an --in file).

For parents and grandparents, given the number of interests submitted
(--interests) and the yearly invitations (--quota), it prints the chance
of an invitation each year and within k years (--years), in closed form,
and checks it by simulating the random selection (--trials, --seed).
--model fixed: the same interests every year, invitees leave (IRCC's
practice from 2021); replenished: the pool returns to N every year.

Classes: parent, grandparent, spouse, dependent-child, adopted-child,
orphaned-relative, other-relative. Input: --in FILE, JSON {"class":
"parent", "sponsor": {"age": 40, "status": "pr", "lives_in_canada":
true}, "sponsored": {"age": 68}, "family": {"sponsor_spouse": true,
"sponsor_children": 2, "sponsored": 2}, "income": {"2022": 60000, "2023":
80000, "2024": 90000}, "invited": "2025-07-28", "lottery": {"interests":
100000, "quota": 10000, "years": 5, "model": "fixed"}}; or flags (--size
for the family size, --income YEAR=AMOUNT). --json prints one JSON
document (docs/json.md). With --out, writes sponsor_lottery.csv.`

func newSponsorCmd(s *streams) *cobra.Command {
	opts := &sponsorOptions{}
	cmd := &cobra.Command{
		Use:   "sponsor (--in FILE | --class CLASS [flags]) [--json]",
		Short: "Family sponsorship: income test, undertaking, eligibility, deadline and PGP lottery odds",
		Long:  sponsorLong,
		Example: `  eesim sponsor --class parent --size 2 --income 2022=50000 --income 2023=50000 --income 2024=50000 --tax-year 2024
  eesim sponsor --class parent --size 4 --income 2022=65000 --income 2023=67000 --income 2024=72000 --invited 2025-07-28 --interests 100000 --quota 10000 --years 5
  eesim sponsor --in cmd/eesim/testdata/sponsor/parents.json --out out/sponsor --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Input == "" && opts.Class == "" {
				return badInputf("sponsor: --in FILE or --class CLASS is required")
			}
			if opts.Input != "" && (opts.Class != "" || opts.Size != 0 || len(opts.Income) > 0) {
				return badInputf("sponsor: use --in or --class/--size/--income, not both")
			}
			if opts.Trials < 0 || opts.Years < 1 || opts.Years > 50 {
				return badInputf("sponsor: --years must be 1-50 and --trials 0 or more")
			}
			return runSponsor(cmd, opts, s)
		},
	}
	sponsorFlags(cmd, opts)
	return cmd
}

func sponsorFlags(cmd *cobra.Command, opts *sponsorOptions) {
	f := cmd.Flags()
	f.StringVar(&opts.Input, "in", "", "input JSON `FILE`")
	f.StringVar(&opts.Class, "class", "", "sponsorship `CLASS` (parent, grandparent, spouse, dependent-child, adopted-child, orphaned-relative, other-relative)")
	f.IntVar(&opts.Size, "size", 0, "family `SIZE` (the sponsor, their family, earlier sponsored people and the people sponsored with their dependants)")
	f.StringArrayVar(&opts.Income, "income", nil, "sponsor income `YEAR=AMOUNT` in CAD (repeatable)")
	f.IntVar(&opts.TaxYear, "tax-year", 0, "last tax year of the income test (default: the year before --applied or --invited, else the latest with a table)")
	f.IntVar(&opts.Age, "age", -1, "age of the sponsored person when they become a PR (for a child's undertaking)")
	f.StringVar(&opts.Invited, "invited", "", "`DATE` of the invitation to apply (parents and grandparents)")
	f.StringVar(&opts.Applied, "applied", "", "`DATE` the application was submitted")
	f.StringVar(&opts.AsOf, "as-of", "", "assessment `DATE` for the deadline and the time bars (default: the file's as_of, else today UTC)")
	f.IntVar(&opts.Interests, "interests", 0, "PGP interests to sponsor submitted (`N`)")
	f.IntVar(&opts.Quota, "quota", 0, "PGP invitations per year (`Q`)")
	f.IntVar(&opts.Years, "years", 5, "years of PGP draws to report")
	f.StringVar(&opts.Model, "model", "fixed", "pool of interests: fixed or replenished")
	f.IntVar(&opts.Trials, "trials", 2000, "simulated lotteries to check the odds (0: no simulation)")
	f.Uint64Var(&opts.Seed, "seed", 1, "random seed of the simulation")
	f.BoolVar(&opts.JSON, "json", false, "print one JSON document instead of the text")
	f.StringVar(&opts.Out, "out", "", "write sponsor_lottery.csv to `DIR`")
}

// sponsorCase is one sponsorship to evaluate: the input (a file, or the
// flags) with the options resolved against it. The options themselves are
// left as the user gave them.
type sponsorCase struct {
	src     string // the input file, or "flags"
	in      sponsorFile
	income  map[int]int // by tax year
	size    int         // family size; 0: not given
	taxYear int
	yearWhy string // why taxYear
	age     int    // the sponsored person's age at landing; < 0: not given
	asOf    pathway.Date

	interests, quota, years int
	model                   sponsor.Model
	trials                  int
	seed                    uint64
}

func runSponsor(cmd *cobra.Command, opts *sponsorOptions, s *streams) error {
	if err := checkSponsorFlags(cmd, opts); err != nil {
		return err
	}
	c, err := newSponsorCase(opts, cmd.Flags().Changed("years"), cmd.Flags().Changed("model"))
	if err != nil {
		return err
	}
	doc, rows, err := c.evaluate()
	if err != nil {
		return err
	}
	if opts.JSON {
		err = writeJSONDoc(s.Out, doc)
	} else {
		_, err = io.WriteString(s.Out, doc.text())
	}
	if err != nil || opts.Out == "" {
		return err
	}
	if len(rows) == 0 {
		return badInputf("sponsor: --out needs the lottery (--interests and --quota)")
	}
	return writeSponsorOutputs(opts.Out, rows, s)
}

// newSponsorCase reads the input and resolves the options against it: the
// file's lottery, tax year, dates and age apply where the flags do not
// say otherwise (yearsSet, modelSet: --years, --model given).
func newSponsorCase(opts *sponsorOptions, yearsSet, modelSet bool) (*sponsorCase, error) {
	c := &sponsorCase{
		src: "flags", income: map[int]int{}, size: opts.Size, taxYear: opts.TaxYear, age: opts.Age,
		interests: opts.Interests, quota: opts.Quota, years: opts.Years, trials: opts.Trials, seed: opts.Seed,
	}
	modelName := opts.Model
	if opts.Input != "" {
		fileModel, err := c.readFile(opts.Input, yearsSet)
		if err != nil {
			return nil, err
		}
		if fileModel != "" && !modelSet {
			modelName = fileModel
		}
	} else if err := c.readFlags(opts.Class, opts.Income); err != nil {
		return nil, err
	}
	if err := c.readDates(opts); err != nil {
		return nil, err
	}
	if c.size < 0 {
		return nil, badInputf("%s: family size %d is negative", c.src, c.size)
	}
	model, err := sponsor.ParseModel(modelName)
	if err != nil {
		return nil, badInputf("--model: %w", err)
	}
	c.model = model
	c.resolveTaxYear()
	return c, nil
}

// readDates reads --invited, --applied and --as-of over the file's.
func (c *sponsorCase) readDates(opts *sponsorOptions) error {
	for _, x := range []struct {
		flag, v string
		dst     **pathway.Date
	}{{"invited", opts.Invited, &c.in.Invited}, {"applied", opts.Applied, &c.in.Applied}} {
		if x.v == "" {
			continue
		}
		d, err := pathwayDate(x.flag, x.v)
		if err != nil {
			return err
		}
		*x.dst = &d
	}
	asOf, err := pathwayAsOf("as-of", opts.AsOf, c.in.AsOf)
	c.asOf = asOf
	return err
}

// resolveTaxYear picks the last tax year of the income test: the flag or
// the file's, else the year before the application (IRPR s. 133(1)(j):
// the tax years before the date of the application), else the latest
// year with a table.
func (c *sponsorCase) resolveTaxYear() {
	switch {
	case c.taxYear != 0:
		c.yearWhy = "as given"
	case c.in.Applied != nil:
		c.taxYear, c.yearWhy = c.in.Applied.Year()-1, fmt.Sprintf("the tax years before the application of %s", *c.in.Applied)
	case c.in.Invited != nil:
		due := c.in.Invited.AddDays(sponsor.ApplyWithinDays)
		c.taxYear, c.yearWhy = c.in.Invited.Year()-1, fmt.Sprintf("the tax years before an application in %d", c.in.Invited.Year())
		if due.Year() != c.in.Invited.Year() {
			c.yearWhy += fmt.Sprintf("; an application in %d would be assessed on the years to %d (--applied)", due.Year(), due.Year()-1)
		}
	default:
		ys := sponsor.MNIYears()
		if !c.in.Class.PGP() {
			ys = sponsor.LICOYears()
		}
		c.taxYear, c.yearWhy = ys[len(ys)-1], "the latest year with a table"
	}
}

// readFile reads an --in file into c. It returns the file's lottery model
// ("" if none), which applies unless --model was given.
func (c *sponsorCase) readFile(path string, yearsSet bool) (model string, err error) {
	c.src = path
	if err := pathwayReadJSON(path, &c.in); err != nil {
		return "", err
	}
	if _, err := sponsor.ParseClass(string(c.in.Class)); err != nil {
		return "", badInputf("%s: class: %w", path, err)
	}
	c.in.Sponsored.Class = c.in.Class
	if err := c.in.Sponsored.Validate(); err != nil {
		return "", badInputf("%s: %w", path, err)
	}
	for k, v := range c.in.Income {
		y, err := strconv.Atoi(k)
		if err != nil {
			return "", badInputf("%s: income: key %q is not a year", path, k)
		}
		c.income[y] = v
	}
	if c.in.Family != nil {
		if err := c.in.Family.Validate(); err != nil {
			return "", badInputf("%s: %w", path, err)
		}
		c.size = c.in.Family.Size()
	}
	if l := c.in.Lottery; l != nil {
		c.interests, c.quota = l.Interests, l.Quota
		if l.Years > 0 && !yearsSet {
			c.years = l.Years
		}
		model = l.Model
	}
	if c.in.TaxYear != 0 && c.taxYear == 0 {
		c.taxYear = c.in.TaxYear
	}
	if c.age < 0 && c.in.Sponsored.Age != nil {
		c.age = *c.in.Sponsored.Age
	}
	return model, nil
}

// readFlags reads --class and --income into c.
func (c *sponsorCase) readFlags(class string, income []string) error {
	cl, err := sponsor.ParseClass(class)
	if err != nil {
		return badInputf("--class: %w", err)
	}
	c.in.Class = cl
	for i, kv := range income {
		k, v, ok := strings.Cut(kv, "=")
		y, err1 := strconv.Atoi(k)
		a, err2 := strconv.Atoi(strings.ReplaceAll(v, ",", ""))
		if !ok || err1 != nil || err2 != nil {
			return badInputf("--income %d %q: want YEAR=AMOUNT", i+1, kv)
		}
		c.income[y] = a
	}
	return nil
}

func writeSponsorOutputs(dir string, rows []reports.ProbabilityRow, s *streams) error {
	fs, err := data.NewFileSet(dir)
	if err != nil {
		return err
	}
	defer fs.Abort()
	if err := fs.Add("sponsor_lottery.csv", func(w io.Writer) error { return reports.WriteLotteryCSV(w, sponsor.Source, rows) }); err != nil {
		return err
	}
	if err := fs.Commit(); err != nil {
		return err
	}
	s.notef("wrote %s/sponsor_lottery.csv", dir)
	return nil
}

// pathwayPct formats a probability as a percentage with one decimal.
func pathwayPct(p float64) string {
	if p != p { // NaN: nobody left in the pool
		return "-"
	}
	return strconv.FormatFloat(100*p, 'f', 1, 64) + "%"
}

// sponsorSimulate runs the lottery simulation with the case's seed.
func sponsorSimulate(l sponsor.Lottery, years, trials int, seed uint64) sponsor.SimResult {
	return l.Simulate(years, trials, rand.New(rand.NewPCG(seed, 0x5e9)))
}

// sponsorDoc is the evaluation of a sponsorship, printed as text or as
// the --json document (docs/json.md, "sponsor").
type sponsorDoc struct {
	Command     string              `json:"command"`
	Source      string              `json:"source"`
	Class       sponsor.Class       `json:"class"`
	AsOf        pathway.Date        `json:"as_of"`
	Tables      []string            `json:"tables"` // income tables applied
	FamilySize  int                 `json:"family_size"`
	TaxYear     int                 `json:"last_tax_year"`
	TaxYearWhy  string              `json:"last_tax_year_basis"`
	Income      *sponsor.IncomeTest `json:"income_test"` // nil: the family size is needed
	Undertaking sponsorUndertaking  `json:"undertaking"`
	ApplyWithin int                 `json:"apply_within_days"` // the PGP deadline, days after the invitation
	Deadline    *sponsor.Deadline   `json:"application_deadline"`
	Checked     bool                `json:"eligibility_checked"`
	Reasons     []string            `json:"reasons"`
	PartnerBars []sponsor.Bar       `json:"partner_bars"`
	Lottery     *sponsorLottery     `json:"lottery"`
}

// sponsorUndertaking is the undertaking, dated when the start is known.
type sponsorUndertaking struct {
	sponsor.Term
	Known bool          `json:"known"` // false: a child's age is needed for the length
	From  *pathway.Date `json:"from"`
	To    *pathway.Date `json:"to"`
}

// sponsorLottery is the PGP lottery's odds; the simulated columns are
// null without a simulation, Conditional when nobody is left.
type sponsorLottery struct {
	Interests int                  `json:"interests"`
	Quota     int                  `json:"quota"`
	Model     string               `json:"model"`
	Trials    int                  `json:"trials"`
	Seed      uint64               `json:"seed"`
	CIZ       float64              `json:"ci95_z"` // the simulated interval is ± CIZ standard errors
	Years     []sponsorLotteryYear `json:"years"`
}

type sponsorLotteryYear struct {
	Year        int      `json:"year"`
	Conditional *float64 `json:"conditional"`
	Cumulative  float64  `json:"cumulative"`
	SimFocal    *float64 `json:"sim_focal"`
	SimSE       *float64 `json:"sim_focal_se"`
	SimCI95     *float64 `json:"sim_focal_ci95"` // 1.96 standard errors
	SimCohort   *float64 `json:"sim_cohort"`
}

// evaluate runs the calculations and returns the document and, for the
// PGP lottery, the rows of sponsor_lottery.csv.
func (c *sponsorCase) evaluate() (*sponsorDoc, []reports.ProbabilityRow, error) {
	d := &sponsorDoc{Command: "sponsor", Source: sponsor.Source, Class: c.in.Class, AsOf: c.asOf, Tables: []string{},
		FamilySize: c.size, TaxYear: c.taxYear, TaxYearWhy: c.yearWhy, ApplyWithin: sponsor.ApplyWithinDays, Reasons: []string{}, PartnerBars: []sponsor.Bar{}}
	if !sponsor.HasIncomeTest(c.in.Class, c.in.ChildWithChild) || c.size > 0 {
		t, err := sponsor.Income(c.in.Class, c.size, c.income, c.taxYear, c.in.ChildWithChild)
		if err != nil {
			return nil, nil, badInputf("%s: %w", c.src, err)
		}
		d.Income = &t
		for _, y := range t.Years {
			d.Tables = append(d.Tables, y.Table)
		}
	}
	term := sponsor.Undertaking(c.in.Class, max(c.age, 0))
	childClass := c.in.Class == sponsor.DependentChild || c.in.Class == sponsor.AdoptedChild
	d.Undertaking = sponsorUndertaking{Term: term, Known: !childClass || c.age >= 0}
	if c.in.Start != nil {
		end := term.End(*c.in.Start, c.in.BirthDate)
		d.Undertaking.From, d.Undertaking.To = c.in.Start, &end
	}
	on := c.asOf
	if c.in.Applied != nil {
		on = *c.in.Applied
	}
	if c.in.Invited != nil {
		dl, err := sponsor.ApplicationDeadline(c.in.Class, *c.in.Invited, c.in.Applied, c.asOf)
		if err != nil {
			return nil, nil, badInputf("%s: %w", c.src, err)
		}
		d.Deadline = &dl
		if dl.Reason != "" {
			d.Reasons = append(d.Reasons, dl.Reason)
		}
	}
	if c.in.Sponsor != nil {
		p := c.in.Sponsored
		p.Class = c.in.Class
		d.Checked = true
		d.Reasons = append(d.Reasons, sponsor.Check(*c.in.Sponsor, p, on)...)
		if c.in.Class == sponsor.Spouse {
			d.PartnerBars = sponsor.PartnerBars(*c.in.Sponsor, p, on)
		}
	}
	rows, err := c.lottery(d)
	return d, rows, err
}

// lottery computes the PGP lottery odds, if --interests or --quota was
// given, and returns them as CSV rows.
func (c *sponsorCase) lottery(d *sponsorDoc) ([]reports.ProbabilityRow, error) {
	if c.interests == 0 && c.quota == 0 {
		return nil, nil
	}
	if !c.in.Class.PGP() {
		return nil, badInputf("%s: the lottery applies to parents and grandparents only, not %s", c.src, c.in.Class)
	}
	l := sponsor.Lottery{Interests: c.interests, Quota: c.quota, Model: c.model}
	if err := l.Validate(); err != nil {
		return nil, badInputf("%s: lottery: %w", c.src, err)
	}
	cum, cond := l.Cumulative(c.years), l.Conditional(c.years)
	var sim sponsor.SimResult
	if c.trials > 0 {
		sim = sponsorSimulate(l, c.years, c.trials, c.seed)
	}
	d.Lottery = &sponsorLottery{Interests: l.Interests, Quota: l.Quota, Model: c.model.String(), Trials: c.trials, Seed: c.seed, CIZ: 1.96}
	var rows []reports.ProbabilityRow
	for k := range c.years {
		row := reports.ProbabilityRow{Year: k + 1, Conditional: cond[k], Cumulative: cum[k]}
		y := sponsorLotteryYear{Year: k + 1, Cumulative: cum[k]}
		if cond[k] == cond[k] {
			y.Conditional = &cond[k]
		}
		if c.trials > 0 {
			row.SimFocal, row.SimSE, row.SimCohort = sim.Focal[k], sim.FocalSE[k], sim.Cohort[k]
			ci := d.Lottery.CIZ * sim.FocalSE[k]
			y.SimFocal, y.SimSE, y.SimCI95, y.SimCohort = &sim.Focal[k], &sim.FocalSE[k], &ci, &sim.Cohort[k]
		}
		rows = append(rows, row)
		d.Lottery.Years = append(d.Lottery.Years, y)
	}
	return rows, nil
}

// text is the evaluation as text.
func (d *sponsorDoc) text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Family sponsorship: %s\n", d.Class)
	fmt.Fprintf(&b, "Rule source: %s\n", d.Source)
	switch {
	case len(d.Tables) > 0:
		fmt.Fprintf(&b, "Income tables applied: %s\n\n", strings.Join(d.Tables, ", "))
	case d.Income == nil:
		b.WriteString("Income tables applied: none yet (the family size is needed)\n\n")
	default:
		b.WriteString("Income tables applied: none (no income test)\n\n")
	}
	d.writeIncome(&b)
	u := d.Undertaking
	if u.Known {
		fmt.Fprintf(&b, "Undertaking: %d years (%s)\n", u.Years, u.Rule)
	} else {
		fmt.Fprintf(&b, "Undertaking: %s (give --age for the length)\n", u.Rule)
	}
	if u.From != nil {
		fmt.Fprintf(&b, "  from %s to %s\n", *u.From, *u.To)
	}
	d.writeDeadline(&b)
	d.writeEligibility(&b)
	d.writeLottery(&b)
	return b.String()
}

func (d *sponsorDoc) writeIncome(b *strings.Builder) {
	t := d.Income
	if t == nil {
		b.WriteString("Income test: give the family size (--size, or \"family\" in the file)\n")
		return
	}
	if d.FamilySize > 0 {
		fmt.Fprintf(b, "Family size: %d\n", d.FamilySize)
	}
	if t.Basis == "none" {
		fmt.Fprintf(b, "Income test: none (%s; %s)\n", t.Note, t.Source)
		return
	}
	fmt.Fprintf(b, "Income test (%s; %s)\n", t.Basis, t.Source)
	fmt.Fprintf(b, "  last tax year %d: %s\n", d.TaxYear, d.TaxYearWhy)
	for _, y := range t.Years {
		mark := "met"
		if !y.Met {
			mark = fmt.Sprintf("NOT met (%s CAD short)", reports.Thousands(y.Short))
		}
		fmt.Fprintf(b, "  %d: income %s CAD, need %s (%s): %s\n", y.Year, reports.Thousands(y.Income), reports.Thousands(y.Required), y.Table, mark)
	}
	if t.Met {
		b.WriteString("  result: MET\n")
	} else {
		b.WriteString("  result: NOT MET\n")
	}
}

func (d *sponsorDoc) writeDeadline(b *strings.Builder) {
	dl := d.Deadline
	if dl == nil {
		return
	}
	fmt.Fprintf(b, "Application deadline: %s (%d days after the invitation of %s): ", dl.Due, sponsor.ApplyWithinDays, dl.Invited)
	switch dl.Status {
	case "open":
		fmt.Fprintf(b, "open on %s, %s left\n", d.AsOf, pathwayDays(dl.DaysLeft))
	case "passed":
		fmt.Fprintf(b, "PASSED on %s with no application\n", d.AsOf)
	case "applied late":
		fmt.Fprintf(b, "MISSED, applied %s\n", *dl.Applied)
	default:
		fmt.Fprintf(b, "met, applied %s\n", *dl.Applied)
	}
}

func (d *sponsorDoc) writeEligibility(b *strings.Builder) {
	if len(d.PartnerBars) > 0 {
		b.WriteString("Relationship bars (spouse or partner):\n")
		for _, bar := range d.PartnerBars {
			state := "not assessed (not given)"
			switch {
			case bar.Known && bar.Bars:
				state = "BARS"
			case bar.Known:
				state = "clear"
			}
			line := fmt.Sprintf("  %s (%s): %s", bar.Rule, bar.Source, state)
			if bar.Note != "" {
				line += "; " + bar.Note
			}
			b.WriteString(line + "\n")
		}
	}
	switch {
	case len(d.Reasons) > 0:
		b.WriteString("Eligibility: NOT ELIGIBLE\n")
		for _, w := range d.Reasons {
			fmt.Fprintf(b, "  - %s\n", w)
		}
		if !d.Checked {
			b.WriteString("  (the sponsor's own checks need \"sponsor\" in an --in file)\n")
		}
	case d.Checked:
		b.WriteString("Eligibility: every check passed\n")
	default:
		b.WriteString("Eligibility: not checked (give \"sponsor\" in an --in file)\n")
	}
}

func (d *sponsorDoc) writeLottery(b *strings.Builder) {
	l := d.Lottery
	if l == nil {
		return
	}
	fmt.Fprintf(b, "\nPGP lottery: %s interests, %s invitations a year, %s pool\n", reports.Thousands(l.Interests), reports.Thousands(l.Quota), l.Model)
	fmt.Fprintf(b, "  year  that year*  within k years  simulated (±%g SE)    cohort share\n", l.CIZ)
	for _, y := range l.Years {
		cond := "-"
		if y.Conditional != nil {
			cond = pathwayPct(*y.Conditional)
		}
		line := fmt.Sprintf("  %4d  %9s  %14s", y.Year, cond, pathwayPct(y.Cumulative))
		if y.SimFocal != nil {
			line += fmt.Sprintf("  %8s ± %-8s  %12s", pathwayPct(*y.SimFocal), pathwayPct(*y.SimCI95), pathwayPct(*y.SimCohort))
		}
		b.WriteString(strings.TrimRight(line, " ") + "\n")
	}
	b.WriteString("  * for a sponsor not invited in an earlier year\n")
	if l.Trials > 0 {
		fmt.Fprintf(b, "  simulated: %s lotteries, seed %d\n", reports.Thousands(l.Trials), l.Seed)
	}
}
