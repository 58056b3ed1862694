package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOutputGolden runs simulate and odds on a small fixed schedule
// (testdata/simulate/two-rounds.csv), with the uncalibrated model and a
// few runs, and compares what they print and their CSV and config.json
// with the golden files under testdata/golden/: any change of output shows
// up as a diff to review. go test ./cmd/eesim -run OutputGolden -update
// rewrites them. Charts are not compared (see DEVELOPING.md, "Golden
// files"); runs.arrow is binary and covered by data's round-trip tests.
func TestOutputGolden(t *testing.T) {
	sched := filepath.Join("testdata", "simulate", "two-rounds.csv")
	common := []string{"--start", "2025-12-18", "--schedule", sched, "--runs", "4", "--seed", "7", "--model", "default"}
	for _, c := range []struct {
		name  string
		args  []string
		files []string
	}{
		{"simulate", append([]string{"simulate", "--horizon", "30d"}, common...), []string{"quantiles.csv", "config.json"}},
		{"odds", append([]string{"odds", "--score", "520", "--programs", "CEC", "--horizon", "30d"}, common...),
			[]string{"odds.csv", "odds-families.csv", "config.json"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			code, stdout, stderr := runCLI(t, append(c.args, "--out", dir)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			got := map[string]string{"stdout": strings.ReplaceAll(stdout, dir, "OUT"), "stderr": stderr}
			for _, f := range c.files {
				b, err := os.ReadFile(filepath.Join(dir, f))
				if err != nil {
					t.Fatal(err)
				}
				got[f] = string(b)
			}
			for _, f := range append([]string{"stdout", "stderr"}, c.files...) {
				path := filepath.Join("testdata", "golden", c.name, f+".golden")
				if *update {
					if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(path, []byte(got[f]), 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (go test ./cmd/eesim -run OutputGolden -update writes it)", err)
				}
				if got[f] != string(want) {
					t.Errorf("%s differs from %s:\n%s", f, path, got[f])
				}
			}
		})
	}
}
