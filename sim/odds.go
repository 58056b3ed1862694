package sim

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/eesim/eesim/data"
	"github.com/eesim/eesim/draws"
	"github.com/eesim/eesim/pool"
)

// Candidate is the profile whose odds of an invitation Odds estimates.
type Candidate struct {
	Score      int           // CRS from the start (before the first of Changes)
	Programs   data.Programs // federal programs the candidate is eligible for (CEC, FSW, FST)
	Categories []string      // category keys ("french", "healthcare", ...)
	Nominated  bool          // holds a provincial nomination (600 points, included in Score)
	// Submitted is the profile submission instant: the tie-break time.
	// A profile leaves the pool 12 months after it (pool.Validity) and is
	// resubmitted at once under a new timestamp, the expiry instant.
	Submitted time.Time
	// Changes are later changes of score or eligibility (birthdays,
	// language results turning two years old: see crs.Timeline), in time
	// order. A change of score keeps the submission instant (IRCC ranks an
	// updated profile by its original submission).
	Changes []CandidateChange
}

// CandidateChange is the candidate's score and eligibility from From on.
type CandidateChange struct {
	From       time.Time
	Score      int
	Programs   data.Programs
	Categories []string
}

// OddsConfig is an odds estimate: the projection of Config with the
// candidate in every run. Config.Shard must be the zero value.
type OddsConfig struct {
	Config
	Candidate Candidate
}

// Invitation is when one run first invited the candidate.
type Invitation struct {
	Invited   bool      // false: no invitation within the projected rounds
	At        time.Time // instant of the round, UTC
	Family    string    // ScheduledRound.Family of the round
	Round     int       // index of the round in the schedule
	Score     int       // the candidate's score at the round
	Reentries int       // times the profile expired and was resubmitted before
}

// OddsResult is the outcome of Odds: one Invitation per run, in run order.
type OddsResult struct {
	Start        time.Time
	End          time.Time // the horizon end: the last scheduled round, or Start when none
	SnapshotDate time.Time // the pool distribution the runs start from
	Runs         int
	// Families lists the families of the scheduled rounds, in order of
	// their first round; Eligible tells, for each, whether the candidate
	// could be ranked in it (at any of its scores).
	Families    []string
	Eligible    []bool
	Invitations []Invitation
}

// OddsPoint is the share of runs that invited the candidate before By.
type OddsPoint struct {
	By      time.Time
	Invited int     // runs with an invitation before By
	P       float64 // Invited / runs
	// Lo and Hi are the 95% Wilson score interval of P: the Monte Carlo
	// error of the estimate from a finite number of runs (Wilson, JASA
	// 1927; Brown, Cai and DasGupta, Statistical Science 2001).
	Lo, Hi float64
}

// ProbabilityBy returns the share of runs that invited the candidate in a
// round before t.
func (r *OddsResult) ProbabilityBy(t time.Time) OddsPoint {
	n := 0
	for _, inv := range r.Invitations {
		if inv.Invited && inv.At.Before(t) {
			n++
		}
	}
	pt := OddsPoint{By: t, Invited: n}
	pt.P, pt.Lo, pt.Hi = wilson(n, r.Runs)
	return pt
}

// Curve returns ProbabilityBy at each instant of by.
func (r *OddsResult) Curve(by []time.Time) []OddsPoint {
	out := make([]OddsPoint, len(by))
	for i, t := range by {
		out[i] = r.ProbabilityBy(t)
	}
	return out
}

// wilson returns k/n and its 95% Wilson score interval.
func wilson(k, n int) (p, lo, hi float64) {
	if n == 0 {
		return math.NaN(), math.NaN(), math.NaN()
	}
	const z = 1.959963984540054 // the 97.5% normal quantile
	nf := float64(n)
	p = float64(k) / nf
	d := 1 + z*z/nf
	c := (p + z*z/(2*nf)) / d
	h := z * math.Sqrt(p*(1-p)/nf+z*z/(4*nf*nf)) / d
	return p, math.Max(0, c-h), math.Min(1, c+h)
}

// MedianWait returns the median time from Start to the invitation across
// runs, a run without an invitation counting as longer than any. ok is
// false when half the runs or more had none: the median is not reached
// within the horizon. With an even number of runs the median is the lower
// of the two middle waits.
func (r *OddsResult) MedianWait() (wait time.Duration, ok bool) {
	var waits []time.Duration
	for _, inv := range r.Invitations {
		if inv.Invited {
			waits = append(waits, inv.At.Sub(r.Start))
		}
	}
	k := (r.Runs+1)/2 - 1 // index of the lower median among all runs
	if r.Runs == 0 || k >= len(waits) {
		return 0, false
	}
	slices.Sort(waits)
	return waits[k], true
}

// FamilyShare is the share of the invitations that came from one family.
type FamilyShare struct {
	Family   string
	Eligible bool // the candidate could be ranked in the family's rounds
	Count    int
	Share    float64 // Count / invited runs; NaN when no run invited
}

// Shares returns the share of invitations by round family, for every
// family of the schedule, in Families order.
func (r *OddsResult) Shares() []FamilyShare {
	count := map[string]int{}
	total := 0
	for _, inv := range r.Invitations {
		if inv.Invited {
			count[inv.Family]++
			total++
		}
	}
	out := make([]FamilyShare, len(r.Families))
	for i, f := range r.Families {
		out[i] = FamilyShare{Family: f, Eligible: r.Eligible[i], Count: count[f], Share: math.NaN()}
		if total > 0 {
			out[i].Share = float64(count[f]) / float64(total)
		}
	}
	return out
}

// OddsDates returns the instants at which to report the odds: start plus
// 1, 2, ... calendar months while more than two days before end, then
// end. A 12-month horizon (365.25 days) gives 11 month points and end.
func OddsDates(start, end time.Time) []time.Time {
	var out []time.Time
	for k := 1; ; k++ {
		t := start.AddDate(0, k, 0)
		if !t.Before(end.Add(-2 * day)) {
			break
		}
		out = append(out, t)
	}
	return append(out, end)
}

// Odds estimates the candidate's odds of an invitation: it runs the
// projection of cfg.Config (the same scenario as Project, the same per-run
// streams RunRNG(cfg.Seed, run)) with the candidate in the pool.
//
// Method, per run:
//  1. The pool is built from the latest snapshot on or before cfg.Start and
//     the real rounds since the snapshot are replayed, without the
//     candidate: they are history, and a candidate asking for odds was not
//     invited by them.
//  2. The candidate enters the pool just before the first scheduled round
//     (or the first one on or after Submitted, if later) with their
//     submission instant, so the tie-break ranks them among the candidates
//     at their score. A profile 12 months old or more at entry is taken as
//     resubmitted at each expiry, under the expiry instant.
//  3. Before each round, the candidate's score and eligibility are those of
//     the last change on or before the round; a change replaces the
//     candidate (Pool.Remove, then Add) keeping the submission instant.
//     When the profile expires (Pool.Advance), it is added again with the
//     expiry instant as its new submission instant.
//  4. After each round the candidate is eligible for, a round of size 0 at
//     the same instant (it invites nobody, draws no random numbers and
//     adds no arrivals) lets the hook see whether the candidate was
//     invited (or invited and declined); the first such round is the run's
//     Invitation and tracking stops.
//
// Adding the candidate draws no random numbers and, until the candidate is
// invited, changes nobody else's fate: a round that does not invite the
// candidate invites the same top-N of the other candidates as if the
// candidate were absent. So each run follows the same path as the run of
// Project with the same seed up to the candidate's invitation (common
// random numbers): a higher score or an earlier submission (without an
// expiry in the horizon) can only bring the invitation earlier in every
// run.
//
// Results are the same for any cfg.Workers: each run has its own stream
// and writes its own slot.
func Odds(ctx context.Context, rounds []data.Round, cfg OddsConfig, reg *pool.Registry, prog Progress) (*OddsResult, error) {
	if cfg.Shard.N > 1 {
		return nil, errors.New("sim: odds: shards are not supported")
	}
	c := &cfg.Candidate
	res := &OddsResult{Start: cfg.Start, End: cfg.Start, Runs: cfg.Runs, Invitations: make([]Invitation, cfg.Runs)}
	if n := len(cfg.Schedule); n > 0 {
		res.End = cfg.Schedule[n-1].Instant
	}
	sc, snap, err := runCandidate(ctx, rounds, cfg.Config, c, reg, prog,
		func(run int, _ []int, _ []Outcome, inv Invitation) { res.Invitations[run] = inv })
	if err != nil {
		return nil, err
	}
	res.SnapshotDate = snap
	seen := map[string]int{}
	for _, st := range sc.sched {
		f := cfg.Schedule[st.round].Family()
		i, ok := seen[f]
		if !ok {
			i = len(res.Families)
			seen[f] = i
			res.Families = append(res.Families, f)
			res.Eligible = append(res.Eligible, false)
		}
		res.Eligible[i] = res.Eligible[i] || st.probe >= 0
	}
	return res, nil
}

// candidateScenario is a scenario with probe steps for the candidate.
type candidateScenario struct {
	*Scenario
	first int // index of the first scheduled step
	// sched lists the scheduled steps in schedule order: the step of each
	// round and of its probe (-1 when the candidate is never eligible).
	sched []schedStep
	// roundOf maps a step index to its schedule index, -1 for known
	// rounds and probes.
	roundOf []int
}

type schedStep struct{ step, probe, round int }

// compiledCandidate is a Candidate in pool terms.
type compiledCandidate struct {
	sub    int64 // first submission, Unix seconds
	phases []phase
}

type phase struct {
	from  int64 // Unix seconds; the first phase applies from any time
	score int
	attr  uint8
	cats  pool.CategorySet
}

// compileCandidate checks c and registers its categories in reg.
func compileCandidate(c *Candidate, reg *pool.Registry) (*compiledCandidate, error) {
	cc := &compiledCandidate{sub: c.Submitted.Unix()}
	add := func(from time.Time, score int, progs data.Programs, cats []string) error {
		if score < 0 || score > pool.MaxScore {
			return fmt.Errorf("sim: candidate score %d out of range 0-%d", score, pool.MaxScore)
		}
		ph := phase{from: from.Unix(), score: score, attr: uint8(progs & data.Federal)}
		if c.Nominated {
			ph.attr |= uint8(data.PNP)
		}
		for _, k := range cats {
			bit, err := reg.Bit(k)
			if err != nil {
				return fmt.Errorf("sim: candidate category: %w", err)
			}
			ph.cats |= bit
		}
		if n := len(cc.phases); n > 0 && ph.from < cc.phases[n-1].from {
			return fmt.Errorf("sim: candidate change at %s is before the previous one", from.UTC().Format(time.RFC3339))
		}
		cc.phases = append(cc.phases, ph)
		return nil
	}
	if err := add(time.Time{}, c.Score, c.Programs, c.Categories); err != nil {
		return nil, err
	}
	cc.phases[0].from = math.MinInt64
	for _, ch := range c.Changes {
		if err := add(ch.From, ch.Score, ch.Programs, ch.Categories); err != nil {
			return nil, err
		}
	}
	return cc, nil
}

// at returns the phase in force at instant t.
func (c *compiledCandidate) at(t int64) int {
	i := 0
	for i+1 < len(c.phases) && c.phases[i+1].from <= t {
		i++
	}
	return i
}

// eligible reports whether any phase of c may be ranked in rd.
func (c *compiledCandidate) eligible(rd draws.Round, rules draws.Rules) bool {
	for _, ph := range c.phases {
		pc := pool.Candidate{Score: ph.score, Programs: data.Programs(ph.attr) & data.Federal,
			Nominated: ph.attr&uint8(data.PNP) != 0, Categories: ph.cats}
		if draws.Eligible(pc, rd, rules) {
			return true
		}
	}
	return false
}

// buildScenario is Project's scenario, with a probe step (a round of size
// 0 at the same instant) after every scheduled round cand is eligible for.
// cand may be nil: then there are no probes.
func buildScenario(rounds []data.Round, cfg Config, cand *compiledCandidate, reg *pool.Registry) (*candidateScenario, time.Time, error) {
	snap := LatestSnapshot(rounds, cfg.Start)
	if snap < 0 {
		return nil, time.Time{}, fmt.Errorf("sim: no published snapshot on or before %s", cfg.Start.Format(time.DateOnly))
	}
	if err := registerModel(cfg.Settings.Model, reg); err != nil {
		return nil, time.Time{}, err
	}
	base, err := NewScenario(rounds, snap, cfg.Start, reg, cfg.Settings.Rules)
	if err != nil {
		return nil, time.Time{}, err
	}
	sc := &candidateScenario{Scenario: base, first: len(base.Steps)}
	for range base.Steps {
		sc.roundOf = append(sc.roundOf, -1)
	}
	// Project's steps, guesses included, with probes between.
	plain := *base
	plain.Steps = slices.Clone(base.Steps)
	if _, err := addProjection(&plain, rounds, cfg, reg); err != nil {
		return nil, time.Time{}, err
	}
	for i, step := range plain.Steps[len(base.Steps):] {
		d := step.Round
		st := schedStep{step: len(sc.Steps), probe: -1, round: i}
		sc.Steps = append(sc.Steps, step)
		sc.roundOf = append(sc.roundOf, i)
		if cand != nil && cand.eligible(d, cfg.Settings.Rules) {
			st.probe = len(sc.Steps)
			sc.Steps = append(sc.Steps, Step{Round: draws.Round{Instant: d.Instant, Type: data.General}})
			sc.roundOf = append(sc.roundOf, -1)
		}
		sc.sched = append(sc.sched, st)
	}
	return sc, rounds[snap].SnapshotDate, nil
}

// tracker follows the candidate through one run.
type tracker struct {
	c     *compiledCandidate
	sc    *candidateScenario
	sched []ScheduledRound

	in        bool
	id        pool.ID
	sub       int64
	phase     int
	reentries int
	last      int // schedule index of the last scheduled round seen
	inv       Invitation
	done      bool
}

func (t *tracker) reset() {
	*t = tracker{c: t.c, sc: t.sc, sched: t.sched, sub: t.c.sub, last: -1}
}

// hook is the Runner hook: see Odds for the method.
func (t *tracker) hook(step int, p *pool.Pool) {
	if t.done || step < t.sc.first {
		return
	}
	now := t.sc.Steps[step].Round.Instant.Unix()
	if t.in {
		switch p.State(t.id) {
		case pool.Invited, pool.Deferred:
			// Deferred: invited, then declined in the same step.
			r := t.sched[t.last]
			t.inv = Invitation{Invited: true, At: r.Instant.UTC(), Family: r.Family(), Round: t.last,
				Score: t.c.phases[t.phase].score, Reentries: t.reentries}
			t.done = true
			return
		case pool.Expired:
			t.in = false // Advance expired the profile: resubmit below
		}
	}
	if r := t.sc.roundOf[step]; r >= 0 {
		t.last = r
	}
	if !t.in {
		if now < t.c.sub {
			return
		}
		for t.sub+validitySeconds <= now {
			t.sub += validitySeconds
			t.reentries++
		}
		t.phase = t.c.at(now)
		t.add(p)
		return
	}
	if ph := t.c.at(now); ph != t.phase {
		p.Remove(t.id)
		t.phase = ph
		t.add(p)
	}
}

func (t *tracker) add(p *pool.Pool) {
	ph := &t.c.phases[t.phase]
	t.id = p.AddRaw(ph.score, t.sub, ph.attr, ph.cats)
	t.in = true
}

// validitySeconds is pool.Validity in seconds.
const validitySeconds = int64(pool.Validity / time.Second)

// runCandidate runs cfg's runs with cand in the pool (no candidate when
// cand is nil) on workers, and calls collect(run, outcomes, invitation)
// from the worker of each run: collect must only write to per-run slots.
// Outcome.Step indexes the scenario's steps; roundOf maps a step to its
// index in cfg.Schedule.
func runCandidate(ctx context.Context, rounds []data.Round, cfg Config, cand *Candidate, reg *pool.Registry, prog Progress,
	collect func(run int, roundOf []int, out []Outcome, inv Invitation)) (*candidateScenario, time.Time, error) {
	if cfg.Settings.DeclineShare > 0 && cfg.Settings.DeclineDelay <= 0 {
		// A declined candidate would be back in the pool by the probe
		// step and the invitation missed.
		return nil, time.Time{}, errors.New("sim: odds: DeclineDelay must be positive when DeclineShare is")
	}
	var cc *compiledCandidate
	if cand != nil {
		var err error
		if cc, err = compileCandidate(cand, reg); err != nil {
			return nil, time.Time{}, err
		}
	}
	sc, snap, err := buildScenario(rounds, cfg, cc, reg)
	if err != nil {
		return nil, time.Time{}, err
	}
	err = forRuns(ctx, cfg.Runs, cfg.Workers, prog, func() (func(run int), error) {
		rn, err := NewRunner(sc.Scenario, cfg.Settings, reg)
		if err != nil {
			return nil, err
		}
		var out []Outcome
		var hook func(int, *pool.Pool)
		t := &tracker{c: cc, sc: sc, sched: cfg.Schedule}
		if cc != nil {
			hook = t.hook
		}
		return func(run int) {
			var inv Invitation
			if cc != nil {
				t.reset()
			}
			out = rn.Run(RunRNG(cfg.Seed, run), out[:0], hook)
			if cc != nil {
				inv = t.inv
			}
			collect(run, sc.roundOf, out, inv)
		}, nil
	})
	if err != nil {
		return nil, time.Time{}, err
	}
	return sc, snap, nil
}

// forRuns calls the function newWorker returns for every run in [0, runs),
// on workers goroutines (0: GOMAXPROCS), each with its own function; it
// stops early when ctx is done.
func forRuns(ctx context.Context, runs, workers int, prog Progress, newWorker func() (func(run int), error)) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(1, min(workers, runs))
	jobs := make(chan int)
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			do, err := newWorker()
			if err != nil {
				errs <- err
				for range jobs {
				}
				return
			}
			for run := range jobs {
				do(run)
				if prog != nil {
					prog.Add(1)
				}
			}
		}()
	}
	var stop error
feed:
	for run := 0; run < runs; run++ {
		select {
		case jobs <- run:
		case <-ctx.Done():
			stop = ctx.Err()
			break feed
		case err := <-errs:
			stop = err
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	if stop != nil {
		return stop
	}
	select {
	case err := <-errs:
		return err
	default:
	}
	return nil
}
