package residency

import (
	"testing"

	"github.com/eesim/eesim/pathway"
)

func d(s string) pathway.Date { return pathway.MustDate(s) }

func ret(s string) *pathway.Date { x := d(s); return &x }

func mustNew(t *testing.T, in Input, asOf string) *Calc {
	t.Helper()
	c, err := New(in, d(asOf))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// The first worked example of docs/domain.md, "Residency obligation":
// landed 2010-01-01, in Canada until 2013-01-01, then abroad 3 years: meets
// the obligation at a 2015 renewal.
func TestWorkedExample2010Landing(t *testing.T) {
	in := Input{Landing: d("2010-01-01"), Absences: []pathway.Absence{{Depart: d("2013-01-01")}}}
	a := mustNew(t, in, "2015-06-01").Assess()
	// Window 2010-06-02..2015-06-01; present 2010-06-02..2013-01-01:
	// 365 (to 2011-06-01) + 366 (to 2012-06-01, holds 2012-02-29) + 214
	// (2012-06-02..2012-12-31 is 29+31+31+30+31+30+31 = 213, plus Jan 1).
	if !a.Complies || a.Window.Credited != 945 || a.Window.Start != d("2010-06-02") {
		t.Errorf("2015-06-01: complies=%v credited=%d start=%s, want true 945 2010-06-02", a.Complies, a.Window.Credited, a.Window.Start)
	}
	if a.FirstBreach != nil {
		t.Errorf("first breach %s, want none", a.FirstBreach)
	}
	// Leaving for good (still abroad): window ending 2016-01-02 starts
	// 2011-01-03 and holds 2011-01-03..2013-01-01 = 365 + 365 = 730 days;
	// the next day's holds 729.
	if a.ComplyThrough == nil || *a.ComplyThrough != d("2016-01-02") {
		t.Errorf("comply through %v, want 2016-01-02", a.ComplyThrough)
	}
	// Every day of 2015 complies (a renewal at any date of 2015).
	c := mustNew(t, in, "2015-12-31")
	for e := d("2015-01-01"); e <= d("2015-12-31"); e++ {
		if !c.Complies(e) {
			t.Fatalf("does not comply on %s", e)
		}
	}
}

// The second worked example: landed 2005-07-01, in Canada 2 years, abroad
// 2007-2013: fails, because the 2007-2012 window holds fewer than 730 days,
// though each card period on its own had 730.
func TestWorkedExample2005Landing(t *testing.T) {
	in := Input{Landing: d("2005-07-01"), Absences: []pathway.Absence{{Depart: d("2007-07-01"), Return: ret("2013-07-01")}}}
	a := mustNew(t, in, "2015-07-01").Assess()
	// Card period 2010-07-02..2015-07-01: present 2013-07-01..2015-07-01 =
	// 731 days, so the window ending on the renewal date alone complies...
	if a.Window.Credited != 731 || !a.Complies {
		t.Errorf("window ending 2015-07-01: %d days, complies=%v; want 731, true", a.Window.Credited, a.Complies)
	}
	// ... but the worst window is 2007-07-02..2012-07-01 (all abroad: the
	// departure day 2007-07-01 is just outside it): 0 days.
	if a.Worst == nil || a.Worst.Start != d("2007-07-02") || a.Worst.End != d("2012-07-01") || a.Worst.Credited != 0 {
		t.Errorf("worst window %+v, want 2007-07-02..2012-07-01 with 0 days", a.Worst)
	}
	// First card period 2005-07-01..2010-06-30 held 2005-07-01..2007-07-01 =
	// 731 days. The window ending 2010-07-01 starts 2005-07-02: 730; the one
	// ending 2010-07-02 starts 2005-07-03: 729, the first breach.
	if w := mustNew(t, in, "2015-07-01").WindowEnding(d("2010-06-30")); w.Credited != 731 {
		t.Errorf("first card period: %d days, want 731", w.Credited)
	}
	if a.FirstBreach == nil || *a.FirstBreach != d("2010-07-02") {
		t.Errorf("first breach %v, want 2010-07-02", a.FirstBreach)
	}
}

func TestExactly730Boundary(t *testing.T) {
	// Same history as the 2010 landing: the window ending 2016-01-02 holds
	// exactly 730 days (see TestWorkedExample2010Landing), 2016-01-03 729.
	in := Input{Landing: d("2010-01-01"), Absences: []pathway.Absence{{Depart: d("2013-01-01")}}}
	a := mustNew(t, in, "2016-01-02").Assess()
	if a.Window.Credited != 730 || !a.Complies || a.Shortfall != 0 {
		t.Errorf("2016-01-02: %d days complies=%v, want exactly 730 and compliant", a.Window.Credited, a.Complies)
	}
	b := mustNew(t, in, "2016-01-03").Assess()
	if b.Window.Credited != 729 || b.Complies || b.Shortfall != 1 {
		t.Errorf("2016-01-03: %d days complies=%v shortfall=%d, want 729 false 1", b.Window.Credited, b.Complies, b.Shortfall)
	}
	if b.FirstBreach == nil || *b.FirstBreach != d("2016-01-03") || b.ComplyThrough != nil {
		t.Errorf("first breach %v comply-through %v, want 2016-01-03 and none", b.FirstBreach, b.ComplyThrough)
	}
}

func TestDepartureAndReturnDaysCountInCanada(t *testing.T) {
	// Landed 2020-01-01; one trip 2021-07-01 to 2021-07-15: 13 days absent.
	// Window on 2022-01-01 = 2020-01-01..2022-01-01 = 366+365+1 = 732 days,
	// minus 13 = 719.
	in := Input{Landing: d("2020-01-01"), Absences: []pathway.Absence{{Depart: d("2021-07-01"), Return: ret("2021-07-15")}}}
	c := mustNew(t, in, "2022-01-01")
	if w := c.WindowEnding(d("2022-01-01")); w.Credited != 719 || w.Days() != 732 {
		t.Errorf("window: %d of %d days, want 719 of 732", w.Credited, w.Days())
	}
	tl := c.Timeline()
	for _, tc := range []struct {
		day  string
		want int
	}{{"2021-06-30", 1}, {"2021-07-01", 1}, {"2021-07-02", 0}, {"2021-07-14", 0}, {"2021-07-15", 1}} {
		if got := tl[d(tc.day)-d("2020-01-01")].Credit; got != tc.want {
			t.Errorf("credit on %s = %d, want %d", tc.day, got, tc.want)
		}
	}
}

func TestAbsenceCrossingWindowEdge(t *testing.T) {
	// Landed 2015-01-01; abroad 2016-12-01 to 2017-03-01 (absent 2016-12-02
	// ..2017-02-28: 30+31+31+28 = 90 days). The window ending 2021-12-31
	// starts 2017-01-01, so only 2017-01-01..2017-02-28 (59 days) of the
	// absence falls inside: 1826 - 59 = 1767 (window holds 2020-02-29).
	in := Input{Landing: d("2015-01-01"), Absences: []pathway.Absence{{Depart: d("2016-12-01"), Return: ret("2017-03-01")}}}
	c := mustNew(t, in, "2022-06-01")
	w := c.WindowEnding(d("2021-12-31"))
	if w.Start != d("2017-01-01") || w.Days() != 1826 || w.Credited != 1767 {
		t.Errorf("window %s..%s: %d of %d, want 2017-01-01.., 1767 of 1826", w.Start, w.End, w.Credited, w.Days())
	}
	// The window ending 2022-02-28 starts 2017-03-01: the return day is its
	// first day, so nothing of the absence is inside.
	if w := c.WindowEnding(d("2022-02-28")); w.Credited != w.Days() {
		t.Errorf("window from the return day: %d of %d, want all", w.Credited, w.Days())
	}
}

func TestLeapYearWindow(t *testing.T) {
	// Landed 2015-01-01, never left. The window ending 2024-02-29 is
	// 2019-03-01..2024-02-29: 1827 days (2020-02-29 and 2024-02-29).
	c := mustNew(t, Input{Landing: d("2015-01-01")}, "2024-02-29")
	if w := c.WindowEnding(d("2024-02-29")); w.Credited != 1827 || w.Start != d("2019-03-01") {
		t.Errorf("window ending 2024-02-29: %d from %s, want 1827 from 2019-03-01", w.Credited, w.Start)
	}
	if w := c.WindowEnding(d("2024-02-28")); w.Credited != 1826 {
		t.Errorf("window ending 2024-02-28: %d, want 1826", w.Credited)
	}
}

func TestExceptionsCountAsPresent(t *testing.T) {
	// Two years abroad with a citizen spouse count in full; the same trip
	// for a foreign employer does not.
	for _, tc := range []struct {
		exc  pathway.Reason
		want int
	}{{pathway.CitizenSpouse, 1827}, {pathway.CanadianEmployer, 1827}, {pathway.AccompanyingEmployedPR, 1827}, {pathway.NoReason, 1827 - 730}} {
		// Absent 2020-01-02..2021-12-31 = 366 + 365 = 731 days minus... the
		// return day 2022-01-01 counts: absent days = 731 - 1 = 730.
		in := Input{Landing: d("2019-03-01"), Absences: []pathway.Absence{{Depart: d("2020-01-01"), Return: ret("2022-01-01"), Reason: tc.exc}}}
		c := mustNew(t, in, "2024-02-29")
		w := c.WindowEnding(d("2024-02-29"))
		if w.Credited != tc.want {
			t.Errorf("exception %q: %d days, want %d", tc.exc, w.Credited, tc.want)
		}
		if tc.exc != pathway.NoReason && w.Excepted != 730 {
			t.Errorf("exception %q: %d excepted days, want 730", tc.exc, w.Excepted)
		}
	}
}

func TestUnderFiveYears(t *testing.T) {
	// Landed 2022-01-01, abroad 2022-03-01..2022-12-01 (absent 2022-03-02..
	// 2022-11-30 = 274 days). On 2023-01-01: 366 - 274 = 92 days; the
	// deadline is 2026-12-31, 1,460 days later (2023-01-01 + 365+366+365+365
	// = 2027-01-01, less one day); 92 + 1460 >= 730: complies.
	in := Input{Landing: d("2022-01-01"), Absences: []pathway.Absence{{Depart: d("2022-03-01"), Return: ret("2022-12-01")}}}
	a := mustNew(t, in, "2023-01-01").Assess()
	if a.Window.Credited != 92 || a.Remaining != 1460 || !a.Complies || a.Worst != nil || a.Deadline != d("2026-12-31") {
		t.Errorf("got credited=%d remaining=%d complies=%v worst=%v deadline=%s; want 92 1460 true nil 2026-12-31", a.Window.Credited, a.Remaining, a.Complies, a.Worst, a.Deadline)
	}
	// Landed 2022-01-01, left for good 2022-01-10: 10 days. The person can
	// still make it while 10 + (2026-12-31 - E) >= 730, i.e. E <= 2025-01-10
	// (2026-12-31 minus 720 days, by Python's datetime).
	in = Input{Landing: d("2022-01-01"), Absences: []pathway.Absence{{Depart: d("2022-01-10")}}}
	a = mustNew(t, in, "2025-06-01").Assess()
	// On 2025-06-01: 578 days remain (365 to 2026-06-01, then 213): 588.
	if a.Complies || a.Shortfall != 142 || a.FirstBreach == nil || *a.FirstBreach != d("2025-01-11") {
		t.Errorf("complies=%v shortfall=%d first breach=%v, want false 142 2025-01-11", a.Complies, a.Shortfall, a.FirstBreach)
	}
	b := mustNew(t, in, "2024-01-01").Assess()
	if !b.Complies || b.ComplyThrough == nil || *b.ComplyThrough != d("2025-01-10") {
		t.Errorf("on 2024-01-01: complies=%v through %v, want true 2025-01-10", b.Complies, b.ComplyThrough)
	}
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   Input
		asOf string
		want string
	}{
		{"landing in future", Input{Landing: d("2025-01-01")}, "2024-01-01", "landing: 2025-01-01 is after the assessment date 2024-01-01"},
		{"absence before landing", Input{Landing: d("2020-01-01"), Absences: []pathway.Absence{{Depart: d("2019-12-01"), Return: ret("2020-02-01")}}}, "2024-01-01", "absences[1].from: 2019-12-01 is before landing"},
	} {
		_, err := New(tc.in, d(tc.asOf))
		if err == nil || err.Error()[:len(tc.want)] != tc.want {
			t.Errorf("%s: error %v, want prefix %q", tc.name, err, tc.want)
		}
	}
}
