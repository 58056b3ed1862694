package crs

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func lang(test Test, r, w, s, l float64, date string) *Language {
	x := &Language{Test: test, Reading: r, Writing: w, Speaking: s, Listening: l}
	if date != "" {
		x.TestDate = MustDate(date)
	}
	return x
}

func born(s string) Date { return MustDate(s) }

func intp(i int) *int { return &i }

// wantScore is a profile scored by hand from the official grid.
type wantScore struct {
	name                                      string
	p                                         *Profile
	on                                        string
	total, core, spouse, transfer, additional int
}

// handProfiles are full profiles whose scores were worked out by hand from
// the grid of IRCC's CRS criteria page (docs/domain.md, "CRS points
// grid"); the working is in the comment of each case. Abbreviations: A1
// age, A2 education, A3 first language (per ability), A4 second language,
// A5 Canadian work, B spouse, C1/C2/C3 transferability groups, D
// additional.
func handProfiles() []wantScore {
	// P3's married candidate, reused with the spouse varied.
	married := func(sp *Spouse) *Profile {
		return &Profile{
			BirthDate:         born("1993-03-15"),
			Education:         EduMasters,
			FirstLanguage:     lang(CELPIP, 9, 8, 9, 10, "2024-09-01"), // CLB 9, 8, 9, 10
			CanadianWorkYears: 2, ForeignWorkYears: 1,
			Spouse: sp,
		}
	}
	spouseA := func() *Spouse {
		return &Spouse{Accompanying: true, Education: EduBachelors,
			FirstLanguage:     lang(IELTS, 6.5, 6, 6, 7.5, "2024-09-01"), // CLB 8, 7, 7, 8
			CanadianWorkYears: 1}
	}
	p11 := func() *Profile {
		return &Profile{
			BirthDate:         born("1985-01-01"),
			Education:         EduPhD,
			FirstLanguage:     lang(IELTS, 7, 7, 7, 8, "2012-01-01"), // CLB 9 ×4
			CanadianWorkYears: 3, JobOffer: JobOtherSkill, CanadianStudy: StudyThreePlus, SiblingInCanada: true,
		}
	}
	p17 := &Profile{
		BirthDate:         born("1991-09-09"),
		Education:         EduTwoYear,
		FirstLanguage:     lang(CLB, 8, 8, 8, 8, "2024-01-01"),
		SecondLanguage:    lang(TCF, 500, 12, 12, 510, "2023-05-31"), // NCLC 8 ×4, expires 2025-05-31
		CanadianWorkYears: 3,
	}
	p22 := &Profile{
		BirthDate:       born("1987-01-01"),
		Education:       EduBachelors,
		FirstLanguage:   lang(CLB, 9, 9, 9, 9, ""),
		SecondLanguage:  lang(NCLC, 7, 7, 7, 7, ""),
		SiblingInCanada: true,
	}
	p9 := func(date string, nominated bool, job JobOffer) *Profile {
		return &Profile{
			BirthDate:         born("1982-05-05"),
			Education:         EduSecondary,
			FirstLanguage:     lang(CLB, 7, 7, 7, 7, date),
			CanadianWorkYears: 1, ProvincialNomination: nominated, JobOffer: job,
		}
	}
	p19 := &Profile{
		BirthDate:     born("1996-02-29"),
		Education:     EduBachelors,
		FirstLanguage: lang(CLB, 7, 7, 7, 7, ""),
	}

	return []wantScore{
		// P1 single, 29 on 2025-06-01. A1 110; A2 bachelors 120; IELTS
		// 8/7/7/8.5 = CLB 10/9/9/10: A3 34+31+31+34 = 130; A5 0 -> core 360.
		// Min CLB 9: C1a bachelors 25, C1b 0 -> C1 25; C2a 3 years 50,
		// C2b 0 -> C2 50; C 75. D 0. Total 435.
		{"P1 single bachelors IELTS", &Profile{
			BirthDate: born("1996-01-10"), Education: EduBachelors,
			FirstLanguage:    lang(IELTS, 8, 7, 7, 8.5, "2025-01-01"),
			ForeignWorkYears: 3,
		}, "2025-06-01", 435, 360, 0, 75, 0},
		// P2a, P2b: born 1995-06-01, the day before and the day of the 30th
		// birthday: A1 110 then 105; otherwise as P1 (435, then 430).
		{"P2a day before 30th birthday", &Profile{
			BirthDate: born("1995-06-01"), Education: EduBachelors,
			FirstLanguage:    lang(IELTS, 8, 7, 7, 8.5, "2025-01-01"),
			ForeignWorkYears: 3,
		}, "2025-05-31", 435, 360, 0, 75, 0},
		{"P2b 30th birthday", &Profile{
			BirthDate: born("1995-06-01"), Education: EduBachelors,
			FirstLanguage:    lang(IELTS, 8, 7, 7, 8.5, "2025-01-01"),
			ForeignWorkYears: 3,
		}, "2025-06-01", 430, 355, 0, 75, 0},
		// P3 with an accompanying spouse, 32 on 2025-07-01. A1 85; A2
		// masters 126; CELPIP CLB 9/8/9/10: A3 29+22+29+32 = 112; A5 2
		// years 46 -> core 369. B: bachelors 8; IELTS 6.5/6/6/7.5 = CLB
		// 8/7/7/8: 3×4 = 12; 1 year 5 -> 25. Min CLB 8: C1a masters 25 +
		// C1b masters 2 years 50 = 75 -> 50; C2a 1 year 13 + C2b 25 = 38;
		// C 88. Total 369+25+88 = 482.
		{"P3 accompanying spouse", married(spouseA()), "2025-07-01", 482, 369, 25, 88, 0},
		// P4 spouse not accompanying: single columns. A1 94; A2 135; A3
		// 31+23+31+34 = 119; A5 53 -> core 401. B 0; C 88. Total 489.
		{"P4 spouse not accompanying", married(func() *Spouse { s := spouseA(); s.Accompanying = false; return s }()),
			"2025-07-01", 489, 401, 0, 88, 0},
		// P5 accompanying spouse who is a Canadian citizen/PR: as P4, 489.
		{"P5 spouse Canadian", married(&Spouse{Accompanying: true, CanadianOrPR: true}), "2025-07-01", 489, 401, 0, 88, 0},
		// P6 French first (TCF 530/14/12/550 = NCLC 9/9/8/10), English
		// second (IELTS 6/6/6.5/7.5 = CLB 7/7/8/8), 2021-03-01 (French
		// 25/50 era), 27. A1 110; A2 120; A3 31+31+23+34 = 119; A4 3×4 =
		// 12 -> core 361. Min CLB 8: C1a bachelors 13; C2a 2 years 13; C
		// 26. D French NCLC 7+, English 5+ -> 50. Total 437.
		{"P6 French first, 2020 era", &Profile{
			BirthDate: born("1993-08-20"), Education: EduBachelors,
			FirstLanguage:    lang(TCF, 530, 14, 12, 550, "2020-06-01"),
			SecondLanguage:   lang(IELTS, 6, 6, 6.5, 7.5, "2020-06-01"),
			ForeignWorkYears: 2,
		}, "2021-03-01", 437, 361, 0, 26, 50},
		// P7 the same in the 2017 era (2019-03-01, age 25, tests of
		// 2018-06-01): French bonus 30 instead of 50. Total 417.
		{"P7 French first, 2017 era", &Profile{
			BirthDate: born("1993-08-20"), Education: EduBachelors,
			FirstLanguage:    lang(TCF, 530, 14, 12, 550, "2018-06-01"),
			SecondLanguage:   lang(IELTS, 6, 6, 6.5, 7.5, "2018-06-01"),
			ForeignWorkYears: 2,
		}, "2019-03-01", 417, 361, 0, 26, 30},
		// P8 French with weak English, 35 on 2025-06-01. TEF (new scale)
		// 510/480/500/550 = NCLC 9/8/8/10: A3 31+23+23+34 = 111. IELTS
		// 4/4/5/5 = CLB 5/4/5/5: A4 1+0+1+1 = 3. A1 77; A2 two or more
		// 128 -> core 319. Min 8: C1a 25; C2a 4 years 25; C 50. D English
		// not 5+ on all four -> 25. Total 394.
		{"P8 French, weak English", &Profile{
			BirthDate: born("1989-12-31"), Education: EduTwoOrMore,
			FirstLanguage:    lang(TEF, 510, 480, 500, 550, "2024-05-01"),
			SecondLanguage:   lang(IELTS, 4, 4, 5, 5, "2024-05-01"),
			ForeignWorkYears: 4,
		}, "2025-06-01", 394, 319, 0, 50, 25},
		// P9 nominee with a NOC 00 offer, 2023-01-10 (2020 era), 40. A1 50;
		// A2 secondary 30; A3 17×4 = 68; A5 1 year 40 -> core 188. C 0
		// (secondary, no foreign work). D 600+200 = 800 -> cap 600. Total 788.
		{"P9 nominee + NOC 00 offer, cap", p9("2022-05-01", true, JobMajor00), "2023-01-10", 788, 188, 0, 0, 600},
		// P10 the same on 2025-04-01 (offer no longer scored), 42 (birthday
		// 5 May not reached): A1 28 -> core 166. D 600. Total 766.
		{"P10 nominee + offer after 2025-03-25", p9("2024-01-15", true, JobMajor00), "2025-04-01", 766, 166, 0, 0, 600},
		// P10b other skilled offer, no nomination, 2024-06-01 (42): core
		// 166, D 50. Total 216.
		{"P10b skilled offer before 2025-03-25", p9("2024-01-15", false, JobOtherSkill), "2024-06-01", 216, 166, 0, 0, 50},
		// P10c the same on 2025-03-25: the offer scores 0. Total 166.
		{"P10c skilled offer on 2025-03-25", p9("2024-01-15", false, JobOtherSkill), "2025-03-25", 166, 166, 0, 0, 0},
		// P11 launch era, 2015-06-01, 30, PhD, IELTS 7/7/7/8 = CLB 9 ×4
		// dated 2012 (no expiry before 2016-11-19). A1 105; A2 150; A3
		// 31×4 = 124; A5 3 years 64 -> core 443. C1a 50 + C1b 50 -> 50; C
		// 50. D: LMIA offer 600; study and sibling 0 in 2015. Total 1093.
		{"P11 launch era LMIA offer", p11(), "2015-06-01", 1093, 443, 0, 50, 600},
		// P12 the same on 2016-11-18 (still launch rules), 31: A1 99 ->
		// core 437; total 437+50+600 = 1087.
		{"P12 day before 2016-11-19", p11(), "2016-11-18", 1087, 437, 0, 50, 600},
		// P12b on 2016-11-19: the 2012 result is expired: A3 0, core 99+
		// 150+64 = 313; C1a 0, C1b 50 -> C 50; D offer 50 + study 30
		// (sibling not yet scored) = 80. Total 443.
		{"P12b 2016-11-19 expiry, offer 50", p11(), "2016-11-19", 443, 313, 0, 50, 80},
		// P13 2017 era (2018-01-01), 24, one-year credential, CELPIP 7 ×4
		// = CLB 7: A1 110; A2 90; A3 17×4 = 68 -> core 268. C1a 13; C2a 1
		// year 13; C 26. D sibling 15 + study 15 = 30. Total 324.
		{"P13 sibling and study", &Profile{
			BirthDate: born("1993-06-30"), Education: EduOneYear,
			FirstLanguage:    lang(CELPIP, 7, 7, 7, 7, "2017-09-01"),
			ForeignWorkYears: 1, SiblingInCanada: true, CanadianStudy: StudyOneOrTwo,
		}, "2018-01-01", 324, 268, 0, 26, 30},
		// P14 trades certificate, 38 on 2025-08-01, secondary. IELTS
		// 5/5.5/6/5.5 = CLB 6/6/7/6: A3 9+9+17+9 = 44; A1 61; A2 30; A5 2
		// years 53 -> core 188. Min CLB 6: C1 0 (secondary); C2a 0 (under
		// 7), C2b 3 years + 2 Canadian 50; C3 CLB 5+ under 7 -> 25. C 75.
		// Total 263.
		{"P14 certificate of qualification", &Profile{
			BirthDate: born("1987-02-01"), Education: EduSecondary,
			FirstLanguage:     lang(IELTS, 5, 5.5, 6, 5.5, "2025-01-01"),
			CanadianWorkYears: 2, ForeignWorkYears: 3, CertificateOfQualification: true,
		}, "2025-08-01", 263, 188, 0, 75, 0},
		// P15 every transferability group full: 29, masters, CLB 9 ×4, 2
		// Canadian, 3 foreign, certificate. A1 110; A2 135; A3 124; A5 53
		// -> core 422. C1 100 -> 50, C2 100 -> 50, C3 50: 150 -> 100.
		// Total 522.
		{"P15 transferability cap 100", &Profile{
			BirthDate: born("1996-01-01"), Education: EduMasters,
			FirstLanguage:     lang(CLB, 9, 9, 9, 9, "2025-01-01"),
			CanadianWorkYears: 2, ForeignWorkYears: 3, CertificateOfQualification: true,
		}, "2025-06-01", 522, 422, 0, 100, 0},
		// P16 second-language cap with a spouse: 28, bachelors, IELTS
		// 8/7.5/7.5/8.5 = CLB 10 ×4, NCLC 9 ×4. A1 100; A2 112; A3 32×4 =
		// 128; A4 6×4 = 24 -> 22 -> core 362. B secondary 2. C1a 25. D
		// French, English 5+ -> 50. Total 439.
		{"P16 second language cap 22", &Profile{
			BirthDate: born("1997-01-01"), Education: EduBachelors,
			FirstLanguage:  lang(IELTS, 8, 7.5, 7.5, 8.5, "2025-01-01"),
			SecondLanguage: lang(NCLC, 9, 9, 9, 9, "2025-01-01"),
			Spouse:         &Spouse{Accompanying: true, Education: EduSecondary},
		}, "2025-06-01", 439, 362, 2, 25, 50},
		// P17 French result of 2023-05-31 on 2025-05-30 (still valid), 33:
		// A1 88; A2 two-year 98; A3 23×4 = 92; A4 3×4 = 12; A5 3 years 64 ->
		// core 354. Min 8: C1a 13 + C1b 25 = 38. D French 50. Total 442.
		{"P17 French valid last day", p17, "2025-05-30", 442, 354, 0, 38, 50},
		// P17b on 2025-05-31 the French result is two years old: A4 0 and
		// no bonus. Core 342, total 380.
		{"P17b French expired", p17, "2025-05-31", 380, 342, 0, 38, 0},
		// P18 fixed age 17 (0 points) and 45 (0 points): secondary 30,
		// CLB 5 ×4: 6×4 = 24. Total 54 each.
		{"P18 age 17", &Profile{Age: intp(17), Education: EduSecondary, FirstLanguage: lang(CLB, 5, 5, 5, 5, "")}, "2025-06-01", 54, 54, 0, 0, 0},
		{"P18b age 45", &Profile{Age: intp(45), Education: EduSecondary, FirstLanguage: lang(CLB, 5, 5, 5, 5, "")}, "2025-06-01", 54, 54, 0, 0, 0},
		// P19 born 29 February 1996: on 2026-02-28 still 29 (110), on
		// 2026-03-01 30 (105). A2 120; A3 17×4 = 68; C1a 13. Totals 311, 306.
		{"P19 leap-day birthday, day before", p19, "2026-02-28", 311, 298, 0, 13, 0},
		{"P19b leap-day birthday", p19, "2026-03-01", 306, 293, 0, 13, 0},
		// P20 spouse's language result expired: 31 on 2025-06-01, PhD, CLB
		// 9 ×4, 6 years Canadian. A1 90; A2 140; A3 29×4 = 116; A5 70 ->
		// core 416. B masters 10 + language 0 (2023 result) + work 10 =
		// 20. C1 50 + 50 -> 50. Total 486.
		{"P20 spouse language expired", &Profile{
			BirthDate: born("1994-01-01"), Education: EduPhD,
			FirstLanguage:     lang(CLB, 9, 9, 9, 9, "2024-06-01"),
			CanadianWorkYears: 6,
			Spouse: &Spouse{Accompanying: true, Education: EduMasters,
				FirstLanguage: lang(IELTS, 7, 7, 7, 8, "2023-01-01"), CanadianWorkYears: 6},
		}, "2025-06-01", 486, 416, 20, 50, 0},
		// P21 old-scale TEF first (2018-03-01: 250/360/400/300 = NCLC
		// 9/8/10/9), no English, 2019-01-15 (2017 era), 26, masters, 1
		// Canadian, 2 foreign, 3-year Canadian study. A1 110; A2 135; A3
		// 31+23+34+31 = 119; A5 40 -> core 404. Min 8: C1a 25 + C1b 25 =
		// 50; C2a 13 + C2b 13 = 26; C 76. D study 30 + French without
		// English 15 = 45. Total 525.
		{"P21 old TEF scale, 2017 era", &Profile{
			BirthDate: born("1992-07-01"), Education: EduMasters,
			FirstLanguage:     lang(TEF, 250, 360, 400, 300, "2018-03-01"),
			CanadianWorkYears: 1, ForeignWorkYears: 2, CanadianStudy: StudyThreePlus,
		}, "2019-01-15", 525, 404, 0, 76, 45},
		// P22 bilingual with a sibling, the day before and the day of
		// 2017-06-06. 30: A1 105; A2 120; A3 31×4 = 124; A4 NCLC 7 ×4 = 12
		// -> core 361; C1a 25. Before: D 0, total 386. From 2017-06-06:
		// sibling 15 + French (English 9) 30 = 45, total 431.
		{"P22 day before French/sibling points", p22, "2017-06-05", 386, 361, 0, 25, 0},
		{"P22b French/sibling points start", p22, "2017-06-06", 431, 361, 0, 25, 45},
		// P23 additional cap: fixed age 45, no education, CLB 4 ×4 (6×4 =
		// 24), NCLC 7 ×4 (3×4 = 12) -> core 36. D nomination 600 + sibling
		// 15 + French with English CLB 4 25 = 640 -> 600. Total 636.
		{"P23 additional cap 600", &Profile{
			Age: intp(45), Education: EduNone,
			FirstLanguage:        lang(CLB, 4, 4, 4, 4, ""),
			SecondLanguage:       lang(NCLC, 7, 7, 7, 7, ""),
			ProvincialNomination: true, SiblingInCanada: true,
		}, "2025-06-01", 636, 36, 0, 0, 600},
	}
}

func TestScoreHandProfiles(t *testing.T) {
	for _, c := range handProfiles() {
		t.Run(c.name, func(t *testing.T) {
			b, err := Score(c.p, MustDate(c.on).Time)
			if err != nil {
				t.Fatal(err)
			}
			got := [5]int{b.Total, b.Core, b.Spouse, b.Transferability, b.Additional}
			want := [5]int{c.total, c.core, c.spouse, c.transfer, c.additional}
			if got != want {
				t.Errorf("on %s: total/core/spouse/transfer/additional = %v, want %v\nrows:\n%s", c.on, got, want, rowsText(b))
			}
			// The rows (caps as negative rows) add up to the total.
			sum := 0
			for _, r := range b.Rows() {
				sum += r.Points
			}
			if sum != b.Total {
				t.Errorf("rows add up to %d, total %d", sum, b.Total)
			}
		})
	}
}

func rowsText(b Breakdown) string {
	var s strings.Builder
	for _, r := range b.Rows() {
		s.WriteString("  " + r.String() + "\n")
	}
	return s.String()
}

// TestScoreCaps checks each cap of section 1 with the rows that show it.
func TestScoreCaps(t *testing.T) {
	byName := map[string]wantScore{}
	for _, c := range handProfiles() {
		byName[c.name] = c
	}
	score := func(name string) Breakdown {
		c := byName[name]
		b, err := Score(c.p, MustDate(c.on).Time)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	// P15: C1 = min(50, 50+50), C2 = min(50, 50+50), C3 = 50; C = 100.
	b := score("P15 transferability cap 100")
	if b.C1 != 50 || b.C2 != 50 || b.C3 != 50 || b.Transferability != 100 {
		t.Errorf("P15 C1/C2/C3/C = %d/%d/%d/%d, want 50/50/50/100", b.C1, b.C2, b.C3, b.Transferability)
	}
	wantRows := []string{
		"C1 education group, capped at 50: -50",
		"C2 foreign work group, capped at 50: -50",
		"C transferability, capped at 100: -50",
	}
	text := rowsText(b)
	for _, w := range wantRows {
		if !strings.Contains(text, w) {
			t.Errorf("P15 rows lack %q:\n%s", w, text)
		}
	}
	// P3: C1 = min(50, 25+50) = 50 while C2 = 38 is under its cap.
	b = score("P3 accompanying spouse")
	if b.C1 != 50 || b.C2 != 38 || b.C3 != 0 {
		t.Errorf("P3 C1/C2/C3 = %d/%d/%d, want 50/38/0", b.C1, b.C2, b.C3)
	}
	// P9 and P23: additional points stop at 600.
	for _, name := range []string{"P9 nominee + NOC 00 offer, cap", "P23 additional cap 600"} {
		if b := score(name); b.Additional != 600 {
			t.Errorf("%s additional = %d, want 600", name, b.Additional)
		}
	}
	// P16: four CLB 9 second-language abilities, 24, capped at 22 with a
	// spouse (the single cap, 24, does not bind).
	b = score("P16 second language cap 22")
	if !strings.Contains(rowsText(b), "A4 second language, capped at 22, with spouse: -2") {
		t.Errorf("P16 rows lack the A4 cap:\n%s", rowsText(b))
	}
}

// TestScoreSpouseNotScored: a spouse who is not accompanying, or is a
// Canadian citizen or PR, leaves the candidate on the single grid: the
// score equals that of the same candidate with no spouse at all.
func TestScoreSpouseNotScored(t *testing.T) {
	base := func(sp *Spouse) *Profile {
		return &Profile{BirthDate: born("1990-04-04"), Education: EduMasters,
			FirstLanguage: lang(CLB, 8, 8, 8, 8, ""), CanadianWorkYears: 2, Spouse: sp}
	}
	on := MustDate("2025-06-01").Time
	single, err := Score(base(nil), on)
	if err != nil {
		t.Fatal(err)
	}
	sp := func(acc, can bool) *Spouse {
		return &Spouse{Accompanying: acc, CanadianOrPR: can, Education: EduPhD,
			FirstLanguage: lang(CLB, 10, 10, 10, 10, ""), CanadianWorkYears: 5}
	}
	for _, c := range []struct {
		name string
		sp   *Spouse
	}{{"not accompanying", sp(false, false)}, {"Canadian, accompanying", sp(true, true)}, {"Canadian, not accompanying", sp(false, true)}} {
		b, err := Score(base(c.sp), on)
		if err != nil {
			t.Fatal(err)
		}
		if b.WithSpouse || b.Spouse != 0 || b.Total != single.Total {
			t.Errorf("%s: with spouse %v, B %d, total %d; want single grid, 0, %d", c.name, b.WithSpouse, b.Spouse, b.Total, single.Total)
		}
	}
	// And an accompanying foreign spouse does change the columns: 35 on
	// 2025-06-01. Single: A1 77 + A2 135 + A3 23×4 + A5 53 = 357, C1 25+50
	// -> 50: 407. With spouse: 70 + 126 + 22×4 + 46 = 330; B phd 10 +
	// 5×4 + 10 = 40; C 50: 420.
	b, err := Score(base(sp(true, false)), on)
	if err != nil {
		t.Fatal(err)
	}
	if single.Total != 407 || b.Total != 420 || b.Spouse != 40 {
		t.Errorf("single %d, with spouse %d (B %d); want 407, 420 (40)", single.Total, b.Total, b.Spouse)
	}
}

func TestScoreBeforeExpressEntry(t *testing.T) {
	p := &Profile{Age: intp(30), Education: EduPhD, FirstLanguage: lang(CLB, 9, 9, 9, 9, "")}
	if _, err := Score(p, MustDate("2014-12-31").Time); !errors.Is(err, ErrBeforeExpressEntry) {
		t.Errorf("error = %v, want ErrBeforeExpressEntry", err)
	}
}

func TestScoreBornAfterDate(t *testing.T) {
	p := &Profile{BirthDate: born("2026-01-01"), Education: EduPhD, FirstLanguage: lang(CLB, 9, 9, 9, 9, "")}
	_, err := Score(p, MustDate("2025-06-01").Time)
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Field != "birth_date" {
		t.Errorf("error = %v, want a FieldError on birth_date", err)
	}
}

func TestScoreNotes(t *testing.T) {
	p := &Profile{Age: intp(30), Education: EduPhD, FirstLanguage: lang(CLB, 9, 9, 9, 9, "2020-01-01"), JobOffer: JobMajor00}
	b, err := Score(p, MustDate("2025-06-01").Time)
	if err != nil {
		t.Fatal(err)
	}
	notes := strings.Join(b.Notes, "\n")
	for _, w := range []string{"first_language: results dated 2020-01-01 are two or more years old", "job_offer: arranged employment earns no CRS points"} {
		if !strings.Contains(notes, w) {
			t.Errorf("notes lack %q:\n%s", w, notes)
		}
	}
}

func TestRowString(t *testing.T) {
	p := &Profile{BirthDate: born("1996-01-01"), Education: EduPhD, FirstLanguage: lang(CLB, 9, 9, 9, 9, "")}
	b, err := Score(p, time.Date(2025, 6, 1, 15, 4, 5, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if got := b.Rows()[0].String(); got != "A1 age 29, without spouse: 110" {
		t.Errorf("first row %q", got)
	}
}

func BenchmarkScore(b *testing.B) {
	cases := handProfiles()
	var c wantScore
	for _, x := range cases {
		if strings.HasPrefix(x.name, "P3 ") { // spouse, two groups, a cap
			c = x
		}
	}
	on := MustDate(c.on).Time
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Score(c.p, on); err != nil {
			b.Fatal(err)
		}
	}
}
