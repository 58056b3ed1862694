package pool

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
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
