package data

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

// sameRounds compares rounds read back from a dataset with the originals
// (Snapshot aside, which the rounds file does not hold).
func sameRounds(t *testing.T, got, want []Round) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("read %d rounds, wrote %d", len(got), len(want))
	}
	for i := range want {
		w := want[i]
		if w.Snapshot == nil {
			// No distribution published: the snapshot date is written
			// empty (docs/datasets.md: nothing published stays empty).
			w.SnapshotDate = time.Time{}
		}
		w.Snapshot = nil
		g := got[i]
		if g.Snapshot != nil {
			t.Errorf("round %s: Snapshot set by the reader", g.Number)
		}
		// time.Time values from the reader carry time.UTC; compare
		// instants with Equal, the rest with ==.
		if !g.Date.Equal(w.Date) || !g.Instant.Equal(w.Instant) || !g.TieBreak.Equal(w.TieBreak) || !g.SnapshotDate.Equal(w.SnapshotDate) {
			t.Errorf("round %s: times\n got %v %v %v %v\nwant %v %v %v %v", w.Number,
				g.Date, g.Instant, g.TieBreak, g.SnapshotDate, w.Date, w.Instant, w.TieBreak, w.SnapshotDate)
		}
		g.Date, g.Instant, g.TieBreak, g.SnapshotDate = w.Date, w.Instant, w.TieBreak, w.SnapshotDate
		if g != w {
			t.Errorf("round %s:\n got %+v\nwant %+v", w.Number, g, w)
		}
	}
}

func sameSnapshots(t *testing.T, got, want []Snapshot) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("read %d snapshots, wrote %d", len(got), len(want))
	}
	for i := range want {
		if !got[i].Date.Equal(want[i].Date) || got[i].Counts != want[i].Counts || got[i].Total != want[i].Total {
			t.Errorf("snapshot %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
}

// TestDatasetRoundTrip writes the embedded feed's rounds and snapshots as
// Arrow IPC and Parquet and reads them back, with a checked allocator that
// must end with nothing allocated.
func TestDatasetRoundTrip(t *testing.T) {
	f := loadEmbedded(t)
	snaps := Snapshots(f.Rounds)
	formats := []struct {
		name      string
		wRounds   func(*bytes.Buffer, memory.Allocator) error
		wSnaps    func(*bytes.Buffer, memory.Allocator) error
		rRounds   func(*bytes.Reader, memory.Allocator) ([]Round, error)
		rSnaps    func(*bytes.Reader, memory.Allocator) ([]Snapshot, error)
		magicHead string
	}{
		{"arrow",
			func(b *bytes.Buffer, m memory.Allocator) error { return WriteRoundsArrow(b, f.Rounds, m) },
			func(b *bytes.Buffer, m memory.Allocator) error { return WriteSnapshotsArrow(b, snaps, m) },
			func(r *bytes.Reader, m memory.Allocator) ([]Round, error) { return ReadRoundsArrow(r, m) },
			func(r *bytes.Reader, m memory.Allocator) ([]Snapshot, error) { return ReadSnapshotsArrow(r, m) },
			"ARROW1"},
		{"parquet",
			func(b *bytes.Buffer, m memory.Allocator) error { return WriteRoundsParquet(b, f.Rounds, m) },
			func(b *bytes.Buffer, m memory.Allocator) error { return WriteSnapshotsParquet(b, snaps, m) },
			func(r *bytes.Reader, m memory.Allocator) ([]Round, error) { return ReadRoundsParquet(r, m) },
			func(r *bytes.Reader, m memory.Allocator) ([]Snapshot, error) { return ReadSnapshotsParquet(r, m) },
			"PAR1"},
	}
	for _, ft := range formats {
		t.Run(ft.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)

			var rb, sb bytes.Buffer
			if err := ft.wRounds(&rb, mem); err != nil {
				t.Fatal(err)
			}
			if err := ft.wSnaps(&sb, mem); err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(rb.Bytes(), []byte(ft.magicHead)) || !bytes.HasSuffix(rb.Bytes(), []byte(ft.magicHead)) {
				t.Errorf("rounds file does not start and end with %q", ft.magicHead)
			}
			rounds, err := ft.rRounds(bytes.NewReader(rb.Bytes()), mem)
			if err != nil {
				t.Fatal(err)
			}
			sameRounds(t, rounds, f.Rounds)
			got, err := ft.rSnaps(bytes.NewReader(sb.Bytes()), mem)
			if err != nil {
				t.Fatal(err)
			}
			sameSnapshots(t, got, snaps)

			// Re-linking gives every round its snapshot back.
			AttachSnapshots(rounds, got)
			for i := range rounds {
				w := f.Rounds[i].Snapshot
				g := rounds[i].Snapshot
				if (w == nil) != (g == nil) || (w != nil && (g.Counts != w.Counts || g.Total != w.Total)) {
					t.Errorf("round %s: snapshot %v after AttachSnapshots, want %v", rounds[i].Number, g, w)
				}
			}
		})
	}
}

// TestRoundsRecordSchema checks the Arrow types that other tools rely on:
// UTC second timestamps, date32 days, nulls where a value is absent.
func TestRoundsRecordSchema(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	f, err := LoadFeed("testdata/feed_small.json")
	if err != nil {
		t.Fatal(err)
	}
	rec := RoundsRecord(f.Rounds, mem)
	defer rec.Release()
	if rec.NumRows() != 9 || rec.NumCols() != 13 {
		t.Fatalf("record %d x %d, want 9 x 13", rec.NumRows(), rec.NumCols())
	}
	ts := rec.Schema().Field(2).Type.(*arrow.TimestampType)
	if ts.Unit != arrow.Second || ts.TimeZone != "UTC" {
		t.Errorf("instant type %s, want timestamp[s, tz=UTC]", ts)
	}
	// Round #6 (first row) has no tie-break (blank drawCutOff) and is
	// general: category null.
	if rec.Column(11).IsValid(0) || rec.Column(7).IsValid(0) {
		t.Errorf("row 0 (round 6): tiebreak or category not null")
	}
	// Row 6 is round #388 of 2025-12-17, day 20439 since 1970-01-01
	// (python3: (date(2025,12,17) - date(1970,1,1)).days).
	const want = arrow.Date32(20439)
	if got := rec.Column(1).(interface{ Value(int) arrow.Date32 }).Value(6); got != want {
		t.Errorf("row 6 draw_date = %d, want %d", got, want)
	}
	srec := SnapshotsRecord(Snapshots(f.Rounds), mem)
	defer srec.Release()
	if srec.NumRows() != 3*NumBands {
		t.Errorf("snapshot rows = %d, want %d", srec.NumRows(), 3*NumBands)
	}
}

// TestStageDatasets writes the four files through a FileSet: nothing is in
// the folder before Commit, all four after.
func TestStageDatasets(t *testing.T) {
	dir := t.TempDir()
	f, err := LoadFeed("testdata/feed_small.json")
	if err != nil {
		t.Fatal(err)
	}
	fs, err := NewFileSet(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := StageDatasets(fs, f.Rounds); err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{RoundsArrowFile, SnapshotsArrowFile, RoundsParquetFile, SnapshotsParquetFile} {
		if _, err := os.Stat(filepath.Join(dir, n)); err == nil {
			t.Errorf("%s present before Commit", n)
		}
	}
	if err := fs.Commit(); err != nil {
		t.Fatal(err)
	}
	file, err := os.Open(filepath.Join(dir, RoundsParquetFile))
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	rs, err := ReadRoundsParquet(file, nil)
	if err != nil {
		t.Fatal(err)
	}
	sameRounds(t, rs, f.Rounds)
	a, err := os.Open(filepath.Join(dir, SnapshotsArrowFile))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	ss, err := ReadSnapshotsArrow(a, nil)
	if err != nil {
		t.Fatal(err)
	}
	sameSnapshots(t, ss, Snapshots(f.Rounds))
}

// TestRoundsCSVGolden compares WriteRoundsCSV and WriteSnapshotsCSV on the
// fixture feed with testdata/rounds.golden.csv and
// testdata/snapshots.golden.csv (go test -run CSVGolden -update rewrites
// them; review the diff).
func TestRoundsCSVGolden(t *testing.T) {
	f, err := LoadFeed("testdata/feed_small.json")
	if err != nil {
		t.Fatal(err)
	}
	var rb, sb bytes.Buffer
	if err := WriteRoundsCSV(&rb, f.Rounds); err != nil {
		t.Fatal(err)
	}
	if err := WriteSnapshotsCSV(&sb, Snapshots(f.Rounds)); err != nil {
		t.Fatal(err)
	}
	for _, g := range []struct {
		file string
		got  []byte
	}{{"testdata/rounds.golden.csv", rb.Bytes()}, {"testdata/snapshots.golden.csv", sb.Bytes()}} {
		if *update {
			if err := os.WriteFile(g.file, g.got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(g.file)
		if err != nil {
			t.Fatalf("%v (run with -update to create it)", err)
		}
		if !bytes.Equal(g.got, want) {
			t.Errorf("%s differs:\n got:\n%s\nwant:\n%s", g.file, g.got, want)
		}
	}
}
