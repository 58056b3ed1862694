package pathway

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestParseAbsenceNamed(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string // the absence as JSON, or the error's text
	}{
		{"from=2019-01-01,to=2020-01-01,country=FR,reason=canadian-employer", `{"from":"2019-01-01","to":"2020-01-01","country":"FR","reason":"canadian-employer"}`},
		{"from=2019-01-01", `{"from":"2019-01-01"}`},
		{"from=2019-01-01,to=", `{"from":"2019-01-01"}`},
		{" to = 2020-01-01 , from = 2019-01-01 ", `{"from":"2019-01-01","to":"2020-01-01"}`},
		// Several countries: repeated keys or ";", arrival days with "@".
		{"from=2019-01-01,to=2020-01-01,country=FR,country=DE@2019-07-01", `{"from":"2019-01-01","to":"2020-01-01","country":"FR;DE@2019-07-01"}`},
		{"from=2019-01-01,to=2020-01-01,country=FR;DE@2019-07-01;IT", `{"from":"2019-01-01","to":"2020-01-01","country":"FR;DE@2019-07-01;IT"}`},
		{"to=2020-01-01", "error: from: missing"},
		{"from=2019-01-01,from=2019-02-01", "error: from: given twice"},
		{"from=2019-01-01,reason=foreign-job", "error: reason: unknown \"foreign-job\""},
		{"from=2019-01-01,city=Paris", "error: unknown key \"city\""},
		{"from=2019-13-01", "error: from: date \"2019-13-01\": want YYYY-MM-DD"},
		{"from=2019-01-01,2020-01-01", "error: \"2020-01-01\": want key=value"},
		{"from=2019-01-01,country=DE@July", "error: country \"DE@July\": arrival date"},
	} {
		a, err := ParseAbsence(tc.in)
		if strings.HasPrefix(tc.want, "error: ") {
			if err == nil || !strings.Contains(err.Error(), strings.TrimPrefix(tc.want, "error: ")) {
				t.Errorf("%q: error %v, want %q", tc.in, err, tc.want)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tc.in, err)
			continue
		}
		b, _ := json.Marshal(a)
		if string(b) != tc.want {
			t.Errorf("%q: %s, want %s", tc.in, b, tc.want)
		}
	}
}

func TestParsePositional(t *testing.T) {
	for _, tc := range []struct {
		in    string
		third Third
		want  string
	}{
		{"2019-01-01:2020-01-01", ThirdReason, `{"from":"2019-01-01","to":"2020-01-01"}`},
		{"2019-01-01:", ThirdCountry, `{"from":"2019-01-01"}`},
		{"2019-01-01:2020-01-01:citizen-spouse", ThirdReason, `{"from":"2019-01-01","to":"2020-01-01","reason":"citizen-spouse"}`},
		{"2019-01-01:2020-01-01:FR", ThirdCountry, `{"from":"2019-01-01","to":"2020-01-01","country":"FR"}`},
		// The ambiguity of issue 18: a reason where citizenship reads a
		// country is refused, not taken as a country.
		{"2019-01-01:2020-01-01:canadian-employer", ThirdCountry, "error: ambiguous: the third field is a country here, but \"canadian-employer\" is a reason; write from=2019-01-01,to=2020-01-01,reason=canadian-employer"},
		{"2019-01-01:2020-01-01:FR", ThirdReason, "error: reason: unknown \"FR\""},
		{"2019-01-01", ThirdReason, "error: want from=DATE,to=DATE,country=C,reason=R (or DEPART:RETURN[:REASON])"},
	} {
		a, err := ParsePositional(tc.in, tc.third)
		if strings.HasPrefix(tc.want, "error: ") {
			if err == nil || !strings.Contains(err.Error(), strings.TrimPrefix(tc.want, "error: ")) {
				t.Errorf("%q: error %v, want %q", tc.in, err, tc.want)
			}
			continue
		}
		b, _ := json.Marshal(a)
		if err != nil || string(b) != tc.want {
			t.Errorf("%q: %s %v, want %s", tc.in, b, err, tc.want)
		}
	}
	if _, err := ParsePositional("2019-01-01:2020-01-01:armed-forces", ThirdCountry); !errors.Is(err, ErrAmbiguous) {
		t.Errorf("error %v does not wrap ErrAmbiguous", err)
	}
}

func TestAbsenceJSON(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`{"from": "2019-01-01", "to": "2019-02-01", "country": "FR", "reason": "armed-forces"}`, `{"from":"2019-01-01","to":"2019-02-01","country":"FR","reason":"armed-forces"}`},
		// The older names still read.
		{`{"depart": "2019-01-01", "return": "2019-02-01", "country": "FR", "exception": "citizen-spouse"}`, `{"from":"2019-01-01","to":"2019-02-01","country":"FR","reason":"citizen-spouse"}`},
		{`{"from": "2019-01-01", "country": ["FR", "DE@2019-01-10"]}`, `{"from":"2019-01-01","country":"FR;DE@2019-01-10"}`},
		{`{"from": "2019-01-01", "depart": "2019-01-01"}`, "error: give from or depart, not both"},
		{`{"to": "2019-01-01"}`, "error: from: missing"},
		{`{"from": "2019-01-01", "city": "Paris"}`, "error: unknown field \"city\""},
		{`{"from": "2019-01-01", "country": 33}`, "error: country: want a string or an array of strings"},
	} {
		var a Absence
		err := json.Unmarshal([]byte(tc.in), &a)
		if strings.HasPrefix(tc.want, "error: ") {
			if err == nil || !strings.Contains(err.Error(), strings.TrimPrefix(tc.want, "error: ")) {
				t.Errorf("%s: error %v, want %q", tc.in, err, tc.want)
			}
			continue
		}
		b, _ := json.Marshal(a)
		if err != nil || string(b) != tc.want {
			t.Errorf("%s: %s %v, want %s", tc.in, b, err, tc.want)
		}
	}
}

func TestReadTravel(t *testing.T) {
	csvIn := "from,to,country,reason\n" +
		"2019-01-01,2019-02-01,FR,\n" +
		"2019-03-01,,US;MX@2019-04-01,canadian-employer\n"
	abs, lines, err := ReadTravel(strings.NewReader(csvIn))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(abs)
	if want := `[{"from":"2019-01-01","to":"2019-02-01","country":"FR"},{"from":"2019-03-01","country":"US;MX@2019-04-01","reason":"canadian-employer"}]`; string(b) != want || len(lines) != 2 || lines[0] != 2 || lines[1] != 3 {
		t.Errorf("CSV: %s lines %v, want %s lines [2 3]", b, lines, want)
	}
	// Columns in any order, only from required.
	if abs, _, err := ReadTravel(strings.NewReader("to,from\n2019-02-01,2019-01-01\n")); err != nil || len(abs) != 1 || abs[0].Return == nil {
		t.Errorf("reordered columns: %v %v", abs, err)
	}
	jsonIn := `{"absences": [{"from": "2019-01-01", "to": "2019-02-01", "country": "FR"}]}`
	if abs, _, err := ReadTravel(strings.NewReader(jsonIn)); err != nil || len(abs) != 1 || abs[0].Legs[0].Country != "FR" {
		t.Errorf("JSON object: %v %v", abs, err)
	}
	if abs, _, err := ReadTravel(strings.NewReader(` [{"from": "2019-01-01"}]`)); err != nil || len(abs) != 1 {
		t.Errorf("JSON array: %v %v", abs, err)
	}
	for _, tc := range []struct{ in, want string }{
		{"", "line 1: empty file"},
		{"from,to,city\n", "line 1: unknown column \"city\""},
		{"to,country\n2019-01-01,FR\n", "line 1: no from column"},
		{"from,to\n2019-01-01,2019-02-01\n2019-03-01,2019-13-01\n", "line 3: to: date \"2019-13-01\""},
		{"from,to\n2019-01-01\n", "line 2: 1 fields, want 2"},
		{"from,to,reason\n2019-01-01,,holiday\n", "line 2: reason: unknown \"holiday\""},
		{`[{"from": "2019-01-01"}, {"to": "2019-01-01"}]`, "absences[2]: from: missing"},
		{`{"trips": []}`, "want [absences...] or {\"absences\": [...]}"},
	} {
		_, _, err := ReadTravel(strings.NewReader(tc.in))
		if err == nil || !strings.Contains(err.Error(), tc.want) || !errors.Is(err, ErrInput) {
			t.Errorf("%q: error %v, want %q (and ErrInput)", tc.in, err, tc.want)
		}
	}
}

func TestAtLine(t *testing.T) {
	abs, lines, err := ReadTravel(strings.NewReader("from,to\n2019-01-01,2019-03-01\n\n2019-02-01,2019-04-01\n"))
	if err != nil {
		t.Fatal(err)
	}
	err = AtLine(ValidateAbsences("absences", abs), lines)
	if err == nil || err.Error() != "line 4: from: 2019-02-01 overlaps absence 1 (line 2) (2019-01-01 to 2019-03-01)" {
		t.Errorf("error %v", err)
	}
}

func TestStays(t *testing.T) {
	ret := func(s string) *Date { x := d(s); return &x }
	// Away 2019-01-02..2019-12-31 (364 days): FR to 2019-06-30 (30+28+31+
	// 30+31+30 = 180 days), DE from 2019-07-01, the day of the move
	// included (31+31+30+31+30+31 = 184 days).
	a := Absence{Depart: d("2019-01-01"), Return: ret("2020-01-01"), Legs: []Leg{{Country: "FR"}, {Country: "DE", Arrived: ret("2019-07-01")}}}
	st, known := a.Stays(d("2030-01-01"))
	if !known || len(st) != 2 || st[0].Days() != 180 || st[1].Days() != 184 || st[1].First != d("2019-07-01") || st[1].Last != d("2019-12-31") {
		t.Errorf("stays %+v known %v, want FR 180 days and DE 184 days", st, known)
	}
	a.Legs[1].Arrived = nil
	if _, known := a.Stays(d("2030-01-01")); known {
		t.Error("a second country without its arrival day: split known, want unknown")
	}
	if st, known := (Absence{Depart: d("2019-01-01"), Return: ret("2019-01-02")}).Stays(d("2030-01-01")); !known || st != nil {
		t.Errorf("overnight trip: %v %v, want no stay", st, known)
	}
}

func FuzzParseAbsence(f *testing.F) {
	for _, s := range []string{"from=2019-01-01,to=2020-01-01,country=FR;DE@2019-07-01,reason=armed-forces", "2019-01-01:2020-01-01:FR", "from=,to=", "country=@"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseAbsence(s)
		if err != nil {
			return
		}
		// What parses writes back as JSON that reads to the same absence.
		b, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		var back Absence
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		if b2, _ := json.Marshal(back); string(b2) != string(b) {
			t.Fatalf("round trip %s -> %s", b, b2)
		}
		_, _ = ParsePositional(s, ThirdCountry)
	})
}

func FuzzReadTravel(f *testing.F) {
	for _, s := range []string{"from,to,country,reason\n2019-01-01,2019-02-01,FR,\n", `[{"from": "2019-01-01"}]`, `{"absences": []}`, "from\n\"x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		abs, lines, err := ReadTravel(strings.NewReader(s))
		if err != nil {
			if !errors.Is(err, ErrInput) {
				var se *json.SyntaxError
				if !errors.As(err, &se) {
					t.Fatalf("error %v is not bad input", err)
				}
			}
			return
		}
		if len(lines) != len(abs) {
			t.Fatalf("%d absences, %d lines", len(abs), len(lines))
		}
		_ = AtLine(ValidateAbsences("absences", abs), lines)
	})
}
