package data

import (
	"testing"
	"time"
)

func utc(y int, m time.Month, d, h, mi, s int) time.Time {
	return time.Date(y, m, d, h, mi, s, 0, time.UTC)
}

// TestParseDateTime covers every free-text variant of the feed, with the
// exact strings (round and field in the name) from ee_rounds_123_en.json
// and the list in docs/domain.md, "The rounds feed". The wanted instants
// are read off the strings by hand.
func TestParseDateTime(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		fallback int
		want     time.Time
		notes    DateTimeNotes
	}{
		{"388 drawDateTime usual", "December 17, 2025 at 12:26:48 UTC", 0, utc(2025, 12, 17, 12, 26, 48), DateTimeNotes{HasTime: true}},
		{"README ordinal day no comma", "August 19th 2026 at 13:05:10 UTC", 0, utc(2026, 8, 19, 13, 5, 10), DateTimeNotes{HasTime: true}},
		{"ordinal 1st 2nd 3rd", "March 3rd, 2026 at 09:00:00 UTC", 0, utc(2026, 3, 3, 9, 0, 0), DateTimeNotes{HasTime: true}},
		{"373 drawDateTime no at", "October 15, 2025 15:55:18 UTC", 0, utc(2025, 10, 15, 15, 55, 18), DateTimeNotes{HasTime: true}},
		{"208 drawCutOff no year", "October 7 at 16:38:21 UTC", 2021, utc(2021, 10, 7, 16, 38, 21), DateTimeNotes{HasTime: true, NoYear: true}},
		{"270 drawDateTime 24h with AM", "October 25, 2023 at 15:48:39 AM UTC", 0, utc(2023, 10, 25, 15, 48, 39), DateTimeNotes{HasTime: true, BadMeridiem: true}},
		{"270 drawCutOff real AM", "September 30, 2023 at 04:22:17 AM UTC", 0, utc(2023, 9, 30, 4, 22, 17), DateTimeNotes{HasTime: true}},
		{"210 drawCutOff 24h with PM", "June 22, 2021 at 20:19:59 PM UTC", 0, utc(2021, 6, 22, 20, 19, 59), DateTimeNotes{HasTime: true, BadMeridiem: true}},
		{"12-hour PM", "June 1, 2023 at 1:48:36 PM UTC", 0, utc(2023, 6, 1, 13, 48, 36), DateTimeNotes{HasTime: true}},
		{"12 AM is midnight", "June 1, 2023 at 12:10:00 AM UTC", 0, utc(2023, 6, 1, 0, 10, 0), DateTimeNotes{HasTime: true}},
		{"12 PM is noon", "June 1, 2023 at 12:10:00 PM UTC", 0, utc(2023, 6, 1, 12, 10, 0), DateTimeNotes{HasTime: true}},
		{"386 drawCutOff double space one-digit hour", "October 18, 2025 at  7:18:52 UTC", 0, utc(2025, 10, 18, 7, 18, 52), DateTimeNotes{HasTime: true}},
		{"297 drawDateTime at glued", "May 31, 2024 at12:48:30 UTC", 0, utc(2024, 5, 31, 12, 48, 30), DateTimeNotes{HasTime: true}},
		{"333 drawDateTime date twice", "January 23, 2025 at 2025-01-23 15:30:04 UTC", 0, utc(2025, 1, 23, 15, 30, 4), DateTimeNotes{HasTime: true}},
		{"310 drawDateTime date twice", "August 15, 2024 at 2024-08-15 15:11:54 UTC", 0, utc(2024, 8, 15, 15, 11, 54), DateTimeNotes{HasTime: true}},
		{"two dates disagree", "January 23, 2025 at 2025-01-24 15:30:04 UTC", 0, utc(2025, 1, 23, 15, 30, 4), DateTimeNotes{HasTime: true, DateMismatch: true}},
		{"6 drawDateTime no UTC", "March 27, 2015 at 23:59:47", 0, utc(2015, 3, 27, 23, 59, 47), DateTimeNotes{HasTime: true, NoZone: true}},
		{"383 drawCutOff no UTC", "March 05, 2025 at 05:10:48", 0, utc(2025, 3, 5, 5, 10, 48), DateTimeNotes{HasTime: true, NoZone: true}},
		{"258 drawCutOff no UTC", "June 15, 2023 at 23:49:05", 0, utc(2023, 6, 15, 23, 49, 5), DateTimeNotes{HasTime: true, NoZone: true}},
		{"322 drawCutOff period after day", "March 02. 2024 at 01:58:34 UTC", 0, utc(2024, 3, 2, 1, 58, 34), DateTimeNotes{HasTime: true}},
		{"277 drawCutOff period after day", "August 30. 2023 at 17:30:21 UTC", 0, utc(2023, 8, 30, 17, 30, 21), DateTimeNotes{HasTime: true}},
		{"244 drawCutOff no space after comma", "May 19,2022 06:48:41 UTC", 0, utc(2022, 5, 19, 6, 48, 41), DateTimeNotes{HasTime: true}},
		{"247 drawDateTime no space after comma", "April 26,2023 18:10:04 UTC", 0, utc(2023, 4, 26, 18, 10, 4), DateTimeNotes{HasTime: true}},
		{"242 drawCutOff comma before at", "December 12, 2022, at 10:48:12 UTC", 0, utc(2022, 12, 12, 10, 48, 12), DateTimeNotes{HasTime: true}},
		{"76 drawDateTime comma before at", "November 1, 2017, at 12:55:44 UTC", 0, utc(2017, 11, 1, 12, 55, 44), DateTimeNotes{HasTime: true}},
		{"82 drawCutOff leading space", " January 17, 2018 at 12:33:00 UTC", 0, utc(2018, 1, 17, 12, 33, 0), DateTimeNotes{HasTime: true}},
		{"262 drawCutOff trailing space", "July 04, 2023 at 19:36:18 UTC ", 0, utc(2023, 7, 4, 19, 36, 18), DateTimeNotes{HasTime: true}},
		{"38 drawDateTime leading space", " July 13, 2016 at 13:56:45 UTC", 0, utc(2016, 7, 13, 13, 56, 45), DateTimeNotes{HasTime: true}},
		{"382 drawCutOff no comma", "May 26 2025 at 12:28:38 UTC", 0, utc(2025, 5, 26, 12, 28, 38), DateTimeNotes{HasTime: true}},
		{"215 drawDateTime no comma", "February 02 2022 at 14:16:27 UTC", 0, utc(2022, 2, 2, 14, 16, 27), DateTimeNotes{HasTime: true}},
		{"2015 round past midnight", "April 11, 2015 at 00:00:01 UTC", 0, utc(2015, 4, 11, 0, 0, 1), DateTimeNotes{HasTime: true}},
		{"388 drawDistributionAsOn date only", "December 14, 2025", 0, utc(2025, 12, 14, 0, 0, 0), DateTimeNotes{}},
		{"213 drawDistributionAsOn one-digit day", "January 5, 2022", 0, utc(2022, 1, 5, 0, 0, 0), DateTimeNotes{}},
		{"leap day", "February 29, 2024 at 10:00:00 UTC", 0, utc(2024, 2, 29, 10, 0, 0), DateTimeNotes{HasTime: true}},
		{"no seconds", "May 1, 2024 at 10:05 UTC", 0, utc(2024, 5, 1, 10, 5, 0), DateTimeNotes{HasTime: true}},
		{"GMT", "May 1, 2024 at 10:05:00 GMT", 0, utc(2024, 5, 1, 10, 5, 0), DateTimeNotes{HasTime: true}},
		{"lower case month", "may 1, 2024 at 10:05:00 utc", 0, utc(2024, 5, 1, 10, 5, 0), DateTimeNotes{HasTime: true}},
		{"ISO date alone", "2025-12-17", 0, utc(2025, 12, 17, 0, 0, 0), DateTimeNotes{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, notes, err := ParseDateTimeNotes(tt.in, tt.fallback)
			if err != nil {
				t.Fatalf("ParseDateTimeNotes(%q): %v", tt.in, err)
			}
			if !got.Equal(tt.want) || got.Location() != time.UTC {
				t.Errorf("ParseDateTimeNotes(%q) = %v, want %v", tt.in, got, tt.want)
			}
			if notes != tt.notes {
				t.Errorf("ParseDateTimeNotes(%q) notes = %+v, want %+v", tt.in, notes, tt.notes)
			}
			if got2, err := ParseDateTime(tt.in, tt.fallback); err != nil || !got2.Equal(got) {
				t.Errorf("ParseDateTime(%q) = %v, %v; want %v", tt.in, got2, err, got)
			}
		})
	}
}

func TestParseDateTimeErrors(t *testing.T) {
	for _, in := range []string{
		"",
		"   ",
		"not a date",
		"Smarch 3, 2024 at 10:00:00 UTC",
		"February 30, 2024 at 10:00:00 UTC", // no such day
		"February 29, 2023",                 // not a leap year
		"October 7 at 16:38:21 UTC",         // no year and no fallback
		"December 17, 2025 at 25:00:00 UTC",
		"December 17, 2025 at 24:00:00 PM UTC",
		"December 17, 2025 at 12:60:00 UTC",
		"December 17, 2025 at 12:26:48 EST", // only UTC is accepted
		"December 17, 2025 at UTC",          // zone without a time
		"December 17, 2025 at 12:26:48 UTC 5",
		"December 17, 2025 December 18",
		"December 17, 2025 at 12:26:48 UTC UTC",
		"17th December",                       // no year, no fallback
		"December 17, 12025 at 12:26:48 UTC",  // five-digit year
		"December 17, 0999 at 12:26:48 UTC",   // out of range
		"December th17, 2025 at 12:26:48 UTC", // misplaced suffix
		"December 17, 2025 at 12:26:48 AM PM UTC",
	} {
		if got, err := ParseDateTime(in, 0); err == nil {
			t.Errorf("ParseDateTime(%q) = %v, want an error", in, got)
		}
	}
}
