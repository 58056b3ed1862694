package citizenship

import (
	"fmt"
	"strings"
	"testing"

	"github.com/eesim/eesim/pathway"
)

func d(s string) pathway.Date { return pathway.MustDate(s) }

func ret(s string) *pathway.Date { x := d(s); return &x }

func assess(t *testing.T, in Input, sign string) Result {
	t.Helper()
	c, err := New(in, d(sign))
	if err != nil {
		t.Fatal(err)
	}
	return c.Assess()
}

func absences(t *testing.T, named ...string) []pathway.Absence {
	t.Helper()
	var out []pathway.Absence
	for _, s := range named {
		a, err := pathway.ParseAbsence(s)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, a)
	}
	return out
}

// TestRules checks the physical presence test case by case, each against
// the rule it exercises (docs/domain.md, "Citizenship"). The expected
// numbers were computed independently of this package: by hand where the
// comment shows the sum, and all with a day-by-day count in Python's
// datetime (period = the 5 years ending the day before signing; abroad,
// then sentence, then PR or pre-PR status; Crown service abroad as a PR
// counts 1; pre-PR halves capped at 730).
func TestRules(t *testing.T) {
	pre := func(from, to string) []PrePRPeriod {
		return []PrePRPeriod{{From: d(from), To: d(to), Kind: TemporaryResident}}
	}
	for _, tc := range []struct {
		name, rule string
		in         Input
		abs        []string
		sign       string
		start      string  // first day of the period
		credit     float64 // credited days
		diff       float64 // credit - 1,095
		earliest   string  // "" when met
		warn       string  // substring of a warning
	}{
		{"issue 18: the signing day does not count", "Citizenship Act s. 5(1)(c): the 5 years immediately before the date of application",
			Input{PRDate: d("2020-01-01")}, nil, "2022-12-30",
			// 2020-01-01..2022-12-29 = 366 + 365 + 363 = 1,094.
			"2017-12-30", 1094, -1, "2022-12-31", ""},
		{"exactly 1,095 days", "Citizenship Act s. 5(1)(c)",
			Input{PRDate: d("2020-01-01")}, nil, "2022-12-31",
			"2017-12-31", 1095, 0, "", ""},
		{"issue 18: earliest date not a day early", "Citizenship Act s. 5(1)(c); IRCC calculator's earliest date",
			Input{PRDate: d("2020-01-01")}, nil, "2022-06-30",
			// 366 + 365 + 180 = 911; the 1,095th day is 2022-12-30, so the
			// earliest signing date is the day after.
			"2017-06-30", 911, -184, "2022-12-31", ""},
		{"half of 365 pre-PR days falls short", "Citizenship Act s. 5(1.001): each pre-PR day counts half",
			Input{PRDate: d("2020-01-01"), PrePR: pre("2019-01-01", "2019-12-31")}, nil, "2022-07-01",
			// 912 + 182.5.
			"2017-07-01", 1094.5, -0.5, "2022-07-02", ""},
		{"exactly the 365-day cap", "Citizenship Act s. 5(1.001): at most 365 days",
			Input{PRDate: d("2020-01-01"), PrePR: pre("2018-01-01", "2019-12-31")}, nil, "2022-07-01",
			"2017-07-01", 912 + 365, 182, "", ""},
		{"over the cap", "Citizenship Act s. 5(1.001): at most 365 days",
			// 914 pre-PR days in the period, credited 365.
			Input{PRDate: d("2020-01-01"), PrePR: pre("2010-01-01", "2019-12-31")}, nil, "2022-07-01",
			"2017-07-01", 912 + 365, 182, "", ""},
		{"half of 366 reaches 1,095", "Citizenship Act s. 5(1.001)",
			Input{PRDate: d("2020-01-01"), PrePR: pre("2018-12-31", "2019-12-31")}, nil, "2022-07-01",
			"2017-07-01", 912 + 183, 0, "", ""},
		{"fewer than 2 years as a PR", "Citizenship Act s. 5(1)(c), (1.001): 730 PR days at least",
			Input{PRDate: d("2020-01-01"), PrePR: []PrePRPeriod{{From: d("2016-01-01"), To: d("2019-12-31"), Kind: ProtectedPerson}}}, nil, "2021-06-30",
			// 366 + 180 = 546 PR days + 365; the 730th PR day is
			// 2021-12-30, so sign on 2021-12-31.
			"2016-06-30", 911, -184, "2021-12-31", ""},
		{"signing on Feb 29", "pathway windows: the 5 years ending on Feb 28 start on Mar 1",
			Input{PRDate: d("2019-03-01")}, nil, "2024-02-29",
			"2019-03-01", 1826, 731, "", ""},
		{"signing on Mar 1 of a leap year", "pathway windows: the period holds two Feb 29s",
			Input{PRDate: d("2019-03-01")}, nil, "2024-03-01",
			"2019-03-01", 1827, 732, "", ""},
		{"absences, the leap day and a sentence", "IRCC calculator: departure and return days in Canada; s. 21 sentences count nothing",
			Input{PRDate: d("2019-01-01"), Sentences: []pathway.Period{{From: d("2022-01-01"), To: d("2022-03-31")}, {From: d("2022-02-01"), To: d("2022-02-10")}}},
			[]string{"from=2020-02-28,to=2020-03-01", "from=2021-07-01,to=2021-07-15,reason=citizen-spouse"}, "2024-01-01",
			// 1,826 - 1 (Feb 29) - 13 - 90 (Jan-Mar 2022) = 1,722.
			"2019-01-01", 1722, 627, "", "residency obligation only"},
		{"Canadian Armed Forces abroad", "Citizenship Act s. 5(1.02)",
			Input{PRDate: d("2020-01-01")}, []string{"from=2021-01-01,to=2022-01-01,reason=armed-forces"}, "2023-01-01",
			// 366 + 365 + 365 = 1,096 PR days, 364 of them abroad in service.
			"2018-01-01", 1096, 1, "", ""},
		{"public service abroad", "Citizenship Act s. 5(1.02)",
			Input{PRDate: d("2020-01-01")}, []string{"from=2021-01-01,to=2022-01-01,reason=public-service"}, "2023-01-01",
			"2018-01-01", 1096, 1, "", ""},
		{"accompanying a Crown servant", "Citizenship Act s. 5(1.01), (1.02)",
			Input{PRDate: d("2020-01-01")}, []string{"from=2021-01-01,to=2022-01-01,reason=accompanying-crown-servant"}, "2023-01-01",
			"2018-01-01", 1096, 1, "", ""},
		{"a Canadian business abroad does not count", "IRPA s. 28(2)(a)(iii) is a residency rule only",
			Input{PRDate: d("2020-01-01")}, []string{"from=2021-01-01,to=2022-01-01,reason=canadian-employer"}, "2023-01-01",
			// 1,096 - 364; 363 more days: 2023-12-29, signing the day after.
			"2018-01-01", 732, -363, "2023-12-30", "give public-service"},
		{"Crown service before PR counts as absent", "Citizenship Act s. 5(1.02): as a permanent resident",
			Input{PRDate: d("2020-01-01"), PrePR: pre("2018-01-01", "2019-12-31")}, []string{"from=2019-01-01,to=2019-07-01,reason=armed-forces"}, "2022-07-01",
			// Pre-PR 730 - 180 abroad = 550 -> 275; 912 + 275.
			"2017-07-01", 1187, 92, "", "before the PR date"},
		{"still abroad when signing", "pathway: an open absence runs to the signing date",
			Input{PRDate: d("2018-01-01")}, []string{"from=2022-06-01"}, "2023-01-01",
			// 1,826 - (2022-06-02..2022-12-31 = 213).
			"2018-01-01", 1613, 518, "", ""},
		{"the period cuts the PR years", "Citizenship Act s. 5(1)(c): only the 5 years count",
			Input{PRDate: d("2015-01-01")}, nil, "2023-06-15",
			"2018-06-15", 1826, 731, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in
			in.Absences = absences(t, tc.abs...)
			r := assess(t, in, tc.sign)
			diff := r.Spare - r.Short
			if r.Presence.Start != d(tc.start) || r.Presence.End != d(tc.sign)-1 || r.Presence.Credit() != tc.credit || diff != tc.diff || r.Eligible != (tc.diff >= 0) {
				t.Errorf("%s: period %s..%s credit %v diff %v eligible %v; want %s..%s %v %v", tc.rule, r.Presence.Start, r.Presence.End, r.Presence.Credit(), diff, r.Eligible, tc.start, d(tc.sign)-1, tc.credit, tc.diff)
			}
			if got := dateOr(r.EarliestEligible); got != tc.earliest {
				t.Errorf("%s: earliest %q, want %q", tc.rule, got, tc.earliest)
			}
			if w := strings.Join(r.Warnings, "\n"); (tc.warn == "") != (w == "") || !strings.Contains(w, tc.warn) {
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

func TestPoliceCertificates(t *testing.T) {
	// Rule (IRCC CIT 0002 guide): a certificate from each country where the
	// applicant spent 183 or more consecutive days, since age 18, in the 4
	// years before signing; not from a country whose certificate was given
	// for the PR application if not visited since landing. Sign
	// 2025-06-01: the 4 years before run 2021-06-01..2025-05-31. Day
	// counts by Python's datetime.
	adult := d("1990-01-01")
	minorUntil2022 := d("2004-03-01")                  // 18 on 2022-03-01
	home := "from=2015-01-01,to=2022-01-01,country=IN" // lived in India until landing
	for _, tc := range []struct {
		name    string
		birth   pathway.Date
		abs     []string
		certs   []string
		want    string // the checks as "country:days:needed/unknown/exempt/-"
		noteHas string
	}{
		{"exactly 183 consecutive days", adult, []string{"from=2022-01-01,to=2022-07-04,country=FR"}, nil, "FR:183:needed", ""},
		{"182 days", adult, []string{"from=2022-01-01,to=2022-07-03,country=FR"}, nil, "", ""},
		// Absent 2021-05-23..2021-11-21 (183 days), 174 of them inside.
		{"183 days begun before the window", adult, []string{"from=2021-05-22,to=2021-11-22,country=FR"}, nil, "FR:174:-", "began before the 4-year window"},
		// Absent 2021-12-01..2022-06-01 (183 days); from 2022-03-01: 93.
		{"183 days begun before age 18", minorUntil2022, []string{"from=2021-11-30,to=2022-06-02,country=FR"}, nil, "FR:93:-", "began before age 18"},
		// FR 2022-01-02..2022-06-30 = 180 days; DE 2022-07-01..2022-12-31 = 184.
		{"a trip through two countries", adult, []string{"from=2022-01-01,to=2023-01-01,country=FR;DE@2022-07-01"}, nil, "DE:184:needed", ""},
		{"two countries, split unknown", adult, []string{"from=2022-01-01,to=2023-01-01,country=FR;DE"}, nil, "FR, DE:364:unknown", "arrival day"},
		// IN 2015-01-02..2021-12-31; 2021-06-01..2021-12-31 = 214 inside.
		{"home country, certificate given for PR", adult, []string{home}, []string{"in"}, "IN:214:exempt", "not in IN since landing"},
		{"home country, back since landing", adult, []string{home, "from=2023-01-01,to=2023-02-01,country=IN"}, []string{"IN"}, "IN:214:needed", "back in IN since landing (absence 2"},
		{"certificate given for another country", adult, []string{home}, []string{"US"}, "IN:214:needed", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := Input{PRDate: d("2022-01-01"), BirthDate: &tc.birth, Absences: absences(t, tc.abs...), PRPoliceCertificates: tc.certs}
			var got, notes []string
			for _, pc := range PoliceChecks(in, d("2025-06-01")) {
				state := "-"
				switch {
				case pc.Needed:
					state = "needed"
				case pc.Unknown:
					state = "unknown"
				case pc.Exempt:
					state = "exempt"
				}
				got = append(got, fmt.Sprintf("%s:%d:%s", pc.Country, pc.Days, state))
				notes = append(notes, pc.Note)
			}
			if strings.Join(got, " ") != tc.want || !strings.Contains(strings.Join(notes, " "), tc.noteHas) {
				t.Errorf("checks %v notes %q, want %q and a note with %q", got, notes, tc.want, tc.noteHas)
			}
		})
	}
}

func TestTimeline(t *testing.T) {
	// PR 2020-01-01, a trip 2022-01-10..2022-01-20 (9 days absent), signed
	// 2022-12-31: the period is 2017-12-31..2022-12-30, credit 1,095 - 9 =
	// 1,086, 9 short; staying from 2022-12-31 on, the 1,095th day is
	// 2023-01-08, so the earliest signing date is 2023-01-09.
	in := Input{PRDate: d("2020-01-01"), Absences: absences(t, "from=2022-01-10,to=2022-01-20")}
	c, err := New(in, d("2022-12-31"))
	if err != nil {
		t.Fatal(err)
	}
	r := c.Assess()
	if r.Presence.Credit() != 1086 || dateOr(r.EarliestEligible) != "2023-01-09" {
		t.Fatalf("credit %v earliest %v, want 1086 2023-01-09", r.Presence.Credit(), dateOr(r.EarliestEligible))
	}
	days := c.Timeline(d("2023-01-09"))
	byDate := map[string]Day{}
	for _, x := range days {
		byDate[x.Date.String()] = x
	}
	for _, tc := range []struct {
		date    string
		kind    DayKind
		running float64 // -1: none
		window  float64
		proj    bool
	}{
		// 2019-12-31: before PR; the running credit is 0 and the period
		// of an application signed that day holds nothing.
		{"2019-12-31", None, 0, 0, false},
		{"2020-01-01", PRDay, 1, 0, false},
		{"2022-01-10", PRDay, 741, 740, false}, // departure day in Canada
		{"2022-01-11", Abroad, 741, 741, false},
		{"2022-01-20", PRDay, 742, 741, false}, // return day in Canada
		{"2022-12-30", PRDay, 1086, 1085, false},
		{"2022-12-31", PRDay, -1, 1086, false}, // the signing date: its period is the assessed one
		{"2023-01-09", PRDay, -1, 1095, true},
	} {
		x, ok := byDate[tc.date]
		if !ok {
			t.Fatalf("no row for %s", tc.date)
		}
		run := -1.0
		if x.Running != nil {
			run = x.Running.Credit()
		}
		if x.Kind != tc.kind || run != tc.running || x.Window.Credit() != tc.window || x.Projected != tc.proj {
			t.Errorf("%s: kind %s running %v window %v projected %v; want %s %v %v %v", tc.date, x.Kind, run, x.Window.Credit(), x.Projected, tc.kind, tc.running, tc.window, tc.proj)
		}
	}
	if first, last := days[0].Date, days[len(days)-1].Date; first != d("2017-12-31") || last != d("2023-01-09") {
		t.Errorf("timeline %s..%s, want 2017-12-31..2023-01-09", first, last)
	}
}

func TestChecklist(t *testing.T) {
	// Sign 2024-03-01: period 2019-03-01..2024-02-29; completed tax years
	// overlapping it: 2019..2023.
	birth := d("1969-03-02") // 54 on 2024-03-01 (55 the next day)
	in := Input{PRDate: d("2018-01-01"), BirthDate: &birth, TaxYearsFiled: []int{2017, 2019, 2021, 2023}}
	r := assess(t, in, "2024-03-01")
	ck := r.Checklist
	if fmt.Sprint(ck.TaxYears) != "[2019 2020 2021 2022 2023]" || len(ck.TaxFiled) != 3 || !ck.TaxMet {
		t.Errorf("tax years %v filed %v met %v, want 2019..2023, 3 filed, met", ck.TaxYears, ck.TaxFiled, ck.TaxMet)
	}
	if *ck.Age != 54 || !*ck.LanguageNeeded || ck.FeeCAD != 630 {
		t.Errorf("age %d language %v fee %d, want 54 true 630", *ck.Age, *ck.LanguageNeeded, ck.FeeCAD)
	}
	r = assess(t, in, "2024-03-02")
	if *r.Checklist.Age != 55 || *r.Checklist.LanguageNeeded {
		t.Errorf("at 55: language needed %v, want false", *r.Checklist.LanguageNeeded)
	}
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   Input
		want string
	}{
		{"pr after sign", Input{PRDate: d("2025-01-01")}, "pr_date: 2025-01-01 is after the application date 2024-06-01"},
		{"pre-pr after PR", Input{PRDate: d("2020-01-01"), PrePR: []PrePRPeriod{{From: d("2019-01-01"), To: d("2020-01-01"), Kind: TemporaryResident}}}, "pre_pr[1].to: 2020-01-01 is not before the PR date"},
		{"pre-pr kind", Input{PRDate: d("2020-01-01"), PrePR: []PrePRPeriod{{From: d("2019-01-01"), To: d("2019-02-01"), Kind: "refugee-claimant"}}}, "pre_pr[1].kind"},
		{"pre-pr reversed", Input{PRDate: d("2020-01-01"), PrePR: []PrePRPeriod{{From: d("2019-02-01"), To: d("2019-01-01"), Kind: TemporaryResident}}}, "pre_pr[1].to: 2019-01-01 is before from 2019-02-01"},
		{"sentence in future", Input{PRDate: d("2020-01-01"), Sentences: []pathway.Period{{From: d("2024-01-01"), To: d("2024-12-01")}}}, "sentences[1].to: 2024-12-01 is after the assessment date"},
		{"overlapping absences", Input{PRDate: d("2020-01-01"), Absences: []pathway.Absence{{Depart: d("2021-01-01"), Return: ret("2021-02-01")}, {Depart: d("2021-01-15"), Return: ret("2021-03-01")}}}, "absences[2].from: 2021-01-15 overlaps absence 1"},
		{"absence after signing", Input{PRDate: d("2020-01-01"), Absences: []pathway.Absence{{Depart: d("2024-05-01"), Return: ret("2024-07-01")}}}, "absences[1].to: 2024-07-01 is after the assessment date 2024-06-01"},
		{"future tax year", Input{PRDate: d("2020-01-01"), TaxYearsFiled: []int{2025}}, "tax_years_filed[1].year"},
		{"empty certificate country", Input{PRDate: d("2020-01-01"), PRPoliceCertificates: []string{""}}, "pr_police_certificates[1].country: empty"},
	} {
		_, err := New(tc.in, d("2024-06-01"))
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want prefix %q", tc.name, err, tc.want)
		}
	}
}
