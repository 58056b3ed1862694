package sim

import (
	"github.com/eesim/eesim/data"
	"github.com/eesim/eesim/pool"
)

// DefaultModel returns the uncalibrated pool model: the starting point of
// calibration, and what eesim uses with --model default. Shares are per
// band in data.BandEdges order (601-1200, 501-600, 491-500 ... 401-410,
// 351-400, 301-350, 0-300). Every number is a prior to be calibrated; the
// reasoning is in sim/doc.go.
func DefaultModel() *pool.Model {
	m := &pool.Model{
		// Provincial nominees: 600 points plus a core score. PNP-only
		// rounds in 2023-2025 invited about as many as the 601-1200 band
		// held and stopped at 663-855 (docs/domain.md, "Cadence and sizes"): their
		// cutoff is the lowest nominee's score. So nominee scores start
		// at an edge near the typical cutoff, and thin out above it.
		TopFloor: 720,
		TopScale: 120,
	}
	// Within 501-600 arrivals thin out with score: the implied share of
	// the band at or above a general round's cutoff falls by about half
	// every 9-10 points (docs/domain.md, "The 501-600 band is bottom-heavy"), part of which is
	// draining by rounds (the window model) and part arrival density.
	m.Tilt[1] = 0.03
	for b := range m.Tilt {
		m.FSW[b] = 0.7
		m.FST[b] = 0.03
	}
	// Canadian experience rises with score: CEC candidates earn Canadian
	// work, study and transferability points.
	cec := [data.NumBands]float64{0.6, 0.55, 0.5, 0.5, 0.48, 0.46, 0.44, 0.42, 0.4, 0.38, 0.36, 0.34, 0.3, 0.2, 0.1}
	m.CEC = cec
	// Without a nomination a score cannot pass 600 (core and
	// transferability max out at 600), so 601-1200 is all nominees.
	m.Nominated[0] = 1
	// Every category holder is drained by the category rounds it was
	// eligible for (see pool.Model.CategoryPersist): category rounds cut
	// deep right after a round (French 2024-02: 365, then 336 four weeks
	// later), which a persist share of 0.5 (half never drained) cannot
	// reproduce.
	// Candidates who gain a category in the pool then enter as arrivals
	// after the round, which is what the share learns. Chosen on the
	// replay of 2022-2025 (in-sample, 10 runs): French replay MAE with a
	// capacity guard at the median of the last 5 cutoffs less 40: 22.7
	// (0.5) and 23.9 (1); without it 48.9 (0.5) and 17.5 (1), 19.2 (0.95),
	// 47.8 (0.7): with 1 the model holds what big rounds need, and
	// capacityFloor (the lowest recent cutoff) does not hold them up.
	m.CategoryPersist = 1
	flat := func(v float64) (a [data.NumBands]float64) {
		for b := range a {
			a[b] = v
		}
		a[0] = v / 4 // the top band is nearly all nominees, who are not ranked in category rounds
		return a
	}
	m.Categories = []pool.CategoryShare{
		{Key: "french", Share: flat(0.06)},
		{Key: "healthcare", Share: flat(0.06)},
		{Key: "stem", Share: flat(0.15)},
		{Key: "trades", Share: flat(0.04)},
		{Key: "transport", Share: flat(0.02)},
		{Key: "agriculture", Share: flat(0.01)},
		{Key: "education", Share: flat(0.02)},
	}
	return m
}

// registerModel registers every category of m in reg, so that workers
// never add keys concurrently.
func registerModel(m *pool.Model, reg *pool.Registry) error {
	for _, c := range m.Categories {
		if _, err := reg.Bit(c.Key); err != nil {
			return err
		}
	}
	return nil
}
