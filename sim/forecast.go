package sim

import (
	"math"
	"sort"
)

// Forecasters of a real round's cutoff, compared by the walk-forward
// selection (docs/model.md, "Walk-forward forecasts of real rounds"). On a
// tie the earlier in this list wins.
const (
	MethodModel     = "model"          // the calibrated pool model's corrected median (predictRound)
	MethodLast      = "last"           // the family's last cutoff
	MethodMean3     = "mean3"          // the mean of its last 3
	MethodPNP       = "pnp-regression" // PNPForecast
	MethodPNPLog    = "pnp-log-size"   // pnpLogFit: the line on the log of the round size
	MethodMedian    = "median"         // the median of the above, when at least 3 exist
	MethodNewFamily = "new-family"     // NewFamilyPrior, for a category's first round
)

// methods are the candidates of the selection, in tie-break order.
var methods = [...]string{MethodModel, MethodLast, MethodMean3, MethodPNP, MethodPNPLog, MethodMedian}

const nMethods = len(methods)

// candidates holds one forecast per method (NaN: not available).
type candidates [nMethods]float64

func noCandidates() candidates {
	var c candidates
	for i := range c {
		c[i] = math.NaN()
	}
	return c
}

// withMedian fills in the median candidate: the median of the others when
// at least 3 of them exist. With one forecaster far off (the pool model
// after a surprise, a stale last cutoff) the median follows the other two.
func (c candidates) withMedian() candidates {
	var xs []float64
	for i, m := range methods {
		if m != MethodMedian && !math.IsNaN(c[i]) {
			xs = append(xs, c[i])
		}
	}
	c[len(methods)-1] = math.NaN()
	if len(xs) >= 3 {
		sort.Float64s(xs)
		c[len(methods)-1] = median(xs)
	}
	return c
}

// pastForecast is a round already forecast: the candidates it had, the
// real cutoff, and which candidate was chosen (-1: none of them, e.g. the
// new-family prior).
type pastForecast struct {
	c      candidates
	real   float64
	chosen int
	pred   float64
}

// selector chooses, for each round, the forecaster with the least total
// absolute error over its family's earlier rounds, and sets the interval
// from the chosen forecaster's own past errors (split-conformal). It only
// learns from rounds it was told about (observe) after forecasting them,
// so it is leak-free when rounds are fed in time order.
type selector struct {
	byFam map[string][]pastForecast
	// pooled holds the absolute errors of the forecasts made (chosen or
	// prior) of every family but PNP, in time order: the interval of a
	// family with too few errors of its own. PNP cutoffs sit at the noisy
	// low edge of a few hundred nominees, and their errors would swamp
	// the others.
	pooled []float64
	// alpha is, per family, the miss rate the next interval aims at:
	// adaptive conformal inference (aciAlpha, aciGamma).
	alpha map[string]float64
}

func newSelector() *selector {
	return &selector{byFam: map[string][]pastForecast{}, alpha: map[string]float64{}}
}

// aciAlpha is the intervals' target miss rate: 80% intervals.
const aciAlpha = 0.2

// aciGamma is the step of adaptive conformal inference (Gibbs and Candès,
// "Adaptive conformal inference under distribution shift", NeurIPS 2021):
// after each round of a family, its level alpha moves by
// aciGamma × (aciAlpha - miss), miss being 1 when the real cutoff fell
// outside the interval. A family whose intervals miss too often widens
// them, one that always covers narrows them, and over T rounds the miss
// rate is within (1 + aciGamma) / (aciGamma T) of aciAlpha whatever the
// errors do. 0.2 was chosen on the walk-forward of 2016-2022 only (before
// every year the README reports): of 0.01, 0.05, 0.1 and 0.2, it broke the
// acceptance bounds (a year's coverage in 75-85%, a family's with 10
// rounds or more in 65-95%) in the fewest of those years, one (2017, 69%)
// against two for each of the others.
const aciGamma = 0.2

// level returns the coverage the next interval of fam aims at.
func (s *selector) level(fam string) float64 {
	a, ok := s.alpha[fam]
	if !ok {
		a = aciAlpha
	}
	return 1 - a
}

// adapt moves fam's level after a round whose interval covered the real
// cutoff or not.
func (s *selector) adapt(fam string, covered bool) {
	a, ok := s.alpha[fam]
	if !ok {
		a = aciAlpha
	}
	miss := 1.0
	if covered {
		miss = 0
	}
	s.alpha[fam] = a + aciGamma*(aciAlpha-miss)
}

// choose returns the index of the chosen method for a round of family fam
// with candidates c (-1 when none is available), and the errors (forecast
// minus real) of that method on the family's earlier rounds.
//
// The score of a method is its total absolute error over the family's
// earlier rounds on which every method available now was available too,
// so that methods are compared on the same rounds. A family without such
// rounds takes the model if it has one, else the first available method.
func (s *selector) choose(fam string, c candidates) (int, []float64) {
	past := s.byFam[fam]
	var avail []int
	for i := range c {
		if !math.IsNaN(c[i]) {
			avail = append(avail, i)
		}
	}
	if len(avail) == 0 {
		return -1, nil
	}
	score := make([]float64, nMethods)
	common := 0
	for _, p := range past {
		all := true
		for _, i := range avail {
			if math.IsNaN(p.c[i]) {
				all = false
				break
			}
		}
		if !all {
			continue
		}
		common++
		for _, i := range avail {
			score[i] += math.Abs(p.c[i] - p.real)
		}
	}
	best := avail[0]
	if common > 0 {
		for _, i := range avail[1:] {
			if score[i] < score[best] {
				best = i
			}
		}
	}
	var errs []float64
	for _, p := range past {
		if !math.IsNaN(p.c[best]) {
			errs = append(errs, p.c[best]-p.real)
		}
	}
	return best, recent(errs)
}

// observe records a forecast round of family fam once its cutoff is known.
func (s *selector) observe(fam string, c candidates, real float64, chosen int, pred float64) {
	s.byFam[fam] = append(s.byFam[fam], pastForecast{c: c, real: real, chosen: chosen, pred: pred})
	if fam != "pnp" && !math.IsNaN(pred) {
		s.pooled = append(s.pooled, math.Abs(pred-real))
	}
}

// recent returns the last residualWindow of errs: the interval follows the
// family's recent errors (a family's errors shrink as the calibration
// settles, and grow when IRCC changes course). residualWindow is the
// calibrator's window for the same purpose (Adjust); it was not tuned for
// this selection.
func recent(errs []float64) []float64 {
	if len(errs) > residualWindow {
		return errs[len(errs)-residualWindow:]
	}
	return errs
}

// minErrors is the fewest own errors an interval is taken from: with
// fewer, the pooled errors.
const minErrors = 4

// conformalRadius is the split-conformal radius of an interval of
// coverage level from past errors: the ⌈level(n+1)⌉-th smallest absolute
// error of n (Vovk, Gammerman and Shafer, "Algorithmic Learning in a
// Random World", 2005; Lei et al., "Distribution-free predictive
// inference for regression", JASA 2018, split conformal). Split conformal
// makes the interval infinite when that rank is past the last error;
// here it is the largest error, so that an interval stays finite, and
// the level of adaptive conformal inference keeps rising while it misses.
// It reports false with fewer than minErrors errors.
func conformalRadius(errs []float64, level float64) (float64, bool) {
	n := len(errs)
	if n < minErrors {
		return 0, false
	}
	a := make([]float64, n)
	for j, e := range errs {
		a[j] = math.Abs(e)
	}
	sort.Float64s(a)
	i := int(math.Ceil(level * float64(n+1)))
	return a[max(1, min(i, n))-1], true
}

// interval returns the radius of fam's next interval, of coverage
// s.level(fam), for a forecast whose method's own past errors are errs:
// from them when there are enough, else from the pooled errors of all
// families but PNP, else false. how says which.
func (s *selector) interval(fam string, errs []float64) (rad float64, how string, ok bool) {
	lv := s.level(fam)
	if r, ok := conformalRadius(errs, lv); ok {
		return r, "own errors", true
	}
	if r, ok := conformalRadius(recent(s.pooled), lv); ok {
		return r, "pooled errors", true
	}
	return 0, "", false
}
