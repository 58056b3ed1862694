package pool

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// queuesOf is every queue of p, main and per category, as text.
func queuesOf(p *Pool) string {
	var b []byte
	for s := range p.queue {
		if len(p.queue[s]) > 0 || p.active[s] != 0 {
			b = fmt.Appendf(b, "q%d %d %v\n", s, p.active[s], p.queue[s])
		}
	}
	for k := range p.cat {
		ci := p.catIdx(k)
		p.catFlush(ci, k)
		for s, q := range ci.queue {
			if len(q) > 0 {
				b = fmt.Appendf(b, "c%d/%d %v\n", k, s, q)
			}
		}
	}
	return string(b)
}

// A batch (startBatch, addBatched, flushBatch) must leave the pool
// exactly as AddRaw one by one: columns, counts, and every queue in
// submission order. Some adds go back in time, which makes addBatched
// flush and fall back to AddRaw, and some batches follow candidates
// already queued.
func TestBatchMatchesAddRaw(t *testing.T) {
	for _, back := range []int{0, 50, 3} { // one add in `back` goes back in time (0: none)
		t.Run(fmt.Sprintf("back=%d", back), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(back), 9))
			one, bat := New(0), New(0)
			sub := int64(1_700_000_000)
			for round := range 4 {
				bat.startBatch()
				n := 200 + rng.IntN(2000)
				for i := range n {
					sub += int64(rng.IntN(3)) // repeated seconds too
					at := sub
					if back > 0 && i%back == back-1 {
						at -= int64(rng.IntN(100_000))
					}
					s := 400 + rng.IntN(60)
					if rng.IntN(30) == 0 {
						s += 600
					}
					a := uint8(1 + rng.IntN(15))
					cats := CategorySet(rng.IntN(8)) | CategorySet(rng.IntN(2))<<5
					one.AddRaw(s, at, a, cats)
					bat.addBatched(s, at, a, cats)
				}
				bat.flushBatch()
				if !slices.Equal(one.score, bat.score) || !slices.Equal(one.sub, bat.sub) ||
					!slices.Equal(one.hot, bat.hot) || !slices.Equal(one.cats, bat.cats) {
					t.Fatalf("batch %d: the columns differ", round)
				}
				if one.nActive != bat.nActive || !slices.Equal(one.late, bat.late) || one.maxSub != bat.maxSub {
					t.Fatalf("batch %d: active %d late %v, one by one %d %v", round, bat.nActive, bat.late, one.nActive, one.late)
				}
				if a, b := queuesOf(one), queuesOf(bat); a != b {
					t.Fatalf("batch %d: the queues differ", round)
				}
			}
			if back > 0 && len(one.late) == 0 {
				t.Fatal("no add went back in time: the test is too weak")
			}
		})
	}
}

// TestFillMatchesLoop checks that live arrivals drawn by fill, from the
// packed alias columns, are those of generateSplit's loop over the alias
// table and the classes: the same pool, column by column, and the same
// random state after, over a build and a year of arrivals in 26 steps.
func TestFillMatchesLoop(t *testing.T) {
	at := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	reg := NewRegistry(DefaultCategories...)
	m, counts, live, guess := splitFixture(reg)
	run := func(packed bool) (*Pool, RandState) {
		sy, err := NewSynthesizer(&SynthSpec{Counts: counts, At: at, Model: m, Registry: reg})
		if err != nil {
			t.Fatal(err)
		}
		sy.SetLive(live)
		sy.SetGuess(guess)
		sy.SetLazy(true)
		p := New(0)
		rng := NewRand(5, 6)
		sy.Build(p, rng)
		am := sy.ArrivalModel()
		if sp := am.liveSplit(); sp.cols == nil {
			t.Fatal("the classes did not pack: fill would not run")
		} else if !packed {
			sp.cols = nil // generateSplit's own loop
		}
		var buf []float64
		for w := int64(0); w < 52; w += 2 {
			from := at.Unix() + w*7*86400
			_, buf = am.Generate(p, from, from+14*86400, rng, buf)
			p.Advance(from + 14*86400)
		}
		return p, rng.State()
	}
	a, sa := run(true)
	b, sb := run(false)
	if a.Len() < 10000 {
		t.Fatalf("%d candidates: too few to show anything", a.Len())
	}
	if !slices.Equal(a.score, b.score) || !slices.Equal(a.sub, b.sub) || !slices.Equal(a.hot, b.hot) || !slices.Equal(a.cats, b.cats) {
		t.Fatal("the columns differ")
	}
	if a.active != b.active || a.nActive != b.nActive || a.maxSub != b.maxSub || sa != sb {
		t.Fatal("counts, latest submission or random state differ")
	}
	if queuesOf(a) != queuesOf(b) {
		t.Fatal("the queues differ")
	}
}
