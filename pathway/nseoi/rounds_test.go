package nseoi

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/eesim/eesim/draws"
)

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func ids(r Result) string { return strings.Join(r.Invited, ",") }

func sample() []EOI {
	return []EOI{
		{ID: "d", Points: 70, Submitted: at("2025-02-01T09:00:00Z")},
		{ID: "b", Points: 75, Submitted: at("2025-01-15T09:00:00Z")},
		{ID: "a", Points: 80, Submitted: at("2025-03-01T09:00:00Z")},
		{ID: "c", Points: 75, Submitted: at("2025-02-20T09:00:00Z")},
		{ID: "e", Points: 60, Submitted: at("2025-01-01T09:00:00Z")},
	}
}

func TestTopNWithSubmissionTieBreak(t *testing.T) {
	// Size 2: a (80), then the earlier of the two 75s, b.
	res, err := Run(sample(), []Round{{Date: at("2025-04-01T12:00:00Z"), Size: 2}}, Config{})
	if err != nil {
		t.Fatal(err)
	}
	r := res[0]
	if ids(r) != "a,b" || r.Cutoff != 75 || !r.TieBreak.Equal(at("2025-01-15T09:00:00Z")) || r.InPool != 5 {
		t.Errorf("invited %s cutoff %d tie %s in pool %d; want a,b 75 2025-01-15T09:00 5", ids(r), r.Cutoff, r.TieBreak, r.InPool)
	}
	// All tied: both 75s come with the cutoff.
	res, _ = Run(sample(), []Round{{Date: at("2025-04-01T12:00:00Z"), Size: 2}}, Config{TieBreak: draws.AllTied})
	if ids(res[0]) != "a,b,c" {
		t.Errorf("all tied: invited %s, want a,b,c", ids(res[0]))
	}
}

func TestRoundsInOrderAndInviteesLeave(t *testing.T) {
	// Rounds given out of order run by date. The round of 2025-02-10 sees e,
	// b and d (c and a come later); the next sees e, d, c, a.
	rounds := []Round{{Date: at("2025-04-01T12:00:00Z"), Size: 2}, {Date: at("2025-02-10T12:00:00Z"), Size: 1}}
	res, err := Run(sample(), rounds, Config{})
	if err != nil {
		t.Fatal(err)
	}
	if ids(res[0]) != "b" || res[0].InPool != 3 {
		t.Errorf("first round: %s from %d, want b from 3", ids(res[0]), res[0].InPool)
	}
	if ids(res[1]) != "a,c" || res[1].InPool != 4 {
		t.Errorf("second round: %s from %d, want a,c from 4", ids(res[1]), res[1].InPool)
	}
}

func TestExpiryCalendarYear(t *testing.T) {
	// Issue 18: an EOI received 2023-03-01 09:00 UTC is still in the pool
	// at a round on 2024-03-01 (00:00 UTC) and at 2024-02-29 09:00, 365
	// days on; it leaves at 2024-03-01 09:00, a calendar year on.
	eois := []EOI{{ID: "x", Points: 90, Submitted: at("2023-03-01T09:00:00Z")}}
	for _, tc := range []struct {
		round   string
		invited bool
	}{
		{"2024-02-29T09:00:00Z", true},
		{"2024-03-01T00:00:00Z", true},
		{"2024-03-01T08:59:59Z", true},
		{"2024-03-01T09:00:00Z", false},
	} {
		res, err := Run(eois, []Round{{Date: at(tc.round), Size: 1}}, Config{})
		if err != nil {
			t.Fatal(err)
		}
		if got := len(res[0].Invited) == 1; got != tc.invited || res[0].Expired != map[bool]int{true: 0, false: 1}[tc.invited] {
			t.Errorf("round %s: invited %v expired %d, want invited %v", tc.round, got, res[0].Expired, tc.invited)
		}
	}
	// Expiry runs in submission order across rounds; an invited EOI does
	// not expire.
	eois = []EOI{
		{ID: "a", Points: 50, Submitted: at("2024-02-29T09:00:00Z")},
		{ID: "b", Points: 60, Submitted: at("2024-03-01T09:00:00Z")},
		{ID: "c", Points: 70, Submitted: at("2024-06-01T09:00:00Z")},
	}
	res, err := Run(eois, []Round{{Date: at("2024-07-01T00:00:00Z"), Size: 1}, {Date: at("2025-02-28T09:00:00Z"), Size: 0}, {Date: at("2025-03-01T09:00:00Z"), Size: 5}}, Config{})
	if err != nil {
		t.Fatal(err)
	}
	// Round 1 invites c. 2025-02-28 09:00: a expires (Feb 29 + 1 year is
	// Feb 28). 2025-03-01 09:00: b expires; nobody is left.
	if ids(res[0]) != "c" || res[1].Expired != 1 || res[1].InPool != 1 || res[2].Expired != 1 || res[2].InPool != 0 {
		t.Errorf("rounds %+v", res)
	}
}

func TestExpiryAfterOneYear(t *testing.T) {
	// Submitted 2025-03-01 12:00. 2026-02-28 12:00 is 364 days later: still
	// in the pool. 2026-03-01 12:00 is 365 days (one calendar year, no Feb
	// 29 between): expired.
	eois := []EOI{{ID: "x", Points: 90, Submitted: at("2025-03-01T12:00:00Z")}}
	res, _ := Run(eois, []Round{{Date: at("2026-02-28T12:00:00Z"), Size: 1}}, Config{})
	if ids(res[0]) != "x" {
		t.Errorf("364 days: invited %q, want x", ids(res[0]))
	}
	res, _ = Run(eois, []Round{{Date: at("2026-03-01T12:00:00Z"), Size: 1}}, Config{})
	if len(res[0].Invited) != 0 || res[0].Expired != 1 || !res[0].Short {
		t.Errorf("365 days: invited %q expired %d, want none, 1", ids(res[0]), res[0].Expired)
	}
}

func TestReplacedEOIIsWithdrawn(t *testing.T) {
	// Candidate k gains points: EOI k2 (85) replaces k1 (60). Round 1
	// (size 1) invites k2; round 2 must not invite k1, only m.
	eois := []EOI{
		{ID: "k1", Points: 60, Submitted: at("2025-01-01T00:00:00Z")},
		{ID: "m", Points: 50, Submitted: at("2025-01-02T00:00:00Z")},
		{ID: "k2", Points: 85, Submitted: at("2025-02-01T00:00:00Z"), Replaces: "k1"},
	}
	res, err := Run(eois, []Round{{Date: at("2025-03-01T00:00:00Z"), Size: 1}, {Date: at("2025-04-01T00:00:00Z"), Size: 5}}, Config{})
	if err != nil {
		t.Fatal(err)
	}
	if ids(res[0]) != "k2" || res[0].Withdrawn != 1 || ids(res[1]) != "m" {
		t.Errorf("rounds %q (withdrawn %d), %q; want k2 (1), m", ids(res[0]), res[0].Withdrawn, ids(res[1]))
	}
}

func TestValidate(t *testing.T) {
	ok := at("2025-01-01T00:00:00Z")
	for _, tc := range []struct {
		name   string
		eois   []EOI
		rounds []Round
		want   string
	}{
		{"points", []EOI{{ID: "a", Points: 106, Submitted: ok}}, nil, "eois[1].points: 106 out of range 0-105"},
		{"duplicate", []EOI{{ID: "a", Submitted: ok}, {ID: "a", Submitted: ok}}, nil, "eois[2].id: \"a\" repeats eois[1]"},
		{"replaces unknown", []EOI{{ID: "a", Submitted: ok, Replaces: "z"}}, nil, "eois[1].replaces: no EOI \"z\""},
		{"replaces later", []EOI{{ID: "a", Submitted: ok, Replaces: "b"}, {ID: "b", Submitted: ok.Add(time.Hour)}}, nil, "was not submitted before"},
		{"size", nil, []Round{{Date: ok, Size: -1}}, "rounds[1].size: -1 is negative"},
	} {
		_, err := Run(tc.eois, tc.rounds, Config{})
		if err == nil || !errors.Is(err, ErrInput) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
	}
}
