package nseoi

import (
	"strings"
	"testing"
	"time"

	"github.com/eesim/eesim/pathway"
)

func clb(l, r, w, s int) Language { return Language{Levels: &[4]int{l, r, w, s}} }

func datep(s string) *pathway.Date { d := pathway.MustDate(s); return &d }

// eligibleBase meets every minimum outside the points factors.
func eligibleBase() Profile {
	return Profile{
		FirstLanguage: clb(7, 7, 7, 7), LanguageTestDate: datep("2025-01-15"),
		Education: Diploma2Year, StudiedFullTimeInNS: true, Age: 30,
		BusinessMonths: 14, OwnershipPercent: 100, ValidPGWP: true, IncomeAtLeastLICO: true,
		Started: true, CreatedJob: true,
	}
}

var eoiDate = pathway.MustDate("2026-03-01")

func TestPointsWorkedByHand(t *testing.T) {
	p := eligibleBase()
	p.FirstLanguage = clb(9, 8, 7, 9)                                   // 7 + 6 + 5 + 7 = 25
	p.SecondLanguage = clb(5, 5, 5, 6)                                  // all CLB 5+: 7
	p.Education = Degree3Year                                           // 15
	p.WorkMonths = 48                                                   // 3-5 years: 10
	p.Age = 29                                                          // 25-32: 7
	p.SpouseCLB4, p.SpouseStudyNS, p.CloseRelativeNS = true, true, true // 15, capped at 10
	p.OutsideHalifax = true                                             // 5
	s := Points(p, eoiDate)
	// 25 + 7 + 15 + 10 + 7 + 10 + 5 = 79.
	if s.Total != 79 || !s.Eligible {
		t.Errorf("total %d eligible %v reasons %q, want 79 eligible", s.Total, s.Eligible, s.Reasons)
	}
	want := []int{25, 7, 15, 10, 7, 10, 5}
	for i, f := range s.Factors {
		if f.Points != want[i] {
			t.Errorf("%s: %d, want %d", f.Name, f.Points, want[i])
		}
	}
}

func TestPointsMaximum(t *testing.T) {
	p := eligibleBase()
	p.FirstLanguage, p.SecondLanguage = clb(10, 9, 9, 11), clb(7, 7, 7, 7)
	p.Education, p.WorkMonths, p.Age = PhD, 72, 35
	p.SpouseCLB4, p.SpouseStudyNS, p.SpouseWorkNS, p.CloseRelativeNS = true, true, true, true
	p.Export, p.OutsideHalifax, p.Succession = true, true, true
	// 28 + 7 + 25 + 15 + 10 + 10 + 10 = 105.
	if s := Points(p, eoiDate); s.Total != 105 {
		t.Errorf("total %d, want 105", s.Total)
	}
	// The sum of the factor caps is the maximum.
	sum := 0
	for _, f := range Points(p, eoiDate).Factors {
		sum += f.Max
	}
	if sum != 105 {
		t.Errorf("sum of caps %d, want 105", sum)
	}
}

func TestPointsBoundaries(t *testing.T) {
	for _, tc := range []struct{ months, want int }{{0, 0}, {35, 0}, {36, 10}, {60, 10}, {61, 15}, {120, 15}} {
		p := eligibleBase()
		p.WorkMonths = tc.months
		if got := Points(p, eoiDate).Factors[3].Points; got != tc.want {
			t.Errorf("work %d months: %d, want %d", tc.months, got, tc.want)
		}
	}
	for _, tc := range []struct{ age, want int }{{21, 5}, {24, 5}, {25, 7}, {32, 7}, {33, 10}, {39, 10}, {40, 7}, {44, 7}, {45, 5}, {55, 5}, {56, 0}} {
		p := eligibleBase()
		p.Age = tc.age
		s := Points(p, eoiDate)
		if got := s.Factors[4].Points; got != tc.want || !s.Eligible {
			t.Errorf("age %d: %d eligible %v, want %d eligible", tc.age, got, s.Eligible, tc.want)
		}
	}
	// Second language: CLB 5 in three abilities and 4 in one gets nothing.
	p := eligibleBase()
	p.SecondLanguage = clb(5, 5, 5, 4)
	if got := Points(p, eoiDate).Factors[1].Points; got != 0 {
		t.Errorf("second language with one CLB 4: %d, want 0", got)
	}
	// A language test exactly 2 years old on the EOI date is too old; one
	// day younger is fine.
	p = eligibleBase()
	p.LanguageTestDate = datep("2024-03-01")
	if Points(p, eoiDate).Eligible {
		t.Error("2-year-old test: eligible, want not")
	}
	p.LanguageTestDate = datep("2024-03-02")
	if !Points(p, eoiDate).Eligible {
		t.Error("test 1 day under 2 years: not eligible, want eligible")
	}
}

func TestIneligibleReasons(t *testing.T) {
	p := eligibleBase()
	p.FirstLanguage = clb(9, 9, 9, 6)
	p.Age = 20
	p.ValidPGWP = false
	p.Started = false // bought, without the 5-year single owner
	p.KeptStaff = true
	p.BusinessKind = "payday-lending"
	s := Points(p, eoiDate)
	if s.Eligible {
		t.Fatal("eligible, want not")
	}
	joined := strings.Join(s.Reasons, "\n")
	for _, want := range []string{"speaking CLB 6 is below CLB 7", "age: 20, must be 21", "post-graduation work permit", "one owner for the last 5 years", "payday lenders"} {
		if !strings.Contains(joined, want) {
			t.Errorf("reasons lack %q:\n%s", want, joined)
		}
	}
	// Points still computed: 7+7+7+0 = 21 language, 12 education, age 0.
	if s.Total != 21+12 {
		t.Errorf("total %d, want 33", s.Total)
	}
	p = eligibleBase()
	p.BusinessKind = "home-based"
	if Points(p, eoiDate).Eligible {
		t.Error("home-based without compelling benefit: eligible")
	}
	p.CompellingBenefit = true
	if !Points(p, eoiDate).Eligible {
		t.Error("home-based with compelling benefit: not eligible")
	}
}

func TestValidateProfile(t *testing.T) {
	p := eligibleBase()
	p.Education = "harvard"
	if err := p.Validate(); err == nil || !strings.Contains(err.Error(), "education") {
		t.Errorf("error %v", err)
	}
	p = eligibleBase()
	p.BusinessKind = "casino"
	if err := p.Validate(); err == nil || !strings.Contains(err.Error(), "business_kind") {
		t.Errorf("error %v", err)
	}
}

func TestExpires(t *testing.T) {
	// One calendar year from the date received (docs/domain.md, "Nova
	// Scotia EOI"); a Feb 29 receipt ends on Feb 28.
	for _, tc := range []struct{ in, want string }{
		{"2025-03-10T14:00:00Z", "2026-03-10T14:00:00Z"},
		{"2023-03-01T09:00:00Z", "2024-03-01T09:00:00Z"}, // 366 days: the year holds 2024-02-29
		{"2024-02-29T09:00:00Z", "2025-02-28T09:00:00Z"},
		{"2024-12-31T23:59:59Z", "2025-12-31T23:59:59Z"},
	} {
		if got := Expires(at(tc.in)); !got.Equal(at(tc.want)) {
			t.Errorf("Expires(%s) = %s, want %s", tc.in, got.Format(time.RFC3339), tc.want)
		}
	}
}
