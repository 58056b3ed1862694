package crs

import (
	"strings"
	"testing"
	"time"

	"github.com/eesim/eesim/data"
)

// TestTimeline follows one profile from 2024-12-01 to 2027-12-31.
// Profile: born 1995-06-15, masters, IELTS 8/7/7/8.5 (CLB 10/9/9/10) taken
// 2025-01-20, TCF 500/12/12/510 (NCLC 8 ×4) taken 2025-02-10, 1 year
// Canadian, 3 years foreign, single, nominated, NOC 00 offer.
//
// Hand working (single columns):
//   - 2024-12-01 (2020 era, 29, no results yet): A1 110 + A2 135; A3 0;
//     C1b masters + 1 year Canadian 25, C2b 3 foreign + 1 Canadian 25; D
//     nomination 600 + offer 200 -> 600. Total 110+135+40 (A5) +50+600 = 935.
//   - 2025-01-20 IELTS counts: A3 34+31+31+34 = 130; C1a 50 -> C1 50, C2a
//     50 -> C2 50. Total 285+130+100+600 = 1115.
//   - 2025-02-10 TCF counts: A4 3×4 = 12; French with English 5+: 50 but D
//     is already at 600. Total 1127.
//   - 2025-03-25 offer removed: D 600 (nomination alone). No change: no step.
//   - 2025-06-15 30th birthday: A1 105. Total 1122.
//   - 2026-06-15 31: A1 99. Total 1116.
//   - 2027-01-20 IELTS two years old: A3 0; C1a 0 -> C1 25; C2a 0 -> C2 25.
//     Total 1116-130-50 = 936.
//   - 2027-02-10 TCF two years old: A4 0 (French bonus hidden by the cap).
//     Total 924.
//   - 2027-06-15 32: A1 94. Total 919.
func TestTimeline(t *testing.T) {
	p := &Profile{
		BirthDate:            born("1995-06-15"),
		Education:            EduMasters,
		FirstLanguage:        lang(IELTS, 8, 7, 7, 8.5, "2025-01-20"),
		SecondLanguage:       lang(TCF, 500, 12, 12, 510, "2025-02-10"),
		CanadianWorkYears:    1,
		ForeignWorkYears:     3,
		ProvincialNomination: true,
		JobOffer:             JobMajor00,
	}
	steps, err := Timeline(p, MustDate("2024-12-01").Time, MustDate("2027-12-31").Time)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		date   string
		total  int
		reason string
	}{
		{"2024-12-01", 935, ""},
		{"2025-01-20", 1115, "first_language: results dated 2025-01-20 start to count"},
		{"2025-02-10", 1127, "second_language: results dated 2025-02-10 start to count"},
		{"2025-06-15", 1122, "birthday: age 30"},
		{"2026-06-15", 1116, "birthday: age 31"},
		{"2027-01-20", 936, "first_language: results dated 2025-01-20 are two years old"},
		{"2027-02-10", 924, "second_language: results dated 2025-02-10 are two years old"},
		{"2027-06-15", 919, "birthday: age 32"},
	}
	if len(steps) != len(want) {
		for _, s := range steps {
			t.Logf("%s %d %v", s.Date.Format(time.DateOnly), s.Breakdown.Total, s.Reasons)
		}
		t.Fatalf("%d steps, want %d", len(steps), len(want))
	}
	for i, w := range want {
		s := steps[i]
		if s.Date.Format(time.DateOnly) != w.date || s.Breakdown.Total != w.total || w.reason != "" && strings.Join(s.Reasons, "; ") != w.reason {
			t.Errorf("step %d = %s %d %v, want %s %d %q", i, s.Date.Format(time.DateOnly), s.Breakdown.Total, s.Reasons, w.date, w.total, w.reason)
		}
	}
	// The era change of 2025-03-25 is a Change even though the total holds.
	found := false
	for _, c := range Changes(p, MustDate("2024-12-01").Time, MustDate("2027-12-31").Time) {
		if c.Date.Equal(MustDate("2025-03-25").Time) && strings.Contains(c.Reason, "arranged-employment") {
			found = true
		}
	}
	if !found {
		t.Error("Changes misses the 2025-03-25 era")
	}
}

// TestTimelineEraStep: a 2016 offer holder with fixed age: 600 -> 50 on
// 2016-11-19. Age 30 fixed, bachelors, CLB 7 ×4 undated: A1 105 + A2 120 +
// A3 68 = 293; C1a 13. Offer 600 then 50: 906 then 356; from 2017-06-06
// nothing changes for this profile.
func TestTimelineEraStep(t *testing.T) {
	p := &Profile{Age: intp(30), Education: EduBachelors, FirstLanguage: lang(CLB, 7, 7, 7, 7, ""), JobOffer: JobOtherSkill}
	steps, err := Timeline(p, MustDate("2016-01-01").Time, MustDate("2018-01-01").Time)
	if err != nil {
		t.Fatal(err)
	}
	if len(steps) != 2 || steps[0].Breakdown.Total != 906 || steps[1].Breakdown.Total != 356 ||
		!steps[1].Date.Equal(MustDate("2016-11-19").Time) {
		for _, s := range steps {
			t.Logf("%s %d", s.Date.Format(time.DateOnly), s.Breakdown.Total)
		}
		t.Fatal("want 906 from 2016-01-01, 356 from 2016-11-19")
	}
	if _, err := Timeline(p, MustDate("2018-01-01").Time, MustDate("2016-01-01").Time); err == nil {
		t.Error("reversed range: no error")
	}
}

// TestTimelineMatchesScore: between steps the score is constant; checked
// day by day against Score (a second method).
func TestTimelineMatchesScore(t *testing.T) {
	for _, c := range handProfiles() {
		from, to := MustDate(c.on).Time, MustDate(c.on).AddDate(3, 0, 0)
		steps, err := Timeline(c.p, from, to)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		k := 0
		for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
			for k+1 < len(steps) && !steps[k+1].Date.After(d) {
				k++
			}
			b, err := Score(c.p, d)
			if err != nil {
				t.Fatalf("%s on %s: %v", c.name, d.Format(time.DateOnly), err)
			}
			if b.Total != steps[k].Breakdown.Total {
				t.Fatalf("%s on %s: Score %d, timeline %d", c.name, d.Format(time.DateOnly), b.Total, steps[k].Breakdown.Total)
			}
		}
	}
}

// TestFSWPoints works the FSW grid of section 4 by hand.
func TestFSWPoints(t *testing.T) {
	on := MustDate("2025-09-01").Time
	// IELTS CLB 10/9/9/10: 6×4 = 24; TCF NCLC 8 ×4 (5+): 4; masters 23;
	// 1+3 = 4 years: 13; age 30: 12; adaptability: 1 year Canadian work 10.
	// Total 86.
	p := &Profile{BirthDate: born("1995-06-15"), Education: EduMasters,
		FirstLanguage:     lang(IELTS, 8, 7, 7, 8.5, "2025-01-20"),
		SecondLanguage:    lang(TCF, 500, 12, 12, 510, "2025-02-10"),
		CanadianWorkYears: 1, ForeignWorkYears: 3}
	if pts, ok := FSWPoints(p, on); pts != 86 || !ok {
		t.Errorf("FSW points = %d, %v; want 86, true", pts, ok)
	}
	// Around the pass mark: CLB 7 ×4 16; NCLC 5 ×4 4; masters 23; 1 foreign
	// year 9; sibling (relative) 5: 57 + age points. Age 37 -> 10: 67
	// (passes); age 38 -> 9: 66 (fails).
	mark := func(age int) *Profile {
		return &Profile{Age: intp(age), Education: EduMasters,
			FirstLanguage:    lang(CLB, 7, 7, 7, 7, ""),
			SecondLanguage:   lang(NCLC, 5, 5, 5, 5, ""),
			ForeignWorkYears: 1, SiblingInCanada: true}
	}
	for _, c := range []struct {
		age, pts int
		fsw      bool
	}{{37, 67, true}, {38, 66, false}} {
		pts, _ := FSWPoints(mark(c.age), on)
		progs, _ := Eligibility(mark(c.age), on)
		if pts != c.pts || progs.Has(data.FSW) != c.fsw {
			t.Errorf("age %d: FSW points %d, eligible %v; want %d, %v", c.age, pts, progs.Has(data.FSW), c.pts, c.fsw)
		}
	}
	// Adaptability is capped at 10: job offer 10 + (offer 5 + sibling 5 +
	// Canadian work 10 = 20 -> 10). CLB 9 ×4 24; phd 25; 6 years (1
	// Canadian + 5 foreign) 15; age 25 12: 24+25+15+12+10+10 = 96.
	q := &Profile{Age: intp(25), Education: EduPhD, FirstLanguage: lang(CLB, 9, 9, 9, 9, ""),
		CanadianWorkYears: 1, ForeignWorkYears: 5, JobOffer: JobOtherSkill, SiblingInCanada: true}
	if pts, _ := FSWPoints(q, on); pts != 96 {
		t.Errorf("FSW points with capped adaptability = %d, want 96", pts)
	}
	// Under CLB 7 on one ability: not eligible, 0 points.
	r := &Profile{Age: intp(25), Education: EduPhD, FirstLanguage: lang(CLB, 9, 9, 6, 9, ""), ForeignWorkYears: 5}
	if pts, ok := FSWPoints(r, on); pts != 0 || ok {
		t.Errorf("CLB 6 speaking: %d, %v; want 0, false", pts, ok)
	}
}

func TestEligibility(t *testing.T) {
	on := MustDate("2025-09-01").Time
	for _, c := range []struct {
		name string
		p    *Profile
		want data.Programs
		cats string
	}{
		// 1 year Canadian + CLB 7: CEC; FSW grid: 16 + masters 23 + 1 year
		// 9 + age 30 12 + Canadian work 10 = 70: FSW.
		{"CEC and FSW", &Profile{Age: intp(30), Education: EduMasters, FirstLanguage: lang(CLB, 7, 7, 7, 7, ""), CanadianWorkYears: 1}, data.CEC | data.FSW, ""},
		// Same with CLB 6 on one ability: neither (both need CLB 7).
		{"CLB 6", &Profile{Age: intp(30), Education: EduMasters, FirstLanguage: lang(CLB, 7, 7, 6, 7, ""), CanadianWorkYears: 1}, 0, ""},
		// Expired test: nothing.
		{"expired test", &Profile{Age: intp(30), Education: EduMasters, FirstLanguage: lang(CLB, 9, 9, 9, 9, "2023-01-01"), CanadianWorkYears: 2}, 0, ""},
		// FST: certificate, S/L 5, R/W 4, 2 years foreign. FSW grid fails
		// (CLB under 7).
		{"FST", &Profile{Age: intp(30), Education: EduSecondary, FirstLanguage: lang(CLB, 4, 4, 5, 5, ""), ForeignWorkYears: 2, CertificateOfQualification: true}, data.FST, ""},
		{"FST, 1 year", &Profile{Age: intp(30), Education: EduSecondary, FirstLanguage: lang(CLB, 4, 4, 5, 5, ""), ForeignWorkYears: 1, CertificateOfQualification: true}, 0, ""},
		{"FST, reading 3", &Profile{Age: intp(30), Education: EduSecondary, FirstLanguage: lang(CLB, 3, 4, 5, 5, ""), ForeignWorkYears: 2, CertificateOfQualification: true}, 0, ""},
		{"FST by job offer", &Profile{Age: intp(30), Education: EduSecondary, FirstLanguage: lang(CLB, 4, 4, 5, 5, ""), ForeignWorkYears: 2, JobOffer: JobOtherSkill}, data.FST, ""},
		// Nominee and French: PNP and the french category, plus listed ones.
		{"nominee, French", &Profile{Age: intp(30), Education: EduMasters, FirstLanguage: lang(NCLC, 7, 7, 7, 7, ""),
			ProvincialNomination: true, Categories: []string{"healthcare", "french"}}, data.PNP, "french,healthcare"},
		// French NCLC 6 on one ability: no french category.
		{"French NCLC 6", &Profile{Age: intp(30), Education: EduMasters, FirstLanguage: lang(CLB, 5, 5, 5, 5, ""),
			SecondLanguage: lang(NCLC, 7, 7, 7, 6, "")}, 0, ""},
		// Explicit override.
		{"override", &Profile{Age: intp(30), Education: EduMasters, FirstLanguage: lang(CLB, 7, 7, 7, 7, ""), CanadianWorkYears: 1,
			Programs: []string{"FST"}}, data.FST, ""},
	} {
		progs, cats := Eligibility(c.p, on)
		if progs != c.want || strings.Join(cats, ",") != c.cats {
			t.Errorf("%s: %v %v, want %v %q", c.name, progs, cats, c.want, c.cats)
		}
	}
}
