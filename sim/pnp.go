package sim

import (
	"math"
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
	return pnpRegression(rounds, func(size int) float64 { return float64(size) })
}

// pnpLogFit is the least-squares line of the PNP cutoff on the natural
// logarithm of the round size over the last PNPWindow PNP rounds of
// rounds, at size. It reports false as pnpFit does.
//
// Why the logarithm: a PNP round's cutoff is the score of its last
// nominee, and the number of nominees above a score falls about
// geometrically with the score in the tail of the pool, so the cutoff
// falls by about the same number of points each time the round doubles.
// On the walk-forward of 2016-2022 (before every year the README reports)
// it was the best single forecaster of PNP rounds (MAE 27.8 against 29.1
// for the line on the size and 34.7 for the mean of the last 3), and the
// median of the forecasters with it the best of all (27.2); see
// docs/model.md.
func pnpLogFit(rounds []data.Round, size int) (float64, bool) {
	if size <= 0 {
		return 0, false
	}
	l, ok := pnpRegression(rounds, func(size int) float64 { return math.Log(float64(max(size, 1))) })
	return l.Intercept + l.Slope*math.Log(float64(size)), ok
}

// pnpRegression is the least-squares line of the cutoff on x(size) over
// the last PNPWindow PNP rounds of rounds.
func pnpRegression(rounds []data.Round, x func(size int) float64) (Line, bool) {
	var xs, ys []float64
	for j := len(rounds) - 1; j >= 0 && len(xs) < PNPWindow; j-- {
		if rounds[j].Family() == "pnp" {
			xs = append(xs, x(rounds[j].Invitations))
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
