package sim

import (
	"slices"
	"strings"
	"time"

	"github.com/eesim/eesim/data"
	"github.com/eesim/eesim/draws"
	"github.com/eesim/eesim/pool"
)

// InviteRound is a round as the invitation rule (FirstInvitation) sees
// it: a real round (InviteRoundsOf) or a run's projected round
// (InviteRoundsOfRun).
type InviteRound struct {
	Instant time.Time
	// Family is the round's family, as data.Round.Family: "general",
	// "cec", "fsw", "fst", "pnp", "program:<list>" or a category key. It
	// is all the rule needs to decide who may be ranked.
	Family string
	// Cutoff is the CRS of the lowest-ranked candidate invited; negative
	// when the round invited nobody.
	Cutoff int
	// TieBreak is the submission instant of that candidate: candidates at
	// the cutoff score submitted at or before it were invited. Zero when
	// not published (rounds #1-#76, before the tie-break rule of
	// 2017-06-06): then every candidate at the cutoff score counts as
	// invited.
	TieBreak time.Time
	// AllNominees marks a projected round that invites every nominee in
	// the pool (schedule.ScheduledRound.AllNominees): it invites a nominee who may
	// be ranked in it whatever its cutoff. Real rounds never set it.
	AllNominees bool
}

// InviteRoundsOf returns the real rounds as the invitation rule sees
// them, in their order; a round of no invitations invites nobody.
func InviteRoundsOf(rounds []data.Round) []InviteRound {
	out := make([]InviteRound, len(rounds))
	for i := range rounds {
		r := &rounds[i]
		out[i] = InviteRound{Instant: r.Instant, Family: r.Family(), Cutoff: r.Cutoff, TieBreak: r.TieBreak}
		if r.Invitations <= 0 {
			out[i].Cutoff = draws.NoCutoff
		}
	}
	return out
}

// InviteRoundsOfRun returns one run's projected rounds (the rows of that
// run only) as the invitation rule sees them, in time order (rows of the
// same instant keep their order). A row with a negative cutoff invites
// nobody; a row's cutoff is the predictive one (see ErrorModel), which a
// new family's rows have even when the pool invited nobody of it.
func InviteRoundsOfRun(rows []data.RunRow) []InviteRound {
	out := make([]InviteRound, len(rows))
	for i, r := range rows {
		out[i] = inviteRoundOfRow(r)
	}
	slices.SortStableFunc(out, func(a, b InviteRound) int { return a.Instant.Compare(b.Instant) })
	return out
}

// inviteRoundOfRow is a projected round as the invitation rule sees it.
func inviteRoundOfRow(r data.RunRow) InviteRound {
	ir := InviteRound{Instant: r.Instant, Family: r.Family, Cutoff: int(r.Cutoff), TieBreak: r.TieBreak}
	if r.Cutoff < 0 {
		ir.Cutoff = draws.NoCutoff
	}
	return ir
}

// FirstInvitation returns the index in rounds (in time order) of the first
// round at or after start that invites candidate c, or -1. The rule, the
// same for the real record and for a run's projected rounds:
//
//  1. The candidate is in the pool from c.Submitted on. A profile expires
//     12 months after submission (pool.Validity) and is resubmitted at
//     once, the expiry instant becoming its submission instant, the
//     tie-break time (IRCC, "Express Entry rounds of invitations" and
//     "Next steps if not invited": a profile is valid 12 months; one
//     created again gets a new timestamp).
//  2. At each round the candidate's score, programs and categories are
//     those of the last change (c.Changes) on or before the round.
//  3. A round can invite the candidate only if they may be ranked in it:
//     draws.Eligible under draws.DefaultRules (nominees are not ranked in
//     CEC, FSW, FST or category rounds; a nomination's 600 points are in
//     the score).
//  4. It invites them when their score is above its cutoff, or equal to it
//     and they submitted at or before its tie-break instant (IRCC's rule
//     since 2017-06-06, rounds page: "the cut-off is based on the date and
//     time they submitted their Express Entry profiles"). A round that
//     invites every nominee (InviteRound.AllNominees) invites a nominee
//     whatever its cutoff: that is the rule of the round.
//
// Rounds before start, and rounds that invited nobody (negative cutoff),
// invite nobody.
func FirstInvitation(c Candidate, rounds []InviteRound, start time.Time) int {
	return newInvitee(c).first(rounds, start)
}

// invitee is a candidate compiled for the invitation rule: its phases
// and, per phase, a cache of the families it may be ranked in. Not safe
// for concurrent use.
type invitee struct {
	sub    time.Time
	nom    bool
	phases []invPhase
}

type invPhase struct {
	from     time.Time // zero for the first phase
	score    int
	progs    data.Programs
	cats     []string
	eligible map[string]bool
}

func newInvitee(c Candidate) *invitee {
	iv := &invitee{sub: c.Submitted, nom: c.Nominated}
	iv.phases = append(iv.phases, invPhase{score: c.Score, progs: c.Programs, cats: c.Categories})
	for _, ch := range c.Changes {
		iv.phases = append(iv.phases, invPhase{from: ch.From, score: ch.Score, progs: ch.Programs, cats: ch.Categories})
	}
	return iv
}

// phase returns the phase in force at t.
func (iv *invitee) phase(t time.Time) *invPhase {
	i := 0
	for i+1 < len(iv.phases) && !iv.phases[i+1].from.After(t) {
		i++
	}
	return &iv.phases[i]
}

// submission returns the candidate's submission instant in force at t
// (rule 1), and false when they have not submitted yet.
func (iv *invitee) submission(t time.Time) (time.Time, bool) {
	if t.Before(iv.sub) {
		return time.Time{}, false
	}
	n := t.Sub(iv.sub) / pool.Validity
	return iv.sub.Add(n * pool.Validity), true
}

// canRank reports whether the candidate may be ranked in a round of
// family fam at t (rule 3).
func (iv *invitee) canRank(fam string, t time.Time) bool {
	ph := iv.phase(t)
	if ok, seen := ph.eligible[fam]; seen {
		return ok
	}
	ok := eligibleFor(ph.progs, ph.cats, iv.nom, fam)
	if ph.eligible == nil {
		ph.eligible = map[string]bool{}
	}
	ph.eligible[fam] = ok
	return ok
}

// ruledOut reports whether the rules leave the candidate out of every
// round IRCC may hold before before: in no phase in force before it do
// they meet a federal program or hold a nomination, which is what a
// profile needs to be in the pool at all and what a general round ranks
// (docs/domain.md, "Programs"). Only then is their probability of an
// invitation exactly 0; a round that no run of a projection holds is the
// model's claim, not the rules' (docs/model.md, "Odds").
func (iv *invitee) ruledOut(before time.Time) bool {
	if iv.nom {
		return false
	}
	for i := range iv.phases {
		ph := &iv.phases[i]
		if i > 0 && !ph.from.Before(before) {
			break
		}
		if ph.progs&data.Federal != 0 {
			return false
		}
	}
	return true
}

// first is FirstInvitation.
func (iv *invitee) first(rounds []InviteRound, start time.Time) int {
	for i := range rounds {
		r := &rounds[i]
		if r.Instant.Before(start) || r.Cutoff < 0 {
			continue
		}
		sub, in := iv.submission(r.Instant)
		if !in || !iv.canRank(r.Family, r.Instant) {
			continue
		}
		s := iv.phase(r.Instant).score
		if r.AllNominees && iv.nom || s > r.Cutoff || s == r.Cutoff && (r.TieBreak.IsZero() || !sub.After(r.TieBreak)) {
			return i
		}
	}
	return -1
}

// FamilyRound returns the draws.Round of a round family as
// data.Round.Family names it, with its category (if any) registered in
// reg: "general"; "cec", "fsw", "fst", "pnp" or "program:<list>" for
// program rounds; anything else is a category key. ok is false for an
// empty family or a program list that does not parse.
func FamilyRound(fam string, reg *pool.Registry) (d draws.Round, ok bool) {
	switch fam {
	case "":
		return d, false
	case "general":
		return draws.Round{Type: data.General}, true
	case "cec", "fsw", "fst", "pnp":
		p, _ := data.ParsePrograms(fam)
		return draws.Round{Type: data.Program, Programs: p}, true
	}
	if list, isProg := strings.CutPrefix(fam, "program:"); isProg {
		p, err := data.ParsePrograms(list)
		if err != nil || p == 0 {
			return d, false
		}
		return draws.Round{Type: data.Program, Programs: p}, true
	}
	bit, err := reg.Bit(fam)
	if err != nil {
		return d, false
	}
	return draws.Round{Type: data.Category, Categories: bit, CategoryKey: fam}, true
}

// eligibleFor reports whether a candidate with programs progs,
// categories cats and nomination nom may be ranked in a round of family
// fam under draws.DefaultRules.
func eligibleFor(progs data.Programs, cats []string, nom bool, fam string) bool {
	reg := pool.NewRegistry()
	d, ok := FamilyRound(fam, reg)
	if !ok {
		return false
	}
	pc := pool.Candidate{Programs: progs & data.Federal, Nominated: nom}
	for _, k := range cats {
		bit, err := reg.Bit(k)
		if err != nil {
			return false
		}
		pc.Categories |= bit
	}
	return draws.Eligible(pc, d, draws.DefaultRules)
}
