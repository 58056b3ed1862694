package crs

import (
	"errors"
	"github.com/eesim/eesim/internal/msgcheck"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// validJSON is a complete valid profile; the cases below break one field.
const validJSON = `{
  "birth_date": "1995-06-15",
  "education": "masters",
  "first_language": {"test": "IELTS", "reading": 8, "writing": 7, "speaking": 7, "listening": 8.5, "test_date": "2025-01-20"},
  "second_language": {"test": "TCF", "reading": 500, "writing": 12, "speaking": 12, "listening": 510, "test_date": "2025-01-20"},
  "canadian_work_years": 1,
  "foreign_work_years": 3,
  "certificate_of_qualification": false,
  "spouse": {"accompanying": true, "canadian_or_pr": false, "education": "bachelors",
             "first_language": {"test": "CELPIP", "reading": 7, "writing": 7, "speaking": 7, "listening": 7},
             "canadian_work_years": 0},
  "provincial_nomination": false,
  "job_offer": "none",
  "canadian_study": "none",
  "sibling_in_canada": false,
  "submitted": "2025-03-01T14:05:00Z",
  "categories": ["stem"],
  "programs": ["CEC", "FSW"]
}`

func TestDecodeProfileValid(t *testing.T) {
	p, err := DecodeProfile(strings.NewReader(validJSON))
	if err != nil {
		t.Fatal(err)
	}
	if p.BirthDate.Format("2006-01-02") != "1995-06-15" || p.FirstLanguage.Listening != 8.5 ||
		p.Spouse.FirstLanguage.Test != CELPIP || p.Submitted.Hour() != 14 || p.Programs[1] != "FSW" {
		t.Errorf("decoded %+v", p)
	}
}

// TestDecodeProfileErrors: each broken field is named in a *FieldError.
func TestDecodeProfileErrors(t *testing.T) {
	for _, c := range []struct {
		name, old, new, field string
	}{
		{"CLB 13", `{"test": "IELTS", "reading": 8, "writing": 7, "speaking": 7, "listening": 8.5, "test_date": "2025-01-20"}`,
			`{"test": "CLB", "reading": 13, "writing": 7, "speaking": 7, "listening": 8}`, "first_language.reading"},
		{"age -1", `"birth_date": "1995-06-15"`, `"age": -1`, "age"},
		{"unknown education", `"education": "masters"`, `"education": "college"`, "education"},
		{"IELTS 9.5", `"listening": 8.5`, `"listening": 9.5`, "first_language.listening"},
		{"IELTS 7.25", `"speaking": 7,`, `"speaking": 7.25,`, "first_language.speaking"},
		{"missing birth_date and age", `"birth_date": "1995-06-15",`, ``, "birth_date"},
		{"both birth_date and age", `"birth_date": "1995-06-15",`, `"birth_date": "1995-06-15", "age": 30,`, "age"},
		{"bad birth_date", `"birth_date": "1995-06-15"`, `"birth_date": "15/06/1995"`, "birth_date"},
		{"bad test_date", `"listening": 8.5, "test_date": "2025-01-20"`, `"listening": 8.5, "test_date": "2025-13-01"`, "first_language.test_date"},
		{"unknown test", `"test": "IELTS"`, `"test": "TOEFL"`, "first_language.test"},
		{"TCF writing 21", `"writing": 12, "speaking": 12, "listening": 510`, `"writing": 21, "speaking": 12, "listening": 510`, "second_language.writing"},
		{"two English tests", `{"test": "TCF", "reading": 500, "writing": 12, "speaking": 12, "listening": 510, "test_date": "2025-01-20"}`,
			`{"test": "CLB", "reading": 8, "writing": 8, "speaking": 8, "listening": 8}`, "second_language.test"},
		{"CELPIP 13", `"test": "CELPIP", "reading": 7`, `"test": "CELPIP", "reading": 13`, "spouse.first_language.reading"},
		{"TEF without date", `{"test": "TCF", "reading": 500, "writing": 12, "speaking": 12, "listening": 510, "test_date": "2025-01-20"}`,
			`{"test": "TEF", "reading": 500, "writing": 500, "speaking": 500, "listening": 500}`, "second_language.test_date"},
		{"spouse education", `"education": "bachelors"`, `"education": "college"`, "spouse.education"},
		{"negative work", `"canadian_work_years": 1`, `"canadian_work_years": -2`, "canadian_work_years"},
		{"fractional work", `"foreign_work_years": 3`, `"foreign_work_years": 2.5`, "foreign_work_years"},
		{"job offer", `"job_offer": "none"`, `"job_offer": "teer1"`, "job_offer"},
		{"canadian study", `"canadian_study": "none"`, `"canadian_study": "phd"`, "canadian_study"},
		{"category key", `"categories": ["stem"]`, `"categories": ["stem", "Health Care"]`, "categories[1]"},
		{"program", `"programs": ["CEC", "FSW"]`, `"programs": ["CEC", "PNP"]`, "programs[1]"},
		{"unknown field", `"job_offer": "none"`, `"job_offer": "none", "jobs": 2`, "jobs"},
		{"string for number", `"canadian_work_years": 1`, `"canadian_work_years": "1"`, "canadian_work_years"},
		{"missing first language", `"first_language": {"test": "IELTS", "reading": 8, "writing": 7, "speaking": 7, "listening": 8.5, "test_date": "2025-01-20"},`, ``, "first_language"},
	} {
		t.Run(c.name, func(t *testing.T) {
			src := strings.Replace(validJSON, c.old, c.new, 1)
			if src == validJSON {
				t.Fatalf("case does not change the profile: %q not found", c.old)
			}
			_, err := DecodeProfile(strings.NewReader(src))
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("error = %v, want a *FieldError", err)
			}
			if fe.Field != c.field {
				t.Errorf("field = %q, want %q (error %v)", fe.Field, c.field, err)
			}
		})
	}
}

func TestLoadProfileNamesFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "me.json")
	if err := os.WriteFile(path, []byte(strings.Replace(validJSON, `"education": "masters"`, `"education": "college"`, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := LoadProfile(path)
	if err == nil || !strings.HasPrefix(err.Error(), path+": education: unknown level \"college\"") {
		t.Errorf("error = %v, want it to start with the file and field", err)
	}
	if _, err := LoadProfile(filepath.Join(dir, "none.json")); err == nil || !strings.Contains(err.Error(), "none.json") {
		t.Errorf("missing file: error = %v", err)
	}
	if err := os.WriteFile(path, []byte(validJSON), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadProfile(path); err != nil {
		t.Errorf("valid profile: %v", err)
	}
}

// FuzzDecodeProfile: decoding never panics, and an accepted profile
// scores without error on a date after every date in it (or fails only
// with a FieldError on birth_date).
func FuzzDecodeProfile(f *testing.F) {
	f.Add(validJSON)
	f.Add(`{"age": 30, "education": "phd", "first_language": {"test": "CLB", "reading": 9, "writing": 9, "speaking": 9, "listening": 9}}`)
	f.Add(`{}`)
	f.Fuzz(func(t *testing.T, s string) {
		p, err := DecodeProfile(strings.NewReader(s))
		if err != nil {
			// A field path may be the input's own key (an unknown field):
			// only the message proper is eesim's.
			msg := err.Error()
			var fe *FieldError
			if errors.As(err, &fe) {
				msg = fe.Msg
			}
			if in := msgcheck.GoInternals(msg); in != nil {
				t.Fatalf("message %q shows Go internals: %v", err, in)
			}
			return
		}
		_, err = Score(p, MustDate("2025-06-01").Time)
		var fe *FieldError
		if err != nil && !(errors.As(err, &fe) && fe.Field == "birth_date") {
			t.Errorf("valid profile fails to score: %v", err)
		}
	})
}
