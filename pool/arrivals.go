package pool

import (
	"cmp"
	"github.com/eesim/eesim/data"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mathext/prng"
	"gonum.org/v1/gonum/stat/distuv"
	"slices"
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
	guess   *Live                     // drawn one by one; live outside it are dormant (Synthesizer.SetGuess)
	sy      *Synthesizer              // whose MaterializeGhosts and SetLazy apply
	from    *[data.NumBands][]alias   // truncated score tables (Synthesizer.arrFrom)
	split   *liveSplit                // nil until first used, or after RaiseCategory
	// stale marks attribute tables whose category shares RaiseCategory
	// changed; Generate rebuilds them once, however many categories
	// were raised.
	stale bool
}

// ArrivalModel returns the arrival model implied by the synthetic pool:
// its rates are the expected sum of 1/W over the candidates Build draws,
// the same for every Build (ArrivalsFixed). A model with more categories
// than attrTables enumerates has no closed form for that expectation: it
// takes the sum over the candidates of the last Build.
//
// Live and guess sets (SetLive, SetGuess) apply to the arrival models
// returned after they are set; MaterializeGhosts and SetLazy apply to
// every Generate.
func (sy *Synthesizer) ArrivalModel() *ArrivalModel {
	am := &ArrivalModel{Rate: sy.inflow, catBits: sy.catBits, score: &sy.arrScore, cum: &sy.arrCum, live: sy.live,
		guess: sy.guess, sy: sy, from: &sy.arrFrom}
	if sy.ArrivalsFixed() {
		for b, c := range sy.spec.Counts {
			am.Rate[b] = 0
			if c > 0 {
				am.Rate[b] = float64(c) * sy.splitOf(b).invW
			}
		}
	}
	if am.guess == nil {
		am.guess = am.live
	}
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
	am.split = nil
}

// Scale multiplies every band's rate by f.
func (am *ArrivalModel) Scale(f float64) {
	for b := range am.Rate {
		am.Rate[b] *= f
	}
	am.split = nil
}

// Generate adds the profiles submitted in (from, to] (Unix seconds) to p,
// in submission order, and returns how many it added. Counts are Poisson.
// buf is scratch space, returned for reuse.
//
// With a Live set (Synthesizer.SetLive), arrivals are two independent
// Poisson processes, the thinning of one: live arrivals, drawn one by
// one, and ghosts, of which only the count per band is drawn, added as
// one GhostBatch. A ghost costs nothing.
func (am *ArrivalModel) Generate(p *Pool, from, to int64, rng *Rand, buf []float64) (int, []float64) {
	if to <= from {
		return 0, buf
	}
	if am.stale {
		for b := range am.attrs {
			am.attrs[b].setCategories()
		}
		am.stale = false
	}
	if am.live != nil && am.attrs[0].catsOf != nil {
		return am.generateSplit(p, from, to, rng, buf)
	}
	bands := newAlias(am.Rate[:])
	n, buf := am.instants(from, to, floats.Sum(am.Rate[:]), rng, buf)
	p.startBatch()
	for _, t := range buf {
		b := bands.draw(rng.Uint64())
		a, cats := am.attrs[b].draw(rng)
		s := data.BandEdges[b].Low + am.score[b].draw(rng.Uint64())
		if !am.sy.full && !am.live.Of(a, cats, s) {
			p.AddGhost(int64(t), b)
			continue
		}
		p.addBatched(s, int64(t), a, cats)
	}
	p.flushBatch()
	return n, buf
}

// instants draws the number of arrivals in (from, to] at rate (per
// second) and their instants, in order, into buf (as float64 seconds).
func (am *ArrivalModel) instants(from, to int64, rate float64, rng *Rand, buf []float64) (int, []float64) {
	buf = buf[:0]
	lambda := rate * float64(to-from)
	if lambda <= 0 {
		return 0, buf
	}
	n := int(distuv.Poisson{Lambda: lambda, Src: rng.Rand}.Rand())
	return n, sortedUniform(from, to, n, rng, buf)
}

// sortedUniform draws n instants independent and uniform over (from, to]
// (Unix seconds), in order, into buf (as float64 seconds), without
// sorting: the partial sums of n+1 standard exponentials, divided by their
// total, are distributed as the order statistics of n uniforms (Devroye,
// Non-Uniform Random Variate Generation, 1986, section V.2.2).
func sortedUniform(from, to int64, n int, rng *Rand, buf []float64) []float64 {
	buf = slices.Grow(buf[:0], n+1)[:n+1]
	sum := 0.0
	for i := range buf {
		sum += rng.ExpFloat64()
		buf[i] = sum
	}
	span := float64(to - from)
	buf = buf[:n]
	for i, v := range buf {
		buf[i] = float64(min(from+1+int64(v/sum*span), to))
	}
	return buf
}

// liveSplit are the tables of the live arrivals: their rate per band,
// and the band, class and lowest live score of a live arrival, drawn
// together from one table (all) of small entries, so that a draw reads
// little memory.
type liveSplit struct {
	// per second: arrivals in guess, live outside it, not live
	live, dormant, ghost [data.NumBands]float64
	all                  alias // over class
	class                []liveClass
	scores               []alias // score tables (ArrivalModel.scoreFrom), by liveClass.score
	// cols are all with its classes packed in, sets the category sets
	// they index (see pack); nil if the classes did not fit.
	cols []liveCol
	sets []CategorySet
}

// liveClass is a class of live arrivals in one band.
type liveClass struct {
	cats  CategorySet
	a     uint8 // attr bits
	low   int16 // lowest live score
	score int32 // index in liveSplit.scores of the table of offsets from lo
}

// liveSplit returns the split tables, computing them on first use.
func (am *ArrivalModel) liveSplit() *liveSplit {
	if am.split != nil {
		return am.split
	}
	sp := &liveSplit{}
	var all []float64
	tables := map[[2]int]int32{} // band, lo: index in sp.scores
	for b, e := range data.BandEdges {
		at := &am.attrs[b]
		cum := am.cum[b]
		total := cum[len(cum)-1]
		sub := at.subsetProbs()
		// above returns the offset in the band from which a class with
		// floor f is live, and the share of its arrivals there.
		above := func(f int) (int, float64) {
			lo := f - e.Low
			switch {
			case lo > e.High-e.Low:
				return lo, 0
			case lo <= 0:
				return 0, 1
			case total > 0:
				return lo, (total - cum[lo-1]) / total
			}
			return lo, float64(e.High-e.Low+1-lo) / float64(e.High-e.Low+1) // uniform: see NewSynthesizer
		}
		var w []float64
		liveShare, candShare := 0.0, 0.0
		for a, pa := range at.pAttr {
			for j, pj := range sub {
				if pa*pj <= 0 {
					continue
				}
				cats := at.catsOf[j]
				_, cand := above(am.live.floor(uint8(a), cats))
				candShare += pa * pj * cand
				lo, up := above(am.guess.floor(uint8(a), cats))
				if up <= 0 {
					continue
				}
				w = append(w, pa*pj*up)
				liveShare += pa * pj * up
				k, ok := tables[[2]int{b, lo}]
				if !ok {
					k = int32(len(sp.scores))
					tables[[2]int{b, lo}] = k
					sp.scores = append(sp.scores, am.scoreFrom(b, lo))
				}
				sp.class = append(sp.class, liveClass{a: uint8(a), cats: cats, low: int16(e.Low + lo), score: k})
			}
		}
		candShare = min(candShare, 1)
		liveShare = min(liveShare, candShare)
		sp.live[b] = am.Rate[b] * liveShare
		sp.dormant[b] = am.Rate[b] * (candShare - liveShare)
		sp.ghost[b] = am.Rate[b] * (1 - candShare)
		if len(w) == 0 {
			sp.live[b] = 0
		}
		// A class's weight among all live arrivals: its band's live rate
		// times its share of the band's live arrivals.
		sum := floats.Sum(w)
		for j := range w {
			all = append(all, sp.live[b]*w[j]/sum)
		}
	}
	if floats.Sum(sp.live[:]) > 0 {
		sp.all = newAlias(all)
		sp.pack()
	}
	am.split = sp
	return sp
}

// Limits of a packed liveClass (liveSplit.pack): its lowest live score
// in bits 0-10, attr bits in 11-14, score table in 15-21, category set in
// 22-31.
const (
	packScores = 1 << 7
	packSets   = 1 << 10
)

// liveCol is a column of liveSplit.all with its two classes packed in
// (liveSplit.pack), so that a draw reads one small entry.
type liveCol struct{ keep, own, alt uint32 }

// pack fills cols and sets from all and class, if the classes fit.
// A run draws a few thousand live arrivals between rounds from some ten
// thousand classes; by then the rounds have pushed the tables out of the
// cache, and a draw that read the alias column and then the class waited
// on two misses, one after the other.
func (sp *liveSplit) pack() {
	if len(sp.scores) > packScores {
		return
	}
	idx := map[CategorySet]uint32{}
	var sets []CategorySet
	packed := make([]uint32, len(sp.class))
	for i, c := range sp.class {
		k, ok := idx[c.cats]
		if !ok {
			k = uint32(len(sets))
			idx[c.cats] = k
			sets = append(sets, c.cats)
		}
		packed[i] = uint32(c.low) | uint32(c.a&15)<<11 | uint32(c.score)<<15 | k<<22
	}
	if len(sets) > packSets {
		return
	}
	sp.cols = make([]liveCol, len(sp.all))
	for i, e := range sp.all {
		sp.cols[i] = liveCol{keep: e.keep, own: packed[i], alt: packed[e.alt]}
	}
	sp.sets = sets
}

// scoreFrom returns the table of arrival scores in band b at offset lo or
// more, building it on first use.
func (am *ArrivalModel) scoreFrom(b, lo int) alias {
	if lo == 0 {
		return am.score[b]
	}
	e := data.BandEdges[b]
	if am.from[b] == nil {
		am.from[b] = make([]alias, e.High-e.Low+1)
	}
	if t := am.from[b][lo]; t != nil {
		return t
	}
	cum := am.cum[b]
	w := make([]float64, len(cum)-lo)
	for i := range w {
		w[i] = cum[lo+i] - cum[lo+i-1]
	}
	if floats.Sum(w) <= 0 {
		for i := range w {
			w[i] = 1
		}
	}
	am.from[b][lo] = newAlias(w)
	return am.from[b][lo]
}

// generateSplit is Generate with a Live set. Its random numbers are, in
// order: the ghost and dormant counts per band and the seeds of their
// batches, then the live arrivals; materialized batches draw from their
// own seeds. So whether dormant arrivals are kept as ghosts (lazy) or
// added changes no other number.
func (am *ArrivalModel) generateSplit(p *Pool, from, to int64, rng *Rand, buf []float64) (int, []float64) {
	sp := am.liveSplit()
	span := float64(to - from)
	batch := func(rate *[data.NumBands]float64) GhostBatch {
		g := GhostBatch{From: from, To: to}
		for b, r := range rate {
			if r > 0 {
				g.N[b] = int32(distuv.Poisson{Lambda: r * span, Src: rng.Rand}.Rand())
			}
		}
		g.Seed = rng.Uint64()
		return g
	}
	ghost, dormant := batch(&sp.ghost), batch(&sp.dormant)
	var extra []ghostArrival
	full, lazy := am.sy.full, am.sy.lazy
	if full {
		extra = am.materialize(&ghost, p.cuts, func(a uint8, cats CategorySet, s int) bool { return !am.live.Of(a, cats, s) })
	} else {
		p.AddGhostBatch(ghost)
	}
	if lazy && !full {
		p.AddGhostBatch(dormant)
	} else {
		extra = append(extra, am.materialize(&dormant, p.cuts, func(a uint8, cats CategorySet, s int) bool {
			return am.live.Of(a, cats, s) && !am.guess.Of(a, cats, s)
		})...)
		slices.SortStableFunc(extra, func(x, y ghostArrival) int { return cmp.Compare(x.t, y.t) })
	}
	n, buf := am.instants(from, to, floats.Sum(sp.live[:]), rng, buf)
	p.startBatch()
	if len(extra) == 0 && sp.cols != nil && (len(buf) == 0 || p.fits(int64(buf[0]))) {
		sp.fill(p, buf, rng)
	} else {
		for _, t := range buf {
			for len(extra) > 0 && extra[0].t <= int64(t) {
				extra[0].add(p)
				extra = extra[1:]
			}
			c := &sp.class[sp.all.draw(rng.Uint64())]
			s := int(c.low) + sp.scores[c.score].draw(rng.Uint64())
			p.addBatched(s, int64(t), c.a, c.cats)
		}
		for _, e := range extra {
			e.add(p)
		}
	}
	p.flushBatch()
	return n + ghost.Len() + dormant.Len(), buf
}

// fill adds a live arrival at each instant of ts, which must fit p's
// batch (Pool.fits), drawing the same numbers as generateSplit's loop.
// It is that loop when no materialized arrival comes between, kept apart
// and small so that its counters stay in registers: it writes the
// pool's columns directly.
//
//go:noinline
func (sp *liveSplit) fill(p *Pool, ts []float64, rng *Rand) {
	k := len(ts)
	if k == 0 {
		return
	}
	score, sub, hot, cats := p.extend(k, int64(ts[k-1]))
	cols, sets, scores, src := sp.cols, sp.sets, sp.scores, rng.src
	// The random numbers come first, block by block, so that the loop
	// over the tables makes no call and keeps its counters in registers.
	var us [2 * 256]uint64
	for lo := 0; lo < k; lo += len(us) / 2 {
		m := min(k-lo, len(us)/2)
		uint64s(src, us[:2*m])
		for i := range m {
			// sp.all.draw, reading the class from the column.
			u := us[2*i]
			e := cols[(u>>32)*uint64(len(cols))>>32]
			keep := -uint32((uint64(uint32(u)) - uint64(e.keep)) >> 63)
			c := e.alt ^ (e.alt^e.own)&keep
			s := int(c&2047) + scores[c>>15&(packScores-1)].draw(us[2*i+1])
			score[lo+i] = uint16(s)
			sub[lo+i] = int64(ts[lo+i])
			hot[lo+i] = uint8(c>>11&15) | uint8(Active)<<4
			cats[lo+i] = sets[c>>22]
		}
	}
}

// uint64s fills us with numbers from src, in order. It is a function of
// its own so that the loop around the calls has few registers to save.
//
//go:noinline
func uint64s(src *prng.Xoshiro256plusplus, us []uint64) {
	for i := range us {
		us[i] = src.Uint64()
	}
}

// ghostArrival is an arrival of a batch made a full candidate.
type ghostArrival struct {
	t    int64
	s    int
	a    uint8
	cats CategorySet
}

// add adds g to p's batch (see Pool.startBatch).
func (g ghostArrival) add(p *Pool) { p.addBatched(g.s, g.t, g.a, g.cats) }

// materialize returns the arrivals of batch g as candidates: the instants
// and bands of Expand, and attributes and scores drawn, from a stream of
// their own, from the arrivals of the band that in (rejection sampling).
func (am *ArrivalModel) materialize(g *GhostBatch, cuts []int64, in func(a uint8, cats CategorySet, s int) bool) []ghostArrival {
	var out []ghostArrival
	rng := NewRand(g.Seed, 1)
	g.Expand(cuts, func(t int64, b int) {
		for try := 0; ; try++ {
			a, cats := am.attrs[b].draw(rng)
			s := data.BandEdges[b].Low + am.score[b].draw(rng.Uint64())
			if in(a, cats, s) || try == maxTries {
				out = append(out, ghostArrival{t: t, s: s, a: a, cats: cats})
				return
			}
		}
	})
	return out
}
