package crs

import "time"

// Ability is one of the four language abilities.
type Ability int

// The four abilities, in the order of the grid.
const (
	Reading Ability = iota
	Writing
	Speaking
	Listening
)

var abilityNames = [4]string{"reading", "writing", "speaking", "listening"}

func (a Ability) String() string { return abilityNames[a] }

// Levels are the CLB (or NCLC) levels of the four abilities, indexed by
// Ability. A level under 4 from a converted test is 0 ("below CLB 4").
// Levels above 10 are kept (CLB 11, 12) but score as CLB 10.
type Levels [4]int

// Min returns the lowest of the four levels.
func (l Levels) Min() int { return min(l[0], l[1], l[2], l[3]) }

// chart is an equivalence chart: chart[a][k] is the lowest score of ability
// a that gives CLB 10-k (k = 0 is CLB 10, k = 6 is CLB 4).
type chart [4][7]float64

// Source of the charts: IRCC "Language test equivalency charts"
// (canada.ca/.../express-entry/documents/language-requirements/
// language-testing.html and the Express Entry help centre), as in force on
// 2025-03-25. Rows are CLB 10, 9, 8, 7, 6, 5, 4 from left to right.
var (
	// IELTS General Training.
	ieltsChart = chart{
		Reading:   {8.0, 7.0, 6.5, 6.0, 5.0, 4.0, 3.5},
		Writing:   {7.5, 7.0, 6.5, 6.0, 5.5, 5.0, 4.0},
		Speaking:  {7.5, 7.0, 6.5, 6.0, 5.5, 5.0, 4.0},
		Listening: {8.5, 8.0, 7.5, 6.0, 5.5, 5.0, 4.5},
	}
	// TEF Canada results from 2023-12-10 (0-699 on every ability).
	tefChart = chart{
		Reading:   {546, 503, 462, 434, 393, 352, 306},
		Writing:   {558, 512, 472, 428, 379, 330, 268},
		Speaking:  {556, 518, 494, 456, 422, 387, 328},
		Listening: {546, 503, 462, 434, 393, 352, 306},
	}
	// TEF Canada results before 2023-12-10 (reading /300, listening /360,
	// writing and speaking /450).
	oldTEFChart = chart{
		Reading:   {263, 248, 233, 207, 181, 151, 121},
		Writing:   {393, 371, 349, 310, 271, 226, 181},
		Speaking:  {393, 371, 349, 310, 271, 226, 181},
		Listening: {316, 298, 280, 249, 217, 181, 145},
	}
	// TCF Canada (reading and listening /699, writing and speaking /20).
	tcfChart = chart{
		Reading:   {549, 524, 499, 453, 406, 375, 342},
		Writing:   {16, 14, 12, 10, 7, 6, 4},
		Speaking:  {16, 14, 12, 10, 7, 6, 4},
		Listening: {549, 523, 503, 458, 398, 369, 331},
	}
)

func (c *chart) level(a Ability, score float64) int {
	for k, low := range c[a] {
		if score >= low {
			return 10 - k
		}
	}
	return 0
}

// ToCLB converts a raw score of test t on ability a to a CLB (or NCLC)
// level, using IRCC's equivalence charts. testDate selects the TEF Canada
// chart (the scale changed on 2023-12-10). CLB and NCLC scores are levels
// already; CELPIP levels 4-10 equal CLB levels and 11-12 count as CLB 10.
// A result under CLB 4 returns 0. The score must be valid for the test
// (see Profile.Validate).
func ToCLB(t Test, a Ability, score float64, testDate time.Time) int {
	switch t {
	case CLB, NCLC:
		return int(score)
	case CELPIP:
		switch {
		case score >= 10:
			return 10
		case score >= 4:
			return int(score)
		}
		return 0
	case IELTS:
		return ieltsChart.level(a, score)
	case TEF:
		if testDate.Before(tefScaleChange) {
			return oldTEFChart.level(a, score)
		}
		return tefChart.level(a, score)
	case TCF:
		return tcfChart.level(a, score)
	}
	return 0
}

// Levels returns the CLB levels of the four abilities.
func (l *Language) Levels() Levels {
	d := l.TestDate.Time
	return Levels{
		ToCLB(l.Test, Reading, l.Reading, d),
		ToCLB(l.Test, Writing, l.Writing, d),
		ToCLB(l.Test, Speaking, l.Speaking, d),
		ToCLB(l.Test, Listening, l.Listening, d),
	}
}

// LanguageValidity is how long results score: results two or more years
// old earn no points (MI amendment in force 2016-11-19, §12(3)).
const LanguageValidity = 2 // years

// ExpiresOn returns the first date on which the result no longer scores
// under an era with LanguageExpiry, or the zero time when it has no date.
func (l *Language) ExpiresOn() time.Time {
	if l.TestDate.IsZero() {
		return time.Time{}
	}
	return l.TestDate.AddDate(LanguageValidity, 0, 0)
}

// validOn reports whether the result counts on date on under era e: it
// must exist (test date not after on) and, if e expires results, be under
// two years old.
func (l *Language) validOn(on time.Time, e *Era) bool {
	if l == nil {
		return false
	}
	if l.TestDate.IsZero() {
		return true
	}
	if l.TestDate.After(on) {
		return false
	}
	return !e.LanguageExpiry || on.Before(l.ExpiresOn())
}
