package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eesim/eesim/data"
)

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, &streams{Out: &out, Err: &errb})
	return code, out.String(), errb.String()
}

// simArgs is a small projection: a fixed two-round schedule, few runs.
func simArgs(dir string, extra ...string) []string {
	return append([]string{"simulate", "--start", "2025-12-18", "--schedule", filepath.Join("testdata", "simulate", "two-rounds.csv"),
		"--runs", "12", "--seed", "7", "--model", "default", "--out", dir}, extra...)
}

func TestSimulateSameSeedAnyWorkers(t *testing.T) {
	if testing.Short() {
		t.Skip("builds pools of 240k candidates")
	}
	var ref map[string][]byte
	for _, w := range []string{"1", "2", "8"} {
		dir := t.TempDir()
		code, _, stderr := runCLI(t, simArgs(dir, "--workers", w)...)
		if code != 0 {
			t.Fatalf("workers %s: exit %d: %s", w, code, stderr)
		}
		got := map[string][]byte{}
		for _, f := range []string{"quantiles.csv", "runs.arrow"} {
			b, err := os.ReadFile(filepath.Join(dir, f))
			if err != nil {
				t.Fatal(err)
			}
			got[f] = b
		}
		if ref == nil {
			ref = got
			continue
		}
		for f := range ref {
			if !bytes.Equal(ref[f], got[f]) {
				t.Errorf("workers %s: %s differs from workers 1", w, f)
			}
		}
	}
}

func TestSimulateShardsUnionEqualsWhole(t *testing.T) {
	if testing.Short() {
		t.Skip("builds pools of 240k candidates")
	}
	whole := t.TempDir()
	if code, _, stderr := runCLI(t, simArgs(whole)...); code != 0 {
		t.Fatalf("whole: exit %d: %s", code, stderr)
	}
	all, err := data.ReadRunsFile(filepath.Join(whole, "runs.arrow"))
	if err != nil {
		t.Fatal(err)
	}
	var union []data.RunRow
	for _, k := range []string{"1/3", "2/3", "3/3"} {
		dir := t.TempDir()
		if code, _, stderr := runCLI(t, simArgs(dir, "--shard", k, "--parquet")...); code != 0 {
			t.Fatalf("shard %s: exit %d: %s", k, code, stderr)
		}
		rows, err := data.ReadRunsFile(filepath.Join(dir, "runs.parquet"))
		if err != nil {
			t.Fatal(err)
		}
		union = append(union, rows...)
	}
	if len(union) != len(all) {
		t.Fatalf("union of shards has %d rows, whole run %d", len(union), len(all))
	}
	for i := range all {
		if all[i] != union[i] {
			t.Fatalf("row %d: shard union %+v, whole %+v", i, union[i], all[i])
		}
	}
}

func TestSimulateBadInput(t *testing.T) {
	for _, tc := range []struct {
		name, schedule, want string
	}{
		{"negative size", "date,type,size\n2026-01-07,cec,-5\n", "size"},
		{"unknown type", "date,type,size\n2026-01-07,lottery,3000\n", "type"},
		{"before start", "date,type,size\n2025-01-07,cec,3000\n", "date"},
		{"malformed line", "date,type,size\n2026-01-07,cec\n", ":2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sched := filepath.Join(t.TempDir(), "plan.csv")
			if err := os.WriteFile(sched, []byte(tc.schedule), 0o644); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(t.TempDir(), "out")
			code, _, stderr := runCLI(t, "simulate", "--start", "2025-12-18", "--schedule", sched, "--runs", "2", "--model", "default", "--out", out)
			if code != 2 {
				t.Fatalf("exit %d, want 2; stderr: %s", code, stderr)
			}
			if !strings.Contains(stderr, "plan.csv") || !strings.Contains(stderr, tc.want) {
				t.Errorf("message %q does not name the file and %q", stderr, tc.want)
			}
			if entries, _ := os.ReadDir(out); len(entries) > 0 {
				t.Errorf("left %d files in --out", len(entries))
			}
		})
	}
}
