package sim

import (
	"math"
	"sort"
	"time"

	"github.com/eesim/eesim/data"
)

// FirstRound is the first round of a category family: what a round of a
// category never seen before can learn from.
type FirstRound struct {
	Family  string
	Instant time.Time
	Size    int
	Cutoff  int
	// Ref is the reference cutoff when it ran (ReferenceCutoff): the last
	// general or CEC cutoff before it.
	Ref float64
}

// Offset is the first cutoff minus the reference cutoff of its day.
func (f FirstRound) Offset() float64 { return float64(f.Cutoff) - f.Ref }

// ReferenceCutoff returns the cutoff of the last general or CEC round
// before at (NaN if none): the cutoff the whole pool (general) or its
// largest federal class (CEC, the only all-comers rounds since 2024-04)
// commanded. A category ranks a subset of the same candidates, so its
// cutoff for a round of similar size sits at or below that.
func ReferenceCutoff(rounds []data.Round, at time.Time) float64 {
	for j := len(rounds) - 1; j >= 0; j-- {
		r := &rounds[j]
		if !r.Instant.Before(at) {
			continue
		}
		if f := r.Family(); f == "general" || f == "cec" {
			return float64(r.Cutoff)
		}
	}
	return math.NaN()
}

// FirstRounds returns the first round of every category family whose first
// round ran before before, in time order, with their reference cutoffs.
// Program families (general, CEC, FSW, FST, PNP) are not categories and are
// left out. rounds must be in time order.
func FirstRounds(rounds []data.Round, before time.Time) []FirstRound {
	seen := map[string]bool{}
	var out []FirstRound
	for j := range rounds {
		r := &rounds[j]
		if !r.Instant.Before(before) {
			break
		}
		if r.Type != data.Category || seen[r.Family()] {
			continue
		}
		seen[r.Family()] = true
		out = append(out, FirstRound{Family: r.Family(), Instant: r.Instant, Size: r.Invitations, Cutoff: r.Cutoff,
			Ref: ReferenceCutoff(rounds[:j], r.Instant)})
	}
	return out
}

// Settings of the new-family prior (docs/model.md, "Walk-forward forecasts
// of real rounds"). They were set before looking at any category round:
//   - newFamilyFloor: 350, the floor the calibrator already assumes for a
//     family never seen (capacityFloor), the top of the pool's wide 301-350
//     band;
//   - newFamilyMinFirsts: with fewer than 3 earlier first rounds their
//     spread says little, so the interval is also stretched over the wide
//     fallback [newFamilyFloor, reference].
const (
	newFamilyFloor     = 350
	newFamilyMinFirsts = 3
)

// NewFamilyPrior is the predictive distribution of the cutoff of the first
// round of a category (size invitations, run at at), learned from the
// first rounds of the other categories before at (FirstRounds), leaving out
// family exclude (empty: none). size is not used: the seven first rounds of
// 2023-2025 show no link between size and cutoff (500 invitations gave 476
// and 486; 600 gave 354). See PriorFromFirsts.
func NewFamilyPrior(rounds []data.Round, at time.Time, size int, exclude string) (pred, lo80, hi80 float64, samples []float64) {
	var firsts []FirstRound
	for _, f := range FirstRounds(rounds, at) {
		if f.Family != exclude {
			firsts = append(firsts, f)
		}
	}
	return PriorFromFirsts(firsts, ReferenceCutoff(rounds, at), size)
}

// PriorFromFirsts is NewFamilyPrior given the first rounds to learn from
// and the reference cutoff ref of the round forecast (NaN if none).
//
// The samples are two views of each earlier first round: its cutoff as it
// was, and its offset below its reference applied to ref (a category first
// round has landed 10 to 150 points under the general or CEC cutoff of its
// day). The prediction is the median of the first cutoffs themselves: on
// the six first rounds of 2023 (leave-one-out) that did better than the
// offsets or both views pooled (MAE 39 against 57 and 50), so it was chosen
// on data before 2024. The 80% interval spans the lowest to the highest
// sample: with six or fewer points, their range is the narrowest honest
// band, and it is skewed low because first cutoffs scatter far below the
// reference and never far above. With fewer than newFamilyMinFirsts first
// rounds, the interval also spans [newFamilyFloor, ref] and the samples
// gain a grid over it; with none, that fallback is all there is and the
// prediction is its middle.
func PriorFromFirsts(firsts []FirstRound, ref float64, size int) (pred, lo80, hi80 float64, samples []float64) {
	var levels []float64
	for _, f := range firsts {
		levels = append(levels, float64(f.Cutoff))
		samples = append(samples, float64(f.Cutoff))
		if !math.IsNaN(ref) && !math.IsNaN(f.Ref) {
			samples = append(samples, ref+f.Offset())
		}
	}
	top := ref
	if math.IsNaN(top) {
		top = 600 // the top of the bands below the nominees' 601-1200
	}
	if len(firsts) < newFamilyMinFirsts {
		// Eleven points from the floor to the reference, both ends included.
		for i := 0; i <= 10; i++ {
			samples = append(samples, newFamilyFloor+float64(i)/10*(top-newFamilyFloor))
		}
	}
	sort.Float64s(samples)
	sort.Float64s(levels)
	lo80, hi80 = samples[0], samples[len(samples)-1]
	if len(levels) == 0 {
		pred = (newFamilyFloor + top) / 2
	} else {
		pred = median(levels)
	}
	return pred, lo80, hi80, samples
}

// median returns the median of sorted xs (the mean of the two middle
// values when their number is even).
func median(xs []float64) float64 {
	n := len(xs)
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}
