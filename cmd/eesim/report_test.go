package main

import (
	"bytes"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/eesim/eesim/data"
	"github.com/eesim/eesim/reports"
)

// reportRuns is a synthetic runs dataset: 50 runs of 3 rounds (two CEC,
// one French), cutoffs drawn around 510 and 410; run 0 invites nobody in
// the French round.
func reportRuns() []data.RunRow {
	rng := rand.New(rand.NewPCG(3, 4))
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	sched := []struct {
		days   int
		fam    string
		size   int32
		centre int
	}{{7, "cec", 3000, 510}, {9, "french", 6000, 410}, {21, "cec", 3000, 505}}
	var rows []data.RunRow
	for run := range 50 {
		for i, r := range sched {
			at := start.AddDate(0, 0, r.days).Add(15 * time.Hour)
			row := data.RunRow{Run: int32(run), Round: int32(i), Instant: at, Family: r.fam, Size: r.size,
				Invited: r.size, Cutoff: int32(r.centre + rng.IntN(21) - 10), TieBreak: at.AddDate(0, 0, -rng.IntN(40)-5)}
			if run == 0 && r.fam == "french" {
				row.Invited, row.Cutoff, row.TieBreak = 0, -1, time.Time{}
			}
			rows = append(rows, row)
		}
	}
	return rows
}

const reportConfigJSON = `{"tool": "eesim test", "start": "2026-01-01T00:00:00Z", "rounds_source": "embedded", "runs": 50}`

// writeRunDir writes a simulate-like folder: config.json and the dataset
// in the given formats.
func writeRunDir(t *testing.T, rows []data.RunRow, arrow, parquet bool) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "config.json"), []byte(reportConfigJSON), 0o644); err != nil {
		t.Fatal(err)
	}
	write := func(name string, fn func(io.Writer, []data.RunRow) error) {
		err := data.WriteFileAtomic(filepath.Join(dir, name), func(w io.Writer) error { return fn(w, rows) })
		if err != nil {
			t.Fatal(err)
		}
	}
	if arrow {
		write(data.RunsArrowFile, data.WriteRunsArrow)
	}
	if parquet {
		write(data.RunsParquetFile, data.WriteRunsParquet)
	}
	return dir
}

func TestReportMatchesDirectQuantiles(t *testing.T) {
	rows := reportRuns()
	// The quantiles computed directly from the rows, without the dataset.
	var direct bytes.Buffer
	if err := reports.WriteQuantilesCSV(&direct, reports.Quantiles(rows)); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name           string
		arrow, parquet bool
		from           string
	}{
		{"arrow", true, false, "runs.arrow"},
		{"parquet", false, true, "runs.parquet"},
		{"both", true, true, "runs.arrow"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := writeRunDir(t, rows, tc.arrow, tc.parquet)
			out := filepath.Join(t.TempDir(), "report")
			var stdout, stderr bytes.Buffer
			if code := run([]string{"report", "--in", in, "--out", out}, &streams{Out: &stdout, Err: &stderr}); code != 0 {
				t.Fatalf("exit %d: %s", code, stderr.String())
			}
			got, err := os.ReadFile(filepath.Join(out, "quantiles.csv"))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, direct.Bytes()) {
				t.Errorf("quantiles.csv differs from the direct computation:\n%s\nwant:\n%s", got, direct.String())
			}
			for _, n := range []string{"fan-cec.png", "fan-french.png"} {
				if _, err := os.Stat(filepath.Join(out, n)); err != nil {
					t.Error(err)
				}
			}
			o := stdout.String()
			if !strings.Contains(o, filepath.Join(in, tc.from)) || !strings.Contains(o, "150 rows") {
				t.Errorf("stdout does not name %s and 150 rows:\n%s", tc.from, o)
			}
			// The table: one line per projected round, the French round
			// on 2026-01-10 (day 9), size 6,000.
			if !strings.Contains(o, "2026-01-10  french  6,000") {
				t.Errorf("table lacks the French round:\n%s", o)
			}
		})
	}
}

// TestReportTable checks the printed quantiles against a dataset whose
// quantiles are known by hand: 10 runs with cutoffs 501..510, so the
// empirical p10 is the 1st smallest (ceil(1.0)), p50 the 5th, p90 the 9th.
func TestReportTable(t *testing.T) {
	at := time.Date(2026, 2, 3, 15, 0, 0, 0, time.UTC)
	var rows []data.RunRow
	for run := range 10 {
		rows = append(rows, data.RunRow{Run: int32(run), Instant: at, Family: "general", Size: 1500, Cutoff: int32(501 + run)})
		rows = append(rows, data.RunRow{Run: int32(run), Round: 1, Instant: at.AddDate(0, 0, 1), Family: "pnp", Size: 700, Cutoff: -1})
	}
	var out bytes.Buffer
	if err := writeQuantileTable(&out, reports.Quantiles(rows)); err != nil {
		t.Fatal(err)
	}
	want := "  round        date   family   size  p10  p50  p90\n" +
		"      0  2026-02-03  general  1,500  501  505  509\n" +
		"      1  2026-02-04      pnp    700    -    -    -\n"
	if out.String() != want {
		t.Errorf("table:\n%q\nwant:\n%q", out.String(), want)
	}
}

func TestReportErrors(t *testing.T) {
	rows := reportRuns()
	corrupt := writeRunDir(t, rows, false, false)
	os.WriteFile(filepath.Join(corrupt, "runs.arrow"), []byte("ARROW1\x00\x00 not really"), 0o644)
	noRuns := writeRunDir(t, rows, false, false)
	noConf := writeRunDir(t, rows, true, false)
	os.Remove(filepath.Join(noConf, "config.json"))
	badConf := writeRunDir(t, rows, true, false)
	os.WriteFile(filepath.Join(badConf, "config.json"), []byte(`{"start": "soon"}`), 0o644)
	badFeed := writeRunDir(t, rows, true, false)
	os.WriteFile(filepath.Join(badFeed, "config.json"), []byte(`{"start": "2026-01-01T00:00:00Z", "rounds_source": "/nonexistent/rounds.json"}`), 0o644)

	for _, tc := range []struct {
		name string
		args []string
		want string // in stderr
	}{
		{"corrupt arrow", []string{"--in", corrupt}, filepath.Join(corrupt, "runs.arrow")},
		{"no dataset", []string{"--in", noRuns}, "no runs.arrow or runs.parquet"},
		{"no config", []string{"--in", noConf}, filepath.Join(noConf, "config.json")},
		{"bad config", []string{"--in", badConf}, filepath.Join(badConf, "config.json")},
		{"missing feed", []string{"--in", badFeed}, "/nonexistent/rounds.json"},
		{"missing --rounds", []string{"--in", badFeed, "--rounds", "/nonexistent/r.json"}, "/nonexistent/r.json"},
		{"no --in", nil, "--in and --out are required"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "report")
			var stdout, stderr bytes.Buffer
			args := append([]string{"report", "--out", out}, tc.args...)
			if code := run(args, &streams{Out: &stdout, Err: &stderr}); code != 2 {
				t.Fatalf("exit %d, want 2; stderr %s", code, stderr.String())
			}
			if !strings.Contains(stderr.String(), tc.want) {
				t.Errorf("stderr %q does not contain %q", stderr.String(), tc.want)
			}
			if ents, _ := os.ReadDir(out); len(ents) != 0 {
				t.Errorf("files left in --out after an error: %v", ents)
			}
		})
	}
}
