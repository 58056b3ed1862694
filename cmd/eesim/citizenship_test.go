package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/eesim/eesim/pathway/citizenship"
)

func TestCitizenshipApplicant(t *testing.T) {
	// Signed 2022-06-30: the period is 2017-06-30..2022-06-29. Pre-PR
	// 2018-01-01..2019-12-31 = 730 days, less the US stay 2018-09-02..
	// 2019-03-03 (183 days absent) = 547 -> 273.5 credited. PR
	// 2020-01-01..2022-06-29 = 911 days less 13 (FR, July 2-14) = 898.
	// 898 + 273.5 = 1,171.5. The US stay is exactly 183 days, inside the
	// 4 years before signing (from 2018-06-30): certificate needed.
	code, out, errs := runCmd(t, "citizenship", "--in", filepath.Join("testdata", "citizenship", "applicant.json"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, w := range []string{"Rule source: Citizenship Act s. 5(1)(c)", "Credited: 1,171.5 of 1,095 days: MEETS the test (76.5 to spare)", "547  x 1/2 = 273.5", "NEEDED from US (absence 2: 183 consecutive days, 2018-09-02 to 2019-03-03)", "3 filed for the tax years 2017-2021", "fee: 630 CAD"} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
	golden(t, filepath.Join("citizenship", "applicant.golden"), out)
}

func TestCitizenshipCrownServiceAndPolice(t *testing.T) {
	// testdata/citizenship/crown.json, signed 2023-01-01: the period is
	// 2018-01-01..2022-12-31. PR days 2020-01-01..2022-12-31 = 1,096, of
	// which 364 abroad with the armed forces (2021-01-02..2021-12-31,
	// counted) and 302 on the FR;BE trip (2022-02-02..2022-11-30: 27 + 31
	// + 30 + 31 + 30 + 31 + 31 + 30 + 31 + 30, not counted): 430 in Canada
	// + 364. Pre-PR 2019-09-01..2019-12-31 = 122 days -> 61 (the IN stay
	// returns on 2019-09-01, a day in Canada). 855 in all, 240 short; the
	// earliest signing date, by a day-by-day count in Python's datetime,
	// is 2023-08-29.
	code, out, errs := runCmd(t, "citizenship", "--in", filepath.Join("testdata", "citizenship", "crown.json"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, w := range []string{
		"days in Canada as a PR            430",
		"days abroad in Crown service      364  x 1   = 364",
		"days in Canada before PR          122  x 1/2 = 61",
		"Credited: 855 of 1,095 days: does NOT meet the test (240 short)",
		"staying in Canada from 2023-01-01 on: 2023-08-29",
		// The IN stay before landing: 2019-01-01..2019-08-31 = 243 days
		// in the 4 years before signing, but its certificate was given
		// for PR and the person has not been back.
		"police certificate: not needed from IN (absence 1: 243 consecutive days, given with the PR application, and not in IN since landing on 2020-01-01)",
		"police certificate: CHECK FR, BE (absence 3: a trip through FR, BE of 302 days counted",
		"tax returns: 2 filed for the tax years 2018-2022, need 3 (if required to file): NOT met",
	} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
	if strings.Contains(errs, "warning") {
		t.Errorf("unexpected warning: %s", errs)
	}
}

func TestCitizenshipEarliestAndOutputs(t *testing.T) {
	// Issue 18: PR 2020-01-01, never left, signing 2022-12-30: the period
	// 2017-12-30..2022-12-29 holds 1,094 days; the earliest signing date is
	// 2022-12-31 (2020-01-01 + 1,094 days = 2022-12-30 is the 1,095th day,
	// and the signing day is not in the period).
	dir := filepath.Join(t.TempDir(), "out")
	code, out, errs := runCmd(t, "citizenship", "--pr-date", "2020-01-01", "--sign", "2022-12-30", "--out", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "does NOT meet the test (1 short)") || !strings.Contains(out, "staying in Canada from 2022-12-30 on: 2022-12-31") {
		t.Errorf("output:\n%s", out)
	}
	rows := readCSV(t, filepath.Join(dir, "citizenship_credit.csv"))
	if got := strings.Join(rows[0], ","); got != "date,day,credited_running,window_start,window_end,credited_window,meets,projected,rule_source" {
		t.Errorf("header %s", got)
	}
	// Rows from the period's start, 2017-12-30, to 2022-12-31 + 60 days =
	// 2023-03-01: 1,826 + 62 days (Python's datetime: 1,888).
	if len(rows) != 1+1888 {
		t.Errorf("%d rows, want 1 + 1888", len(rows))
	}
	for _, tc := range []struct {
		row  int
		want string
	}{
		{1, "2017-12-30,none,0,2012-12-30,2017-12-29,0,false,false"},
		{1 + 731, "2019-12-31,none,0,2014-12-31,2019-12-30,0,false,false"},
		{1 + 732, "2020-01-01,pr,1,2015-01-01,2019-12-31,0,false,false"},
		// The last day of the period: the running credit is the period's.
		{1825, "2022-12-28,pr,1093,2017-12-28,2022-12-27,1092,false,false"},
		{1826, "2022-12-29,pr,1094,2017-12-29,2022-12-28,1093,false,false"},
		// The signing date: no running credit, its period is the assessed one.
		{1827, "2022-12-30,pr,,2017-12-30,2022-12-29,1094,false,false"},
		{1828, "2022-12-31,pr,,2017-12-31,2022-12-30,1095,true,true"},
	} {
		r := rows[tc.row]
		if got := strings.Join(r[:len(r)-1], ","); got != tc.want || r[len(r)-1] != citizenship.Source {
			t.Errorf("row %d: %s, want %s and the rule source", tc.row, strings.Join(r, ","), tc.want)
		}
	}
	checkPNG(t, filepath.Join(dir, "citizenship_credit.png"))
}

func TestCitizenshipBadInput(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--in", "testdata/citizenship/bad_future.json"}, "bad_future.json: absences[1].to: 2022-07-15 is after the assessment date 2022-06-30"},
		{[]string{"--in", "testdata/citizenship/bad_overlap.json"}, "bad_overlap.json: absences[2].from: 2021-01-20 overlaps absence 1"},
		{[]string{"--pr-date", "2020-01-01", "--sign", "2019-06-01"}, "pr_date: 2020-01-01 is after the application date 2019-06-01"},
		{[]string{"--pr-date", "2020-01-01", "--pre-pr", "2019-01-01:2020-03-01:temporary", "--sign", "2023-01-01"}, "pre_pr[1].to: 2020-03-01 is not before the PR date 2020-01-01"},
		{[]string{"--pr-date", "2020-01-01", "--absence", "2021-03-10:2021-03-01", "--sign", "2023-01-01"}, "return 2021-03-01 is before departure 2021-03-10"},
		// Issue 18: the old form's third field is a country here; a
		// reason's name there is refused, not read as a country.
		{[]string{"--pr-date", "2020-01-01", "--absence", "2019-01-01:2020-01-01:canadian-employer", "--sign", "2023-01-01"}, "ambiguous: the third field is a country here, but \"canadian-employer\" is a reason; write from=2019-01-01,to=2020-01-01,reason=canadian-employer"},
		{[]string{"--pr-date", "2020-01-01", "--absence", "from=2021-01-01,to=2021-02-01,country=FR;DE@2021-03-01", "--sign", "2023-01-01"}, "flags: absences[1].country: DE: arrival 2021-03-01 is not before the return 2021-02-01"},
		// With --in and --travel, an error names the file it is in.
		{[]string{"--in", "testdata/citizenship/bad_prepr.json", "--travel", "testdata/residency/travel2005.csv"}, "bad_prepr.json: pre_pr[1].to: 2020-02-01 is not before the PR date"},
		{[]string{"--in", "testdata/citizenship/nopre.json", "--travel", "testdata/residency/bad_travel_overlap.csv"}, "bad_travel_overlap.csv: line 4: from: 2016-02-15 overlaps absence 1 (line 2)"},
		{[]string{"--in", "testdata/citizenship/applicant.json", "--travel", "testdata/residency/travel2005.csv"}, "applicant.json: absences given in the file and with --travel"},
	} {
		dir := filepath.Join(t.TempDir(), "out")
		code, out, errs := runCmd(t, append(append([]string{"citizenship"}, tc.args...), "--out", dir)...)
		if code != 2 || !strings.Contains(errs, tc.want) || out != "" {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, errs, tc.want)
		}
		emptyDir(t, dir)
	}
	// A residency reason given by name is accepted with a warning.
	code, out, errs := runCmd(t, "citizenship", "--pr-date", "2020-01-01", "--absence", "from=2021-01-01,to=2021-02-01,country=FR,reason=canadian-employer", "--sign", "2023-01-01")
	if code != 0 || !strings.Contains(errs, "warning: absences[1]: reason \"canadian-employer\" applies to the PR residency obligation only") || strings.Contains(out, "canadian-employer") {
		t.Errorf("exit %d stderr %q stdout:\n%s", code, errs, out)
	}
}
