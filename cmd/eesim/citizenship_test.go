package main

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestCitizenshipApplicant(t *testing.T) {
	// Pre-PR 2018-01-01..2019-12-31 = 730 days, less the US stay
	// 2018-09-02..2019-03-03 (183 days absent) = 547 -> 273.5 credited.
	// PR 2020-01-01..2022-06-30 = 912 days less 13 (FR, July 2-14) = 899.
	// 899 + 273.5 = 1,172.5. The US stay is exactly 183 days, inside the 4
	// years before signing (from 2018-07-01): certificate needed.
	code, out, errs := runCmd(t, "citizenship", "--in", filepath.Join("testdata", "citizenship", "applicant.json"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, w := range []string{"Credited: 1,172.5 of 1,095 days: MEETS the test (77.5 to spare)", "547  x 1/2 = 273.5", "NEEDED from US (absence 2: 183 consecutive days)", "3 filed for the tax years 2017-2021", "fee: 630 CAD"} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
	golden(t, filepath.Join("citizenship", "applicant.golden"), out)
}

func TestCitizenshipEarliestAndOutputs(t *testing.T) {
	// PR 2020-01-01, never left, signing 2022-12-29: 1,094 days; eligible
	// on 2022-12-30 (2020-01-01 + 1,094 days).
	dir := filepath.Join(t.TempDir(), "out")
	code, out, errs := runCmd(t, "citizenship", "--pr-date", "2020-01-01", "--sign", "2022-12-29", "--out", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "does NOT meet the test (1 short)") || !strings.Contains(out, "staying in Canada from 2022-12-29 on: 2022-12-30") {
		t.Errorf("output:\n%s", out)
	}
	rows := readCSV(t, filepath.Join(dir, "citizenship_credit.csv"))
	// History: the period 2017-12-30..2022-12-29 is 1,826 days; projection
	// 2022-12-30 .. 2022-12-30 + 60 days: 61 rows.
	if len(rows) != 1+1826+61 {
		t.Errorf("%d rows, want 1 + 1826 + 61", len(rows))
	}
	last := rows[1826]
	if last[0] != "2022-12-29T00:00:00Z" || last[4] != "1094" || last[5] != "false" {
		t.Errorf("signing day row %v, want 1094 not met", last)
	}
	if next := rows[1827]; next[4] != "1095" || next[5] != "true" || next[6] != "true" {
		t.Errorf("next day row %v, want 1095 met projected", next)
	}
	checkPNG(t, filepath.Join(dir, "citizenship_credit.png"))
}

func TestCitizenshipBadInput(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--in", "testdata/citizenship/bad_future.json"}, "bad_future.json: absences[1].return: 2022-07-15 is after the assessment date 2022-06-30"},
		{[]string{"--in", "testdata/citizenship/bad_overlap.json"}, "bad_overlap.json: absences[2].depart: 2021-01-20 overlaps absence 1"},
		{[]string{"--pr-date", "2020-01-01", "--sign", "2019-06-01"}, "pr_date: 2020-01-01 is after the application date 2019-06-01"},
		{[]string{"--pr-date", "2020-01-01", "--pre-pr", "2019-01-01:2020-03-01:temporary", "--sign", "2023-01-01"}, "pre_pr[1].to: 2020-03-01 is not before the PR date 2020-01-01"},
		{[]string{"--pr-date", "2020-01-01", "--absence", "2021-03-10:2021-03-01", "--sign", "2023-01-01"}, "return 2021-03-01 is before departure 2021-03-10"},
	} {
		dir := filepath.Join(t.TempDir(), "out")
		code, out, errs := runCmd(t, append(append([]string{"citizenship"}, tc.args...), "--out", dir)...)
		if code != 2 || !strings.Contains(errs, tc.want) || out != "" {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, errs, tc.want)
		}
		emptyDir(t, dir)
	}
}
