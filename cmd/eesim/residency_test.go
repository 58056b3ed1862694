package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"image"
	_ "image/png"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// runCmd runs eesim with args and returns the exit code and both streams.
func runCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, &streams{Out: &out, Err: &errb})
	return code, out.String(), errb.String()
}

// golden compares got with testdata/<name>, or rewrites it with
// -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
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
	// The same history given as a file, as the old and the named --absence
	// forms, and as a CSV or JSON travel file prints the same.
	_, fromFile, _ := runCmd(t, "residency", "--in", filepath.Join("testdata", "residency", "landing2005.json"))
	for _, args := range [][]string{
		{"--absence", "2007-07-01:2013-07-01"},
		{"--absence", "from=2007-07-01,to=2013-07-01,country=IN"},
		{"--travel", filepath.Join("testdata", "residency", "travel2005.csv")},
		{"--travel", filepath.Join("testdata", "residency", "travel2005.json")},
	} {
		code, fromFlags, errs := runCmd(t, append([]string{"residency", "--landing", "2005-07-01", "--as-of", "2015-07-01"}, args...)...)
		if code != 0 || fromFlags != fromFile {
			t.Errorf("%v: exit %d (%s); output:\n%s\nfile output:\n%s", args, code, errs, fromFlags, fromFile)
		}
	}
}

func TestResidencyAsOfInsideAbsence(t *testing.T) {
	// Issue 18: --as-of may fall inside an absence. Landed 2015-01-01,
	// abroad 2019-12-01 to 2020-02-01, assessed 2020-01-01: still abroad
	// then. Window 2015-01-02..2020-01-01 (1,826 days) less 2019-12-02..
	// 2020-01-01 (31 days) = 1,795 (Python's datetime).
	code, out, errs := runCmd(t, "residency", "--in", filepath.Join("testdata", "residency", "asof_inside.json"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, w := range []string{"1,795 days credited", "absence 1 (2019-12-01 to 2020-02-01) returns after 2020-01-01: still abroad that day", "COMPLIES (1,065 days to spare)"} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
	// The same record assessed later counts the return: the window
	// 2015-03-02..2020-03-01 (1,827 days) less 2019-12-02..2020-01-31 (30
	// + 31 days) = 1,766.
	_, out, _ = runCmd(t, "residency", "--in", filepath.Join("testdata", "residency", "asof_inside.json"), "--as-of", "2020-03-01")
	if strings.Contains(out, "returns after") || !strings.Contains(out, "1,766 days credited") {
		t.Errorf("assessed after the return:\n%s", out)
	}
}

func TestResidencyOutputs(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	code, _, errs := runCmd(t, "residency", "--in", filepath.Join("testdata", "residency", "landing2010.json"), "--out", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	rows := readCSV(t, filepath.Join(dir, "residency_timeline.csv"))
	if strings.Join(rows[0], ",") != "date,in_canada,excepted,window_start,credited,complies,projected,rule_source" {
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
		case "2016-01-02":
			if r[4] != "730" || r[5] != "true" {
				t.Errorf("2016-01-02: %v, want 730 and compliant", r)
			}
		case "2016-01-03":
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
		{[]string{"--in", "testdata/residency/bad_overlap.json"}, "bad_overlap.json: absences[2].from: 2016-02-15 overlaps absence 1 (2016-01-01 to 2016-03-01)"},
		{[]string{"--in", "testdata/residency/bad_return.json"}, "bad_return.json: absences[1].to: return 2016-05-01 is before departure 2016-05-10"},
		{[]string{"--in", "testdata/residency/bad_syntax.json"}, "bad_syntax.json: line 4:"},
		{[]string{"--landing", "2015-01-01", "--travel", "testdata/residency/bad_travel_overlap.csv", "--as-of", "2020-01-01"}, "bad_travel_overlap.csv: line 4: from: 2016-02-15 overlaps absence 1 (line 2) (2016-01-01 to 2016-03-01)"},
		{[]string{"--landing", "2015-01-01", "--travel", "testdata/residency/bad_travel_date.csv"}, "bad_travel_date.csv: line 3: to: date \"2016-13-01\": want YYYY-MM-DD"},
		{[]string{"--landing", "2015-01-01", "--travel", "testdata/residency/none.csv"}, "none.csv: no such file"},
		{[]string{"--landing", "2030-01-01", "--as-of", "2025-01-01"}, "landing: 2030-01-01 is after the assessment date 2025-01-01"},
		{[]string{"--landing", "2020-02-30"}, "--landing: date \"2020-02-30\": want YYYY-MM-DD"},
		{[]string{"--landing", "2020-01-01", "--absence", "2021-01-01"}, "--absence 1 \"2021-01-01\": want from=DATE,to=DATE,country=C,reason=R (or DEPART:RETURN[:REASON])"},
		{[]string{"--landing", "2020-01-01", "--absence", "2021-01-01:2021-02-01:foreign-job", "--as-of", "2024-01-01"}, "reason: unknown \"foreign-job\""},
		{[]string{"--landing", "2020-01-01", "--absence", "from=2021-01-01,to=2021-02-01,reason=foreign-job"}, "--absence 1 \"from=2021-01-01,to=2021-02-01,reason=foreign-job\": reason: unknown \"foreign-job\""},
		{[]string{"--landing", "2020-01-01", "--absence", "from=2021-01-01,country=FR;DE@2020-12-01", "--as-of", "2024-01-01"}, "flags: absences[1].country: DE: arrival 2020-12-01 is not after the departure"},
		{[]string{"--landing", "2020-01-01", "--absence", "from=2021-01-01", "--travel", "x.csv"}, "use --absence or --travel, not both"},
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

// numberTokens returns the numbers written in s, commas dropped and
// normalised ("1,094.50" and "1094.5" are both "1094.5"; a date gives its
// year, month and day).
func numberTokens(s string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`\d[\d,]*(\.\d+)?`).FindAllString(s, -1) {
		v, err := strconv.ParseFloat(strings.ReplaceAll(m, ",", ""), 64)
		if err == nil {
			out = append(out, strconv.FormatFloat(v, 'f', -1, 64))
		}
	}
	return out
}

// jsonTokens collects the numbers of a decoded JSON document: each number
// (and, for a probability, its percentage to one decimal, as the text
// prints it), the numbers inside its strings, and the length of each
// array.
func jsonTokens(v any, set map[string]bool) {
	switch x := v.(type) {
	case float64:
		set[strconv.FormatFloat(x, 'f', -1, 64)] = true
		pct, _ := strconv.ParseFloat(strconv.FormatFloat(100*x, 'f', 1, 64), 64)
		set[strconv.FormatFloat(pct, 'f', -1, 64)] = true
	case string:
		for _, t := range numberTokens(x) {
			set[t] = true
		}
	case []any:
		set[strconv.Itoa(len(x))] = true
		for _, e := range x {
			jsonTokens(e, set)
		}
	case map[string]any:
		for _, e := range x {
			jsonTokens(e, set)
		}
	}
}

// TestPathwayJSON runs each pathway command with --json, parses the
// output as one JSON document, and checks that every number the text
// output prints is in it (issue 18: one document with every number of the
// text output; docs/json.md).
func TestPathwayJSON(t *testing.T) {
	for _, args := range [][]string{
		{"residency", "--in", "testdata/residency/landing2005.json"},
		{"residency", "--landing", "2010-01-01", "--absence", "from=2013-01-01,to=2017-01-01,reason=public-service", "--absence", "from=2018-01-01,to=2018-02-01", "--as-of", "2015-06-01"},
		{"residency", "--landing", "2022-01-01", "--absence", "from=2022-01-10", "--as-of", "2024-06-01"},
		{"citizenship", "--in", "testdata/citizenship/applicant.json"},
		{"citizenship", "--in", "testdata/citizenship/crown.json"},
		{"citizenship", "--pr-date", "2020-01-01", "--sign", "2022-12-30", "--birth", "2010-01-01"},
		{"sponsor", "--in", "testdata/sponsor/parents.json", "--trials", "300"},
		{"sponsor", "--in", "testdata/sponsor/spouse.json"},
		{"sponsor", "--class", "orphaned-relative", "--size", "3", "--income", "2024=40000", "--age", "12"},
		{"sponsor", "--class", "parent", "--size", "2", "--income", "2022=50000", "--income", "2023=50000", "--income", "2024=50000", "--invited", "2025-07-28", "--as-of", "2025-09-01"},
		{"ns-eoi", "--profile", "testdata/nseoi/profile.json", "--date", "2026-03-01"},
		{"ns-eoi", "--profile", "testdata/nseoi/profile_tests.json", "--date", "2026-03-01"},
		{"ns-eoi", "--pool", "testdata/nseoi/pool.json"},
		{"ns-eoi", "--invited", "2025-04-01", "--step", "provider-named=2025-04-15", "--step", "interview-contact=2025-07-07", "--holiday", "2025-07-14", "--date", "2025-07-10"},
	} {
		code, text, errs := runCmd(t, args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errs)
		}
		code, js, errs := runCmd(t, append(args, "--json")...)
		if code != 0 {
			t.Fatalf("%v --json: exit %d: %s", args, code, errs)
		}
		var doc map[string]any
		dec := json.NewDecoder(strings.NewReader(js))
		if err := dec.Decode(&doc); err != nil {
			t.Fatalf("%v --json: not JSON: %v\n%s", args, err, js)
		}
		if dec.More() {
			t.Errorf("%v --json: more than one document", args)
		}
		if doc["command"] != args[0] || doc["source"] == "" {
			t.Errorf("%v --json: command %v source %v", args, doc["command"], doc["source"])
		}
		set := map[string]bool{}
		jsonTokens(doc, set)
		for _, tok := range numberTokens(text) {
			if !set[tok] {
				t.Errorf("%v: the text's number %s is not in the JSON document", args, tok)
			}
		}
	}
}
