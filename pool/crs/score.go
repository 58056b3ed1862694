package crs

import (
	"strconv"
	"time"
)

// Breakdown is a CRS score split into the parts of the grid.
type Breakdown struct {
	On         time.Time // the date scored (00:00 UTC)
	Era        *Era      // the rules in force on On
	Age        int       // age on On
	WithSpouse bool      // scored on the "with spouse" columns

	Total           int // Core + Spouse + Transferability + Additional, at most 1200
	Core            int // A. core / human capital (≤ 460 with spouse, 500 without)
	Spouse          int // B. spouse factors (≤ 40)
	Transferability int // C. C1 + C2 + C3 capped at 100
	Additional      int // D. additional points, capped at 600

	// The transferability groups, each after its cap of 50.
	C1, C2, C3 int

	// Rows lists the grid rows that applied, caps as negative rows, so
	// that the points of Rows add up to Total.
	Rows []Row
	// Notes explains rules that took points away (expired language
	// results, arranged employment no longer scored...).
	Notes []string
}

// Row is one row of the grid that applied to a profile, e.g. "A1 age 29,
// without spouse: 110".
type Row struct {
	Code   string // grid part: "A1".."A5", "B", "C1a", "C1b", "C2a", "C2b", "C3", "C", "D"
	Factor string // e.g. "age", "first language reading"
	Level  string // the profile's value, e.g. "29", "CLB 9", "bachelors"
	Column string // the column, e.g. "without spouse", "" when the table has one
	Points int
}

func (r Row) String() string {
	s := r.Code + " " + r.Factor
	if r.Level != "" {
		s += " " + r.Level
	}
	if r.Column != "" {
		s += ", " + r.Column
	}
	return s + ": " + strconv.Itoa(r.Points)
}

var (
	columnNames  = [2]string{"with spouse", "without spouse"}
	langColNames = [3]string{"under CLB 7 on one or more", "CLB 7+ on all four, one or more under 9", "CLB 9+ on all four"}
	canColNames  = [3]string{"under 1 year Canadian", "1 year Canadian", "2+ years Canadian"}
	certColNames = [3]string{"under CLB 5 on one or more", "CLB 5+ on all four, one or more under 7", "CLB 7+ on all four"}
	frenchCols   = [2]string{"English CLB 4 or lower or none", "English CLB 5+ on all four"}
	clbLabels    = [13]string{"below CLB 4", "below CLB 4", "below CLB 4", "below CLB 4", "CLB 4", "CLB 5", "CLB 6", "CLB 7", "CLB 8", "CLB 9", "CLB 10", "CLB 11", "CLB 12"}
	yearLabels   = [6]string{"under 1 year", "1 year", "2 years", "3 years", "4 years", "5 years or more"}
	foreignLabel = [4]string{"none", "1 year", "2 years", "3 years or more"}
	firstFactors = [4]string{"first language reading", "first language writing", "first language speaking", "first language listening"}
	secFactors   = [4]string{"second language reading", "second language writing", "second language speaking", "second language listening"}
	spLFactors   = [4]string{"spouse language reading", "spouse language writing", "spouse language speaking", "spouse language listening"}
)

// dateOf returns the calendar date of t in UTC, at 00:00.
func dateOf(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return day(y, m, d)
}

// AgeOn returns the age in completed years on date on of someone born on
// birth (a 29 February birthday falls on 1 March in other years).
func AgeOn(birth, on time.Time) int {
	by, bm, bd := birth.Date()
	y, m, d := on.Date()
	age := y - by
	if m < bm || m == bm && d < bd {
		age--
	}
	return age
}

// ageOn returns the profile's age on date on.
func (p *Profile) ageOn(on time.Time) int {
	if p.Age != nil {
		return *p.Age
	}
	return AgeOn(p.BirthDate.Time, on)
}

// Score returns the CRS score of p under the rules in force on date on
// (only the UTC calendar date of on matters). It returns a *FieldError for
// an invalid profile, and an error wrapping ErrBeforeExpressEntry for dates
// before 2015-01-01.
func Score(p *Profile, on time.Time) (Breakdown, error) {
	if err := p.Validate(); err != nil {
		return Breakdown{}, err
	}
	on = dateOf(on)
	e, err := EraOn(on)
	if err != nil {
		return Breakdown{}, err
	}
	age := p.ageOn(on)
	if age < 0 {
		return Breakdown{}, fieldErr("birth_date", "%s is after the date scored, %s", p.BirthDate.Format(time.DateOnly), on.Format(time.DateOnly))
	}
	b := Breakdown{On: on, Era: e, Age: age, Rows: make([]Row, 0, 24)}
	b.score(p, e, on)
	return b, nil
}

func (b *Breakdown) add(code, factor, level, column string, points int) int {
	b.Rows = append(b.Rows, Row{code, factor, level, column, points})
	return points
}

func (b *Breakdown) note(s string) { b.Notes = append(b.Notes, s) }

// validLevels returns the levels of l if it scores on date on under e.
// field names it in notes.
func (b *Breakdown) validLevels(l *Language, field string, on time.Time, e *Era) (Levels, bool) {
	if l == nil {
		return Levels{}, false
	}
	if l.validOn(on, e) {
		return l.Levels(), true
	}
	if l.TestDate.After(on) {
		b.note(field + ": results dated " + l.TestDate.Format(time.DateOnly) + " do not exist yet on " + on.Format(time.DateOnly) + "; not scored")
	} else {
		b.note(field + ": results dated " + l.TestDate.Format(time.DateOnly) + " are two or more years old on " + on.Format(time.DateOnly) + "; not scored (MI in force 2016-11-19)")
	}
	return Levels{}, false
}

func (b *Breakdown) score(p *Profile, e *Era, on time.Time) {
	col := Single
	if p.Spouse.Scored() {
		col = WithSpouse
		b.WithSpouse = true
	}
	cname := columnNames[col]

	// A. Core / human capital.
	ageIdx := min(b.Age, MaxAge)
	core := b.add("A1", "age", strconv.Itoa(b.Age), cname, e.Age[ageIdx][col])
	edu := p.Education.index()
	core += b.add("A2", "education", string(p.Education), cname, e.Education[edu][col])

	first, firstOK := b.validLevels(p.FirstLanguage, "first_language", on, e)
	if firstOK {
		for a, lv := range first {
			core += b.add("A3", firstFactors[a], clbLabels[lv], cname, e.FirstLanguage[min(lv, 10)][col])
		}
	} else {
		b.add("A3", "first language", "not valid on this date", cname, 0)
	}
	if second, ok := b.validLevels(p.SecondLanguage, "second_language", on, e); ok {
		sum := 0
		for a, lv := range second {
			sum += b.add("A4", secFactors[a], clbLabels[lv], cname, e.SecondLanguage[min(lv, 10)][col])
		}
		if c := e.SecondLanguageCap[col]; sum > c {
			b.add("A4", "second language, capped at", strconv.Itoa(c), cname, c-sum)
			sum = c
		}
		core += sum
	}
	cy := min(p.CanadianWorkYears, 5)
	core += b.add("A5", "Canadian work", yearLabels[cy], cname, e.CanadianWork[cy][col])
	b.Core = core

	// B. Spouse factors.
	if col == WithSpouse {
		s := p.Spouse
		sp := b.add("B", "spouse education", string(s.Education), "", e.SpouseEducation[s.Education.index()])
		if sl, ok := b.validLevels(s.FirstLanguage, "spouse.first_language", on, e); ok {
			for a, lv := range sl {
				sp += b.add("B", spLFactors[a], clbLabels[lv], "", e.SpouseLanguage[min(lv, 10)])
			}
		}
		sy := min(s.CanadianWorkYears, 5)
		sp += b.add("B", "spouse Canadian work", yearLabels[sy], "", e.SpouseWork[sy])
		b.Spouse = sp
	}

	// C. Skill transferability, on the lowest first-language ability.
	minCLB := 0
	if firstOK {
		minCLB = first.Min()
	}
	langCol := LangBelow7
	switch {
	case minCLB >= 9:
		langCol = Lang9
	case minCLB >= 7:
		langCol = Lang7
	}
	canCol := CanNone
	switch {
	case p.CanadianWorkYears >= 2:
		canCol = Can2
	case p.CanadianWorkYears == 1:
		canCol = Can1
	}
	b.C1 = b.group("C1", "education", e.GroupCap,
		"C1a", "education + first language", string(p.Education), langColNames[langCol], e.EducationLanguage[edu][langCol],
		"C1b", "education + Canadian work", string(p.Education), canColNames[canCol], e.EducationCanadian[edu][canCol])
	fy := min(p.ForeignWorkYears, 3)
	b.C2 = b.group("C2", "foreign work", e.GroupCap,
		"C2a", "foreign work + first language", foreignLabel[fy], langColNames[langCol], e.ForeignLanguage[fy][langCol],
		"C2b", "foreign work + Canadian work", foreignLabel[fy], canColNames[canCol], e.ForeignCanadian[fy][canCol])
	if p.CertificateOfQualification {
		certCol := CertBelow5
		switch {
		case minCLB >= 7:
			certCol = Cert7
		case minCLB >= 5:
			certCol = Cert5
		}
		b.C3 = min(e.GroupCap, b.addNonZero("C3", "certificate of qualification + first language", "", certColNames[certCol], e.Certificate[certCol]))
	}
	b.Transferability = b.C1 + b.C2 + b.C3
	if b.Transferability > e.TransferCap {
		b.add("C", "transferability, capped at", strconv.Itoa(e.TransferCap), "", e.TransferCap-b.Transferability)
		b.Transferability = e.TransferCap
	}

	// D. Additional points.
	add := 0
	if p.ProvincialNomination {
		add += b.addNonZero("D", "provincial nomination", "", "", e.Nomination)
	}
	if j := p.JobOffer.index(); j != jobNone {
		if e.JobOffer[j] == 0 {
			b.note("job_offer: arranged employment earns no CRS points under the rules of " + e.Effective.Format(time.DateOnly) + " (" + e.Name + ")")
		}
		add += b.addNonZero("D", "arranged employment", string(p.JobOffer), "", e.JobOffer[j])
	}
	if c := p.CanadianStudy.index(); c != studyNone {
		add += b.addNonZero("D", "Canadian study", string(p.CanadianStudy), "", e.CanadianStudy[c])
	}
	if p.SiblingInCanada {
		add += b.addNonZero("D", "sibling in Canada", "", "", e.Sibling)
	}
	add += b.french(p, e, on, first, firstOK)
	if add > e.AdditionalCap {
		b.add("D", "additional points, capped at", strconv.Itoa(e.AdditionalCap), "", e.AdditionalCap-add)
		add = e.AdditionalCap
	}
	b.Additional = add
	b.Total = b.Core + b.Spouse + b.Transferability + b.Additional
}

// addNonZero adds a row only when it earns points.
func (b *Breakdown) addNonZero(code, factor, level, column string, points int) int {
	if points == 0 {
		return 0
	}
	return b.add(code, factor, level, column, points)
}

// group adds the two rows of a transferability group and its cap.
func (b *Breakdown) group(code, name string, limit int,
	codeA, factorA, levelA, colA string, a int,
	codeB, factorB, levelB, colB string, c int) int {
	sum := b.addNonZero(codeA, factorA, levelA, colA, a) + b.addNonZero(codeB, factorB, levelB, colB, c)
	if sum > limit {
		b.add(code, name+" group, capped at", strconv.Itoa(limit), "", limit-sum)
		return limit
	}
	return sum
}

// french adds the French bonus: NCLC 7+ on all four French abilities, with
// the English result deciding the column.
func (b *Breakdown) french(p *Profile, e *Era, on time.Time, first Levels, firstOK bool) int {
	if e.French == [2]int{} {
		return 0
	}
	var fr, en Levels
	var frOK, enOK bool
	if p.FirstLanguage.Test.French() {
		fr, frOK = first, firstOK
		if p.SecondLanguage != nil && p.SecondLanguage.validOn(on, e) {
			en, enOK = p.SecondLanguage.Levels(), true
		}
	} else {
		en, enOK = first, firstOK
		if p.SecondLanguage != nil && p.SecondLanguage.validOn(on, e) {
			fr, frOK = p.SecondLanguage.Levels(), true
		}
	}
	if !frOK || fr.Min() < 7 {
		return 0
	}
	c := FrenchWeakEnglish
	if enOK && en.Min() >= 5 {
		c = FrenchStrongEnglish
	}
	return b.addNonZero("D", "French NCLC 7+ on all four", "", frenchCols[c], e.French[c])
}
