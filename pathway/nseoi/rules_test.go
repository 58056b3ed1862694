package nseoi

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/eesim/eesim/pathway"
)

// lang reads a language result as a profile file gives it.
func lang(t *testing.T, js string) Language {
	t.Helper()
	var l Language
	if err := json.Unmarshal([]byte(js), &l); err != nil {
		t.Fatal(err)
	}
	return l
}

// TestFactorBandEdges scores every factor of the points matrix at the
// edges of its bands (docs/domain.md, "Nova Scotia EOI", the matrix
// table). Language results given as test scores are converted with IRCC's
// equivalency charts, read off the charts by hand: IELTS General listening
// 6.0 / 7.5 / 8.0 = CLB 7 / 8 / 9, reading 6.0 / 6.5 / 7.0, writing and
// speaking 6.0 / 6.5 / 7.0; CELPIP levels are CLB levels, 11-12 count as
// CLB 10; TEF Canada (from 2023-12-10) speaking 456 = CLB 7.
func TestFactorBandEdges(t *testing.T) {
	const (
		first, second, education, work, age, adapt, priorities = 0, 1, 2, 3, 4, 5, 6
	)
	for _, tc := range []struct {
		name, rule string
		set        func(t *testing.T, p *Profile)
		factor     int
		points     int
		eligible   bool
	}{
		{"first language CLB 6 in one ability", "matrix: below CLB 7 ineligible", func(t *testing.T, p *Profile) { p.FirstLanguage = clb(7, 7, 7, 6) }, first, 15, false},
		{"first language CLB 7", "matrix: CLB 7 = 5 per ability", func(t *testing.T, p *Profile) { p.FirstLanguage = clb(7, 7, 7, 7) }, first, 20, true},
		{"first language CLB 8", "matrix: CLB 8 = 6 per ability", func(t *testing.T, p *Profile) { p.FirstLanguage = clb(8, 8, 8, 8) }, first, 24, true},
		{"first language CLB 9", "matrix: CLB 9+ = 7 per ability", func(t *testing.T, p *Profile) { p.FirstLanguage = clb(9, 9, 9, 9) }, first, 28, true},
		{"first language CLB 12", "matrix: CLB 9+ = 7 per ability", func(t *testing.T, p *Profile) { p.FirstLanguage = clb(12, 10, 11, 9) }, first, 28, true},
		{"IELTS at the CLB 7 edge", "IRCC chart: IELTS 6.0 in each = CLB 7", func(t *testing.T, p *Profile) {
			p.FirstLanguage = lang(t, `{"test": "IELTS", "listening": 6, "reading": 6, "writing": 6, "speaking": 6, "test_date": "2025-01-15"}`)
		}, first, 20, true},
		{"IELTS half a band under", "IRCC chart: IELTS listening 5.5 = CLB 6", func(t *testing.T, p *Profile) {
			p.FirstLanguage = lang(t, `{"test": "IELTS", "listening": 5.5, "reading": 6, "writing": 6, "speaking": 6, "test_date": "2025-01-15"}`)
		}, first, 15, false},
		{"IELTS at the CLB 8 and 9 edges", "IRCC chart: L 7.5 = 8, R 7.0 = 9, W 6.5 = 8, S 7.0 = 9", func(t *testing.T, p *Profile) {
			p.FirstLanguage = lang(t, `{"test": "IELTS", "listening": 7.5, "reading": 7, "writing": 6.5, "speaking": 7, "test_date": "2025-01-15"}`)
		}, first, 6 + 7 + 6 + 7, true},
		{"IELTS listening 8.0", "IRCC chart: IELTS listening 8.0 = CLB 9", func(t *testing.T, p *Profile) {
			p.FirstLanguage = lang(t, `{"test": "IELTS", "listening": 8, "reading": 6, "writing": 6, "speaking": 6, "test_date": "2025-01-15"}`)
		}, first, 7 + 5 + 5 + 5, true},
		{"CELPIP 11 and 7", "CELPIP levels are CLB levels; 11 counts as 10", func(t *testing.T, p *Profile) {
			p.FirstLanguage = lang(t, `{"test": "CELPIP", "listening": 11, "reading": 7, "writing": 8, "speaking": 9, "test_date": "2025-01-15"}`)
		}, first, 7 + 5 + 6 + 7, true},
		{"TEF speaking at CLB 7", "IRCC chart: TEF Canada speaking 456 = CLB 7 (455 = CLB 6)", func(t *testing.T, p *Profile) {
			p.FirstLanguage = lang(t, `{"test": "TEF", "listening": 434, "reading": 434, "writing": 428, "speaking": 456, "test_date": "2025-01-15"}`)
		}, first, 20, true},
		{"TEF speaking a point under", "IRCC chart: TEF Canada speaking 455 = CLB 6", func(t *testing.T, p *Profile) {
			p.FirstLanguage = lang(t, `{"test": "TEF", "listening": 434, "reading": 434, "writing": 428, "speaking": 455, "test_date": "2025-01-15"}`)
		}, first, 15, false},
		{"second language CLB 5 in all four", "matrix: CLB 5+ in all four = 7", func(t *testing.T, p *Profile) { p.SecondLanguage = clb(5, 5, 5, 5) }, second, 7, true},
		{"second language CLB 4 in one", "matrix: all four at CLB 5", func(t *testing.T, p *Profile) { p.SecondLanguage = clb(5, 5, 5, 4) }, second, 0, true},
		{"second language by IELTS", "IRCC chart: IELTS L 5.0, R 4.0, W 5.0, S 5.0 = CLB 5", func(t *testing.T, p *Profile) {
			p.FirstLanguage = lang(t, `{"test": "TEF", "listening": 434, "reading": 434, "writing": 428, "speaking": 456, "test_date": "2025-01-15"}`)
			p.SecondLanguage = lang(t, `{"test": "IELTS", "listening": 5, "reading": 4, "writing": 5, "speaking": 5}`)
		}, second, 7, true},
		{"no second language", "matrix", func(t *testing.T, p *Profile) { p.SecondLanguage = Language{} }, second, 0, true},
		{"2-year NS diploma", "matrix: 12", func(t *testing.T, p *Profile) { p.Education = Diploma2Year }, education, 12, true},
		{"3-year NS degree", "matrix: 15", func(t *testing.T, p *Profile) { p.Education = Degree3Year }, education, 15, true},
		{"two credentials", "matrix: 17", func(t *testing.T, p *Profile) { p.Education = TwoCredentials }, education, 17, true},
		{"NS master's", "matrix: 22", func(t *testing.T, p *Profile) { p.Education = MastersOrProfes }, education, 22, true},
		{"NS PhD", "matrix: 25", func(t *testing.T, p *Profile) { p.Education = PhD }, education, 25, true},
		{"no NS credential", "minimum: a 2-year NS credential", func(t *testing.T, p *Profile) { p.Education = "" }, education, 0, false},
		{"35 months of work", "matrix: under 3 years = 0", func(t *testing.T, p *Profile) { p.WorkMonths = 35 }, work, 0, true},
		{"36 months of work", "matrix: 3-5 years = 10", func(t *testing.T, p *Profile) { p.WorkMonths = 36 }, work, 10, true},
		{"60 months of work", "matrix: 3-5 years = 10", func(t *testing.T, p *Profile) { p.WorkMonths = 60 }, work, 10, true},
		{"61 months of work", "matrix: over 5 years = 15", func(t *testing.T, p *Profile) { p.WorkMonths = 61 }, work, 15, true},
		{"age 20", "minimum age 21", func(t *testing.T, p *Profile) { p.Age = 20 }, age, 0, false},
		{"age 21", "matrix: 21-24 = 5", func(t *testing.T, p *Profile) { p.Age = 21 }, age, 5, true},
		{"age 24", "matrix: 21-24 = 5", func(t *testing.T, p *Profile) { p.Age = 24 }, age, 5, true},
		{"age 25", "matrix: 25-32 = 7", func(t *testing.T, p *Profile) { p.Age = 25 }, age, 7, true},
		{"age 32", "matrix: 25-32 = 7", func(t *testing.T, p *Profile) { p.Age = 32 }, age, 7, true},
		{"age 33", "matrix: 33-39 = 10", func(t *testing.T, p *Profile) { p.Age = 33 }, age, 10, true},
		{"age 39", "matrix: 33-39 = 10", func(t *testing.T, p *Profile) { p.Age = 39 }, age, 10, true},
		{"age 40", "matrix: 40-44 = 7", func(t *testing.T, p *Profile) { p.Age = 40 }, age, 7, true},
		{"age 44", "matrix: 40-44 = 7", func(t *testing.T, p *Profile) { p.Age = 44 }, age, 7, true},
		{"age 45", "matrix: 45-55 = 5", func(t *testing.T, p *Profile) { p.Age = 45 }, age, 5, true},
		{"age 55", "matrix: 45-55 = 5", func(t *testing.T, p *Profile) { p.Age = 55 }, age, 5, true},
		{"age 56", "matrix: 56+ = 0", func(t *testing.T, p *Profile) { p.Age = 56 }, age, 0, true},
		{"one adaptability factor", "matrix: 5 each", func(t *testing.T, p *Profile) { p.CloseRelativeNS = true }, adapt, 5, true},
		{"two adaptability factors", "matrix: 5 each, max 10", func(t *testing.T, p *Profile) { p.SpouseCLB4, p.SpouseWorkNS = true, true }, adapt, 10, true},
		{"four adaptability factors", "matrix: max 10", func(t *testing.T, p *Profile) {
			p.SpouseCLB4, p.SpouseStudyNS, p.SpouseWorkNS, p.CloseRelativeNS = true, true, true, true
		}, adapt, 10, true},
		{"one economic priority", "matrix: 5 each", func(t *testing.T, p *Profile) { p.Export = true }, priorities, 5, true},
		{"two economic priorities", "matrix: 5 each, max 10", func(t *testing.T, p *Profile) { p.Export, p.Succession = true, true }, priorities, 10, true},
		{"three economic priorities", "matrix: max 10", func(t *testing.T, p *Profile) { p.Export, p.OutsideHalifax, p.Succession = true, true, true }, priorities, 10, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := eligibleBase()
			tc.set(t, &p)
			if err := p.Validate(); err != nil {
				t.Fatal(err)
			}
			s := Points(p, eoiDate)
			if got := s.Factors[tc.factor].Points; got != tc.points || s.Eligible != tc.eligible {
				t.Errorf("%s: %s = %d eligible %v (%q), want %d %v", tc.rule, s.Factors[tc.factor].Name, got, s.Eligible, s.Reasons, tc.points, tc.eligible)
			}
		})
	}
}

func TestLanguageResults(t *testing.T) {
	// A test result takes its date from the result; a TCF result is
	// converted but warned about; CRS validation applies.
	p := eligibleBase()
	p.LanguageTestDate = nil
	p.FirstLanguage = lang(t, `{"test": "TCF", "listening": 458, "reading": 453, "writing": 10, "speaking": 10, "test_date": "2024-03-02"}`)
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	s := Points(p, eoiDate)
	// TCF: listening 458, reading 453, writing 10, speaking 10 = CLB 7 each.
	if s.Factors[0].Points != 20 || !s.Eligible || len(s.Warnings) != 1 || !strings.Contains(s.Warnings[0], "TCF Canada is not among the tests") {
		t.Errorf("TCF: %d points eligible %v warnings %q reasons %q", s.Factors[0].Points, s.Eligible, s.Warnings, s.Reasons)
	}
	if !strings.Contains(s.Factors[0].Explanation, "listening TCF 458 = CLB 7: 5") {
		t.Errorf("explanation %q", s.Factors[0].Explanation)
	}
	// The result's own date is 2 years old on 2026-03-02.
	if Points(p, pathway.MustDate("2026-03-02")).Eligible {
		t.Error("TCF result 2 years old: eligible")
	}
	p.LanguageTestDate = datep("2024-03-01")
	if err := p.Validate(); err == nil || !strings.Contains(err.Error(), "differs from first_language.test_date") {
		t.Errorf("two test dates: %v", err)
	}
	p = eligibleBase()
	p.LanguageTestDate = nil
	if s := Points(p, eoiDate); s.Eligible || !strings.Contains(strings.Join(s.Reasons, ";"), "language test date not given") {
		t.Errorf("no test date: %q", s.Reasons)
	}
	for _, tc := range []struct{ first, second, want string }{
		{`{"test": "IELTS", "listening": 9.5, "reading": 6, "writing": 6, "speaking": 6}`, ``, "first_language.listening: IELTS 9.5 is out of range 0-9"},
		{`{"test": "IELTS", "listening": 6.2, "reading": 6, "writing": 6, "speaking": 6}`, ``, "first_language.listening: IELTS 6.2 is not a band"},
		{`{"test": "TEF", "listening": 400, "reading": 400, "writing": 400, "speaking": 400}`, ``, "first_language.test_date: required for TEF"},
		{`{"test": "TOEFL", "listening": 1, "reading": 1, "writing": 1, "speaking": 1}`, ``, "first_language.test: unknown test \"TOEFL\""},
		{`{"test": "IELTS", "listening": 6, "reading": 6, "writing": 6, "speaking": 6}`, `{"test": "CELPIP", "listening": 6, "reading": 6, "writing": 6, "speaking": 6}`, "second_language.test: CELPIP is in the same official language"},
		{`[7, 7, 7, 7]`, `{"test": "TCF", "listening": 900, "reading": 6, "writing": 6, "speaking": 6}`, "second_language.listening: TCF 900 is out of range"},
		{`[7, 7, 7, 13]`, ``, "first_language[3]: CLB 13 out of range 0-12"},
	} {
		p := eligibleBase()
		p.FirstLanguage = lang(t, tc.first)
		if tc.second != "" {
			p.SecondLanguage = lang(t, tc.second)
		}
		if err := p.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s / %s: error %v, want %q", tc.first, tc.second, err, tc.want)
		}
	}
	var l Language
	if err := json.Unmarshal([]byte(`"CLB 7"`), &l); err == nil {
		t.Error("a string: no error")
	}
	if err := json.Unmarshal([]byte(`{"test": "IELTS", "band": 7}`), &l); err == nil || !strings.Contains(err.Error(), "unknown field") {
		t.Errorf("unknown field: %v", err)
	}
}

func TestIneligibleBusinesses(t *testing.T) {
	// The stream page's ineligible businesses, including the four issue 18
	// found missing.
	for _, tc := range []struct{ kind, want string }{
		{"licensed-professional-services", "licensed professional services"},
		{"money-changing", "money changing and automated cash machines"},
		{"cash-machines", "money changing and automated cash machines"},
		{"nominee-joint-venture", "joint ventures with the province's nominee program"},
		{"disrepute", "businesses that would bring the province or its nominee program into disrepute"},
		{"payday-lending", "payday lenders"},
	} {
		p := eligibleBase()
		p.BusinessKind = tc.kind
		if err := p.Validate(); err != nil {
			t.Fatalf("%s: %v", tc.kind, err)
		}
		s := Points(p, eoiDate)
		if s.Eligible || !strings.Contains(strings.Join(s.Reasons, ";"), "ineligible business: "+tc.want) {
			t.Errorf("%s: eligible %v reasons %q", tc.kind, s.Eligible, s.Reasons)
		}
	}
}

// TestDeadlines checks the steps after an invitation (docs/domain.md,
// "Nova Scotia EOI", "After an invitation"). Dates by Python's datetime;
// business days are Monday to Friday less the holidays given.
func TestDeadlines(t *testing.T) {
	date := pathway.MustDate
	for _, tc := range []struct {
		name, rule string
		events     map[Event]string
		holidays   []string
		asOf       string
		step       int    // index of the step checked
		due        string // "" when waiting
		status     string
		reason     string // substring of a reason, "" for none
	}{
		{"provider, last day", "20 days after the ITA",
			map[Event]string{Invited: "2025-04-01", ProviderNamed: "2025-04-21"}, nil, "2025-05-01", 0, "2025-04-21", "met", ""},
		{"provider, a day late", "20 days after the ITA",
			map[Event]string{Invited: "2025-04-01", ProviderNamed: "2025-04-22"}, nil, "2025-05-01", 0, "2025-04-21", "missed", "naming the assurance-service provider on 2025-04-22, after the deadline 2025-04-21"},
		{"application, open", "90 days after the ITA",
			map[Event]string{Invited: "2025-04-01"}, nil, "2025-06-01", 1, "2025-06-30", "open", ""},
		{"application, overdue", "90 days after the ITA",
			map[Event]string{Invited: "2025-04-01"}, nil, "2025-07-01", 1, "2025-06-30", "overdue", "the complete application with the audit report not done by the deadline 2025-06-30"},
		{"interview, 15 business days from a Monday", "15 business days after contact",
			map[Event]string{Invited: "2025-04-01", InterviewContact: "2025-07-07"}, nil, "2025-07-08", 2, "2025-07-28", "open", ""},
		{"interview, a holiday pushes it a day", "15 business days; a holiday is not a business day",
			map[Event]string{Invited: "2025-04-01", InterviewContact: "2025-07-07", Interviewed: "2025-07-29"}, []string{"2025-07-14"}, "2025-08-01", 2, "2025-07-29", "met", ""},
		{"interview, from a Friday across Natal Day", "15 business days; 2025-08-04 given as a holiday",
			map[Event]string{Invited: "2025-04-01", InterviewContact: "2025-08-01"}, []string{"2025-08-04"}, "2025-08-01", 2, "2025-08-25", "open", ""},
		{"interview, waiting for contact", "starts at the contact",
			map[Event]string{Invited: "2025-04-01"}, nil, "2025-05-01", 2, "", "waiting", ""},
		{"PR application, 6 months from Aug 31", "6 months after the nomination: Feb 28",
			map[Event]string{Invited: "2025-04-01", Nominated: "2025-08-31"}, nil, "2025-09-01", 3, "2026-02-28", "open", ""},
		{"PR application, 6 months into a leap February", "6 months after the nomination: Feb 29",
			map[Event]string{Invited: "2023-04-01", Nominated: "2023-08-31", PRApplied: "2024-03-01"}, nil, "2024-03-02", 3, "2024-02-29", "missed", "the PR application to IRCC on 2024-03-01, after the deadline 2024-02-29"},
		{"PR confirmation, 30 business days", "30 business days after becoming a PR",
			map[Event]string{Invited: "2025-04-01", Landed: "2026-01-02", ConfirmationSent: "2026-02-13"}, nil, "2026-02-20", 4, "2026-02-13", "met", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ev := map[Event]pathway.Date{}
			for k, v := range tc.events {
				ev[k] = date(v)
			}
			var hol []pathway.Date
			for _, h := range tc.holidays {
				hol = append(hol, date(h))
			}
			steps, reasons, err := Deadlines(ev, hol, date(tc.asOf))
			if err != nil {
				t.Fatal(err)
			}
			st := steps[tc.step]
			due := ""
			if st.Due != nil {
				due = st.Due.String()
			}
			if due != tc.due || st.Status != tc.status {
				t.Errorf("%s: %s due %q %s, want %q %s", tc.rule, st.Step, due, st.Status, tc.due, tc.status)
			}
			if (tc.reason == "") != (st.Reason == "") || !strings.Contains(st.Reason, tc.reason) {
				t.Errorf("%s: reason %q, want %q", tc.rule, st.Reason, tc.reason)
			}
			if tc.reason != "" && !strings.Contains(strings.Join(reasons, ";"), st.Reason) {
				t.Errorf("%s: reasons %q lack the step's", tc.rule, reasons)
			}
		})
	}
	for _, tc := range []struct {
		events map[Event]string
		want   string
	}{
		{map[Event]string{ProviderNamed: "2025-04-02"}, "invited: the date of the invitation to apply is required"},
		{map[Event]string{Invited: "2025-04-01", ProviderNamed: "2025-03-31"}, "provider-named: 2025-03-31 is before the invitation"},
		{map[Event]string{Invited: "2025-04-01", Interviewed: "2025-05-01"}, "interview: given without interview-contact"},
		{map[Event]string{Invited: "2025-04-01", InterviewContact: "2025-05-02", Interviewed: "2025-05-01"}, "interview: 2025-05-01 is before interview-contact"},
		{map[Event]string{Invited: "2025-04-01", Landed: "2026-01-01"}, "pr-landed: 2026-01-01 is after the assessment date"},
	} {
		ev := map[Event]pathway.Date{}
		for k, v := range tc.events {
			ev[k] = date(v)
		}
		if _, _, err := Deadlines(ev, nil, date("2025-12-01")); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: error %v, want %q", tc.events, err, tc.want)
		}
	}
}
