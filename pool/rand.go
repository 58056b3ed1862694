package pool

import (
	"math/rand/v2"

	"gonum.org/v1/gonum/mathext/prng"
)

// Rand is the random source of the pool generators: gonum's xoshiro256++
// (D. Blackman and S. Vigna, "Scrambled linear pseudorandom number
// generators", ACM Trans. Math. Softw. 47(4), 2021), which passes the
// BigCrush and PractRand batteries. The generators call it directly
// (Uint64, Float64), not through rand.Rand's Source interface: a run draws
// a few million numbers. Against math/rand/v2's PCG called the same way,
// a 12-month run at 250k took 39.2 ms against 40.7 ms (interleaved, best
// of 6). The embedded rand.Rand reads the same generator, for the
// distributions it provides (Poisson counts through gonum, exponential
// spacings): both advance one state, so a Rand is as reproducible as a
// rand.Rand on the same source.
type Rand struct {
	*rand.Rand
	src *prng.Xoshiro256plusplus
}

// NewRand returns a Rand whose stream depends on both seeds: the pair is
// hashed into one 64-bit seed, which gonum expands into the generator's
// 256-bit state with SplitMix64 (as its authors recommend). Distinct
// pairs give independent streams but for a 2^-64 chance.
func NewRand(seed1, seed2 uint64) *Rand {
	h := prng.NewSplitMix64(seed1)
	src := prng.NewXoshiro256plusplus(h.Uint64() ^ seed2)
	return &Rand{Rand: rand.New(src), src: src}
}

// Uint64 returns a uniform 64-bit number: rand.Rand.Uint64, called
// directly.
func (r *Rand) Uint64() uint64 { return r.src.Uint64() }

// Float64 returns a uniform number in [0, 1): rand.Rand.Float64, called
// directly (the same numbers).
func (r *Rand) Float64() float64 { return float64(r.src.Uint64()<<11>>11) / (1 << 53) }

// RandState is the state of a Rand, to draw the same numbers again.
type RandState struct{ x prng.Xoshiro256plusplus }

// State returns r's state.
func (r *Rand) State() RandState { return RandState{*r.src} }

// SetState makes r draw again from state s.
func (r *Rand) SetState(s RandState) { *r.src = s.x }
