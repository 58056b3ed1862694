package pool

import (
	"slices"
	"sort"

	"github.com/eesim/eesim/data"
)

// GhostBatch is a batch of ghosts submitted in (From, To] (Unix seconds):
// N[b] in band b, with submission instants independent and uniform over
// the span. A pool keeps only counts of them (Pool.AddGhostBatch): how
// many fall between consecutive cuts (Pool.SetCuts), the instants at which
// the pool will be asked what has expired. So a batch costs the same
// however many ghosts it holds. Expand draws their instants, consistent
// with those counts, when they must become candidates. The synthetic pool
// keeps its ghosts as batches of one band and one window, and an arrival
// model the ghosts of each span between rounds.
type GhostBatch struct {
	From, To int64
	N        [data.NumBands]int32
	Seed     uint64
}

// Len returns the number of ghosts in the batch.
func (g *GhostBatch) Len() int {
	n := 0
	for _, c := range g.N {
		n += int(c)
	}
	return n
}

// buckets splits the batch at the cuts in (From, To): it returns the ends
// of the buckets (those cuts, then To; bucket k holds the instants in
// (ends[k-1], ends[k]], the first from From) and the ghosts per bucket
// and band, drawn from the batch's seed.
func (g *GhostBatch) buckets(cuts []int64) ([]int64, [][data.NumBands]int32) {
	i := sort.Search(len(cuts), func(i int) bool { return cuts[i] > g.From })
	j := sort.Search(len(cuts), func(i int) bool { return cuts[i] >= g.To })
	if i >= j {
		return []int64{g.To}, [][data.NumBands]int32{g.N}
	}
	ends := make([]int64, 0, j-i+1)
	ends = append(append(ends, cuts[i:j]...), g.To)
	n := make([][data.NumBands]int32, len(ends))
	rng := NewRand(g.Seed, 0x6275636b6574) // "bucket"
	span := float64(g.To - g.From)
	for b, c := range g.N {
		if int(c) <= len(ends) {
			// Few ghosts: place each at a uniform instant, cheaper than
			// a binomial per bucket, and the same multinomial.
			for range c {
				t := float64(g.From) + rng.Float64()*span
				k := sort.Search(len(ends)-1, func(k int) bool { return float64(ends[k]) >= t })
				n[k][b]++
			}
			continue
		}
		left, start := int(c), g.From
		for k, e := range ends {
			if left == 0 {
				break
			}
			x := left
			if k < len(ends)-1 {
				x = binomial(left, float64(e-start)/float64(g.To-start), rng)
			}
			n[k][b] = int32(x)
			left -= x
			start = e
		}
	}
	return ends, n
}

// Expand calls emit with the submission instant and band of every ghost
// of the batch, in submission order, consistent with the counts a pool
// with cuts keeps of it (the same buckets, from the same seed). The same
// batch and cuts always give the same ghosts.
func (g *GhostBatch) Expand(cuts []int64, emit func(sub int64, band int)) {
	g.expand(cuts, nil, emit)
}

// expand is Expand with scratch space buf, returned for reuse.
func (g *GhostBatch) expand(cuts []int64, buf []float64, emit func(sub int64, band int)) []float64 {
	if g.Len() == 0 || g.To <= g.From {
		return buf
	}
	ends, counts := g.buckets(cuts)
	rng := NewRand(g.Seed, 0x67686f7374) // "ghost"
	start := g.From
	for k, e := range ends {
		buf = uniformSpan(start, e, &counts[k], rng, buf, emit)
		start = e
	}
	return buf
}

// uniformSpan emits n[b] instants in band b for every b, independent and
// uniform over (from, to], in order. buf is scratch space, returned for
// reuse.
func uniformSpan(from, to int64, n *[data.NumBands]int32, rng *Rand, buf []float64, emit func(sub int64, band int)) []float64 {
	total := 0
	one := -1
	for b, c := range n {
		total += int(c)
		if c > 0 {
			one = b
		}
	}
	if total == 0 {
		return buf
	}
	// Bands in random order: the counts are fixed, the instants are
	// exchangeable, so a shuffled list of band labels assigns them. A
	// span of one band needs no labels.
	var band []uint8
	if int(n[one]) != total {
		band = make([]uint8, 0, total)
		for b, c := range n {
			for range c {
				band = append(band, uint8(b))
			}
		}
		rng.Shuffle(len(band), func(i, j int) { band[i], band[j] = band[j], band[i] })
	}
	buf = sortedUniform(from, to, total, rng, buf)
	for i, v := range buf {
		t := int64(v)
		if band == nil {
			emit(t, one)
		} else {
			emit(t, int(band[i]))
		}
	}
	return buf
}

// countedBatch is a GhostBatch as a pool keeps it: N is what has not
// expired yet, per band; the buckets from next on are still in the pool,
// bucket next holding the instants in (start, ends[next]].
type countedBatch struct {
	GhostBatch
	ends  []int64
	n     [][data.NumBands]int32
	next  int
	start int64
	rng   *Rand // splits a bucket (see expire); nil until first needed
}

// SetCuts tells the pool the instants t (ascending) at which it will be
// asked which ghosts submitted at or before t have expired: the Advance
// calls to come, each at t + Validity. A ghost batch added after keeps
// its counts between consecutive cuts (GhostBatch); an Advance between
// cuts is still exact in distribution, but draws how many of a bucket
// expire, so that expanding the batch (GhostBatch.Expand) would no longer
// match it. Reset keeps the cuts.
func (p *Pool) SetCuts(cuts []int64) { p.cuts = cuts }

// AddGhostBatch adds a batch of ghosts (see GhostBatch). Batches are kept
// in order of their start (From), and may overlap.
func (p *Pool) AddGhostBatch(g GhostBatch) {
	if g.Len() == 0 {
		return
	}
	cb := countedBatch{GhostBatch: g, start: g.From}
	cb.ends, cb.n = g.buckets(p.cuts)
	i := len(p.batch)
	for i > p.batchNext && p.batch[i-1].From > g.From {
		i--
	}
	p.batch = slices.Insert(p.batch, i, cb)
	for b, c := range g.N {
		p.batchBand[b] += c
		p.nBatch += int(c)
	}
}

// expireBatches expires the ghosts of the batches submitted at or before
// limit, and returns how many.
func (p *Pool) expireBatches(limit int64) int {
	expired := 0
	for i := p.batchNext; i < len(p.batch) && p.batch[i].From < limit; i++ {
		expired += p.batch[i].expire(limit, &p.batchBand)
		if i == p.batchNext && p.batch[i].next == len(p.batch[i].ends) {
			p.batchNext++
		}
	}
	p.nBatch -= expired
	return expired
}

// expire removes the ghosts of the batch submitted at or before limit,
// counting them off band (per band), and returns how many.
func (g *countedBatch) expire(limit int64, band *[data.NumBands]int32) int {
	out := 0
	drop := func(b int, c int32) {
		g.N[b] -= c
		band[b] -= c
		out += int(c)
	}
	for g.next < len(g.ends) && g.ends[g.next] <= limit {
		for b, c := range g.n[g.next] {
			drop(b, c)
		}
		g.start = g.ends[g.next]
		g.next++
	}
	if g.next == len(g.ends) || limit <= g.start {
		return out
	}
	// limit falls inside a bucket: draw how many of its ghosts were
	// submitted by then.
	if g.rng == nil {
		g.rng = NewRand(g.Seed, 0x73706c6974) // "split"
	}
	e := g.ends[g.next]
	f := float64(limit-g.start) / float64(e-g.start)
	for b, c := range g.n[g.next] {
		if x := int32(binomial(int(c), f, g.rng)); x > 0 {
			g.n[g.next][b] -= x
			drop(b, x)
		}
	}
	g.start = limit
	return out
}

// cloneBatches returns a copy of src in dst's storage.
func cloneBatches(dst, src []countedBatch) []countedBatch {
	dst = append(dst[:0], src...)
	for i := range dst {
		dst[i].n = slices.Clone(src[i].n)
		if src[i].rng != nil {
			r := NewRand(0, 0)
			r.SetState(src[i].rng.State())
			dst[i].rng = r
		}
	}
	return dst
}
