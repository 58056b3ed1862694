package pool_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/eesim/eesim/data"
	"github.com/eesim/eesim/draws"
	"github.com/eesim/eesim/pool"
)

var t0 = time.Date(2025, 1, 6, 12, 0, 0, 0, time.UTC)

const day = 24 * time.Hour

// validity in seconds, derived independently of pool.Validity: 365 days of
// 86,400 seconds.
const validity = 365 * 86400

func add(t testing.TB, p *pool.Pool, score int, sub time.Time, progs data.Programs) pool.ID {
	t.Helper()
	id, err := p.Add(pool.Candidate{Score: score, Submitted: sub, Programs: progs})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// topN ranks the active candidates by (score descending, submission
// ascending, ID ascending) by sorting them all: the reference the pool's
// queues must agree with.
func topN(p *pool.Pool, n int) []pool.ID {
	var all []pool.ID
	for i := range p.Len() {
		if p.State(pool.ID(i)) == pool.Active {
			all = append(all, pool.ID(i))
		}
	}
	sort.SliceStable(all, func(i, j int) bool {
		a, b := all[i], all[j]
		if p.Score(a) != p.Score(b) {
			return p.Score(a) > p.Score(b)
		}
		return p.Submitted(a) < p.Submitted(b)
	})
	return all[:min(n, len(all))]
}

func TestAddValidation(t *testing.T) {
	p := pool.New(0)
	for _, s := range []int{-1, pool.MaxScore + 1} {
		if _, err := p.Add(pool.Candidate{Score: s, Submitted: t0}); err == nil {
			t.Errorf("score %d: no error", s)
		}
	}
	// A nomination alone is worth 600 points.
	if _, err := p.Add(pool.Candidate{Score: 599, Submitted: t0, Programs: data.FSW, Nominated: true}); err == nil {
		t.Error("nominee at 599: no error")
	}
	if p.Len() != 0 || p.Active() != 0 {
		t.Errorf("rejected adds changed the pool: len %d, active %d", p.Len(), p.Active())
	}
	// Get returns what was added; the PNP bit comes from Nominated only.
	c := pool.Candidate{Score: 1200, Submitted: t0, Programs: data.CEC | data.FST | data.PNP, Nominated: true, Categories: 5}
	id, err := p.Add(c)
	if err != nil {
		t.Fatal(err)
	}
	c.Programs = data.CEC | data.FST
	if got := p.Get(id); got != c {
		t.Errorf("Get = %+v, want %+v", got, c)
	}
	if got, want := p.Attr(id), uint8(data.CEC|data.FST|data.PNP); got != want {
		t.Errorf("Attr = %04b, want %04b", got, want)
	}
}

// Adds out of submission order still leave each score's queue in
// submission order, equal instants in the order added.
func TestAddOutOfOrder(t *testing.T) {
	p := pool.New(0)
	subs := []time.Duration{5, 1, 3, 1, 2, 0} // seconds after t0
	for _, s := range subs {
		add(t, p, 480, t0.Add(s*time.Second), data.FSW)
	}
	// Sorted by (submission, ID): 5@0s, 1@1s, 3@1s, 4@2s, 2@3s, 0@5s.
	if want := []pool.ID{5, 1, 3, 4, 2, 0}; !slices.Equal(p.Queue(480), want) {
		t.Errorf("queue %v, want %v", p.Queue(480), want)
	}
	// A mixed pool in random order: ranking by the queues equals ranking
	// by a full sort.
	rng := rand.New(rand.NewPCG(1, 2))
	p = pool.New(0)
	for range 3000 {
		add(t, p, 440+rng.IntN(20), t0.Add(time.Duration(rng.IntN(500))*time.Second), data.CEC)
	}
	want := topN(p, 1000)
	res, err := draws.Run(p, draws.Round{Type: data.General, Size: 1000}, draws.DefaultRules)
	if err != nil {
		t.Fatal(err)
	}
	// Run may add same-second ties past 1000; the first 1000 must match.
	if !slices.Equal(res.Invited[:1000], want) {
		t.Errorf("ranking of an out-of-order pool differs from a full sort")
	}
}

func TestAdvanceExpiry(t *testing.T) {
	for _, ordered := range []bool{true, false} {
		t.Run(fmt.Sprintf("ordered=%v", ordered), func(t *testing.T) {
			p := pool.New(0)
			var a, b, c pool.ID
			if ordered {
				a = add(t, p, 450, t0, data.CEC)
				b = add(t, p, 460, t0.Add(10*time.Second), data.CEC)
				c = add(t, p, 450, t0.Add(day), data.CEC)
			} else {
				c = add(t, p, 450, t0.Add(day), data.CEC)
				b = add(t, p, 460, t0.Add(10*time.Second), data.CEC)
				a = add(t, p, 450, t0, data.CEC)
			}
			start := t0.Unix()
			steps := []struct {
				now     int64
				expired int
				states  [3]pool.State // a, b, c
			}{
				// One second before a's 365 days: nobody.
				{start + validity - 1, 0, [3]pool.State{pool.Active, pool.Active, pool.Active}},
				// Exactly 365 days after a: a expires.
				{start + validity, 1, [3]pool.State{pool.Expired, pool.Active, pool.Active}},
				// b at exactly its 365 days (10 s later).
				{start + validity + 9, 0, [3]pool.State{pool.Expired, pool.Active, pool.Active}},
				{start + validity + 10, 1, [3]pool.State{pool.Expired, pool.Expired, pool.Active}},
				// The same instant again changes nothing.
				{start + validity + 10, 0, [3]pool.State{pool.Expired, pool.Expired, pool.Active}},
				// c, a day later.
				{start + validity + 86400, 1, [3]pool.State{pool.Expired, pool.Expired, pool.Expired}},
			}
			for _, s := range steps {
				if got := p.Advance(s.now); got != s.expired {
					t.Errorf("Advance(start+%d) expired %d, want %d", s.now-start, got, s.expired)
				}
				got := [3]pool.State{p.State(a), p.State(b), p.State(c)}
				if got != s.states {
					t.Errorf("after Advance(start+%d): states %v, want %v", s.now-start, got, s.states)
				}
			}
			if p.Active() != 0 {
				t.Errorf("%d active, want 0", p.Active())
			}
		})
	}
	// Advance skipping far ahead expires everything before the limit at once.
	p := pool.New(0)
	for i := range 100 {
		add(t, p, 400+i, t0.Add(time.Duration(i)*day), data.FSW)
	}
	// Limit = now - 365 d = t0 + 49 d: candidates 0..49 expire.
	if got := p.Advance(t0.Add((365 + 49) * day).Unix()); got != 50 {
		t.Errorf("expired %d, want 50", got)
	}
	if p.Active() != 50 || p.ActiveAt(449) != 0 || p.ActiveAt(450) != 1 {
		t.Errorf("active %d, at 449: %d, at 450: %d; want 50, 0, 1", p.Active(), p.ActiveAt(449), p.ActiveAt(450))
	}
}

// A candidate who declines returns at the set instant with the original
// submission instant, and ranks ahead of those submitted after it.
func TestDeferReturn(t *testing.T) {
	p := pool.New(0)
	a := add(t, p, 500, t0, data.CEC)
	b := add(t, p, 500, t0.Add(time.Hour), data.CEC)
	c := add(t, p, 490, t0, data.CEC)
	res, err := draws.Run(p, draws.Round{Type: data.General, Size: 1}, draws.DefaultRules)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.Invited, []pool.ID{a}) {
		t.Fatalf("first round invited %v, want [%d]", res.Invited, a)
	}
	back := t0.Add(30 * day).Unix()
	p.Defer(a, back)
	p.Defer(b, back) // b is Active, not Invited: no-op
	if p.State(a) != pool.Deferred || p.State(b) != pool.Active {
		t.Fatalf("states a %v, b %v, want Deferred, Active", p.State(a), p.State(b))
	}
	// A candidate added while a is out, at a's score but later.
	d := add(t, p, 500, t0.Add(2*time.Hour), data.CEC)

	p.Advance(back - 1)
	if p.State(a) != pool.Deferred || p.Active() != 3 || p.ActiveAt(500) != 2 {
		t.Fatalf("one second before the return: state %v, active %d, at 500: %d; want Deferred, 3, 2",
			p.State(a), p.Active(), p.ActiveAt(500))
	}
	p.Advance(back)
	if p.State(a) != pool.Active || p.Active() != 4 || p.ActiveAt(500) != 3 {
		t.Fatalf("at the return: state %v, active %d, at 500: %d; want Active, 4, 3",
			p.State(a), p.Active(), p.ActiveAt(500))
	}
	if got := p.Get(a).Submitted; !got.Equal(t0) {
		t.Errorf("submitted after return %s, want the original %s", got, t0)
	}
	// Rank: a (500, t0), b (500, +1h), d (500, +2h), c (490).
	res, err = draws.Run(p, draws.Round{Type: data.General, Size: 4}, draws.DefaultRules)
	if err != nil {
		t.Fatal(err)
	}
	if want := []pool.ID{a, b, d, c}; !slices.Equal(res.Invited, want) {
		t.Errorf("after the return invited %v, want %v", res.Invited, want)
	}
}

// A deferred candidate whose profile expires while out never returns; the
// expiry instant itself counts as expired.
func TestDeferExpiresWhileOut(t *testing.T) {
	for _, tt := range []struct {
		name  string
		back  int64 // seconds after t0
		state pool.State
	}{
		{"returns a second before expiry", validity - 1, pool.Active},
		{"returns at expiry", validity, pool.Expired},
		{"returns after expiry", validity + 86400, pool.Expired},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := pool.New(0)
			a := add(t, p, 500, t0, data.CEC)
			add(t, p, 480, t0.Add(200*day), data.CEC)
			p.Invite([]pool.ID{a})
			back := t0.Unix() + tt.back
			p.Defer(a, back)
			p.Advance(back)
			if p.State(a) != tt.state {
				t.Errorf("state at the return instant %v, want %v", p.State(a), tt.state)
			}
			// Later it is gone whatever happened: returned then expired, or
			// expired while out.
			p.Advance(t0.Unix() + validity + 2*86400)
			if p.State(a) != pool.Expired {
				t.Errorf("state later %v, want Expired", p.State(a))
			}
			if p.Active() != 1 || p.ActiveAt(500) != 0 {
				t.Errorf("active %d, at 500: %d; want 1, 0", p.Active(), p.ActiveAt(500))
			}
		})
	}
}

func TestBandCounts(t *testing.T) {
	p := pool.New(0)
	scores := []int{1200, 601, 601, 600, 501, 500, 491, 490, 481, 455, 450, 441, 401, 400, 351, 350, 301, 300, 0, 0}
	for i, s := range scores {
		add(t, p, s, t0.Add(time.Duration(i)*time.Second), data.FSW)
	}
	// By hand, bands in BandEdges order: 601-1200: 1200, 601, 601 = 3;
	// 501-600: 600, 501 = 2; 491-500: 500, 491 = 2; 481-490: 490, 481 = 2;
	// 471-480, 461-470: 0; 451-460: 455 = 1; 441-450: 450, 441 = 2;
	// 431-440 .. 411-420: 0; 401-410: 401 = 1; 351-400: 400, 351 = 2;
	// 301-350: 350, 301 = 2; 0-300: 300, 0, 0 = 3. Total 20.
	want := [data.NumBands]int{3, 2, 2, 2, 0, 0, 1, 2, 0, 0, 0, 1, 2, 2, 3}
	if got := p.BandCounts(); got != want {
		t.Errorf("BandCounts = %v, want %v", got, want)
	}
	// Take out the 1200 (ID 0), a 0 (ID 18) and the 450 (ID 10).
	p.Invite([]pool.ID{0, 18})
	p.Remove(10)
	want = [data.NumBands]int{2, 2, 2, 2, 0, 0, 1, 1, 0, 0, 0, 1, 2, 2, 2}
	if got := p.BandCounts(); got != want {
		t.Errorf("after taking out 3: BandCounts = %v, want %v", got, want)
	}
	if p.Active() != 17 {
		t.Errorf("active %d, want 17", p.Active())
	}
}

// snapshot is everything observable about a pool.
func snapshot(p *pool.Pool) string {
	var b []byte
	b = fmt.Appendf(b, "len %d active %d bands %v\n", p.Len(), p.Active(), p.BandCounts())
	for i := range p.Len() {
		id := pool.ID(i)
		b = fmt.Appendf(b, "%d %+v %v\n", id, p.Get(id), p.State(id))
	}
	for s := range pool.MaxScore + 1 {
		if q := p.Queue(s); len(q) > 0 || p.ActiveAt(s) > 0 {
			b = fmt.Appendf(b, "q%d %d %v\n", s, p.ActiveAt(s), q)
		}
	}
	return string(b)
}

func TestCloneAndCopyFrom(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	p := randomPool(t, rng, 2000, true)
	draws.Run(p, draws.Round{Type: data.General, Size: 300}, draws.DefaultRules)
	p.Defer(p.Queue(p.Score(0))[0], t0.Add(400*day).Unix()) // may be a no-op
	orig := snapshot(p)

	c := p.Clone()
	if got := snapshot(c); got != orig {
		t.Fatal("clone differs from the original")
	}
	var d pool.Pool // CopyFrom into a used pool of another size
	d = *pool.New(10)
	add(t, &d, 10, t0, data.FST)
	d.CopyFrom(p)
	if got := snapshot(&d); got != orig {
		t.Fatal("CopyFrom differs from the original")
	}
	// Mutating the copies leaves the original alone, and each other.
	for _, q := range []*pool.Pool{c, &d} {
		add(t, q, 700, t0.Add(100*day), data.CEC)
		draws.Run(q, draws.Round{Type: data.General, Size: 500}, draws.DefaultRules)
		q.Advance(t0.Add(500 * day).Unix())
	}
	if got := snapshot(p); got != orig {
		t.Error("the original changed when its copies did")
	}
	if snapshot(c) != snapshot(&d) {
		t.Error("clone and copy differ after the same changes")
	}
	// And the original can still be changed without touching the copies.
	cs := snapshot(c)
	draws.Run(p, draws.Round{Type: data.General, Size: 100}, draws.DefaultRules)
	if snapshot(c) != cs {
		t.Error("the clone changed when the original did")
	}
}

// Invite most of a score's queue, then Advance and Tidy: the queue is
// compacted and ranking stays right, deferred candidates included.
func TestCompaction(t *testing.T) {
	p := pool.New(0)
	for i := range 1000 {
		add(t, p, 500, t0.Add(time.Duration(i)*time.Minute), data.CEC)
	}
	for i := range 10 {
		add(t, p, 499, t0.Add(time.Duration(i)*time.Minute), data.CEC)
	}
	res, err := draws.Run(p, draws.Round{Type: data.General, Size: 800}, draws.DefaultRules)
	if err != nil {
		t.Fatal(err)
	}
	// IDs 0..799 invited; two of them decline before the next Advance.
	back := t0.Add(60 * day).Unix()
	p.Defer(5, back)
	p.Defer(700, back)
	p.Advance(t0.Add(10 * day).Unix())
	if got := len(p.Queue(500)); got != 1000 {
		t.Errorf("queue 500 has %d entries before a round walks it, want all 1000", got)
	}
	p.Tidy(500) // as the next round does before walking it
	// 798 of the 1000 entries are gone for good (>= half, >= 16): the
	// queue keeps the 200 active and the 2 deferred.
	if got := len(p.Queue(500)); got != 202 {
		t.Errorf("queue 500 has %d entries after compaction, want 202", got)
	}
	if p.ActiveAt(500) != 200 || p.Active() != 210 {
		t.Errorf("active at 500: %d, total %d; want 200, 210", p.ActiveAt(500), p.Active())
	}
	// Next round of 3: IDs 800, 801, 802.
	res, err = draws.Run(p, draws.Round{Type: data.General, Size: 3}, draws.DefaultRules)
	if err != nil {
		t.Fatal(err)
	}
	if want := []pool.ID{800, 801, 802}; !slices.Equal(res.Invited, want) {
		t.Errorf("after compaction invited %v, want %v", res.Invited, want)
	}
	// The deferred return and rank first again (submitted earliest).
	p.Advance(back)
	if want := topN(p, 4); !slices.Equal(want, []pool.ID{5, 700, 803, 804}) {
		t.Fatalf("reference ranking %v, want [5 700 803 804]", want)
	}
	res, err = draws.Run(p, draws.Round{Type: data.General, Size: 4}, draws.DefaultRules)
	if err != nil {
		t.Fatal(err)
	}
	if want := []pool.ID{5, 700, 803, 804}; !slices.Equal(res.Invited, want) {
		t.Errorf("after the return invited %v, want %v", res.Invited, want)
	}
}

// randomPool builds a pool of n candidates with scores in a narrow range
// and submission instants on a coarse grid over 300 days from t0, so that scores and
// seconds are often shared. With ordered false, candidates are added in a
// shuffled order.
func randomPool(t testing.TB, rng *rand.Rand, n int, ordered bool) *pool.Pool {
	cs := make([]pool.Candidate, n)
	for i := range cs {
		c := pool.Candidate{
			Score:     430 + rng.IntN(80),
			Submitted: t0.Add(time.Duration(rng.IntN(300*24)) * time.Hour), // hour grid: many same-second ties
		}
		for c.Programs == 0 {
			c.Programs = data.Programs(rng.IntN(8))
		}
		if rng.IntN(20) == 0 {
			c.Nominated = true
			c.Score += 600
		}
		c.Categories = pool.CategorySet(rng.IntN(4)) // french, healthcare, both or none
		cs[i] = c
	}
	if ordered {
		sort.SliceStable(cs, func(i, j int) bool { return cs[i].Submitted.Before(cs[j].Submitted) })
	}
	p := pool.New(n)
	for _, c := range cs {
		if _, err := p.Add(c); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

func keys(p *pool.Pool, ids []pool.ID) []pool.Candidate {
	out := make([]pool.Candidate, len(ids))
	for i, id := range ids {
		out[i] = p.Get(id)
	}
	return out
}

// The invariant: a pool updated round by round (rounds of every type,
// declines, expiries, late arrivals) equals a pool rebuilt from its
// surviving active candidates, added in submission order.
func TestPoolRoundByRoundEqualsRebuilt(t *testing.T) {
	french, healthcare := pool.CategorySet(1), pool.CategorySet(2)
	rounds := []draws.Round{
		{Type: data.General, Size: 700},
		{Type: data.Program, Programs: data.PNP, Size: 40},
		{Type: data.Program, Programs: data.CEC, Size: 900},
		{Type: data.Category, Categories: french, Size: 500},
		{Type: data.Program, Programs: data.FSW, Size: 300},
		{Type: data.Category, Categories: healthcare, Programs: data.FST, Size: 60},
		{Type: data.Program, Programs: data.CEC | data.PNP, Size: 400},
		{Type: data.General, Size: 300},
		{Type: data.Category, Categories: french | healthcare, Size: 800},
	}
	next := []draws.Round{
		{Type: data.Program, Programs: data.PNP, Size: 30},
		{Type: data.Program, Programs: data.CEC, Size: 1000},
		{Type: data.Category, Categories: french, Size: 700},
		{Type: data.General, Size: 1500},
	}
	for _, ordered := range []bool{true, false} {
		for _, rules := range []draws.Rules{{}, {NomineesInProgramRounds: true, NomineesInCategoryRounds: true, TieBreak: draws.AllTied}} {
			t.Run(fmt.Sprintf("ordered=%v/rules=%+v", ordered, rules), func(t *testing.T) {
				rng := rand.New(rand.NewPCG(2025, 12))
				p := randomPool(t, rng, 20000, ordered)
				// Rounds every 14 days from day 300 (after every
				// submission, so late arrivals keep an ordered pool
				// ordered) to day 426: the first two months of profiles
				// expire along the way.
				now := t0.Add(300 * day)
				var pending []int64
				expired := 0
				for i, r := range rounds {
					now = now.Add(14 * day)
					r.Instant = now
					res, err := draws.Run(p, r, rules)
					if err != nil {
						t.Fatal(err)
					}
					// Every 7th invitee declines and returns 1 to 40
					// days later; some return after the comparison, so
					// are still out then.
					for j := 0; j < len(res.Invited); j += 7 {
						at := now.Add(time.Duration(1+rng.IntN(40)) * day).Unix()
						p.Defer(res.Invited[j], at)
						pending = append(pending, at)
					}
					// Late arrivals, in time order after the pool's.
					for k := range 50 {
						c := pool.Candidate{Score: 440 + rng.IntN(70), Programs: data.CEC,
							Submitted: now.Add(time.Duration(k) * time.Minute), Categories: french}
						if k%5 == 0 {
							c.Nominated, c.Score = true, c.Score+600
						}
						if _, err := p.Add(c); err != nil {
							t.Fatal(err)
						}
					}
					expired += p.Advance(now.Add(time.Duration(i) * day).Unix())
				}
				// The test must exercise expiry and compaction (entries leave the
				// queues only by compaction).
				queued := 0
				for s := range pool.MaxScore + 1 {
					queued += len(p.Queue(s))
				}
				if expired == 0 || queued == p.Len() {
					t.Fatalf("expired %d, %d queue entries of %d candidates: want expiries and compacted queues", expired, queued, p.Len())
				}
				t.Logf("after %d rounds: %d active of %d; %d declines, %d expired", len(rounds), p.Active(), p.Len(), len(pending), expired)

				// Rebuild from the active survivors, by (submission, ID):
				// the order within a second is the original pool's.
				var surv []pool.ID
				for i := range p.Len() {
					if p.State(pool.ID(i)) == pool.Active {
						surv = append(surv, pool.ID(i))
					}
				}
				sort.SliceStable(surv, func(i, j int) bool { return p.Submitted(surv[i]) < p.Submitted(surv[j]) })
				fresh := pool.New(len(surv))
				for _, id := range surv {
					if _, err := fresh.Add(p.Get(id)); err != nil {
						t.Fatal(err)
					}
				}
				if fresh.Active() != p.Active() {
					t.Fatalf("active: rebuilt %d, updated %d", fresh.Active(), p.Active())
				}
				if fresh.BandCounts() != p.BandCounts() {
					t.Errorf("band counts: rebuilt %v, updated %v", fresh.BandCounts(), p.BandCounts())
				}
				for s := range pool.MaxScore + 1 {
					if fresh.ActiveAt(s) != p.ActiveAt(s) {
						t.Fatalf("active at %d: rebuilt %d, updated %d", s, fresh.ActiveAt(s), p.ActiveAt(s))
					}
				}
				// The same next rounds on both, in sequence.
				for _, r := range next {
					r.Instant = now.Add(14 * day)
					a, err := draws.Run(p, r, rules)
					if err != nil {
						t.Fatal(err)
					}
					b, err := draws.Run(fresh, r, rules)
					if err != nil {
						t.Fatal(err)
					}
					if len(a.Invited) == 0 {
						t.Fatalf("%s round invited nobody: the test is too weak", r.Family())
					}
					ka, kb := keys(p, a.Invited), keys(fresh, b.Invited)
					if !slices.Equal(ka, kb) {
						t.Errorf("%s round: updated invited %d, rebuilt %d; first difference at %d",
							r.Family(), len(ka), len(kb), firstDiff(ka, kb))
					}
					if a.Cutoff != b.Cutoff || !a.TieBreak.Equal(b.TieBreak) || a.ByProgram != b.ByProgram || a.Short != b.Short {
						t.Errorf("%s round: updated %v %v, rebuilt %v %v", r.Family(), a.String(), a.ByProgram, b.String(), b.ByProgram)
					}
					if fresh.BandCounts() != p.BandCounts() {
						t.Errorf("after the %s round: band counts rebuilt %v, updated %v", r.Family(), fresh.BandCounts(), p.BandCounts())
					}
				}
			})
		}
	}
}

func firstDiff(a, b []pool.Candidate) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// Candidates submitted in the same second who decline after their queue
// was compacted go back in ID order, and a second decline finds them in
// the queue (binary search by ID) instead of adding them twice.
func TestDeferSameSecondAfterCompaction(t *testing.T) {
	p := pool.New(0)
	for range 40 {
		add(t, p, 500, t0, data.CEC)
	}
	if _, err := draws.Run(p, draws.Round{Type: data.General, Size: 40}, draws.DefaultRules); err != nil {
		t.Fatal(err)
	}
	p.Advance(t0.Add(day).Unix())
	p.Tidy(500) // 40 gone: compacted to nothing
	if n := len(p.Queue(500)); n != 0 {
		t.Fatalf("queue 500 has %d entries after compaction, want 0", n)
	}
	back := t0.Add(2 * day).Unix()
	for _, id := range []pool.ID{20, 10, 30} {
		p.Defer(id, back)
	}
	if got := p.Queue(500); !slices.Equal(got, []pool.ID{10, 20, 30}) {
		t.Fatalf("queue after the returns %v, want [10 20 30]", got)
	}
	p.Advance(back)
	res, err := draws.Run(p, draws.Round{Type: data.General, Size: 3}, draws.DefaultRules)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.Invited, []pool.ID{10, 20, 30}) {
		t.Fatalf("invited %v, want [10 20 30]", res.Invited)
	}
	p.Defer(20, back+86400) // still queued: found, not added again
	if got := p.Queue(500); !slices.Equal(got, []pool.ID{10, 20, 30}) {
		t.Fatalf("queue after a second decline %v, want [10 20 30]", got)
	}
	p.Advance(back + 86400)
	if p.Active() != 1 || p.ActiveAt(500) != 1 {
		t.Errorf("active %d (at 500: %d), want 1", p.Active(), p.ActiveAt(500))
	}
}

// catQueues is every category queue of p, for categories french and
// healthcare (bits 0 and 1 of randomPool).
func catQueues(p *pool.Pool) string {
	var b []byte
	for k := range 2 {
		for s := range pool.MaxScore + 1 {
			if q := p.CatQueue(k, s); len(q) > 0 {
				b = fmt.Appendf(b, "c%d/%d %v\n", k, s, q)
			}
		}
	}
	return string(b)
}

// DeferInvited skips the queue searches of Defer when the pool's mark
// proves they would find the candidates; so a pool declined with it must
// stay the same, queue by queue, as one declined with Defer. Category
// rounds make draws ask for category queues to be compacted, and a Tidy
// of every score between some rounds and their declines makes the mark
// stale, so that both of DeferInvited's paths run.
func TestDeferInvitedMatchesDefer(t *testing.T) {
	french, healthcare := pool.CategorySet(1), pool.CategorySet(2)
	rounds := []draws.Round{
		{Type: data.Category, Categories: french, Size: 1500},
		{Type: data.General, Size: 700},
		{Type: data.Category, Categories: healthcare, Size: 1200},
		{Type: data.Program, Programs: data.CEC, Size: 900},
		{Type: data.Category, Categories: french, Size: 800},
		{Type: data.Program, Programs: data.PNP, Size: 40},
		{Type: data.Category, Categories: french | healthcare, Size: 800},
		{Type: data.Category, Categories: healthcare, Size: 600},
		{Type: data.General, Size: 1000},
	}
	for _, ordered := range []bool{true, false} {
		t.Run(fmt.Sprintf("ordered=%v", ordered), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(7, 8))
			a := randomPool(t, rng, 20000, ordered)
			b := a.Clone()
			now := t0.Add(300 * day)
			fast, stale := 0, 0
			for i, r := range rounds {
				now = now.Add(7 * day)
				r.Instant = now
				ra, err := draws.Run(a, r, draws.DefaultRules)
				if err != nil {
					t.Fatal(err)
				}
				rb, _ := draws.Run(b, r, draws.DefaultRules)
				if !slices.Equal(ra.Invited, rb.Invited) {
					t.Fatalf("round %d (%s): the pools differ: invited %d and %d", i, r.Family(), len(ra.Invited), len(rb.Invited))
				}
				mark := b.Mark()
				if i%3 == 2 {
					for s := range pool.MaxScore + 1 {
						a.Tidy(s)
						b.Tidy(s)
					}
				}
				if b.Mark() == mark {
					fast++
				} else {
					stale++
				}
				var declined []pool.ID
				for j := 0; j < len(ra.Invited); j += 3 {
					declined = append(declined, ra.Invited[j])
				}
				back := now.Add(3 * day).Unix()
				for _, id := range declined {
					a.Defer(id, back)
				}
				b.DeferInvited(declined, back, mark)
				if sa, sb := snapshot(a)+catQueues(a), snapshot(b)+catQueues(b); sa != sb {
					t.Fatalf("round %d (%s): after the declines the pools differ", i, r.Family())
				}
				a.Advance(back)
				b.Advance(back)
			}
			if fast < 3 || stale < 2 {
				t.Errorf("DeferInvited ran %d times with a fresh mark and %d with a stale one: want both paths", fast, stale)
			}
			if n := len(catQueues(a)); n == 0 {
				t.Fatal("no category queues: the test is too weak")
			}
		})
	}
}

// A category round that walks past many departed entries of its
// category's queue has them dropped before the category's next round
// walks the queue, not right away: the candidates it invited stay queued
// until then (see Mark).
func TestCatQueueCompaction(t *testing.T) {
	p := pool.New(0)
	for i := range 200 { // even IDs French
		c := pool.Candidate{Score: 500, Submitted: t0.Add(time.Duration(i) * time.Minute), Programs: data.CEC}
		if i%2 == 0 {
			c.Categories = 1
		}
		if _, err := p.Add(c); err != nil {
			t.Fatal(err)
		}
	}
	french := draws.Round{Type: data.Category, Categories: 1, Size: 10}
	run := func(r draws.Round) []pool.ID {
		res, err := draws.Run(p, r, draws.DefaultRules)
		if err != nil {
			t.Fatal(err)
		}
		return res.Invited
	}
	if n := len(p.CatQueue(0, 500)); n != 100 { // all French queued now
		t.Fatalf("%d French entries, want 100", n)
	}
	run(draws.Round{Type: data.General, Size: 100}) // IDs 0-99: 50 French
	mark := p.Mark()
	// The French round walks the 50 departed, then invites 100, 102, ... 118.
	if got, want := run(french), evens(100, 120); !slices.Equal(got, want) {
		t.Fatalf("first French round invited %v, want %v", got, want)
	}
	if n := len(p.CatQueue(0, 500)); n != 100 || p.Mark() != mark {
		t.Fatalf("after the first French round: %d French entries, mark changed %v; want all 100, unchanged", n, p.Mark() != mark)
	}
	french.Size = 5
	if got, want := run(french), evens(120, 130); !slices.Equal(got, want) {
		t.Fatalf("second French round invited %v, want %v", got, want)
	}
	// Compacted before the walk: the 40 French from 120 on, 5 of them
	// invited since.
	if q := p.CatQueue(0, 500); !slices.Equal(q, evens(120, 200)) {
		t.Errorf("French queue after the second round %v, want the 40 even IDs from 120", q)
	}
	if p.Mark() == mark {
		t.Error("the compaction did not change the pool's mark")
	}
}

// evens returns the even IDs in [from, to).
func evens(from, to int) []pool.ID {
	var out []pool.ID
	for i := from; i < to; i += 2 {
		out = append(out, pool.ID(i))
	}
	return out
}

// Rounds of every type, declines through DeferInvited (with fresh and
// stale marks), arrivals and expiries, checked round by round against a
// brute-force ranking of the pool's active eligible candidates by (score
// descending, submission ascending). Category queues take arrivals late
// and compact on request, so this is the test that they never lose or
// misorder a candidate.
func TestRoundsMatchBruteForce(t *testing.T) {
	rounds := []draws.Round{
		{Type: data.Program, Programs: data.CEC, Size: 300},
		{Type: data.Category, Categories: 1, Size: 200},
		{Type: data.Category, Categories: 2, Size: 200},
		{Type: data.General, Size: 100},
		{Type: data.Category, Categories: 1, Programs: data.FSW, Size: 150},
		{Type: data.Category, Categories: 3, Size: 150},
	}
	for seed := range uint64(3) {
		rng := rand.New(rand.NewPCG(seed, 2))
		p := randomPool(t, rng, 5000, true)
		now := t0.Add(300 * day)
		for step := range 80 {
			r := rounds[(step+int(seed))%len(rounds)]
			now = now.Add(3 * day)
			r.Instant = now
			var want []pool.ID
			for i := range p.Len() {
				id := pool.ID(i)
				if p.State(id) == pool.Active && draws.Eligible(p.Get(id), r, draws.DefaultRules) {
					want = append(want, id)
				}
			}
			sort.SliceStable(want, func(i, j int) bool {
				a, b := want[i], want[j]
				if p.Score(a) != p.Score(b) {
					return p.Score(a) > p.Score(b)
				}
				return p.Submitted(a) < p.Submitted(b)
			})
			res, err := draws.Run(p, r, draws.DefaultRules)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Invited) < min(r.Size, len(want)) {
				t.Fatalf("seed %d step %d: invited %d of %d eligible, size %d", seed, step, len(res.Invited), len(want), r.Size)
			}
			// The ties of the last second are invited in queue order,
			// which for equal instants is ID order, as here.
			if got := want[:len(res.Invited)]; !slices.Equal(res.Invited, got) {
				i := firstDiffID(res.Invited, got)
				t.Fatalf("seed %d step %d (%s, categories %v): invited %d first differs at %d: got %d, want %d",
					seed, step, r.Family(), r.Categories, len(res.Invited), i, res.Invited[i], got[i])
			}
			mark := p.Mark()
			if step%7 == 3 {
				for s := range pool.MaxScore + 1 {
					p.Tidy(s) // may make the mark stale
				}
			}
			var declined []pool.ID
			for j := step % 5; j < len(res.Invited); j += 5 {
				declined = append(declined, res.Invited[j])
			}
			p.DeferInvited(declined, now.Add(2*day).Unix(), mark)
			for k := range 40 {
				c := pool.Candidate{Score: 430 + rng.IntN(80), Programs: data.Programs(1 + rng.IntN(7)),
					Submitted: now.Add(time.Duration(k) * time.Minute), Categories: pool.CategorySet(rng.IntN(4))}
				if k%8 == 5 {
					// Late: submitted up to 400 days ago (some already
					// past 12 months), added after later ones.
					c.Submitted = now.Add(-time.Duration(rng.Int64N(int64(400 * day))))
				}
				if _, err := p.Add(c); err != nil {
					t.Fatal(err)
				}
			}
			at := now.Add(time.Hour)
			p.Advance(at.Unix())
			for i := range p.Len() {
				id := pool.ID(i)
				if c := p.Get(id); p.State(id) == pool.Active && !c.Expires().After(at) {
					t.Fatalf("seed %d step %d: candidate %d submitted %s still active at %s", seed, step, id, c.Submitted, at)
				}
			}
		}
	}
}

func firstDiffID(a, b []pool.ID) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}
