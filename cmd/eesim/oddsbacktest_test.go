package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// oddsBacktestArgs is a short odds backtest: starts 2022-06-01 and
// 2022-07-01, two months each, three runs, the grid of testdata.
func oddsBacktestArgs(dir string, extra ...string) []string {
	return append([]string{"backtest", "--mode", "odds", "--from", "2022-06-01", "--to", "2022-07-01", "--horizon", "2mo",
		"--runs", "3", "--grid", filepath.Join("testdata", "oddsbacktest", "grid.csv"), "--out", dir}, extra...)
}

func TestOddsBacktestCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("builds synthetic pools")
	}
	dir := t.TempDir()
	code, out, stderr := runCLI(t, oddsBacktestArgs(dir, "--workers", "1")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, f := range []string{"odds-backtest.csv", "reliability.csv", "config.json"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("missing %s", f)
		}
	}
	checkPNG(t, filepath.Join(dir, "reliability.png"))
	rows := readCSV(t, filepath.Join(dir, "odds-backtest.csv"))
	// 2 starts x 3 candidates x 2 months, and the header.
	if len(rows) != 13 || strings.Join(rows[0][:3], ",") != "start,month,by" {
		t.Fatalf("odds-backtest.csv: %d rows, header %v", len(rows), rows[0])
	}
	// The last CEC round before 2022-06 was #205 (2021-09-14, cutoff 462);
	// general round #226 (2022-07-06, cutoff 557) invited the CEC
	// candidate at 562 (read from the IRCC feed).
	found := false
	for _, r := range rows[1:] {
		if r[0] == "2022-07-01" && r[1] == "1" && r[3] == "cec" && r[7] == "562" {
			found = true
			if r[9] != "462" || r[16] != "1" || !strings.HasPrefix(r[17], "2022-07-06") {
				t.Errorf("row %v", r)
			}
		}
	}
	if !found {
		t.Error("no row for the CEC candidate at 562 from 2022-07-01")
	}
	if rel := readCSV(t, filepath.Join(dir, "reliability.csv")); len(rel) != 21 {
		t.Errorf("reliability.csv: %d rows, want 2 x 10 bins and the header", len(rel))
	}
	for _, s := range []string{"Brier", "log loss", "clips probabilities to [0.001, 0.999]", "reliability", "all"} {
		if !strings.Contains(out, s) {
			t.Errorf("summary lacks %q:\n%s", s, out)
		}
	}
}

// TestOddsBacktestSameSeedAnyWorkers checks that odds-backtest.csv is
// byte-identical at 1 and 2 workers.
func TestOddsBacktestSameSeedAnyWorkers(t *testing.T) {
	if testing.Short() {
		t.Skip("builds synthetic pools")
	}
	var got [2][]byte
	for i, w := range []string{"1", "2"} {
		dir := t.TempDir()
		if code, _, stderr := runCLI(t, oddsBacktestArgs(dir, "--workers", w, "--seed", "5")...); code != 0 {
			t.Fatalf("workers %s: exit %d: %s", w, code, stderr)
		}
		b, err := os.ReadFile(filepath.Join(dir, "odds-backtest.csv"))
		if err != nil {
			t.Fatal(err)
		}
		got[i] = b
	}
	if !bytes.Equal(got[0], got[1]) {
		t.Error("odds-backtest.csv differs between 1 and 2 workers")
	}
}

func TestOddsBacktestBadInput(t *testing.T) {
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--grid", filepath.Join("testdata", "oddsbacktest", "bad-grid.csv")}, "bad-grid.csv: row 3: score: 590"},
		{[]string{"--grid", filepath.Join("testdata", "oddsbacktest", "missing.csv")}, "missing.csv"},
		{[]string{"--horizon", "10d"}, "at least one month"},
		{[]string{"--record-end", "2022-06-15"}, "no month start"},
		{[]string{"--runs", "0"}, "--runs"},
	} {
		dir := filepath.Join(t.TempDir(), "out")
		args := append([]string{"backtest", "--mode", "odds", "--from", "2022-06-01", "--to", "2022-07-01", "--out", dir}, tc.args...)
		code, _, stderr := runCLI(t, args...)
		if code != 2 || !strings.Contains(stderr, tc.msg) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, stderr, tc.msg)
		}
		if entries, _ := os.ReadDir(dir); len(entries) > 0 {
			t.Errorf("%v: left files in --out", tc.args)
		}
	}
	dir := filepath.Join(t.TempDir(), "out")
	if code, _, stderr := runCLI(t, "backtest", "--mode", "replay", "--grid", "x.csv", "--out", dir); code != 2 || !strings.Contains(stderr, "--mode odds only") {
		t.Errorf("--grid with replay: exit %d, %s", code, stderr)
	}
}
