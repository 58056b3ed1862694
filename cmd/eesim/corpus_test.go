package main

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/eesim/eesim/data"
	"github.com/eesim/eesim/internal/msgcheck"
)

// corpusCase is a line of testdata/malformed/cases.tsv.
type corpusCase struct {
	name string
	code int
	args string
	want []string
	line int
}

func readCorpus(t *testing.T, path string) []corpusCase {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cases []corpusCase
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fs := strings.Split(line, "\t")
		if len(fs) != 4 {
			t.Fatalf("%s:%d: %d fields, want 4 (name, exit code, arguments, stderr)", path, n, len(fs))
		}
		code, err := strconv.Atoi(fs[1])
		if err != nil {
			t.Fatalf("%s:%d: exit code %q", path, n, fs[1])
		}
		c := corpusCase{name: fs[0], code: code, args: fs[2], line: n}
		if fs[3] != "" {
			c.want = strings.Split(fs[3], " && ")
		}
		cases = append(cases, c)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return cases
}

// snapshotDir returns the names and contents of the files in dir.
func snapshotDir(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		m[e.Name()] = string(b)
	}
	return m
}

// TestMalformedCorpus runs every case of testdata/malformed/cases.tsv (the
// inputs of every command, malformed, out of range or with a recoverable
// quirk) through the eesim binary. Each must exit with its code, print no
// panic or goroutine trace and no Go internals (msgcheck), say what its
// line says, and leave nothing beside --out; a failing case must leave
// --out, which holds an earlier eesim output, as it was, and an accepted
// one must replace it.
func TestMalformedCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs it ~100 times")
	}
	bin := eesimBinary(t)
	dir, err := filepath.Abs(filepath.Join("testdata", "malformed"))
	if err != nil {
		t.Fatal(err)
	}
	cases := readCorpus(t, filepath.Join(dir, "cases.tsv"))
	if len(cases) < 60 {
		t.Fatalf("%d cases, want at least 60", len(cases))
	}
	cache := t.TempDir()
	seen := map[string]bool{}
	for _, c := range cases {
		if seen[c.name] {
			t.Fatalf("cases.tsv:%d: case %s given twice", c.line, c.name)
		}
		seen[c.name] = true
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			parent := t.TempDir()
			out := filepath.Join(parent, "out")
			if err := os.Mkdir(out, 0o755); err != nil {
				t.Fatal(err)
			}
			for name, text := range map[string]string{data.OutputMarker: "earlier\n", "earlier.csv": "a,b\n1,2\n"} {
				if err := os.WriteFile(filepath.Join(out, name), []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			before := snapshotDir(t, out)
			args := strings.Fields(strings.NewReplacer("{dir}", dir, "{out}", out).Replace(c.args))
			cmd := exec.Command(bin, args...)
			cmd.Env = append(os.Environ(), "EESIM_CACHE_DIR="+cache)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			if _, ok := err.(*exec.ExitError); err != nil && !ok {
				t.Fatal(err)
			}
			e := stderr.String()
			if code := cmd.ProcessState.ExitCode(); code != c.code {
				t.Errorf("cases.tsv:%d: exit %d, want %d\nstderr: %s", c.line, code, c.code, e)
			}
			if strings.Contains(e, "panic") || strings.Contains(e, "goroutine") {
				t.Errorf("stderr has a panic:\n%s", e)
			}
			if in := msgcheck.GoInternals(e); in != nil {
				t.Errorf("stderr shows Go internals %v:\n%s", in, e)
			}
			for _, w := range c.want {
				if !strings.Contains(e, w) {
					t.Errorf("cases.tsv:%d: stderr does not say %q:\n%s", c.line, w, e)
				}
			}
			if got := names(t, parent); !slices.Equal(got, []string{"out"}) {
				t.Errorf("beside --out: %v, want only out", got)
			}
			after := snapshotDir(t, out)
			switch {
			case c.code != 0:
				if len(after) != len(before) || after["earlier.csv"] != before["earlier.csv"] || after[data.OutputMarker] != before[data.OutputMarker] {
					t.Errorf("--out changed: %d files before, %d after", len(before), len(after))
				}
			case strings.Contains(c.args, "{out}"):
				if _, ok := after["earlier.csv"]; ok {
					t.Errorf("accepted run left the earlier output's file in --out")
				}
			}
		})
	}
}
