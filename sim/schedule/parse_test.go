package schedule

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/eesim/eesim/data"
	"github.com/eesim/eesim/internal/msgcheck"
)

var scheduleStart = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func at(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, time.UTC)
}

// exampleSchedule is testdata/schedule/example.{csv,json} written out by
// hand: bare dates are 14:00 UTC; category rounds default to FSW+CEC+FST;
// general rounds have all four programs.
var exampleSchedule = []ScheduledRound{
	{Instant: at(2026, 1, 12, 14, 0), Type: data.Program, Programs: data.PNP, Size: 400},
	{Instant: at(2026, 1, 13, 15, 10), Type: data.Program, Programs: data.CEC, Size: 3000},
	{Instant: at(2026, 1, 14, 14, 0), Type: data.Category, Programs: data.Federal, CategoryKey: "french", Version: "2026-2", Size: 6000},
	{Instant: at(2026, 1, 26, 14, 0), Type: data.Program, Programs: data.PNP, Size: 350},
	{Instant: at(2026, 1, 27, 14, 0), Type: data.Program, Programs: data.CEC | data.FSW, Size: 2500},
	{Instant: at(2026, 1, 28, 14, 0), Type: data.Category, Programs: data.Federal, CategoryKey: "healthcare", Version: "2026-3", Size: 2500},
	{Instant: at(2026, 2, 4, 14, 0), Type: data.General, Programs: data.AllPrograms, Size: 4000},
	{Instant: at(2026, 2, 5, 14, 0), Type: data.Category, Programs: data.CEC, CategoryKey: "arts_occupations", Version: "1", Size: 500},
}

func TestLoadScheduleExamples(t *testing.T) {
	for _, name := range []string{"example.csv", "example.json"} {
		t.Run(name, func(t *testing.T) {
			got, err := LoadSchedule(filepath.Join("testdata", "schedule", name), scheduleStart)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, exampleSchedule) {
				t.Errorf("got\n%v\nwant\n%v", got, exampleSchedule)
			}
			wantFam := []string{"pnp", "cec", "french", "pnp", "program:cec+fsw", "healthcare", "general", "arts_occupations"}
			for i, r := range got {
				if r.Family() != wantFam[i] {
					t.Errorf("round %d: family %q, want %q", i, r.Family(), wantFam[i])
				}
			}
		})
	}
}

func TestParseScheduleSortsStably(t *testing.T) {
	// Lines out of order; the two 2026-03-03 rounds share an instant and
	// must keep the file's order (fsw before fst).
	in := "size,type,date\n5,fsw,2026-03-03\n1,cec,2026-03-04\n7,fst,2026-03-03T14:00:00+00:00\n2,pnp,2026-03-02T23:00:00-05:00\n"
	got, err := ParseSchedule(strings.NewReader(in), "s.csv", scheduleStart, "")
	if err != nil {
		t.Fatal(err)
	}
	// 2026-03-02T23:00-05:00 is 2026-03-03T04:00Z, the earliest.
	want := []string{"pnp", "fsw", "fst", "cec"}
	for i, r := range got {
		if r.Family() != want[i] {
			t.Fatalf("order %v, want %v", got, want)
		}
	}
	if !got[0].Instant.Equal(at(2026, 3, 3, 4, 0)) || got[0].Instant.Location() != time.UTC {
		t.Errorf("RFC 3339 offset: got %v, want 2026-03-03T04:00Z in UTC", got[0].Instant)
	}
}

func TestParseScheduleAccepts(t *testing.T) {
	for _, tc := range []struct {
		name, row string
		want      ScheduledRound
	}{
		{"upper case type and programs", "2026-02-02,CEC,cec,,,1", ScheduledRound{Instant: at(2026, 2, 2, 14, 0), Type: data.Program, Programs: data.CEC, Size: 1}},
		{"program list shortcut", "2026-02-02,program:fsw+cec,,,,10", ScheduledRound{Instant: at(2026, 2, 2, 14, 0), Type: data.Program, Programs: data.CEC | data.FSW, Size: 10}},
		{"category shortcut for a new key", "2026-02-02,category:arts,,,,10", ScheduledRound{Instant: at(2026, 2, 2, 14, 0), Type: data.Category, Programs: data.Federal, CategoryKey: "arts", Size: 10}},
		{"general with programs", `2026-02-02,general,CEC,,,"1,000"`, ScheduledRound{Instant: at(2026, 2, 2, 14, 0), Type: data.General, Programs: data.AllPrograms, Size: 1000}},
		{"known key with agreeing category", "2026-02-02,stem,,stem,,12345", ScheduledRound{Instant: at(2026, 2, 2, 14, 0), Type: data.Category, Programs: data.Federal, CategoryKey: "stem", Size: 12345}},
		{"start instant itself", "2026-01-01T00:00:00Z,pnp,,,,5", ScheduledRound{Instant: scheduleStart, Type: data.Program, Programs: data.PNP, Size: 5}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := "date,type,programs,category,version,size\n" + tc.row + "\n"
			got, err := ParseSchedule(strings.NewReader(in), "s.csv", scheduleStart, "csv")
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, []ScheduledRound{tc.want}) {
				t.Errorf("got %+v, want %+v", got[0], tc.want)
			}
		})
	}
}

func TestParseScheduleErrors(t *testing.T) {
	const hdr = "date,type,programs,category,version,size\n"
	for _, tc := range []struct {
		name, format, in string
		line, round      int
		field, msg       string
	}{
		{"negative size", "csv", hdr + "2026-01-07,cec,,,,-5\n", 2, 0, "size", "negative size -5"},
		{"zero size", "csv", hdr + "2026-01-07,cec,,,,0\n", 2, 0, "size", "must be positive"},
		{"bad separators", "csv", hdr + "2026-01-07,cec,,,,\"30,00\"\n", 2, 0, "size", "bad size"},
		{"huge size", "csv", hdr + "2026-01-07,cec,,,,99999999999999999999999\n", 2, 0, "size", "too large"},
		{"missing size", "csv", hdr + "2026-01-07,cec,,,,\n", 2, 0, "size", "missing"},
		{"unknown type", "csv", hdr + "2026-01-07,cec,,,,1\n2026-01-08,lottery,,,,1\n", 3, 0, "type", `unknown round type "lottery"`},
		{"unknown type with symbols", "csv", hdr + "2026-01-07,fr-ench!,,,,1\n", 2, 0, "type", "unknown round type"},
		{"bad category key", "csv", hdr + "2026-01-07,category,,Arts Jobs,,1\n", 2, 0, "category", "bad category key"},
		{"category missing", "csv", hdr + "2026-01-07,category,,,,1\n", 2, 0, "category", "missing"},
		{"programs missing", "csv", hdr + "2026-01-07,program,,,,1\n", 2, 0, "programs", "missing"},
		{"unknown program", "csv", hdr + "2026-01-07,program,CEC+EXP,,,1\n", 2, 0, "programs", `unknown program "EXP"`},
		{"program disagrees", "csv", hdr + "2026-01-07,cec,FSW,,,1\n", 2, 0, "programs", "disagrees"},
		{"category disagrees", "csv", hdr + "2026-01-07,french,,stem,,1\n", 2, 0, "category", "disagrees"},
		{"version on program round", "csv", hdr + "2026-01-07,pnp,,,2,1\n", 2, 0, "version", "category rounds only"},
		{"date before start", "csv", hdr + "2025-12-31,cec,,,,1\n", 2, 0, "date", "before the start"},
		{"bad date", "csv", hdr + "2026-02-30,cec,,,,1\n", 2, 0, "date", "bad date"},
		{"too few fields", "csv", hdr + "2026-01-07,cec,,,1\n", 2, 0, "", "malformed line: 5 fields, the header has 6"},
		{"bad quoting", "csv", hdr + "2026-01-07,cec,,,,\"1\"0\n", 2, 0, "", "malformed CSV"},
		{"line after comment", "csv", "# c\n" + hdr + "\n2026-01-07,xx!,,,,1\n", 4, 0, "type", "unknown round type"},
		{"unknown column", "csv", "date,type,size,colour\n", 1, 0, "colour", "unknown column"},
		{"missing column", "csv", "date,type\n2026-01-07,cec\n", 1, 0, "size", "required column missing"},
		{"empty csv", "csv", "", 0, 0, "", "empty schedule"},
		{"header only", "csv", hdr, 0, 0, "", "empty schedule"},
		{"json negative size", "json", "{\"rounds\":[\n {\"date\":\"2026-01-07\",\"type\":\"cec\",\"size\":3000},\n {\"date\":\"2026-01-08\",\"type\":\"cec\",\n  \"size\":-1}]}", 3, 2, "size", "negative size -1"},
		{"json unknown type", "json", `{"rounds":[{"date":"2026-01-07","type":"lottery","size":1}]}`, 1, 1, "type", "unknown round type"},
		{"json unknown field", "json", "{\"rounds\":[\n\n{\"date\":\"2026-01-07\",\"type\":\"cec\",\"sise\":1}]}", 3, 1, "sise", "unknown field"},
		{"json wrong type", "json", `{"rounds":[{"date":20260107,"type":"cec","size":1}]}`, 1, 1, "date", "want text in quotes, found a number"},
		{"json empty", "json", `{"rounds":[]}`, 0, 0, "", "empty schedule"},
		{"json no rounds", "json", `{}`, 0, 0, "rounds", "missing"},
		{"json not an object", "json", `[1]`, 1, 0, "", "not a schedule"},
		{"json syntax", "json", "{\"rounds\":[\n{\"date\":}]}", 2, 0, "", "invalid JSON"},
		{"json truncated", "json", "{\"rounds\":[\n{\"date\":\"2026-01-07\"", 2, 0, "", "invalid JSON"},
		{"unknown format", "xml", "<x/>", 0, 0, "", "unknown schedule format"},
		{"date past 2099", "csv", hdr + "2100-01-07,cec,,,,1\n", 2, 0, "date", "2100-01-07 is out of range: want a date up to 2099-12-31"},
		{"json trailing text", "json", `{"rounds":[{"date":"2026-01-07","type":"cec","size":1}]} x`, 1, 0, "", "invalid JSON"},
		{"too many rounds", "csv", hdr + strings.Repeat("2026-01-07,cec,,,,1\n", MaxRounds+1), MaxRounds + 2, 0, "", "more than 5000 rounds"},
		{"too large", "csv", hdr + strings.Repeat("#", data.MaxInputBytes), 0, 0, "", "larger than 16 MB"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseSchedule(strings.NewReader(tc.in), "dir/plan."+tc.format, scheduleStart, tc.format)
			var se *ScheduleError
			if !errors.As(err, &se) {
				t.Fatalf("got %v, %v; want a *ScheduleError", got, err)
			}
			if se.Line != tc.line || se.Round != tc.round || se.Field != tc.field || !strings.Contains(se.Msg, tc.msg) {
				t.Errorf("got line %d round %d field %q msg %q;\nwant line %d round %d field %q msg containing %q",
					se.Line, se.Round, se.Field, se.Msg, tc.line, tc.round, tc.field, tc.msg)
			}
			if !strings.HasPrefix(err.Error(), "plan."+tc.format) {
				t.Errorf("message %q does not name the file", err)
			}
		})
	}
}

func TestScheduleErrorMessage(t *testing.T) {
	e := &ScheduleError{File: "/x/plan.json", Line: 7, Round: 3, Field: "size", Msg: "negative size -1"}
	if got, want := e.Error(), "plan.json:7: round 3: size: negative size -1"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	e = &ScheduleError{File: "plan.csv", Line: 4, Field: "type", Msg: "m"}
	if got, want := e.Error(), "plan.csv:4: type: m"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestLoadScheduleMissingFile(t *testing.T) {
	_, err := LoadSchedule(filepath.Join(t.TempDir(), "none.csv"), scheduleStart)
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("got %v, want a wrapped not-exist error", err)
	}
}

// FuzzParseSchedule checks that the parser never panics and that what it
// accepts satisfies the documented invariants. Seed corpus:
// testdata/fuzz/FuzzParseSchedule.
func FuzzParseSchedule(f *testing.F) {
	for _, name := range []string{"example.csv", "example.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", "schedule", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, strings.TrimPrefix(filepath.Ext(name), "."))
	}
	f.Fuzz(func(t *testing.T, in []byte, format string) {
		got, err := ParseSchedule(strings.NewReader(string(in)), "fuzz-input", scheduleStart, format)
		if err != nil {
			var se *ScheduleError
			if !errors.As(err, &se) {
				t.Fatalf("error %v is not a *ScheduleError", err)
			}
			// The field may be the input's own key (an unknown field):
			// only the message proper is eesim's.
			if in := msgcheck.GoInternals(se.Msg); in != nil {
				t.Fatalf("message %q shows Go internals: %v", err, in)
			}
			return
		}
		if len(got) == 0 {
			t.Fatal("no error and no rounds")
		}
		for i, r := range got {
			if r.Size <= 0 || r.Size > MaxScheduleSize {
				t.Errorf("round %d: size %d", i, r.Size)
			}
			if r.Instant.Before(scheduleStart) || r.Instant.Location() != time.UTC {
				t.Errorf("round %d: instant %v", i, r.Instant)
			}
			if i > 0 && r.Instant.Before(got[i-1].Instant) {
				t.Errorf("round %d: not sorted", i)
			}
			switch r.Type {
			case data.General:
				if r.Programs != data.AllPrograms || r.CategoryKey != "" {
					t.Errorf("round %d: general %+v", i, r)
				}
			case data.Program:
				if r.Programs == 0 || r.CategoryKey != "" || r.Version != "" {
					t.Errorf("round %d: program %+v", i, r)
				}
			case data.Category:
				if r.Programs == 0 || !categoryKeyRE.MatchString(r.CategoryKey) {
					t.Errorf("round %d: category %+v", i, r)
				}
			default:
				t.Errorf("round %d: type %v", i, r.Type)
			}
		}
	})
}

func ExampleParseSchedule() {
	const in = `date,type,programs,category,version,size
2026-01-13,cec,,,,"3,000"
2026-01-12T15:30:00Z,pnp,,,,400
2026-01-14,category,,french,2026-2,6000
`
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	rounds, err := ParseSchedule(strings.NewReader(in), "plan.csv", start, "csv")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range rounds {
		fmt.Println(r.Instant.Format(time.RFC3339), r.Family(), r.Programs, r.Size)
	}
	_, err = ParseSchedule(strings.NewReader("date,type,size\n2026-01-13,lottery,5\n"), "plan.csv", start, "csv")
	fmt.Println(err)
	// Output:
	// 2026-01-12T15:30:00Z pnp PNP 400
	// 2026-01-13T14:00:00Z cec CEC 3000
	// 2026-01-14T14:00:00Z french CEC+FSW+FST 6000
	// plan.csv:2: type: unknown round type "lottery" (want general, program, category, cec, fsw, fst, pnp, program:<programs>, a category key (french, healthcare, stem, trades, transport, agriculture, education, physicians, researchers, senior_managers, military) or category:<key>); for a new category write type category with category lottery
}
