package pool

import (
	"slices"
)

// InviteAt marks candidate id, who must be active and score s, as
// invited. It is Invite for the round engine, which walks queue s and
// has read the candidate's state with Hot already.
func (p *Pool) InviteAt(id ID, s int) {
	p.hot[id] = p.hot[id]&15 | uint8(Invited)<<4
	p.active[s]--
	p.gone[s]++
	p.nActive--
}

// Pick is a round's choice compiled for Take: for each packed byte h of
// a candidate (see Hot), ok[h] is 1 when Take invites the candidate, and
// cnt[h] adds one to the candidate's program count (12 bits each, at 12k
// for ByProgram index k) and, for a candidate no longer in the pool, one
// to the departed count at bit 48.
type Pick struct {
	ok  [64]uint8
	cnt [64]uint64
}

// NewPick compiles pick, which holds for each packed byte the ByProgram
// index (0 to 3) a candidate with it is invited under, or -1 when it is
// not invited. A candidate not Active is never invited, whatever pick
// holds.
func NewPick(pick *[64]int8) *Pick {
	var t Pick
	for h, k := range pick {
		switch {
		case State(h>>4) != Active:
			t.cnt[h] = 1 << 48
		case k >= 0:
			t.ok[h] = 1
			t.cnt[h] = 1 << (12 * uint(k&3))
		}
	}
	return &t
}

// Take is the inner loop of a round. It walks q, the queue of score s or a
// category's queue of score s, from its start, and invites every candidate
// pick selects, counting each under by[k] for its ByProgram index k, until
// need are invited. It appends them to dst and returns it, the index in q
// after the last one invited (len(q) when the queue ran out first), and
// how many entries it passed that are no longer in the pool.
func (p *Pool) Take(s int, q []ID, pick *Pick, need int, dst []ID, by *[4]int) (out []ID, next, departed int) {
	n := len(dst)
	if need <= 0 {
		return dst, 0, 0
	}
	dst = slices.Grow(dst, min(need, len(q)))[:n+min(need, len(q))]
	hot := p.hot
	taken, i := 0, 0
	var oks [64]uint8
	// In blocks of at most 64, and never more than are still needed, so
	// that the loop that marks need not check the count. The loop only
	// counts; the IDs are copied after it, in one move when the whole
	// block was invited. (Storing each ID at dst[taken] in the loop makes
	// every store wait for the previous candidate's state to load.)
	for i < len(q) && taken < need {
		blk := q[i:min(len(q), i+min(len(oks), need-taken))]
		t, packed := takeBlock(hot, blk, &oks, pick)
		o := dst[n+taken:]
		if t == len(blk) {
			copy(o, blk)
		} else {
			o = o[:len(blk)]
			c := 0
			for j, id := range blk {
				o[c] = id
				c += int(oks[j])
			}
		}
		taken += t
		for k := range by {
			by[k] += int(packed >> (12 * k) & 0xfff)
		}
		departed += int(packed >> 48 & 0xfff)
		i += len(blk)
	}
	p.active[s] -= int32(taken)
	p.gone[s] += int32(taken)
	p.nActive -= taken
	return dst[:n+taken], i, departed
}

// takeBlock marks the candidates of blk (at most 64) that pick invites,
// setting oks[j] to 1 for each. It returns how many it marked and the sum
// of their Pick counts. Kept small so that its loop runs in registers:
// in a larger function the compiler spilled the loop counter, and the
// store and reload added a cache latency to every iteration; hence
// noinline.
//
//go:noinline
func takeBlock(hot []uint8, blk []ID, oks *[64]uint8, pick *Pick) (taken int, packed uint64) {
	blk = blk[:min(len(blk), len(oks))]
	for j, id := range blk {
		h := hot[id]
		ok := pick.ok[h&63]
		oks[j] = ok
		taken += int(ok)
		packed += pick.cnt[h&63]
		hot[id] = h | ok<<4 // Active (0) becomes Invited (1)
	}
	return taken, packed
}

// Invite marks active candidates as invited: they leave the pool.
// Candidates that are not active are skipped. Their queue entries are
// dropped when a round next tidies their queues, so a Defer may follow.
func (p *Pool) Invite(ids []ID) {
	for _, id := range ids {
		if p.State(id) == Active {
			p.leave(id, Invited)
		}
	}
}
