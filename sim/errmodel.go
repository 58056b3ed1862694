package sim

import (
	"math"
	"slices"
	"strings"
	"time"

	"github.com/eesim/eesim/data"
	"github.com/eesim/eesim/pool"
	"github.com/eesim/eesim/sim/schedule"
	"gonum.org/v1/gonum/stat"
)

// ErrorModel is the model's own error, as the record measured it before
// a projection's start: per round family, the one-step walk-forward
// errors (simulated minus real cutoff, CRS points) the calibrator made
// on the family's last rounds (see Calibrator.ErrorModel). A projection
// adds it to every run's simulated cutoffs, so that the spread of the
// runs is a predictive distribution and not only Monte Carlo noise
// (docs/model.md, "Predictive distribution").
//
// Per run and family, the error is a level shared by the family's
// rounds in the run plus a noise of its own per round. Each is a
// resampled past error (a bootstrap: the record's tails stay heavy where
// they were), centred on the errors' bias when the errors agree on one
// (see consistent), and scaled so that the two add up to the past
// errors' variance: the level by sqrt(LevelShare), the noise by
// sqrt(1-LevelShare). The level makes the rounds of a run agree, as the
// record's errors do (a model off in one round is off in the next), which
// is what decides a candidate's odds over several rounds.
type ErrorModel struct {
	// Errors holds, per family, the family's last one-step errors,
	// oldest first.
	Errors map[string][]float64 `json:"errors"`
	// Pooled holds the last errors of every family but PNP: a family
	// with fewer than minOwnErrors errors of its own takes their spread
	// (not their bias).
	Pooled []float64 `json:"pooled"`
	// LevelShare is the share of the error variance that is a level
	// shared by a family's rounds within a run.
	LevelShare float64 `json:"level_share"`
	// Lines, per family, replace the pool's cutoff with a line on the
	// round size, and Errors holds the line's own errors: PNP rounds,
	// whose cutoff the line forecasts better (docs/model.md). The pool
	// still invites the nominees.
	Lines map[string]Line `json:"lines,omitempty"`
	// Priors, per family with no real round before the start, are draws
	// of a first cutoff learned from the first rounds of earlier
	// categories (NewFamilyPrior): a run's rounds of the family take one
	// as their level, and their rows say NewFamily.
	Priors map[string][]float64 `json:"priors,omitempty"`
}

// WithRecord returns a copy of m completed from the real rounds before
// start for a projection of sched: the PNP line (PNPForecast) with its own
// last errors (PNPErrors), and a prior for every family of sched with no
// round before start (NewFamilyPrior). m may be nil (no measured error):
// the result then has the line and priors only.
func (m *ErrorModel) WithRecord(rounds []data.Round, start time.Time, sched []schedule.ScheduledRound) *ErrorModel {
	out := &ErrorModel{Errors: map[string][]float64{}, LevelShare: DefaultLevelShare}
	if m != nil {
		out.Pooled = slices.Clone(m.Pooled)
		out.LevelShare = m.LevelShare
		for f, es := range m.Errors {
			out.Errors[f] = slices.Clone(es)
		}
	}
	end := len(rounds)
	for end > 0 && !rounds[end-1].Instant.Before(start) {
		end--
	}
	if l, ok := pnpLine(rounds[:end]); ok {
		if es := PNPErrors(rounds, start, residualWindow); len(es) >= minOwnErrors {
			out.Lines = map[string]Line{"pnp": l}
			out.Errors["pnp"] = es
		}
	}
	seen := map[string]bool{}
	for i := range rounds[:end] {
		seen[rounds[i].Family()] = true
	}
	for _, r := range sched {
		f := r.Family()
		if seen[f] {
			continue
		}
		seen[f] = true
		if out.Priors == nil {
			out.Priors = map[string][]float64{}
		}
		_, _, _, out.Priors[f] = NewFamilyPrior(rounds, start, 0, f)
	}
	return out
}

// DefaultLevelShare is ErrorModel.LevelShare by default: half of the
// one-step error persists within a run. It is chosen a priori, not fitted:
// with 15 errors per family, their lag-one autocorrelation is too noisy
// to estimate it (its standard error is about 0.26).
const DefaultLevelShare = 0.5

// minOwnErrors is the fewest errors of its own a family needs for its
// own error distribution (Adjust uses the same rule).
const minOwnErrors = 4

// familyError is one family's compiled error: subtract bias, then add
// resampled members of -resid.
type familyError struct {
	bias  float64
	resid []float64 // centred errors; never empty
	line  *Line     // when not nil, the cutoff is the line's, not the pool's
	prior []float64 // when not nil, the level is one of these cutoffs
}

// compiledErrors is an ErrorModel ready for runs.
type compiledErrors struct {
	fams       map[string]familyError
	fallback   familyError // for families with too few errors
	level, own float64     // the scales of the level and of the noise
}

// compile returns m ready for runs, or nil when m is nil or holds no
// errors at all.
func (m *ErrorModel) compile() *compiledErrors {
	if m == nil {
		return nil
	}
	share := m.LevelShare
	if share <= 0 || share > 1 {
		share = DefaultLevelShare
	}
	c := &compiledErrors{fams: map[string]familyError{}, level: math.Sqrt(share), own: math.Sqrt(1 - share)}
	if len(m.Pooled) > 0 {
		c.fallback = familyError{resid: centred(m.Pooled, errorMedian(m.Pooled))}
	}
	for f, es := range m.Errors {
		if len(es) < minOwnErrors {
			continue
		}
		med := errorMedian(es)
		fe := familyError{resid: centred(es, med)}
		if consistent(es) {
			// A bias the errors agree on is corrected; otherwise the
			// simulated cutoff stays the centre (as Adjust does).
			fe.bias = med
		}
		if l, ok := m.Lines[f]; ok {
			fe.line = &l
		}
		c.fams[f] = fe
	}
	for f, p := range m.Priors {
		if len(p) == 0 {
			continue
		}
		// The prior's spread stands for the level; each round adds the
		// pooled noise.
		c.fams[f] = familyError{resid: c.fallback.resid, prior: p}
	}
	if len(c.fams) == 0 && c.fallback.resid == nil {
		return nil
	}
	return c
}

// of returns family f's error.
func (c *compiledErrors) of(f string) familyError {
	if fe, ok := c.fams[f]; ok {
		return fe
	}
	return c.fallback
}

// perturb adds the model's error to the cutoffs of one run's rows (in
// round order), drawing from rng: per family a level, per round a noise.
// A row with no cutoff (nobody invited) keeps none, but for a new family
// (ErrorModel.Priors), whose cutoff is the prior's. Cutoffs stay within
// [floor, pool.MaxScore], floor being 600 for PNP rounds (only nominees,
// who hold 600 points, are ranked in them) and 0 for the others. The
// simulated cutoff is kept in SimCutoff.
func (c *compiledErrors) perturb(rows []data.RunRow, rng *pool.Rand) {
	var fams []string
	var levels []float64
	for i := range rows {
		r := &rows[i]
		r.SimCutoff = r.Cutoff
		if c == nil {
			continue
		}
		fe := c.of(r.Family)
		// A new family's cutoff is its prior's, whether or not the
		// synthetic pool, which holds nobody of a category it never saw,
		// invited anyone.
		if fe.resid == nil && fe.prior == nil || r.Cutoff < 0 && fe.prior == nil {
			continue
		}
		j := slices.Index(fams, r.Family)
		if j < 0 {
			j = len(fams)
			fams = append(fams, r.Family)
			if fe.prior != nil {
				levels = append(levels, fe.prior[rng.IntN(len(fe.prior))])
			} else {
				levels = append(levels, c.level*fe.resid[rng.IntN(len(fe.resid))])
			}
		}
		noise := 0.0
		if fe.resid != nil {
			noise = c.own * fe.resid[rng.IntN(len(fe.resid))]
		}
		var v float64
		switch {
		case fe.prior != nil:
			// levels[j] is a cutoff, not an error.
			v = levels[j] - noise
			r.NewFamily = true
		case fe.line != nil:
			v = fe.line.At(int(r.Size)) - fe.bias - levels[j] - noise
		default:
			v = float64(r.Cutoff) - fe.bias - levels[j] - noise
		}
		floor := 0.0
		if r.Family == "pnp" {
			floor = pool.NominationPoints
		}
		r.Cutoff = int32(math.Max(floor, math.Min(pool.MaxScore, math.Round(v))))
	}
}

// centred returns es minus m.
func centred(es []float64, m float64) []float64 {
	out := make([]float64, len(es))
	for i, e := range es {
		out[i] = e - m
	}
	return out
}

// errorMedian is the median of es (gonum's empirical quantile).
func errorMedian(es []float64) float64 {
	return stat.Quantile(0.5, stat.Empirical, sortedCopy(es), nil)
}

// ErrorModel returns the model's one-step walk-forward errors so far, per
// family, for a projection to add to its runs (see ErrorModel).
func (c *Calibrator) ErrorModel() *ErrorModel {
	m := &ErrorModel{Errors: map[string][]float64{}, LevelShare: DefaultLevelShare}
	prefix := WalkForward + "/"
	for key, res := range c.resid {
		fam, ok := strings.CutPrefix(key, prefix)
		if !ok || len(res) == 0 {
			continue
		}
		if fam == "*" {
			m.Pooled = slices.Clone(res)
			continue
		}
		m.Errors[fam] = slices.Clone(res)
	}
	return m
}
