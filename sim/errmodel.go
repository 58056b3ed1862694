package sim

import (
	"math"
	"slices"
	"strings"

	"github.com/eesim/eesim/data"
	"github.com/eesim/eesim/pool"
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
		c.fams[f] = fe
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
// A row with no cutoff (nobody invited) keeps none. Cutoffs stay within
// [floor, pool.MaxScore], floor being 600 for PNP rounds (only nominees,
// who hold 600 points, are ranked in them) and 0 for the others. The
// simulated cutoff is kept in SimCutoff.
func (c *compiledErrors) perturb(rows []data.RunRow, rng *pool.Rand) {
	var fams []string
	var levels []float64
	for i := range rows {
		r := &rows[i]
		r.SimCutoff = r.Cutoff
		if c == nil || r.Cutoff < 0 {
			continue
		}
		fe := c.of(r.Family)
		if fe.resid == nil {
			continue
		}
		j := slices.Index(fams, r.Family)
		if j < 0 {
			j = len(fams)
			fams = append(fams, r.Family)
			levels = append(levels, c.level*fe.resid[rng.IntN(len(fe.resid))])
		}
		e := fe.bias + levels[j] + c.own*fe.resid[rng.IntN(len(fe.resid))]
		floor := 0.0
		if r.Family == "pnp" {
			floor = pool.NominationPoints
		}
		v := math.Round(float64(r.Cutoff) - e)
		r.Cutoff = int32(math.Max(floor, math.Min(pool.MaxScore, v)))
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
