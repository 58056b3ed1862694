package residency

import (
	"strings"
	"testing"

	"github.com/eesim/eesim/pathway"
)

// TestRules checks the residency obligation case by case, each against the
// rule it exercises (docs/domain.md, "Residency obligation"). The expected
// numbers were computed independently of this package: by hand where the
// comment shows the sum, and all of them with a day-by-day count in
// Python's datetime (present unless inside an absence's departure+1 ..
// return-1, window from the same day 5 years earlier plus one, Feb 29 to
// Feb 28).
func TestRules(t *testing.T) {
	for _, tc := range []struct {
		name, rule string
		landing    string
		absences   []string // named form, as --absence takes it
		asOf       string
		start      string // first day of the window ending on asOf
		credited   int
		complies   bool
		spare      int    // or the shortfall when not complying
		breach     string // first day not complying, "" for none
		through    string // comply-through if abroad from asOf, "" for none
		worst      int    // worst full window's credit, -1 for none yet
		clipped    int    // absences cut at asOf
		warn       string // substring of a warning, "" for none
	}{
		{"worked example, 2010 landing", "IRPA s. 28(2)(b)(ii); IRCC's example: complies at a 2015 renewal",
			"2010-01-01", []string{"from=2013-01-01"}, "2015-06-01",
			// 2010-06-02..2013-01-01: 365 + 366 + 214 = 945.
			"2010-06-02", 945, true, 215, "", "2016-01-02", 945, 0, ""},
		{"worked example, 2005 landing", "IRPA s. 28(2)(b)(ii): any 5-year window may be examined",
			"2005-07-01", []string{"from=2007-07-01,to=2013-07-01"}, "2015-07-01",
			// 2013-07-01..2015-07-01 = 731; the 2007-07-02..2012-07-01 window holds 0.
			"2010-07-02", 731, true, 1, "2010-07-02", "2018-07-01", 0, 0, ""},
		{"exactly 730 days", "IRPA s. 28(2)(a): at least 730 days",
			"2010-01-01", []string{"from=2013-01-01"}, "2016-01-02",
			// 2011-01-03..2013-01-01 = 365 + 365.
			"2011-01-03", 730, true, 0, "", "2016-01-02", 730, 0, ""},
		{"729 days", "IRPA s. 28(2)(a): at least 730 days",
			"2010-01-01", []string{"from=2013-01-01"}, "2016-01-03",
			"2011-01-04", 729, false, 1, "2016-01-03", "", 729, 0, ""},
		{"departure and return days are in Canada", "IRCC physical presence calculator: Jul 1-15 is 13 days absent",
			"2020-01-01", []string{"from=2021-07-01,to=2021-07-15"}, "2022-01-01",
			// 366 + 365 + 1 = 732 days, less 13; 1,095 days left to 2024-12-31.
			"2020-01-01", 719, true, 719 + 1095 - 730, "", "2024-12-20", -1, 0, ""},
		{"same-day and overnight trips", "IRCC physical presence calculator: 0 days absent",
			"2020-01-01", []string{"from=2021-07-01,to=2021-07-01", "from=2021-08-01,to=2021-08-02"}, "2022-01-01",
			"2020-01-01", 732, true, 732 + 1095 - 730, "", "2025-01-02", -1, 0, ""},
		{"window ending on Feb 29", "pathway windows: 5 years back plus a day, Feb 29 to Feb 28",
			"2015-01-01", nil, "2024-02-29",
			// 2019-03-01..2024-02-29 holds 2020-02-29 and 2024-02-29: 1,825 + 2.
			"2019-03-01", 1827, true, 1097, "", "2027-03-01", 1826, 0, ""},
		{"window ending on Feb 28 of a leap year", "pathway windows",
			"2015-01-01", nil, "2024-02-28",
			"2019-03-01", 1826, true, 1096, "", "2027-02-28", 1826, 0, ""},
		{"abroad with a citizen spouse", "IRPA s. 28(2)(a)(ii)",
			"2019-03-01", []string{"from=2020-01-01,to=2022-01-01,reason=citizen-spouse"}, "2024-02-29",
			"2019-03-01", 1827, true, 1097, "", "2027-03-01", 1827, 0, ""},
		{"abroad for a Canadian employer", "IRPA s. 28(2)(a)(iii), IRPR s. 61(3)",
			"2019-03-01", []string{"from=2020-01-01,to=2022-01-01,reason=canadian-employer"}, "2024-02-29",
			"2019-03-01", 1827, true, 1097, "", "2027-03-01", 1827, 0, ""},
		{"accompanying a PR so employed", "IRPA s. 28(2)(a)(iv)",
			"2019-03-01", []string{"from=2020-01-01,to=2022-01-01,reason=accompanying-employed-pr"}, "2024-02-29",
			"2019-03-01", 1827, true, 1097, "", "2027-03-01", 1827, 0, ""},
		{"abroad in the public service", "IRPA s. 28(2)(a)(iii): the federal or a provincial public service",
			"2019-03-01", []string{"from=2020-01-01,to=2022-01-01,reason=public-service"}, "2024-02-29",
			"2019-03-01", 1827, true, 1097, "", "2027-03-01", 1827, 0, ""},
		{"armed forces abroad is a citizenship rule", "IRPA s. 28(2)(a) does not name it; Citizenship Act s. 5(1.02) does",
			"2019-03-01", []string{"from=2020-01-01,to=2022-01-01,reason=armed-forces"}, "2024-02-29",
			// 2020-01-02..2021-12-31 absent: 366 + 365 - 1 = 730.
			"2019-03-01", 1827 - 730, true, 367, "", "2027-03-01", 1097, 0, "citizenship rule"},
		{"before the 5th anniversary, can still comply", "IRPA s. 28(2)(b)(i)",
			"2022-01-01", []string{"from=2022-03-01,to=2022-12-01"}, "2023-01-01",
			// 366 - 274 = 92 credited; 1,460 days left to 2026-12-31.
			"2022-01-01", 92, true, 92 + 1460 - 730, "", "2025-04-02", -1, 0, ""},
		{"before the 5th anniversary, can no longer comply", "IRPA s. 28(2)(b)(i)",
			"2022-01-01", []string{"from=2022-01-10"}, "2025-06-01",
			// 10 credited + 578 left = 588: 142 short.
			"2022-01-01", 10, false, 142, "2025-01-11", "", -1, 0, ""},
		{"as-of inside an absence", "issue 18: a past date is assessed with the history as known then",
			"2010-01-01", []string{"from=2013-01-01,to=2017-01-01"}, "2015-06-01",
			"2010-06-02", 945, true, 215, "", "2016-01-02", 945, 1, ""},
		{"travel after the as-of date is not counted", "issue 18",
			"2010-01-01", []string{"from=2013-01-01,to=2017-01-01", "from=2018-01-01,to=2018-02-01"}, "2015-06-01",
			"2010-06-02", 945, true, 215, "", "2016-01-02", 945, 2, ""},
		{"absence across the window's start", "pathway windows: only the days inside count",
			"2015-01-01", []string{"from=2016-12-01,to=2017-03-01"}, "2021-12-31",
			// 2017-01-01..2017-02-28 (59 days) inside: 1,826 - 59.
			"2017-01-01", 1767, true, 1037, "", "2025-01-01", 1737, 0, ""},
		{"assessed on the landing day", "IRPA s. 28(2)(b)(i): the day of landing counts",
			"2020-03-15", nil, "2020-03-15",
			// 1 day + 1,825 left to 2025-03-14.
			"2020-03-15", 1, true, 1096, "", "2023-03-16", -1, 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := Input{Landing: d(tc.landing)}
			for _, s := range tc.absences {
				a, err := pathway.ParseAbsence(s)
				if err != nil {
					t.Fatal(err)
				}
				in.Absences = append(in.Absences, a)
			}
			a := mustNew(t, in, tc.asOf).Assess()
			spare := a.Spare
			if !a.Complies {
				spare = a.Shortfall
			}
			if a.Window.Start != d(tc.start) || a.Window.Credited != tc.credited || a.Complies != tc.complies || spare != tc.spare {
				t.Errorf("%s: window from %s credited %d complies %v spare/short %d; want %s %d %v %d", tc.rule, a.Window.Start, a.Window.Credited, a.Complies, spare, tc.start, tc.credited, tc.complies, tc.spare)
			}
			if got := dateOr(a.FirstBreach); got != tc.breach {
				t.Errorf("%s: first breach %q, want %q", tc.rule, got, tc.breach)
			}
			if got := dateOr(a.ComplyThrough); got != tc.through {
				t.Errorf("%s: comply through %q, want %q", tc.rule, got, tc.through)
			}
			worst := -1
			if a.Worst != nil {
				worst = a.Worst.Credited
			}
			if worst != tc.worst || a.EveryWindow != (tc.breach == "") {
				t.Errorf("%s: worst %d every window %v, want %d %v", tc.rule, worst, a.EveryWindow, tc.worst, tc.breach == "")
			}
			if len(a.Clipped) != tc.clipped {
				t.Errorf("%s: %d absences clipped, want %d: %+v", tc.rule, len(a.Clipped), tc.clipped, a.Clipped)
			}
			if w := strings.Join(a.Warnings, "\n"); (tc.warn == "") != (w == "") || !strings.Contains(w, tc.warn) {
				t.Errorf("%s: warnings %q, want %q", tc.rule, w, tc.warn)
			}
		})
	}
}

func dateOr(d *pathway.Date) string {
	if d == nil {
		return ""
	}
	return d.String()
}

func TestClip(t *testing.T) {
	// Assessed on 2015-06-01: the first absence is under way then, the
	// second has not begun; the third ended before.
	abs := []pathway.Absence{
		{Depart: d("2013-01-01"), Return: ret("2017-01-01")},
		{Depart: d("2018-01-01"), Return: ret("2018-02-01")},
		{Depart: d("2012-01-01"), Return: ret("2012-02-01")},
	}
	out, cut := Clip(abs, d("2015-06-01"))
	if len(out) != 2 || out[0].Return != nil || *out[1].Return != d("2012-02-01") {
		t.Errorf("clipped history %+v", out)
	}
	if len(cut) != 2 || cut[0].Absence != 1 || cut[0].Ignored || cut[1].Absence != 2 || !cut[1].Ignored ||
		cut[0].Note != "absence 1 (2013-01-01 to 2017-01-01) returns after 2015-06-01: still abroad that day" {
		t.Errorf("cut %+v", cut)
	}
}
