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

	// Notes explains rules that took points away (expired language
	// results, arranged employment no longer scored...).
	Notes []string

	// rows are the grid rows that applied (see Rows), compact and
	// pointer-free so that Score does not allocate.
	rows  [maxRows]row
	nrows int
}

// maxRows bounds the rows of a breakdown: A 12, B 6, C 8, D 7.
const maxRows = 36

// row is a compact Row: kind indexes rowKinds, col columnNames.
type row struct {
	kind   uint8
	col    uint8
	level  int16
	points int16
}

// Level formats of the rows.
const (
	lvNone = iota
	lvNum
	lvCLB
	lvYears
	lvForeign
	lvEducation
	lvJob
	lvStudy
)

// Row kinds: code, factor and level format.
const (
	kAge = iota
	kEducation
	kFirst // + Ability
	_
	_
	_
	kFirstInvalid
	kSecond // + Ability
	_
	_
	_
	kSecondCap
	kCanWork
	kSpEducation
	kSpLang // + Ability
	_
	_
	_
	kSpWork
	kC1a
	kC1b
	kC1Cap
	kC2a
	kC2b
	kC2Cap
	kC3
	kCCap
	kDNomination
	kDJob
	kDStudy
	kDSibling
	kDFrench
	kDCap
)

var rowKinds = [...]struct {
	code, factor string
	level        uint8
}{
	kAge:          {"A1", "age", lvNum},
	kEducation:    {"A2", "education", lvEducation},
	kFirst:        {"A3", "first language reading", lvCLB},
	kFirst + 1:    {"A3", "first language writing", lvCLB},
	kFirst + 2:    {"A3", "first language speaking", lvCLB},
	kFirst + 3:    {"A3", "first language listening", lvCLB},
	kFirstInvalid: {"A3", "first language not valid on this date", lvNone},
	kSecond:       {"A4", "second language reading", lvCLB},
	kSecond + 1:   {"A4", "second language writing", lvCLB},
	kSecond + 2:   {"A4", "second language speaking", lvCLB},
	kSecond + 3:   {"A4", "second language listening", lvCLB},
	kSecondCap:    {"A4", "second language, capped at", lvNum},
	kCanWork:      {"A5", "Canadian work", lvYears},
	kSpEducation:  {"B", "spouse education", lvEducation},
	kSpLang:       {"B", "spouse language reading", lvCLB},
	kSpLang + 1:   {"B", "spouse language writing", lvCLB},
	kSpLang + 2:   {"B", "spouse language speaking", lvCLB},
	kSpLang + 3:   {"B", "spouse language listening", lvCLB},
	kSpWork:       {"B", "spouse Canadian work", lvYears},
	kC1a:          {"C1a", "education + first language", lvEducation},
	kC1b:          {"C1b", "education + Canadian work", lvEducation},
	kC1Cap:        {"C1", "education group, capped at", lvNum},
	kC2a:          {"C2a", "foreign work + first language", lvForeign},
	kC2b:          {"C2b", "foreign work + Canadian work", lvForeign},
	kC2Cap:        {"C2", "foreign work group, capped at", lvNum},
	kC3:           {"C3", "certificate of qualification + first language", lvNone},
	kCCap:         {"C", "transferability, capped at", lvNum},
	kDNomination:  {"D", "provincial nomination", lvNone},
	kDJob:         {"D", "arranged employment", lvJob},
	kDStudy:       {"D", "Canadian study", lvStudy},
	kDSibling:     {"D", "sibling in Canada", lvNone},
	kDFrench:      {"D", "French NCLC 7+ on all four", lvNone},
	kDCap:         {"D", "additional points, capped at", lvNum},
}

// Columns of the rows.
const (
	colNone = iota
	colWith
	colSingle
	colLang // + Lang*
	_
	_
	colCan // + Can*
	_
	_
	colCert // + Cert*
	_
	_
	colFrench // + French*
	_
)

var columnNames = [...]string{
	colNone:         "",
	colWith:         "with spouse",
	colSingle:       "without spouse",
	colLang + Lang9: "CLB 9+ on all four",
	colLang + Lang7: "CLB 7+ on all four, one or more under 9",
	colLang:         "under CLB 7 on one or more",
	colCan:          "under 1 year Canadian",
	colCan + Can1:   "1 year Canadian",
	colCan + Can2:   "2+ years Canadian",
	colCert:         "under CLB 5 on one or more",
	colCert + Cert5: "CLB 5+ on all four, one or more under 7",
	colCert + Cert7: "CLB 7+ on all four",
	colFrench:       "English CLB 4 or lower or none",
	colFrench + 1:   "English CLB 5+ on all four",
}

var (
	clbLabels    = [13]string{"below CLB 4", "below CLB 4", "below CLB 4", "below CLB 4", "CLB 4", "CLB 5", "CLB 6", "CLB 7", "CLB 8", "CLB 9", "CLB 10", "CLB 11", "CLB 12"}
	yearLabels   = [6]string{"under 1 year", "1 year", "2 years", "3 years", "4 years", "5 years or more"}
	foreignLabel = [4]string{"none", "1 year", "2 years", "3 years or more"}
	jobLabels    = [numJobOffer]JobOffer{JobNone, JobMajor00, JobOtherSkill}
	studyLabels  = [numCanadianStudy]CanadianStudy{StudyNone, StudyOneOrTwo, StudyThreePlus}
)

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

// Rows returns the grid rows that applied, in grid order, caps as negative
// rows, so that their points add up to Total.
func (b *Breakdown) Rows() []Row {
	out := make([]Row, b.nrows)
	for i, r := range b.rows[:b.nrows] {
		k := rowKinds[r.kind]
		level := ""
		switch k.level {
		case lvNum:
			level = strconv.Itoa(int(r.level))
		case lvCLB:
			level = clbLabels[r.level]
		case lvYears:
			level = yearLabels[r.level]
		case lvForeign:
			level = foreignLabel[r.level]
		case lvEducation:
			level = string(educations[r.level])
		case lvJob:
			level = string(jobLabels[r.level])
		case lvStudy:
			level = string(studyLabels[r.level])
		}
		out[i] = Row{Code: k.code, Factor: k.factor, Level: level, Column: columnNames[r.col], Points: int(r.points)}
	}
	return out
}

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
	b := Breakdown{On: on, Era: e, Age: age}
	b.score(p, e, on)
	return b, nil
}

// add records a row and returns its points.
func (b *Breakdown) add(kind, level, col, points int) int {
	b.rows[b.nrows] = row{uint8(kind), uint8(col), int16(level), int16(points)}
	b.nrows++
	return points
}

// addNonZero adds a row only when it earns points.
func (b *Breakdown) addNonZero(kind, level, col, points int) int {
	if points == 0 {
		return 0
	}
	return b.add(kind, level, col, points)
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
	col, ccol := Single, colSingle
	if p.Spouse.Scored() {
		col, ccol = WithSpouse, colWith
		b.WithSpouse = true
	}

	// A. Core / human capital.
	core := b.add(kAge, b.Age, ccol, e.Age[min(b.Age, MaxAge)][col])
	edu := p.Education.index()
	core += b.add(kEducation, edu, ccol, e.Education[edu][col])

	first, firstOK := b.validLevels(p.FirstLanguage, "first_language", on, e)
	if firstOK {
		for a, lv := range first {
			core += b.add(kFirst+a, lv, ccol, e.FirstLanguage[min(lv, 10)][col])
		}
	} else {
		b.add(kFirstInvalid, 0, ccol, 0)
	}
	second, secondOK := b.validLevels(p.SecondLanguage, "second_language", on, e)
	if secondOK {
		sum := 0
		for a, lv := range second {
			sum += b.add(kSecond+a, lv, ccol, e.SecondLanguage[min(lv, 10)][col])
		}
		if c := e.SecondLanguageCap[col]; sum > c {
			b.add(kSecondCap, c, ccol, c-sum)
			sum = c
		}
		core += sum
	}
	cy := min(p.CanadianWorkYears, 5)
	core += b.add(kCanWork, cy, ccol, e.CanadianWork[cy][col])
	b.Core = core

	// B. Spouse factors.
	if col == WithSpouse {
		s := p.Spouse
		se := s.Education.index()
		sp := b.add(kSpEducation, se, colNone, e.SpouseEducation[se])
		if sl, ok := b.validLevels(s.FirstLanguage, "spouse.first_language", on, e); ok {
			for a, lv := range sl {
				sp += b.add(kSpLang+a, lv, colNone, e.SpouseLanguage[min(lv, 10)])
			}
		}
		sy := min(s.CanadianWorkYears, 5)
		sp += b.add(kSpWork, sy, colNone, e.SpouseWork[sy])
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
	b.C1 = b.group(kC1a, kC1b, kC1Cap, e.GroupCap, edu, edu, colLang+langCol, colCan+canCol,
		e.EducationLanguage[edu][langCol], e.EducationCanadian[edu][canCol])
	fy := min(p.ForeignWorkYears, 3)
	b.C2 = b.group(kC2a, kC2b, kC2Cap, e.GroupCap, fy, fy, colLang+langCol, colCan+canCol,
		e.ForeignLanguage[fy][langCol], e.ForeignCanadian[fy][canCol])
	if p.CertificateOfQualification {
		certCol := CertBelow5
		switch {
		case minCLB >= 7:
			certCol = Cert7
		case minCLB >= 5:
			certCol = Cert5
		}
		b.C3 = min(e.GroupCap, b.addNonZero(kC3, 0, colCert+certCol, e.Certificate[certCol]))
	}
	b.Transferability = b.C1 + b.C2 + b.C3
	if b.Transferability > e.TransferCap {
		b.add(kCCap, e.TransferCap, colNone, e.TransferCap-b.Transferability)
		b.Transferability = e.TransferCap
	}

	// D. Additional points.
	add := 0
	if p.ProvincialNomination {
		add += b.addNonZero(kDNomination, 0, colNone, e.Nomination)
	}
	if j := p.JobOffer.index(); j != jobNone {
		if e.JobOffer[j] == 0 {
			b.note("job_offer: arranged employment earns no CRS points under the rules of " + e.Effective.Format(time.DateOnly) + " (" + e.Name + ")")
		}
		add += b.addNonZero(kDJob, j, colNone, e.JobOffer[j])
	}
	if c := p.CanadianStudy.index(); c != studyNone {
		add += b.addNonZero(kDStudy, c, colNone, e.CanadianStudy[c])
	}
	if p.SiblingInCanada {
		add += b.addNonZero(kDSibling, 0, colNone, e.Sibling)
	}
	add += b.french(p, e, first, firstOK, second, secondOK)
	if add > e.AdditionalCap {
		b.add(kDCap, e.AdditionalCap, colNone, e.AdditionalCap-add)
		add = e.AdditionalCap
	}
	b.Additional = add
	b.Total = b.Core + b.Spouse + b.Transferability + b.Additional
}

// group adds the two rows of a transferability group and its cap.
func (b *Breakdown) group(kindA, kindB, kindCap, limit, levelA, levelB, colA, colB, a, c int) int {
	sum := b.addNonZero(kindA, levelA, colA, a) + b.addNonZero(kindB, levelB, colB, c)
	if sum > limit {
		b.add(kindCap, limit, colNone, limit-sum)
		return limit
	}
	return sum
}

// french adds the French bonus: NCLC 7+ on all four French abilities, with
// the English result deciding the column. first and second are the levels
// of the results valid on the date.
func (b *Breakdown) french(p *Profile, e *Era, first Levels, firstOK bool, second Levels, secondOK bool) int {
	if e.French == [2]int{} {
		return 0
	}
	fr, frOK, en, enOK := second, secondOK, first, firstOK
	if p.FirstLanguage.Test.French() {
		fr, frOK, en, enOK = first, firstOK, second, secondOK
	}
	if !frOK || fr.Min() < 7 {
		return 0
	}
	c := FrenchWeakEnglish
	if enOK && en.Min() >= 5 {
		c = FrenchStrongEnglish
	}
	return b.addNonZero(kDFrench, 0, colFrench+c, e.French[c])
}
