package main

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestSponsorParents(t *testing.T) {
	// Family: sponsor, spouse, 1 child, 2 parents = 5. MNI for 5: 55,694
	// (2021), 72,935 (2022), 75,384 (2023); 2023 income 75,000 is 384
	// short. Lottery, fixed pool of 40,000 with 10,000 a year: 25%, 50%,
	// 75%, 100% within 1-4 years; that year 1/4, 1/3, 1/2, 1.
	dir := filepath.Join(t.TempDir(), "out")
	code, out, errs := runCmd(t, "sponsor", "--in", filepath.Join("testdata", "sponsor", "parents.json"), "--trials", "500", "--out", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, w := range []string{"Rule source: IRPR s. 117", "Income tables applied: MNI 2021, MNI 2022, MNI 2023", "Family size: 5",
		"2023: income 75,000 CAD, need 75,384 (MNI 2023): NOT met (384 CAD short)", "result: NOT MET", "Undertaking: 20 years", "Eligibility: every check passed"} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
	golden(t, filepath.Join("sponsor", "parents.golden"), out)
	rows := readCSV(t, filepath.Join(dir, "sponsor_lottery.csv"))
	want := [][2]string{{"0.250000", "0.250000"}, {"0.333333", "0.500000"}, {"0.500000", "0.750000"}, {"1.000000", "1.000000"}}
	for k, w := range want {
		if rows[k+1][1] != w[0] || rows[k+1][2] != w[1] {
			t.Errorf("year %d: %v, want conditional %s cumulative %s", k+1, rows[k+1], w[0], w[1])
		}
	}
}

func TestSponsorIncomeTables(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		// Issue 18: the 2025 intake assesses 2022-2024; size 2 needs
		// 43,082, 44,530 and 47,549 (IRCC's table).
		{"the 2024 MNI", []string{"--class", "parent", "--size", "2", "--income", "2022=50000", "--income", "2023=50000", "--income", "2024=50000", "--tax-year", "2024"},
			[]string{"Income tables applied: MNI 2022, MNI 2023, MNI 2024", "2024: income 50,000 CAD, need 47,549 (MNI 2024): met", "result: MET"}},
		// The default tax year is the year before the application: an
		// invitation on 2025-07-28 assesses 2022-2024; the deadline is
		// 60 days on, 2025-09-26, 25 days after 2025-09-01.
		{"tax years from the invitation", []string{"--class", "parent", "--size", "2", "--income", "2022=50000", "--income", "2023=50000", "--income", "2024=50000", "--invited", "2025-07-28", "--as-of", "2025-09-01"},
			[]string{"last tax year 2024: the tax years before an application in 2025", "Application deadline: 2025-09-26 (60 days after the invitation of 2025-07-28): open on 2025-09-01, 25 days left"}},
		{"a late application", []string{"--class", "grandparent", "--size", "2", "--income", "2022=50000", "--income", "2023=50000", "--income", "2024=50000", "--invited", "2025-07-28", "--applied", "2025-09-27"},
			[]string{"MISSED, applied 2025-09-27", "Eligibility: NOT ELIGIBLE", "the application of 2025-09-27 is after the deadline 2025-09-26"}},
		// The LICO is named with its year; a family of 9 is 77,750 + 2 x
		// 7,916 = 93,582.
		{"the LICO table named", []string{"--class", "other-relative", "--size", "9", "--income", "2024=93582"},
			[]string{"Income tables applied: LICO 2024 (in force for 2025 applications)", "need 93,582 (LICO 2024 (in force for 2025 applications)): met"}},
		{"no income test for a spouse", []string{"--class", "spouse"},
			[]string{"Income tables applied: none (no income test)", "Income test: none"}},
	} {
		code, out, errs := runCmd(t, append([]string{"sponsor"}, tc.args...)...)
		if code != 0 {
			t.Errorf("%s: exit %d: %s", tc.name, code, errs)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(out, w) {
				t.Errorf("%s: output lacks %q:\n%s", tc.name, w, out)
			}
		}
	}
}

func TestSponsorSpouseBars(t *testing.T) {
	// testdata/sponsor/spouse.json: the earlier partner became a PR on
	// 2023-05-01, so that undertaking runs to 2026-04-30 and bars an
	// application on 2026-01-15 (IRPR s. 117(9)(b)); 14 months of living
	// together clear the common-law year.
	code, out, errs := runCmd(t, "sponsor", "--in", filepath.Join("testdata", "sponsor", "spouse.json"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, w := range []string{
		"Relationship bars (spouse or partner):",
		"the partner must be 18 or older (IRPR s. 117(9)(a)): clear; age 30",
		"(IRPR s. 117(9)(b)): BARS; earlier partner a PR on 2023-05-01: undertaking to 2026-04-30",
		"(IRPR s. 130(3)): not assessed (not given)",
		"(IRPR s. 1(1), 2): clear; common-law partner, 14 months",
		"(IRPR s. 117(9)(c)(i)): clear",
		"(IRPR s. 117(9)(c)(ii)): not assessed (not given)",
		"Eligibility: NOT ELIGIBLE",
		"Undertaking: 3 years (spouse or partner, IRPR s. 132)\n  from 2026-09-01 to 2029-08-31",
	} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
	// Applying on 2026-05-01 instead, the bar is over.
	_, out, _ = runCmd(t, "sponsor", "--in", filepath.Join("testdata", "sponsor", "spouse.json"), "--applied", "2026-05-01")
	if !strings.Contains(out, "Eligibility: every check passed") {
		t.Errorf("applied 2026-05-01:\n%s", out)
	}
}

func TestSponsorBadInput(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--class", "cousin"}, "unknown class \"cousin\""},
		{[]string{"--class", "spouse", "--interests", "100", "--quota", "10"}, "the lottery applies to parents and grandparents only"},
		{[]string{"--class", "parent", "--size", "3", "--income", "2024=50000"}, "income: tax year 2022 missing"},
		{[]string{"--class", "parent", "--size", "3", "--income", "2023:50000"}, "--income 1 \"2023:50000\": want YEAR=AMOUNT"},
		{[]string{"--class", "parent", "--interests", "0", "--quota", "10"}, "interests: 0, want at least 1"},
		// Issue 18: a tax year with no table lists the known years.
		{[]string{"--class", "parent", "--size", "2", "--income", "2023=1", "--income", "2024=1", "--income", "2025=1", "--tax-year", "2025"}, "no MNI table for tax year 2025 (tables for tax years 2021, 2022, 2023 and 2024)"},
		{[]string{"--class", "orphaned-relative", "--size", "2", "--income", "2023=1", "--tax-year", "2023"}, "no LICO table for tax year 2023 (tables for tax years 2024)"},
		{[]string{"--class", "spouse", "--invited", "2025-01-01"}, "only parents and grandparents are invited to apply"},
		{[]string{"--class", "parent", "--invited", "2025-13-01"}, "--invited: date \"2025-13-01\""},
	} {
		dir := filepath.Join(t.TempDir(), "out")
		code, _, errs := runCmd(t, append(append([]string{"sponsor"}, tc.args...), "--out", dir)...)
		if code != 2 || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, errs, tc.want)
		}
		emptyDir(t, dir)
	}
}
