package main

import (
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/eesim/eesim/data"
	"github.com/eesim/eesim/pool"
	"github.com/eesim/eesim/pool/crs"
	"github.com/eesim/eesim/reports"
	"github.com/eesim/eesim/sim"
)

// oddsDefaultRuns is the default --runs of eesim odds. A run of the default
// 12-month horizon costs about 0.3 s of CPU (profiled, embedded feed), so
// 100 runs take about 15 s on 2 cores; the 95% Monte Carlo interval of a
// probability is then at most ±10 points (Wilson, p = 0.5).
const oddsDefaultRuns = 100

// candidateFlags describe a candidate, for eesim odds and whatif.
type candidateFlags struct {
	Score      int
	Profile    string
	Submitted  string
	Programs   string
	Categories string
	Nominated  bool
}

func (o *candidateFlags) bind(cmd *cobra.Command) {
	f := cmd.Flags()
	f.IntVar(&o.Score, "score", 0, "the candidate's CRS `N` (0-1200; with a nomination, the 600 points included)")
	f.StringVar(&o.Profile, "profile", "", "profile JSON `FILE` (as for eesim crs)")
	f.StringVar(&o.Submitted, "submitted", "", "profile submission `INSTANT` (YYYY-MM-DD or RFC 3339; default: the profile's, else the start)")
	f.StringVar(&o.Programs, "programs", "", "federal programs the candidate is eligible for, `LIST` of CEC, FSW, FST")
	f.StringVar(&o.Categories, "categories", "", "category `KEYS` the candidate is eligible for, e.g. french,healthcare")
	f.BoolVar(&o.Nominated, "nominated", false, "the candidate holds a provincial nomination")
}

// oddsOptions are the flags of eesim odds.
type oddsOptions struct {
	candidateFlags
	projectionFlags
	JSON bool
}

func newOddsCmd(s *streams) *cobra.Command {
	o := &oddsOptions{}
	cmd := &cobra.Command{
		Use:   "odds (--score N --programs LIST | --profile FILE) --out DIR",
		Short: "A candidate's chance of an invitation, month by month",
		Long: `Odds puts one candidate in the pool of every Monte Carlo run of the
projection (the runs of eesim simulate with the same seed, schedule and
start) and records the first round that invites them. It prints the
chance of an invitation by the end of the horizon, the median wait and
the round families the invitations came from, and writes to --out:

  odds.csv            month, date, p_invited_by, p_lo95, p_hi95, invited_runs,
                      runs: the chance of an invitation before each date
                      (start + 1, 2, ... months, then the horizon's end)
  odds-families.csv   invitations by round family
  odds.png            the cumulative probability against the date
  config.json         the configuration, to reproduce the run

The candidate is either --score N (the total CRS, 600 nomination points
included) with --programs, or --profile FILE (the JSON of eesim crs): the
score is computed on every date it changes (birthdays, language results
turning two years old) and the programs and categories come from the
profile (crs eligibility); --programs, --categories and --nominated
override them.

The candidate enters the pool at the first projected round (the real
rounds since the pool snapshot are history: they did not invite them) with
their --submitted instant, which ranks them among equal scores (default:
the profile's "submitted", else --start, the day after the feed's last
round). A profile expires 12 months after submission and is taken as
resubmitted at once, under a new timestamp. p_lo95 and p_hi95 are the 95%
Wilson interval of the estimate from --runs runs: Monte Carlo error, not
model error. The pool model is calibrated on the feed before --start, as
for eesim simulate (--model default for the uncalibrated priors).`,
		Example: `  eesim odds --score 520 --programs CEC --out out/odds
  eesim odds --profile cmd/eesim/testdata/crs/profile.json --out out/odds
  eesim odds --score 480 --programs FSW --categories french --horizon 6mo --runs 400 --out out/odds-fr`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !o.given(cmd) {
				return badInputf("odds: give exactly one of --score and --profile")
			}
			if err := o.check(cmd, "odds"); err != nil {
				return err
			}
			if o.Out == "" {
				return badInputf("odds: --out is required")
			}
			return runOdds(cmd, s, o)
		},
	}
	o.candidateFlags.bind(cmd)
	o.projectionFlags.bind(cmd, projectionDefaults{horizon: "12mo", runs: oddsDefaultRuns, runsHelp: "number of Monte Carlo runs",
		seedHelp: "random seed (the runs of eesim simulate with the same seed)", scheduleHelp: "rounds to project"})
	addJSONFlag(cmd, &o.JSON)
	return cmd
}

// given reports whether a candidate was given (--score or --profile).
func (o *candidateFlags) given(cmd *cobra.Command) bool {
	return cmd.Flags().Changed("score") || o.Profile != ""
}

// check validates the combination of candidate flags.
func (o *candidateFlags) check(cmd *cobra.Command, name string) error {
	scoreSet := cmd.Flags().Changed("score")
	if scoreSet && o.Profile != "" {
		return badInputf("%s: give exactly one of --score and --profile", name)
	}
	if scoreSet && !cmd.Flags().Changed("programs") && !o.Nominated {
		return badInputf("%s: --score needs --programs (e.g. --programs CEC,FSW) or --nominated", name)
	}
	return nil
}

// oddsCandidate builds the candidate from the flags: a fixed score, or a
// profile scored on every date its score or eligibility may change
// between start and end (sim.CandidateFromProfile). It also returns a
// description.
func oddsCandidate(cmd *cobra.Command, o *candidateFlags, start, end time.Time, rounds []data.Round) (sim.Candidate, string, error) {
	var c sim.Candidate
	var ov sim.ProfileOverrides
	if cmd.Flags().Changed("programs") {
		progs, err := data.ParseFederalPrograms(o.Programs)
		if err != nil {
			return c, "", badInputf("--programs: %v", err)
		}
		ov.Programs = &progs
	}
	// A category no round has would be ignored: say so instead.
	known := data.KnownCategories(rounds)
	for _, k := range data.ParseKeys(o.Categories) {
		if err := data.CheckCategory(k, known); err != nil {
			return c, "", badInputf("--categories: %v", err)
		}
	}
	if cmd.Flags().Changed("categories") {
		ov.Categories = append([]string{}, data.ParseKeys(o.Categories)...)
	}
	if o.Profile == "" {
		if o.Score < 0 || o.Score > pool.MaxScore {
			return c, "", badInputf("--score %d: want 0 to %d", o.Score, pool.MaxScore)
		}
		var progs data.Programs
		if ov.Programs != nil {
			progs = *ov.Programs
		}
		c = sim.Candidate{Score: o.Score, Programs: progs, Categories: data.ParseKeys(o.Categories), Nominated: o.Nominated}
	} else {
		p, err := crs.LoadProfile(o.Profile)
		if err != nil {
			return c, "", badInput(err)
		}
		for i, k := range p.Categories {
			if err := data.CheckCategory(k, known); err != nil {
				return c, "", badInputf("profile %s: categories[%d]: %v", o.Profile, i, err)
			}
		}
		ov.Nominated = o.Nominated
		if c, err = sim.CandidateFromProfile(p, start, end, ov); err != nil {
			return c, "", badInputf("profile %s: %v", o.Profile, err)
		}
	}
	if o.Submitted != "" {
		t, err := sim.ParseDate(o.Submitted)
		if err != nil {
			return c, "", badInputf("--submitted: %v", err)
		}
		c.Submitted = t
	}
	if c.Submitted.IsZero() {
		c.Submitted = start
	}
	return c, describeCandidate(c.Score, c.Programs, c.Nominated, c.Categories), nil
}

// describeCandidate is "a CRS of 520 in CEC, FSW (categories: french)".
func describeCandidate(score int, progs data.Programs, nominated bool, cats []string) string {
	var ps []string
	for _, p := range []struct {
		bit  data.Programs
		name string
	}{{data.CEC, "CEC"}, {data.FSW, "FSW"}, {data.FST, "FST"}} {
		if progs&p.bit != 0 {
			ps = append(ps, p.name)
		}
	}
	if nominated {
		ps = append(ps, "PNP (nominated)")
	}
	d := fmt.Sprintf("a CRS of %d", score)
	if len(ps) > 0 {
		d += " in " + strings.Join(ps, ", ")
	}
	if len(cats) > 0 {
		d += " (categories: " + strings.Join(cats, ", ") + ")"
	}
	return d
}

// oddsPoints converts sim's points to reports'.
func oddsPoints(pts []sim.OddsPoint, start time.Time, runs int) []reports.OddsPoint {
	out := make([]reports.OddsPoint, len(pts))
	for i, p := range pts {
		out[i] = reports.OddsPoint{Months: reports.MonthsBetween(start, p.By), By: p.By, P: p.P, Lo: p.Lo, Hi: p.Hi,
			Invited: p.Invited, Runs: runs}
	}
	return out
}

func runOdds(cmd *cobra.Command, s *streams, o *oddsOptions) error {
	horizon, err := checkRunFlags(o.Runs, o.Workers, o.Horizon)
	if err != nil {
		return err
	}
	p, err := newProjection(s, &o.projectionFlags, horizon)
	if err != nil {
		return err
	}
	cand, desc, err := oddsCandidate(cmd, &o.candidateFlags, p.start, p.end(), p.feed.Rounds)
	if err != nil {
		return err
	}
	warnCandidate(s, cand, p.start)
	if err := p.buildSchedule(&o.projectionFlags, nil); err != nil {
		return err
	}
	if err := p.loadModel(s, &o.projectionFlags); err != nil {
		return err
	}
	reg := pool.NewRegistry(pool.DefaultCategories...)
	cfg := sim.OddsConfig{Config: p.config(&o.projectionFlags), Candidate: cand}
	bar := newProgress(s, o.Runs, "odds")
	res, err := sim.Odds(cmd.Context(), p.feed.Rounds, cfg, reg, bar)
	bar.Done()
	if err != nil {
		return err
	}
	return writeOdds(s, o, p, cand, desc, res)
}

// warnCandidate warns of a candidate no program ranks, or whose profile
// expires before the start.
func warnCandidate(s *streams, cand sim.Candidate, start time.Time) {
	if cand.Programs == 0 && !cand.Nominated {
		s.warnf("the candidate meets no program (CEC, FSW, FST, PNP): only general rounds rank them")
	}
	if start.Sub(cand.Submitted) >= pool.Validity {
		s.warnf("submitted %s, 12 months or more before the start: taken as resubmitted at each expiry",
			cand.Submitted.Format(time.DateOnly))
	}
}

// writeOdds writes odds' outputs (odds.csv, odds-families.csv, odds.png,
// config.json) and prints the summary.
func writeOdds(s *streams, o *oddsOptions, p *projection, cand sim.Candidate, desc string, res *sim.OddsResult) error {
	start := p.start
	months := oddsPoints(res.Curve(sim.OddsDates(start, p.end())), start, o.Runs)
	var after []time.Time
	for _, r := range p.sched {
		after = append(after, r.Instant.Add(time.Second))
	}
	curve := oddsPoints(res.Curve(after), start, o.Runs)
	var shares []reports.OddsShare
	for _, sh := range res.Shares() {
		shares = append(shares, reports.OddsShare{Family: sh.Family, Eligible: sh.Eligible, Count: sh.Count, Share: sh.Share})
	}

	fs, err := data.NewFileSet(o.Out)
	if err != nil {
		return err
	}
	defer fs.Abort()
	monthEnds := oddsPoints(res.Curve(sim.MonthEnds(start, p.end())), start, o.Runs)
	for i := range monthEnds {
		monthEnds[i].Month = i + 1
	}
	if err := fs.Add("odds.csv", func(w io.Writer) error { return reports.WriteOddsCSV(w, monthEnds) }); err != nil {
		return err
	}
	if err := fs.Add("odds-families.csv", func(w io.Writer) error { return reports.WriteOddsSharesCSV(w, shares) }); err != nil {
		return err
	}
	title := fmt.Sprintf("Chance of an invitation: %s, submitted %s, from %s",
		strings.TrimPrefix(desc, "a "), cand.Submitted.UTC().Format(time.DateOnly), start.Format(time.DateOnly))
	if err := reports.AddPNG(fs, "odds.png", reports.WithDataLine(reports.OddsChart(curve, months, start, title), p.feed.Rounds), reports.Width, reports.Height); err != nil {
		return err
	}
	rec := p.record("odds", &o.projectionFlags)
	cf := candidateOf(cand)
	rec.End, rec.Profile, rec.Candidate = p.end(), o.Profile, &cf
	if err := addRunRecord(fs, &rec); err != nil {
		return err
	}
	if err := fs.Commit(); err != nil {
		return err
	}
	doc := newOddsDoc(desc, cand, res, months, shares, start, o.Out)
	if o.JSON {
		return writeJSONDoc(s.Out, doc)
	}
	writeOddsSummary(s.Out, &doc)
	fmt.Fprintf(s.Out, "wrote %s\n", o.Out)
	return nil
}

// oddsDoc is odds' summary: its --json document (docs/json.md, "odds"),
// from which writeOddsSummary prints the text.
type oddsDoc struct {
	Command          string          `json:"command"`
	Candidate        string          `json:"candidate"`
	Submitted        string          `json:"submitted"`
	By               string          `json:"by"`
	P                num             `json:"p"`
	Lo               num             `json:"lo95"`
	Hi               num             `json:"hi95"`
	Runs             int             `json:"runs"`
	SnapshotDate     string          `json:"snapshot_date"`
	ScoreChanges     []oddsChangeDoc `json:"score_changes"`
	ByDate           []oddsByDateDoc `json:"by_date"`
	MedianWaitMonths *float64        `json:"median_wait_months"`
	MedianWaitDate   *string         `json:"median_wait_date"`
	Families         []oddsFamilyDoc `json:"families"`
	Out              string          `json:"out"`
}

type oddsChangeDoc struct {
	From  string `json:"from"`
	Score int    `json:"score"`
}

type oddsByDateDoc struct {
	Date string `json:"date"`
	P    num    `json:"p"`
	Lo   num    `json:"lo95"`
	Hi   num    `json:"hi95"`
}

type oddsFamilyDoc struct {
	Family   string `json:"family"`
	Eligible bool   `json:"eligible"`
	Count    int    `json:"invited_runs"`
	Share    num    `json:"share"`
}

// newOddsDoc is the summary of an odds run: the chance by the end of the
// horizon (the last of months), by each date, the median wait and where
// the invitations came from.
func newOddsDoc(desc string, c sim.Candidate, res *sim.OddsResult, months []reports.OddsPoint,
	shares []reports.OddsShare, start time.Time, out string) oddsDoc {
	last := months[len(months)-1]
	d := oddsDoc{Command: "odds", Candidate: desc, Submitted: day(c.Submitted), By: day(last.By),
		P: num(last.P), Lo: num(last.Lo), Hi: num(last.Hi), Runs: res.Runs, SnapshotDate: day(res.SnapshotDate),
		ScoreChanges: []oddsChangeDoc{}, Families: []oddsFamilyDoc{}, Out: out}
	for _, ch := range c.Changes {
		d.ScoreChanges = append(d.ScoreChanges, oddsChangeDoc{day(ch.From), ch.Score})
	}
	for _, m := range months {
		d.ByDate = append(d.ByDate, oddsByDateDoc{day(m.By), num(m.P), num(m.Lo), num(m.Hi)})
	}
	if wait, ok := res.MedianWait(); ok {
		m, at := wait.Hours()/24/(365.25/12), day(start.Add(wait))
		d.MedianWaitMonths, d.MedianWaitDate = &m, &at
	}
	for _, sh := range shares {
		d.Families = append(d.Families, oddsFamilyDoc{sh.Family, sh.Eligible, sh.Count, num(sh.Share)})
	}
	return d
}

// writeOddsSummary prints the plain-language summary of an odds run.
func writeOddsSummary(w io.Writer, d *oddsDoc) {
	fmt.Fprintf(w, "With %s, submitted %s, the chance of an invitation by %s is %s (95%% interval %s-%s over %d runs from the %s pool).\n",
		d.Candidate, d.Submitted, d.By, pct(float64(d.P)), pct(float64(d.Lo)), pct(float64(d.Hi)), d.Runs, d.SnapshotDate)
	for _, ch := range d.ScoreChanges {
		fmt.Fprintf(w, "Score from %s: %d.\n", ch.From, ch.Score)
	}
	var by []string
	for _, m := range d.ByDate {
		by = append(by, fmt.Sprintf("%s %s", m.Date, pct(float64(m.P))))
	}
	fmt.Fprintf(w, "By date: %s.\n", strings.Join(by, ", "))
	if d.MedianWaitMonths != nil {
		fmt.Fprintf(w, "Median wait: %.1f months (%s).\n", *d.MedianWaitMonths, *d.MedianWaitDate)
	} else {
		fmt.Fprintf(w, "Median wait: not reached within the horizon (fewer than half the runs invited).\n")
	}
	var from, never []string
	for _, sh := range d.Families {
		switch {
		case !sh.Eligible:
			never = append(never, sh.Family)
		case math.IsNaN(float64(sh.Share)):
		default:
			from = append(from, fmt.Sprintf("%s %s", sh.Family, pct(float64(sh.Share))))
		}
	}
	if len(from) > 0 {
		fmt.Fprintf(w, "Invitations came from %s rounds.\n", strings.Join(from, ", "))
	}
	if len(never) > 0 {
		fmt.Fprintf(w, "Not eligible for the projected %s rounds.\n", strings.Join(never, ", "))
	}
}

// pct formats a probability as a whole percentage.
func pct(p float64) string {
	if math.IsNaN(p) {
		return "n/a"
	}
	return fmt.Sprintf("%.0f%%", 100*p)
}
