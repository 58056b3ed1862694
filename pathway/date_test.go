package pathway

import (
	"errors"
	"strings"
	"testing"
)

func d(s string) Date { return MustDate(s) }

func TestAddYearsFeb29(t *testing.T) {
	for _, tc := range []struct {
		in   string
		n    int
		want string
	}{
		{"2024-02-29", -5, "2019-02-28"}, // 2019 has no Feb 29: clamp, never spill into March
		{"2024-02-29", -4, "2020-02-29"},
		{"2020-02-29", 1, "2021-02-28"},
		{"2023-03-01", -5, "2018-03-01"},
		{"2024-12-31", -5, "2019-12-31"},
	} {
		if got := d(tc.in).AddYears(tc.n).String(); got != tc.want {
			t.Errorf("%s.AddYears(%d) = %s, want %s", tc.in, tc.n, got, tc.want)
		}
	}
}

func TestWindowStartAndLength(t *testing.T) {
	// 5-year windows: 5*365 days plus one per Feb 29 inside.
	for _, tc := range []struct {
		end, start string
		days       int
	}{
		{"2024-02-29", "2019-03-01", 1827}, // holds 2020-02-29 and 2024-02-29
		{"2024-02-28", "2019-03-01", 1826}, // holds 2020-02-29 only
		{"2024-03-01", "2019-03-02", 1827},
		{"2023-06-30", "2018-07-01", 1826}, // holds 2020-02-29
		{"2019-12-31", "2015-01-01", 1826}, // holds 2016-02-29
	} {
		s := d(tc.end).WindowStart(5)
		if s.String() != tc.start {
			t.Errorf("WindowStart(%s) = %s, want %s", tc.end, s, tc.start)
		}
		if n := int(d(tc.end)-s) + 1; n != tc.days {
			t.Errorf("window ending %s: %d days, want %d", tc.end, n, tc.days)
		}
	}
}

func TestAgeOn(t *testing.T) {
	for _, tc := range []struct {
		born, on string
		want     int
	}{
		{"2000-05-10", "2018-05-09", 17},
		{"2000-05-10", "2018-05-10", 18},
		{"2000-02-29", "2018-02-27", 17},
		{"2000-02-29", "2018-02-28", 18}, // AddYears convention for Feb 29 births
	} {
		if got := d(tc.born).AgeOn(d(tc.on)); got != tc.want {
			t.Errorf("born %s, age on %s = %d, want %d", tc.born, tc.on, got, tc.want)
		}
	}
}

func TestAbsentDaysConvention(t *testing.T) {
	// IRCC physical presence calculator: July 1 to July 15 is 13 days absent;
	// a same-day trip is 0 days absent.
	r := d("2023-07-15")
	f, l, ok := Absence{Depart: d("2023-07-01"), Return: &r}.AbsentDays(d("2030-01-01"))
	if !ok || int(l-f)+1 != 13 || f != d("2023-07-02") || l != d("2023-07-14") {
		t.Errorf("Jul 1-15: %s..%s ok=%v, want 2023-07-02..2023-07-14 (13 days)", f, l, ok)
	}
	same := d("2023-07-01")
	if _, _, ok := (Absence{Depart: same, Return: &same}).AbsentDays(d("2030-01-01")); ok {
		t.Error("same-day trip has absent days, want none")
	}
	// Next-day return: 0 days absent either.
	next := d("2023-07-02")
	if _, _, ok := (Absence{Depart: same, Return: &next}).AbsentDays(d("2030-01-01")); ok {
		t.Error("overnight trip has absent days, want none")
	}
	// Open absence counts up to and including the given day.
	f, l, ok = Absence{Depart: d("2023-07-01")}.AbsentDays(d("2023-07-10"))
	if !ok || f != d("2023-07-02") || l != d("2023-07-10") {
		t.Errorf("open absence: %s..%s, want 2023-07-02..2023-07-10", f, l)
	}
}

func TestValidateAbsences(t *testing.T) {
	ret := func(s string) *Date { x := d(s); return &x }
	asOf := d("2024-01-01")
	for _, tc := range []struct {
		name string
		abs  []Absence
		want string // substring of the error; "" for none
	}{
		{"ok touching", []Absence{{Depart: d("2020-01-01"), Return: ret("2020-02-01")}, {Depart: d("2020-02-01"), Return: ret("2020-03-01")}}, ""},
		{"ok open last", []Absence{{Depart: d("2020-01-01"), Return: ret("2020-02-01")}, {Depart: d("2023-02-01")}}, ""},
		{"return before departure", []Absence{{Depart: d("2020-01-10"), Return: ret("2020-01-09")}}, "absences[1].to: return 2020-01-09 is before departure 2020-01-10"},
		{"overlap", []Absence{{Depart: d("2020-01-01"), Return: ret("2020-02-01")}, {Depart: d("2020-01-31"), Return: ret("2020-03-01")}}, "absences[2].from: 2020-01-31 overlaps absence 1"},
		{"overlap out of order", []Absence{{Depart: d("2020-01-31"), Return: ret("2020-03-01")}, {Depart: d("2020-01-01"), Return: ret("2020-02-01")}}, "absences[1].from: 2020-01-31 overlaps absence 2"},
		{"future departure", []Absence{{Depart: d("2024-01-02")}}, "absences[1].from: 2024-01-02 is after the assessment date 2024-01-01"},
		{"future return", []Absence{{Depart: d("2023-12-01"), Return: ret("2024-02-01")}}, "absences[1].to: 2024-02-01 is after"},
		{"future arrival", []Absence{{Depart: d("2023-12-01"), Legs: []Leg{{Country: "FR"}, {Country: "DE", Arrived: ret("2024-01-05")}}}}, "absences[1].country: DE: arrival 2024-01-05 is after the assessment date"},
		{"open not last", []Absence{{Depart: d("2020-01-01")}, {Depart: d("2021-01-01"), Return: ret("2021-02-01")}}, "absences[1].to: missing"},
		{"bad reason", []Absence{{Depart: d("2020-01-01"), Reason: "foreign-employer"}}, "unknown reason \"foreign-employer\""},
		{"arrival before departure", []Absence{{Depart: d("2020-01-10"), Return: ret("2020-03-01"), Legs: []Leg{{Country: "FR", Arrived: ret("2020-01-09")}}}}, "absences[1].country: FR: arrival 2020-01-09 is before the departure 2020-01-10"},
		{"arrivals out of order", []Absence{{Depart: d("2020-01-10"), Return: ret("2020-03-01"), Legs: []Leg{{Country: "FR"}, {Country: "DE", Arrived: ret("2020-02-01")}, {Country: "IT", Arrived: ret("2020-02-01")}}}}, "IT: arrival 2020-02-01 is not after"},
		{"arrival on the return day", []Absence{{Depart: d("2020-01-10"), Return: ret("2020-03-01"), Legs: []Leg{{Country: "FR"}, {Country: "DE", Arrived: ret("2020-03-01")}}}}, "DE: arrival 2020-03-01 is not before the return"},
		{"empty country", []Absence{{Depart: d("2020-01-10"), Legs: []Leg{{Country: " "}}}}, "absences[1].country: country 1 is empty"},
	} {
		err := ValidateAbsences("absences", tc.abs)
		if err == nil {
			err = NotAfter("absences", tc.abs, asOf)
		}
		if tc.want == "" {
			if err != nil {
				t.Errorf("%s: unexpected error %v", tc.name, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want it to contain %q", tc.name, err, tc.want)
		}
		if err != nil && !errors.Is(err, ErrInput) {
			t.Errorf("%s: error does not wrap ErrInput", tc.name)
		}
	}
}
