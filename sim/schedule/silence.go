package schedule

import (
	"math/rand/v2"
	"slices"
	"sort"
	"time"

	"github.com/eesim/eesim/data"
)

// Silences is the record's evidence of how long a family that held rounds
// in the last year goes without one, seen from any day: the wait from the
// first of each month to the family's next round, in two classes by the
// family's pace over the year before (docs/model.md, "Schedule
// uncertainty"). The recent schedule repeats the last months' cadence, so
// alone it says a family that held rounds lately holds them again soon;
// the record says that a family at a slow pace went 8 months without a
// round about 4 times in 10 before 2024 (FST, FSW, CEC in 2021-2022),
// and one at a regular pace about once in 7 (general rounds from
// December 2020).
type Silences struct {
	// Frequent and Sparse are the Kaplan-Meier survival curves of the
	// wait, in days, of families with at least FrequentRounds rounds in
	// the year before the day, and with fewer.
	Frequent, Sparse Survival
}

// FrequentRounds is the fewest rounds in the year before a day that make
// a family's pace regular: one round every two months, the slowest
// cadence of the families IRCC ran as a routine in 2023-2025 (every 4 to
// 8 weeks for the most frequent categories: docs/domain.md, "Cadence and
// sizes"). Chosen a priori, not fitted.
const FrequentRounds = 6

// Survival is a Kaplan-Meier estimate (Kaplan and Meier, "Nonparametric
// estimation from incomplete observations", JASA 1958): S[i] is the
// share of waits longer than T[i] days. Waits still running at the start
// of the projection are censored there. Beyond the last T the curve stays
// at its last value: that share never ended within the record.
type Survival struct {
	T []int
	S []float64
	N int // observations, censored included
}

// Draw returns a wait drawn from s: the first T whose survival is at or
// below u, u uniform on [0, 1), or -1 (no end within the record) when the
// curve never falls that low.
func (s Survival) Draw(rng *rand.Rand) int {
	u := rng.Float64()
	i := sort.Search(len(s.S), func(i int) bool { return s.S[i] <= u })
	if i == len(s.S) {
		return -1
	}
	return s.T[i]
}

// At returns the share of waits longer than t days.
func (s Survival) At(t int) float64 {
	i := sort.SearchInts(s.T, t+1)
	if i == 0 {
		return 1
	}
	return s.S[i-1]
}

// kaplanMeier returns the survival curve of waits; done[i] is false when
// waits[i] is censored (the wait was still running at waits[i]).
func kaplanMeier(waits []int, done []bool) Survival {
	idx := make([]int, len(waits))
	for i := range idx {
		idx[i] = i
	}
	// At a tie an event comes before a censoring, as is usual.
	sort.SliceStable(idx, func(a, b int) bool {
		if waits[idx[a]] != waits[idx[b]] {
			return waits[idx[a]] < waits[idx[b]]
		}
		return done[idx[a]] && !done[idx[b]]
	})
	s := Survival{N: len(waits)}
	atRisk := len(waits)
	surv := 1.0
	for j := 0; j < len(idx); {
		t := waits[idx[j]]
		events, leave := 0, 0
		for ; j < len(idx) && waits[idx[j]] == t; j++ {
			if done[idx[j]] {
				events++
			}
			leave++
		}
		if events > 0 {
			surv *= 1 - float64(events)/float64(atRisk)
			s.T = append(s.T, t)
			s.S = append(s.S, surv)
		}
		atRisk -= leave
	}
	return s
}

// SilencesOf estimates Silences from the real rounds before start. From
// the first of every month before start, every family with a round in the
// 365 days before that day gives one wait: the days to its next round, or,
// when it holds none before start, a wait censored at start.
func SilencesOf(rounds []data.Round, start time.Time) Silences {
	byFam := roundDays(rounds, start)
	end := start.UTC().Truncate(day)
	var waits [2][]int
	var done [2][]bool
	for _, ds := range byFam {
		first := ds[0]
		d := time.Date(first.Year(), first.Month()+1, 1, 0, 0, 0, 0, time.UTC)
		for ; d.Before(end); d = d.AddDate(0, 1, 0) {
			from := d.AddDate(-1, 0, 0)
			lo := sort.Search(len(ds), func(i int) bool { return !ds[i].Before(from) })
			at := sort.Search(len(ds), func(i int) bool { return !ds[i].Before(d) })
			n := at - lo
			if n == 0 {
				continue
			}
			c := 0
			if n >= FrequentRounds {
				c = 1
			}
			if at < len(ds) {
				waits[c] = append(waits[c], days(ds[at].Sub(d)))
				done[c] = append(done[c], true)
			} else {
				waits[c] = append(waits[c], days(end.Sub(d)))
				done[c] = append(done[c], false)
			}
		}
	}
	return Silences{Sparse: kaplanMeier(waits[0], done[0]), Frequent: kaplanMeier(waits[1], done[1])}
}

// roundDays returns, per family, the days of its rounds before start, in
// order.
func roundDays(rounds []data.Round, start time.Time) map[string][]time.Time {
	byFam := map[string][]time.Time{}
	for _, r := range rounds {
		if roundInstant(r).Before(start) {
			byFam[r.Family()] = append(byFam[r.Family()], roundDay(r))
		}
	}
	for _, ds := range byFam {
		slices.SortFunc(ds, time.Time.Compare)
	}
	return byFam
}

// silenceEnds draws, for each family of fams in order, the end of its
// silence from start: the day its first round may come. A wait of at most
// PauseGapDays is the schedule's own cadence, which the recent schedule
// already holds, so it leaves the family as it is (start). A family with no
// round in the year before start, or a class with no observation, is left
// as it is too. A wait with no end is past every round (far future).
func (sl Silences) silenceEnds(fams []string, pace map[string]int, start time.Time, rng *rand.Rand) map[string]time.Time {
	out := make(map[string]time.Time, len(fams))
	for _, f := range fams {
		surv := sl.Sparse
		if pace[f] >= FrequentRounds {
			surv = sl.Frequent
		}
		if pace[f] == 0 || surv.N == 0 {
			out[f] = start
			continue
		}
		w := surv.Draw(rng)
		switch {
		case w < 0:
			out[f] = start.AddDate(100, 0, 0)
		case w > PauseGapDays:
			out[f] = start.Add(time.Duration(w) * day)
		default:
			out[f] = start
		}
	}
	return out
}
