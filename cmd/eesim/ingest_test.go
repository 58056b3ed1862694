package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eesim/eesim/data"
)

// TestIngestEmbedded ingests the embedded feed: 389 rounds (the feed's
// rows, counted with python3 len(json.load(f)["rounds"])), 107 distinct
// snapshots and 237 warnings (see data.TestEmbeddedFeedWarnings), and four
// files that read back.
func TestIngestEmbedded(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	var stdout, stderr bytes.Buffer
	code := run([]string{"ingest", "--out", out}, &streams{Out: &stdout, Err: &stderr})
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr.String())
	}
	if !strings.HasPrefix(stdout.String(), "389 rounds, 107 snapshots, 237 warnings") {
		t.Errorf("stdout = %q", stdout.String())
	}
	// loadFeed may group repeated warnings; the singular ones are printed
	// as they are.
	for _, w := range []string{"warning: round 247: dd3: ", "warning: round 357: drawDateTime: ", "warning: round 208: drawCutOff: "} {
		if !strings.Contains(stderr.String(), w) {
			t.Errorf("stderr lacks %q", w)
		}
	}
	f, err := os.Open(filepath.Join(out, data.RoundsArrowFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rs, err := data.ReadRoundsArrow(f, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 389 || rs[388].Number != "388" {
		t.Errorf("rounds.arrow: %d rounds, want 389 ending with #388", len(rs))
	}
	p, err := os.Open(filepath.Join(out, data.SnapshotsParquetFile))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	ss, err := data.ReadSnapshotsParquet(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(ss) != 107 {
		t.Errorf("snapshots.parquet: %d snapshots, want 107", len(ss))
	}
	entries, _ := os.ReadDir(out)
	if len(entries) != 5 {
		t.Errorf("%d entries in --out, want the 4 datasets and %s (no temporary files left)", len(entries), data.OutputMarker)
	}
}

// TestIngestBadFeed runs ingest on malformed feeds (testdata/ingest): each
// exits 2, names the file, round and field, and leaves --out empty.
func TestIngestBadFeed(t *testing.T) {
	tests := []struct {
		file string
		want []string
	}{
		// Cut a third of the way in, inside round #388's dd9.
		{"truncated.json", []string{"truncated.json: round 388: dd9: invalid JSON at line", "unexpected end of JSON input"}},
		{"string_count.json", []string{`string_count.json: round 247: drawSize: "abc" is not a count`}},
		{"negative_count.json", []string{`negative_count.json: round 387: drawSize: "-5" is negative`}},
		{"empty_rounds.json", []string{"empty_rounds.json: rounds: empty"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			var stdout, stderr bytes.Buffer
			code := run([]string{"ingest", "--rounds", filepath.Join("testdata", "ingest", tt.file), "--out", out},
				&streams{Out: &stdout, Err: &stderr})
			if code != 2 {
				t.Errorf("exit %d, want 2", code)
			}
			for _, w := range tt.want {
				if !strings.Contains(stderr.String(), w) {
					t.Errorf("stderr = %q, want it to contain %q", stderr.String(), w)
				}
			}
			entries, _ := os.ReadDir(out)
			if len(entries) != 0 {
				t.Errorf("--out holds %d entries, want none", len(entries))
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout = %q, want nothing", stdout.String())
			}
		})
	}
}

func TestIngestUsage(t *testing.T) {
	for _, args := range [][]string{
		{"ingest"},                    // no --out
		{"ingest", "--out"},           // flag without value
		{"ingest", "--out", "x", "y"}, // stray argument
		{"ingest", "--bogus", "--out", "x"},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(args, &streams{Out: &stdout, Err: &stderr}); code != 2 {
			t.Errorf("%v: exit %d, want 2 (stderr %q)", args, code, stderr.String())
		}
	}
	var stdout, stderr bytes.Buffer
	missing := filepath.Join(t.TempDir(), "nope.json")
	if code := run([]string{"ingest", "--rounds", missing, "--out", t.TempDir()}, &streams{Out: &stdout, Err: &stderr}); code != 2 {
		t.Errorf("missing --rounds file: exit %d, want 2", code)
	}
}
