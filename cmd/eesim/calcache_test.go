package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/eesim/eesim/data"
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
	calibrationCacheOn = true
	t.Cleanup(func() { calibrationCacheOn = false })
	cache := t.TempDir()
	t.Setenv("EESIM_CACHE_DIR", cache)
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
		code, stdout, stderr := runCLI(t, args(dir)...)
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

var update = flag.Bool("update", false, "rewrite data/embed/calibration.json from this code")

// TestEmbeddedCalibration calibrates on the embedded feed at its default
// start and checks that the calibration shipped in the binary is exactly
// that, byte for byte: a change to the model or the calibration must ship
// a new one. go test ./cmd/eesim -run EmbeddedCalibration -update writes it.
func TestEmbeddedCalibration(t *testing.T) {
	if runtime.GOARCH != "amd64" {
		t.Skip("the shipped calibration is made and used on amd64 only")
	}
	feed, err := data.LoadFeed("")
	if err != nil {
		t.Fatal(err)
	}
	start := defaultStart(feed.Rounds)
	c, err := calibrateNow(feed.Rounds, start)
	if err != nil {
		t.Fatal(err)
	}
	want, err := json.MarshalIndent(shippedCalibration{Key: dataKey(feed.Rounds, start), Calibration: c}, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	want = append(want, '\n')
	path := filepath.Join("..", "..", "data", "embed", "calibration.json")
	if *update {
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if !bytes.Equal(data.EmbeddedCalibration(), want) {
		t.Fatalf("data/embed/calibration.json is not what this code calibrates on the embedded feed; run go test ./cmd/eesim -run EmbeddedCalibration -update")
	}
	got := shipped(feed.Rounds, start)
	if got == nil || !reflect.DeepEqual(got, c) {
		t.Fatal("the shipped calibration is not used, or does not decode to the computed one")
	}
	if shipped(feed.Rounds, start.AddDate(0, 0, 1)) != nil || shipped(feed.Rounds[:len(feed.Rounds)-1], start) != nil {
		t.Error("the shipped calibration is used for another start or other rounds")
	}
}
