package sim

import (
	"context"
	"math"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/eesim/eesim/data"
	"github.com/eesim/eesim/draws"
	"github.com/eesim/eesim/pool"
	"github.com/eesim/eesim/sim/schedule"
)

// oddsFixture is the embedded feed, a start the day after its last round,
// and a "recent" schedule of horizon from there.
type oddsFixture struct {
	rounds []data.Round
	start  time.Time
	sched  []schedule.ScheduledRound
}

var (
	feedOnce sync.Once
	feedRds  []data.Round
	feedErr  error
)

func newOddsFixture(t testing.TB, horizon time.Duration) oddsFixture {
	t.Helper()
	feedOnce.Do(func() {
		var f *data.Feed
		f, feedErr = data.LoadFeed("")
		if feedErr == nil {
			feedRds = f.Rounds
		}
	})
	if feedErr != nil {
		t.Fatal(feedErr)
	}
	start := feedRds[len(feedRds)-1].Date.AddDate(0, 0, 1)
	sched := schedule.RecentSchedule(feedRds, start, horizon, schedule.RecentConfig{}, RunRNG(1, 1<<40).Rand)
	if len(sched) == 0 {
		t.Fatal("empty schedule")
	}
	return oddsFixture{rounds: feedRds, start: start, sched: sched}
}

func (f oddsFixture) config(runs, workers int, c Candidate) OddsConfig {
	return OddsConfig{
		Config:    Config{Start: f.start, Schedule: f.sched, Runs: runs, Seed: 7, Workers: workers, Settings: DefaultSettings(DefaultModel())},
		Candidate: c,
	}
}

func (f oddsFixture) odds(t testing.TB, cfg OddsConfig) *OddsResult {
	t.Helper()
	res, err := Odds(context.Background(), f.rounds, cfg, pool.NewRegistry(pool.DefaultCategories...), nil)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestOddsMatchesProjectCutoffs checks Odds against a second method. The
// candidate changes nobody's fate until invited (see Odds), so in each run
// the rounds of Project with the same seed are the rounds the candidate
// meets, and the candidate is first invited in the first round they are
// eligible for where they rank within the size: the round was short (it
// invited every eligible candidate), or their score is above its cutoff,
// or equal to it with a submission at or before its tie-break instant
// (IRCC's rule: "at or before"). That is computed here from the rows of
// Project alone.
func TestOddsMatchesProjectCutoffs(t *testing.T) {
	f := newOddsFixture(t, 90*24*time.Hour)
	// The second method holds for rounds of a fixed size: a PNP round
	// that takes every nominee grows by one with the candidate in it
	// (TestOddsAllNominees covers those).
	f.sched = slices.Clone(f.sched)
	for i := range f.sched {
		f.sched[i].AllNominees = false
	}
	const runs = 3
	cands := []Candidate{
		{Score: 505, Programs: data.CEC | data.FSW, Submitted: f.start.AddDate(0, -3, 0)},
		{Score: 530, Programs: data.CEC, Submitted: f.start.AddDate(0, -1, 0)},
		{Score: 470, Programs: data.FSW, Categories: []string{"healthcare"}, Submitted: f.start.AddDate(0, 0, -20)},
		{Score: 650, Programs: data.FSW, Nominated: true, Submitted: f.start.AddDate(0, 0, 10)},
		{Score: 400, Programs: data.FSW, Submitted: f.start},
	}
	cfg := f.config(runs, 2, Candidate{})
	rows, err := Project(context.Background(), f.rounds, cfg.Config, pool.NewRegistry(pool.DefaultCategories...), nil)
	if err != nil {
		t.Fatal(err)
	}
	reg := pool.NewRegistry(pool.DefaultCategories...)
	for ci, c := range cands {
		cfg.Candidate = c
		res := f.odds(t, cfg)
		var cats pool.CategorySet
		for _, k := range c.Categories {
			b, _ := reg.Bit(k)
			cats |= b
		}
		pc := pool.Candidate{Score: c.Score, Programs: c.Programs, Nominated: c.Nominated, Categories: cats}
		nr := len(f.sched)
		for run := 0; run < runs; run++ {
			want := Invitation{}
			for j := 0; j < nr; j++ {
				row := rows[run*nr+j]
				rd, _ := ScheduledToDraws(f.sched[j], reg)
				if row.Instant.Before(c.Submitted) || !draws.Eligible(pc, rd, cfg.Settings.Rules) {
					continue
				}
				short := int(row.Invited) < int(row.Size)
				above := int(row.Cutoff) >= 0 && (c.Score > int(row.Cutoff) ||
					c.Score == int(row.Cutoff) && !c.Submitted.After(row.TieBreak))
				if short || above {
					want = Invitation{Invited: true, At: row.Instant, Family: row.Family, Round: j, Score: c.Score}
					break
				}
			}
			if got := res.Invitations[run]; got != want {
				t.Errorf("candidate %d (%d, %s) run %d: Odds %+v, from Project's cutoffs %+v", ci, c.Score, c.Programs, run, got, want)
			}
		}
	}
}

// TestOddsMonotone: with common random numbers (the same RunRNG stream per
// run, and a candidate whose insertion draws no random number and changes
// nobody's fate until invited), every run meets the same rounds whatever
// the candidate. A candidate who ranks higher (a higher score, or the same
// score and an earlier submission) ranks within every round's size that
// the other does, so is invited in the same round or earlier: the
// invitation date can only move earlier, run by run, and the probability
// of an invitation by any date can only rise. Exactly, not statistically.
// The ladder sits at the lowest CEC cutoff of the runs, where scores tie
// and the submission instant decides. No submission is 12 months or more
// before the last round, so no profile expires (an expiry resubmits under
// a later timestamp, and an earlier submission would then rank lower for
// a while).
func TestOddsMonotone(t *testing.T) {
	f := newOddsFixture(t, 90*24*time.Hour)
	const runs = 4
	at := func(inv Invitation) time.Time {
		if !inv.Invited {
			return time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
		}
		return inv.At
	}
	// Centre the ladder on the lowest CEC cutoff of the runs (from
	// Project, same seed), where the submission instant decides ties.
	cfg0 := f.config(runs, 2, Candidate{})
	rows, err := Project(context.Background(), f.rounds, cfg0.Config, pool.NewRegistry(pool.DefaultCategories...), nil)
	if err != nil {
		t.Fatal(err)
	}
	// Among the CEC rounds whose tie-break leaves room for an earlier
	// submission that does not expire before the last round.
	end := f.sched[len(f.sched)-1].Instant
	oldest := end.Add(-pool.Validity).Add(24 * time.Hour) // no expiry before end
	c := pool.MaxScore
	var tie time.Time
	for _, r := range rows {
		if r.Family == "cec" && r.Cutoff >= 0 && int(r.Cutoff) <= c && r.TieBreak.After(oldest.Add(48*time.Hour)) {
			c, tie = int(r.Cutoff), r.TieBreak
		}
	}
	if c == pool.MaxScore {
		t.Fatal("no CEC round in the horizon with a tie-break in the last 12 months")
	}
	sub := tie.Add(-time.Hour) // at c, just inside the tie-break of that round
	early := sub.AddDate(0, -4, 0)
	if early.Before(oldest) {
		early = oldest
	}
	if !sub.After(early) {
		t.Fatalf("tie-break %s too old for the ladder", tie)
	}
	// In ascending rank order.
	ladder := []struct {
		name string
		c    Candidate
	}{
		{"c-20", Candidate{Score: c - 20, Programs: data.CEC, Submitted: sub}},
		{"c late", Candidate{Score: c, Programs: data.CEC, Submitted: tie.Add(time.Hour)}},
		{"c", Candidate{Score: c, Programs: data.CEC, Submitted: sub}},
		{"c early", Candidate{Score: c, Programs: data.CEC, Submitted: early}},
		{"c+5", Candidate{Score: c + 5, Programs: data.CEC, Submitted: sub}},
		{"c+20", Candidate{Score: c + 20, Programs: data.CEC, Submitted: sub}},
	}
	var prev *OddsResult
	dates := OddsDates(f.start, f.sched[len(f.sched)-1].Instant.Add(time.Second))
	invited := 0
	for i, l := range ladder {
		res := f.odds(t, f.config(runs, 2, l.c))
		for _, inv := range res.Invitations {
			if inv.Invited {
				invited++
			}
		}
		if prev != nil {
			for run := range runs {
				if a, b := at(res.Invitations[run]), at(prev.Invitations[run]); a.After(b) {
					t.Errorf("run %d: %s invited %s, later than %s (%s)", run, l.name, a, ladder[i-1].name, b)
				}
			}
			for _, d := range dates {
				if p, q := res.ProbabilityBy(d).P, prev.ProbabilityBy(d).P; p < q {
					t.Errorf("by %s: P(%s) = %.3f < P(%s) = %.3f", d, l.name, p, ladder[i-1].name, q)
				}
			}
		}
		prev = res
	}
	// The ladder must straddle the cutoffs for the test to mean anything.
	if invited == 0 || invited == runs*len(ladder) {
		t.Fatalf("%d of %d candidate-runs invited: the ladder does not straddle the cutoffs", invited, runs*len(ladder))
	}
}

func TestOddsWorkers(t *testing.T) {
	f := newOddsFixture(t, 60*24*time.Hour)
	c := Candidate{Score: 515, Programs: data.CEC | data.FSW, Categories: []string{"french"}, Submitted: f.start.AddDate(0, -2, 0)}
	a := f.odds(t, f.config(5, 1, c))
	b := f.odds(t, f.config(5, 2, c))
	if !reflect.DeepEqual(a, b) {
		t.Errorf("workers 1 and 2 differ:\n%+v\n%+v", a.Invitations, b.Invitations)
	}
}

// TestInvitation applies the invitation rule by hand to one run's rows:
// a round before the submission, a category round the candidate is not
// in, a score change keeping the submission instant, the tie-break at the
// cutoff, expiry and resubmission under the expiry instant, and a round
// that invited nobody.
func TestInvitation(t *testing.T) {
	t0 := time.Date(2025, 1, 10, 12, 0, 0, 0, time.UTC)
	reg := pool.NewRegistry(pool.DefaultCategories...)
	c := &Candidate{Score: 480, Programs: data.CEC, Submitted: t0,
		Changes: []CandidateChange{{From: t0.AddDate(0, 6, 0), Score: 470, Programs: data.CEC}}}
	french, err := reg.Bit("french")
	if err != nil {
		t.Fatal(err)
	}
	day := func(d int) time.Time { return t0.AddDate(0, 0, d) }
	cec := func(d int) Step {
		return Step{Round: draws.Round{Instant: day(d), Type: data.Program, Programs: data.CEC, Size: 1}, Record: true}
	}
	steps := []Step{cec(-3), {Round: draws.Round{Instant: day(5), Type: data.Category, CategoryKey: "french", Categories: french, Size: 1}, Record: true},
		cec(20), cec(200), cec(230), cec(400), cec(420)}
	row := func(i, cut int, tie time.Time) data.RunRow {
		return data.RunRow{Round: int32(i), Instant: steps[i].Round.Instant, Family: steps[i].Round.Family(), Cutoff: int32(cut), TieBreak: tie}
	}
	for _, tc := range []struct {
		name string
		rows []data.RunRow
		want Invitation
	}{
		{"before submission and not in the category", []data.RunRow{row(0, 300, time.Time{}), row(1, 300, time.Time{}), row(2, 479, time.Time{})},
			Invitation{Invited: true, At: day(20), Family: "cec", Round: 2, Score: 480}},
		{"score change: 470 from day 182", []data.RunRow{row(2, 481, time.Time{}), row(3, 475, time.Time{}), row(4, 469, time.Time{})},
			Invitation{Invited: true, At: day(230), Family: "cec", Round: 4, Score: 470}},
		{"tie-break before the submission", []data.RunRow{row(3, 470, day(-1)), row(4, 470, t0)},
			Invitation{Invited: true, At: day(230), Family: "cec", Round: 4, Score: 470}},
		// Day 400 is past 365 days: resubmitted at t0+365d, so a tie-break
		// at day 360 is before the new submission; day 420's at day 366
		// is after it.
		{"expiry and resubmission", []data.RunRow{row(5, 470, day(360)), row(6, 470, day(366))},
			Invitation{Invited: true, At: day(420), Family: "cec", Round: 6, Score: 470, Reentries: 1}},
		{"nobody invited", []data.RunRow{row(2, -1, time.Time{}), row(3, 500, time.Time{})}, Invitation{}},
	} {
		if got := invitation(newInvitee(*c), steps, tc.rows); got != tc.want {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

// TestWilson checks the interval against values computed by hand from
// the formula: for 0 of 10, the upper end is z²/(n+z²) = 3.8415/13.8415;
// for 5 of 10, 0.5 ± 1.96·sqrt(0.025+0.0096)/1.38415.
func TestWilson(t *testing.T) {
	for _, c := range []struct {
		k, n           int
		p, lo, hi, tol float64
	}{
		{0, 10, 0, 0, 0.27753, 1e-4},
		{5, 10, 0.5, 0.23659, 0.76341, 1e-4},
		{10, 10, 1, 0.72247, 1, 1e-4},
	} {
		p, lo, hi := wilson(c.k, c.n)
		if math.Abs(p-c.p) > c.tol || math.Abs(lo-c.lo) > c.tol || math.Abs(hi-c.hi) > c.tol {
			t.Errorf("wilson(%d, %d) = %.5f [%.5f, %.5f], want %.5f [%.5f, %.5f]", c.k, c.n, p, lo, hi, c.p, c.lo, c.hi)
		}
	}
}

func TestOddsSummaries(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	inv := func(days int, fam string) Invitation {
		return Invitation{Invited: true, At: start.AddDate(0, 0, days), Family: fam}
	}
	r := &OddsResult{Start: start, Runs: 5, Families: []string{"cec", "french", "pnp"}, Eligible: []bool{true, true, false},
		Invitations: []Invitation{inv(40, "cec"), {}, inv(10, "french"), inv(70, "cec"), {}}}
	// Waits sorted: 10, 40, 70, none, none; the median of 5 is the 3rd.
	if w, ok := r.MedianWait(); !ok || w != 70*24*time.Hour {
		t.Errorf("median wait %v %v, want 70 days", w, ok)
	}
	if pt := r.ProbabilityBy(start.AddDate(0, 0, 40)); pt.Invited != 1 {
		t.Errorf("by day 40 (exclusive): %d invited, want 1", pt.Invited)
	}
	// Two of 5 runs by day 41: (2 + 1/2) / (5 + 1).
	if pt := r.ProbabilityBy(start.AddDate(0, 0, 41)); math.Abs(pt.P-2.5/6) > 1e-15 {
		t.Errorf("by day 41: P %v, want 2.5/6", pt.P)
	}
	// No run by day 5, yet the candidate can be ranked in the cec and
	// french rounds: not certain.
	if pt := r.ProbabilityBy(start.AddDate(0, 0, 5)); math.Abs(pt.P-0.5/6) > 1e-15 {
		t.Errorf("by day 5: P %v, want 0.5/6", pt.P)
	}
	// A candidate who meets no program and holds no nomination can be
	// ranked in no round: the rules decide.
	none := &OddsResult{Start: start, Runs: 5, Families: []string{"pnp"}, Eligible: []bool{false}, Invitations: make([]Invitation, 5),
		iv: newInvitee(Candidate{Score: 500, Submitted: start})}
	if pt := none.ProbabilityBy(start.AddDate(0, 0, 41)); pt.P != 0 {
		t.Errorf("ineligible candidate: P %v, want 0", pt.P)
	}
	// An FSW candidate whom no projected round ranks: a general round
	// would, so the runs' 0 of 5 is not a certainty.
	fsw := &OddsResult{Start: start, Runs: 5, Families: []string{"pnp"}, Eligible: []bool{false}, Invitations: make([]Invitation, 5),
		iv: newInvitee(Candidate{Score: 500, Programs: data.FSW, Submitted: start})}
	if pt := fsw.ProbabilityBy(start.AddDate(0, 0, 41)); math.Abs(pt.P-0.5/6) > 1e-15 {
		t.Errorf("fsw candidate with no round: P %v, want 0.5/6", pt.P)
	}
	sh := r.Shares()
	if sh[0].Count != 2 || math.Abs(sh[0].Share-2.0/3) > 1e-12 || sh[1].Count != 1 || sh[2].Count != 0 || sh[2].Eligible {
		t.Errorf("shares %+v", sh)
	}
	r.Invitations[0] = Invitation{}
	if _, ok := r.MedianWait(); ok {
		t.Errorf("median reached with 2 of 5 runs invited")
	}
}

func TestOddsDates(t *testing.T) {
	start := time.Date(2025, 12, 18, 0, 0, 0, 0, time.UTC)
	got := OddsDates(start, start.Add(time.Duration(365.25*24*float64(time.Hour))))
	if len(got) != 12 || !got[0].Equal(time.Date(2026, 1, 18, 0, 0, 0, 0, time.UTC)) ||
		!got[10].Equal(time.Date(2026, 11, 18, 0, 0, 0, 0, time.UTC)) || !got[11].Equal(time.Date(2026, 12, 18, 6, 0, 0, 0, time.UTC)) {
		t.Errorf("12mo: %v", got)
	}
	if got := OddsDates(start, start.AddDate(0, 0, 10)); len(got) != 1 {
		t.Errorf("10 days: %v", got)
	}
}

// TestMonthEnds checks the calendar month ends of odds.csv by hand.
func TestMonthEnds(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	start := day(2025, 12, 18)
	// A 6-month horizon (6 x 365.25/12 days) ends 2026-06-18 18:00: the
	// month ends of December to May, not June (it ends after the horizon).
	got := MonthEnds(start, start.Add(time.Duration(6*365.25/12*24*float64(time.Hour))))
	want := []time.Time{day(2026, 1, 1), day(2026, 2, 1), day(2026, 3, 1), day(2026, 4, 1), day(2026, 5, 1), day(2026, 6, 1)}
	if len(got) != len(want) {
		t.Fatalf("6mo: %v, want %v", got, want)
	}
	for i := range want {
		if !got[i].Equal(want[i]) {
			t.Errorf("6mo: month %d ends %v, want %v", i+1, got[i], want[i])
		}
	}
	// A start on the first of a month: its own month is whole; an end on a
	// month's first instant includes that month end.
	if got := MonthEnds(day(2026, 1, 1), day(2026, 3, 1)); len(got) != 2 || !got[0].Equal(day(2026, 2, 1)) || !got[1].Equal(day(2026, 3, 1)) {
		t.Errorf("2026-01-01 to 2026-03-01: %v", got)
	}
	// A horizon with no month end in it.
	if got := MonthEnds(start, day(2025, 12, 28)); len(got) != 0 {
		t.Errorf("10 days: %v, want none", got)
	}
}

// TestOddsAllNominees: a projected PNP round of the recent schedule
// invites every nominee in the pool, so a nominee is invited by the first
// PNP round after entering, however low their score (600 plus a core of 50).
func TestOddsAllNominees(t *testing.T) {
	f := newOddsFixture(t, 60*24*time.Hour)
	first := -1
	for i, r := range f.sched {
		if r.Family() == "pnp" && !r.Instant.Before(f.start.AddDate(0, 0, 10)) {
			if !r.AllNominees {
				t.Fatalf("recent schedule PNP round %d does not invite all nominees", i)
			}
			first = i
			break
		}
	}
	if first < 0 {
		t.Skip("no PNP round in the projected 60 days")
	}
	res := f.odds(t, f.config(4, 2, Candidate{Score: 650, Programs: data.FSW, Nominated: true, Submitted: f.start.AddDate(0, 0, 10)}))
	for run, inv := range res.Invitations {
		if !inv.Invited || inv.Round != first || inv.Family != "pnp" {
			t.Errorf("run %d: %+v, want invited in PNP round %d", run, inv, first)
		}
	}
}
