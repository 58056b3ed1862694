package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const crsProfile = "testdata/crs/profile.json"

func runCrsArgs(t *testing.T, args ...string) (code int, out, errOut string) {
	t.Helper()
	var o, e bytes.Buffer
	code = run(append([]string{"crs"}, args...), &streams{Out: &o, Err: &e})
	return code, o.String(), e.String()
}

// TestCrsJSON scores the example profile on 2025-09-01 (rules of
// 2025-03-25). Hand working: born 1995-06-15 -> 30: A1 105; masters A2
// 135; IELTS 8/7/7/8.5 = CLB 10/9/9/10: A3 34+31+31+34 = 130; TEF (2025,
// 0-699 scale) 470/430/460/440 = NCLC 8/7/7/7: A4 3×4 = 12; 1 year
// Canadian A5 40 -> core 422. C1 masters+CLB 9 50 + masters+1 year 25 ->
// 50; C2 3 foreign+CLB 9 50 + 3 foreign+1 year 25 -> 50; C 100. D
// one-or-two-year Canadian study 15 + French with English 5+ 50 = 65.
// Total 587.
func TestCrsJSON(t *testing.T) {
	code, out, errOut := runCrsArgs(t, "--profile", crsProfile, "--on", "2025-09-01", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	want := `{"total":587,"core":422,"spouse":0,"transferability":100,"additional":65}` + "\n"
	if out != want {
		t.Errorf("got %q, want %q", out, want)
	}
}

// TestCrsJSONEra: the same profile on 2025-03-01 (2020-10-27 rules) is 29:
// A1 110 instead of 105, total 592; the language results of January and
// February 2025 exist. Nothing else in the profile depends on the era.
func TestCrsJSONEra(t *testing.T) {
	code, out, errOut := runCrsArgs(t, "--profile", crsProfile, "--on", "2025-03-01", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if want := `{"total":592,"core":427,"spouse":0,"transferability":100,"additional":65}` + "\n"; out != want {
		t.Errorf("got %q, want %q", out, want)
	}
}

// TestCrsGolden checks the table and --explain output against golden files
// (go test -run TestCrsGolden -update to rewrite them after review).
func TestCrsGolden(t *testing.T) {
	for _, c := range []struct {
		golden string
		args   []string
	}{
		{"table.golden", []string{"--profile", crsProfile, "--on", "2025-09-01"}},
		{"explain.golden", []string{"--profile", crsProfile, "--on", "2025-09-01", "--explain"}},
	} {
		code, out, errOut := runCrsArgs(t, c.args...)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", c.golden, code, errOut)
		}
		path := filepath.Join("testdata", "crs", c.golden)
		if *update {
			if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if out != string(want) {
			t.Errorf("%s: output differs:\n%s\nwant:\n%s", c.golden, out, want)
		}
	}
}

// TestCrsExplain checks the explain rows against the hand working of
// TestCrsJSON, independently of the golden file.
func TestCrsExplain(t *testing.T) {
	code, out, _ := runCrsArgs(t, "--profile", crsProfile, "--on", "2025-09-01", "--explain")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, w := range []string{
		"A1 age 30, without spouse: 105",
		"A2 education masters, without spouse: 135",
		"A3 first language reading CLB 10, without spouse: 34",
		"A4 second language reading CLB 8, without spouse: 3",
		"A5 Canadian work 1 year, without spouse: 40",
		"C1 education group, capped at 50: -25",
		"D French NCLC 7+ on all four, English CLB 5+ on all four: 50",
		"Total                        587",
	} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
}

// TestCrsExpiredWarning: on 2027-02-01 the IELTS result of 2025-01-20 is
// two years old: a warning on stderr, exit 0.
func TestCrsExpiredWarning(t *testing.T) {
	code, _, errOut := runCrsArgs(t, "--profile", crsProfile, "--on", "2027-02-01", "--json")
	if code != 0 || !strings.Contains(errOut, "first_language: results dated 2025-01-20 are two or more years old") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

func TestCrsBadInput(t *testing.T) {
	base, err := os.ReadFile(crsProfile)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name, old, new string) string {
		t.Helper()
		s := strings.Replace(string(base), old, new, 1)
		if s == string(base) {
			t.Fatalf("%s: %q not in the example profile", name, old)
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	clb13 := write("clb13.json", `"test": "IELTS",
    "reading": 8.0`, `"test": "CLB",
    "reading": 13`)
	ageNeg := write("age.json", `"birth_date": "1995-06-15"`, `"age": -1`)
	edu := write("edu.json", `"education": "masters"`, `"education": "diploma"`)
	unborn := write("born.json", `"birth_date": "1995-06-15"`, `"birth_date": "2016-01-01"`)
	for _, c := range []struct {
		name string
		args []string
		want string // in stderr
	}{
		{"CLB 13", []string{"--profile", clb13}, "clb13.json: first_language.reading: CLB 13 is out of range 0-12"},
		{"age -1", []string{"--profile", ageNeg}, "age.json: age: -1 is out of range"},
		{"unknown education", []string{"--profile", edu}, `edu.json: education: unknown level "diploma"`},
		{"missing file", []string{"--profile", filepath.Join(dir, "nope.json")}, "nope.json"},
		{"no profile", nil, "--profile is required"},
		{"bad date", []string{"--profile", crsProfile, "--on", "2025-02-30"}, "--on: want a date"},
		{"before Express Entry", []string{"--profile", crsProfile, "--on", "2014-12-31"}, "2015-01-01"},
		{"json and explain", []string{"--profile", crsProfile, "--json", "--explain"}, "cannot be used together"},
		{"born after date", []string{"--profile", unborn, "--on", "2015-06-01"}, "born.json: birth_date: 2016-01-01 is after the date scored"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := runCrsArgs(t, c.args...)
			if code != 2 {
				t.Errorf("exit %d, want 2 (stderr %q)", code, errOut)
			}
			if !strings.Contains(errOut, c.want) {
				t.Errorf("stderr %q lacks %q", errOut, c.want)
			}
			if out != "" {
				t.Errorf("stdout not empty: %q", out)
			}
		})
	}
}
