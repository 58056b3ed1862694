package pool

import (
	"github.com/eesim/eesim/data"
)

// keyTables are the tables of one table key: the window win[s] in seconds
// a candidate at score s can have stayed; per band, the weight z[b] of
// the band (the sum over its scores of arrival density times window) and
// the alias table of scores with those weights.
type keyTables struct {
	win    [MaxScore + 1]int64
	z      [data.NumBands]float64
	score  [data.NumBands]alias
	breaks []int // scores where win changes (breaksOf); nil until first used
}

// freshBit marks, in a table key, a candidate whose categories are recent:
// category rounds did not drain it.
const freshBit = 1 << 7

// scoreTable returns the alias table of scores in band b for the key of
// t, building it on first use: a key seen only in a few bands (most, in a
// small pool) never builds the others. arrW is the arrival density.
func (t *keyTables) scoreTable(b int, arrW []float64) alias {
	e := data.BandEdges[b]
	w := make([]float64, e.High-e.Low+1)
	for s := e.Low; s <= e.High; s++ {
		w[s-e.Low] = arrW[s] * float64(t.win[s])
	}
	t.score[b] = newAlias(w)
	return t.score[b]
}

// maxRelevant bounds the categories with rounds in the 12 months before a
// snapshot (the table of keys has 256 << maxRelevant entries). IRCC ran
// rounds for at most six categories in any 12 months to 2025.
const maxRelevant = 12

// tableKey returns the index in sy.tables of attr (attribute bits and
// freshBit) and the relevant bits of cats, packed.
func (sy *Synthesizer) tableKey(attr uint8, cats CategorySet) int {
	key := int(attr)
	for i, bit := range sy.relBits {
		if cats&bit != 0 {
			key |= 256 << i
		}
	}
	return key
}

func (sy *Synthesizer) tablesFor(attr uint8, cats CategorySet) *keyTables {
	key := sy.tableKey(attr, cats)
	if t := sy.tables[key]; t != nil {
		return t
	}
	// The tables depend only on which drains apply: keys with the same
	// drains (most category sets, which no category round drained)
	// share them.
	var sig drainSet
	shared := len(sy.spec.Drains) <= len(sig)*64
	if shared {
		for i := range sy.spec.Drains {
			if sy.drainApplies(&sy.spec.Drains[i], attr, cats) {
				sig[i/64] |= 1 << (i % 64)
			}
		}
		if t := sy.bySet[sig]; t != nil {
			sy.tables[key] = t
			return t
		}
	}
	t := &keyTables{}
	floor := sy.at - validitySeconds
	full := sy.at - floor
	// A drain at cutoff c bounds the window of every score above c by
	// the time since the round, and of c itself by the time since its
	// tie-break instant: take the minimum per score in one sweep up.
	var above, exact [MaxScore + 2]int64
	for s := range above {
		above[s], exact[s] = full, full
	}
	for i := range sy.spec.Drains {
		d := &sy.spec.Drains[i]
		if !sy.drainApplies(d, attr, cats) {
			continue
		}
		c := min(max(d.Cutoff, 0), MaxScore)
		w := max(sy.at-d.At, 1)
		wc := w
		if d.TieBreak != 0 {
			wc = max(sy.at-d.TieBreak, 1)
		}
		exact[c] = min(exact[c], wc)
		above[c+1] = min(above[c+1], w)
	}
	run := full
	for s := range t.win {
		run = min(run, above[s])
		t.win[s] = min(run, exact[s])
	}
	for b, e := range data.BandEdges {
		for s := e.Low; s <= e.High; s++ {
			t.z[b] += sy.arrW[s] * float64(t.win[s])
		}
	}
	sy.tables[key] = t
	if shared {
		if sy.bySet == nil {
			sy.bySet = map[drainSet]*keyTables{}
		}
		sy.bySet[sig] = t
	}
	return t
}

// drainSet is a set of drains, by index (up to 256).
type drainSet [4]uint64

// drainApplies reports whether drain d bounds the window of candidates
// with table key bits attr (freshBit included) and categories cats: it is
// in the 12 months before the snapshot, they were eligible for it, and
// it is not a category round when their categories are fresh.
func (sy *Synthesizer) drainApplies(d *Drain, attr uint8, cats CategorySet) bool {
	return d.At > sy.at-validitySeconds && d.At <= sy.at && d.applies(attr&15, cats) &&
		(d.Cats == 0 || attr&freshBit == 0)
}

// maxTries bounds the rejection sampling of a candidate's class; past it
// the last class drawn is kept (only a band drained of every class could
// get there).
const maxTries = 1000

// attrTables are a band's attribute distributions, precomputed so that
// an arrival's programs, nomination and categories take as few random
// numbers as possible: one for the programs and nomination, one to decide
// whether any category is held (and which is the first), then one per
// later category only when one is held.
type attrTables struct {
	pAttr [16]float64 // probability of each attr value (data.Programs bits, data.PNP = nominated)
	share []float64   // the share holding each category, model order
	bits  []CategorySet
	// joint draws the attr value and the categories held together, from
	// one random number. An outcome is coded attr<<10 | j: j is the
	// subset of categories held (bit k: category k), whose bits catsOf
	// gives; with more than maxJointCats categories, j is instead the
	// first category held (0 for none, k+1 for category k) and each later
	// category takes one more random number.
	joint  []jointEntry
	catsOf []CategorySet
}

// jointEntry is a column of an alias table (see alias) that holds the
// coded outcomes themselves, so that a draw reads one entry.
type jointEntry struct {
	keep      uint32
	self, alt uint16
}

// maxJointCats bounds the categories whose every subset gets a column of
// the joint table (16 << 10 columns at most).
const maxJointCats = 10

// newAttrTables returns the tables of a band with the given program and
// nomination shares and category shares; bits[k] is the bit of category k.
func newAttrTables(cec, fsw, fst, nom float64, share []float64, bits []CategorySet) attrTables {
	at := attrTables{share: share, bits: bits}
	for progs := 0; progs < 8; progs++ {
		pr := 1.0
		for i, sh := range []float64{cec, fsw, fst} {
			if progs&(1<<i) != 0 {
				pr *= sh
			} else {
				pr *= 1 - sh
			}
		}
		a := progs
		if a == 0 {
			a = int(data.FSW) // every profile in the pool meets a federal program
		}
		at.pAttr[a] += pr * (1 - nom)
		at.pAttr[a|int(data.PNP)] += pr * nom
	}
	if len(share) <= maxJointCats {
		at.catsOf = make([]CategorySet, 1<<len(share))
		for s := range at.catsOf {
			for k, b := range bits {
				if s&(1<<k) != 0 {
					at.catsOf[s] |= b
				}
			}
		}
	}
	at.setCategories()
	return at
}

// subsetProbs returns the probability of each j of the joint table's
// codes (see attrTables.joint).
func (at *attrTables) subsetProbs() []float64 {
	if len(at.share) > maxJointCats {
		sub := make([]float64, len(at.share)+1) // the first category held
		none := 1.0
		for i, sh := range at.share {
			sub[i+1] = none * sh
			none *= 1 - sh
		}
		sub[0] = none
		return sub
	}
	sub := make([]float64, 1<<len(at.share))
	for s := range sub {
		p := 1.0
		for k, sh := range at.share {
			if s&(1<<k) != 0 {
				p *= sh
			} else {
				p *= 1 - sh
			}
		}
		sub[s] = p
	}
	return sub
}

// setCategories rebuilds the joint table from pAttr and share.
func (at *attrTables) setCategories() {
	sub := at.subsetProbs()
	// Columns of weight 0 are left out (half the attr values, without
	// nominees), so that the table is small enough to stay in the cache.
	var w []float64
	var code []uint16
	for a, pa := range at.pAttr {
		for j, pj := range sub {
			if pa*pj > 0 {
				w = append(w, pa*pj)
				code = append(code, uint16(a<<10|j))
			}
		}
	}
	if len(w) == 0 {
		w, code = []float64{1}, []uint16{uint16(data.FSW) << 10}
	}
	tab := newAlias(w)
	at.joint = make([]jointEntry, len(tab))
	for i, e := range tab {
		at.joint[i] = jointEntry{keep: e.keep, self: code[i], alt: code[e.alt]}
	}
}

// draw draws an arrival's attr bits and categories.
func (at *attrTables) draw(rng *Rand) (uint8, CategorySet) {
	u := rng.Uint64()
	e := at.joint[(u>>32)*uint64(len(at.joint))>>32]
	c := e.alt
	if uint32(u) < e.keep {
		c = e.self
	}
	a, j := uint8(c>>10), int(c&(1<<10-1))
	if at.catsOf != nil {
		return a, at.catsOf[j]
	}
	var cats CategorySet
	if j > 0 {
		cats = at.bits[j-1]
		for k := j; k < len(at.share); k++ {
			if rng.Float64() < at.share[k] {
				cats |= at.bits[k]
			}
		}
	}
	return a, cats
}

// prepareAttrs precomputes the attribute tables of every band.
func (sy *Synthesizer) prepareAttrs() {
	m := sy.spec.Model
	for b := range sy.attrs {
		share := make([]float64, len(m.Categories))
		for k, c := range m.Categories {
			share[k] = c.Share[b]
		}
		sy.attrs[b] = newAttrTables(m.CEC[b], m.FSW[b], m.FST[b], m.Nominated[b], share, sy.catBits)
	}
}

// guideOf returns the guide table of a cumulated density cum: entry k is
// the first index whose cum passes k/len(cum) of the total.
func guideOf(cum []float64) []int32 {
	g := make([]int32, len(cum))
	total := cum[len(cum)-1]
	i := 0
	for k := range g {
		x := float64(k) / float64(len(g)) * total
		for i < len(cum)-1 && cum[i] <= x {
			i++
		}
		g[k] = int32(i)
	}
	return g
}
