package nseoi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/eesim/eesim/pathway"
	"github.com/eesim/eesim/pool/crs"
)

// Language is one official-language result of an EOI profile, in either
// of two forms:
//
//   - CLB levels given directly, the four abilities in the order
//     listening, reading, writing, speaking: [9, 8, 7, 9];
//   - a test result as eesim crs takes it: {"test": "IELTS", "reading":
//     6.5, "writing": 6, "speaking": 7, "listening": 8, "test_date":
//     "2025-01-15"}, with test CLB, NCLC, IELTS, CELPIP, TEF or TCF. Raw
//     scores are converted with IRCC's equivalency charts in pool/crs
//     (crs.ToCLB), the same conversion as the CRS.
//
// The zero value is no result.
type Language struct {
	Levels *[4]int       // listening, reading, writing, speaking
	Test   *crs.Language // raw test scores
	// given is the length of a list of levels that is not 4, kept for
	// validateLanguages to report with the field's name (encoding/json
	// does not name the field of a custom unmarshaler's error).
	given int
}

// Given reports whether l holds a result.
func (l Language) Given() bool { return l.Levels != nil || l.Test != nil }

// CLB returns the CLB (or NCLC) levels in the order listening, reading,
// writing, speaking; zeros when no result is given. A converted result
// under CLB 4 is 0 (crs.ToCLB).
func (l Language) CLB() [4]int {
	switch {
	case l.Levels != nil:
		return *l.Levels
	case l.Test != nil:
		v := l.Test.Levels()
		return [4]int{v[crs.Listening], v[crs.Reading], v[crs.Writing], v[crs.Speaking]}
	}
	return [4]int{}
}

// Raw returns the score of ability i (0 listening, 1 reading, 2 writing,
// 3 speaking) as written in a test result, "" for CLB levels.
func (l Language) Raw(i int) string {
	if l.Test == nil || l.Test.Test == crs.CLB || l.Test.Test == crs.NCLC {
		return ""
	}
	v := [4]float64{l.Test.Listening, l.Test.Reading, l.Test.Writing, l.Test.Speaking}[i]
	return fmt.Sprintf("%s %g", l.Test.Test, v)
}

// TestDate returns the date of a test result, nil if not given.
func (l Language) TestDate() *pathway.Date {
	if l.Test == nil || l.Test.TestDate.IsZero() {
		return nil
	}
	d := pathway.FromTime(l.Test.TestDate.Time)
	return &d
}

// UnmarshalJSON reads an array of four CLB levels, a test result object,
// or null.
func (l *Language) UnmarshalJSON(b []byte) error {
	*l = Language{}
	t := bytes.TrimSpace(b)
	switch {
	case len(t) == 0 || string(t) == "null":
		return nil
	case t[0] == '[':
		// A list, not [4]int: encoding/json fills a short list's missing
		// abilities with CLB 0.
		var v []int
		if err := json.Unmarshal(t, &v); err != nil {
			return fmt.Errorf("want four CLB levels [listening, reading, writing, speaking] or a test result {\"test\": ...}: %v", err)
		}
		if len(v) != 4 {
			l.given = len(v)
			return nil
		}
		l.Levels = &[4]int{v[0], v[1], v[2], v[3]}
		return nil
	case t[0] == '{':
		var v crs.Language
		dec := json.NewDecoder(bytes.NewReader(t))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&v); err != nil {
			return fmt.Errorf("test result: %v (fields test, reading, writing, speaking, listening, test_date)", err)
		}
		l.Test = &v
		return nil
	}
	return fmt.Errorf("want four CLB levels [listening, reading, writing, speaking] or a test result {\"test\": ...}, got %s", t)
}

// MarshalJSON writes the form the result was given in.
func (l Language) MarshalJSON() ([]byte, error) {
	switch {
	case l.Levels != nil:
		return json.Marshal(l.Levels)
	case l.Test != nil:
		return json.Marshal(l.Test)
	}
	return []byte("null"), nil
}

// validateLanguages checks the results: CLB levels 0-12, and test scores
// with the CRS's own checks (crs.Profile.Validate: the range and step of
// each test, TEF's test date, a second language in the other official
// language), so that ns-eoi accepts exactly the scores crs accepts.
func validateLanguages(first, second Language) error {
	for _, x := range []struct {
		name string
		l    Language
	}{{"first_language", first}, {"second_language", second}} {
		if x.l.given != 0 {
			return fmt.Errorf("%s: %d CLB levels given, want 4 [listening, reading, writing, speaking]", x.name, x.l.given)
		}
		if x.l.Levels == nil {
			continue
		}
		for i, v := range x.l.Levels {
			if v < 0 || v > 12 {
				return fmt.Errorf("%s[%d]: CLB %d out of range 0-12", x.name, i, v)
			}
		}
	}
	// A throwaway CRS profile carries the results through the CRS's
	// validation; its other fields are placeholders that pass.
	age := 30
	p := crs.Profile{Age: &age, Education: crs.EduSecondary}
	switch {
	case first.Test != nil:
		p.FirstLanguage, p.SecondLanguage = first.Test, second.Test
	case second.Test != nil:
		p.FirstLanguage = second.Test
	default:
		return nil
	}
	err := p.Validate()
	var fe *crs.FieldError
	if errors.As(err, &fe) && first.Test == nil {
		fe.Field = "second_language" + strings.TrimPrefix(fe.Field, "first_language")
	}
	return err
}
