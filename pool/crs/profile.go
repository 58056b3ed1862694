package crs

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/eesim/eesim/data"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"time"
)

// Profile is a candidate's Express Entry profile, as read from JSON (the
// JSON names are snake_case; see the README's "eesim crs" section).
type Profile struct {
	// BirthDate gives the age on each date (points change on birthdays);
	// Age is a fixed age instead. Exactly one of the two is required.
	BirthDate Date `json:"birth_date,omitzero"`
	Age       *int `json:"age,omitempty"`

	Education Education `json:"education"`

	// FirstLanguage is required; SecondLanguage is the other official
	// language (English: CLB, IELTS, CELPIP; French: NCLC, TEF, TCF).
	FirstLanguage  *Language `json:"first_language"`
	SecondLanguage *Language `json:"second_language,omitempty"`

	CanadianWorkYears          int  `json:"canadian_work_years"`
	ForeignWorkYears           int  `json:"foreign_work_years"`
	CertificateOfQualification bool `json:"certificate_of_qualification"`

	// Spouse is nil for a single candidate. A spouse who is not
	// accompanying, or is a Canadian citizen or PR, is not scored.
	Spouse *Spouse `json:"spouse"`

	ProvincialNomination bool          `json:"provincial_nomination"`
	JobOffer             JobOffer      `json:"job_offer,omitempty"`
	CanadianStudy        CanadianStudy `json:"canadian_study,omitempty"`
	SiblingInCanada      bool          `json:"sibling_in_canada"`

	// Submitted is the profile submission instant (the tie-break time).
	Submitted time.Time `json:"submitted,omitzero"`
	// Categories lists the occupational categories the candidate's work
	// qualifies for ("healthcare", "trades", "stem", "education",
	// "transport", "agriculture", ...). "french" is derived from the tests.
	Categories []string `json:"categories,omitempty"`
	// Programs, when set, overrides the derived program eligibility:
	// a list of "CEC", "FSW", "FST".
	Programs []string `json:"programs,omitempty"`
}

// Spouse holds the spouse or common-law partner factors.
type Spouse struct {
	Accompanying      bool      `json:"accompanying"`
	CanadianOrPR      bool      `json:"canadian_or_pr"`
	Education         Education `json:"education"`
	FirstLanguage     *Language `json:"first_language"`
	CanadianWorkYears int       `json:"canadian_work_years"`
}

// Scored reports whether the spouse's factors count (part B and the "with
// spouse" columns): only an accompanying spouse who is not a Canadian
// citizen or permanent resident (IRCC CRS criteria page).
func (s *Spouse) Scored() bool { return s != nil && s.Accompanying && !s.CanadianOrPR }

// Language is one official-language test result, as raw scores.
type Language struct {
	Test      Test    `json:"test"`
	Reading   float64 `json:"reading"`
	Writing   float64 `json:"writing"`
	Speaking  float64 `json:"speaking"`
	Listening float64 `json:"listening"`
	// TestDate is the date of the results. Absent, the result never
	// expires (it is required for TEF, whose scale changed in 2023).
	TestDate Date `json:"test_date,omitzero"`
}

// Test names a language test.
type Test string

// The accepted tests. CLB and NCLC are levels given directly (English and
// French); the others are raw scores converted with IRCC's charts.
const (
	CLB    Test = "CLB"
	NCLC   Test = "NCLC"
	IELTS  Test = "IELTS"  // IELTS General Training, bands 0-9 by halves
	CELPIP Test = "CELPIP" // CELPIP-General, levels 0-12
	TEF    Test = "TEF"    // TEF Canada
	TCF    Test = "TCF"    // TCF Canada
)

// French reports whether t is a French test.
func (t Test) French() bool { return t == NCLC || t == TEF || t == TCF }

func (t Test) valid() bool {
	switch t {
	case CLB, NCLC, IELTS, CELPIP, TEF, TCF:
		return true
	}
	return false
}

// Education is a level of education, as on the CRS grid.
type Education string

// The education levels of the CRS grid (A2).
const (
	EduNone      Education = "none"        // less than secondary school
	EduSecondary Education = "secondary"   // secondary diploma
	EduOneYear   Education = "one_year"    // one-year post-secondary credential
	EduTwoYear   Education = "two_year"    // two-year post-secondary credential
	EduBachelors Education = "bachelors"   // bachelor's or 3+ year program
	EduTwoOrMore Education = "two_or_more" // two or more credentials, one of 3+ years
	EduMasters   Education = "masters"     // master's or entry-to-practice professional degree
	EduPhD       Education = "phd"         // doctoral
)

// Indexes of the education rows in the grid tables.
const (
	eduNone = iota
	eduSecondary
	eduOneYear
	eduTwoYear
	eduBachelors
	eduTwoOrMore
	eduMasters
	eduPhD
	numEducation
)

var educations = [numEducation]Education{EduNone, EduSecondary, EduOneYear, EduTwoYear, EduBachelors, EduTwoOrMore, EduMasters, EduPhD}

// index returns the grid row of e, or -1.
func (e Education) index() int {
	switch e {
	case EduNone:
		return eduNone
	case EduSecondary:
		return eduSecondary
	case EduOneYear:
		return eduOneYear
	case EduTwoYear:
		return eduTwoYear
	case EduBachelors:
		return eduBachelors
	case EduTwoOrMore:
		return eduTwoOrMore
	case EduMasters:
		return eduMasters
	case EduPhD:
		return eduPhD
	}
	return -1
}

// JobOffer is the kind of arranged employment.
type JobOffer string

// Job offer kinds ("" is none). Scored only in the eras that scored them
// (600 at launch, 200/50 from 2016-11-19, nothing from 2025-03-25); still
// used for FSW and FST eligibility.
const (
	JobNone       JobOffer = "none"
	JobMajor00    JobOffer = "teer0_major00" // NOC TEER 0, major group 00 (senior management)
	JobOtherSkill JobOffer = "other"         // TEER 1, 2, 3, or TEER 0 outside major group 00
)

const (
	jobNone = iota
	jobMajor00
	jobOther
	numJobOffer
)

func (j JobOffer) index() int {
	switch j {
	case "", JobNone:
		return jobNone
	case JobMajor00:
		return jobMajor00
	case JobOtherSkill:
		return jobOther
	}
	return -1
}

// CanadianStudy is the post-secondary credential earned in Canada.
type CanadianStudy string

// Canadian study kinds ("" is none).
const (
	StudyNone      CanadianStudy = "none"
	StudyOneOrTwo  CanadianStudy = "one_or_two_year"
	StudyThreePlus CanadianStudy = "three_year_plus" // or master's, professional, doctoral
)

const (
	studyNone = iota
	studyOneOrTwo
	studyThreePlus
	numCanadianStudy
)

func (c CanadianStudy) index() int {
	switch c {
	case "", StudyNone:
		return studyNone
	case StudyOneOrTwo:
		return studyOneOrTwo
	case StudyThreePlus:
		return studyThreePlus
	}
	return -1
}

// Date is a calendar date, written YYYY-MM-DD in JSON. The zero Date is
// absent.
type Date struct {
	time.Time
	bad string // the JSON text when it was not a date (reported by Validate)
}

// NewDate returns the date y-m-d (00:00 UTC).
func NewDate(y int, m time.Month, d int) Date { return Date{Time: day(y, m, d)} }

// MustDate parses "YYYY-MM-DD" and panics on error (for literals in code
// and tests).
func MustDate(s string) Date {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return Date{Time: t}
}

// UnmarshalJSON reads "YYYY-MM-DD". It does not fail: a malformed date is
// kept and reported by Validate, which can name the field (encoding/json
// does not name it for errors of custom unmarshalers).
func (d *Date) UnmarshalJSON(b []byte) error {
	*d = Date{}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		d.bad = string(b)
		return nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		d.bad = strconv.Quote(s)
		return nil
	}
	d.Time = t
	return nil
}

// check reports a malformed date.
func (d Date) check(field string) error {
	if d.bad != "" {
		return fieldErr(field, "want a date YYYY-MM-DD, got %s", d.bad)
	}
	return nil
}

// MarshalJSON writes "YYYY-MM-DD".
func (d Date) MarshalJSON() ([]byte, error) {
	return []byte(`"` + d.Format(time.DateOnly) + `"`), nil
}

// FieldError is an invalid or out-of-range profile field.
type FieldError struct {
	File  string // the profile file, when read from one
	Field string // JSON path, e.g. "first_language.reading"
	Msg   string
}

func (e *FieldError) Error() string {
	if e.File != "" {
		return fmt.Sprintf("%s: %s: %s", e.File, e.Field, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.Field, e.Msg)
}

func fieldErr(field, format string, args ...any) *FieldError {
	return &FieldError{Field: field, Msg: fmt.Sprintf(format, args...)}
}

// Bounds on plain numbers, to catch typos.
const (
	maxAgeInput   = 120
	maxWorkYears  = 60
	maxCLB        = 12 // CLB and NCLC levels run 1-12
	maxCELPIP     = 12
	maxIELTS      = 9.0
	maxTEF        = 699 // TEF Canada from 2023-12-10, every ability
	maxTCFRL      = 699 // TCF Canada reading and listening
	maxTCFWS      = 20  // TCF Canada writing and speaking
	maxOldTEFRead = 300 // TEF Canada before 2023-12-10
	maxOldTEFList = 360
	maxOldTEFWS   = 450
)

// Validate checks every field and returns a *FieldError naming the first
// invalid one. Dates in the future are allowed (Score decides what they
// mean on a given date).
func (p *Profile) Validate() error {
	if err := p.BirthDate.check("birth_date"); err != nil {
		return err
	}
	if p.BirthDate.IsZero() && p.Age == nil {
		return fieldErr("birth_date", "required (or give age)")
	}
	if !p.BirthDate.IsZero() && p.Age != nil {
		return fieldErr("age", "give birth_date or age, not both")
	}
	if p.Age != nil && (*p.Age < 0 || *p.Age > maxAgeInput) {
		return fieldErr("age", "%d is out of range 0-%d", *p.Age, maxAgeInput)
	}
	if p.Education == "" {
		return fieldErr("education", "required (one of %s)", educationList())
	}
	if p.Education.index() < 0 {
		return fieldErr("education", "unknown level %q (want one of %s)", string(p.Education), educationList())
	}
	if p.FirstLanguage == nil {
		return fieldErr("first_language", "required")
	}
	if err := p.FirstLanguage.validate("first_language"); err != nil {
		return err
	}
	if p.SecondLanguage != nil {
		if err := p.SecondLanguage.validate("second_language"); err != nil {
			return err
		}
		if p.SecondLanguage.Test.French() == p.FirstLanguage.Test.French() {
			return fieldErr("second_language.test", "%s is in the same official language as first_language (%s)", p.SecondLanguage.Test, p.FirstLanguage.Test)
		}
	}
	if err := checkYears("canadian_work_years", p.CanadianWorkYears); err != nil {
		return err
	}
	if err := checkYears("foreign_work_years", p.ForeignWorkYears); err != nil {
		return err
	}
	if s := p.Spouse; s != nil {
		if s.Scored() || s.Education != "" {
			if s.Education == "" {
				return fieldErr("spouse.education", "required for an accompanying spouse who is not a Canadian citizen or PR")
			}
			if s.Education.index() < 0 {
				return fieldErr("spouse.education", "unknown level %q (want one of %s)", string(s.Education), educationList())
			}
		}
		if s.FirstLanguage != nil {
			if err := s.FirstLanguage.validate("spouse.first_language"); err != nil {
				return err
			}
		}
		if err := checkYears("spouse.canadian_work_years", s.CanadianWorkYears); err != nil {
			return err
		}
	}
	if p.JobOffer.index() < 0 {
		return fieldErr("job_offer", "unknown value %q (want none, teer0_major00 or other)", string(p.JobOffer))
	}
	if p.CanadianStudy.index() < 0 {
		return fieldErr("canadian_study", "unknown value %q (want none, one_or_two_year or three_year_plus)", string(p.CanadianStudy))
	}
	for i, c := range p.Categories {
		if !validKey(c) {
			return fieldErr(fmt.Sprintf("categories[%d]", i), "%q is not a category key (lowercase letters, digits and _ , e.g. \"healthcare\")", c)
		}
	}
	for i, s := range p.Programs {
		if programBit(s) == 0 {
			return fieldErr(fmt.Sprintf("programs[%d]", i), "unknown program %q (want CEC, FSW or FST)", s)
		}
	}
	return nil
}

func educationList() string {
	var b strings.Builder
	for i, e := range educations {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(string(e))
	}
	return b.String()
}

func checkYears(field string, y int) error {
	if y < 0 || y > maxWorkYears {
		return fieldErr(field, "%d is out of range 0-%d", y, maxWorkYears)
	}
	return nil
}

func validKey(s string) bool {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}

// tefScaleChange is the first date of TEF Canada results on the 0-699
// scale (IRCC language-test equivalency charts: "TEF Canada: test results
// from December 10, 2023 onwards").
var tefScaleChange = day(2023, time.December, 10)

func (l *Language) validate(field string) error {
	if l.TestDate.bad != "" { // (no eager concatenation: Score must not allocate)
		return l.TestDate.check(field + ".test_date")
	}
	if !l.Test.valid() {
		if l.Test == "" {
			return fieldErr(field+".test", "required (CLB, NCLC, IELTS, CELPIP, TEF or TCF)")
		}
		return fieldErr(field+".test", "unknown test %q (want CLB, NCLC, IELTS, CELPIP, TEF or TCF)", string(l.Test))
	}
	if l.Test == TEF && l.TestDate.IsZero() {
		return fieldErr(field+".test_date", "required for TEF (its score scale changed on 2023-12-10)")
	}
	abilities := [4]struct {
		name string
		v    float64
	}{{"reading", l.Reading}, {"writing", l.Writing}, {"speaking", l.Speaking}, {"listening", l.Listening}}
	for _, a := range abilities {
		max, step := 0.0, 1.0
		switch l.Test {
		case CLB, NCLC:
			max = maxCLB
		case CELPIP:
			max = maxCELPIP
		case IELTS:
			max, step = maxIELTS, 0.5
		case TEF:
			max = maxTEF
			if l.TestDate.Before(tefScaleChange) {
				switch a.name {
				case "reading":
					max = maxOldTEFRead
				case "listening":
					max = maxOldTEFList
				default:
					max = maxOldTEFWS
				}
			}
		case TCF:
			max = maxTCFRL
			if a.name == "writing" || a.name == "speaking" {
				max = maxTCFWS
			}
		}
		if a.v < 0 || a.v > max || math.IsNaN(a.v) {
			return fieldErr(field+"."+a.name, "%s %g is out of range 0-%g", l.Test, a.v, max)
		}
		if r := a.v / step; r != math.Trunc(r) {
			if step == 0.5 {
				return fieldErr(field+"."+a.name, "%s %g is not a band (0-9 in steps of 0.5)", l.Test, a.v)
			}
			return fieldErr(field+"."+a.name, "%s %g is not a whole number", l.Test, a.v)
		}
	}
	return nil
}

// DecodeProfile reads one profile from JSON, rejecting unknown fields, and
// validates it. Errors are *FieldError where a field is to blame, and
// never show Go type names or time layouts.
func DecodeProfile(r io.Reader) (*Profile, error) {
	b, err := io.ReadAll(io.LimitReader(r, data.MaxInputBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read profile: %w", err)
	}
	if len(b) > data.MaxInputBytes {
		return nil, fmt.Errorf("larger than %d MB: not a profile (docs/limits.md)", data.MaxInputBytes>>20)
	}
	// submitted is read here, so that a bad time names its field.
	type plain Profile
	var p Profile
	aux := struct {
		*plain
		Submitted json.RawMessage `json:"submitted,omitempty"`
	}{plain: (*plain)(&p)}
	if err := data.DecodeJSON(b, &aux); err != nil {
		return nil, jsonFieldError(err)
	}
	if s := aux.Submitted; len(s) > 0 && string(s) != "null" {
		var text string
		if err := json.Unmarshal(s, &text); err != nil {
			return nil, fieldErr("submitted", "want a time in quotes such as \"2025-03-01T09:00:00Z\", found %s", abbrev(string(s)))
		}
		t, err := time.Parse(time.RFC3339, text)
		if err != nil {
			return nil, fieldErr("submitted", "want a time such as 2025-03-01T09:00:00Z (RFC 3339), found %q", abbrev(text))
		}
		p.Submitted = t
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return &p, nil
}

// abbrev shortens s for a message.
func abbrev(s string) string {
	if len(s) > 40 {
		return s[:37] + "..."
	}
	return s
}

// jsonFieldError turns a data.JSONError into a FieldError where it names
// a field.
func jsonFieldError(err error) error {
	var je *data.JSONError
	if errors.As(err, &je) && je.Field != "" {
		msg := je.Msg
		if je.Line > 0 {
			msg = fmt.Sprintf("%s (line %d)", msg, je.Line)
		}
		// The decoder names the fields of DecodeProfile's embedded
		// struct after its Go name.
		return &FieldError{Field: strings.TrimPrefix(je.Field, "plain."), Msg: msg}
	}
	return err
}

// LoadProfile reads and validates the profile in the JSON file at path.
// Errors name the file (and the field, as a *FieldError, where one is to
// blame).
func LoadProfile(path string) (*Profile, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read profile: %w", err)
	}
	p, err := DecodeProfile(bytes.NewReader(b))
	if err != nil {
		var fe *FieldError
		if errors.As(err, &fe) {
			fe.File = path
			return nil, fe
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return p, nil
}
