package sim

import (
	"testing"
	"time"

	"github.com/eesim/eesim/data"
)

func ts(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t, err = time.Parse(time.DateOnly, s)
		if err != nil {
			panic(err)
		}
	}
	return t.UTC()
}

// TestFirstInvitation checks the invitation rule on cases worked by hand.
// pool.Validity is 365 days: a profile submitted 2024-02-01 (2024 is a
// leap year) expires 2025-01-31 00:00 UTC; one submitted 2023-01-01
// expires 2024-01-01, then 2024-12-31.
func TestFirstInvitation(t *testing.T) {
	cec := func(score int, sub string) Candidate {
		return Candidate{Score: score, Programs: data.CEC, Submitted: ts(sub)}
	}
	rd := func(when, fam string, cutoff int, tie string) InviteRound {
		r := InviteRound{Instant: ts(when), Family: fam, Cutoff: cutoff}
		if tie != "" {
			r.TieBreak = ts(tie)
		}
		return r
	}
	start := ts("2025-01-01")
	french := Candidate{Score: 420, Programs: data.FSW, Categories: []string{"french"}, Submitted: ts("2024-12-01")}
	nominee := Candidate{Score: 1100, Programs: data.CEC, Nominated: true, Submitted: ts("2024-12-01")}
	changes := cec(480, "2024-12-01")
	changes.Changes = []CandidateChange{{From: ts("2025-02-01"), Score: 520, Programs: data.CEC}}
	for _, tc := range []struct {
		name   string
		c      Candidate
		rounds []InviteRound
		want   int
	}{
		{"tie-break after submission", cec(500, "2024-12-01"), []InviteRound{rd("2025-01-10", "cec", 500, "2024-12-15")}, 0},
		{"tie-break at submission", cec(500, "2024-12-01"), []InviteRound{rd("2025-01-10", "cec", 500, "2024-12-01")}, 0},
		{"tie-break before submission", cec(500, "2024-12-01"), []InviteRound{rd("2025-01-10", "cec", 500, "2024-11-20")}, -1},
		{"no published tie-break: everyone at the cutoff", cec(500, "2024-12-01"), []InviteRound{rd("2025-01-10", "cec", 500, "")}, 0},
		{"score above the cutoff, later submission", cec(501, "2024-12-01"), []InviteRound{rd("2025-01-10", "cec", 500, "2024-11-20")}, 0},
		{"score below the cutoff", cec(499, "2024-12-01"), []InviteRound{rd("2025-01-10", "cec", 500, "2025-01-01")}, -1},
		{"round before the start ignored", cec(500, "2024-12-01"),
			[]InviteRound{rd("2024-12-20", "cec", 400, "2024-12-15"), rd("2025-01-10", "cec", 450, "2024-12-15")}, 1},
		{"not in the pool before submission", cec(500, "2025-01-15"),
			[]InviteRound{rd("2025-01-10", "cec", 400, "2025-01-05"), rd("2025-01-20", "cec", 400, "2025-01-16")}, 1},
		{"first of several inviting rounds", cec(520, "2024-12-01"),
			[]InviteRound{rd("2025-01-10", "cec", 530, ""), rd("2025-01-20", "cec", 510, ""), rd("2025-01-30", "cec", 500, "")}, 1},
		{"before expiry: old timestamp", cec(500, "2024-02-01"), []InviteRound{rd("2025-01-20", "cec", 500, "2025-01-15")}, 0},
		{"after expiry: resubmitted 2025-01-31, after the tie-break", cec(500, "2024-02-01"), []InviteRound{rd("2025-02-05", "cec", 500, "2025-01-15")}, -1},
		{"after expiry: tie-break after resubmission", cec(500, "2024-02-01"), []InviteRound{rd("2025-02-05", "cec", 500, "2025-02-01")}, 0},
		{"round at the expiry instant sees the new timestamp", cec(500, "2024-02-01"), []InviteRound{rd("2025-01-31T00:00:00Z", "cec", 500, "2025-01-30")}, -1},
		{"two expiries: timestamp 2024-12-31", cec(500, "2023-01-01"), []InviteRound{rd("2025-01-10", "cec", 500, "2024-12-31")}, 0},
		{"two expiries: tie-break a day earlier", cec(500, "2023-01-01"), []InviteRound{rd("2025-01-10", "cec", 500, "2024-12-30")}, -1},
		{"nominee not ranked in a CEC round", nominee, []InviteRound{rd("2025-01-10", "cec", 500, "")}, -1},
		{"nominee in a PNP round", nominee, []InviteRound{rd("2025-01-10", "cec", 500, ""), rd("2025-01-11", "pnp", 700, "")}, 1},
		{"nominee in a general round", nominee, []InviteRound{rd("2025-01-10", "general", 540, "")}, 0},
		{"nominee not ranked in a category round", Candidate{Score: 1000, Programs: data.FSW, Categories: []string{"french"}, Nominated: true, Submitted: ts("2024-12-01")},
			[]InviteRound{rd("2025-01-10", "french", 400, "")}, -1},
		{"non-nominee not ranked in a PNP round", cec(900, "2024-12-01"), []InviteRound{rd("2025-01-10", "pnp", 700, "")}, -1},
		{"CEC candidate not ranked in an FSW round", cec(600, "2024-12-01"), []InviteRound{rd("2025-01-10", "fsw", 480, "")}, -1},
		{"FSW candidate in a CEC+FSW round", Candidate{Score: 500, Programs: data.FSW, Submitted: ts("2024-12-01")},
			[]InviteRound{rd("2025-01-10", "program:cec+fsw", 480, "")}, 0},
		{"category holder in its round", french, []InviteRound{rd("2025-01-10", "healthcare", 400, ""), rd("2025-01-11", "french", 410, "")}, 1},
		{"CEC-only category holder in its round", Candidate{Score: 420, Programs: data.CEC, Categories: []string{"french"}, Submitted: ts("2024-12-01")},
			[]InviteRound{rd("2025-01-11", "french", 410, "")}, 0},
		{"no category", cec(600, "2024-12-01"), []InviteRound{rd("2025-01-11", "french", 410, "")}, -1},
		{"a round that invited nobody", cec(600, "2024-12-01"), []InviteRound{rd("2025-01-11", "cec", -1, "")}, -1},
		{"unknown family", cec(600, "2024-12-01"), []InviteRound{rd("2025-01-11", "", 400, "")}, -1},
		{"score change: below before, above after", changes,
			[]InviteRound{rd("2025-01-10", "cec", 500, ""), rd("2025-02-10", "cec", 500, "2024-12-15")}, 1},
	} {
		if got := FirstInvitation(tc.c, tc.rounds, start); got != tc.want {
			t.Errorf("%s: got %d, want %d", tc.name, got, tc.want)
		}
	}
}

// TestInviteRoundsOf checks the conversions: a real round that invited
// nobody, and a row with no cutoff, have a negative cutoff; a new
// family's row keeps its predictive cutoff though the pool invited nobody
// of it (ErrorModel.Priors); a run's rows come out in time order.
func TestInviteRoundsOf(t *testing.T) {
	real := InviteRoundsOf([]data.Round{
		{Instant: ts("2025-01-10"), Type: data.Program, Programs: data.CEC, Invitations: 0, Cutoff: 500},
		{Instant: ts("2025-01-11"), Type: data.Category, Category: "french", Invitations: 100, Cutoff: 420, TieBreak: ts("2025-01-01")},
	})
	if real[0].Cutoff >= 0 || real[1] != (InviteRound{Instant: ts("2025-01-11"), Family: "french", Cutoff: 420, TieBreak: ts("2025-01-01")}) {
		t.Errorf("InviteRoundsOf: %+v", real)
	}
	run := InviteRoundsOfRun([]data.RunRow{
		{Round: 0, Instant: ts("2025-01-12"), Family: "physicians", Invited: 0, Cutoff: 450, SimCutoff: -1, NewFamily: true},
		{Round: 1, Instant: ts("2025-01-10"), Family: "cec", Invited: 10, Cutoff: 510},
		{Round: 2, Instant: ts("2025-01-11"), Family: "cec", Invited: 10, Cutoff: -1},
	})
	if run[0].Family != "cec" || run[0].Cutoff != 510 || run[1].Cutoff >= 0 || run[2].Family != "physicians" || run[2].Cutoff != 450 {
		t.Errorf("InviteRoundsOfRun: %+v", run)
	}
}
