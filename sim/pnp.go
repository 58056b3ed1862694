package sim

import (
	"slices"
	"time"

	"github.com/eesim/eesim/data"
	"gonum.org/v1/gonum/stat"
)

// PNPWindow is how many PNP rounds PNPForecast fits its line on: the last
// 40 before the round forecast (about two years of rounds at the 2024-2025
// pace). 40 is the number the forecast was specified with, not a fit; see
// docs/model.md, "Walk-forward forecasts of real rounds".
const PNPWindow = 40

// pnpMinRounds is the fewest PNP rounds PNPForecast fits a line on: two
// points always fit exactly, so three is the least that says anything.
const pnpMinRounds = 3

// PNPForecast forecasts the cutoff of a PNP round of size invitations run
// at before: the least-squares line of the cutoff on the round size over
// the last PNPWindow PNP rounds (data.Round.Family "pnp") whose Instant is
// before before. It reports false when fewer than pnpMinRounds such rounds
// exist or their sizes are all equal. rounds must be in time order. It is
// a pure function of its arguments: leak-free when before is the instant
// of the round forecast.
//
// A PNP round invites about every nominee in the pool, so its cutoff is the
// lowest nominee's score; a bigger round reaches further down. The line is
// the simplest use of that (docs/model.md).
func PNPForecast(rounds []data.Round, before time.Time, size int) (pred float64, ok bool) {
	end := len(rounds)
	for end > 0 && !rounds[end-1].Instant.Before(before) {
		end--
	}
	return pnpFit(rounds[:end], size)
}

// pnpFit is PNPForecast over all of rounds, which are before the round.
func pnpFit(rounds []data.Round, size int) (float64, bool) {
	l, ok := pnpLine(rounds)
	return l.At(size), ok
}

// Line is a forecast of a family's cutoff as a line on the round size.
type Line struct {
	Intercept float64 `json:"intercept"`
	Slope     float64 `json:"slope"` // CRS points per invitation
}

// At is the line at size.
func (l Line) At(size int) float64 { return l.Intercept + l.Slope*float64(size) }

// pnpLine is PNPForecast's line over all of rounds.
func pnpLine(rounds []data.Round) (Line, bool) {
	var xs, ys []float64
	for j := len(rounds) - 1; j >= 0 && len(xs) < PNPWindow; j-- {
		if rounds[j].Family() == "pnp" {
			xs = append(xs, float64(rounds[j].Invitations))
			ys = append(ys, float64(rounds[j].Cutoff))
		}
	}
	if len(xs) < pnpMinRounds || slices.Min(xs) == slices.Max(xs) {
		return Line{}, false
	}
	alpha, beta := stat.LinearRegression(xs, ys, nil, false)
	return Line{Intercept: alpha, Slope: beta}, true
}

// PNPErrors returns the errors (forecast minus real cutoff) of PNPForecast's
// own walk-forward forecasts of the last n PNP rounds before before, oldest
// first: each forecast uses only the rounds before the round it forecasts.
// Rounds PNPForecast could not forecast are skipped, so fewer than n errors
// may come back. rounds must be in time order.
func PNPErrors(rounds []data.Round, before time.Time, n int) []float64 {
	var idx []int
	for j := len(rounds) - 1; j >= 0 && len(idx) < n; j-- {
		if rounds[j].Family() == "pnp" && rounds[j].Instant.Before(before) {
			idx = append(idx, j)
		}
	}
	var errs []float64
	for i := len(idx) - 1; i >= 0; i-- {
		r := &rounds[idx[i]]
		if p, ok := PNPForecast(rounds[:idx[i]], r.Instant, r.Invitations); ok {
			errs = append(errs, p-float64(r.Cutoff))
		}
	}
	return errs
}
