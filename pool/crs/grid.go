package crs

import (
	"fmt"
	"time"
)

// Column indexes of the two-column tables of parts A: [WithSpouse] is the
// "with a spouse or common-law partner" column, [Single] the "without" one.
const (
	WithSpouse = 0
	Single     = 1
)

// Column indexes of the transferability tables keyed on first-language
// proficiency (the minimum CLB over the four abilities).
const (
	LangBelow7 = 0 // under CLB 7 on one or more abilities: no points
	Lang7      = 1 // CLB 7 or more on all four, one or more under CLB 9
	Lang9      = 2 // CLB 9 or more on all four
)

// Column indexes of the transferability tables keyed on Canadian work.
const (
	CanNone = 0 // none or under 1 year
	Can1    = 1 // 1 year
	Can2    = 2 // 2 years or more
)

// Column indexes of the certificate-of-qualification table (C3).
const (
	CertBelow5 = 0 // under CLB 5 on one or more abilities: no points
	Cert5      = 1 // CLB 5 or more on all four, one or more under CLB 7
	Cert7      = 2 // CLB 7 or more on all four
)

// Column indexes of the French-bonus table (D).
const (
	FrenchWeakEnglish   = 0 // NCLC 7+ ×4, English CLB 4 or lower or no English test
	FrenchStrongEnglish = 1 // NCLC 7+ ×4 and English CLB 5+ on all four
)

// MaxAge is the last row of the age table: 45 stands for "45 or more".
const MaxAge = 45

// Era is a complete CRS points grid, in force from Effective (00:00 UTC)
// until the next era's Effective. Index conventions: tables keyed on a CLB
// level have 11 rows, 0..10, row 10 being "CLB 10 or more"; work tables are
// keyed on completed years, the last row meaning "that many or more".
type Era struct {
	Effective time.Time
	Name      string // short description of what changed
	Source    string // the IRCC page or Ministerial Instructions

	// A. Core / human capital factors.
	Age               [MaxAge + 1][2]int    // A1, by age in years
	Education         [numEducation][2]int  // A2, by Education index
	FirstLanguage     [11][2]int            // A3, points per ability, by CLB
	SecondLanguage    [11][2]int            // A4, points per ability, by CLB
	SecondLanguageCap [2]int                // A4 cap on the four abilities together
	CanadianWork      [6][2]int             // A5, by years (5 = 5 or more)
	SpouseEducation   [numEducation]int     // B, by Education index
	SpouseLanguage    [11]int               // B, per ability, by CLB
	SpouseWork        [6]int                // B, by years (5 = 5 or more)
	EducationLanguage [numEducation][3]int  // C1(a): columns Lang*
	EducationCanadian [numEducation][3]int  // C1(b): columns Can*
	ForeignLanguage   [4][3]int             // C2(a): rows 0, 1, 2, 3+ years; columns Lang*
	ForeignCanadian   [4][3]int             // C2(b): rows 0, 1, 2, 3+ years; columns Can*
	Certificate       [3]int                // C3: columns Cert*
	GroupCap          int                   // cap on each of C1, C2, C3
	TransferCap       int                   // cap on C1+C2+C3
	Nomination        int                   // D, provincial or territorial nomination
	JobOffer          [numJobOffer]int      // D, by JobOffer index
	CanadianStudy     [numCanadianStudy]int // D, by CanadianStudy index
	Sibling           int                   // D
	French            [2]int                // D, columns French*
	AdditionalCap     int                   // cap on D
	LanguageExpiry    bool                  // results two or more years old earn nothing
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// launch is the 2015-01-01 grid. Parts A, B and C have not changed since
// launch; only part D (and the language-expiry rule) has.
//
// Source: Ministerial Instructions respecting the Express Entry system of
// 2014-11-28 (Canada Gazette Part I, 2014-12-01), in force 2015-01-01;
// IRCC "Comprehensive Ranking System (CRS) criteria – Express Entry"
// (canada.ca/.../express-entry/check-score/crs-criteria.html).
var launch = Era{
	Effective: day(2015, time.January, 1),
	Name:      "Express Entry launch: LMIA job offer or nomination 600",
	Source:    "Ministerial Instructions of 2014-11-28 (Canada Gazette I, 2014-12-01), in force 2015-01-01; IRCC CRS criteria page",

	// A1. Age: {with spouse, without spouse}.
	Age: [MaxAge + 1][2]int{
		0: {0, 0}, 1: {0, 0}, 2: {0, 0}, 3: {0, 0}, 4: {0, 0}, 5: {0, 0}, 6: {0, 0}, 7: {0, 0}, 8: {0, 0},
		9: {0, 0}, 10: {0, 0}, 11: {0, 0}, 12: {0, 0}, 13: {0, 0}, 14: {0, 0}, 15: {0, 0}, 16: {0, 0},
		17: {0, 0}, // 17 or less
		18: {90, 99},
		19: {95, 105},
		20: {100, 110}, 21: {100, 110}, 22: {100, 110}, 23: {100, 110}, 24: {100, 110},
		25: {100, 110}, 26: {100, 110}, 27: {100, 110}, 28: {100, 110}, 29: {100, 110},
		30: {95, 105},
		31: {90, 99},
		32: {85, 94},
		33: {80, 88},
		34: {75, 83},
		35: {70, 77},
		36: {65, 72},
		37: {60, 66},
		38: {55, 61},
		39: {50, 55},
		40: {45, 50},
		41: {35, 39},
		42: {25, 28},
		43: {15, 17},
		44: {5, 6},
		45: {0, 0}, // 45 or more
	},
	// A2. Level of education.
	Education: [numEducation][2]int{
		eduNone:      {0, 0},
		eduSecondary: {28, 30},
		eduOneYear:   {84, 90},
		eduTwoYear:   {91, 98},
		eduBachelors: {112, 120},
		eduTwoOrMore: {119, 128},
		eduMasters:   {126, 135},
		eduPhD:       {140, 150},
	},
	// A3. First official language, per ability.
	FirstLanguage: [11][2]int{
		0: {0, 0}, 1: {0, 0}, 2: {0, 0}, 3: {0, 0}, // less than CLB 4
		4: {6, 6}, 5: {6, 6},
		6:  {8, 9},
		7:  {16, 17},
		8:  {22, 23},
		9:  {29, 31},
		10: {32, 34}, // CLB 10 or more
	},
	// A4. Second official language, per ability.
	SecondLanguage: [11][2]int{
		0: {0, 0}, 1: {0, 0}, 2: {0, 0}, 3: {0, 0}, 4: {0, 0}, // CLB 4 or less
		5: {1, 1}, 6: {1, 1},
		7: {3, 3}, 8: {3, 3},
		9: {6, 6}, 10: {6, 6}, // CLB 9 or more
	},
	SecondLanguageCap: [2]int{22, 24},
	// A5. Canadian work experience.
	CanadianWork: [6][2]int{
		0: {0, 0},
		1: {35, 40},
		2: {46, 53},
		3: {56, 64},
		4: {63, 72},
		5: {70, 80}, // 5 years or more
	},

	// B. Spouse or common-law partner factors.
	SpouseEducation: [numEducation]int{
		eduNone: 0, eduSecondary: 2, eduOneYear: 6, eduTwoYear: 7,
		eduBachelors: 8, eduTwoOrMore: 9, eduMasters: 10, eduPhD: 10,
	},
	SpouseLanguage: [11]int{
		0: 0, 1: 0, 2: 0, 3: 0, 4: 0, // CLB 4 or less
		5: 1, 6: 1, 7: 3, 8: 3, 9: 5, 10: 5,
	},
	SpouseWork: [6]int{0: 0, 1: 5, 2: 7, 3: 8, 4: 9, 5: 10},

	// C. Skill transferability.
	// C1(a) education + first-language proficiency.
	EducationLanguage: [numEducation][3]int{
		eduNone:      {0, 0, 0},
		eduSecondary: {0, 0, 0},
		eduOneYear:   {0, 13, 25},
		eduTwoYear:   {0, 13, 25},
		eduBachelors: {0, 13, 25},
		eduTwoOrMore: {0, 25, 50},
		eduMasters:   {0, 25, 50},
		eduPhD:       {0, 25, 50},
	},
	// C1(b) education + Canadian work experience.
	EducationCanadian: [numEducation][3]int{
		eduNone:      {0, 0, 0},
		eduSecondary: {0, 0, 0},
		eduOneYear:   {0, 13, 25},
		eduTwoYear:   {0, 13, 25},
		eduBachelors: {0, 13, 25},
		eduTwoOrMore: {0, 25, 50},
		eduMasters:   {0, 25, 50},
		eduPhD:       {0, 25, 50},
	},
	// C2(a) foreign work experience + first-language proficiency.
	ForeignLanguage: [4][3]int{
		0: {0, 0, 0},
		1: {0, 13, 25}, 2: {0, 13, 25}, // 1 or 2 years
		3: {0, 25, 50}, // 3 years or more
	},
	// C2(b) foreign work experience + Canadian work experience.
	ForeignCanadian: [4][3]int{
		0: {0, 0, 0},
		1: {0, 13, 25}, 2: {0, 13, 25},
		3: {0, 25, 50},
	},
	// C3 certificate of qualification + first-language proficiency.
	Certificate: [3]int{0, 25, 50},
	GroupCap:    50,
	TransferCap: 100,

	// D. Additional points. At launch: a nomination or an LMIA-supported
	// job offer gave 600; no study, French or sibling points.
	Nomination:    600,
	JobOffer:      [numJobOffer]int{jobNone: 0, jobMajor00: 600, jobOther: 600},
	CanadianStudy: [numCanadianStudy]int{0, 0, 0},
	Sibling:       0,
	French:        [2]int{0, 0},
	AdditionalCap: 600,
}

// eras is every rule era, sorted by effective date. Each is built from the
// previous one by changing what changed.
var eras = buildEras()

func buildEras() []Era {
	e2015 := launch

	// 2016-11-19: job offer 600 -> 50 (NOC 0/A/B) or 200 (NOC 00); Canadian
	// study 15/30 added; language results two or more years old stop
	// scoring (MI amendment 2016-1, §12(3)). Source: Ministerial
	// Instructions amending the Express Entry MI, in force 2016-11-19
	// (canada.ca archived MI "May 30, 2015 to November 18, 2016").
	e2016 := e2015
	e2016.Effective = day(2016, time.November, 19)
	e2016.Name = "job offer 50/200, Canadian study 15/30, language results expire after 2 years"
	e2016.Source = "Ministerial Instructions in force 2016-11-19 (IRCC archived MI notice)"
	e2016.JobOffer = [numJobOffer]int{jobNone: 0, jobMajor00: 200, jobOther: 50}
	e2016.CanadianStudy = [numCanadianStudy]int{studyNone: 0, studyOneOrTwo: 15, studyThreePlus: 30}
	e2016.LanguageExpiry = true

	// 2017-06-06: French bonus 15/30 and sibling 15 added. Source:
	// Ministerial Instructions in force 2017-06-06 (IRCC news release
	// 2017-06-06; PwC law blog, listerlawyers.com).
	e2017 := e2016
	e2017.Effective = day(2017, time.June, 6)
	e2017.Name = "French bonus 15/30, sibling in Canada 15"
	e2017.Source = "Ministerial Instructions in force 2017-06-06"
	e2017.French = [2]int{FrenchWeakEnglish: 15, FrenchStrongEnglish: 30}
	e2017.Sibling = 15

	// 2020-10-27: French bonus 25/50. Source: IRCC news release 2020-10-27
	// (cicnews.com 2020-10-27).
	e2020 := e2017
	e2020.Effective = day(2020, time.October, 27)
	e2020.Name = "French bonus 25/50"
	e2020.Source = "Ministerial Instructions in force 2020-10-27 (IRCC news release 2020-10-27)"
	e2020.French = [2]int{FrenchWeakEnglish: 25, FrenchStrongEnglish: 50}

	// 2025-03-25: arranged-employment points removed (announced
	// 2024-12-17/23). Source: Ministerial Instructions in force 2025-03-25
	// (IRCC news release 2024-12-23; CRS criteria page).
	e2025 := e2020
	e2025.Effective = day(2025, time.March, 25)
	e2025.Name = "arranged-employment points removed"
	e2025.Source = "Ministerial Instructions in force 2025-03-25 (IRCC news release 2024-12-23)"
	e2025.JobOffer = [numJobOffer]int{0, 0, 0}

	return []Era{e2015, e2016, e2017, e2020, e2025}
}

// ErrBeforeExpressEntry is returned for dates before 2015-01-01.
var ErrBeforeExpressEntry = fmt.Errorf("crs: no CRS before Express Entry began on 2015-01-01")

// EraOn returns the era in force on t.
func EraOn(t time.Time) (*Era, error) {
	for i := len(eras) - 1; i >= 0; i-- {
		if !t.Before(eras[i].Effective) {
			return &eras[i], nil
		}
	}
	return nil, fmt.Errorf("%s: %w", t.UTC().Format(time.DateOnly), ErrBeforeExpressEntry)
}
