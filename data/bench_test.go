package data

import (
	"bytes"
	"testing"
)

// BenchmarkParseAndArrow parses the whole embedded feed (389 rounds) and
// converts rounds and snapshots to Arrow records in memory.
func BenchmarkParseAndArrow(b *testing.B) {
	raw := EmbeddedFeed()
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		f, err := ParseFeed(bytes.NewReader(raw), EmbeddedSource)
		if err != nil {
			b.Fatal(err)
		}
		rr := RoundsRecord(f.Rounds, nil)
		sr := SnapshotsRecord(Snapshots(f.Rounds), nil)
		rr.Release()
		sr.Release()
	}
}

// BenchmarkParseDateTime parses the usual drawDateTime form.
func BenchmarkParseDateTime(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := ParseDateTime("December 17, 2025 at 12:26:48 UTC", 0); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWriteDatasets writes the embedded feed's rounds as Arrow IPC and
// Parquet to memory.
func BenchmarkWriteDatasets(b *testing.B) {
	f, err := LoadFeed("")
	if err != nil {
		b.Fatal(err)
	}
	snaps := Snapshots(f.Rounds)
	var buf bytes.Buffer
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		buf.Reset()
		if err := WriteRoundsArrow(&buf, f.Rounds, nil); err != nil {
			b.Fatal(err)
		}
		if err := WriteSnapshotsArrow(&buf, snaps, nil); err != nil {
			b.Fatal(err)
		}
		if err := WriteRoundsParquet(&buf, f.Rounds, nil); err != nil {
			b.Fatal(err)
		}
		if err := WriteSnapshotsParquet(&buf, snaps, nil); err != nil {
			b.Fatal(err)
		}
	}
}
