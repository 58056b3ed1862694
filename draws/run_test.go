package draws_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/eesim/eesim/data"
	"github.com/eesim/eesim/draws"
	"github.com/eesim/eesim/pool"
)

// t0 is the origin of the hand-built pools' submission instants.
var t0 = time.Date(2025, 1, 6, 12, 0, 0, 0, time.UTC)

// Category bits used by the hand-built pools.
var (
	registry   = pool.NewRegistry(pool.DefaultCategories...)
	french     = mustBit("french")
	healthcare = mustBit("healthcare")
	stem       = mustBit("stem")
)

func mustBit(key string) pool.CategorySet {
	b, ok := registry.Lookup(key)
	if !ok {
		panic("no category " + key)
	}
	return b
}

// hc is a hand-built candidate: score, offset of its submission from t0,
// programs (data.PNP for a nominee) and categories.
type hc struct {
	score int
	after time.Duration
	progs data.Programs
	cats  pool.CategorySet
}

// build adds cs to a new pool in the order given; candidate i gets ID i.
func build(t testing.TB, cs []hc) *pool.Pool {
	t.Helper()
	p := pool.New(len(cs))
	for i, c := range cs {
		id, err := p.Add(pool.Candidate{
			Score:      c.score,
			Submitted:  t0.Add(c.after),
			Programs:   c.progs &^ data.PNP,
			Nominated:  c.progs&data.PNP != 0,
			Categories: c.cats,
		})
		if err != nil {
			t.Fatal(err)
		}
		if int(id) != i {
			t.Fatalf("candidate %d got ID %d", i, id)
		}
	}
	return p
}

func ids(xs ...int) []pool.ID {
	out := make([]pool.ID, len(xs))
	for i, x := range xs {
		out[i] = pool.ID(x)
	}
	return out
}

// checkCutRule checks, independently of Run's own walk, the rule a result
// must satisfy on the pool as it was before the round (before): every
// eligible candidate above the cutoff, or at it and submitted at or before
// the tie-break, is invited; every other one is not (under BySubmission).
func checkCutRule(t *testing.T, before *pool.Pool, r draws.Round, rules draws.Rules, res draws.Result) {
	t.Helper()
	invited := map[pool.ID]bool{}
	for _, id := range res.Invited {
		invited[id] = true
	}
	for i := range before.Len() {
		id := pool.ID(i)
		if before.State(id) != pool.Active {
			if invited[id] {
				t.Errorf("candidate %d invited but was not active", id)
			}
			continue
		}
		c := before.Get(id)
		want := draws.Eligible(c, r, rules) && res.Cutoff != draws.NoCutoff &&
			(c.Score > res.Cutoff || c.Score == res.Cutoff && !c.Submitted.After(res.TieBreak))
		if invited[id] != want {
			t.Errorf("candidate %d (score %d, submitted %s): invited %v, want %v by the cut rule (cutoff %d, tie-break %s)",
				id, c.Score, c.Submitted.Format(time.RFC3339), invited[id], want, res.Cutoff, res.TieBreak.Format(time.RFC3339))
		}
	}
}

// tiePool: one candidate at 500, four at 490 an hour apart, one at 480.
// All CEC, so every round type ranks them all.
var tiePool = []hc{
	{500, 0, data.CEC, 0},             // 0
	{490, 1 * time.Hour, data.CEC, 0}, // 1
	{490, 2 * time.Hour, data.CEC, 0}, // 2
	{490, 3 * time.Hour, data.CEC, 0}, // 3
	{490, 4 * time.Hour, data.CEC, 0}, // 4
	{480, 0, data.CEC, 0},             // 5: submitted first, but lower score
}

func TestRunTieBreak(t *testing.T) {
	tests := []struct {
		name     string
		pool     []hc
		size     int
		rules    draws.Rules
		want     []pool.ID
		cutoff   int
		tieBreak time.Duration // after t0
		short    bool
	}{
		// 500 first, then the 490s by submission: size 3 takes 490@1h
		// and 490@2h; 490@3h and 490@4h are after the tie-break.
		{name: "cut inside the 490s", pool: tiePool, size: 3,
			want: ids(0, 1, 2), cutoff: 490, tieBreak: 2 * time.Hour},
		{name: "size 1", pool: tiePool, size: 1,
			want: ids(0), cutoff: 500, tieBreak: 0},
		// Size 5 takes every 490: the last invited was submitted at 4h.
		{name: "cut at the end of the 490s", pool: tiePool, size: 5,
			want: ids(0, 1, 2, 3, 4), cutoff: 490, tieBreak: 4 * time.Hour},
		// Exactly the eligible pool: not short.
		{name: "size equals pool", pool: tiePool, size: 6,
			want: ids(0, 1, 2, 3, 4, 5), cutoff: 480, tieBreak: 0},
		// One more than the pool: everyone, Short, cutoff and tie-break
		// of the last one (480, submitted at t0).
		{name: "larger than pool", pool: tiePool, size: 7,
			want: ids(0, 1, 2, 3, 4, 5), cutoff: 480, tieBreak: 0, short: true},
		{name: "much larger than pool", pool: tiePool, size: 5000,
			want: ids(0, 1, 2, 3, 4, 5), cutoff: 480, tieBreak: 0, short: true},
		// AllTied: size 3 reaches 490, so every 490 is invited (5 in
		// all); the tie-break is the last of them, 4h.
		{name: "all tied", pool: tiePool, size: 3, rules: draws.Rules{TieBreak: draws.AllTied},
			want: ids(0, 1, 2, 3, 4), cutoff: 490, tieBreak: 4 * time.Hour},
		// AllTied with the cut at the top score: only the 500 is tied.
		{name: "all tied, single at cutoff", pool: tiePool, size: 1, rules: draws.Rules{TieBreak: draws.AllTied},
			want: ids(0), cutoff: 500, tieBreak: 0},
		// Same second: 490@10s, then three at 20s, then 30s. Size 3
		// stops on the first 20s candidate; the other two share its
		// second, so they are "at or before" the tie-break and invited:
		// 5 invitations for a round of 3. 30s is not.
		{name: "same second at the cut", size: 3, pool: []hc{
			{500, 0, data.CEC, 0},
			{490, 10 * time.Second, data.CEC, 0},
			{490, 20 * time.Second, data.CEC, 0},
			{490, 20 * time.Second, data.CEC, 0},
			{490, 20 * time.Second, data.CEC, 0},
			{490, 30 * time.Second, data.CEC, 0},
		}, want: ids(0, 1, 2, 3, 4), cutoff: 490, tieBreak: 20 * time.Second},
		// Same second, added out of order: the 30s candidate is added
		// before two of the 20s ones, yet the queue puts them after it.
		{name: "same second, out-of-order adds", size: 2, pool: []hc{
			{490, 20 * time.Second, data.CEC, 0}, // 0
			{490, 30 * time.Second, data.CEC, 0}, // 1
			{490, 20 * time.Second, data.CEC, 0}, // 2
			{490, 10 * time.Second, data.CEC, 0}, // 3
			{490, 20 * time.Second, data.CEC, 0}, // 4
		}, want: ids(3, 0, 2, 4), cutoff: 490, tieBreak: 20 * time.Second},
		// Same second with the cut on the last candidate of the second:
		// nothing more to add.
		{name: "same second, cut on the last of the second", size: 5, pool: []hc{
			{500, 0, data.CEC, 0},
			{490, 10 * time.Second, data.CEC, 0},
			{490, 20 * time.Second, data.CEC, 0},
			{490, 20 * time.Second, data.CEC, 0},
			{490, 20 * time.Second, data.CEC, 0},
			{490, 30 * time.Second, data.CEC, 0},
		}, want: ids(0, 1, 2, 3, 4), cutoff: 490, tieBreak: 20 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := build(t, tt.pool)
			before := p.Clone()
			r := draws.Round{Instant: t0.Add(24 * time.Hour), Type: data.General, Size: tt.size}
			res, err := draws.Run(p, r, tt.rules)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(res.Invited, tt.want) {
				t.Errorf("invited %v, want %v", res.Invited, tt.want)
			}
			if res.Cutoff != tt.cutoff {
				t.Errorf("cutoff %d, want %d", res.Cutoff, tt.cutoff)
			}
			if want := t0.Add(tt.tieBreak); !res.TieBreak.Equal(want) {
				t.Errorf("tie-break %s, want %s", res.TieBreak, want)
			}
			if res.RankRequired != tt.size {
				t.Errorf("rank required %d, want the size %d", res.RankRequired, tt.size)
			}
			if res.Short != tt.short {
				t.Errorf("short %v, want %v", res.Short, tt.short)
			}
			if tt.rules.TieBreak == draws.BySubmission {
				checkCutRule(t, before, r, tt.rules, res)
			}
			for _, id := range res.Invited {
				if p.State(id) != pool.Invited {
					t.Errorf("candidate %d in the result has state %v, want Invited", id, p.State(id))
				}
			}
			if got, want := p.Active(), before.Active()-len(res.Invited); got != want {
				t.Errorf("active after the round %d, want %d", got, want)
			}
		})
	}
}

// A candidate who is not eligible sits between candidates of the same
// second: it is skipped, and the eligible one after it is still invited.
func TestRunTieBreakSkipsIneligibleInTie(t *testing.T) {
	p := build(t, []hc{
		{490, 10 * time.Second, data.CEC, 0}, // 0
		{490, 20 * time.Second, data.CEC, 0}, // 1: the size is reached here
		{490, 20 * time.Second, data.FSW, 0}, // 2: not in a CEC round
		{490, 20 * time.Second, data.CEC, 0}, // 3: same second as 1: invited
		{490, 21 * time.Second, data.CEC, 0}, // 4: a second later: not
	})
	r := draws.Round{Type: data.Program, Programs: data.CEC, Size: 2}
	res, err := draws.Run(p, r, draws.DefaultRules)
	if err != nil {
		t.Fatal(err)
	}
	if want := ids(0, 1, 3); !slices.Equal(res.Invited, want) {
		t.Errorf("invited %v, want %v", res.Invited, want)
	}
	if want := t0.Add(20 * time.Second); !res.TieBreak.Equal(want) {
		t.Errorf("tie-break %s, want %s", res.TieBreak, want)
	}
	if p.State(2) != pool.Active || p.State(4) != pool.Active {
		t.Errorf("states of 2 and 4: %v %v, want both Active", p.State(2), p.State(4))
	}
}

// eligPool has one candidate of each kind, scores descending so the rank
// order is the ID order. E and F are nominees (600 points included).
var eligPool = []hc{
	{800, 0, data.PNP | data.CEC, french},              // 0 E: nominee, CEC
	{790, 0, data.PNP | data.FSW, 0},                   // 1 F: nominee, FSW
	{500, 0, data.CEC, french},                         // 2 A
	{490, 0, data.FSW, 0},                              // 3 B
	{480, 0, data.FST, french},                         // 4 C
	{470, 0, data.CEC | data.FSW, healthcare},          // 5 D
	{460, 0, data.FSW | data.FST, french | healthcare}, // 6 G
	{450, 0, data.Federal, stem},                       // 7 H
}

func TestRunEligibility(t *testing.T) {
	cat := func(cats pool.CategorySet, progs data.Programs) draws.Round {
		return draws.Round{Type: data.Category, Categories: cats, Programs: progs}
	}
	prog := func(progs data.Programs) draws.Round {
		return draws.Round{Type: data.Program, Programs: progs}
	}
	nomProg := draws.Rules{NomineesInProgramRounds: true}
	nomCat := draws.Rules{NomineesInCategoryRounds: true}
	tests := []struct {
		name  string
		round draws.Round
		rules draws.Rules
		want  []pool.ID
		by    [4]int // CEC, FSW, FST, PNP
	}{
		// Everyone; nominees as PNP; A, D, H under CEC (first in
		// priority), B and G under FSW, C under FST.
		{"general", draws.Round{Type: data.General}, draws.Rules{},
			ids(0, 1, 2, 3, 4, 5, 6, 7), [4]int{3, 2, 1, 2}},
		// General ignores Programs and Categories.
		{"general ignores programs and categories",
			draws.Round{Type: data.General, Programs: data.FST, Categories: stem}, draws.Rules{},
			ids(0, 1, 2, 3, 4, 5, 6, 7), [4]int{3, 2, 1, 2}},
		// CEC non-nominees: A, D, H.
		{"CEC", prog(data.CEC), draws.Rules{}, ids(2, 5, 7), [4]int{3, 0, 0, 0}},
		// Nominees only.
		{"PNP", prog(data.PNP), draws.Rules{}, ids(0, 1), [4]int{0, 0, 0, 2}},
		// FSW non-nominees: B, D, G, H; D (CEC+FSW) and H (all three)
		// count as FSW because CEC is not in the round.
		{"FSW only", prog(data.FSW), draws.Rules{}, ids(3, 5, 6, 7), [4]int{0, 4, 0, 0}},
		// FST non-nominees: C, G, H, all under FST.
		{"FST only", prog(data.FST), draws.Rules{}, ids(4, 6, 7), [4]int{0, 0, 3, 0}},
		// CEC+PNP: every nominee (as PNP) and CEC non-nominees.
		{"CEC+PNP", prog(data.CEC | data.PNP), draws.Rules{}, ids(0, 1, 2, 5, 7), [4]int{3, 0, 0, 2}},
		// FSW+FST: D counts FSW (CEC not in the round), G FSW, H FSW,
		// B FSW, C FST.
		{"FSW+FST", prog(data.FSW | data.FST), draws.Rules{}, ids(3, 4, 5, 6, 7), [4]int{0, 4, 1, 0}},
		// A program round naming no program ranks nobody.
		{"program round with no programs", prog(0), draws.Rules{}, nil, [4]int{}},
		// Nominees allowed in program rounds: E (CEC) joins the CEC
		// round and counts as CEC, since the round does not name PNP.
		{"CEC, nominees allowed", prog(data.CEC), nomProg, ids(0, 2, 5, 7), [4]int{4, 0, 0, 0}},
		// F (FSW) joins the FSW round.
		{"FSW, nominees allowed", prog(data.FSW), nomProg, ids(1, 3, 5, 6, 7), [4]int{0, 5, 0, 0}},
		// The category setting does not open program rounds.
		{"CEC, category nominees allowed", prog(data.CEC), nomCat, ids(2, 5, 7), [4]int{3, 0, 0, 0}},
		// French, Programs 0 = the federal programs: French and
		// non-nominee: A (CEC), C (FST), G (FSW).
		{"french", cat(french, 0), draws.Rules{}, ids(2, 4, 6), [4]int{1, 1, 1, 0}},
		// Same with the federal programs named explicitly.
		{"french, federal", cat(french, data.Federal), draws.Rules{}, ids(2, 4, 6), [4]int{1, 1, 1, 0}},
		// French and FSW: only G (A is CEC only, C FST only, E nominee).
		{"french, FSW", cat(french, data.FSW), draws.Rules{}, ids(6), [4]int{0, 1, 0, 0}},
		// French and CEC: only A.
		{"french, CEC", cat(french, data.CEC), draws.Rules{}, ids(2), [4]int{1, 0, 0, 0}},
		// Either category: A, C, D, G.
		{"french or healthcare", cat(french|healthcare, 0), draws.Rules{}, ids(2, 4, 5, 6), [4]int{2, 1, 1, 0}},
		// No one holds a category outside the registry's first three.
		{"empty category", cat(mustBit("trades"), 0), draws.Rules{}, nil, [4]int{}},
		// Nominees allowed in category rounds: E (French, CEC) joins
		// and counts as CEC; F holds no French.
		{"french, nominees allowed", cat(french, 0), nomCat, ids(0, 2, 4, 6), [4]int{2, 1, 1, 0}},
		// The program setting does not open category rounds.
		{"french, program nominees allowed", cat(french, 0), nomProg, ids(2, 4, 6), [4]int{1, 1, 1, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := build(t, eligPool)
			before := p.Clone()
			r := tt.round
			r.Size = 100 // larger than the pool: everyone eligible
			res, err := draws.Run(p, r, tt.rules)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(res.Invited, tt.want) {
				t.Errorf("invited %v, want %v", res.Invited, tt.want)
			}
			if res.ByProgram != tt.by {
				t.Errorf("by program (CEC, FSW, FST, PNP) %v, want %v", res.ByProgram, tt.by)
			}
			if !res.Short {
				t.Error("short false, want true: the round is larger than the pool")
			}
			// Eligible must agree with Run, candidate by candidate.
			for i := range before.Len() {
				id := pool.ID(i)
				got := draws.Eligible(before.Get(id), r, tt.rules)
				if want := slices.Contains(tt.want, id); got != want {
					t.Errorf("Eligible(candidate %d) = %v, want %v", id, got, want)
				}
			}
			checkCutRule(t, before, r, tt.rules, res)
		})
	}
}

// In a PNP round a nominee counts as PNP whatever its federal programs; a
// round inviting part of the pool counts only those it invites.
func TestRunByProgramPartial(t *testing.T) {
	p := build(t, eligPool)
	// Size 4 in a general round: E, F (PNP), A (CEC), B (FSW).
	res, err := draws.Run(p, draws.Round{Type: data.General, Size: 4}, draws.DefaultRules)
	if err != nil {
		t.Fatal(err)
	}
	if want := [4]int{1, 1, 0, 2}; res.ByProgram != want {
		t.Errorf("by program %v, want %v", res.ByProgram, want)
	}
	if res.Short {
		t.Error("short true, want false")
	}
	// A second general round of 2 takes the next two: C (FST), D (CEC).
	res, err = draws.Run(p, draws.Round{Type: data.General, Size: 2}, draws.DefaultRules)
	if err != nil {
		t.Fatal(err)
	}
	if want := ids(4, 5); !slices.Equal(res.Invited, want) {
		t.Errorf("second round invited %v, want %v", res.Invited, want)
	}
	if want := [4]int{1, 0, 1, 0}; res.ByProgram != want {
		t.Errorf("second round by program %v, want %v", res.ByProgram, want)
	}
}

func TestRunSizeEdges(t *testing.T) {
	p := build(t, tiePool)
	if _, err := draws.Run(p, draws.Round{Type: data.General, Size: -1}, draws.DefaultRules); !errors.Is(err, draws.ErrSize) {
		t.Errorf("size -1: error %v, want ErrSize", err)
	}
	if p.Active() != len(tiePool) {
		t.Errorf("size -1 changed the pool: %d active, want %d", p.Active(), len(tiePool))
	}
	// RunInto clears a result it reuses, even for size 0.
	res := draws.Result{Invited: ids(9, 9), Cutoff: 7, TieBreak: t0, ByProgram: [4]int{1, 2, 3, 4}, Short: true}
	if err := draws.RunInto(p, draws.Round{Type: data.General}, draws.DefaultRules, &res); err != nil {
		t.Fatal(err)
	}
	want := draws.Result{Invited: []pool.ID{}, Cutoff: draws.NoCutoff}
	if fmt.Sprint(res) != fmt.Sprint(want) || len(res.Invited) != 0 {
		t.Errorf("size 0: %+v, want %+v", res, want)
	}
	if p.Active() != len(tiePool) {
		t.Errorf("size 0 changed the pool: %d active, want %d", p.Active(), len(tiePool))
	}
	// No one eligible: nobody invited, NoCutoff, Short.
	res, err := draws.Run(p, draws.Round{Type: data.Program, Programs: data.PNP, Size: 10}, draws.DefaultRules)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Invited) != 0 || res.Cutoff != draws.NoCutoff || !res.Short || !res.TieBreak.IsZero() {
		t.Errorf("no one eligible: %+v, want nobody, NoCutoff, Short, zero tie-break", res)
	}
}

// A PNP round larger than the nominees invites them all and stops: it
// does not walk the scores under 600, where no nominee can be, and the
// non-nominees there stay in the pool.
func TestRunPNPLargerThanNominees(t *testing.T) {
	p := pool.New(0)
	for i, c := range []struct {
		score int
		nom   bool
	}{{700, true}, {650, true}, {590, false}, {450, false}} {
		if _, err := p.Add(pool.Candidate{Score: c.score, Submitted: time.Unix(int64(i), 0), Programs: data.FSW, Nominated: c.nom}); err != nil {
			t.Fatal(err)
		}
	}
	res, err := draws.Run(p, draws.Round{Type: data.Program, Programs: data.PNP, Size: 5}, draws.DefaultRules)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.Invited, ids(0, 1)) || res.Cutoff != 650 || !res.Short || res.ByProgram != [4]int{0, 0, 0, 2} {
		t.Errorf("PNP round of 5: %+v, want the two nominees, cutoff 650, short", res)
	}
	if p.Active() != 2 {
		t.Errorf("%d active after the round, want the 2 non-nominees", p.Active())
	}
}

// Invited candidates are not ranked again; RunInto reuses the result.
func TestRunConsecutiveRounds(t *testing.T) {
	p := build(t, tiePool)
	var res draws.Result
	r := draws.Round{Type: data.General, Size: 2}
	// Rank order: 0, 1, 2, 3, 4, 5 (score, then submission).
	for i, want := range [][]pool.ID{ids(0, 1), ids(2, 3), ids(4, 5), nil} {
		if err := draws.RunInto(p, r, draws.DefaultRules, &res); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(res.Invited, want) {
			t.Errorf("round %d invited %v, want %v", i+1, res.Invited, want)
		}
	}
	if p.Active() != 0 {
		t.Errorf("%d active after inviting everyone", p.Active())
	}
}

func TestResultString(t *testing.T) {
	p := build(t, tiePool)
	res, err := draws.Run(p, draws.Round{Type: data.General, Size: 3}, draws.DefaultRules)
	if err != nil {
		t.Fatal(err)
	}
	// 0, 1, 2 invited; cutoff 490; last invited at t0+2h.
	want := "invited 3 (rank required 3), cutoff 490, tie-break 2025-01-06T14:00:00Z"
	if got := res.String(); got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}
