package pool_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/eesim/eesim/data"
	"github.com/eesim/eesim/pool"
)

// benchSizes are the pool sizes of every benchmark: IRCC's pool was 205k to
// 258k profiles in 2023-2025 (docs/domain.md, "Cadence and sizes"); 1M is
// a stress size.
var benchSizes = []int{100_000, 250_000, 1_000_000}

var benchStart = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Unix()

const benchSpan = 364 * 86400

type rawCand struct {
	score int
	sub   int64
	attr  uint8
	cats  pool.CategorySet
}

// benchCands returns n candidates submitted in order over 364 days, with
// scores weighted by the December 2025 snapshot (round 388) band counts,
// uniform within a band: the pool package's benchmarks only need a
// realistic spread of queue lengths, not the within-band shape.
func benchCands(n int) []rawCand {
	counts := [data.NumBands]int{390, 21792, 12315, 12149, 14859, 14535, 14842, 13992, 14244, 12750, 12367, 13595, 52574, 18829, 8069}
	total := 0
	for _, c := range counts {
		total += c
	}
	rng := rand.New(rand.NewPCG(uint64(n), 388))
	out := make([]rawCand, n)
	for i := range out {
		u := rng.IntN(total)
		b := 0
		for u >= counts[b] {
			u -= counts[b]
			b++
		}
		e := data.BandEdges[b]
		out[i] = rawCand{
			score: e.Low + rng.IntN(e.High-e.Low+1),
			sub:   benchStart + int64(i)*benchSpan/int64(n),
			attr:  uint8(1 + rng.IntN(7)),
			cats:  pool.CategorySet(rng.IntN(16)),
		}
	}
	return out
}

func buildBench(cs []rawCand) *pool.Pool {
	p := pool.New(len(cs))
	for _, c := range cs {
		p.AddRaw(c.score, c.sub, c.attr, c.cats)
	}
	return p
}

// forSizes runs f as a sub-benchmark for each of benchSizes.
func forSizes(b *testing.B, f func(b *testing.B, n int)) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("n=%dk", n/1000), func(b *testing.B) { f(b, n) })
	}
}

// BenchmarkAdd builds a pool in submission order (reusing its storage).
func BenchmarkAdd(b *testing.B) {
	forSizes(b, func(b *testing.B, n int) {
		cs := benchCands(n)
		p := pool.New(n)
		b.ResetTimer()
		for range b.N {
			p.Reset()
			for _, c := range cs {
				p.AddRaw(c.score, c.sub, c.attr, c.cats)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/cand")
	})
}

// BenchmarkAddShuffled builds a pool from candidates in random order: each
// add lands inside its score's queue.
func BenchmarkAddShuffled(b *testing.B) {
	forSizes(b, func(b *testing.B, n int) {
		cs := benchCands(n)
		rand.New(rand.NewPCG(1, 1)).Shuffle(len(cs), func(i, j int) { cs[i], cs[j] = cs[j], cs[i] })
		p := pool.New(n)
		b.ResetTimer()
		for range b.N {
			p.Reset()
			for _, c := range cs {
				p.AddRaw(c.score, c.sub, c.attr, c.cats)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/cand")
	})
}

// BenchmarkAdvanceWeek advances the pool one week per iteration, starting
// a year after the first submission, so each Advance expires a week of
// profiles (~n/52). The pool is restored (untimed) every 40 weeks.
func BenchmarkAdvanceWeek(b *testing.B) {
	for _, late := range []bool{false, true} {
		b.Run(fmt.Sprintf("late=%v", late), func(b *testing.B) {
			forSizes(b, func(b *testing.B, n int) {
				cs := benchCands(n)
				if late {
					// Swap the last two: the last is a late
					// candidate, which Advance checks apart.
					cs[n-1], cs[n-2] = cs[n-2], cs[n-1]
				}
				orig := buildBench(cs)
				p := orig.Clone()
				b.ResetTimer()
				week := 0
				for range b.N {
					if week == 40 {
						b.StopTimer()
						p.CopyFrom(orig)
						week = 0
						b.StartTimer()
					}
					week++
					p.Advance(benchStart + 365*86400 + int64(week)*7*86400)
				}
			})
		})
	}
}

// BenchmarkCopyFrom restores a pool from a saved copy, as a Monte Carlo
// run does before each replication.
func BenchmarkCopyFrom(b *testing.B) {
	forSizes(b, func(b *testing.B, n int) {
		orig := buildBench(benchCands(n))
		p := orig.Clone()
		b.ResetTimer()
		for range b.N {
			p.CopyFrom(orig)
		}
	})
}

func BenchmarkBandCounts(b *testing.B) {
	p := buildBench(benchCands(250_000))
	var sink [data.NumBands]int
	for range b.N {
		sink = p.BandCounts()
	}
	if sink[1] == 0 {
		b.Fatal("no candidates in 501-600")
	}
}
