package crs

import (
	"errors"
	"testing"
	"time"
)

// The expected tables below are typed from IRCC's CRS criteria page (as
// summarised in docs/domain.md, "CRS points grid"), row by row as IRCC
// prints them (ranges, "or more" rows), independently of grid.go's
// arrays. Each test
// checks every cell of the corresponding table in every era.

// wantAge is IRCC's A1 table: age range -> {with spouse, without}.
var wantAge = []struct{ lo, hi, with, without int }{
	{0, 17, 0, 0}, // 17 or less
	{18, 18, 90, 99},
	{19, 19, 95, 105},
	{20, 29, 100, 110},
	{30, 30, 95, 105},
	{31, 31, 90, 99},
	{32, 32, 85, 94},
	{33, 33, 80, 88},
	{34, 34, 75, 83},
	{35, 35, 70, 77},
	{36, 36, 65, 72},
	{37, 37, 60, 66},
	{38, 38, 55, 61},
	{39, 39, 50, 55},
	{40, 40, 45, 50},
	{41, 41, 35, 39},
	{42, 42, 25, 28},
	{43, 43, 15, 17},
	{44, 44, 5, 6},
	{45, 45, 0, 0}, // 45 or more (row 45 of the array)
}

// wantEducation is A2 (with, without), B's spouse education, the C1(a)
// and C1(b) rows (the two C1 tables have the same rows), by level.
var wantEducation = map[Education]struct {
	with, without, spouse int
	c1                    [3]int // C1(a) columns below 7, CLB 7-8, CLB 9+; C1(b) none, 1 year, 2+ years
}{
	EduNone:      {0, 0, 0, [3]int{0, 0, 0}},
	EduSecondary: {28, 30, 2, [3]int{0, 0, 0}},
	EduOneYear:   {84, 90, 6, [3]int{0, 13, 25}},
	EduTwoYear:   {91, 98, 7, [3]int{0, 13, 25}},
	EduBachelors: {112, 120, 8, [3]int{0, 13, 25}},
	EduTwoOrMore: {119, 128, 9, [3]int{0, 25, 50}},
	EduMasters:   {126, 135, 10, [3]int{0, 25, 50}},
	EduPhD:       {140, 150, 10, [3]int{0, 25, 50}},
}

// wantLanguage: CLB range -> A3 (with, without), A4 (same both columns),
// B spouse language.
var wantLanguage = []struct{ lo, hi, a3with, a3without, a4, spouse int }{
	{0, 3, 0, 0, 0, 0},
	{4, 4, 6, 6, 0, 0},
	{5, 5, 6, 6, 1, 1},
	{6, 6, 8, 9, 1, 1},
	{7, 7, 16, 17, 3, 3},
	{8, 8, 22, 23, 3, 3},
	{9, 9, 29, 31, 6, 5},
	{10, 10, 32, 34, 6, 5}, // CLB 10 or more
}

// wantWork: years -> A5 (with, without), B spouse work.
var wantWork = []struct{ years, with, without, spouse int }{
	{0, 0, 0, 0}, {1, 35, 40, 5}, {2, 46, 53, 7}, {3, 56, 64, 8}, {4, 63, 72, 9}, {5, 70, 80, 10},
}

// wantForeign: C2(a) and C2(b) rows (same numbers) by foreign years.
var wantForeign = []struct {
	years int
	row   [3]int
}{{0, [3]int{0, 0, 0}}, {1, [3]int{0, 13, 25}}, {2, [3]int{0, 13, 25}}, {3, [3]int{0, 25, 50}}}

// wantEra is part D and the expiry rule of each era (docs/domain.md,
// "D. Additional points" and "Rule eras").
var wantEra = []struct {
	effective              string
	nomination             int
	major00, other         int
	study12, study3        int
	sibling                int
	frenchWeak, frenchGood int
	expiry                 bool
}{
	{"2015-01-01", 600, 600, 600, 0, 0, 0, 0, 0, false},
	{"2016-11-19", 600, 200, 50, 15, 30, 0, 0, 0, true},
	{"2017-06-06", 600, 200, 50, 15, 30, 15, 15, 30, true},
	{"2020-10-27", 600, 200, 50, 15, 30, 15, 25, 50, true},
	{"2025-03-25", 600, 0, 0, 15, 30, 15, 25, 50, true},
}

func TestErasSorted(t *testing.T) {
	if len(eras) != len(wantEra) {
		t.Fatalf("%d eras, want %d", len(eras), len(wantEra))
	}
	for i, e := range eras {
		if got := e.Effective.Format(time.DateOnly); got != wantEra[i].effective {
			t.Errorf("era %d effective %s, want %s", i, got, wantEra[i].effective)
		}
		if e.Source == "" || e.Name == "" {
			t.Errorf("era %s has no source or name", e.Effective.Format(time.DateOnly))
		}
	}
}

func TestGridAge(t *testing.T) {
	for _, e := range eras {
		n := 0
		for _, w := range wantAge {
			for age := w.lo; age <= w.hi; age++ {
				n++
				if got := e.Age[age]; got != [2]int{w.with, w.without} {
					t.Errorf("era %s: age %d = %v, want {%d %d}", e.Effective.Format(time.DateOnly), age, got, w.with, w.without)
				}
			}
		}
		if n != len(e.Age) {
			t.Fatalf("checked %d age rows of %d", n, len(e.Age))
		}
	}
}

func TestGridEducation(t *testing.T) {
	for _, e := range eras {
		if len(wantEducation) != numEducation {
			t.Fatalf("expected table has %d levels, want %d", len(wantEducation), numEducation)
		}
		for lvl, w := range wantEducation {
			i := lvl.index()
			name := e.Effective.Format(time.DateOnly) + " " + string(lvl)
			if got := e.Education[i]; got != [2]int{w.with, w.without} {
				t.Errorf("%s: A2 = %v, want {%d %d}", name, got, w.with, w.without)
			}
			if got := e.SpouseEducation[i]; got != w.spouse {
				t.Errorf("%s: B education = %d, want %d", name, got, w.spouse)
			}
			if got := e.EducationLanguage[i]; got != w.c1 {
				t.Errorf("%s: C1(a) = %v, want %v", name, got, w.c1)
			}
			if got := e.EducationCanadian[i]; got != w.c1 {
				t.Errorf("%s: C1(b) = %v, want %v", name, got, w.c1)
			}
		}
	}
}

func TestGridLanguage(t *testing.T) {
	for _, e := range eras {
		n := 0
		for _, w := range wantLanguage {
			for clb := w.lo; clb <= w.hi; clb++ {
				n++
				name := e.Effective.Format(time.DateOnly)
				if got := e.FirstLanguage[clb]; got != [2]int{w.a3with, w.a3without} {
					t.Errorf("%s: A3 CLB %d = %v, want {%d %d}", name, clb, got, w.a3with, w.a3without)
				}
				if got := e.SecondLanguage[clb]; got != [2]int{w.a4, w.a4} {
					t.Errorf("%s: A4 CLB %d = %v, want {%d %d}", name, clb, got, w.a4, w.a4)
				}
				if got := e.SpouseLanguage[clb]; got != w.spouse {
					t.Errorf("%s: B language CLB %d = %d, want %d", name, clb, got, w.spouse)
				}
			}
		}
		if n != 11 {
			t.Fatalf("checked %d CLB rows, want 11", n)
		}
		if e.SecondLanguageCap != [2]int{22, 24} {
			t.Errorf("A4 cap = %v, want {22 24}", e.SecondLanguageCap)
		}
	}
}

func TestGridWork(t *testing.T) {
	for _, e := range eras {
		for _, w := range wantWork {
			if got := e.CanadianWork[w.years]; got != [2]int{w.with, w.without} {
				t.Errorf("A5 %d years = %v, want {%d %d}", w.years, got, w.with, w.without)
			}
			if got := e.SpouseWork[w.years]; got != w.spouse {
				t.Errorf("B work %d years = %d, want %d", w.years, got, w.spouse)
			}
		}
	}
}

func TestGridTransferability(t *testing.T) {
	for _, e := range eras {
		for _, w := range wantForeign {
			if got := e.ForeignLanguage[w.years]; got != w.row {
				t.Errorf("C2(a) %d years = %v, want %v", w.years, got, w.row)
			}
			if got := e.ForeignCanadian[w.years]; got != w.row {
				t.Errorf("C2(b) %d years = %v, want %v", w.years, got, w.row)
			}
		}
		if e.Certificate != [3]int{0, 25, 50} {
			t.Errorf("C3 = %v, want {0 25 50}", e.Certificate)
		}
		if e.GroupCap != 50 || e.TransferCap != 100 {
			t.Errorf("caps = %d/%d, want 50/100", e.GroupCap, e.TransferCap)
		}
	}
}

func TestGridAdditional(t *testing.T) {
	for i, w := range wantEra {
		e := eras[i]
		name := w.effective
		if e.Nomination != w.nomination {
			t.Errorf("%s: nomination %d, want %d", name, e.Nomination, w.nomination)
		}
		if got := e.JobOffer; got != [3]int{0, w.major00, w.other} {
			t.Errorf("%s: job offer %v, want {0 %d %d}", name, got, w.major00, w.other)
		}
		if got := e.CanadianStudy; got != [3]int{0, w.study12, w.study3} {
			t.Errorf("%s: Canadian study %v, want {0 %d %d}", name, got, w.study12, w.study3)
		}
		if e.Sibling != w.sibling {
			t.Errorf("%s: sibling %d, want %d", name, e.Sibling, w.sibling)
		}
		if got := e.French; got != [2]int{w.frenchWeak, w.frenchGood} {
			t.Errorf("%s: French %v, want {%d %d}", name, got, w.frenchWeak, w.frenchGood)
		}
		if e.AdditionalCap != 600 {
			t.Errorf("%s: additional cap %d, want 600", name, e.AdditionalCap)
		}
		if e.LanguageExpiry != w.expiry {
			t.Errorf("%s: language expiry %v, want %v", name, e.LanguageExpiry, w.expiry)
		}
	}
}

// TestGridMaxima checks the structure table of section 1: core 460/500,
// spouse 40, so A+B = 500 either way.
func TestGridMaxima(t *testing.T) {
	for _, e := range eras {
		for col, want := range [2]int{460, 500} {
			got := e.Age[25][col] + e.Education[eduPhD][col] + 4*e.FirstLanguage[10][col] + e.SecondLanguageCap[col] + e.CanadianWork[5][col]
			if got != want {
				t.Errorf("core maximum column %d = %d, want %d", col, got, want)
			}
		}
		if got := e.SpouseEducation[eduPhD] + 4*e.SpouseLanguage[10] + e.SpouseWork[5]; got != 40 {
			t.Errorf("spouse maximum = %d, want 40", got)
		}
	}
}

func TestEraOn(t *testing.T) {
	for _, c := range []struct{ on, want string }{
		{"2015-01-01", "2015-01-01"},
		{"2016-11-18", "2015-01-01"},
		{"2016-11-19", "2016-11-19"},
		{"2017-06-05", "2016-11-19"},
		{"2017-06-06", "2017-06-06"},
		{"2020-10-26", "2017-06-06"},
		{"2020-10-27", "2020-10-27"},
		{"2025-03-24", "2020-10-27"},
		{"2025-03-25", "2025-03-25"},
		{"2031-01-01", "2025-03-25"},
	} {
		e, err := EraOn(MustDate(c.on).Time)
		if err != nil {
			t.Fatalf("%s: %v", c.on, err)
		}
		if got := e.Effective.Format(time.DateOnly); got != c.want {
			t.Errorf("EraOn(%s) = %s, want %s", c.on, got, c.want)
		}
	}
	if _, err := EraOn(MustDate("2014-12-31").Time); !errors.Is(err, ErrBeforeExpressEntry) {
		t.Errorf("EraOn(2014-12-31) error = %v, want ErrBeforeExpressEntry", err)
	}
}
