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

func TestExactly1095(t *testing.T) {
	// PR on 2020-01-01, never left: 2020-01-01 + 1094 days = 2022-12-30 (by
	// Python's datetime) is the 1,095th day.
	in := Input{PRDate: d("2020-01-01")}
	r := assess(t, in, "2022-12-30")
	if r.Presence.Credit() != 1095 || !r.Eligible || r.EarliestEligible != nil {
		t.Errorf("2022-12-30: credit %v eligible %v, want 1095 true", r.Presence.Credit(), r.Eligible)
	}
	r = assess(t, in, "2022-12-29")
	if r.Presence.Credit() != 1094 || r.Eligible || r.EarliestEligible == nil || *r.EarliestEligible != d("2022-12-30") {
		t.Errorf("2022-12-29: credit %v eligible %v earliest %v, want 1094 false 2022-12-30", r.Presence.Credit(), r.Eligible, r.EarliestEligible)
	}
}

func TestPrePRHalfCreditAndCap(t *testing.T) {
	for _, tc := range []struct {
		name     string
		from, to string
		prePR    int
		credit   float64
		eligible bool
	}{
		// PR days 2020-01-01..2022-06-30 = 912 in every case; the window
		// starts 2017-07-01.
		{"half of 365: 1094.5 falls short", "2019-01-01", "2019-12-31", 365, 912 + 182.5, false},
		{"exactly the cap", "2018-01-01", "2019-12-31", 730, 912 + 365, true},
		{"over the cap, cut at the window", "2010-01-01", "2019-12-31", 914, 912 + 365, true},
		{"half of 364", "2019-01-02", "2019-12-31", 364, 912 + 182, false},
		{"half of 366 reaches 1095", "2018-12-31", "2019-12-31", 366, 912 + 183, true},
	} {
		in := Input{PRDate: d("2020-01-01"), PrePR: []PrePRPeriod{{From: d(tc.from), To: d(tc.to), Kind: TemporaryResident}}}
		r := assess(t, in, "2022-06-30")
		if r.Presence.PrePRDays != tc.prePR || r.Presence.Credit() != tc.credit || r.Eligible != tc.eligible {
			t.Errorf("%s: pre-PR %d credit %v eligible %v, want %d %v %v", tc.name, r.Presence.PrePRDays, r.Presence.Credit(), r.Eligible, tc.prePR, tc.credit, tc.eligible)
		}
	}
}

func TestFewerThanTwoYearsAsPR(t *testing.T) {
	// 4 years as a temporary resident, PR 2020-01-01, sign 2021-06-30:
	// window 2016-07-01..; pre-PR 1,279 days capped at 365; PR days 366 +
	// 181 = 547; credit 912. Eligible only once PR days reach 730:
	// 2020-01-01 + 729 = 2021-12-30, whose window (from 2016-12-31) still
	// holds 1,096 pre-PR days, so the cap holds: 730 + 365 = 1095.
	in := Input{PRDate: d("2020-01-01"), PrePR: []PrePRPeriod{{From: d("2016-01-01"), To: d("2019-12-31"), Kind: ProtectedPerson}}}
	r := assess(t, in, "2021-06-30")
	if r.Presence.Credit() != 912 || r.Eligible {
		t.Errorf("credit %v eligible %v, want 912 false", r.Presence.Credit(), r.Eligible)
	}
	if r.EarliestEligible == nil || *r.EarliestEligible != d("2021-12-30") {
		t.Errorf("earliest %v, want 2021-12-30", r.EarliestEligible)
	}
}

func TestAbsencesSentencesAndLeapDay(t *testing.T) {
	// PR 2019-01-01, sign 2023-12-31: window 2019-01-01..2023-12-31 = 1826
	// days (holds 2020-02-29). Trip 2020-02-28 to 2020-03-01: 1 day absent,
	// the leap day. Trip 2021-07-01 to 2021-07-15: 13 days. Probation
	// 2022-01-01..2022-03-31: 90 days. Credit 1826 - 14 - 90 = 1722.
	in := Input{PRDate: d("2019-01-01"),
		Absences:  []pathway.Absence{{Depart: d("2020-02-28"), Return: ret("2020-03-01")}, {Depart: d("2021-07-01"), Return: ret("2021-07-15"), Exception: pathway.CitizenSpouse}},
		Sentences: []pathway.Period{{From: d("2022-01-01"), To: d("2022-03-31")}, {From: d("2022-02-01"), To: d("2022-02-10")}},
	}
	r := assess(t, in, "2023-12-31")
	p := r.Presence
	if p.AbsentDays != 14 || p.SentenceDays != 90 || p.Credit() != 1722 {
		t.Errorf("absent %d sentence %d credit %v, want 14 90 1722", p.AbsentDays, p.SentenceDays, p.Credit())
	}
	if len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0], "residency obligation only") {
		t.Errorf("warnings %q, want one on the ignored exception", r.Warnings)
	}
}

func TestPoliceCertificate183Days(t *testing.T) {
	// Rule (IRCC CIT 0002 guide): a certificate from each country where the
	// applicant spent 183 or more consecutive days, since age 18, in the 4
	// years before signing. Sign 2025-06-01: the 4-year window starts
	// 2021-06-02.
	adult := d("1990-01-01")
	minorUntil2022 := d("2004-03-01") // 18 on 2022-03-01
	for _, tc := range []struct {
		name         string
		birth        pathway.Date
		depart, back string
		days         int
		needed       bool
		note         string
	}{
		// Absent 2022-01-02..2022-07-03: 183 days (Python datetime).
		{"exactly 183 consecutive days", adult, "2022-01-01", "2022-07-04", 183, true, ""},
		{"182 days", adult, "2022-01-01", "2022-07-03", 182, false, ""},
		// Absent 2021-05-23..2021-11-21 (183 days); 2021-06-02..2021-11-21 =
		// 173 inside the window: not needed on the literal reading.
		{"183 days begun before the window", adult, "2021-05-22", "2021-11-22", 173, false, "began before the 4-year window"},
		// Absent 2021-12-01..2022-06-01 (183 days); from the 18th birthday
		// 2022-03-01: 93 days.
		{"183 days begun before age 18", minorUntil2022, "2021-11-30", "2022-06-02", 93, false, "began before age 18"},
	} {
		abs := []pathway.Absence{{Depart: d(tc.depart), Return: ret(tc.back), Country: "FR"}}
		pc := PoliceChecks(abs, &tc.birth, d("2025-06-01"))
		if len(pc) == 0 {
			if tc.needed || tc.note != "" {
				t.Errorf("%s: no check, want one", tc.name)
			}
			continue
		}
		if pc[0].Days != tc.days || pc[0].Needed != tc.needed || !strings.Contains(pc[0].Note, tc.note) {
			t.Errorf("%s: days %d needed %v note %q, want %d %v %q", tc.name, pc[0].Days, pc[0].Needed, pc[0].Note, tc.days, tc.needed, tc.note)
		}
	}
}

func TestChecklist(t *testing.T) {
	// Sign 2024-03-01: window 2019-03-02..2024-03-01; completed tax years
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
		{"overlapping absences", Input{PRDate: d("2020-01-01"), Absences: []pathway.Absence{{Depart: d("2021-01-01"), Return: ret("2021-02-01")}, {Depart: d("2021-01-15"), Return: ret("2021-03-01")}}}, "absences[2].depart: 2021-01-15 overlaps absence 1"},
		{"future tax year", Input{PRDate: d("2020-01-01"), TaxYearsFiled: []int{2025}}, "tax_years_filed[1].year"},
	} {
		_, err := New(tc.in, d("2024-06-01"))
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want prefix %q", tc.name, err, tc.want)
		}
	}
}
