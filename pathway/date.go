package pathway

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Date is a calendar day, counted in days since 1970-01-01 (day 0). The
// zero value is 1970-01-01; use a *Date or a separate flag when a date is
// optional.
type Date int32

// Layout is the text form of a Date (ISO 8601, as in IRCC's forms).
const Layout = "2006-01-02"

// NewDate returns the date of year, month and day. Out-of-range days
// normalise as time.Date does (2023-02-29 is 2023-03-01).
func NewDate(year int, month time.Month, day int) Date {
	return FromTime(time.Date(year, month, day, 0, 0, 0, 0, time.UTC))
}

// FromTime returns the calendar day of t in t's own location.
func FromTime(t time.Time) Date {
	y, m, d := t.Date()
	u := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return Date(u.Unix() / 86400)
}

// ParseDate reads a date in the form 2006-01-02.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(Layout, strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("date %q: want YYYY-MM-DD", s)
	}
	return FromTime(t), nil
}

// MustDate is ParseDate for constants in tests and examples; it panics on a
// malformed date (programmer misuse).
func MustDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// Time returns the date at midnight UTC.
func (d Date) Time() time.Time { return time.Unix(int64(d)*86400, 0).UTC() }

// String formats the date as 2006-01-02.
func (d Date) String() string { return d.Time().Format(Layout) }

// YMD returns the year, month and day.
func (d Date) YMD() (int, time.Month, int) { return d.Time().Date() }

// Year returns the year.
func (d Date) Year() int { y, _, _ := d.YMD(); return y }

// AddDays returns the date n days later (earlier if n < 0).
func (d Date) AddDays(n int) Date { return d + Date(n) }

// AddYears returns the same month and day n years later (earlier if n < 0).
// February 29 becomes February 28 in a year without one, so that the result
// never spills into March.
func (d Date) AddYears(n int) Date {
	y, m, day := d.YMD()
	y += n
	if m == time.February && day == 29 && !IsLeap(y) {
		day = 28
	}
	return NewDate(y, m, day)
}

// WindowStart returns the first day of the n-year window ending on d (see
// the package documentation): d.AddYears(-n) + 1 day.
func (d Date) WindowStart(years int) Date { return d.AddYears(-years) + 1 }

// AgeOn returns the age in whole years, on date on, of a person born on d.
// A person born on February 29 turns a year older on February 28 in common
// years (AddYears' convention; several provinces use March 1 instead, which
// shifts the birthday by one day in common years only).
func (d Date) AgeOn(on Date) int {
	age := on.Year() - d.Year()
	if d.AddYears(age) > on {
		age--
	}
	return age
}

// IsLeap reports whether year is a leap year in the Gregorian calendar.
func IsLeap(year int) bool { return year%4 == 0 && (year%100 != 0 || year%400 == 0) }

// MarshalJSON writes the date as "2006-01-02".
func (d Date) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// UnmarshalJSON reads a date written "2006-01-02".
func (d *Date) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("date: want a string \"YYYY-MM-DD\", got %s", b)
	}
	v, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Min returns the earlier of a and b.
func Min(a, b Date) Date {
	if a < b {
		return a
	}
	return b
}

// Max returns the later of a and b.
func Max(a, b Date) Date {
	if a > b {
		return a
	}
	return b
}
