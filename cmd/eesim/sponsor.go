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

func init() { register(newSponsorCmd) }

// sponsorOptions are the flags of "eesim sponsor".
type sponsorOptions struct {
	Input     string
	Class     string
	Size      int
	Income    []string // YEAR=AMOUNT
	TaxYear   int
	Age       int // the sponsored person's age at landing
	Interests int
	Quota     int
	Years     int
	Model     string
	Trials    int
	Seed      uint64
	Out       string
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
	Lottery   *struct {
		Interests int    `json:"interests"`
		Quota     int    `json:"quota"`
		Years     int    `json:"years"`
		Model     string `json:"model"`
	} `json:"lottery,omitempty"`
}

func newSponsorCmd(s *streams) *cobra.Command {
	opts := &sponsorOptions{}
	cmd := &cobra.Command{
		Use:   "sponsor (--in FILE | --class CLASS [flags])",
		Short: "Family sponsorship: income test, undertaking, eligibility and PGP lottery odds",
		Long: `Sponsor evaluates a family sponsorship: the family size, the income test
(the Minimum Necessary Income in each of the 3 tax years before applying
for parents and grandparents; the low income cut-off, most recent year,
for orphaned and other relatives, and for spouses and children only when
a dependent child has a dependent child of their own), the length of the
undertaking, and the sponsor's eligibility checks.

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
"sponsor_children": 2, "sponsored": 2}, "income": {"2021": 60000, "2022":
80000, "2023": 90000}, "lottery": {"interests": 100000, "quota": 10000,
"years": 5, "model": "fixed"}}; or flags (--size for the family size,
--income YEAR=AMOUNT). With --out, writes sponsor_lottery.csv.`,
		Example: `  eesim sponsor --class parent --size 4 --income 2021=50000 --income 2022=65000 --income 2023=67000
  eesim sponsor --class parent --size 4 --income 2021=50000 --income 2022=65000 --income 2023=67000 --interests 100000 --quota 10000 --years 5
  eesim sponsor --in cmd/eesim/testdata/sponsor/parents.json --out out/sponsor`,
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
	f := cmd.Flags()
	f.StringVar(&opts.Input, "in", "", "input JSON `FILE`")
	f.StringVar(&opts.Class, "class", "", "sponsorship `CLASS` (parent, grandparent, spouse, dependent-child, adopted-child, orphaned-relative, other-relative)")
	f.IntVar(&opts.Size, "size", 0, "family `SIZE` (the sponsor, their family, earlier sponsored people and the people sponsored with their dependants)")
	f.StringArrayVar(&opts.Income, "income", nil, "sponsor income `YEAR=AMOUNT` in CAD (repeatable)")
	f.IntVar(&opts.TaxYear, "tax-year", 0, "last tax year of the income test (default: the latest with an MNI table)")
	f.IntVar(&opts.Age, "age", -1, "age of the sponsored person when they become a PR (for a child's undertaking)")
	f.IntVar(&opts.Interests, "interests", 0, "PGP interests to sponsor submitted (`N`)")
	f.IntVar(&opts.Quota, "quota", 0, "PGP invitations per year (`Q`)")
	f.IntVar(&opts.Years, "years", 5, "years of PGP draws to report")
	f.StringVar(&opts.Model, "model", "fixed", "pool of interests: fixed or replenished")
	f.IntVar(&opts.Trials, "trials", 2000, "simulated lotteries to check the odds (0: no simulation)")
	f.Uint64Var(&opts.Seed, "seed", 1, "random seed of the simulation")
	f.StringVar(&opts.Out, "out", "", "write sponsor_lottery.csv to `DIR`")
	return cmd
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
	age     int // the sponsored person's age at landing; < 0: not given

	interests, quota, years int
	model                   sponsor.Model
	trials                  int
	seed                    uint64
}

func runSponsor(cmd *cobra.Command, opts *sponsorOptions, s *streams) error {
	c, err := newSponsorCase(opts, cmd.Flags().Changed("years"), cmd.Flags().Changed("model"))
	if err != nil {
		return err
	}
	text, rows, err := c.report()
	if err != nil {
		return err
	}
	if _, err := io.WriteString(s.Out, text); err != nil {
		return err
	}
	if opts.Out == "" {
		return nil
	}
	if len(rows) == 0 {
		return badInputf("sponsor: --out needs the lottery (--interests and --quota)")
	}
	return writeSponsorOutputs(opts.Out, rows, s)
}

// newSponsorCase reads the input and resolves the options against it: the
// file's lottery, tax year and age apply where the flags do not say
// otherwise (yearsSet, modelSet: --years, --model given).
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
	if c.size < 0 {
		return nil, badInputf("%s: family size %d is negative", c.src, c.size)
	}
	model, err := sponsor.ParseModel(modelName)
	if err != nil {
		return nil, badInputf("--model: %w", err)
	}
	c.model = model
	if c.taxYear == 0 {
		ys := sponsor.MNIYears()
		c.taxYear = ys[len(ys)-1]
	}
	return c, nil
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
	} else if !c.in.Class.PGP() && c.in.Class != sponsor.Spouse {
		c.size = 0
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
	if c.age < 0 {
		c.age = c.in.Sponsored.Age
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

// report returns the text of the evaluation and, for the PGP lottery, the
// rows of sponsor_lottery.csv.
func (c *sponsorCase) report() (string, []reports.ProbabilityRow, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "Family sponsorship: %s\n\n", c.in.Class)
	if err := c.writeIncome(&b); err != nil {
		return "", nil, err
	}
	c.writeUndertaking(&b)
	c.writeEligibility(&b)
	rows, err := c.writeLottery(&b)
	if err != nil {
		return "", nil, err
	}
	return b.String(), rows, nil
}

func (c *sponsorCase) writeIncome(b *strings.Builder) error {
	if sponsor.HasIncomeTest(c.in.Class, c.in.ChildWithChild) && c.size == 0 {
		b.WriteString("Income test: give the family size (--size, or \"family\" in the file)\n")
		return nil
	}
	if c.size > 0 {
		fmt.Fprintf(b, "Family size: %d\n", c.size)
	}
	t, err := sponsor.Income(c.in.Class, c.size, c.income, c.taxYear, c.in.ChildWithChild)
	if err != nil {
		return badInputf("%s: %w", c.src, err)
	}
	if t.Basis == "none" {
		fmt.Fprintf(b, "Income test: none (%s)\n", t.Note)
		return nil
	}
	fmt.Fprintf(b, "Income test (%s):\n", t.Basis)
	for _, y := range t.Years {
		mark := "met"
		if !y.Met {
			mark = fmt.Sprintf("NOT met (%s CAD short)", reports.Thousands(y.Required-y.Income))
		}
		fmt.Fprintf(b, "  %d: income %s CAD, need %s: %s\n", y.Year, reports.Thousands(y.Income), reports.Thousands(y.Required), mark)
	}
	if t.Met {
		b.WriteString("  result: MET\n")
	} else {
		b.WriteString("  result: NOT MET\n")
	}
	return nil
}

func (c *sponsorCase) writeUndertaking(b *strings.Builder) {
	term := sponsor.Undertaking(c.in.Class, max(c.age, 0))
	childClass := c.in.Class == sponsor.DependentChild || c.in.Class == sponsor.AdoptedChild
	if childClass && c.age < 0 {
		fmt.Fprintf(b, "Undertaking: %s (give --age for the length)\n", term.Rule)
	} else {
		fmt.Fprintf(b, "Undertaking: %d years (%s)\n", term.Years, term.Rule)
	}
	if c.in.Start != nil {
		fmt.Fprintf(b, "  from %s to %s\n", *c.in.Start, term.End(*c.in.Start, c.in.BirthDate))
	}
}

func (c *sponsorCase) writeEligibility(b *strings.Builder) {
	if c.in.Sponsor == nil {
		b.WriteString("Eligibility: not checked (give \"sponsor\" in an --in file)\n")
		return
	}
	p := c.in.Sponsored
	p.Class = c.in.Class
	why := sponsor.Check(*c.in.Sponsor, p)
	if len(why) == 0 {
		b.WriteString("Eligibility: every check passed\n")
		return
	}
	b.WriteString("Eligibility: NOT ELIGIBLE\n")
	for _, w := range why {
		fmt.Fprintf(b, "  - %s\n", w)
	}
}

// writeLottery writes the PGP lottery odds, if --interests or --quota was
// given, and returns them as CSV rows.
func (c *sponsorCase) writeLottery(b *strings.Builder) ([]reports.ProbabilityRow, error) {
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
		sim = l.Simulate(c.years, c.trials, rand.New(rand.NewPCG(c.seed, 0x5e9)))
	}
	fmt.Fprintf(b, "\nPGP lottery: %s interests, %s invitations a year, %s pool\n", reports.Thousands(l.Interests), reports.Thousands(l.Quota), c.model)
	b.WriteString("  year  that year*  within k years  simulated (±1.96 SE)    cohort share\n")
	var rows []reports.ProbabilityRow
	for k := range c.years {
		row := reports.ProbabilityRow{Year: k + 1, Conditional: cond[k], Cumulative: cum[k]}
		line := fmt.Sprintf("  %4d  %9s  %14s", k+1, pathwayPct(cond[k]), pathwayPct(cum[k]))
		if c.trials > 0 {
			row.SimFocal, row.SimSE, row.SimCohort = sim.Focal[k], sim.FocalSE[k], sim.Cohort[k]
			line += fmt.Sprintf("  %8s ± %-8s  %12s", pathwayPct(sim.Focal[k]), pathwayPct(1.96*sim.FocalSE[k]), pathwayPct(sim.Cohort[k]))
		}
		rows = append(rows, row)
		b.WriteString(strings.TrimRight(line, " ") + "\n")
	}
	b.WriteString("  * for a sponsor not invited in an earlier year\n")
	if c.trials > 0 {
		fmt.Fprintf(b, "  simulated: %s lotteries, seed %d\n", reports.Thousands(c.trials), c.seed)
	}
	return rows, nil
}

func writeSponsorOutputs(dir string, rows []reports.ProbabilityRow, s *streams) error {
	fs, err := data.NewFileSet(dir)
	if err != nil {
		return err
	}
	defer fs.Abort()
	if err := fs.Add("sponsor_lottery.csv", func(w io.Writer) error { return reports.WriteLotteryCSV(w, rows) }); err != nil {
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
