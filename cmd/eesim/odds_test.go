package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	_ "image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func oddsRunCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var o, e bytes.Buffer
	code = run(args, &streams{Out: &o, Err: &e})
	return code, o.String(), e.String()
}

func runOddsCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return oddsRunCmd(t, append([]string{"odds"}, args...)...)
}

func oddsReadCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return recs
}

// TestOddsCommandCertain uses two candidates whose fate is known without
// the simulation. A nominee at 1,200 (the maximum CRS) ranks first in
// every PNP round (synthetic nominees are normal around 740 with a spread
// of 60, truncated to 601-1200: none reaches 1,200 in practice; a tie would
// be broken by submission, and theirs is the start, after every pool
// profile), so every run invites them in the first projected PNP round. A
// candidate at 0 in FSW is never invited by a round of a few thousand.
func TestOddsCommandCertain(t *testing.T) {
	out := filepath.Join(t.TempDir(), "nominee")
	// 45 days from 2025-12-18 end on 2026-02-01: odds.csv has the month
	// ends of December and January (docs/datasets.md), the PNP round of
	// the schedule (2026-01-07) before the second. The schedule is the
	// user's, fixed: a recent schedule may draw a pause of PNP rounds.
	code, stdout, stderr := runOddsCmd(t, "--score", "1200", "--nominated", "--horizon", "45d", "--runs", "3", "--model", "default",
		"--schedule", filepath.Join("testdata", "odds", "pnp-first.csv"), "--out", out)
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	var conf RunRecord
	b, err := os.ReadFile(filepath.Join(out, "config.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &conf); err != nil {
		t.Fatal(err)
	}
	var firstPNP time.Time
	for _, r := range conf.Schedule {
		if r.Family == "pnp" {
			firstPNP = r.Instant
			break
		}
	}
	if firstPNP.IsZero() {
		t.Fatal("no PNP round in the schedule")
	}
	recs := oddsReadCSV(t, filepath.Join(out, "odds.csv"))
	if strings.Join(recs[0], ",") != "month,by,p_invited_by,p_invited_by_lo95,p_invited_by_hi95,invited_runs,runs" {
		t.Errorf("header %v", recs[0])
	}
	if len(recs) != 3 || recs[1][0] != "1" || recs[1][1] != "2025-12-31" || recs[2][0] != "2" || recs[2][1] != "2026-01-31" {
		t.Errorf("odds.csv rows %v, want months 1 and 2 ending 2025-12-31 and 2026-01-31", recs[1:])
	}
	last := recs[len(recs)-1]
	// Every run invited: (3 + 1/2) / (3 + 1) = 0.875, not a certainty.
	if last[2] != "0.8750" || last[5] != "3" || last[6] != "3" {
		t.Errorf("last row %v, want every run invited", last)
	}
	wantWait := firstPNP.Sub(conf.Start).Hours() / 24 / (365.25 / 12)
	if want := "Median wait: " + strconvF1(wantWait) + " months (" + firstPNP.Format(time.DateOnly) + ")"; !strings.Contains(stdout, want) {
		t.Errorf("stdout lacks %q:\n%s", want, stdout)
	}
	if !strings.Contains(stdout, "Invitations came from pnp 100% rounds") {
		t.Errorf("stdout:\n%s", stdout)
	}
	checkPNG(t, filepath.Join(out, "odds.png"))
	fam := oddsReadCSV(t, filepath.Join(out, "odds-families.csv"))
	if strings.Join(fam[0], ",") != "family,eligible,invited_runs,share" {
		t.Errorf("families header %v", fam[0])
	}

	out = filepath.Join(t.TempDir(), "zero")
	code, stdout, stderr = runOddsCmd(t, "--score", "0", "--programs", "FSW", "--horizon", "45d", "--runs", "2", "--model", "default", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	recs = oddsReadCSV(t, filepath.Join(out, "odds.csv"))
	// No run invites them, but a general round would rank an FSW
	// candidate: the runs cannot make that a certainty, (0 + 1/2) / (2 + 1).
	if last := recs[len(recs)-1]; last[2] != "0.1667" || last[5] != "0" {
		t.Errorf("score 0: last row %v, want 0.1667 with no run invited", last)
	}
	if !strings.Contains(stdout, "is 17%") || !strings.Contains(stdout, "Median wait: not reached") {
		t.Errorf("stdout:\n%s", stdout)
	}
}

func strconvF1(v float64) string {
	b, _ := json.Marshal(float64(int(v*10+0.5)) / 10)
	s := string(b)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}

// TestOddsCommandProfile: the profile scores 474 on the start (2025-12-18,
// eesim crs), 469 from its holder's 36th birthday on 2026-02-10, and 295
// from 2026-03-01, when its CELPIP results of 2024-03-01 turn two years old
// and stop counting; it then meets no program (CEC and FSW need a valid
// CLB 7). Its submission instant comes from the profile.
func TestOddsCommandProfile(t *testing.T) {
	out := filepath.Join(t.TempDir(), "p")
	code, stdout, stderr := runOddsCmd(t, "--profile", filepath.Join("testdata", "odds", "profile-birthday.json"),
		"--horizon", "4mo", "--runs", "2", "--model", "default", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	var conf RunRecord
	b, _ := os.ReadFile(filepath.Join(out, "config.json"))
	if err := json.Unmarshal(b, &conf); err != nil {
		t.Fatal(err)
	}
	c := conf.Candidate
	if c == nil {
		t.Fatal("config.json has no candidate")
	}
	if c.Score != 474 || c.Programs != "CEC+FSW" || !c.Submitted.Equal(time.Date(2025, 11, 20, 9, 30, 0, 0, time.UTC)) {
		t.Errorf("candidate %+v", c)
	}
	if len(c.Changes) != 2 || c.Changes[0].Score != 469 || !c.Changes[0].From.Equal(time.Date(2026, 2, 10, 0, 0, 0, 0, time.UTC)) ||
		c.Changes[1].Score != 295 || c.Changes[1].Programs != "" || !c.Changes[1].From.Equal(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("changes %+v", c.Changes)
	}
	if !strings.Contains(stdout, "With a CRS of 474 in CEC, FSW (categories: healthcare), submitted 2025-11-20") {
		t.Errorf("stdout:\n%s", stdout)
	}
}

func TestOddsCommandBadInput(t *testing.T) {
	profile := filepath.Join("testdata", "odds", "profile-birthday.json")
	for _, c := range []struct {
		name string
		args []string
		msg  string
	}{
		{"neither", []string{"--out", "x"}, "exactly one of --score and --profile"},
		{"both", []string{"--score", "500", "--programs", "CEC", "--profile", profile, "--out", "x"}, "exactly one of --score and --profile"},
		{"no programs", []string{"--score", "500", "--out", "x"}, "--score needs --programs"},
		{"bad horizon", []string{"--score", "500", "--programs", "CEC", "--horizon", "12months", "--out", "x"}, "horizon"},
		{"bad program", []string{"--score", "500", "--programs", "CEC,PGWP", "--out", "x"}, `program "PGWP"`},
		{"score range", []string{"--score", "1300", "--programs", "CEC", "--out", "x"}, "--score 1300"},
		{"bad submitted", []string{"--score", "500", "--programs", "CEC", "--submitted", "yesterday", "--out", "x"}, "--submitted"},
		{"bad profile", []string{"--profile", filepath.Join("testdata", "odds", "profile-bad.json"), "--out", "x"}, "education"},
		{"missing profile", []string{"--profile", filepath.Join("testdata", "odds", "nope.json"), "--out", "x"}, "nope.json"},
		{"no out", []string{"--score", "500", "--programs", "CEC"}, "--out"},
		{"runs", []string{"--score", "500", "--programs", "CEC", "--runs", "0", "--out", "x"}, "--runs"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, _, stderr := runOddsCmd(t, c.args...)
			if code != 2 || !strings.Contains(stderr, c.msg) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, stderr, c.msg)
			}
		})
	}
}
