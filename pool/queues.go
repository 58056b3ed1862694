package pool

import (
	"fmt"
	"math"
	"math/bits"
	"slices"

	"github.com/eesim/eesim/data"
)

// Add adds an active candidate and returns its ID. Adding in submission
// order is fastest; out-of-order adds are placed correctly in their score's
// queue at a cost proportional to its length.
func (p *Pool) Add(c Candidate) (ID, error) {
	if c.Score < 0 || c.Score > MaxScore {
		return 0, fmt.Errorf("pool: score %d out of range 0-%d", c.Score, MaxScore)
	}
	if c.Nominated && c.Score < NominationPoints {
		return 0, fmt.Errorf("pool: a nominee scores at least %d (the nomination alone), not %d", NominationPoints, c.Score)
	}
	a := uint8(c.Programs & data.Federal)
	if c.Nominated {
		a |= uint8(data.PNP)
	}
	p.AddRaw(c.Score, c.Submitted.Unix(), a, c.Categories)
	return ID(len(p.score) - 1), nil
}

// AddRaw is Add without checks, for generators: score must be in 0..MaxScore,
// sub is Unix seconds, attr holds data.Programs bits (data.PNP = nominated;
// higher bits are dropped). Generators should add in submission order. A
// candidate added after someone submitted later (a late candidate: an
// odds candidate put in a generated pool, say) costs a search and a copy
// in each of its queues, and a look at every Advance until it expires;
// the rest of the pool is as fast as ever.
func (p *Pool) AddRaw(score int, sub int64, attr uint8, cats CategorySet) ID {
	id := ID(len(p.score))
	if sub >= p.maxSub {
		// In order: at the end of its queue without looking at it, and
		// of its categories' when catFlush next runs.
		p.appendColumns(score, sub, attr, cats)
		p.queue[score] = append(p.queue[score], id)
	} else {
		// Late: placed in its queues by submission instant. Its
		// categories' queues are brought up to date first, and marked
		// as holding it.
		for c := cats; c != 0; c &= c - 1 {
			k := bits.TrailingZeros32(uint32(c))
			p.catFlush(p.catIdx(k), k)
		}
		p.appendColumns(score, sub, attr, cats)
		p.lateAt[score] = true
		p.queue[score] = p.insertInto(p.queue[score], id)
		for c := cats; c != 0; c &= c - 1 {
			ci := p.cat[bits.TrailingZeros32(uint32(c))]
			ci.queue[score] = p.insertInto(ci.queue[score], id)
			ci.upto = id + 1
		}
		p.late = append(p.late, id)
	}
	p.active[score]++
	p.nActive++
	return id
}

// appendColumns appends a candidate's columns; an in-order candidate
// moves maxSub.
func (p *Pool) appendColumns(score int, sub int64, attr uint8, cats CategorySet) {
	p.score = append(p.score, uint16(score))
	p.sub = append(p.sub, sub)
	p.hot = append(p.hot, attr&15|uint8(Active)<<4)
	p.cats = append(p.cats, cats)
	p.maxSub = max(p.maxSub, sub)
}

// A generator that adds many candidates in submission order adds them in
// a batch: startBatch, addBatched for each, then flushBatch. addBatched
// appends the columns only; flushBatch puts the batch in its queues score
// by score, so that each queue's end is written once per batch, not once
// per candidate (a run adds ~250k candidates to ~700 scores' queues and
// their categories' queues, and appending them one by one missed the
// cache at nearly every queue end). The pool is then exactly as if each
// had been added by AddRaw. Between startBatch and flushBatch nothing
// else may use the pool.
func (p *Pool) startBatch() { p.batchFrom = ID(len(p.score)) }

// fits reports whether candidates submitted from first on, in order, can
// be added to the batch as they come: addBatched's test for them all.
func (p *Pool) fits(first int64) bool { return p.maxSub <= first }

// extend adds k candidates to the batch, in order, the last submitted at
// last, for a generator that writes their columns itself: it returns the
// k new entries of each column, which the caller must all fill (the
// state Active in hot) before anything else reads the pool. The
// candidates must fit (fits); they join their queues at flushBatch.
func (p *Pool) extend(k int, last int64) (score []uint16, sub []int64, hot []uint8, cats []CategorySet) {
	n := len(p.score)
	p.score = slices.Grow(p.score, k)[:n+k]
	p.sub = slices.Grow(p.sub, k)[:n+k]
	p.hot = slices.Grow(p.hot, k)[:n+k]
	p.cats = slices.Grow(p.cats, k)[:n+k]
	p.maxSub = max(p.maxSub, last)
	p.nActive += k
	return p.score[n:], p.sub[n:], p.hot[n:], p.cats[n:]
}

// addBatched is AddRaw within a batch.
func (p *Pool) addBatched(score int, sub int64, attr uint8, cats CategorySet) {
	if !p.fits(sub) {
		// Late: it needs AddRaw's search.
		p.flushBatch()
		p.AddRaw(score, sub, attr, cats)
		p.batchFrom = ID(len(p.score))
		return
	}
	p.appendColumns(score, sub, attr, cats)
	p.nActive++ // and active, by flushBatch
}

// flushBatch queues the candidates added since startBatch.
func (p *Pool) flushBatch() {
	from := p.batchFrom
	n := len(p.score) - int(from)
	p.batchFrom = ID(len(p.score))
	if n <= 0 {
		return
	}
	ids := slices.Grow(p.batchIDs[:0], n)[:n]
	for i := range ids {
		ids[i] = from + ID(i)
	}
	p.batchIDs = ids
	p.appendByScore(&p.queue, ids, &p.active) // and to the categories' by catFlush
}

// appendHolders appends to f the IDs from+i of the batch whose category
// sets batch[i] hold bit k, in order, branch-free: each ID is written at
// the end, which moves on only if it holds k. It is a function of its
// own so that its loop keeps its counters in registers.
//
//go:noinline
func appendHolders(f []ID, batch []CategorySet, from ID, k uint) []ID {
	m := len(f)
	f = slices.Grow(f, len(batch))[:m+len(batch)]
	g := f[m:]
	j := 0
	for i, cats := range batch {
		g[j] = from + ID(i)
		j += int(cats >> (k & 31) & 1)
	}
	return f[:m+j]
}

// catFlush puts the candidates of category bit k added since its index
// ci was last brought up to date in its queues, score by score (a stable
// counting sort). They were added after every candidate in the queues,
// so they go at the ends. It keeps those that have left the pool since,
// as if they had been queued when they came: it never drops an entry, so
// it may run in the middle of a round (see Mark).
func (p *Pool) catFlush(ci *catIndex, k int) {
	n := ID(len(p.cats))
	if ci.upto == n {
		return
	}
	ids := appendHolders(p.batchIDs[:0], p.cats[ci.upto:], ci.upto, uint(k))
	p.batchIDs = ids
	ci.upto = n
	if len(ids) > 0 {
		p.appendByScore(&ci.queue, ids, nil)
	}
}

// appendByScore appends ids, in submission order, each to queues[s] for
// its score s, score by score: a stable counting sort, so that each
// queue's end is written once. If count is not nil, it adds to count[s]
// the number of ids of score s.
func (p *Pool) appendByScore(queues *[MaxScore + 1][]ID, ids []ID, count *[MaxScore + 1]int32) {
	var end [MaxScore + 1]int32
	for _, id := range ids {
		end[p.score[id]]++
	}
	pos := int32(0)
	for s, c := range end {
		if count != nil {
			count[s] += c
		}
		end[s] = pos // start, until the scatter below moves it to the end
		pos += c
	}
	p.batchTmp = slices.Grow(p.batchTmp[:0], len(ids))[:len(ids)]
	tmp := p.batchTmp
	for _, id := range ids {
		s := p.score[id]
		tmp[end[s]] = id
		end[s]++
	}
	start := int32(0)
	for s, e := range end {
		if e > start {
			queues[s] = append(queues[s], tmp[start:e]...)
			start = e
		}
	}
}

// leave takes an active candidate out of the pool into state st.
func (p *Pool) leave(id ID, st State) {
	s := p.score[id]
	p.setState(id, st)
	p.active[s]--
	p.nActive--
	p.markGone(id)
}

// markGone counts id as gone from its score's queue.
func (p *Pool) markGone(id ID) { p.gone[p.score[id]]++ }

// CompactCatQueue asks for the departed entries of category bit k's queue
// at score s to be dropped. A category round calls it when it walked past
// many. The next Tidy(s) or TidyCat(k, s), before the next round walks
// score s, drops them: a round never drops entries from the queues of a
// score it has invited from (see Mark). Category queues are compacted
// only so: a category's queues are walked by its own rounds alone.
func (p *Pool) CompactCatQueue(k, s int) {
	if p.cat[k] != nil {
		p.pendingCat[s] |= 1 << k
	}
}

// Mark returns the pool's compaction mark: it changes whenever entries
// leave a queue (Tidy, Reset, CopyFrom), and not otherwise. A round
// (draws.RunInto, draws.RunToCutoff) never drops the entries of a score's
// queues after inviting from that score, so a mark taken right after a
// round, and unchanged since, proves that every candidate the round
// invited is still in all of its queues (see DeferInvited).
func (p *Pool) Mark() uint64 { return p.compactions }

// catIdx returns the index of category bit k, creating it.
func (p *Pool) catIdx(k int) *catIndex {
	if p.cat[k] == nil {
		p.cat[k] = &catIndex{}
	}
	return p.cat[k]
}

// CatQueue returns the queue of score s restricted to the candidates of
// category bit k, as Queue.
func (p *Pool) CatQueue(k, s int) []ID {
	ci := p.catIdx(k)
	p.catFlush(ci, k)
	return ci.queue[s]
}

// Tidy drops the entries of the queue of score s that left the pool for
// good, once they are more than half of it, and those of the categories'
// queues of s that CompactCatQueue asked for. A round calls it before it
// walks the queue of s: queues no round walks are never compacted, and
// cost nothing.
func (p *Pool) Tidy(s int) {
	for c := p.pendingCat[s]; c != 0; c &= c - 1 {
		p.TidyCat(bits.TrailingZeros32(uint32(c)), s)
	}
	p.queue[s] = p.compact(p.queue[s], &p.gone[s])
}

// TidyCat is Tidy for category bit k's queue of score s, which a category
// round calls before it walks that queue: it drops the queue's departed
// entries if CompactCatQueue asked for it.
func (p *Pool) TidyCat(k, s int) {
	ci := p.catIdx(k)
	p.catFlush(ci, k)
	if p.pendingCat[s]&(1<<k) == 0 {
		return
	}
	p.pendingCat[s] &^= 1 << k
	var gone int32 = math.MaxInt32 / 2
	ci.queue[s] = p.compact(ci.queue[s], &gone)
}

// compact drops from q the entries that left for good, once they are
// more than half of it, and resets the gone count.
func (p *Pool) compact(q []ID, gone *int32) []ID {
	if g := int(*gone); g < 16 || 2*g < len(q) {
		return q
	}
	out := q[:0]
	for _, id := range q {
		if st := p.State(id); st == Active || st == Deferred {
			out = append(out, id)
		}
	}
	*gone = 0
	if len(out) < len(q) {
		p.compactions++
	}
	return out
}
