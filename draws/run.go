package draws

import (
	"errors"
	"math"
	"math/bits"
	"time"

	"github.com/eesim/eesim/data"
	"github.com/eesim/eesim/pool"
)

// eligibility is a compiled eligibility rule: attr (data.Programs bits of a
// candidate, data.PNP for a nominee) must be in ok, and the candidate must
// hold one of cats unless cats is 0.
type eligibility struct {
	ok       [16]bool
	cats     pool.CategorySet
	progs    data.Programs // programs invitations may be issued under
	nomAsPNP bool
}

func compile(r Round, rules Rules) eligibility {
	var e eligibility
	switch r.Type {
	case data.General:
		for a := range e.ok {
			e.ok[a] = true
		}
		e.progs = data.AllPrograms
		e.nomAsPNP = true
		return e
	case data.Category:
		e.cats = r.Categories
	}
	progs := r.Programs
	if r.Type == data.Category && progs&data.Federal == 0 {
		progs |= data.Federal
	}
	nominees := progs&data.PNP != 0
	allowNom := rules.NomineesInProgramRounds
	if r.Type == data.Category {
		allowNom = rules.NomineesInCategoryRounds
	}
	for a := range e.ok {
		attr := data.Programs(a)
		if attr&data.PNP != 0 {
			e.ok[a] = nominees || (allowNom && attr&progs&data.Federal != 0)
		} else {
			e.ok[a] = attr&progs&data.Federal != 0
		}
	}
	e.progs = progs
	e.nomAsPNP = nominees
	return e
}

// Eligible reports whether candidate c may be ranked in round r.
func Eligible(c pool.Candidate, r Round, rules Rules) bool {
	e := compile(r, rules)
	a := uint8(c.Programs & data.Federal)
	if c.Nominated {
		a |= uint8(data.PNP)
	}
	return e.ok[a] && (e.cats == 0 || c.Categories&e.cats != 0)
}

// table returns, for each packed byte of pool.Pool.Hot (state in bits
// 4-5, attributes in bits 0-3), the ByProgram index the candidate is
// invited under, or -1 when the candidate is not active or not eligible
// by programs and nomination. One lookup replaces a state check, an
// eligibility check and the program priority.
func (e *eligibility) table() (t [64]int8) {
	for h := range t {
		t[h] = -1
		a := uint8(h & 15)
		if pool.State(h>>4) == pool.Active && e.ok[a] {
			t[h] = int8(e.program(a))
		}
	}
	return t
}

// nomineesOnly reports whether only nominees are eligible.
func (e *eligibility) nomineesOnly() bool {
	some := false
	for a, ok := range e.ok {
		if ok && data.Programs(a)&data.PNP == 0 {
			return false
		}
		some = some || ok
	}
	return some
}

// program returns the ByProgram index a candidate with attr is invited under.
func (e *eligibility) program(attr uint8) int {
	a := data.Programs(attr)
	if a&data.PNP != 0 && e.nomAsPNP {
		return ByPNP
	}
	a &= e.progs
	switch {
	case a&data.CEC != 0:
		return ByCEC
	case a&data.FSW != 0:
		return ByFSW
	case a&data.FST != 0:
		return ByFST
	}
	return ByPNP
}

// takeCats is pool.Pool.Take for a round of several categories: a
// candidate must also hold one of cats. It returns the index in q after
// the last one invited and the entries passed that left the pool.
func takeCats(p *pool.Pool, s int, q []pool.ID, tbl *[64]int8, cats pool.CategorySet, need int, res *Result) (next, departed int) {
	for i, id := range q {
		h := p.Hot(id)
		k := tbl[h&63]
		if k < 0 {
			if pool.State(h>>4) != pool.Active {
				departed++
			}
			continue
		}
		if p.Cats(id)&cats == 0 {
			continue
		}
		res.Invited = append(res.Invited, id)
		res.ByProgram[k]++
		p.InviteAt(id, s)
		if need--; need == 0 {
			return i + 1, departed
		}
	}
	return len(q), departed
}

// ErrSize is returned for a round with a negative size.
var ErrSize = errors.New("draws: negative round size")

// Run runs round r on pool p: it invites the top r.Size eligible
// candidates by (score descending, submission ascending), marks them
// invited in p, and returns the result. Candidates tied with the last one
// invited at the same score and the same second are invited too, so
// len(Invited) may exceed the size; RankRequired stays the size. It does not sort: it walks the
// pool's per-score queues, which are kept in submission order, from the
// top score down, so its cost is proportional to the candidates it looks
// at plus the score range.
func Run(p *pool.Pool, r Round, rules Rules) (Result, error) {
	var res Result
	err := RunInto(p, r, rules, &res)
	return res, err
}

// reset empties res for a round of size, keeping Invited's storage.
func (res *Result) reset(size int) {
	*res = Result{Invited: res.Invited[:0], Cutoff: NoCutoff, RankRequired: size}
}

// RunInto is Run writing into res, reusing res.Invited's storage.
func RunInto(p *pool.Pool, r Round, rules Rules, res *Result) error {
	if r.Size < 0 {
		return ErrSize
	}
	e := compile(r, rules)
	res.reset(r.Size)

	need := r.Size
	if r.AllNominees {
		n := 0
		for s := pool.MaxScore; s > 600; s-- {
			n += p.ActiveAt(s) // only nominees score above 600
		}
		need = max(need, n)
		res.RankRequired = need
	}
	if need == 0 {
		return nil
	}
	// A round of one category walks that category's own queues, whose
	// candidates all hold it.
	catBit := -1
	cats := e.cats
	if cats != 0 && cats&(cats-1) == 0 {
		catBit = bits.TrailingZeros32(uint32(cats))
		cats = 0
	}
	tbl := e.table()
	pick := pool.NewPick(&tbl)
	low := e.lowest(r)
	for s := pool.MaxScore; s >= low; s-- {
		if p.ActiveAt(s) == 0 {
			continue
		}
		var q []pool.ID
		if catBit >= 0 {
			p.TidyCat(catBit, s)
			q = p.CatQueue(catBit, s)
		} else {
			p.Tidy(s)
			q = p.Queue(s)
		}
		var (
			next, departed int
			before         = len(res.Invited)
		)
		if cats == 0 {
			res.Invited, next, departed = p.Take(s, q, pick, need, res.Invited, &res.ByProgram)
		} else {
			next, departed = takeCats(p, s, q, &tbl, cats, need, res)
		}
		need -= len(res.Invited) - before
		if catBit >= 0 && departed > 16 && 2*departed > next {
			// Most of what the round walked had left: the next round
			// of the category should not walk it again.
			p.CompactCatQueue(catBit, s)
		}
		if need > 0 {
			continue
		}
		res.Cutoff = s
		last := p.Submitted(res.Invited[len(res.Invited)-1])
		// Candidates tied with the last one invited: under BySubmission
		// only those submitted in the same second (the rule invites "at
		// or before" the instant); under AllTied everyone eligible at
		// this score.
		for _, id := range q[next:] {
			k := tbl[p.Hot(id)&63]
			if k < 0 || cats != 0 && p.Cats(id)&cats == 0 {
				continue
			}
			if rules.TieBreak == BySubmission && p.Submitted(id) != last {
				break
			}
			res.Invited = append(res.Invited, id)
			res.ByProgram[k]++
			p.InviteAt(id, s)
			last = p.Submitted(id)
		}
		res.TieBreak = time.Unix(last, 0).UTC()
		return nil
	}
	// The eligible pool ran out before the size was reached.
	res.Short = true
	if n := len(res.Invited); n > 0 {
		id := res.Invited[n-1]
		res.Cutoff = p.Score(id)
		res.TieBreak = time.Unix(p.Submitted(id), 0).UTC()
	}
	return nil
}

// lowest returns the lowest score round r ranks: its Floor, and for a
// round only nominees can enter, the nomination's own points (no nominee
// scores under them, so the round need not look further down).
func (e *eligibility) lowest(r Round) int {
	low := max(r.Floor, 0)
	if e.nomineesOnly() {
		low = max(low, pool.NominationPoints)
	}
	return low
}

// Lowest returns the lowest score round r ranks under rules: a candidate
// under it can never be invited by r.
func Lowest(r Round, rules Rules) int {
	e := compile(r, rules)
	return e.lowest(r)
}

// Compile returns round r's eligibility as a table over a candidate's
// attribute bits (data.Programs, data.PNP for a nominee) and the category
// bits the candidate must hold one of (0 for none).
func Compile(r Round, rules Rules) (ok [16]bool, cats pool.CategorySet) {
	e := compile(r, rules)
	return e.ok, e.cats
}

// RunToCutoff runs a round whose result is known: it invites every
// eligible candidate above cutoff, and at cutoff those submitted at or
// before tieBreak (all of them when tieBreak is zero), whatever their
// number. It replays published rounds on a synthetic pool, so that the
// pool is drained exactly where IRCC drained it.
func RunToCutoff(p *pool.Pool, r Round, rules Rules, cutoff int, tieBreak time.Time, res *Result) {
	e := compile(r, rules)
	res.reset(r.Size)
	if cutoff < 0 {
		cutoff = 0
	}
	tb := int64(math.MaxInt64)
	if !tieBreak.IsZero() {
		tb = tieBreak.Unix()
	}
	tbl := e.table()
	for s := pool.MaxScore; s >= cutoff; s-- {
		if p.ActiveAt(s) == 0 {
			continue
		}
		p.Tidy(s)
		for _, id := range p.Queue(s) {
			k := tbl[p.Hot(id)&63]
			if k < 0 {
				continue
			}
			if s == cutoff && p.Submitted(id) > tb {
				break // the queue is in submission order
			}
			if e.cats != 0 && p.Cats(id)&e.cats == 0 {
				continue
			}
			res.Invited = append(res.Invited, id)
			res.ByProgram[k]++
			p.InviteAt(id, s)
		}
	}
	if n := len(res.Invited); n > 0 {
		last := res.Invited[n-1]
		res.Cutoff = p.Score(last)
		res.TieBreak = time.Unix(p.Submitted(last), 0).UTC()
	}
}
