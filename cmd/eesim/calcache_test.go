package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCalibrationCache runs the same projection three times with the
// calibrated model: calibrating and filling the cache, from the cache,
// and from a corrupted cache (which must be ignored). The three must
// print the same table and write the same config.json and quantiles.csv
// as each other: the cache may change how long a command takes, nothing
// else.
func TestCalibrationCache(t *testing.T) {
	if testing.Short() {
		t.Skip("calibrates twice on the whole record")
	}
	cache := t.TempDir()
	args := func(dir string) []string {
		// Not the default start, which the shipped calibration serves.
		return []string{"simulate", "--start", "2025-12-20", "--schedule", filepath.Join("testdata", "simulate", "two-rounds.csv"),
			"--runs", "4", "--seed", "7", "--out", dir}
	}
	var ref []string
	for i, name := range []string{"cold", "cached", "corrupt cache"} {
		if i == 2 {
			files, _ := filepath.Glob(filepath.Join(cache, "calibration-*.json"))
			if len(files) != 1 {
				t.Fatalf("%d cache files after two runs, want 1", len(files))
			}
			if err := os.WriteFile(files[0], []byte(`{"model": [`), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		dir := t.TempDir()
		var out, errb bytes.Buffer
		code := run(args(dir), &streams{Out: &out, Err: &errb, CacheDir: cache})
		stdout, stderr := out.String(), errb.String()
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", name, code, stderr)
		}
		got := []string{strings.ReplaceAll(stdout, dir, "OUT"), stderr}
		for _, f := range []string{"config.json", "quantiles.csv"} {
			b, err := os.ReadFile(filepath.Join(dir, f))
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, strings.ReplaceAll(string(b), dir, "OUT"))
		}
		if ref == nil {
			ref = got
			continue
		}
		for j, what := range []string{"stdout", "stderr", "config.json", "quantiles.csv"} {
			if got[j] != ref[j] {
				t.Errorf("%s: %s differs from the first run:\n%s\nfirst:\n%s", name, what, got[j], ref[j])
			}
		}
	}
}
