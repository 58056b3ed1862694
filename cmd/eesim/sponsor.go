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

func runSponsor(cmd *cobra.Command, opts *sponsorOptions, s *streams) error {
	var in sponsorFile
	income := map[int]int{}
	size := opts.Size
	src := "flags"
	if opts.Input != "" {
		src = opts.Input
		if err := pathwayReadJSON(opts.Input, &in); err != nil {
			return err
		}
		if _, err := sponsor.ParseClass(string(in.Class)); err != nil {
			return badInputf("%s: class: %w", src, err)
		}
		for k, v := range in.Income {
			y, err := strconv.Atoi(k)
			if err != nil {
				return badInputf("%s: income: key %q is not a year", src, k)
			}
			income[y] = v
		}
		if in.Family != nil {
			if err := in.Family.Validate(); err != nil {
				return badInputf("%s: %w", src, err)
			}
			size = in.Family.Size()
		} else if !in.Class.PGP() && in.Class != sponsor.Spouse {
			size = 0
		}
		if in.Lottery != nil {
			opts.Interests, opts.Quota = in.Lottery.Interests, in.Lottery.Quota
			if in.Lottery.Years > 0 && !cmd.Flags().Changed("years") {
				opts.Years = in.Lottery.Years
			}
			if in.Lottery.Model != "" && !cmd.Flags().Changed("model") {
				opts.Model = in.Lottery.Model
			}
		}
		if in.TaxYear != 0 && opts.TaxYear == 0 {
			opts.TaxYear = in.TaxYear
		}
		if opts.Age < 0 {
			opts.Age = in.Sponsored.Age
		}
	} else {
		c, err := sponsor.ParseClass(opts.Class)
		if err != nil {
			return badInputf("--class: %w", err)
		}
		in.Class = c
		for i, kv := range opts.Income {
			k, v, ok := strings.Cut(kv, "=")
			y, err1 := strconv.Atoi(k)
			a, err2 := strconv.Atoi(strings.ReplaceAll(v, ",", ""))
			if !ok || err1 != nil || err2 != nil {
				return badInputf("--income %d %q: want YEAR=AMOUNT", i+1, kv)
			}
			income[y] = a
		}
	}
	if size < 0 {
		return badInputf("%s: family size %d is negative", src, size)
	}
	model, err := sponsor.ParseModel(opts.Model)
	if err != nil {
		return badInputf("--model: %w", err)
	}
	if opts.TaxYear == 0 {
		ys := sponsor.MNIYears()
		opts.TaxYear = ys[len(ys)-1]
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Family sponsorship: %s\n\n", in.Class)

	// Income test.
	switch {
	case sponsor.HasIncomeTest(in.Class, in.ChildWithChild) && size == 0:
		b.WriteString("Income test: give the family size (--size, or \"family\" in the file)\n")
	default:
		if size > 0 {
			fmt.Fprintf(&b, "Family size: %d\n", size)
		}
		t, err := sponsor.Income(in.Class, size, income, opts.TaxYear, in.ChildWithChild)
		if err != nil {
			return badInputf("%s: %w", src, err)
		}
		switch t.Basis {
		case "none":
			fmt.Fprintf(&b, "Income test: none (%s)\n", t.Note)
		default:
			fmt.Fprintf(&b, "Income test (%s):\n", t.Basis)
			for _, y := range t.Years {
				mark := "met"
				if !y.Met {
					mark = fmt.Sprintf("NOT met (%s CAD short)", reports.Thousands(y.Required-y.Income))
				}
				fmt.Fprintf(&b, "  %d: income %s CAD, need %s: %s\n", y.Year, reports.Thousands(y.Income), reports.Thousands(y.Required), mark)
			}
			if t.Met {
				b.WriteString("  result: MET\n")
			} else {
				b.WriteString("  result: NOT MET\n")
			}
		}
	}

	// Undertaking.
	age := opts.Age
	if age < 0 {
		age = 0
	}
	term := sponsor.Undertaking(in.Class, age)
	childClass := in.Class == sponsor.DependentChild || in.Class == sponsor.AdoptedChild
	if childClass && opts.Age < 0 {
		fmt.Fprintf(&b, "Undertaking: %s (give --age for the length)\n", term.Rule)
	} else {
		fmt.Fprintf(&b, "Undertaking: %d years (%s)\n", term.Years, term.Rule)
	}
	if in.Start != nil {
		fmt.Fprintf(&b, "  from %s to %s\n", *in.Start, term.End(*in.Start, in.BirthDate))
	}

	// Eligibility.
	if in.Sponsor != nil {
		p := in.Sponsored
		p.Class = in.Class
		why := sponsor.Check(*in.Sponsor, p)
		if len(why) == 0 {
			b.WriteString("Eligibility: every check passed\n")
		} else {
			b.WriteString("Eligibility: NOT ELIGIBLE\n")
			for _, w := range why {
				fmt.Fprintf(&b, "  - %s\n", w)
			}
		}
	} else {
		b.WriteString("Eligibility: not checked (give \"sponsor\" in an --in file)\n")
	}

	// Lottery.
	var rows []reports.ProbabilityRow
	if opts.Interests != 0 || opts.Quota != 0 {
		if !in.Class.PGP() {
			return badInputf("%s: the lottery applies to parents and grandparents only, not %s", src, in.Class)
		}
		l := sponsor.Lottery{Interests: opts.Interests, Quota: opts.Quota, Model: model}
		if err := l.Validate(); err != nil {
			return badInputf("%s: lottery: %w", src, err)
		}
		cum, cond := l.Cumulative(opts.Years), l.Conditional(opts.Years)
		var sim sponsor.SimResult
		if opts.Trials > 0 {
			sim = l.Simulate(opts.Years, opts.Trials, rand.New(rand.NewPCG(opts.Seed, 0x5e9)))
		}
		fmt.Fprintf(&b, "\nPGP lottery: %s interests, %s invitations a year, %s pool\n", reports.Thousands(l.Interests), reports.Thousands(l.Quota), model)
		b.WriteString("  year  that year*  within k years  simulated (±1.96 SE)    cohort share\n")
		for k := range opts.Years {
			row := reports.ProbabilityRow{Year: k + 1, Conditional: cond[k], Cumulative: cum[k]}
			line := fmt.Sprintf("  %4d  %9s  %14s", k+1, pathwayPct(cond[k]), pathwayPct(cum[k]))
			if opts.Trials > 0 {
				row.SimFocal, row.SimSE, row.SimCohort = sim.Focal[k], sim.FocalSE[k], sim.Cohort[k]
				line += fmt.Sprintf("  %8s ± %-8s  %12s", pathwayPct(sim.Focal[k]), pathwayPct(1.96*sim.FocalSE[k]), pathwayPct(sim.Cohort[k]))
			}
			rows = append(rows, row)
			b.WriteString(strings.TrimRight(line, " ") + "\n")
		}
		b.WriteString("  * for a sponsor not invited in an earlier year\n")
		if opts.Trials > 0 {
			fmt.Fprintf(&b, "  simulated: %s lotteries, seed %d\n", reports.Thousands(opts.Trials), opts.Seed)
		}
	}
	if _, err := io.WriteString(s.Out, b.String()); err != nil {
		return err
	}
	if opts.Out == "" {
		return nil
	}
	if len(rows) == 0 {
		return badInputf("sponsor: --out needs the lottery (--interests and --quota)")
	}
	fs, err := data.NewFileSet(opts.Out)
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
	fmt.Fprintf(s.Err, "wrote %s/sponsor_lottery.csv\n", opts.Out)
	return nil
}

// pathwayPct formats a probability as a percentage with one decimal.
func pathwayPct(p float64) string {
	if p != p { // NaN: nobody left in the pool
		return "-"
	}
	return strconv.FormatFloat(100*p, 'f', 1, 64) + "%"
}
