package pool

import (
	"math/bits"
	"slices"
	"sort"
	"time"
)

// Remove takes one active candidate out of the pool (state Expired), as
// when a profile is withdrawn or a snapshot re-anchors a band.
func (p *Pool) Remove(id ID) {
	switch p.State(id) {
	case Active:
		p.leave(id, Expired)
	case Deferred:
		// Declined, then withdrew: it never comes back.
		p.setState(id, Expired)
		p.markGone(id)
	}
}

// Defer marks an invited candidate as having declined: the candidate is
// out of the pool until the instant at (Unix seconds), then active again
// with the original submission instant (IRCC: a candidate who declines an
// invitation is put back in the pool if still eligible). Defer on a
// candidate that is not Invited is a no-op.
func (p *Pool) Defer(id ID, at int64) { p.deferOne(id, at, false) }

// deferOne is Defer; with queued, id is known to be in all of its queues
// (see Mark), and is not looked for there.
func (p *Pool) deferOne(id ID, at int64, queued bool) {
	if p.State(id) != Invited {
		return
	}
	p.setState(id, Deferred)
	s := int(p.score[id])
	if queued || p.inQueue(p.queue[s], id) {
		p.gone[s]-- // it stays in its queue: not gone
	} else {
		// Compaction dropped it since the invitation: put it back in
		// submission order.
		p.queue[s] = p.insertInto(p.queue[s], id)
	}
	for c := p.cats[id]; c != 0 && !queued; c &= c - 1 {
		ci := p.catIdx(bits.TrailingZeros32(uint32(c)))
		if id >= ci.upto {
			continue // not queued yet: catFlush will queue it, in order
		}
		if !p.inQueue(ci.queue[s], id) {
			ci.queue[s] = p.insertInto(ci.queue[s], id)
		}
	}
	p.deferred = append(p.deferred, deferral{id, at})
}

// DeferInvited is Defer(id, at) for each of ids, candidates invited by
// the round after which mark (Mark) was taken. When the pool's mark has
// not changed since, each of them is still in its queues (see Mark), and
// DeferInvited does not look for it there: a decline costs a state change
// and a count, not a search of each of the candidate's queues. Otherwise
// it is Defer. ids must not hold candidates invited by earlier rounds.
func (p *Pool) DeferInvited(ids []ID, at int64, mark uint64) {
	queued := mark == p.compactions
	for _, id := range ids {
		p.deferOne(id, at, queued)
	}
}

// inQueue reports whether id is in queue q, one of the queues of its
// score.
func (p *Pool) inQueue(q []ID, id ID) bool {
	if !p.lateAt[p.score[id]] {
		// IDs are in submission order, so queues are sorted by ID. A
		// round invites from the front of a queue, so a galloping search
		// from the front finds an invited candidate in a few steps,
		// reading memory the round has just read.
		hi := 1
		for hi < len(q) && q[hi-1] < id {
			hi *= 2
		}
		hi = min(hi, len(q))
		_, found := slices.BinarySearch(q[hi/2:hi], id)
		return found
	}
	sub := p.sub[id]
	i := sort.Search(len(q), func(i int) bool { return p.sub[q[i]] >= sub })
	for ; i < len(q) && p.sub[q[i]] == sub; i++ {
		if q[i] == id {
			return true
		}
	}
	return false
}

// insertInto returns q, one of the queues of id's score, with id
// inserted in submission order: in a queue with a late candidate, after
// every entry submitted at or before it.
func (p *Pool) insertInto(q []ID, id ID) []ID {
	if !p.lateAt[p.score[id]] {
		// Keep the queue sorted by ID too (see inQueue): IDs in
		// submission order make it the same order.
		i, _ := slices.BinarySearch(q, id)
		return slices.Insert(q, i, id)
	}
	sub := p.sub[id]
	i := sort.Search(len(q), func(i int) bool { return p.sub[q[i]] > sub })
	q = append(q, 0)
	copy(q[i+1:], q[i:])
	q[i] = id
	return q
}

// Advance brings the pool to instant now (Unix seconds): deferred
// candidates whose return instant has come back, then profiles that reach
// 12 months expire. It returns the number of candidates expired.
func (p *Pool) Advance(now int64) (expired int) {
	if len(p.deferred) > 0 {
		keep := p.deferred[:0]
		for _, d := range p.deferred {
			if d.at > now {
				keep = append(keep, d)
				continue
			}
			if p.State(d.id) != Deferred {
				continue
			}
			if p.sub[d.id]+validitySeconds <= now {
				// Expired while out of the pool: it never comes back.
				p.setState(d.id, Expired)
				p.markGone(d.id)
				expired++
				continue
			}
			p.setState(d.id, Active)
			p.active[p.score[d.id]]++
			p.nActive++
		}
		p.deferred = keep
	}
	limit := now - validitySeconds
	expired += p.expireBatches(limit)
	for p.ghostNext < len(p.ghost) && p.ghost[p.ghostNext]>>4 <= limit {
		p.ghostBand[p.ghost[p.ghostNext]&15]--
		p.ghostNext++
		expired++
	}
	// IDs are in submission order: expire from the front. The walk stops
	// at the first ID submitted after limit; a late candidate before
	// limit may come after it, so the late are looked at one by one.
	i := p.expNext
	for int(i) < len(p.sub) && p.sub[i] <= limit {
		if p.State(i) == Active {
			p.leave(i, Expired)
			expired++
		}
		i++
	}
	p.expNext = i
	if len(p.late) > 0 {
		keep := p.late[:0]
		for _, id := range p.late {
			switch {
			case id < i:
				// The walk has been past it.
			case p.sub[id] <= limit:
				if p.State(id) == Active {
					p.leave(id, Expired)
					expired++
				}
				// A deferred one expires when it is due back.
			default:
				keep = append(keep, id)
			}
		}
		p.late = keep
	}
	return expired
}

const validitySeconds = int64(Validity / time.Second)
