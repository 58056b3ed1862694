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
	for _, w := range []string{"Family size: 5", "2023: income 75,000 CAD, need 75,384: NOT met (384 CAD short)", "result: NOT MET", "Undertaking: 20 years", "Eligibility: every check passed"} {
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

func TestSponsorBadInput(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--class", "cousin"}, "unknown class \"cousin\""},
		{[]string{"--class", "spouse", "--interests", "100", "--quota", "10"}, "the lottery applies to parents and grandparents only"},
		{[]string{"--class", "parent", "--size", "3", "--income", "2023=50000"}, "income: tax year 2021 missing"},
		{[]string{"--class", "parent", "--size", "3", "--income", "2023:50000"}, "--income 1 \"2023:50000\": want YEAR=AMOUNT"},
		{[]string{"--class", "parent", "--interests", "0", "--quota", "10"}, "interests: 0, want at least 1"},
	} {
		dir := filepath.Join(t.TempDir(), "out")
		code, _, errs := runCmd(t, append(append([]string{"sponsor"}, tc.args...), "--out", dir)...)
		if code != 2 || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, errs, tc.want)
		}
		emptyDir(t, dir)
	}
}
