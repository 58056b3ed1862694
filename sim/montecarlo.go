package sim

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/eesim/eesim/data"
	"github.com/eesim/eesim/draws"
	"github.com/eesim/eesim/pool"
	"github.com/eesim/eesim/sim/schedule"
	"gonum.org/v1/gonum/stat"
)

// Progress receives progress reports from long runs (after gonum's
// optimize.Recorder): the engine never prints.
type Progress interface {
	// Add reports that n more units of work are done.
	Add(n int)
}

// Shard selects the k-th of n contiguous slices of the runs (k from 1).
// The zero value is the whole run.
type Shard struct{ K, N int }

// Range returns the runs [lo, hi) of the shard out of runs.
func (s Shard) Range(runs int) (lo, hi int) {
	if s.N <= 1 {
		return 0, runs
	}
	return (s.K - 1) * runs / s.N, s.K * runs / s.N
}

// Config is a Monte Carlo projection.
type Config struct {
	Start    time.Time                 // projection start; the pool comes from the latest snapshot on or before it
	Schedule []schedule.ScheduledRound // the rounds to project, after Start
	Runs     int
	Seed     uint64
	Workers  int // 0 means runtime.GOMAXPROCS
	Shard    Shard
	Settings Settings
	// Recent, when not nil, draws every run's schedule afresh from the
	// recent record (RecentDraw); Schedule is then only the schedule of
	// the pilot run that sets the guesses (learnGuesses), and of the
	// config file. A user's explicit schedule leaves Recent nil: every
	// run has the same rounds.
	Recent *RecentDraw
	// Errors, when not nil, is the model's own error, added to every
	// run's simulated cutoffs (see ErrorModel); nil leaves the pool's
	// cutoffs as they are.
	Errors *ErrorModel
	// guesses, when not nil, are the guesses per family to give the
	// projected rounds instead of those a pilot run learns (see
	// learnGuesses): WhatIf gives every point the same.
	guesses map[string]int
}

// RunRNG returns the random stream of run i under seed: each run has its
// own stream, so results do not depend on workers or shards.
func RunRNG(seed uint64, run int) *pool.Rand {
	return pool.NewRand(seed, uint64(run))
}

// errorStream keys the random streams of the model's error (ErrorRNG),
// apart from the runs' own (RunRNG): drawing the error changes nothing in
// the pool's run.
const errorStream = 0x6572726f72 // "error"

// ErrorRNG returns the random stream of the model's error in run i under
// seed.
func ErrorRNG(seed uint64, run int) *pool.Rand {
	return pool.NewRand(seed^errorStream, uint64(run))
}

// RecentDraw draws a run's schedule from the recent record: the dates,
// gaps, sizes and mix of its rounds (schedule.RecentSchedule), with the run's own
// stream (ScheduleRNG), so that the runs' spread holds the uncertainty of
// when rounds come, how big they are and which categories they draw,
// quiet weeks and holiday gaps included as the record has them, and with
// the pauses of months that the record holds and the last months do not
// (schedule.Pauses).
type RecentDraw struct {
	Rounds  []data.Round // the real rounds before the start
	Horizon time.Duration
	Config  schedule.RecentConfig
	// Sizes, per family, fix the size of every round of the family
	// (--draw-size); a run with no round of the family is left as it is.
	Sizes map[string]int

	// The record's pauses depend on Rounds and the start only: estimated
	// once for every run (pausesAt), not once per run.
	mu          sync.Mutex
	pausesStart time.Time
	pauses      *schedule.Pauses
}

// pausesAt returns schedule.PausesOf(d.Rounds, start), estimated on the
// first call for start. Apply only reads it, so runs share it.
func (d *RecentDraw) pausesAt(start time.Time) schedule.Pauses {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.pauses == nil || !d.pausesStart.Equal(start) {
		p := schedule.PausesOf(d.Rounds, start)
		d.pauses, d.pausesStart = &p, start
	}
	return *d.pauses
}

// Draw returns the schedule of run under seed from start.
func (d *RecentDraw) Draw(start time.Time, seed uint64, run int) []schedule.ScheduledRound {
	return d.draw(start, seed, run, true)
}

// unpaused returns run's schedule before its pauses: every round the
// recent record repeats. The pilot run learns its guesses on run 0's
// (addProjection): with every round kept, its cutoffs are about as low as
// any run's, so that few runs go under a guess and run again in full.
func (d *RecentDraw) unpaused(start time.Time, seed uint64, run int) []schedule.ScheduledRound {
	return d.draw(start, seed, run, false)
}

func (d *RecentDraw) draw(start time.Time, seed uint64, run int, pauses bool) []schedule.ScheduledRound {
	rng := ScheduleRNG(seed, run)
	s := schedule.RecentSchedule(d.Rounds, start, d.Horizon, d.Config, rng)
	if pauses {
		s = d.pausesAt(start).Apply(s, start, rng)
	}
	for i := range s {
		if n, ok := d.Sizes[s[i].Family()]; ok {
			s[i].Size = n
		}
	}
	return s
}

// scheduleStream keys the schedules' random streams (ScheduleRNG), apart
// from the runs' pools (RunRNG) and errors (ErrorRNG).
const scheduleStream = 1 << 63

// ScheduleRNG returns the random stream of run's schedule under seed.
// Run 0's is the stream `eesim simulate` draws the schedule it shows in
// config.json from.
func ScheduleRNG(seed uint64, run int) *rand.Rand {
	return rand.New(rand.NewPCG(seed, scheduleStream|uint64(run)))
}

// ToDraws converts a real round into a round to run, registering its
// category in reg.
func ToDraws(r *data.Round, reg *pool.Registry) (draws.Round, error) {
	d := draws.Round{Instant: r.Instant, Type: r.Type, Programs: r.Programs, Size: r.Invitations,
		CategoryKey: r.Category, Version: r.CategoryVersion}
	if r.Type == data.Category {
		bit, err := reg.Bit(r.Category)
		if err != nil {
			return d, err
		}
		d.Categories = bit
	}
	return d, nil
}

// ScheduledToDraws converts a scheduled round.
func ScheduledToDraws(s schedule.ScheduledRound, reg *pool.Registry) (draws.Round, error) {
	d := draws.Round{Instant: s.Instant, Type: s.Type, Programs: s.Programs, Size: s.Size,
		CategoryKey: s.CategoryKey, Version: s.Version, AllNominees: s.AllNominees && s.Programs == data.PNP}
	if s.Type == data.Category {
		bit, err := reg.Bit(s.CategoryKey)
		if err != nil {
			return d, err
		}
		d.Categories = bit
	}
	return d, nil
}

// Drain converts a real round into a drain for synthetic pools.
func Drain(r *data.Round, reg *pool.Registry, rules draws.Rules) (pool.Drain, error) {
	d, err := ToDraws(r, reg)
	if err != nil {
		return pool.Drain{}, err
	}
	ok, cats := draws.Compile(d, rules)
	dr := pool.Drain{At: r.Instant.Unix(), Cutoff: r.Cutoff, Eligible: ok, Cats: cats}
	if r.HasTieBreak() {
		dr.TieBreak = r.TieBreak.Unix()
	}
	return dr, nil
}

// LatestSnapshot returns the index of the latest round whose snapshot date
// is on or before t, or -1.
func LatestSnapshot(rounds []data.Round, t time.Time) int {
	best := -1
	for i := range rounds {
		r := &rounds[i]
		if r.Snapshot == nil || r.SnapshotDate.After(t) {
			continue
		}
		if best < 0 || !r.SnapshotDate.Before(rounds[best].SnapshotDate) {
			best = i
		}
	}
	return best
}

// NewScenario builds the scenario that starts from the snapshot of
// rounds[snap]: drains from the real rounds before the snapshot, then the
// real rounds from the snapshot up to (not including) until as known
// steps. The caller appends the steps to project.
func NewScenario(rounds []data.Round, snap int, until time.Time, reg *pool.Registry, rules draws.Rules) (*Scenario, error) {
	s := rounds[snap].Snapshot
	sc := &Scenario{SnapshotAt: s.Date.Add(snapshotHour), Counts: s.Counts, TopInflow: NomineeInflow(rounds, snap)}
	if err := setCategoryInflow(sc, rounds, snap, reg); err != nil {
		return nil, err
	}
	floor := s.Date.Add(-pool.Validity)
	for i := range rounds {
		r := &rounds[i]
		switch {
		case r.Instant.Before(s.Date) && r.Instant.After(floor):
			d, err := Drain(r, reg, rules)
			if err != nil {
				return nil, err
			}
			sc.Drains = append(sc.Drains, d)
		case !r.Instant.Before(s.Date) && r.Instant.Before(until):
			d, err := ToDraws(r, reg)
			if err != nil {
				return nil, err
			}
			sc.Steps = append(sc.Steps, Step{Round: d, Known: true, Cutoff: r.Cutoff, TieBreak: r.TieBreak})
		}
	}
	return sc, nil
}

// nomineeWindow is how far back NomineeInflow looks.
const nomineeWindow = 84 * 24 * time.Hour

// NomineeInflow estimates the arrival rate of provincial nominees per
// second at the snapshot of rounds[snap], from consecutive snapshots and the
// invitations between them: the change in the 601-1200 band (only nominees
// score above 600) plus the nominees invited, over the 12 weeks before the
// snapshot. PNP rounds invite only nominees; a general round invites every
// nominee in the pool, counted as the band's size at its own snapshot (or
// its size, if smaller). The pool-implied rate (one over the time since the
// last PNP round, per nominee) swings with each snapshot's count, which
// ranged from 102 to 3,002 in 2024-2025; this is steadier. Returns 0 when
// the record is too thin (no earlier snapshot in the window).
func NomineeInflow(rounds []data.Round, snap int) float64 {
	end := rounds[snap].Snapshot
	t1 := end.Date
	first := -1
	for i := range rounds {
		r := &rounds[i]
		if r.Snapshot == nil || !r.SnapshotDate.Before(t1) || r.SnapshotDate.Before(t1.Add(-nomineeWindow)) {
			continue
		}
		if first < 0 || r.SnapshotDate.Before(rounds[first].SnapshotDate) {
			first = i
		}
	}
	if first < 0 {
		return 0
	}
	t0 := rounds[first].SnapshotDate
	inflow := float64(end.Counts[0] - rounds[first].Snapshot.Counts[0])
	for i := range rounds {
		r := &rounds[i]
		if r.Instant.Before(t0) || !r.Instant.Before(t1) {
			continue
		}
		switch {
		case r.Type == data.Program && r.Programs&data.PNP != 0:
			inflow += float64(r.Invitations)
		case r.Type == data.General && r.Snapshot != nil:
			inflow += float64(min(r.Invitations, r.Snapshot.Counts[0]))
		}
	}
	secs := t1.Sub(t0).Seconds()
	if inflow <= 0 || secs <= 0 {
		return 0
	}
	return inflow / secs
}

// floorMargin is how far under its family's lowest cutoff of the last 12
// months a projected round may go.
const floorMargin = 40

// FamilyFloors returns, per round family, the lowest score a projected
// round of the family ranks: 40 points under the family's lowest cutoff in
// the 12 months before start (category families only; general, program and
// unseen families have none). Of the 47 category rounds of 2023-2025 that
// had an earlier round of their family, 6 fell more than 40 points under
// the median of its last 5 cutoffs, and fewer under the 12-month minimum.
// The synthetic pool cannot see candidates gaining a category inside the
// pool, so a burst of category rounds in a projection can run it dry; the
// floor keeps such a round from reporting cutoffs near 0, and the runs show
// it invited fewer than its size.
func FamilyFloors(rounds []data.Round, start time.Time) map[string]int {
	return underLowest(rounds, start, func(r *data.Round) bool { return r.Type == data.Category })
}

// underLowest returns, per family of the rounds keep accepts,
// floorMargin points under the family's lowest cutoff in the 12 months
// before start.
func underLowest(rounds []data.Round, start time.Time, keep func(*data.Round) bool) map[string]int {
	out := map[string]int{}
	from := start.Add(-pool.Validity)
	for i := range rounds {
		r := &rounds[i]
		if r.Instant.Before(from) || !r.Instant.Before(start) || !keep(r) {
			continue
		}
		f := max(r.Cutoff-floorMargin, 0)
		if cur, ok := out[r.Family()]; !ok || f < cur {
			out[r.Family()] = f
		}
	}
	return out
}

// limits are the floors (FamilyFloors) and guesses (GuessFloors) of the
// rounds of a projection from start.
type limits struct {
	start           time.Time
	floors, guesses map[string]int
}

func projectionLimits(rounds []data.Round, start time.Time) limits {
	return limits{start: start, floors: FamilyFloors(rounds, start), guesses: GuessFloors(rounds, start)}
}

// step returns the recorded step of scheduled round s, with its family's
// floor and guess.
func (l limits) step(s schedule.ScheduledRound, reg *pool.Registry) (Step, error) {
	if s.Instant.Before(l.start) {
		return Step{}, fmt.Errorf("sim: scheduled round at %s is before the start %s", s.Instant.Format(time.RFC3339), l.start.Format(time.RFC3339))
	}
	d, err := ScheduledToDraws(s, reg)
	if err != nil {
		return Step{}, err
	}
	d.Floor = l.floors[d.Family()]
	return Step{Round: d, Record: true, Guess: l.guesses[d.Family()]}, nil
}

// GuessFloors returns, per general or program round family, a score a
// projected round of the family is expected not to go under: floorMargin
// points under the family's lowest cutoff in the 12 months before start.
// It is a guess, not a floor (see Step.Guess): runs keep the candidates
// under every round's guess as ghosts, and run again with them when a
// round goes under. PNP rounds, which take about every nominee, and
// category rounds, which have floors (FamilyFloors), get none.
func GuessFloors(rounds []data.Round, start time.Time) map[string]int {
	return underLowest(rounds, start, func(r *data.Round) bool { return r.Type != data.Category && r.Programs != data.PNP })
}

// pilotMargin is how far under the lowest cutoff of a family's rounds in
// the pilot run (learnGuesses) their guess goes.
const pilotMargin = 15

// pilotRun is the run index (RunRNG) of the pilot run: no projection has
// that many runs.
const pilotRun = math.MaxInt32

// learnGuesses returns, per family of sc's projected rounds that a guess
// suits (Step.Guess), a guess: pilotMargin points under the lowest cutoff
// the family's rounds gave in one pilot run with seed, or 0 (none) when
// one of them came up short. GuessFloors gives category rounds no guess,
// as some categories' projected cutoffs go down to their floors; one run
// tells which do not. With the December 2025 schedule, French rounds stay
// over 370 while their floor is 339, and the French candidates between
// cost a 250k run about 8% of its time. A guess is part of a projection's
// setup: it changes which numbers a run draws (the synthetic pool is
// split by it), not the distribution of its results, and the pilot
// depends only on the scenario, settings and seed, so every worker and
// shard gets the same guesses.
func learnGuesses(sc *Scenario, set Settings, reg *pool.Registry, seed uint64) (map[string]int, error) {
	rn, err := NewRunner(sc, set, reg)
	if err != nil {
		return nil, err
	}
	g := map[string]int{}
	short := map[string]bool{}
	for _, o := range rn.Run(RunRNG(seed, pilotRun), nil, nil) {
		st := &sc.Steps[o.Step]
		if !guessable(st, set.Rules) {
			continue
		}
		f := st.Round.Family()
		switch v, ok := g[f]; {
		case o.Short || o.Cutoff == draws.NoCutoff:
			short[f] = true
		case !ok || o.Cutoff-pilotMargin < v:
			g[f] = o.Cutoff - pilotMargin
		}
	}
	for f := range short {
		g[f] = 0
	}
	return g, nil
}

// guessable reports whether a pilot run gives step st a guess: a
// projected round not for nominees only (those take about every nominee:
// GuessFloors).
func guessable(st *Step, rules draws.Rules) bool {
	return !st.Known && draws.Lowest(st.Round, rules) < pool.NominationPoints
}

// mergeGuesses returns guesses that suit every projection of gs: the
// lowest guess of each family (0, none, if one has 0).
func mergeGuesses(gs []map[string]int) map[string]int {
	out := map[string]int{}
	for _, g := range gs {
		for f, v := range g {
			if cur, ok := out[f]; !ok || v < cur {
				out[f] = v
			}
		}
	}
	return out
}

// addProjection appends to sc the steps of cfg's schedule, with their
// family's floor and guess, raised to the guesses of cfg (learned by a
// pilot run when nil: learnGuesses, on cfg's schedule, or with a recent
// schedule on run 0's without pauses) where higher, and returns those.
func addProjection(sc *Scenario, rounds []data.Round, cfg Config, reg *pool.Registry) (map[string]int, error) {
	lim := projectionLimits(rounds, cfg.Start)
	first := len(sc.Steps)
	var err error
	if sc.Steps, err = lim.appendSteps(sc.Steps, cfg.Schedule, reg); err != nil {
		return nil, err
	}
	g := cfg.guesses
	if g == nil {
		pilot := sc
		if cfg.Recent != nil {
			// Run 0's schedule without its pauses (RecentDraw.unpaused).
			pilot = &Scenario{}
			*pilot = *sc
			if pilot.Steps, err = lim.appendSteps(slices.Clip(sc.Steps[:first]), cfg.Recent.unpaused(cfg.Start, cfg.Seed, 0), reg); err != nil {
				return nil, err
			}
		}
		if g, err = learnGuesses(pilot, cfg.Settings, reg, cfg.Seed); err != nil {
			return nil, err
		}
	}
	for i := first; i < len(sc.Steps); i++ {
		if st := &sc.Steps[i]; guessable(st, cfg.Settings.Rules) {
			st.Guess = max(st.Guess, g[st.Round.Family()])
		}
	}
	return g, nil
}

// appendSteps appends to steps a step of every round of sched (step).
func (l limits) appendSteps(steps []Step, sched []schedule.ScheduledRound, reg *pool.Registry) ([]Step, error) {
	for _, s := range sched {
		st, err := l.step(s, reg)
		if err != nil {
			return steps, err
		}
		steps = append(steps, st)
	}
	return steps, nil
}

// projectionScenario returns the scenario Project runs for cfg, and the
// guesses of its projected rounds (addProjection).
func projectionScenario(rounds []data.Round, cfg Config, reg *pool.Registry) (*Scenario, map[string]int, error) {
	snap := LatestSnapshot(rounds, cfg.Start)
	if snap < 0 {
		return nil, nil, fmt.Errorf("sim: no published snapshot on or before %s", cfg.Start.Format(time.DateOnly))
	}
	if err := registerModel(cfg.Settings.Model, reg); err != nil {
		return nil, nil, err
	}
	sc, err := NewScenario(rounds, snap, cfg.Start, reg, cfg.Settings.Rules)
	if err != nil {
		return nil, nil, err
	}
	g, err := addProjection(sc, rounds, cfg, reg)
	return sc, g, err
}

// categoryWindow is how far back CategoryInflow looks.
const categoryWindow = 182 * 24 * time.Hour

// Inflow is a least arrival rate for a category's candidates.
type Inflow struct {
	Rate     float64 // per second
	MinScore int     // counting candidates scoring this or more
}

// CategoryInflow returns, per category key, the invitations its rounds
// issued in the 26 weeks before the snapshot of rounds[snap], per second,
// and the median cutoff of those rounds. Category eligibility is gained
// inside the pool (a French test, a year in a listed occupation) as much
// as it arrives with new profiles, and the synthetic pool cannot see that
// flow; but for the category's cutoffs to hold steady, as they did, about
// as many candidates as its rounds invited had to come in at or above
// their cutoffs. So the arrivals of each category scoring at or above its
// median cutoff are raised to at least this rate; without it, projected
// French rounds of 4,500 every few weeks emptied the category.
func CategoryInflow(rounds []data.Round, snap int) map[string]Inflow {
	t1 := rounds[snap].Snapshot.Date
	t0 := t1.Add(-categoryWindow)
	out := map[string]Inflow{}
	cuts := map[string][]float64{}
	for i := range rounds {
		r := &rounds[i]
		if r.Type == data.Category && !r.Instant.Before(t0) && r.Instant.Before(t1) {
			in := out[r.Category]
			in.Rate += float64(r.Invitations) / categoryWindow.Seconds()
			out[r.Category] = in
			cuts[r.Category] = append(cuts[r.Category], float64(r.Cutoff))
		}
	}
	for k, in := range out {
		in.MinScore = int(stat.Quantile(0.5, stat.Empirical, sortedCopy(cuts[k]), nil))
		out[k] = in
	}
	return out
}

func setCategoryInflow(sc *Scenario, rounds []data.Round, snap int, reg *pool.Registry) error {
	in := CategoryInflow(rounds, snap)
	if len(in) == 0 {
		return nil
	}
	sc.CatInflow = map[pool.CategorySet]Inflow{}
	for key, v := range in {
		bit, err := reg.Bit(key)
		if err != nil {
			return err
		}
		sc.CatInflow[bit] = v
	}
	return nil
}

// Project runs the Monte Carlo projection of cfg on the real rounds and
// returns one row per run and projected round, runs in order. It holds
// every run in memory: eesim simulate uses ProjectTo.
func Project(ctx context.Context, rounds []data.Round, cfg Config, reg *pool.Registry, prog Progress) ([]data.RunRow, error) {
	var rows []data.RunRow
	err := ProjectTo(ctx, rounds, cfg, reg, prog, func(rr []data.RunRow) error {
		rows = append(rows, rr...)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return rows, nil
}

// StreamWindow is how many runs past the oldest one still running a
// worker of ProjectTo may finish: runs finished out of order wait for it,
// and a worker that would finish a run further ahead waits until the
// oldest is done. ProjectTo holds at most StreamWindow runs' rows at
// once, whatever the number of runs.
const StreamWindow = 16

// ProjectTo runs the projection of cfg as Project does, but passes each
// run's rows to emit as soon as the run and every run before it are done,
// runs in order, instead of returning them all: the caller writes them
// out (data.RunsWriter) and keeps what it needs, so that memory does not
// grow with the number of runs. emit is called from one goroutine at a
// time and may keep rows. An error from emit stops the projection and is
// returned.
func ProjectTo(ctx context.Context, rounds []data.Round, cfg Config, reg *pool.Registry, prog Progress, emit func(rows []data.RunRow) error) error {
	lo, _ := cfg.Shard.Range(cfg.Runs)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mu      sync.Mutex
		moved   = sync.NewCond(&mu)
		pending = map[int][]data.RunRow{}
		next    = lo // the oldest run not emitted yet
		emitErr error
	)
	_, err := projectRuns(ctx, rounds, cfg, reg, prog, func(run int, _ []Step, rr []data.RunRow) {
		mu.Lock()
		defer mu.Unlock()
		// The worker of run next never waits, so the wait ends.
		for run >= next+StreamWindow && emitErr == nil {
			moved.Wait()
		}
		if emitErr != nil {
			return
		}
		pending[run] = slices.Clone(rr)
		for emitErr == nil {
			rows, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			if err := emit(rows); err != nil {
				emitErr = err
				cancel()
			}
		}
		moved.Broadcast()
	})
	if emitErr != nil {
		return emitErr
	}
	return err
}

// projectRuns runs the runs of cfg's shard on cfg's workers and calls
// collect, from the worker of each run, with the run's projected steps and
// its rows: the outcomes of those steps, with the model's error added to
// their cutoffs (Config.Errors) from the run's own error stream
// (ErrorRNG). collect must only write to per-run slots, and must not keep
// rows, which the worker reuses. It returns the scenario of cfg.Schedule
// (the pilot's, when every run draws its own: Config.Recent).
func projectRuns(ctx context.Context, rounds []data.Round, cfg Config, reg *pool.Registry, prog Progress,
	collect func(run int, steps []Step, rows []data.RunRow)) (*Scenario, error) {
	sc, g, err := projectionScenario(rounds, cfg, reg)
	if err != nil {
		return nil, err
	}
	first := len(sc.Steps) - len(cfg.Schedule)
	if cfg.Recent != nil {
		// Every category a run may draw is registered here: the workers
		// only read the registry.
		for i := range cfg.Recent.Rounds {
			if r := &cfg.Recent.Rounds[i]; r.Type == data.Category {
				if _, err := reg.Bit(r.Category); err != nil {
					return nil, err
				}
			}
		}
	}
	lim := projectionLimits(rounds, cfg.Start)
	tmpl := sc
	if cfg.Recent != nil {
		// The runners of the runs' own schedules share one synthesizer
		// per worker (Runner.withSteps), whose live candidates must be
		// those of every run: the pilot's rounds and one of every family
		// a run may draw.
		if tmpl, err = runScenario(sc, first, cfg, lim, g, reg, -1); err != nil {
			return nil, err
		}
	}
	lo, hi := cfg.Shard.Range(cfg.Runs)
	errs := cfg.Errors.compile()
	err = forRuns(ctx, hi-lo, cfg.Workers, prog, func() (func(i int), error) {
		// Each worker has its own runner.
		rn, err := NewRunner(tmpl, cfg.Settings, reg)
		if err != nil {
			return nil, err
		}
		var out []Outcome
		var rows []data.RunRow
		return func(i int) {
			run := lo + i
			r, steps := rn, sc.Steps[first:]
			if cfg.Recent != nil {
				own, err := runScenario(sc, first, cfg, lim, g, reg, run)
				if err != nil {
					// The pilot's schedule came from the same record
					// and passed: a failure here is a programmer error.
					panic(err)
				}
				r, steps = rn.withSteps(own), own.Steps[first:]
			}
			out = r.Run(RunRNG(cfg.Seed, run), out[:0], nil)
			rows = rows[:0]
			for j, o := range out {
				st := &steps[o.Step-first]
				row := data.RunRow{
					Run: int32(run), Round: int32(j), Instant: st.Round.Instant.UTC(),
					Family: st.Round.Family(), Size: int32(st.Round.Size), Invited: int32(o.Invited),
					Cutoff: int32(o.Cutoff), CEC: int32(o.ByProgram[draws.ByCEC]),
					FSW: int32(o.ByProgram[draws.ByFSW]), FST: int32(o.ByProgram[draws.ByFST]),
					PNP: int32(o.ByProgram[draws.ByPNP]), PoolSize: int32(o.PoolSize),
				}
				if o.TieBreak != 0 {
					row.TieBreak = time.Unix(o.TieBreak, 0).UTC()
				}
				rows = append(rows, row)
			}
			errs.perturb(rows, ErrorRNG(cfg.Seed, run))
			collect(run, steps, rows)
		}, nil
	})
	if err != nil {
		return nil, err
	}
	return sc, nil
}

// runScenario returns the scenario of run: sc's known steps (the first
// first), then the run's own schedule (Config.Recent) with the floors of
// lim and the guesses g, as addProjection gives the pilot's. Run -1 is
// the union of every run's: sc's steps, then a round of every family the
// recent record holds (schedule.RecentFamilyRounds).
func runScenario(sc *Scenario, first int, cfg Config, lim limits, g map[string]int, reg *pool.Registry, run int) (*Scenario, error) {
	own := *sc
	own.Steps = slices.Clone(sc.Steps[:first])
	var sched []schedule.ScheduledRound
	if run < 0 {
		own.Steps = slices.Clone(sc.Steps)
		sched = schedule.RecentFamilyRounds(cfg.Recent.Rounds, cfg.Start, cfg.Recent.Config)
	} else {
		sched = cfg.Recent.Draw(cfg.Start, cfg.Seed, run)
	}
	for _, s := range sched {
		st, err := lim.step(s, reg)
		if err != nil {
			return nil, err
		}
		if guessable(&st, cfg.Settings.Rules) {
			st.Guess = max(st.Guess, g[st.Round.Family()])
		}
		own.Steps = append(own.Steps, st)
	}
	return &own, nil
}

// snapshotHour is the time of day eesim gives a snapshot's "as on" date.
// IRCC does not say when the distribution is taken; rounds run at 11-18h
// UTC and a third of snapshots carry the round's own date, so midday UTC.
const snapshotHour = 12 * time.Hour
