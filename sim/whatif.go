package sim

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"gonum.org/v1/gonum/stat"

	"github.com/eesim/eesim/data"
	"github.com/eesim/eesim/draws"
	"github.com/eesim/eesim/pool"
	"github.com/eesim/eesim/sim/schedule"
)

// SweepKind is what a what-if sweep varies.
type SweepKind string

// Sweep kinds.
const (
	// SweepDrawSize sets the size of every round of one family
	// (invitations per round).
	SweepDrawSize SweepKind = "draw-size"
	// SweepCadence replays the schedule's draw weeks at a given number of
	// draw weeks per month; see Sweep.Apply.
	SweepCadence SweepKind = "cadence"
	// SweepMix sets the share of category rounds among the rounds that are
	// not PNP rounds; see Sweep.Apply.
	SweepMix SweepKind = "mix"
)

// MaxSweepPoints bounds the values of one sweep: each point is a full
// projection.
const MaxSweepPoints = 100

// Sweep is one what-if sweep: a kind, the family for SweepDrawSize (as
// schedule.ScheduledRound.Family, lower case), and the values to try.
type Sweep struct {
	Kind   SweepKind
	Family string
	Values []float64
}

// Name is "draw-size cec", "cadence" or "mix".
func (s Sweep) Name() string {
	if s.Kind == SweepDrawSize {
		return string(s.Kind) + " " + s.Family
	}
	return string(s.Kind)
}

// Unit describes the swept value, for axis labels.
func (s Sweep) Unit() string {
	switch s.Kind {
	case SweepDrawSize:
		return "invitations per " + s.Family + " round"
	case SweepCadence:
		return "draw weeks per month"
	}
	return "share of non-PNP rounds that are category rounds"
}

// ParseSweep parses a sweep: for SweepDrawSize "FAMILY=FROM:TO:STEP"
// ("CEC=1000:8000:500"), else "FROM:TO:STEP" ("1:4:1", "0:0.6:0.1"). The
// values run from FROM to TO (included, within a millionth of STEP) by
// STEP. Sizes must be whole and positive, cadences in (0, 8] (above 8
// draw weeks a month, weeks of up to 3 days would overlap), mixes in
// [0, 1].
func ParseSweep(kind SweepKind, spec string) (Sweep, error) {
	s := Sweep{Kind: kind}
	rng := spec
	if kind == SweepDrawSize {
		fam, r, ok := strings.Cut(spec, "=")
		s.Family = strings.ToLower(strings.TrimSpace(fam))
		if !ok || s.Family == "" {
			return s, fmt.Errorf("--%s %q: want FAMILY=FROM:TO:STEP, e.g. CEC=1000:8000:500", kind, spec)
		}
		rng = r
	}
	parts := strings.Split(rng, ":")
	if len(parts) != 3 {
		return s, fmt.Errorf("--%s %q: want FROM:TO:STEP", kind, spec)
	}
	var v [3]float64
	for i, p := range parts {
		f, err := strconv.ParseFloat(strings.TrimSpace(strings.ReplaceAll(p, ",", "")), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return s, fmt.Errorf("--%s %q: %q is not a number", kind, spec, p)
		}
		v[i] = f
	}
	from, to, step := v[0], v[1], v[2]
	if step <= 0 || to < from {
		return s, fmt.Errorf("--%s %q: want FROM <= TO and STEP > 0", kind, spec)
	}
	n := int(math.Floor((to-from)/step+1e-6)) + 1
	if n > MaxSweepPoints {
		return s, fmt.Errorf("--%s %q: %d points, at most %d", kind, spec, n, MaxSweepPoints)
	}
	for i := range n {
		x := from + float64(i)*step
		// Print-round away the float error of from + i*step (0.1*3).
		x, _ = strconv.ParseFloat(strconv.FormatFloat(x, 'g', 12, 64), 64)
		s.Values = append(s.Values, x)
	}
	for _, x := range s.Values {
		switch kind {
		case SweepDrawSize:
			if x != math.Trunc(x) || x < 1 || x > schedule.MaxScheduleSize {
				return s, fmt.Errorf("--%s %q: size %g: want a whole number from 1 to %d", kind, spec, x, schedule.MaxScheduleSize)
			}
		case SweepCadence:
			if x <= 0 || x > 8 {
				return s, fmt.Errorf("--%s %q: %g draw weeks per month: want more than 0, at most 8", kind, spec, x)
			}
		case SweepMix:
			if x < 0 || x > 1 {
				return s, fmt.Errorf("--%s %q: share %g: want 0 to 1", kind, spec, x)
			}
		default:
			return s, fmt.Errorf("sim: unknown sweep kind %q", kind)
		}
	}
	return s, nil
}

// day is a calendar day of 24 hours (rounds are placed on UTC days).
const day = 24 * time.Hour

// monthLen is a month: 365.25/12 days.
const monthLen = time.Duration(365.25 / 12 * float64(day))

// Apply returns the schedule base with the sweep's value v, for the
// horizon [start, end). base is not modified.
//
//   - draw-size: every round of Family gets size v (an error if base has
//     no round of Family).
//   - cadence: base is cut into draw weeks (a round more than 3 days after
//     the previous one starts a new week, as schedule.RecentSchedule does). The
//     weeks are replayed in order, cycling, one every month/v (a month
//     being 365.25/12 days), the first half a gap after start: week j
//     starts on the day of start + (j+1/2)·month/v, at the time of day of
//     its first round, and keeps its rounds' offsets, families and sizes.
//     Rounds at or after end are dropped. Invitations per month scale with
//     v; the mix of families and sizes is base's.
//   - mix: among the rounds that are not PNP-only (PNP rounds draw from
//     nominees, a pool of their own), the number of category rounds is
//     set to round(v·n). Rounds to convert are spread evenly in time (the
//     k of m candidates at indices floor((i+1/2)·m/k)). A round made a
//     category round takes the category and version of base's category
//     rounds in turn (an error when base has none); a category round made
//     a program or general round takes the most common type and programs
//     of base's other non-PNP rounds (general when there are none). Sizes
//     and instants are kept.
func (s Sweep) Apply(base []schedule.ScheduledRound, v float64, start, end time.Time) ([]schedule.ScheduledRound, error) {
	out := slices.Clone(base)
	switch s.Kind {
	case SweepDrawSize:
		if err := schedule.ApplySizeOverrides(out, map[string]int{s.Family: int(v)}); err != nil {
			return nil, err
		}
		return out, nil
	case SweepCadence:
		return cadence(base, v, start, end), nil
	case SweepMix:
		return mix(out, v)
	}
	return nil, fmt.Errorf("sim: unknown sweep kind %q", s.Kind)
}

func cadence(base []schedule.ScheduledRound, v float64, start, end time.Time) []schedule.ScheduledRound {
	if len(base) == 0 {
		return nil
	}
	var weeks [][]schedule.ScheduledRound
	for i, r := range base {
		if i == 0 || r.Instant.Sub(base[i-1].Instant) > schedule.DrawWeekDays*day {
			weeks = append(weeks, nil)
		}
		weeks[len(weeks)-1] = append(weeks[len(weeks)-1], r)
	}
	gap := time.Duration(float64(monthLen) / v)
	var out []schedule.ScheduledRound
	for j := 0; ; j++ {
		at := start.Add(time.Duration((float64(j) + 0.5) * float64(gap))).UTC().Truncate(day)
		if !at.Before(end) {
			break
		}
		w := weeks[j%len(weeks)]
		first := w[0].Instant.UTC()
		at = at.Add(first.Sub(first.Truncate(day)))
		for _, r := range w {
			r.Instant = at.Add(r.Instant.Sub(first))
			if !r.Instant.Before(start) && r.Instant.Before(end) {
				out = append(out, r)
			}
		}
	}
	slices.SortStableFunc(out, func(a, b schedule.ScheduledRound) int { return a.Instant.Compare(b.Instant) })
	return out
}

func mix(s []schedule.ScheduledRound, v float64) ([]schedule.ScheduledRound, error) {
	var cats, other []int // indices of non-PNP rounds, category or not
	for i, r := range s {
		switch {
		case r.Type == data.Category:
			cats = append(cats, i)
		case r.Type == data.Program && r.Programs == data.PNP:
		default:
			other = append(other, i)
		}
	}
	n := len(cats) + len(other)
	want := int(math.Round(v * float64(n)))
	switch {
	case want > len(cats):
		if len(cats) == 0 {
			return nil, fmt.Errorf("mix %g: the schedule has no category round to copy", v)
		}
		protos := make([]schedule.ScheduledRound, len(cats))
		for i, k := range cats {
			protos[i] = s[k]
		}
		for i, k := range spread(other, want-len(cats)) {
			p := protos[i%len(protos)]
			s[k].Type, s[k].Programs, s[k].CategoryKey, s[k].Version = data.Category, p.Programs, p.CategoryKey, p.Version
		}
	case want < len(cats):
		typ, progs := data.General, data.Programs(0)
		count := map[[2]int]int{}
		best := 0
		for _, k := range other { // most common type and programs, the first on ties
			key := [2]int{int(s[k].Type), int(s[k].Programs)}
			count[key]++
			if count[key] > best {
				best, typ, progs = count[key], s[k].Type, s[k].Programs
			}
		}
		for _, k := range spread(cats, len(cats)-want) {
			s[k].Type, s[k].Programs, s[k].CategoryKey, s[k].Version = typ, progs, "", ""
		}
	}
	return s, nil
}

// spread returns k of idx spread evenly: idx[floor((i+1/2)·m/k)].
func spread(idx []int, k int) []int {
	m := len(idx)
	out := make([]int, 0, k)
	for i := range min(k, m) {
		out = append(out, idx[int((float64(i)+0.5)*float64(m)/float64(k))])
	}
	return out
}

// WhatIfConfig is a what-if study: Config's projection (Schedule is the
// base schedule, Runs the runs per sweep point) redone at every value of
// every sweep. End is the horizon end, for SweepCadence. With a Candidate,
// each point also estimates the candidate's odds of an invitation within
// the horizon (as Odds does).
type WhatIfConfig struct {
	Config
	End       time.Time
	Sweeps    []Sweep
	Candidate *Candidate
}

// FamilyCutoffs are the quantiles of a family's projected cutoffs at one
// sweep point, over every round of the family in the horizon and every
// run (each round of each run is one observation; rounds that invited
// nobody are left out).
type FamilyCutoffs struct {
	Family        string
	P10, P50, P90 float64 // NaN when N is 0
	N             int     // observations: rounds × runs
	Rounds        int     // rounds of the family in the schedule
}

// WhatIfPoint is the projection at one value of one sweep.
type WhatIfPoint struct {
	Sweep    string // Sweep.Name
	Unit     string // Sweep.Unit
	Value    float64
	Runs     int
	Families []FamilyCutoffs // in order of the family's first round
	// PInvited is the probability that the candidate is invited in the
	// horizon, RunShare of the runs that invited them, with the 95% Wilson
	// interval of their share; NaN without a candidate.
	PInvited, PLo, PHi float64
}

// WhatIf runs the projection at every value of every sweep, in order. Each
// point uses the same seeds (RunRNG(cfg.Seed, run)) and the same guesses
// (the lowest of every point's pilot run: learnGuesses, mergeGuesses),
// which decide which random numbers a run draws, so points differ by the
// schedule only (common random numbers). A point's runs are Project's on
// its schedule when it is the only point. prog gets one unit per run and
// point.
//
// With the declines off (Settings.DeclineShare 0), raising the size of a
// round can only lower or keep every later cutoff in every run: the pool
// with the larger round is, round after round, a subset of the other
// (arrivals are the same draws), and from a subset of a pool the top N'
// of a larger round N' reaches no higher a score than the top N. Declines
// return a candidate who drew a decline and spend one random number per
// invitation, so with them the runs part ways and the property holds on
// average only.
func WhatIf(ctx context.Context, rounds []data.Round, cfg WhatIfConfig, reg *pool.Registry, prog Progress) ([]WhatIfPoint, error) {
	if cfg.Shard.N > 1 {
		return nil, fmt.Errorf("sim: what-if: shards are not supported")
	}
	pts, err := sweepPoints(cfg)
	if err != nil {
		return nil, err
	}
	if cfg.guesses == nil {
		g, err := sweepGuesses(ctx, rounds, cfg, pts, reg)
		if err != nil {
			return nil, err
		}
		cfg.guesses = g
	}
	var out []WhatIfPoint
	for _, sp := range pts {
		pt, err := whatIfPoint(ctx, rounds, cfg, sp.sched, reg, prog)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", sp.name(), err)
		}
		pt.Sweep, pt.Unit, pt.Value = sp.sw.Name(), sp.sw.Unit(), sp.v
		out = append(out, pt)
	}
	return out, nil
}

// sweepPoint is a point of a sweep: its value and the schedule it gives.
type sweepPoint struct {
	sw    Sweep
	v     float64
	sched []schedule.ScheduledRound
}

func (sp sweepPoint) name() string { return fmt.Sprintf("%s %g", sp.sw.Name(), sp.v) }

// sweepPoints returns the points of cfg's sweeps, in order.
func sweepPoints(cfg WhatIfConfig) ([]sweepPoint, error) {
	var pts []sweepPoint
	for _, sw := range cfg.Sweeps {
		for _, v := range sw.Values {
			sched, err := sw.Apply(cfg.Schedule, v, cfg.Start, cfg.End)
			if err != nil {
				return nil, fmt.Errorf("%s %g: %w", sw.Name(), v, err)
			}
			pts = append(pts, sweepPoint{sw, v, sched})
		}
	}
	return pts, nil
}

// sweepGuesses returns the guesses every point of pts gets, so that a
// point's runs draw the same pools and arrivals as the others' (a guess
// changes which numbers a run draws): the lowest of every point's pilot
// run (learnGuesses). The pilots run on cfg's workers.
func sweepGuesses(ctx context.Context, rounds []data.Round, cfg WhatIfConfig, pts []sweepPoint, reg *pool.Registry) (map[string]int, error) {
	if len(pts) == 0 {
		return map[string]int{}, nil
	}
	// The registry only grows while the first point's scenario is made
	// and the points' categories are registered; the pilots then only
	// read it.
	gs := make([]map[string]int, len(pts))
	errs := make([]error, len(pts))
	c := cfg.Config
	c.Schedule = pts[0].sched
	if _, gs[0], errs[0] = projectionScenario(rounds, c, reg); errs[0] != nil {
		return nil, fmt.Errorf("%s: %w", pts[0].name(), errs[0])
	}
	for _, pt := range pts[1:] {
		for _, r := range pt.sched {
			if r.Type == data.Category {
				if _, err := reg.Bit(r.CategoryKey); err != nil {
					return nil, fmt.Errorf("%s: %w", pt.name(), err)
				}
			}
		}
	}
	err := forRuns(ctx, len(pts)-1, cfg.Workers, nil, func() (func(int), error) {
		return func(i int) {
			c := cfg.Config
			c.Schedule = pts[i+1].sched
			_, gs[i+1], errs[i+1] = projectionScenario(rounds, c, reg)
		}, nil
	})
	if err != nil {
		return nil, err
	}
	for i, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("%s: %w", pts[i].name(), err)
		}
	}
	return mergeGuesses(gs), nil
}

// whatIfPoint runs one sweep point.
func whatIfPoint(ctx context.Context, rounds []data.Round, cfg WhatIfConfig, sched []schedule.ScheduledRound, reg *pool.Registry, prog Progress) (WhatIfPoint, error) {
	c := cfg.Config
	c.Schedule = sched
	cutoffs := make([][]int, c.Runs) // per run, per schedule round
	invited := make([]bool, c.Runs)
	_, _, err := runCandidate(ctx, rounds, c, cfg.Candidate, reg, prog, func(run int, rows []data.RunRow, inv Invitation) {
		cs := make([]int, len(sched))
		for _, r := range rows {
			cs[r.Round] = int(r.Cutoff)
		}
		cutoffs[run] = cs
		invited[run] = inv.Invited
	})
	if err != nil {
		return WhatIfPoint{}, err
	}
	pt := WhatIfPoint{Runs: c.Runs, PInvited: math.NaN(), PLo: math.NaN(), PHi: math.NaN()}
	if cfg.Candidate != nil {
		n := 0
		for _, ok := range invited {
			if ok {
				n++
			}
		}
		_, pt.PLo, pt.PHi = wilson(n, c.Runs)
		// Exactly 0 only when the rules rule the candidate out of every
		// round up to the horizon's last (docs/model.md, "Odds").
		end := c.Start
		if n := len(sched); n > 0 {
			end = sched[n-1].Instant.Add(time.Nanosecond)
		}
		decided := newInvitee(*cfg.Candidate).ruledOut(end)
		pt.PInvited = RunShare(n, c.Runs, decided)
	}
	idx := map[string]int{}
	var obs [][]float64
	for j, r := range sched {
		f := r.Family()
		k, ok := idx[f]
		if !ok {
			k = len(pt.Families)
			idx[f] = k
			pt.Families = append(pt.Families, FamilyCutoffs{Family: f})
			obs = append(obs, nil)
		}
		pt.Families[k].Rounds++
		for run := range c.Runs {
			if cut := cutoffs[run][j]; cut != draws.NoCutoff {
				obs[k] = append(obs[k], float64(cut))
			}
		}
	}
	for k := range pt.Families {
		fc := &pt.Families[k]
		fc.N = len(obs[k])
		fc.P10, fc.P50, fc.P90 = math.NaN(), math.NaN(), math.NaN()
		if fc.N > 0 {
			x := obs[k]
			slices.Sort(x)
			// Empirical quantiles: the smallest observation with at least
			// a share p of the observations at or below it (gonum's
			// stat.Empirical), so that they are observed cutoffs.
			fc.P10 = stat.Quantile(0.1, stat.Empirical, x, nil)
			fc.P50 = stat.Quantile(0.5, stat.Empirical, x, nil)
			fc.P90 = stat.Quantile(0.9, stat.Empirical, x, nil)
		}
	}
	return pt, nil
}
