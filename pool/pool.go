package pool

import (
	"fmt"
	"math"
	"math/bits"
	"slices"
	"sort"
	"time"

	"github.com/eesim/eesim/data"
)

// MaxScore is the highest CRS score: 600 core points plus 600 additional
// (IRCC, "Comprehensive Ranking System (CRS) criteria").
const MaxScore = 1200

// NominationPoints are the points a provincial or territorial nomination
// adds (IRCC, "Comprehensive Ranking System (CRS) criteria", section D,
// additional points): a nominee scores at least this much.
const NominationPoints = 600

// Validity is how long a profile stays in the pool: 12 months from
// submission (IRCC, "Express Entry: after you submit your profile").
// eesim counts it as 365 days.
const Validity = 365 * 24 * time.Hour

// ID identifies a candidate in a pool. IDs are dense, from 0, in the order
// candidates were added.
type ID int32

// State is where a candidate stands.
type State uint8

// Candidate states.
const (
	Active   State = iota // in the pool, ranked in rounds
	Invited               // invited and gone from the pool
	Expired               // profile reached 12 months, or was removed
	Deferred              // declined an invitation; returns at a set instant
)

// Attr packs a candidate's programs and nomination into 4 bits: the federal
// programs as data.CEC, data.FSW and data.FST, and data.PNP for a provincial
// nomination.
type Attr = data.Programs

// Candidate is one profile, as given to Add and returned by Get.
type Candidate struct {
	Score      int           // CRS, 0 to MaxScore
	Submitted  time.Time     // profile submission instant, UTC, to the second
	Programs   data.Programs // federal programs the candidate is eligible for (CEC, FSW, FST)
	Nominated  bool          // holds a provincial nomination (600 points, included in Score)
	Categories CategorySet   // categories the candidate is eligible for
}

// Expires returns the instant the profile leaves the pool unless invited.
func (c Candidate) Expires() time.Time { return c.Submitted.Add(Validity) }

// Pool is a pool of candidates in columnar storage. Each score has a queue
// of candidate IDs ordered by submission instant, so that the top N by
// (score descending, submission ascending) is read off without sorting:
// walk the queues from the top score down. Candidates who leave the pool
// stay in their queue, marked, and a queue is compacted when a round is
// about to walk it and more than half of its entries are gone (Tidy). The
// zero value is not usable; call New.
type Pool struct {
	score []uint16
	sub   []int64 // unix seconds
	// hot packs what a round reads of every candidate it looks at into
	// one byte, so that a round touches one cache line per candidate:
	// the State in bits 4-5, the data.Programs bits (data.PNP =
	// nominated) in bits 0-3.
	hot  []uint8
	cats []CategorySet

	queue  [MaxScore + 1][]ID
	gone   [MaxScore + 1]int32 // entries in queue[s] no longer active or deferred
	active [MaxScore + 1]int32 // active candidates per score

	// cat[k] indexes the candidates of category bit k the same way as
	// queue (nil until the category first appears), so that a category
	// round looks only at that category's candidates.
	cat [MaxCategories]*catIndex

	nActive int
	// IDs are in submission order but for the late candidates: those
	// added after someone submitted later (AddRaw). maxSub is the latest
	// submission of the others. late holds the late candidates that may
	// still have to expire (Advance), and lateAt[s] says that the queues
	// of score s hold one: they are in submission order, not ID order.
	maxSub  int64
	late    []ID
	lateAt  [MaxScore + 1]bool
	expNext ID // every ID below it is no longer active-by-time

	deferred []deferral

	// Ghosts are profiles that no round of a run can invite (see
	// AddGhost): ghost[i] packs a submission instant (Unix seconds) << 4
	// with a band index, in submission order; those before ghostNext
	// have expired. ghostBand counts the live ones per band.
	ghost     []int64
	ghostNext int
	ghostBand [data.NumBands]int32
	// batch holds ghosts kept as counts (AddGhostBatch), in order of
	// their start; those before batchNext have all expired. They count
	// nBatch ghosts, batchBand per band.
	batch     []countedBatch
	batchNext int
	batchBand [data.NumBands]int32
	nBatch    int
	// cuts are the instants t at which the pool will be asked which
	// ghosts submitted at or before t have expired (SetCuts).
	cuts []int64

	// compactions changes whenever a queue loses entries (see Mark).
	compactions uint64
	// batchFrom is the first ID of the batch being added (startBatch);
	// batchIDs and batchTmp are scratch of flushBatch and appendByScore.
	batchFrom ID
	batchIDs  []ID
	batchTmp  []ID

	// pendingCat[s] are the categories whose queue of score s
	// CompactCatQueue was asked to compact; the next Tidy(s) does it.
	pendingCat [MaxScore + 1]CategorySet
}

// catIndex holds a category's queues. They are compacted when a
// category round asks (CompactCatQueue). The queues hold the category's
// candidates with IDs below upto (late ones too: AddRaw); those added since
// go in when something next reads the queues (catFlush), found by one
// pass over the new IDs' category sets. So most of a run's arrivals reach
// a category's queues in one batch per round of that category, and those
// of categories no round draws, never; and adding a candidate costs no
// category any work. A nil index is an empty one with upto 0.
type catIndex struct {
	queue [MaxScore + 1][]ID
	upto  ID
}

type deferral struct {
	id ID
	at int64
}

// New returns an empty pool with room for capacity candidates.
func New(capacity int) *Pool {
	return &Pool{
		score:  make([]uint16, 0, capacity),
		sub:    make([]int64, 0, capacity),
		hot:    make([]uint8, 0, capacity),
		cats:   make([]CategorySet, 0, capacity),
		maxSub: math.MinInt64,
	}
}

// Reset empties the pool, keeping its storage.
func (p *Pool) Reset() {
	p.score = p.score[:0]
	p.sub = p.sub[:0]
	p.hot = p.hot[:0]
	p.cats = p.cats[:0]
	for s := range p.queue {
		p.queue[s] = p.queue[s][:0]
		p.gone[s] = 0
		p.active[s] = 0
	}
	for _, ci := range p.cat {
		if ci != nil {
			for s := range ci.queue {
				ci.queue[s] = ci.queue[s][:0]
			}
			ci.upto = 0
		}
	}
	p.nActive = 0
	p.maxSub = math.MinInt64
	p.late = p.late[:0]
	p.lateAt = [MaxScore + 1]bool{}
	p.expNext = 0
	p.ghost = p.ghost[:0]
	p.ghostNext = 0
	p.ghostBand = [data.NumBands]int32{}
	p.batch = p.batch[:0]
	p.batchNext = 0
	p.batchBand = [data.NumBands]int32{}
	p.nBatch = 0
	p.deferred = p.deferred[:0]
	p.pendingCat = [MaxScore + 1]CategorySet{}
	p.compactions++
}

// Len returns the number of candidates ever added.
func (p *Pool) Len() int { return len(p.score) }

// Active returns the number of active candidates, ghosts included.
func (p *Pool) Active() int { return p.nActive + p.Ghosts() }

// AddGhost adds a profile submitted at sub (Unix seconds) in band b
// (an index into data.BandEdges) that no round of the run can invite: its
// programs, nomination and categories make it ineligible for all of them.
// It counts in Active and BandCounts and expires after Validity like any
// profile, but has no ID, no queue entry and costs 8 bytes: about half of
// a pool is typically ineligible for every round of a year's schedule
// (candidates that never matter to a round may be kept as counts:
// docs/performance.md, "Where the time goes"). Ghosts should be added in
// submission order; an out-of-order ghost costs a search and a copy.
func (p *Pool) AddGhost(sub int64, b int) {
	g := sub<<4 | int64(b)
	if n := len(p.ghost); n > p.ghostNext && p.ghost[n-1] > g {
		i := p.ghostNext + sort.Search(n-p.ghostNext, func(i int) bool { return p.ghost[p.ghostNext+i] > g })
		p.ghost = slices.Insert(p.ghost, i, g)
	} else {
		p.ghost = append(p.ghost, g)
	}
	p.ghostBand[b]++
}

// Ghosts returns the number of ghosts in the pool (see AddGhost).
func (p *Pool) Ghosts() int { return len(p.ghost) - p.ghostNext + p.nBatch }

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

// Get returns candidate id.
func (p *Pool) Get(id ID) Candidate {
	a := data.Programs(p.hot[id] & 15)
	return Candidate{
		Score:      int(p.score[id]),
		Submitted:  time.Unix(p.sub[id], 0).UTC(),
		Programs:   a & data.Federal,
		Nominated:  a&data.PNP != 0,
		Categories: p.cats[id],
	}
}

// State returns the state of candidate id.
func (p *Pool) State(id ID) State { return State(p.hot[id] >> 4) }

// setState sets the state of candidate id.
func (p *Pool) setState(id ID, st State) { p.hot[id] = p.hot[id]&15 | uint8(st)<<4 }

// Hot returns the packed byte of candidate id that a round reads: its
// State in bits 4-5 and its data.Programs bits (data.PNP = nominated) in
// bits 0-3. One read gives both.
func (p *Pool) Hot(id ID) uint8 { return p.hot[id] }

// Score returns the score of candidate id.
func (p *Pool) Score(id ID) int { return int(p.score[id]) }

// Submitted returns the submission instant of candidate id in Unix seconds.
func (p *Pool) Submitted(id ID) int64 { return p.sub[id] }

// Attr returns the program and nomination bits of candidate id.
func (p *Pool) Attr(id ID) uint8 { return p.hot[id] & 15 }

// Cats returns the categories of candidate id.
func (p *Pool) Cats(id ID) CategorySet { return p.cats[id] }

// Queue returns the queue of score s: the IDs of every candidate at that
// score, active or not, in submission order. The slice is the pool's own:
// do not modify it, and do not keep it across changes to the pool.
func (p *Pool) Queue(s int) []ID { return p.queue[s] }

// ActiveAt returns the number of active candidates with score s.
func (p *Pool) ActiveAt(s int) int { return int(p.active[s]) }

// BandCounts returns the active candidates per band of data.BandEdges.
func (p *Pool) BandCounts() [data.NumBands]int {
	var out [data.NumBands]int
	for b, e := range data.BandEdges {
		out[b] = int(p.ghostBand[b] + p.batchBand[b])
		for s := e.Low; s <= e.High; s++ {
			out[b] += int(p.active[s])
		}
	}
	return out
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

// Clone returns a deep copy of the pool.
func (p *Pool) Clone() *Pool {
	c := &Pool{
		score:     append([]uint16(nil), p.score...),
		sub:       append([]int64(nil), p.sub...),
		hot:       append([]uint8(nil), p.hot...),
		cats:      append([]CategorySet(nil), p.cats...),
		gone:      p.gone,
		active:    p.active,
		nActive:   p.nActive,
		maxSub:    p.maxSub,
		late:      slices.Clone(p.late),
		lateAt:    p.lateAt,
		expNext:   p.expNext,
		deferred:  append([]deferral(nil), p.deferred...),
		ghost:     append([]int64(nil), p.ghost...),
		ghostNext: p.ghostNext,
		ghostBand: p.ghostBand,
		batch:     cloneBatches(nil, p.batch),
		cuts:      p.cuts,
		batchNext: p.batchNext,
		batchBand: p.batchBand,
		nBatch:    p.nBatch,

		compactions: p.compactions,
		pendingCat:  p.pendingCat,
	}
	for s := range p.queue {
		if len(p.queue[s]) > 0 {
			c.queue[s] = append([]ID(nil), p.queue[s]...)
		}
	}
	for k, ci := range p.cat {
		if ci != nil {
			cc := &catIndex{upto: ci.upto}
			for s := range ci.queue {
				if len(ci.queue[s]) > 0 {
					cc.queue[s] = append([]ID(nil), ci.queue[s]...)
				}
			}
			c.cat[k] = cc
		}
	}
	return c
}

// CopyFrom makes p a copy of src, reusing p's storage.
func (p *Pool) CopyFrom(src *Pool) {
	p.score = append(p.score[:0], src.score...)
	p.sub = append(p.sub[:0], src.sub...)
	p.hot = append(p.hot[:0], src.hot...)
	p.cats = append(p.cats[:0], src.cats...)
	for s := range src.queue {
		p.queue[s] = append(p.queue[s][:0], src.queue[s]...)
	}
	for k, sci := range src.cat {
		switch {
		case sci == nil && p.cat[k] != nil:
			for s := range p.cat[k].queue {
				p.cat[k].queue[s] = p.cat[k].queue[s][:0]
			}
			p.cat[k].upto = 0
		case sci != nil:
			ci := p.catIdx(k)
			for s := range sci.queue {
				ci.queue[s] = append(ci.queue[s][:0], sci.queue[s]...)
			}
			ci.upto = sci.upto
		}
	}
	p.gone = src.gone
	p.active = src.active
	p.nActive = src.nActive
	p.maxSub = src.maxSub
	p.late = append(p.late[:0], src.late...)
	p.lateAt = src.lateAt
	p.expNext = src.expNext
	p.deferred = append(p.deferred[:0], src.deferred...)
	p.ghost = append(p.ghost[:0], src.ghost...)
	p.ghostNext = src.ghostNext
	p.ghostBand = src.ghostBand
	p.batch = cloneBatches(p.batch, src.batch)
	p.cuts = src.cuts
	p.batchNext = src.batchNext
	p.batchBand = src.batchBand
	p.nBatch = src.nBatch
	// A mark taken on either pool before the copy must not hold after it.
	p.compactions = max(p.compactions, src.compactions) + 1
	p.pendingCat = src.pendingCat
}
