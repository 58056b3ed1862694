package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/eesim/eesim/data"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
	binOut  []byte
)

// eesimBinary builds the eesim binary once per test process, so that
// tests can run the real command: signals, exit codes, stderr.
func eesimBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "eesim-bin-")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "eesim")
		binOut, binErr = exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
	})
	if binErr != nil {
		t.Fatalf("go build: %v\n%s", binErr, binOut)
	}
	return binPath
}

// names lists dir, sorted; nil when it does not exist.
func names(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	slices.Sort(out)
	return out
}

// TestSignalStopsSimulate starts `eesim simulate --runs 5000`, waits until
// it is running its runs (its staging folder beside --out holds
// runs.arrow), and sends SIGINT; then the same with SIGTERM into a folder
// holding an earlier output. eesim must exit 130 or 143 with one line on
// stderr and no panic, leave no file beside --out, and leave --out as it
// was: absent, or the earlier output.
func TestSignalStopsSimulate(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and a 240k pool")
	}
	bin := eesimBinary(t)
	for _, tc := range []struct {
		name     string
		sig      syscall.Signal
		code     int
		previous bool
	}{
		{"SIGINT", syscall.SIGINT, 130, false},
		{"SIGTERM", syscall.SIGTERM, 143, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			parent := t.TempDir()
			out := filepath.Join(parent, "out")
			var before []string
			if tc.previous {
				if err := os.Mkdir(out, 0o755); err != nil {
					t.Fatal(err)
				}
				for _, n := range []string{data.OutputMarker, "runs.arrow", "fan-cec.png"} {
					if err := os.WriteFile(filepath.Join(out, n), []byte("earlier run"), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				before = names(t, out)
			}
			cmd := exec.Command(bin, "simulate", "--runs", "5000", "--out", out)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			// Mid-run: the staging folder holds runs.arrow (opened just
			// before the runs start); 2 s later some runs are done (a
			// run of the default projection takes 10-40 ms, setting up
			// under 1 s) and most of the 5000 are not.
			deadline := time.Now().Add(2 * time.Minute)
			running := false
			for !running && time.Now().Before(deadline) {
				select {
				case err := <-done:
					t.Fatalf("eesim ended before the signal: %v\n%s", err, stderr.String())
				case <-time.After(50 * time.Millisecond):
				}
				tmps, _ := filepath.Glob(filepath.Join(parent, ".out.eesim-tmp-*", "runs.arrow"))
				running = len(tmps) > 0
			}
			if !running {
				cmd.Process.Kill()
				t.Fatal("eesim never started its runs")
			}
			time.Sleep(2 * time.Second)
			if err := cmd.Process.Signal(tc.sig); err != nil {
				t.Fatal(err)
			}
			var err error
			select {
			case err = <-done:
			case <-time.After(time.Minute):
				cmd.Process.Kill()
				t.Fatal("eesim did not stop within a minute of the signal")
			}
			if code := cmd.ProcessState.ExitCode(); code != tc.code {
				t.Errorf("exit code %d (%v), want %d", code, err, tc.code)
			}
			e := stderr.String()
			if strings.Contains(e, "panic") || strings.Contains(e, "goroutine") {
				t.Errorf("stderr has a panic:\n%s", e)
			}
			lines := strings.Split(strings.TrimSpace(e), "\n")
			if last := lines[len(lines)-1]; !strings.Contains(last, "interrupted by "+tc.name) || !strings.Contains(last, "nothing was written") {
				t.Errorf("last stderr line %q, want it to say interrupted by %s and nothing was written", last, tc.name)
			}
			wantParent := []string(nil)
			if tc.previous {
				wantParent = []string{"out"}
			}
			if got := names(t, parent); !slices.Equal(got, wantParent) {
				t.Errorf("beside --out: %v, want %v", got, wantParent)
			}
			if got := names(t, out); !slices.Equal(got, before) {
				t.Errorf("--out holds %v, want %v", got, before)
			}
		})
	}
}

// TestRerunReplacesOutput runs simulate twice into one --out: first with
// runs.parquet and a four-round schedule, then without, with two rounds of
// other families. --out must then hold exactly what the second run writes
// into a fresh folder: no runs.parquet, no fan chart of the first run's
// families. A folder eesim did not write is refused (exit 2) and left as
// it was.
func TestRerunReplacesOutput(t *testing.T) {
	if testing.Short() {
		t.Skip("builds pools of 240k candidates")
	}
	dir := t.TempDir()
	first := filepath.Join(dir, "first.csv")
	if err := os.WriteFile(first, []byte("date,type,programs,category,version,size\n2026-01-07,french,,,,2000\n2026-01-14,healthcare,,,,1500\n2026-01-21,cec,,,,3000\n2026-01-28,pnp,,,,800\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	second := filepath.Join("testdata", "simulate", "two-rounds.csv")
	args := func(sched, out string, extra ...string) []string {
		return append([]string{"simulate", "--start", "2025-12-18", "--schedule", sched, "--runs", "2", "--model", "default", "--out", out}, extra...)
	}
	used, fresh := filepath.Join(dir, "used"), filepath.Join(dir, "fresh")
	if code, _, stderr := runCLI(t, args(first, used, "--parquet")...); code != 0 {
		t.Fatalf("first run: exit %d: %s", code, stderr)
	}
	firstFiles := names(t, used)
	if code, _, stderr := runCLI(t, args(second, used, "--parquet=false")...); code != 0 {
		t.Fatalf("second run: exit %d: %s", code, stderr)
	}
	if code, _, stderr := runCLI(t, args(second, fresh, "--parquet=false")...); code != 0 {
		t.Fatalf("fresh run: exit %d: %s", code, stderr)
	}
	got, want := names(t, used), names(t, fresh)
	if !slices.Equal(got, want) {
		t.Errorf("re-used --out holds %v, want the second run's %v (first run wrote %v)", got, want, firstFiles)
	}
	if slices.Equal(firstFiles, want) || !slices.Contains(firstFiles, "runs.parquet") {
		t.Errorf("the first run's files %v do not differ from the second's %v: the test proves nothing", firstFiles, want)
	}
	for _, n := range want {
		a, _ := os.ReadFile(filepath.Join(used, n))
		b, _ := os.ReadFile(filepath.Join(fresh, n))
		if n != "config.json" && !bytes.Equal(a, b) {
			t.Errorf("%s differs from the fresh run's", n)
		}
	}
	if got := names(t, dir); !slices.Equal(got, []string{"first.csv", "fresh", "used"}) {
		t.Errorf("beside the outputs: %v", got)
	}

	// A folder with a file eesim did not write.
	mine := filepath.Join(dir, "mine")
	os.Mkdir(mine, 0o755)
	os.WriteFile(filepath.Join(mine, "notes.txt"), []byte("mine"), 0o644)
	code, _, stderr := runCLI(t, args(second, mine)...)
	if code != 2 || !strings.Contains(stderr, mine) || !strings.Contains(stderr, data.OutputMarker) {
		t.Errorf("foreign --out: exit %d, stderr %q; want 2 naming the folder and %s", code, stderr, data.OutputMarker)
	}
	if got := names(t, mine); !slices.Equal(got, []string{"notes.txt"}) {
		t.Errorf("foreign --out now holds %v", got)
	}
}
