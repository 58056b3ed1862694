package sim

import (
	"math"
	"slices"
	"time"

	"github.com/eesim/eesim/data"
	"github.com/eesim/eesim/draws"
	"github.com/eesim/eesim/pool"
)

// Step is one round a scenario runs on the pool after its snapshot.
type Step struct {
	Round  draws.Round
	Record bool // keep its outcome
	// Known marks a real round that already happened: it is run on the
	// pool to its published cutoff and tie-break instant (Cutoff,
	// TieBreak), before the rounds being projected, so that the pool is
	// drained where IRCC drained it.
	Known    bool
	Cutoff   int
	TieBreak time.Time
	// Guess, when above the lowest score the round ranks, is a score it
	// is expected not to go under (see GuessFloors). A run first keeps
	// the candidates under every round's guess as ghosts; if a round then
	// goes under its guess, the run starts again from the same random
	// state with only the exact ghosts, so the guess changes no result,
	// only the time a run takes.
	Guess int
}

// Scenario is a pool at a published snapshot and the rounds that follow.
type Scenario struct {
	SnapshotAt time.Time
	Counts     [data.NumBands]int
	Drains     []pool.Drain // rounds before the snapshot
	Steps      []Step       // in time order, after the snapshot
	// TopInflow is the arrival rate of provincial nominees (601-1200)
	// per second, measured from the record (see NomineeInflow); 0 leaves
	// the rate the synthetic pool implies.
	TopInflow float64
	// CatInflow is, per category bit, the least arrival rate per second
	// of its candidates scoring at or above the category's median cutoff,
	// measured from the record (CategoryInflow).
	CatInflow map[pool.CategorySet]Inflow
}

// Settings are the dynamics of a scenario run. The zero value is not
// useful; start from DefaultSettings.
type Settings struct {
	Model *pool.Model
	Rules draws.Rules
	// DeclineShare is the share of invitations declined; those candidates
	// return to the pool with their original submission instant after
	// DeclineDelay. See the package documentation for the default.
	DeclineShare float64
	DeclineDelay time.Duration
	// ArrivalScale multiplies the arrival rates the synthetic pool implies.
	ArrivalScale float64
	// Scale shrinks the pool (band counts and round sizes) for fast
	// approximate runs in calibration; 1 for full size.
	Scale float64
}

// DefaultSettings returns the default dynamics with model m.
func DefaultSettings(m *pool.Model) Settings {
	return Settings{
		Model: m,
		Rules: draws.DefaultRules,
		// IRCC publishes no per-round decline rate. Of the ~30% of
		// invitations that do not become applications (Year-End Report
		// 2015: 31,063 ITAs, 21,562 applications), most lapse at 60 days,
		// which removes the profile; only an explicit decline returns
		// the candidate. We take 5% as declining, back 30 days later
		// (half the 60-day window). See sim/doc.go.
		DeclineShare: 0.05,
		DeclineDelay: 30 * 24 * time.Hour,
		ArrivalScale: 1,
		Scale:        1,
	}
}

// Outcome is the result of one recorded step in one run.
type Outcome struct {
	Step      int
	Cutoff    int
	TieBreak  int64 // Unix seconds, 0 if none
	Invited   int
	ByProgram [4]int
	PoolSize  int
	Short     bool
	// Above is the number of eligible candidates at or above Probe in the
	// pool just before the round (-1 when no probe was asked).
	Above int
}

// Runner runs scenarios. It keeps its pool and tables between runs; use one
// per goroutine.
type Runner struct {
	sc       *Scenario
	set      Settings
	reg      *pool.Registry
	sy       *pool.Synthesizer
	p        *pool.Pool
	res      draws.Result
	declined []pool.ID // scratch of decline
	buf      []float64
	am       *pool.ArrivalModel // see arrivals
	catOrder []pool.CategorySet // keys of sc.CatInflow, sorted
	// live are the candidates a round can invite; guess, when not nil,
	// those above the steps' guesses (Step.Guess).
	live, guess *pool.Live
	// at[i] is the instant the pool is advanced to before step i.
	at []int64
	// guessAt[i] is step i's guess when it is above the lowest score the
	// round ranks, else 0: a lazy run stops when the round goes under it.
	guessAt []int
	// Reruns counts the runs that went under a guess and ran again.
	Reruns int
	// Probes, when set, give a score per step at which to count eligible
	// candidates before the round (for calibration).
	Probes []int
}

// NewRunner prepares to run sc with settings set.
func NewRunner(sc *Scenario, set Settings, reg *pool.Registry) (*Runner, error) {
	return newRunner(sc, set, reg, nil)
}

// newRunner is NewRunner running in pool p (nil: a new one), which it
// resets at every run.
func newRunner(sc *Scenario, set Settings, reg *pool.Registry, p *pool.Pool) (*Runner, error) {
	counts := sc.Counts
	if set.Scale > 0 && set.Scale != 1 {
		for b := range counts {
			counts[b] = int(float64(counts[b])*set.Scale + 0.5)
		}
	}
	sy, err := pool.NewSynthesizer(&pool.SynthSpec{
		Counts: counts, At: sc.SnapshotAt, Model: set.Model, Registry: reg, Drains: sc.Drains,
	})
	if err != nil {
		return nil, err
	}
	n := 0
	for _, c := range counts {
		n += c
	}
	if p == nil {
		p = pool.New(n * 3)
	}
	rn := &Runner{sc: sc, set: set, reg: reg, sy: sy, p: p}
	rn.live = liveOf(sc.Steps, set.Rules, false)
	if g := liveOf(sc.Steps, set.Rules, true); *g != *rn.live {
		rn.guess = g
	}
	sy.SetLive(rn.live)
	sy.SetGuess(rn.guess)
	for bit := range sc.CatInflow {
		rn.catOrder = append(rn.catOrder, bit)
	}
	slices.Sort(rn.catOrder) // map order must not reach the random stream
	rn.setSteps()
	return rn, nil
}

// setSteps sets what the runner keeps of its scenario's steps: the
// instants the pool is advanced to, and the steps' guesses.
func (r *Runner) setSteps() {
	// The pool is advanced to each step's instant, or stays where it is
	// for a step before it: tell the pool when, so that it keeps its
	// ghosts as counts between those instants.
	r.at = make([]int64, len(r.sc.Steps))
	cuts := make([]int64, len(r.sc.Steps))
	now := r.sc.SnapshotAt.Unix()
	for i, st := range r.sc.Steps {
		now = max(now, st.Round.Instant.Unix())
		r.at[i] = now
		cuts[i] = now - int64(pool.Validity/time.Second)
	}
	r.p.SetCuts(slices.Compact(cuts))
	r.guessAt = make([]int, len(r.sc.Steps))
	for i, st := range r.sc.Steps {
		if !st.Known && st.Guess > draws.Lowest(st.Round, r.set.Rules) {
			r.guessAt[i] = st.Guess
		}
	}
}

// withSteps returns a runner of sc, a scenario that differs from r's in
// its steps only, sharing r's synthesizer, arrival model and pool (so it
// must not run at the same time as r). sc's rounds must invite no
// candidate r's cannot (liveOf): r's scenario must hold, for each family
// of sc's rounds, a round with the same eligibility, floor and guess.
// The result is then exactly sc's own runner's (NewRunner): the
// candidates only r's rounds reach are live in both, which changes no
// result.
func (r *Runner) withSteps(sc *Scenario) *Runner {
	own := *r
	own.sc = sc
	own.Probes = nil
	own.setSteps()
	return &own
}

// liveOf returns the candidates some round of steps can invite: the others
// are kept as ghosts (pool.Pool.AddGhost), which changes no round's result.
// A round never ranks under its lowest score (draws.Lowest: its floor, 600
// for nominees), so candidates under it are ghosts to it.
//
// With guess, the floor of each round is its guess (Step.Guess) when
// higher.
func liveOf(steps []Step, rules draws.Rules, guess bool) *pool.Live {
	var l pool.Live
	for _, st := range steps {
		if !st.Known && st.Round.Size == 0 && !st.Round.AllNominees {
			continue // invites no one (odds' probe steps)
		}
		ok, cats := draws.Compile(st.Round, rules)
		low := draws.Lowest(st.Round, rules)
		if st.Known {
			low = max(st.Cutoff, 0) // run to its published cutoff (draws.RunToCutoff)
		} else if guess {
			low = max(low, st.Guess)
		}
		for a := range ok {
			if ok[a] {
				l.Open(uint8(a), cats, low)
			}
		}
	}
	return &l
}

// Pool returns the runner's pool, as the last run left it.
func (r *Runner) Pool() *pool.Pool { return r.p }

// Run performs one run with rng and appends the outcomes of the recorded
// steps to out. Before each step, hook (if not nil) may act on the pool,
// e.g. to insert a candidate.
func (r *Runner) Run(rng *pool.Rand, out []Outcome, hook func(step int, p *pool.Pool)) []Outcome {
	if r.guess != nil && hook == nil && r.Probes == nil {
		start := rng.State()
		r.sy.SetLazy(true)
		res, ok := r.run(rng, out, nil, true)
		r.sy.SetLazy(false)
		if ok {
			return res
		}
		r.Reruns++
		rng.SetState(start)
		out = res[:len(out)]
	}
	out, _ = r.run(rng, out, hook, false)
	return out
}

// run is Run. With guessed, it stops and reports false as soon as a round
// goes under its guess.
func (r *Runner) run(rng *pool.Rand, out []Outcome, hook func(step int, p *pool.Pool), guessed bool) ([]Outcome, bool) {
	r.sy.Build(r.p, rng)
	am := r.arrivals()
	now := r.sc.SnapshotAt.Unix()
	for i, st := range r.sc.Steps {
		if at := r.at[i]; at > now {
			_, r.buf = am.Generate(r.p, now, at, rng, r.buf)
			now = at
		}
		r.p.Advance(now)
		if hook != nil {
			hook(i, r.p)
		}
		rd := st.Round
		if r.set.Scale > 0 && r.set.Scale != 1 {
			rd.Size = int(float64(rd.Size)*r.set.Scale + 0.5)
		}
		o := Outcome{Step: i, PoolSize: r.p.Active(), Above: -1}
		if st.Record && i < len(r.Probes) && r.Probes[i] >= 0 {
			o.Above = countAbove(r.p, rd, r.set.Rules, r.Probes[i])
		}
		if st.Known {
			draws.RunToCutoff(r.p, rd, r.set.Rules, st.Cutoff, st.TieBreak, &r.res)
		} else if err := draws.RunInto(r.p, rd, r.set.Rules, &r.res); err != nil {
			// Sizes are checked when schedules are read; a negative size
			// here is a programmer error.
			panic(err)
		}
		if g := r.guessAt[i]; guessed && g > 0 && (r.res.Short || r.res.Cutoff < g) {
			return out, false
		}
		r.decline(rng, now)
		if st.Record {
			o.Cutoff = r.res.Cutoff
			if !r.res.TieBreak.IsZero() {
				o.TieBreak = r.res.TieBreak.Unix()
			}
			o.Invited = len(r.res.Invited)
			o.ByProgram = r.res.ByProgram
			o.Short = r.res.Short
			out = append(out, o)
		}
	}
	return out, true
}

// arrivals returns the arrival model of the run: the synthesizer's, with
// the scenario's inflows of nominees and categories and the settings'
// scale. It is the same for every run when the synthesizer's is
// (ArrivalsFixed), so it is made once.
func (r *Runner) arrivals() *pool.ArrivalModel {
	if r.am != nil && r.sy.ArrivalsFixed() {
		return r.am
	}
	am := r.sy.ArrivalModel()
	if r.sc.TopInflow > 0 {
		am.Rate[0] = r.sc.TopInflow * r.scale()
	}
	for _, bit := range r.catOrder {
		in := r.sc.CatInflow[bit]
		am.RaiseCategory(bit, in.Rate*r.scale(), in.MinScore)
	}
	if r.set.ArrivalScale > 0 && r.set.ArrivalScale != 1 {
		am.Scale(r.set.ArrivalScale)
	}
	r.am = am
	return am
}

// scale is the pool scale of the runner's settings.
func (r *Runner) scale() float64 {
	if r.set.Scale > 0 {
		return r.set.Scale
	}
	return 1
}

// decline puts back the invitations of the round just run that are
// declined. It runs right after the round, so the pool's mark proves the
// invited are still queued (pool.Pool.DeferInvited).
func (r *Runner) decline(rng *pool.Rand, now int64) {
	if r.set.DeclineShare <= 0 {
		return
	}
	mark := r.p.Mark()
	back := now + int64(r.set.DeclineDelay/time.Second)
	inv := r.res.Invited
	r.declined = r.declined[:0]
	eachDeclined(len(inv), r.set.DeclineShare, rng, func(i int) { r.declined = append(r.declined, inv[i]) })
	r.p.DeferInvited(r.declined, back, mark)
}

// eachDeclined calls f with the index of every one of n invitations that
// is declined, each with probability share on its own. The numbers of
// invitations accepted between two declines are independent and
// geometric, so it draws those (Devroye 1986, section X.2:
// floor(log U / log(1-p))): one random number per decline instead of one
// per invitation.
func eachDeclined(n int, share float64, rng *pool.Rand, f func(i int)) {
	switch {
	case share <= 0:
		return
	case share >= 1:
		for i := range n {
			f(i)
		}
		return
	}
	logAccept := math.Log1p(-share)
	for i := 0; ; i++ {
		skip := math.Log(1-rng.Float64()) / logAccept
		if skip >= float64(n-i) {
			return
		}
		i += int(skip)
		f(i)
	}
}

// countAbove counts the candidates eligible for rd at or above score c.
func countAbove(p *pool.Pool, rd draws.Round, rules draws.Rules, c int) int {
	ok, cats := draws.Compile(rd, rules)
	n := 0
	if c < 0 {
		c = 0
	}
	for s := pool.MaxScore; s >= c; s-- {
		if p.ActiveAt(s) == 0 {
			continue
		}
		for _, id := range p.Queue(s) {
			if p.State(id) != pool.Active {
				continue
			}
			if ok[p.Attr(id)] && (cats == 0 || p.Cats(id)&cats != 0) {
				n++
			}
		}
	}
	return n
}
