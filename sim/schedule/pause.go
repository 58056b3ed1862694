package schedule

import (
	"math/rand/v2"
	"slices"
	"time"

	"github.com/eesim/eesim/data"
)

// PauseGapDays is the gap, in days, between two rounds of a family beyond
// which the record counts a pause: longer than any gap of the families'
// regular cadence (a draw week every 14 days for programs, every 4 to 8
// weeks for the most frequent categories in 2023-2025: docs/domain.md,
// "Cadence and sizes"), and short of the record's stops (general rounds
// from 2020-12-23 to 2022-07-06; CEC from 2021-09-14 to 2022-07-06; the
// categories that held no round after early 2024). Chosen a priori, not
// fitted.
const PauseGapDays = 90

// pausePriorDays is the weight, in days of activity, of the pooled pause
// rate in a family's own (PausesOf): one year, chosen a priori, so that a
// family with a short record takes about the pooled rate and one with
// years of rounds its own.
const pausePriorDays = 365

// Pauses is the record's evidence that a family stops holding rounds for
// months: the recent schedule repeats the last months' cadence, which
// holds no such stop, yet the record has many (docs/model.md, "Schedule
// uncertainty").
type Pauses struct {
	// Rate is, per family, the rate of pauses per day of activity.
	Rate map[string]float64
	// Pooled is the rate of every family together: a family with no rate
	// of its own (none in the record) takes it.
	Pooled float64
	// Lengths are the record's pauses, in days: every gap longer than
	// PauseGapDays between two rounds of a family, and the time since a
	// family's last round when that is longer (a pause still going on,
	// whose length is at least that), in order of family and time.
	Lengths []int
	// Silences are the record's waits for a family's next round, and
	// Pace the number of each family's rounds in the year before the
	// start, which picks the family's class.
	Silences Silences
	Pace     map[string]int
}

// PausesOf estimates Pauses from the real rounds before start.
//
// Method: for each family, its rounds' days before start in order give
// gaps, plus the open gap from its last round to start. A gap longer than
// PauseGapDays is a pause; a family is active for min(gap, PauseGapDays)
// days of every gap, so a pause counts the days up to the point where it
// became one. The pooled rate is all pauses over all active days; a
// family's rate is (pauses + pooled × pausePriorDays) / (active days +
// pausePriorDays), a gamma-Poisson shrinkage towards the pooled rate.
func PausesOf(rounds []data.Round, start time.Time) Pauses {
	byFam := map[string][]time.Time{}
	var fams []string
	for _, r := range rounds {
		if !roundInstant(r).Before(start) {
			continue
		}
		f := r.Family()
		if _, ok := byFam[f]; !ok {
			fams = append(fams, f)
		}
		byFam[f] = append(byFam[f], roundDay(r))
	}
	slices.Sort(fams)
	type tally struct{ pauses, active float64 }
	tallies := make([]tally, len(fams))
	var p Pauses
	var all tally
	for i, f := range fams {
		ds := byFam[f]
		slices.SortFunc(ds, time.Time.Compare)
		ds = append(ds, start.UTC().Truncate(day))
		var t tally
		for j := 1; j < len(ds); j++ {
			g := days(ds[j].Sub(ds[j-1]))
			t.active += float64(min(g, PauseGapDays))
			if g > PauseGapDays {
				t.pauses++
				p.Lengths = append(p.Lengths, g)
			}
		}
		tallies[i] = t
		all.pauses += t.pauses
		all.active += t.active
	}
	if all.active > 0 {
		p.Pooled = all.pauses / all.active
	}
	p.Silences = SilencesOf(rounds, start)
	p.Pace = map[string]int{}
	yearAgo := start.AddDate(-1, 0, 0)
	for f, ds := range byFam {
		for _, d := range ds {
			if !d.Before(yearAgo) {
				p.Pace[f]++
			}
		}
	}
	p.Rate = make(map[string]float64, len(fams))
	for i, f := range fams {
		t := tallies[i]
		p.Rate[f] = (t.pauses + p.Pooled*pausePriorDays) / (t.active + pausePriorDays)
	}
	return p
}

// Apply returns s without the rounds that fall in silences and pauses
// drawn with rng, family by family in sorted order: first the family's
// wait for its next round (Silences, by its Pace; a wait within the
// cadence changes nothing); from the end of that wait, its pauses begin
// as a Poisson process of its Rate on its active time, and each lasts a
// length drawn from Lengths. The family's rounds inside a silence or a
// pause are dropped. Apply returns s itself when it drew neither.
func (p Pauses) Apply(s []ScheduledRound, start time.Time, rng *rand.Rand) []ScheduledRound {
	if len(s) == 0 {
		return s
	}
	var fams []string
	seen := map[string]bool{}
	stop := start
	for _, r := range s {
		if f := r.Family(); !seen[f] {
			seen[f] = true
			fams = append(fams, f)
		}
		if r.Instant.After(stop) {
			stop = r.Instant
		}
	}
	slices.Sort(fams)
	type span struct{ from, to time.Time }
	paused := map[string][]span{}
	ends := p.Silences.silenceEnds(fams, p.Pace, start, rng)
	for _, f := range fams {
		t := ends[f]
		if t.After(start) {
			paused[f] = append(paused[f], span{start, t})
		}
		rate, ok := p.Rate[f]
		if !ok {
			rate = p.Pooled
		}
		if rate <= 0 || len(p.Lengths) == 0 {
			continue
		}
		for {
			t = t.Add(time.Duration(rng.ExpFloat64() / rate * float64(day)))
			if t.After(stop) {
				break
			}
			l := p.Lengths[rng.IntN(len(p.Lengths))]
			end := t.Add(time.Duration(l) * day)
			paused[f] = append(paused[f], span{t, end})
			t = end
		}
	}
	if len(paused) == 0 {
		return s
	}
	out := make([]ScheduledRound, 0, len(s))
	for _, r := range s {
		in := false
		for _, sp := range paused[r.Family()] {
			if !r.Instant.Before(sp.from) && r.Instant.Before(sp.to) {
				in = true
				break
			}
		}
		if !in {
			out = append(out, r)
		}
	}
	return out
}
