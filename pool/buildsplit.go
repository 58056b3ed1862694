package pool

import (
	"cmp"
	"slices"
	"sort"

	"github.com/eesim/eesim/data"
	"gonum.org/v1/gonum/stat/distuv"
)

// Statuses of a synthetic candidate, by what the rounds of the run can do
// with it (see SetLive and SetGuess).
const (
	statLive    = iota // in the guess: drawn one by one
	statDormant        // live, outside the guess
	statGhost          // no round can invite it
)

// segment is a part of a band's synthetic pool in which class (a, cats)
// has one window (win seconds: keyTables.win) and one status, over the
// scores lo..hi. Its weight in the band's pool mix, its mass, is the
// class's arrival share times the window times the arrival density over
// lo..hi. It is small, so that drawing one reads little memory.
type segment struct {
	cats   CategorySet
	win    int32 // at most 12 months
	lo, hi int16
	a      uint8
}

// winGroup is the part of a band with one status and one window.
type winGroup struct {
	win  int64
	mass float64
	seg  []segment
	w    []float64 // the masses of seg
	tab  alias     // over seg; nil until first materialized
}

// bandSplit is a band's synthetic pool split by status and window, so that
// Build draws how many candidates fall in each part and then draws only the
// live ones one by one.
type bandSplit struct {
	mass    [3]float64 // per status
	live    alias      // over liveSeg
	liveSeg []segment
	groups  [3][]winGroup // statDormant and statGhost, by window, longest first
	// invW is the expected 1/W of a candidate of the band (its window,
	// in seconds): the arrival rate it stands for (ArrivalModel).
	invW float64
}

// floorOf is l.floor, with a nil l making every candidate live.
func floorOf(l *Live, a uint8, cats CategorySet) int {
	if l == nil {
		return 0
	}
	return l.floor(a, cats)
}

// breaksOf returns the scores s at which the window of t changes (win[s] !=
// win[s-1]), computing them on first use.
func (t *keyTables) breaksOf() []int {
	if t.breaks == nil {
		t.breaks = []int{}
		for s := 1; s <= MaxScore; s++ {
			if t.win[s] != t.win[s-1] {
				t.breaks = append(t.breaks, s)
			}
		}
	}
	return t.breaks
}

// splitOf returns the split of band b, computing it on first use (SetLive
// and SetGuess forget it). It needs the band's pool mix (mixOf not nil).
func (sy *Synthesizer) splitOf(b int) *bandSplit {
	if sp := sy.split[b]; sp != nil {
		return sp
	}
	mix := sy.mixOf(b)
	e := data.BandEdges[b]
	cum := sy.arrCum[b]
	// No arrival density in the band: Build spreads scores uniformly and
	// the pool mix is the arrival mix (see mixOf).
	flat := !(cum[len(cum)-1] > 0)
	guess := sy.guess
	if guess == nil {
		guess = sy.live
	}
	sp := &bandSplit{}
	var lw []float64
	idx := [3]map[int64]int{nil, {}, {}}
	var cuts []int
	for _, c := range mix.class {
		lf, gf := floorOf(sy.live, c.a, c.cats), floorOf(guess, c.a, c.cats)
		cuts = append(cuts[:0], e.Low, e.High+1)
		br := c.t.breaksOf()
		cuts = append(cuts, br[sort.SearchInts(br, e.Low+1):sort.SearchInts(br, e.High+1)]...)
		for _, f := range [2]int{lf, gf} {
			if f > e.Low && f <= e.High {
				cuts = append(cuts, f)
			}
		}
		slices.Sort(cuts)
		cuts = slices.Compact(cuts)
		for i := 0; i+1 < len(cuts); i++ {
			lo, hi := cuts[i], cuts[i+1]-1
			win := c.t.win[lo]
			var m float64
			if flat {
				m = c.q * float64(hi-lo+1)
			} else {
				below := 0.0
				if lo > e.Low {
					below = cum[lo-1-e.Low]
				}
				m = c.q * float64(win) * (cum[hi-e.Low] - below)
			}
			if !(m > 0) {
				continue
			}
			st := statGhost
			switch {
			case lo >= gf:
				st = statLive
			case lo >= lf:
				st = statDormant
			}
			seg := segment{a: c.a, cats: c.cats, lo: int16(lo), hi: int16(hi), win: int32(win)}
			sp.mass[st] += m
			sp.invW += m / float64(win)
			if st == statLive {
				sp.liveSeg = append(sp.liveSeg, seg)
				lw = append(lw, m)
				continue
			}
			j, ok := idx[st][win]
			if !ok {
				j = len(sp.groups[st])
				idx[st][win] = j
				sp.groups[st] = append(sp.groups[st], winGroup{win: win})
			}
			g := &sp.groups[st][j]
			g.mass += m
			g.seg = append(g.seg, seg)
			g.w = append(g.w, m)
		}
	}
	if len(lw) > 0 {
		sp.live = newAlias(lw)
	}
	if total := sp.mass[statLive] + sp.mass[statDormant] + sp.mass[statGhost]; total > 0 {
		sp.invW /= total
	}
	for st := statDormant; st <= statGhost; st++ {
		slices.SortFunc(sp.groups[st], func(x, y winGroup) int { return cmp.Compare(y.win, x.win) })
	}
	sy.split[b] = sp
	return sp
}

// scoreIn draws a score of segment g of band b from u, uniform in [0, 1),
// by the arrival density over the segment (its window is constant), or
// uniformly when the band has none: the inverse of the cumulated density,
// found with a guide table (Chen and Asau, 1974; Devroye 1986, section
// III.2.4).
func (sy *Synthesizer) scoreIn(b int, g *segment, u float64) int {
	if g.lo == g.hi {
		return int(g.lo)
	}
	e := data.BandEdges[b]
	cum := sy.arrCum[b]
	lo, hi := int(g.lo)-e.Low, int(g.hi)-e.Low
	below := 0.0
	if lo > 0 {
		below = cum[lo-1]
	}
	top := cum[hi]
	if !(top > below) {
		return int(g.lo) + min(int(u*float64(hi-lo+1)), hi-lo)
	}
	x := below + u*(top-below)
	// The first score whose cumulated density passes x: from the guide
	// entry of x, a step or two on average.
	guide := sy.arrGuide[b]
	k := min(int(x/cum[len(cum)-1]*float64(len(guide))), len(guide)-1)
	i := min(max(int(guide[k]), lo), hi) // x may round to the top of the segment
	for i < hi && cum[i] <= x {
		i++
	}
	return e.Low + i
}

// binomial draws from Binomial(n, p).
func binomial(n int, p float64, rng *Rand) int {
	switch {
	case n <= 0 || !(p > 0):
		return 0
	case p >= 1:
		return n
	}
	return int(distuv.Binomial{N: float64(n), P: p, Src: rng.Rand}.Rand())
}

// buildSplit is Build when every band has a pool mix. Its random numbers
// are, band by band: the number of live, dormant and ghost candidates;
// the live ones, one by one; then, for the dormant and the ghosts, their
// number per window and the seed of each such batch. A batch is kept as
// a GhostBatch (the ghosts, and the dormant when lazy) or made into
// candidates from its own seed (materialize), so that whether it is
// changes no other random number.
//
// The arrival model does not depend on what buildSplit draws: see
// ArrivalModel.
func (sy *Synthesizer) buildSplit(p *Pool, rng *Rand) {
	sy.batches = sy.batches[:0]
	for b, count := range sy.spec.Counts {
		if count == 0 {
			continue
		}
		sp := sy.splitOf(b)
		var n [3]int
		n[statLive] = binomial(count, sp.mass[statLive]/(sp.mass[statLive]+sp.mass[statDormant]+sp.mass[statGhost]), rng)
		n[statDormant] = binomial(count-n[statLive], sp.mass[statDormant]/(sp.mass[statDormant]+sp.mass[statGhost]), rng)
		n[statGhost] = count - n[statLive] - n[statDormant]
		for range n[statLive] {
			g := &sp.liveSeg[sp.live.draw(rng.Uint64())]
			s := sy.scoreIn(b, g, rng.Float64())
			sub := sy.at - int64(rng.Float64()*float64(g.win))
			sy.addRec(sub, s, g.a, g.cats, b)
		}
		for st := statDormant; st <= statGhost; st++ {
			left, mass := n[st], sp.mass[st]
			for i := range sp.groups[st] {
				g := &sp.groups[st][i]
				k := left
				if i < len(sp.groups[st])-1 {
					k = binomial(left, g.mass/mass, rng)
				}
				left -= k
				mass -= g.mass
				if k == 0 {
					continue
				}
				batch := GhostBatch{From: sy.at - g.win, To: sy.at, Seed: rng.Uint64()}
				batch.N[b] = int32(k)
				if sy.full || st == statDormant && !sy.lazy {
					sy.materialize(b, g, &batch, p.cuts)
				} else {
					sy.batches = append(sy.batches, batch)
				}
			}
		}
	}
	sy.tmp = radixSort(sy.recs, sy.tmp)
	p.addRecs(sy.recs, sy.at-validitySeconds-1)
	for _, g := range sy.batches {
		p.AddGhostBatch(g)
	}
}

// materialize makes the batch of group g of band b candidates: their
// instants are the batch's (GhostBatch.Expand), their classes and scores
// drawn from the group's segments with a stream of the batch's seed.
func (sy *Synthesizer) materialize(b int, g *winGroup, batch *GhostBatch, cuts []int64) {
	if g.tab == nil {
		g.tab = newAlias(g.w)
	}
	r := NewRand(batch.Seed, 0x63656c6c) // "cell"
	sy.spacing = batch.expand(cuts, sy.spacing, func(sub int64, _ int) {
		seg := &g.seg[g.tab.draw(r.Uint64())]
		sy.addRec(sub, sy.scoreIn(b, seg, r.Float64()), seg.a, seg.cats, b)
	})
}

// addRec appends a candidate to Build's records (see synthRec).
func (sy *Synthesizer) addRec(sub int64, s int, a uint8, cats CategorySet, b int) {
	sy.recs = append(sy.recs, synthRec{
		key: uint64(sub - (sy.at - validitySeconds - 1)),
		val: uint64(s) | uint64(a)<<11 | uint64(b)<<16 | uint64(cats)<<32,
	})
}

// ArrivalsFixed reports whether ArrivalModel returns the same model
// whatever Build drew, so that one model can serve every run.
func (sy *Synthesizer) ArrivalsFixed() bool { return sy.mixOf(0) != nil }
