package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBacktestCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("calibrates on a year of rounds")
	}
	dir := t.TempDir()
	// Walk-forward over the rounds of 2022-07 (two general rounds: #226 on
	// 2022-07-06 and #227 on 2022-07-20), calibrated on the first half of 2022.
	code, out, stderr := runCLI(t, "backtest", "--mode", "walk-forward", "--from", "2022-07-01", "--to", "2022-07-31",
		"--runs", "3", "--out", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, f := range []string{"backtest.csv", "calibration.json", "config.json"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("missing %s", f)
		}
	}
	checkPNG(t, filepath.Join(dir, "backtest-general.png"))
	b, err := os.ReadFile(filepath.Join(dir, "backtest.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "draw_number,draw_date,family,invitations,real_cutoff,predicted_cutoff,lo80,hi80,real_tiebreak,predicted_tiebreak,baseline_last,baseline_mean3") {
		t.Fatalf("backtest.csv:\n%s", b)
	}
	// #226: 1,500 invitations at 557; #227: 1,750 at 542 (read from the IRCC feed).
	if !strings.HasPrefix(lines[1], "226,2022-07-06,general,1500,557,") || !strings.HasPrefix(lines[2], "227,2022-07-20,general,1750,542,") {
		t.Errorf("rows:\n%s\n%s", lines[1], lines[2])
	}
	if !strings.Contains(out, "general") || !strings.Contains(out, "MAE") {
		t.Errorf("summary:\n%s", out)
	}
}

func TestBacktestBadInput(t *testing.T) {
	for _, args := range [][]string{
		{"backtest", "--mode", "forecast"},
		{"backtest", "--from", "2025-13-01"},
		{"backtest", "--from", "2025-06-01", "--to", "2025-01-01"},
		{"backtest", "--runs", "0"},
	} {
		dir := filepath.Join(t.TempDir(), "out")
		code, _, stderr := runCLI(t, append(args, "--out", dir)...)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2 (%s)", args, code, stderr)
		}
		if entries, _ := os.ReadDir(dir); len(entries) > 0 {
			t.Errorf("%v: left files in --out", args)
		}
	}
}

func TestCalibrateShow(t *testing.T) {
	code, out, stderr := runCLI(t, "calibrate", "--as-of", "2022-03-01", "--show")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	// Snapshots are published from round #214 (2022-01-19); before
	// 2022-03-01 rounds #214, #215 and #216 (PNP, 2022-01-19, 02-02, 02-16)
	// have one.
	if !strings.Contains(out, "3 rounds with snapshots observed") {
		t.Errorf("output:\n%s", out)
	}
	for _, n := range []string{"214", "215", "216"} {
		if !strings.Contains(out, "\n"+n+" ") {
			t.Errorf("round %s not listed:\n%s", n, out)
		}
	}
}
