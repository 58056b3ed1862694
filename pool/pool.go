package pool

import (
	"math"
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
