package pool

import (
	"slices"

	"github.com/eesim/eesim/data"
)

// GhostBatch is a batch of ghosts that arrived in (From, To] (Unix
// seconds): N[b] in band b, with submission instants independent and
// uniform over the span. Only counts are kept until the first of them
// could expire; then Expand draws their instants from Seed. An arrival
// model adds the ghosts of each span between rounds as one batch
// (Pool.AddGhostBatch), which costs the same however many they are: over
// a 12-month projection, none expires.
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

// Expand calls emit with the submission instant and band of every ghost
// of the batch, in submission order. The same batch always gives the same
// ghosts.
func (g *GhostBatch) Expand(emit func(sub int64, band int)) {
	g.expand(nil, emit)
}

// expand is Expand with scratch space buf, returned for reuse.
func (g *GhostBatch) expand(buf []float64, emit func(sub int64, band int)) []float64 {
	n := g.Len()
	if n == 0 || g.To <= g.From {
		return buf
	}
	rng := NewRand(g.Seed, 0x67686f7374) // "ghost"
	// Bands in random order: the counts are fixed, the instants are
	// exchangeable, so a shuffled list of band labels assigns them. A
	// batch of one band needs no labels.
	var band []uint8
	one := -1
	for b, c := range g.N {
		if int(c) == n {
			one = b
		}
	}
	if one < 0 {
		band = make([]uint8, 0, n)
		for b, c := range g.N {
			for range c {
				band = append(band, uint8(b))
			}
		}
		rng.Shuffle(len(band), func(i, j int) { band[i], band[j] = band[j], band[i] })
	}
	// Sorted uniform instants from exponential spacings, as Generate.
	buf = slices.Grow(buf[:0], n+1)[:n+1]
	sum := 0.0
	for i := range buf {
		sum += rng.ExpFloat64()
		buf[i] = sum
	}
	span := float64(g.To - g.From)
	for i, v := range buf[:n] {
		t := min(g.From+1+int64(v/sum*span), g.To)
		if one >= 0 {
			emit(t, one)
		} else {
			emit(t, int(band[i]))
		}
	}
	return buf
}

// AddGhostBatch adds a batch of ghosts (see GhostBatch). Batches are kept
// in order of their start (From), and may overlap.
func (p *Pool) AddGhostBatch(g GhostBatch) {
	if g.Len() == 0 {
		return
	}
	i := len(p.batch)
	for i > p.batchNext && p.batch[i-1].From > g.From {
		i--
	}
	p.batch = slices.Insert(p.batch, i, g)
	for b, c := range g.N {
		p.batchBand[b] += c
		p.nBatch += int(c)
	}
}

// expandBatches turns the batches of which some ghost may be submitted at
// or before limit into ghosts, so that they expire one by one.
func (p *Pool) expandBatches(limit int64) {
	for p.batchNext < len(p.batch) && p.batch[p.batchNext].From < limit {
		g := &p.batch[p.batchNext]
		for b, c := range g.N {
			p.batchBand[b] -= c
			p.nBatch -= int(c)
		}
		r := p.newRun()
		p.spacing = g.expand(p.spacing, func(sub int64, b int) {
			r.q = append(r.q, sub<<4|int64(b))
			p.ghostBand[b]++
		})
		p.nGhost += g.Len()
		p.batchNext++
	}
}
