package pool

import "github.com/eesim/eesim/data"

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
	n := g.Len()
	if n == 0 || g.To <= g.From {
		return
	}
	rng := NewRand(g.Seed, 0x67686f7374) // "ghost"
	// Bands in random order: the counts are fixed, the instants are
	// exchangeable, so a shuffled list of band labels assigns them.
	band := make([]uint8, 0, n)
	for b, c := range g.N {
		for range c {
			band = append(band, uint8(b))
		}
	}
	rng.Shuffle(len(band), func(i, j int) { band[i], band[j] = band[j], band[i] })
	// Sorted uniform instants from exponential spacings, as Generate.
	spacing := make([]float64, n+1)
	sum := 0.0
	for i := range spacing {
		sum += rng.ExpFloat64()
		spacing[i] = sum
	}
	span := float64(g.To - g.From)
	for i, b := range band {
		t := g.From + 1 + int64(spacing[i]/sum*span)
		emit(min(t, g.To), int(b))
	}
}

// AddGhostBatch adds a batch of ghosts (see GhostBatch). Batches must be
// added in time order, after every ghost and batch before them.
func (p *Pool) AddGhostBatch(g GhostBatch) {
	if g.Len() == 0 {
		return
	}
	p.batch = append(p.batch, g)
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
		g.Expand(func(sub int64, b int) { p.AddGhost(sub, b) })
		p.batchNext++
	}
}
