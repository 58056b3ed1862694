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
	Family    string    // schedule.ScheduledRound.Family of the round
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

	iv *invitee // the candidate, for ruledOut; nil: never ruled out
}

// OddsPoint is the share of runs that invited the candidate before By.
type OddsPoint struct {
	By      time.Time
	Invited int     // runs with an invitation before By
	P       float64 // RunShare of Invited in the runs
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
	_, pt.Lo, pt.Hi = wilson(n, r.Runs)
	pt.P = RunShare(n, r.Runs, r.iv != nil && r.iv.ruledOut(t))
	return pt
}

// RunShare is the probability of an event that k of n runs had: the
// posterior mean (k + 1/2) / (n + 1) of the event's probability under
// Jeffreys' prior, Beta(1/2, 1/2). k/n would claim certainty whenever no
// run, or every run, had the event, and n runs cannot show certainty:
// only the rules can (docs/model.md, "Odds"). decided says they do: the
// event cannot happen (the candidate meets no program and holds no
// nomination: no round can rank them), and the
// probability is 0. NaN when n is 0.
func RunShare(k, n int, decided bool) float64 {
	switch {
	case n <= 0:
		return math.NaN()
	case decided:
		return 0
	}
	return (float64(k) + 0.5) / float64(n+1)
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

// MonthEnds returns the ends of the calendar months (UTC) that fall in
// (start, end]: the first instant of each month after start's, as an
// exclusive bound (rounds before it count). odds.csv has one row per
// month end (docs/datasets.md, "odds.csv"): a horizon from 2025-12-18 to
// 2026-06-18 gives the ends of December to May, 2026-01-01 ... 2026-06-01.
func MonthEnds(start, end time.Time) []time.Time {
	s := start.UTC()
	var out []time.Time
	for t := time.Date(s.Year(), s.Month()+1, 1, 0, 0, 0, 0, time.UTC); !t.After(end); t = t.AddDate(0, 1, 0) {
		out = append(out, t)
	}
	return out
}

// Odds estimates the candidate's odds of an invitation from the runs of
// the projection of cfg.Config (Project's runs: the same scenario, the
// same per-run streams).
//
// Method, per run:
//  1. The run's projected cutoffs are the predictive ones: the pool's,
//     plus the model's own error (Config.Errors; see ErrorModel). So the
//     cutoffs that decide whether the candidate is invited in a run are
//     the ones quantiles.csv and the fan charts summarise.
//  2. The candidate is invited by the first projected round, on or after
//     their submission, that they may be ranked in (draws.Eligible, with
//     their score and eligibility at the round: the last change on or
//     before it) whose cutoff is under their score, or equal to it with the
//     round's tie-break instant at or after their submission instant (IRCC
//     ranks candidates with equal scores by submission: see
//     docs/domain.md). A profile expires 12 months after its submission and
//     is taken as resubmitted at once, under the expiry instant.
//  3. A round that invited nobody invites nobody. A round that invites
//     every nominee (schedule.ScheduledRound.AllNominees) invites a nominee
//     whatever its cutoff: that is the rule of the round.
//
// One candidate does not move a round of thousands by more than the
// rank they take, which the model's error dwarfs, so the runs are not
// rerun with the candidate in the pool: every candidate is judged on the
// same runs (common random numbers). A higher score or an earlier
// submission (without an expiry in the horizon) can only bring the
// invitation earlier in every run.
//
// Results are the same for any cfg.Workers: each run has its own streams
// and writes its own slot.
func Odds(ctx context.Context, rounds []data.Round, cfg OddsConfig, reg *pool.Registry, prog Progress) (*OddsResult, error) {
	if cfg.Shard.N > 1 {
		return nil, errors.New("sim: odds: shards are not supported")
	}
	c := &cfg.Candidate
	res := &OddsResult{Start: cfg.Start, End: cfg.Start, Runs: cfg.Runs, Invitations: make([]Invitation, cfg.Runs), iv: newInvitee(*c)}
	if n := len(cfg.Schedule); n > 0 {
		res.End = cfg.Schedule[n-1].Instant
	}
	cc, sc, err := runCandidate(ctx, rounds, cfg.Config, c, reg, prog,
		func(run int, _ []data.RunRow, inv Invitation) { res.Invitations[run] = inv })
	if err != nil {
		return nil, err
	}
	res.SnapshotDate = sc.SnapshotAt.Add(-snapshotHour)
	seen := map[string]int{}
	for _, st := range sc.Steps[len(sc.Steps)-len(cfg.Schedule):] {
		f := st.Round.Family()
		i, ok := seen[f]
		if !ok {
			i = len(res.Families)
			seen[f] = i
			res.Families = append(res.Families, f)
			res.Eligible = append(res.Eligible, false)
		}
		res.Eligible[i] = res.Eligible[i] || cc.eligible(st.Round, cfg.Settings.Rules)
	}
	return res, nil
}

// compiledCandidate is a Candidate in pool terms.
type compiledCandidate struct {
	nom    bool
	phases []phase
}

type phase struct {
	from  int64 // Unix seconds; the first phase applies from any time
	score int
	progs data.Programs
	cats  pool.CategorySet
}

// compileCandidate checks c and registers its categories in reg.
func compileCandidate(c *Candidate, reg *pool.Registry) (*compiledCandidate, error) {
	cc := &compiledCandidate{nom: c.Nominated}
	add := func(from time.Time, score int, progs data.Programs, cats []string) error {
		if score < 0 || score > pool.MaxScore {
			return fmt.Errorf("sim: candidate score %d out of range 0-%d", score, pool.MaxScore)
		}
		ph := phase{from: from.Unix(), score: score, progs: progs & data.Federal}
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

// candidate returns phase i as a pool candidate.
func (c *compiledCandidate) candidate(i int) pool.Candidate {
	ph := &c.phases[i]
	return pool.Candidate{Score: ph.score, Programs: ph.progs, Nominated: c.nom, Categories: ph.cats}
}

// eligible reports whether any phase of c may be ranked in rd.
func (c *compiledCandidate) eligible(rd draws.Round, rules draws.Rules) bool {
	for i := range c.phases {
		if draws.Eligible(c.candidate(i), rd, rules) {
			return true
		}
	}
	return false
}

// invitation returns the first of a run's projected rounds (steps, and
// their rows with the predictive cutoffs) that invites iv, by
// FirstInvitation's rule: the same rule the odds backtest scores.
func invitation(iv *invitee, steps []Step, rows []data.RunRow) Invitation {
	rounds := make([]InviteRound, len(rows))
	for j, r := range rows {
		rounds[j] = inviteRoundOfRow(r)
		rounds[j].AllNominees = steps[r.Round].Round.AllNominees
	}
	i := iv.first(rounds, time.Time{})
	if i < 0 {
		return Invitation{}
	}
	r := &rows[i]
	sub, _ := iv.submission(r.Instant)
	return Invitation{Invited: true, At: r.Instant, Family: r.Family, Round: int(r.Round),
		Score: iv.phase(r.Instant).score, Reentries: int(sub.Sub(iv.sub) / pool.Validity)}
}

// runCandidate runs cfg's runs (Project's: projectRuns) on workers and
// calls collect(run, rows, invitation) from the worker of each run, where
// rows are the run's projected rounds and invitation is cand's first
// (none when cand is nil). collect must only write to per-run slots and
// must not keep rows. It returns cand compiled (nil when cand is) and the
// scenario.
func runCandidate(ctx context.Context, rounds []data.Round, cfg Config, cand *Candidate, reg *pool.Registry, prog Progress,
	collect func(run int, rows []data.RunRow, inv Invitation)) (*compiledCandidate, *Scenario, error) {
	var cc *compiledCandidate
	if cand != nil {
		var err error
		if cc, err = compileCandidate(cand, reg); err != nil {
			return nil, nil, err
		}
	}
	sc, err := projectRuns(ctx, rounds, cfg, reg, prog, func(run int, steps []Step, rows []data.RunRow) {
		var inv Invitation
		if cc != nil {
			inv = invitation(newInvitee(*cand), steps, rows)
		}
		collect(run, rows, inv)
	})
	if err != nil {
		return nil, nil, err
	}
	return cc, sc, nil
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
