package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestNSEOIProfileByHand(t *testing.T) {
	// CLB 9/8/7/9: 7+6+5+7 = 25; French CLB 5+: 7; 3-year NS degree: 15;
	// 48 months: 10; age 29: 7; adaptability 15 capped at 10; outside
	// Halifax: 5. Total 79.
	code, out, errs := runCmd(t, "ns-eoi", "--profile", filepath.Join("testdata", "nseoi", "profile.json"), "--date", "2026-03-01")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "total   ") || !strings.Contains(out, "79") || !strings.Contains(out, "Eligible: yes") {
		t.Errorf("output:\n%s", out)
	}
	golden(t, filepath.Join("nseoi", "profile.golden"), out)
	// The same profile with test scores instead of CLB levels (IRCC
	// charts: IELTS listening 8.0 = CLB 9, reading 6.5 = 8, writing 6.0 =
	// 7, speaking 7.0 = 9; TEF listening and reading 352, writing 330,
	// speaking 387 = CLB 5) scores the same 79.
	code, outTests, errs := runCmd(t, "ns-eoi", "--profile", filepath.Join("testdata", "nseoi", "profile_tests.json"), "--date", "2026-03-01")
	if code != 0 || !strings.Contains(outTests, "total                                         79") ||
		!strings.Contains(outTests, "listening IELTS 8 = CLB 9: 7, reading IELTS 6.5 = CLB 8: 6, writing IELTS 6 = CLB 7: 5, speaking IELTS 7 = CLB 9: 7") {
		t.Errorf("test scores: exit %d %s\n%s", code, errs, outTests)
	}
	// The same profile on 2027-01-15: the language test is 2 years old.
	_, out, _ = runCmd(t, "ns-eoi", "--profile", filepath.Join("testdata", "nseoi", "profile.json"), "--date", "2027-01-15")
	if !strings.Contains(out, "Eligible: NO") || !strings.Contains(out, "language test of 2025-01-15 is 2 or more years old") {
		t.Errorf("expired test:\n%s", out)
	}
}

func TestNSEOIPool(t *testing.T) {
	// Round 1 (2025-04-01, 2): a (80), then b (75, submitted before c).
	// Round 2 (2025-06-01, 1): d2 (78) replaced d; pool e, c, d2.
	// Round 3 (2026-01-20, 5): e expired on 2026-01-01 09:00 (a calendar
	// year after 2025-01-01 09:00); c only.
	dir := filepath.Join(t.TempDir(), "out")
	code, out, errs := runCmd(t, "ns-eoi", "--pool", filepath.Join("testdata", "nseoi", "pool.json"), "--out", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	golden(t, filepath.Join("nseoi", "pool.golden"), out)
	rows := readCSV(t, filepath.Join(dir, "nseoi_invitations.csv"))
	var got []string
	for _, r := range rows[1:] {
		got = append(got, r[0][:10]+":"+r[2])
	}
	if strings.Join(got, " ") != "2025-04-01:a 2025-04-01:b 2025-06-01:d2 2026-01-20:c" {
		t.Errorf("invitations %v", got)
	}
	// All tied: round 1 also invites c (75).
	_, out, _ = runCmd(t, "ns-eoi", "--pool", filepath.Join("testdata", "nseoi", "pool.json"), "--tie-break", "all-tied")
	if !strings.Contains(out, "2025-04-01 invited: a, b, c") {
		t.Errorf("all-tied:\n%s", out)
	}
}

func TestNSEOIBadInput(t *testing.T) {
	tmp := t.TempDir()
	bad := filepath.Join(tmp, "bad.json")
	os.WriteFile(bad, []byte(`{"eois": [{"id": "a", "points": 106, "submitted": "2025-01-01"}], "rounds": [{"date": "2025-02-01", "size": 1}]}`), 0o644)
	badTime := filepath.Join(tmp, "badtime.json")
	os.WriteFile(badTime, []byte(`{"eois": [{"id": "a", "points": 50, "submitted": "yesterday"}], "rounds": []}`), 0o644)
	badProfile := filepath.Join(tmp, "badprofile.json")
	os.WriteFile(badProfile, []byte(`{"first_language": [9, 9, 9, 13], "education": "ns-phd"}`), 0o644)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--pool", bad}, "eois[1].points: 106 out of range 0-105"},
		{[]string{"--pool", badTime}, "time \"yesterday\": want RFC 3339"},
		{[]string{"--profile", badProfile}, "first_language[3]: CLB 13 out of range"},
		{[]string{"--pool", bad, "--tie-break", "random"}, "tie-break \"random\""},
		{[]string{}, "give exactly one of --profile FILE, --pool FILE and --invited DATE"},
		{[]string{"--invited", "2025-04-01", "--step", "lunch=2025-04-02"}, "--step 1 \"lunch=2025-04-02\": want NAME=DATE with NAME one of provider-named"},
		{[]string{"--invited", "2025-04-01", "--step", "application=2025-03-02", "--date", "2025-05-01"}, "application: 2025-03-02 is before the invitation 2025-04-01"},
		{[]string{"--invited", "2025-04-01", "--holiday", "someday"}, "--holiday 1: date \"someday\""},
		{[]string{"--pool", bad, "--step", "application=2025-03-02"}, "--step and --holiday go with --invited"},
	} {
		dir := filepath.Join(tmp, "out")
		code, _, errs := runCmd(t, append(append([]string{"ns-eoi"}, tc.args...), "--out", dir)...)
		if len(tc.args) > 0 && (tc.args[0] == "--profile" || tc.args[0] == "--invited") {
			code, _, errs = runCmd(t, append([]string{"ns-eoi"}, tc.args...)...)
		}
		if code != 2 || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, errs, tc.want)
		}
		emptyDir(t, dir)
	}
}

func TestNSEOIDeadlines(t *testing.T) {
	// docs/domain.md, "Nova Scotia EOI", after an invitation: ITA
	// 2025-04-01; provider named on day 14 (due 2025-04-21); no
	// application by 2025-06-30 (90 days); contacted Monday 2025-07-07, 15
	// business days with the 2025-07-14 holiday = 2025-07-29 (Python's
	// datetime).
	code, out, errs := runCmd(t, "ns-eoi", "--invited", "2025-04-01", "--step", "provider-named=2025-04-15", "--step", "interview-contact=2025-07-07", "--holiday", "2025-07-14", "--date", "2025-07-10")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, w := range []string{"Rule source: Nova Scotia Office of Immigration", "2025-04-01  2025-04-21  2025-04-15  met", "2025-04-01  2025-06-30  -           OVERDUE",
		"2025-07-07  2025-07-29  -           open, 19 days left", "the complete application with the audit report not done by the deadline 2025-06-30"} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
}
