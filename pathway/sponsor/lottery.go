package sponsor

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Model is how the pool of PGP interests changes from year to year.
type Model uint8

// Pool models (see the package documentation).
const (
	// Fixed: same interests every year, invitees leave, nobody joins.
	Fixed Model = iota
	// Replenished: back to N interests every year, independent selections.
	Replenished
)

func (m Model) String() string {
	switch m {
	case Fixed:
		return "fixed"
	case Replenished:
		return "replenished"
	}
	return fmt.Sprintf("Model(%d)", uint8(m))
}

// ParseModel reads "fixed" or "replenished".
func ParseModel(s string) (Model, error) {
	switch s {
	case "fixed":
		return Fixed, nil
	case "replenished":
		return Replenished, nil
	}
	return 0, fmt.Errorf("unknown pool model %q (want fixed or replenished)", s)
}

// Lottery is the PGP random selection: Interests submitted, and Quota
// invitations each year (IRCC selects at random, up to a yearly number of
// invitations; docs/domain.md, "Sponsorship"). Both are supplied by the user.
type Lottery struct {
	Interests int
	Quota     int
	Model     Model
}

// Validate checks that both counts are positive.
func (l Lottery) Validate() error {
	if l.Interests < 1 {
		return fmt.Errorf("interests: %d, want at least 1", l.Interests)
	}
	if l.Quota < 1 {
		return fmt.Errorf("quota: %d, want at least 1", l.Quota)
	}
	return nil
}

// PerYear returns the chance of an invitation in year 1: min(1, Q/N).
func (l Lottery) PerYear() float64 { return math.Min(1, float64(l.Quota)/float64(l.Interests)) }

// Cumulative returns, for k = 1..years, the chance of an invitation within
// the first k years.
func (l Lottery) Cumulative(years int) []float64 {
	out := make([]float64, years)
	p := l.PerYear()
	for k := 1; k <= years; k++ {
		switch l.Model {
		case Fixed:
			out[k-1] = math.Min(1, float64(k)*float64(l.Quota)/float64(l.Interests))
		case Replenished:
			out[k-1] = 1 - math.Pow(1-p, float64(k))
		}
	}
	return out
}

// Conditional returns, for k = 1..years, the chance of an invitation in
// year k for a sponsor not invited before. Fixed: Q / (N - (k-1)Q), capped
// at 1 (the pool shrinks); Replenished: Q/N every year.
func (l Lottery) Conditional(years int) []float64 {
	out := make([]float64, years)
	for k := 1; k <= years; k++ {
		left := float64(l.Interests - (k-1)*l.Quota)
		if l.Model == Replenished {
			left = float64(l.Interests)
		}
		if left <= 0 {
			out[k-1] = math.NaN() // nobody left
			continue
		}
		out[k-1] = math.Min(1, float64(l.Quota)/left)
	}
	return out
}

// SimResult is the outcome of Simulate.
type SimResult struct {
	Trials int
	// Focal[k-1] is the share of trials in which one given sponsor (the
	// first interest) was invited within k years, and FocalSE its
	// binomial standard error.
	Focal, FocalSE []float64
	// Cohort[k-1] is the mean share of the first year's N interests
	// invited within k years.
	Cohort []float64
}

// Simulate runs the selection itself, trials times, for years years: each
// year draws Quota interests uniformly without replacement from the pool
// (a partial Fisher-Yates shuffle), with the pool changing as the model
// says. It checks Cumulative by a second method. rng must not be nil.
// The cost is trials x (Interests + years x Quota).
func (l Lottery) Simulate(years, trials int, rng *rand.Rand) SimResult {
	n, q := l.Interests, l.Quota
	res := SimResult{Trials: trials, Focal: make([]float64, years), FocalSE: make([]float64, years), Cohort: make([]float64, years)}
	slots := make([]int32, n) // ids of the interests in the pool; >= n are newcomers
	focalHits := make([]int, years)
	for range trials {
		for i := range slots {
			slots[i] = int32(i)
		}
		invitedCohort := 0
		focalYear := -1
		start := 0 // Fixed: slots[:start] are gone
		next := int32(n)
		for y := range years {
			avail := n - start
			take := min(q, avail)
			for i := range take {
				j := start + i + rng.IntN(avail-i)
				slots[start+i], slots[j] = slots[j], slots[start+i]
				id := slots[start+i]
				if id < int32(n) {
					invitedCohort++
					if id == 0 && focalYear < 0 {
						focalYear = y
					}
				}
			}
			if l.Model == Fixed {
				start += take
			} else {
				for i := range take {
					slots[i] = next // a new interest replaces the invitee
					next++
				}
			}
			res.Cohort[y] += float64(invitedCohort) / float64(n)
			if focalYear >= 0 {
				focalHits[y]++
			}
		}
	}
	for y := range years {
		p := float64(focalHits[y]) / float64(trials)
		res.Focal[y] = p
		res.FocalSE[y] = math.Sqrt(p * (1 - p) / float64(trials))
		res.Cohort[y] /= float64(trials)
	}
	return res
}
