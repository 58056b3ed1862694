package pool

import (
	"math/rand/v2"
	"slices"

	"github.com/eesim/eesim/data"
	"gonum.org/v1/gonum/stat/distuv"
)

// ArrivalModel generates new profiles: how many per band per second, with
// which attributes, and where in the band.
//
// Its default comes from the synthetic pool itself. In a pool where
// candidates arrive at a steady rate and stay until they expire or are
// invited, a candidate who can stay W seconds at its score stands for 1/W
// arrivals per second. So a band's arrival rate is the sum of 1/W over its
// candidates, and the attribute mix of arrivals weights each candidate by
// 1/W: classes that are invited quickly (short W) arrive more often than
// their share of the pool shows.
type ArrivalModel struct {
	Rate  [data.NumBands]float64 // arrivals per second
	kinds [data.NumBands][]arrivalKind
	cum   [data.NumBands][]float64
	score [data.NumBands][]float64 // cumulative arrival density within the band
}

type arrivalKind struct {
	attr uint8
	cats CategorySet
}

// ArrivalModel returns the arrival model implied by the last Build.
func (sy *Synthesizer) ArrivalModel() *ArrivalModel {
	am := &ArrivalModel{}
	for b := range sy.inflow {
		keys := make([]uint64, 0, len(sy.inflow[b]))
		for k := range sy.inflow[b] {
			keys = append(keys, k)
		}
		slices.Sort(keys) // map order must not reach the random stream
		acc := 0.0
		for _, k := range keys {
			acc += sy.inflow[b][k]
			am.kinds[b] = append(am.kinds[b], arrivalKind{attr: uint8(k), cats: CategorySet(k >> 8)})
			am.cum[b] = append(am.cum[b], acc)
		}
		am.Rate[b] = acc
		e := data.BandEdges[b]
		cdf := make([]float64, e.High-e.Low+1)
		w := 0.0
		for s := e.Low; s <= e.High; s++ {
			w += sy.spec.Model.arrivalWeight(b, s)
			cdf[s-e.Low] = w
		}
		am.score[b] = cdf
	}
	return am
}

// CategoryRate returns the rate (per second) of arrivals holding any of
// the category bits cats with a score of minScore or more.
func (am *ArrivalModel) CategoryRate(cats CategorySet, minScore int) float64 {
	r := 0.0
	for b := range am.Rate {
		if len(am.cum[b]) == 0 || data.BandEdges[b].High < minScore {
			continue
		}
		above := 1.0
		if e := data.BandEdges[b]; minScore > e.Low {
			sc := am.score[b]
			total := sc[len(sc)-1]
			above = (total - sc[minScore-e.Low-1]) / total
		}
		w, prev := 0.0, 0.0
		for i, k := range am.kinds[b] {
			if k.cats&cats != 0 {
				w += am.cum[b][i] - prev
			}
			prev = am.cum[b][i]
		}
		r += am.Rate[b] * above * w / am.cum[b][len(am.cum[b])-1]
	}
	return r
}

// RaiseCategory adds arrivals holding category bit cat, in the bands and
// with the attributes they already arrive with, until those scoring
// minScore or more come at rate (per second). Arrivals of other kinds are
// unchanged. It does nothing when the rate is already reached or no
// arrival holds the category.
func (am *ArrivalModel) RaiseCategory(cat CategorySet, rate float64, minScore int) {
	cur := am.CategoryRate(cat, minScore)
	if cur <= 0 || cur >= rate {
		return
	}
	f := rate / cur
	for b := range am.Rate {
		n := len(am.cum[b])
		if n == 0 {
			continue
		}
		total := am.cum[b][n-1]
		acc, prev := 0.0, 0.0
		for i, k := range am.kinds[b] {
			w := am.cum[b][i] - prev
			prev = am.cum[b][i]
			if k.cats&cat != 0 {
				w *= f
			}
			acc += w
			am.cum[b][i] = acc
		}
		am.Rate[b] *= acc / total
	}
}

// Scale multiplies every band's rate by f.
func (am *ArrivalModel) Scale(f float64) {
	for b := range am.Rate {
		am.Rate[b] *= f
	}
}

// Generate adds the profiles submitted in (from, to] (Unix seconds) to p,
// in submission order, and returns how many it added. Counts are Poisson.
// buf is scratch space, returned for reuse.
func (am *ArrivalModel) Generate(p *Pool, from, to int64, rng *rand.Rand, buf []float64) (int, []float64) {
	if to <= from {
		return 0, buf
	}
	var bandCum [data.NumBands]float64
	total := 0.0
	for b, r := range am.Rate {
		total += r
		bandCum[b] = total
	}
	lambda := total * float64(to-from)
	if lambda <= 0 {
		return 0, buf
	}
	n := int(distuv.Poisson{Lambda: lambda, Src: rng}.Rand())
	// n sorted uniform instants without sorting: the partial sums of n+1
	// standard exponentials, divided by their total, are distributed as
	// the order statistics of n uniforms (Devroye, Non-Uniform Random
	// Variate Generation, 1986, section V.2.2).
	buf = buf[:0]
	sum := 0.0
	for i := 0; i < n; i++ {
		sum += rng.ExpFloat64()
		buf = append(buf, sum)
	}
	sum += rng.ExpFloat64()
	span := float64(to - from)
	for _, v := range buf {
		t := from + 1 + int64(v/sum*span)
		if t > to {
			t = to
		}
		b := searchCDF(bandCum[:], rng.Float64()*total)
		k := am.kinds[b]
		if len(k) == 0 {
			continue
		}
		kind := k[searchCDF(am.cum[b], rng.Float64()*am.cum[b][len(am.cum[b])-1])]
		sc := am.score[b]
		s := data.BandEdges[b].Low + searchCDF(sc, rng.Float64()*sc[len(sc)-1])
		p.AddRaw(s, t, kind.attr, kind.cats)
	}
	return n, buf
}
