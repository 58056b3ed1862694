package main

import (
	"bytes"
	"encoding/csv"
	"flag"
	"image"
	_ "image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// updatePathway rewrites the golden outputs of the pathway commands
// (residency, citizenship, sponsor, ns-eoi): go test ./cmd/eesim
// -run 'Residency|Citizenship|Sponsor|NSEOI' -update-pathway.
var updatePathway = flag.Bool("update-pathway", false, "rewrite the pathway commands' golden files")

// runCmd runs eesim with args and returns the exit code and both streams.
func runCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, &streams{Out: &out, Err: &errb})
	return code, out.String(), errb.String()
}

// golden compares got with testdata/<name>, or rewrites it with
// -update-pathway.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *updatePathway {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update-pathway to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s:\n%s\nwant:\n%s", path, got, want)
	}
}

// checkPNG checks that path is a 1400x800 PNG.
func checkPNG(t *testing.T, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cfg, format, err := image.DecodeConfig(f)
	if err != nil || format != "png" || cfg.Width != 1400 || cfg.Height != 800 {
		t.Errorf("%s: %s %dx%d, err %v; want a 1400x800 png", path, format, cfg.Width, cfg.Height, err)
	}
}

// readCSV reads a CSV file whole.
func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// emptyDir fails unless dir is absent or empty.
func emptyDir(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	for _, e := range entries {
		t.Errorf("%s: unexpected file %s after a failed run", dir, e.Name())
	}
}

func TestResidencyWorkedExamples(t *testing.T) {
	// docs/domain.md, "Residency obligation": the 2010 landing complies at a 2015 renewal;
	// the 2005 landing fails in the 2007-2012 window. Derivations in
	// pathway/residency/residency_test.go.
	for _, tc := range []struct {
		file string
		want []string
	}{
		{"landing2010", []string{"945 days credited", "On 2015-06-01: COMPLIES (215 days to spare)", "Every 5-year window since landing: complies", "complies through 2016-01-02"}},
		{"landing2005", []string{"731 days credited", "Worst 5-year window so far: 2007-07-02 to 2012-07-01, 0 days", "Every 5-year window since landing: FAILS", "First day not complying: 2010-07-02"}},
	} {
		code, out, errs := runCmd(t, "residency", "--in", filepath.Join("testdata", "residency", tc.file+".json"))
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", tc.file, code, errs)
		}
		for _, w := range tc.want {
			if !strings.Contains(out, w) {
				t.Errorf("%s: output lacks %q:\n%s", tc.file, w, out)
			}
		}
		golden(t, filepath.Join("residency", tc.file+".golden"), out)
	}
}

func TestResidencyFlagsMatchFile(t *testing.T) {
	_, fromFile, _ := runCmd(t, "residency", "--in", filepath.Join("testdata", "residency", "landing2005.json"))
	code, fromFlags, errs := runCmd(t, "residency", "--landing", "2005-07-01", "--absence", "2007-07-01:2013-07-01", "--as-of", "2015-07-01")
	if code != 0 || fromFlags != fromFile {
		t.Errorf("exit %d (%s); flags output:\n%s\nfile output:\n%s", code, errs, fromFlags, fromFile)
	}
}

func TestResidencyOutputs(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	code, _, errs := runCmd(t, "residency", "--in", filepath.Join("testdata", "residency", "landing2010.json"), "--out", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	rows := readCSV(t, filepath.Join(dir, "residency_timeline.csv"))
	if strings.Join(rows[0], ",") != "date,in_canada,excepted,window_start,credited,complies,projected" {
		t.Errorf("header %v", rows[0])
	}
	// 2010-01-01..2015-06-01 is 1,978 days (365*5 + 2 leap days - 214 +
	// 1, by Python's datetime: 1977 + 1); then the projection to
	// 2016-01-02 + 60 days = 2016-03-02, 275 more days.
	hist, proj := 0, 0
	for _, r := range rows[1:] {
		if r[6] == "true" {
			proj++
		} else {
			hist++
		}
	}
	if hist != 1978 || proj != 275 {
		t.Errorf("%d history and %d projected rows, want 1978 and 275", hist, proj)
	}
	// The window ending 2016-01-02 holds exactly 730 days; the next 729.
	for _, r := range rows[1:] {
		switch r[0] {
		case "2016-01-02T00:00:00Z":
			if r[4] != "730" || r[5] != "true" {
				t.Errorf("2016-01-02: %v, want 730 and compliant", r)
			}
		case "2016-01-03T00:00:00Z":
			if r[4] != "729" || r[5] != "false" {
				t.Errorf("2016-01-03: %v, want 729 and not compliant", r)
			}
		}
	}
	checkPNG(t, filepath.Join(dir, "residency_window.png"))
}

func TestResidencyBadInput(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--in", "testdata/residency/bad_overlap.json"}, "bad_overlap.json: absences[2].depart: 2016-02-15 overlaps absence 1 (2016-01-01 to 2016-03-01)"},
		{[]string{"--in", "testdata/residency/bad_return.json"}, "bad_return.json: absences[1].return: return 2016-05-01 is before departure 2016-05-10"},
		{[]string{"--in", "testdata/residency/bad_future.json"}, "bad_future.json: absences[1].return: 2020-02-01 is after the assessment date 2020-01-01"},
		{[]string{"--in", "testdata/residency/bad_syntax.json"}, "bad_syntax.json: line 4:"},
		{[]string{"--landing", "2030-01-01", "--as-of", "2025-01-01"}, "landing: 2030-01-01 is after the assessment date 2025-01-01"},
		{[]string{"--landing", "2020-02-30"}, "--landing: date \"2020-02-30\": want YYYY-MM-DD"},
		{[]string{"--landing", "2020-01-01", "--absence", "2021-01-01"}, "--absence 1 \"2021-01-01\": want DEPART:RETURN[:EXCEPTION]"},
		{[]string{"--landing", "2020-01-01", "--absence", "2021-01-01:2021-02-01:foreign-job", "--as-of", "2024-01-01"}, "unknown exception \"foreign-job\""},
		{[]string{}, "--in FILE or --landing DATE is required"},
	} {
		dir := filepath.Join(t.TempDir(), "out")
		code, out, errs := runCmd(t, append(append([]string{"residency"}, tc.args...), "--out", dir)...)
		if code != 2 || !strings.Contains(errs, tc.want) || out != "" {
			t.Errorf("%v: exit %d, stderr %q, stdout %q; want 2 and %q", tc.args, code, errs, out, tc.want)
		}
		emptyDir(t, dir)
	}
}
