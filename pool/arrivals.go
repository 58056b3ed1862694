package pool

import (
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
// candidates. Arrivals take the band's arrival shares of programs,
// nomination and categories (the model's, before rounds drained some
// classes from the pool) and its arrival density of scores: weighting each
// pool candidate by 1/W gives the same mix in expectation.
type ArrivalModel struct {
	Rate    [data.NumBands]float64 // arrivals per second
	attrs   [data.NumBands]attrTables
	catBits []CategorySet
	score   *[data.NumBands]alias     // score offset within the band
	cum     *[data.NumBands][]float64 // arrival density within the band, cumulated
	live    *Live                     // nil: all live
	// stale marks attribute tables whose category shares RaiseCategory
	// changed; Generate rebuilds them once, however many categories
	// were raised.
	stale bool
}

// ArrivalModel returns the arrival model implied by the last Build.
func (sy *Synthesizer) ArrivalModel() *ArrivalModel {
	am := &ArrivalModel{Rate: sy.inflow, catBits: sy.catBits, score: &sy.arrScore, cum: &sy.arrCum, live: sy.live}
	for b, at := range sy.attrs {
		// Own copies of the category shares: RaiseCategory changes them.
		at.share = append([]float64(nil), at.share...)
		am.attrs[b] = at
	}
	return am
}

// CategoryRate returns the rate (per second) of arrivals holding any of
// the category bits cats with a score of minScore or more.
func (am *ArrivalModel) CategoryRate(cats CategorySet, minScore int) float64 {
	r := 0.0
	for b, rate := range am.Rate {
		if rate == 0 || data.BandEdges[b].High < minScore {
			continue
		}
		above := 1.0
		if e := data.BandEdges[b]; minScore > e.Low {
			sc := am.cum[b]
			total := sc[len(sc)-1]
			above = (total - sc[minScore-e.Low-1]) / total
		}
		none := 1.0
		for k, bit := range am.catBits {
			if bit&cats != 0 {
				none *= 1 - am.attrs[b].share[k]
			}
		}
		r += rate * above * (1 - none)
	}
	return r
}

// RaiseCategory adds arrivals holding category bit cat (one bit), in the
// bands and with the attributes they already arrive with, until those
// scoring minScore or more come at rate (per second): in every band the
// arrivals holding it are multiplied by one factor, so the band's rate
// grows and the category's share in it rises. Arrivals of other kinds are
// unchanged. It does nothing when the rate is already reached or no
// arrival holds the category.
func (am *ArrivalModel) RaiseCategory(cat CategorySet, rate float64, minScore int) {
	cur := am.CategoryRate(cat, minScore)
	if cur <= 0 || cur >= rate {
		return
	}
	f := rate / cur
	for b := range am.Rate {
		at := &am.attrs[b]
		for k, bit := range am.catBits {
			if bit != cat {
				continue
			}
			// Weight s of holders becomes s f, 1-s of the others stays.
			s := at.share[k]
			grow := 1 - s + s*f
			at.share[k] = s * f / grow
			am.Rate[b] *= grow
		}
	}
	am.stale = true
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
func (am *ArrivalModel) Generate(p *Pool, from, to int64, rng *Rand, buf []float64) (int, []float64) {
	if to <= from {
		return 0, buf
	}
	total := 0.0
	for _, r := range am.Rate {
		total += r
	}
	lambda := total * float64(to-from)
	if lambda <= 0 {
		return 0, buf
	}
	if am.stale {
		for b := range am.attrs {
			am.attrs[b].setCategories()
		}
		am.stale = false
	}
	bands := newAlias(am.Rate[:])
	n := int(distuv.Poisson{Lambda: lambda, Src: rng.Rand}.Rand())
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
		b := bands.draw(rng.u64())
		a, cats := am.attrs[b].draw(rng)
		s := data.BandEdges[b].Low + am.score[b].draw(rng.u64())
		if !am.live.Of(a, cats) {
			p.AddGhost(t, b)
			continue
		}
		p.AddRaw(s, t, a, cats)
	}
	return n, buf
}
