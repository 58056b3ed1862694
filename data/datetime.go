package data

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// ParseDateTime parses the free-text dates and times of IRCC's rounds feed
// (drawDateTime, drawCutOff, drawDistributionAsOn) and returns the instant in
// UTC. It accepts every variant seen in the feed:
//
//	"December 17, 2025 at 12:26:48 UTC"          the usual form
//	"August 19th 2026 at 10:00:00 UTC"           ordinal day, no comma
//	"October 15, 2025 15:55:18 UTC"              no "at"
//	"October 7 at 16:38:21 UTC"                  no year: fallbackYear is used
//	"September 30, 2023 at 04:22:17 AM UTC"      12-hour clock
//	"October 25, 2023 at 15:48:39 AM UTC"        AM/PM on a 24-hour value: the 24-hour value wins
//	"October 18, 2025 at  7:18:52 UTC"           double spaces, one-digit hour
//	"May 31, 2024 at12:48:30 UTC"                no space after "at"
//	"January 23, 2025 at 2025-01-23 15:30:04 UTC" the date twice
//	"March 27, 2015 at 23:59:47"                 no zone: UTC is assumed
//	"March 02. 2024 at 01:58:34 UTC"             period after the day
//	"May 19,2022 06:48:41 UTC"                   no space after the comma
//	"December 12, 2022, at 10:48:12 UTC"         comma before "at"
//	" January 17, 2018 at 12:33:00 UTC"          leading or trailing spaces
//	"December 14, 2025"                          a date alone: midnight UTC
//
// The zone, when present, must be UTC (or GMT, Z). Use ParseDateTimeNotes to
// learn which assumptions were made (missing year, missing zone, ...).
func ParseDateTime(s string, fallbackYear int) (time.Time, error) {
	t, _, err := ParseDateTimeNotes(s, fallbackYear)
	return t, err
}

// DateTimeNotes records the liberties ParseDateTime took with a text. The
// feed reader turns each into a warning.
type DateTimeNotes struct {
	HasTime     bool // a time of day was present
	NoZone      bool // no zone: UTC assumed
	NoYear      bool // no year: fallbackYear used
	BadMeridiem bool // AM/PM on a 24-hour value (e.g. "15:48:39 AM"): ignored
	// DateMismatch is set when the text holds two dates that disagree
	// ("January 23, 2025 at 2025-01-24 ..."): the first one is used.
	DateMismatch bool
}

// Messages returns the notes as short sentences for warnings.
func (n DateTimeNotes) Messages() []string {
	var m []string
	if n.NoYear {
		m = append(m, "no year: taken from drawDate")
	}
	if n.NoZone {
		m = append(m, "no time zone: UTC assumed")
	}
	if n.BadMeridiem {
		m = append(m, "AM/PM on a 24-hour time: the 24-hour value is used")
	}
	if n.DateMismatch {
		m = append(m, "two different dates in one value: the first is used")
	}
	return m
}

var months = map[string]time.Month{
	"january": time.January, "february": time.February, "march": time.March,
	"april": time.April, "may": time.May, "june": time.June, "july": time.July,
	"august": time.August, "september": time.September, "october": time.October,
	"november": time.November, "december": time.December,
	"jan": time.January, "feb": time.February, "mar": time.March, "apr": time.April,
	"jun": time.June, "jul": time.July, "aug": time.August, "sep": time.September,
	"sept": time.September, "oct": time.October, "nov": time.November, "dec": time.December,
}

// maxTextLen bounds the input: no real value is longer than ~50 bytes.
const maxTextLen = 200

// ParseDateTimeNotes is ParseDateTime, also returning the notes.
func ParseDateTimeNotes(s string, fallbackYear int) (time.Time, DateTimeNotes, error) {
	var n DateTimeNotes
	if len(s) > maxTextLen {
		return time.Time{}, n, fmt.Errorf("%.20q...: too long for a date", s)
	}
	toks := tokenize(s)
	if len(toks) == 0 {
		return time.Time{}, n, errors.New("empty date")
	}
	var (
		month                time.Month
		day, year            = -1, -1
		isoY, isoM, isoD     = -1, -1, -1
		hour, minute, second = -1, 0, 0
		meridiem             string
		zone                 bool
		sawAt                bool
	)
	bad := func(format string, args ...any) (time.Time, DateTimeNotes, error) {
		return time.Time{}, n, fmt.Errorf("%q: "+format, append([]any{strings.TrimSpace(s)}, args...)...)
	}
	for i := 0; i < len(toks); i++ {
		tk := toks[i]
		switch {
		case tk.kind == tokWord:
			w := strings.ToLower(tk.text)
			if m, ok := months[w]; ok {
				if month != 0 {
					return bad("two month names")
				}
				month = m
				continue
			}
			switch w {
			case "at", "on":
				if sawAt {
					return bad("%q twice", w)
				}
				sawAt = true
			case "am", "pm", "a.m", "p.m":
				if meridiem != "" || hour < 0 {
					return bad("misplaced %q", tk.text)
				}
				meridiem = w[:1]
			case "utc", "gmt", "z":
				if zone {
					return bad("zone twice")
				}
				zone = true
			case "st", "nd", "rd", "th":
				// Ordinal suffix: only right after the day number.
				if i == 0 || toks[i-1].kind != tokNumber || len(toks[i-1].text) > 2 || !toks[i].glued {
					return bad("misplaced %q", tk.text)
				}
			default:
				return bad("unexpected word %q", tk.text)
			}
		case tk.kind == tokNumber:
			v, err := strconv.Atoi(tk.text)
			if err != nil {
				return bad("bad number %q", tk.text)
			}
			switch {
			case len(tk.text) <= 2 && day < 0:
				day = v
			case len(tk.text) == 4 && year < 0:
				year = v
			default:
				return bad("unexpected number %q", tk.text)
			}
		case tk.kind == tokISODate:
			if isoY >= 0 {
				return bad("two numeric dates")
			}
			p := strings.Split(tk.text, "-")
			isoY, _ = strconv.Atoi(p[0])
			isoM, _ = strconv.Atoi(p[1])
			isoD, _ = strconv.Atoi(p[2])
		case tk.kind == tokTime:
			if hour >= 0 {
				return bad("two times of day")
			}
			p := strings.Split(tk.text, ":")
			hour, _ = strconv.Atoi(p[0])
			minute, _ = strconv.Atoi(p[1])
			if len(p) == 3 {
				second, _ = strconv.Atoi(p[2])
			}
		default:
			return bad("unexpected %q", tk.text)
		}
	}

	// The date: month name and day, or a numeric date, or both.
	switch {
	case month != 0 && day >= 0:
		if year < 0 {
			if isoY >= 0 {
				year = isoY
			} else {
				if fallbackYear <= 0 {
					return bad("no year")
				}
				year = fallbackYear
				n.NoYear = true
			}
		}
		if isoY >= 0 && (isoY != year || isoM != int(month) || isoD != day) {
			n.DateMismatch = true
		}
	case isoY >= 0 && month == 0 && day < 0 && year < 0:
		year, month, day = isoY, time.Month(isoM), isoD
	default:
		return bad("no date (want e.g. \"December 17, 2025\")")
	}
	if year < 1900 || year > 2999 {
		return bad("year %d out of range", year)
	}
	if month < 1 || month > 12 {
		return bad("month %d out of range", int(month))
	}
	if day < 1 || day > daysIn(month, year) {
		return bad("day %d out of range", day)
	}

	if hour < 0 {
		if meridiem != "" || zone || sawAt {
			return bad("no time of day")
		}
		return time.Date(year, month, day, 0, 0, 0, 0, time.UTC), n, nil
	}
	n.HasTime = true
	if minute > 59 || second > 59 {
		return bad("time out of range")
	}
	switch {
	case meridiem == "":
		if hour > 23 {
			return bad("hour %d out of range", hour)
		}
	case hour == 0 || hour > 12:
		// "15:48:39 AM", "20:19:59 PM", "00:10:00 AM": a 24-hour value.
		if hour > 23 {
			return bad("hour %d out of range", hour)
		}
		n.BadMeridiem = true
	case meridiem == "a":
		if hour == 12 {
			hour = 0
		}
	default: // "p"
		if hour != 12 {
			hour += 12
		}
	}
	if !zone {
		n.NoZone = true
	}
	return time.Date(year, month, day, hour, minute, second, 0, time.UTC), n, nil
}

func daysIn(m time.Month, year int) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

type tokKind uint8

const (
	tokWord tokKind = iota
	tokNumber
	tokISODate // 2025-01-23
	tokTime    // 15:30:04 or 15:30
	tokOther
)

type token struct {
	kind tokKind
	text string
	// glued is set when the token follows the previous one with no
	// separator ("19th").
	glued bool
}

// tokenize splits s into words, numbers, numeric dates and times. Spaces,
// commas and periods separate tokens and are otherwise ignored; a letter
// next to a digit also separates ("at12:48:30", "19th").
func tokenize(s string) []token {
	var toks []token
	glued := false
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == '.':
			glued = false
			i++
		case isDigit(c):
			j := i
			for j < len(s) && (isDigit(s[j]) || s[j] == ':' || s[j] == '-') {
				j++
			}
			text := s[i:j]
			toks = append(toks, token{kind: classifyNumeric(text), text: text, glued: glued})
			glued = true
			i = j
		case isASCIILetter(c):
			j := i
			for j < len(s) && (isASCIILetter(s[j]) || (s[j] == '.' && j+1 < len(s) && isASCIILetter(s[j+1]))) {
				j++
			}
			toks = append(toks, token{kind: tokWord, text: s[i:j], glued: glued})
			glued = true
			i = j
		default:
			// Non-ASCII spaces (no-break space) separate; anything else is
			// an unexpected character.
			r, size := utf8.DecodeRuneInString(s[i:])
			if unicode.IsSpace(r) {
				glued = false
			} else {
				toks = append(toks, token{kind: tokOther, text: s[i : i+size]})
			}
			i += size
		}
	}
	return toks
}

func isDigit(c byte) bool       { return c >= '0' && c <= '9' }
func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// classifyNumeric tells a number ("17", "2025") from a numeric date
// ("2025-01-23") and a time ("15:30:04", "7:18").
func classifyNumeric(t string) tokKind {
	allDigits := true
	for i := 0; i < len(t); i++ {
		if !isDigit(t[i]) {
			allDigits = false
			break
		}
	}
	if allDigits {
		if len(t) > 4 {
			return tokOther
		}
		return tokNumber
	}
	if p := strings.Split(t, "-"); len(p) == 3 && len(p[0]) == 4 && len(p[1]) >= 1 && len(p[1]) <= 2 &&
		len(p[2]) >= 1 && len(p[2]) <= 2 && digits(p[0]) && digits(p[1]) && digits(p[2]) {
		return tokISODate
	}
	if p := strings.Split(t, ":"); (len(p) == 2 || len(p) == 3) && len(p[0]) >= 1 && len(p[0]) <= 2 && digits(p[0]) {
		for _, q := range p[1:] {
			if len(q) != 2 || !digits(q) {
				return tokOther
			}
		}
		return tokTime
	}
	return tokOther
}

func digits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}
