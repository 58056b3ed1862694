package main

import (
	"bytes"
	"encoding/csv"
	"github.com/eesim/eesim/data"
	_ "image/png"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// fixtureFeed is 10 rounds copied from IRCC's feed (#76, #240, #289, #293,
// #294, #367, #368, #386, #387, #388).
var fixtureFeed = filepath.Join("..", "..", "reports", "testdata", "rounds-small.json")

func TestHistoryFixture(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	var stdout, stderr bytes.Buffer
	code := run([]string{"history", "--rounds", fixtureFeed, "--out", out}, &streams{Out: &stdout, Err: &stderr})
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr.String())
	}
	want, err := os.ReadFile(filepath.Join("..", "..", "reports", "testdata", "history-summary.golden"))
	if err != nil {
		t.Fatal(err)
	}
	if stdout.String() != string(want) {
		t.Errorf("stdout:\n%s\nwant:\n%s", stdout.String(), want)
	}
	entries, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	wantNames := []string{data.OutputMarker, "cutoffs.png", "invitations-monthly.csv", "invitations-monthly.png", "pool.png",
		"rounds.csv", "snapshots.csv", "tiebreak-lag.csv", "tiebreak-lag.png"}
	if strings.Join(names, " ") != strings.Join(wantNames, " ") {
		t.Fatalf("files in --out: %v, want %v", names, wantNames)
	}
	for _, n := range names {
		if !strings.HasSuffix(n, ".png") {
			continue
		}
		checkPNG(t, filepath.Join(out, n))
	}
	// The fixture has 10 rounds, 9 of which (all but #76) published a
	// tie-break. Its drawDistributionAsOn dates are 7 distinct ones (#388 and
	// #387 share 2025-12-14, #368 and #367 2025-09-14; #76 published none),
	// each written as 15 band rows. Its months with rounds are 2017-11,
	// 2023-02, 2024-03, 2024-04 (two families), 2025-09 (two) and 2025-12
	// (three): 10 (month, family) rows.
	for _, c := range []struct {
		name string
		rows int
	}{{"rounds.csv", 10}, {"tiebreak-lag.csv", 9}, {"snapshots.csv", 7 * 15}, {"invitations-monthly.csv", 10}} {
		f, err := os.Open(filepath.Join(out, c.name))
		if err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if len(recs) != c.rows+1 {
			t.Errorf("%s: %d rows, want a header and %d", c.name, len(recs), c.rows)
		}
	}
}

func TestHistoryBadFeed(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"rounds": [{"drawNumber": "1", "drawDate": "not a date"`), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	if err := os.Mkdir(out, 0o755); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	code := run([]string{"history", "--rounds", bad, "--out", out}, &streams{Out: &stdout, Err: &stderr})
	if code != 2 {
		t.Errorf("exit %d, want 2; stderr:\n%s", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), "bad.json") {
		t.Errorf("stderr does not name the file: %q", stderr.String())
	}
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Errorf("--out has %d entries after a failed run, want none", len(entries))
	}
	if stdout.Len() != 0 {
		t.Errorf("stdout = %q, want nothing", stdout.String())
	}
}

func TestHistoryNoOut(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"history"}, &streams{Out: &stdout, Err: &stderr}); code != 2 {
		t.Errorf("exit %d without --out, want 2", code)
	}
}
