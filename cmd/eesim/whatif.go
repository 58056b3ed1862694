package main

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/eesim/eesim/data"
	"github.com/eesim/eesim/pool"
	"github.com/eesim/eesim/reports"
	"github.com/eesim/eesim/sim"
	"github.com/eesim/eesim/sim/schedule"
)

// whatIfDefaultRuns is the default --runs per sweep point. A run of the
// default 6-month horizon costs about 0.22 s of CPU (measured: 54 runs in
// 12 s), so a 15-point sweep (CEC=1000:8000:500) takes about 35 s on 2
// cores. The quantiles pool every round of a family and every run (about
// 13 CEC rounds × 20 runs = 260 cutoffs per point), so few runs suffice
// for them; the candidate's probability has a 95% interval of up to ±20
// points at 20 runs (Wilson, p = 0.5).
const whatIfDefaultRuns = 20

// whatIfOptions are the flags of eesim whatif.
type whatIfOptions struct {
	candidateFlags
	projectionFlags
	DrawSize []string
	Cadence  string
	Mix      string
	JSON     bool
}

func newWhatIfCmd(s *streams) *cobra.Command {
	o := &whatIfOptions{}
	cmd := &cobra.Command{
		Use:   "whatif (--draw-size FAMILY=FROM:TO:STEP | --cadence FROM:TO:STEP | --mix FROM:TO:STEP)... --out DIR",
		Short: "Sweep draw sizes, cadence or category mix and chart the projected cutoffs",
		Long: `Whatif reruns the projection of eesim simulate (same start, schedule and
seeds) at each value of one or more sweeps, and reports each round family's
projected cutoffs: the 10th, 50th and 90th percentiles over every round of
the family in the horizon and every run. Sweeps:

  --draw-size FAMILY=FROM:TO:STEP   every round of the family (as in the
        schedule: cec, fsw, pnp, french, healthcare, ...) gets this size;
        repeatable, one sweep per flag
  --cadence FROM:TO:STEP   draw weeks per month: the schedule's draw weeks
        (rounds within 3 days of each other), replayed in order one every
        month/N (a month is 365.25/12 days), keeping their rounds' days of
        the week, families and sizes; IRCC held about 2 a month in 2023-2025
  --mix FROM:TO:STEP   share of the non-PNP rounds that are category
        rounds: program and general rounds spread evenly in time become
        category rounds (taking the schedule's categories in turn), or
        category rounds become the schedule's most common program round;
        sizes and dates are kept

All points of all sweeps use the same seeds and the same guesses (the
lowest each family's rounds get at any point; see eesim simulate), so they
differ by the schedule only; a sweep of one point gives the runs of eesim
simulate on that schedule. With --score or --profile (as for eesim odds), each point
also gives the candidate's probability of an invitation within the
horizon. Writes whatif.csv (sweep, value, unit, family, p10, p50, p90,
observations, rounds, runs, p_invited, p_lo95, p_hi95), one chart per sweep
(whatif-<sweep>.png: median cutoff and p10-p90 band per family against the
swept value, the candidate's odds below) and config.json.`,
		Example: `  eesim whatif --draw-size CEC=1000:8000:500 --out out/whatif
  eesim whatif --cadence 1:4:1 --mix 0:0.6:0.1 --score 505 --programs CEC --out out/whatif
  eesim whatif --draw-size french=2000:8000:2000 --profile me.json --horizon 12mo --runs 50 --out out/fr`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(o.DrawSize) == 0 && o.Cadence == "" && o.Mix == "" {
				return badInputf("whatif: give at least one sweep: --draw-size, --cadence or --mix")
			}
			if err := o.check(cmd, "whatif"); err != nil {
				return err
			}
			if o.Out == "" {
				return badInputf("whatif: --out is required")
			}
			return runWhatIf(cmd, s, o)
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&o.DrawSize, "draw-size", nil, "sweep the size of a family's rounds, `FAMILY=FROM:TO:STEP` (repeatable)")
	f.StringVar(&o.Cadence, "cadence", "", "sweep the draw weeks per month, `FROM:TO:STEP`")
	f.StringVar(&o.Mix, "mix", "", "sweep the share of category rounds among non-PNP rounds, `FROM:TO:STEP` (0 to 1)")
	o.candidateFlags.bind(cmd)
	addJSONFlag(cmd, &o.JSON)
	o.projectionFlags.bind(cmd, projectionDefaults{horizon: "6mo", runs: whatIfDefaultRuns, runsHelp: "Monte Carlo runs per sweep point",
		seedHelp: "random seed, the same for every point", scheduleHelp: "base rounds to project"})
	return cmd
}

func runWhatIf(cmd *cobra.Command, s *streams, o *whatIfOptions) error {
	horizon, err := checkRunFlags(o.Runs, o.Workers, o.Horizon)
	if err != nil {
		return err
	}
	sweeps, err := parseSweeps(o)
	if err != nil {
		return err
	}
	p, err := newProjection(s, &o.projectionFlags, horizon)
	if err != nil {
		return err
	}
	var cand *sim.Candidate
	desc := ""
	if o.given(cmd) {
		c, d, err := oddsCandidate(cmd, &o.candidateFlags, p.start, p.end(), p.feed.Rounds)
		if err != nil {
			return err
		}
		cand, desc = &c, d
	}
	if err := p.buildSchedule(&o.projectionFlags, nil); err != nil {
		return err
	}
	p.recent = nil // every point projects the same base schedule
	points, err := checkSweeps(sweeps, p.sched, p.start, p.end())
	if err != nil {
		return err
	}
	if err := sim.CheckMemory(o.Runs, len(p.sched)); err != nil {
		return badInputf("--runs: %w", err)
	}
	if err := p.loadModel(s, &o.projectionFlags); err != nil {
		return err
	}
	reg := pool.NewRegistry(pool.DefaultCategories...)
	cfg := sim.WhatIfConfig{Config: p.config(&o.projectionFlags), End: p.end(), Sweeps: sweeps, Candidate: cand}
	bar := newProgress(s, points*o.Runs, "whatif")
	pts, err := sim.WhatIf(cmd.Context(), p.feed.Rounds, cfg, reg, bar)
	bar.Done()
	if err != nil {
		return err
	}
	return writeWhatIf(s, o, p, sweeps, points, cand, desc, pts)
}

// parseSweeps parses the sweeps of --draw-size, --cadence and --mix, in
// that order.
func parseSweeps(o *whatIfOptions) ([]sim.Sweep, error) {
	var sweeps []sim.Sweep
	for _, d := range o.DrawSize {
		sw, err := sim.ParseSweep(sim.SweepDrawSize, d)
		if err != nil {
			return nil, badInput(err)
		}
		sweeps = append(sweeps, sw)
	}
	for _, x := range []struct {
		kind sim.SweepKind
		spec string
	}{{sim.SweepCadence, o.Cadence}, {sim.SweepMix, o.Mix}} {
		if x.spec == "" {
			continue
		}
		sw, err := sim.ParseSweep(x.kind, x.spec)
		if err != nil {
			return nil, badInput(err)
		}
		sweeps = append(sweeps, sw)
	}
	return sweeps, nil
}

// checkSweeps checks every point's schedule before the long part, and
// returns the number of points.
func checkSweeps(sweeps []sim.Sweep, sched []schedule.ScheduledRound, start, end time.Time) (int, error) {
	points := 0
	for _, sw := range sweeps {
		for _, v := range sw.Values {
			if _, err := sw.Apply(sched, v, start, end); err != nil {
				return 0, badInputf("--%s %g: %v", sw.Kind, v, err)
			}
			points++
		}
	}
	return points, nil
}

// writeWhatIf writes whatif's outputs (whatif.csv, a chart per sweep,
// config.json) and prints the summary.
func writeWhatIf(s *streams, o *whatIfOptions, p *projection, sweeps []sim.Sweep, points int, cand *sim.Candidate, desc string,
	pts []sim.WhatIfPoint) error {
	rows := whatIfRows(pts)
	fs, err := data.NewFileSet(o.Out)
	if err != nil {
		return err
	}
	defer fs.Abort()
	if err := fs.Add("whatif.csv", func(w io.Writer) error { return reports.WriteWhatIfCSV(w, rows) }); err != nil {
		return err
	}
	charts, err := addWhatIfCharts(s, fs, rows, desc, p.feed.Rounds)
	if err != nil {
		return err
	}
	rec := p.record("whatif", &o.projectionFlags)
	rec.End, rec.Profile = p.end(), o.Profile
	for _, sw := range sweeps {
		rec.Sweeps = append(rec.Sweeps, sweepFile{Sweep: sw.Name(), Unit: sw.Unit(), Values: sw.Values})
	}
	if cand != nil {
		cf := candidateOf(*cand)
		rec.Candidate = &cf
	}
	if err := addRunRecord(fs, &rec); err != nil {
		return err
	}
	if err := fs.Commit(); err != nil {
		return err
	}
	doc := newWhatIfDoc(o, p, points, cand, desc, pts, append([]string{"whatif.csv"}, charts...))
	if o.JSON {
		return writeJSONDoc(s.Out, doc)
	}
	fmt.Fprintf(s.Out, "eesim whatif: %d points × %d runs from the %s pool, %s to %s\n", doc.Points, doc.Runs,
		doc.SnapshotDate, doc.Start, doc.End)
	if doc.Candidate != nil {
		fmt.Fprintf(s.Out, "candidate: %s, submitted %s\n", *doc.Candidate, *doc.Submitted)
	}
	writeWhatIfSummary(s.Out, pts, cand != nil)
	fmt.Fprintf(s.Out, "wrote %s (%s)\n", doc.Out, strings.Join(doc.Files, ", "))
	return nil
}

// whatIfDoc is whatif's --json document (docs/json.md, "whatif"): the
// values of its text summary.
type whatIfDoc struct {
	Command      string           `json:"command"`
	Points       int              `json:"points"`
	Runs         int              `json:"runs"`
	SnapshotDate string           `json:"snapshot_date"`
	Start        string           `json:"start"`
	End          string           `json:"end"`
	Candidate    *string          `json:"candidate"`
	Submitted    *string          `json:"submitted"`
	Results      []whatIfPointDoc `json:"results"`
	Out          string           `json:"out"`
	Files        []string         `json:"files"`
}

type whatIfPointDoc struct {
	Sweep    string            `json:"sweep"`
	Unit     string            `json:"unit"`
	Value    float64           `json:"value"`
	Families []whatIfFamilyDoc `json:"families"`
	PInvited num               `json:"p_invited"`
}

type whatIfFamilyDoc struct {
	Family string `json:"family"`
	P10    num    `json:"p10"`
	P50    num    `json:"p50"`
	P90    num    `json:"p90"`
}

func newWhatIfDoc(o *whatIfOptions, p *projection, points int, cand *sim.Candidate, desc string, pts []sim.WhatIfPoint, files []string) whatIfDoc {
	d := whatIfDoc{Command: "whatif", Points: points, Runs: o.Runs, SnapshotDate: p.snapshotDate(),
		Start: day(p.start), End: day(p.end()), Results: []whatIfPointDoc{}, Out: o.Out, Files: files}
	if desc != "" {
		sub := day(cand.Submitted)
		d.Candidate, d.Submitted = &desc, &sub
	}
	for _, pt := range pts {
		pd := whatIfPointDoc{Sweep: pt.Sweep, Unit: pt.Unit, Value: pt.Value, Families: []whatIfFamilyDoc{}, PInvited: num(math.NaN())}
		if cand != nil {
			pd.PInvited = num(pt.PInvited)
		}
		for _, f := range pt.Families {
			pd.Families = append(pd.Families, whatIfFamilyDoc{f.Family, num(f.P10), num(f.P50), num(f.P90)})
		}
		d.Results = append(d.Results, pd)
	}
	return d
}

// whatIfRows converts sim's points to reports' rows: one per point and
// family.
func whatIfRows(pts []sim.WhatIfPoint) []reports.WhatIfRow {
	var rows []reports.WhatIfRow
	for _, p := range pts {
		for _, f := range p.Families {
			rows = append(rows, reports.WhatIfRow{Sweep: p.Sweep, Unit: p.Unit, Value: p.Value, Family: f.Family,
				P10: f.P10, P50: f.P50, P90: f.P90, N: f.N, Rounds: f.Rounds, Runs: p.Runs,
				PInvited: p.PInvited, PLo: p.PLo, PHi: p.PHi})
		}
	}
	return rows
}

// addWhatIfCharts stages one chart per sweep in fs and returns their
// names; a sweep with nothing to chart is a warning.
func addWhatIfCharts(s *streams, fs *data.FileSet, rows []reports.WhatIfRow, desc string, rounds []data.Round) ([]string, error) {
	var charts []string
	for _, sw := range reports.WhatIfSweeps(rows) {
		fig := reports.WhatIfChart(rows, sw, desc)
		if fig == nil {
			s.warnf("%s: no round with a cutoff below 600 to chart", sw)
			continue
		}
		name := reports.WhatIfFileName(sw)
		if err := reports.AddPNG(fs, name, reports.WithDataLine(fig, rounds), reports.Width, reports.Height); err != nil {
			return nil, err
		}
		charts = append(charts, name)
	}
	return charts, nil
}

// writeWhatIfSummary prints, per sweep, the median cutoff of each family
// (p10-p90) at each value, and the candidate's odds.
func writeWhatIfSummary(w io.Writer, pts []sim.WhatIfPoint, odds bool) {
	for i := 0; i < len(pts); {
		j := i
		for j < len(pts) && pts[j].Sweep == pts[i].Sweep {
			j++
		}
		fmt.Fprintf(w, "\n%s (%s): median cutoff (p10-p90)\n", pts[i].Sweep, pts[i].Unit)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		var fams []string // every family of the sweep's points, in order
		for _, p := range pts[i:j] {
			for _, f := range p.Families {
				if !slices.Contains(fams, f.Family) {
					fams = append(fams, f.Family)
				}
			}
		}
		fmt.Fprint(tw, "value\t")
		for _, f := range fams {
			fmt.Fprintf(tw, "%s\t", f)
		}
		if odds {
			fmt.Fprint(tw, "P(invited)\t")
		}
		fmt.Fprintln(tw)
		for _, p := range pts[i:j] {
			fmt.Fprintf(tw, "%g\t", p.Value)
			for _, f := range fams {
				fmt.Fprintf(tw, "%s\t", cutoffCell(p, f))
			}
			if odds {
				fmt.Fprintf(tw, "%s\t", pct(p.PInvited))
			}
			fmt.Fprintln(tw)
		}
		tw.Flush()
		i = j
	}
}

// cutoffCell is "528 (521-535)" for family fam at point p, "-" if absent.
func cutoffCell(p sim.WhatIfPoint, fam string) string {
	for _, f := range p.Families {
		if f.Family == fam {
			if math.IsNaN(f.P50) {
				return "-"
			}
			return fmt.Sprintf("%.0f (%.0f-%.0f)", f.P50, f.P10, f.P90)
		}
	}
	return "-"
}
