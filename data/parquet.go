package data

import (
	"context"
	"fmt"
	"io"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// parquetBatchSize is the number of rows per batch when reading Parquet.
// It must not be 0: pqarrow then returns records of zero rows.
const parquetBatchSize = 64 * 1024

// noCloseWriter hides the Close of the underlying writer: pqarrow closes
// its sink, and the file belongs to the caller (WriteFileAtomic, FileSet).
type noCloseWriter struct{ io.Writer }

// writeParquet writes rec as a Parquet file: snappy compression,
// dictionary encoding off, the Arrow schema stored so that readers get the
// time zone and second unit back.
func writeParquet(w io.Writer, rec arrow.Record, mem memory.Allocator) error {
	mem = allocator(mem)
	props := parquet.NewWriterProperties(
		parquet.WithCompression(compress.Codecs.Snappy),
		parquet.WithDictionaryDefault(false),
		parquet.WithAllocator(mem),
		parquet.WithCreatedBy("eesim"),
	)
	aprops := pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema(), pqarrow.WithAllocator(mem))
	fw, err := pqarrow.NewFileWriter(rec.Schema(), noCloseWriter{w}, props, aprops)
	if err != nil {
		return fmt.Errorf("parquet: %w", err)
	}
	if err := fw.Write(rec); err != nil {
		fw.Close()
		return fmt.Errorf("parquet: %w", err)
	}
	if err := fw.Close(); err != nil {
		return fmt.Errorf("parquet: %w", err)
	}
	return nil
}

// WriteRoundsParquet writes rounds as a Parquet file with RoundsSchema.
func WriteRoundsParquet(w io.Writer, rounds []Round, mem memory.Allocator) error {
	rec := RoundsRecord(rounds, mem)
	defer rec.Release()
	return writeParquet(w, rec, mem)
}

// WriteSnapshotsParquet writes snapshots as a Parquet file with
// SnapshotsSchema.
func WriteSnapshotsParquet(w io.Writer, snaps []Snapshot, mem memory.Allocator) error {
	rec := SnapshotsRecord(snaps, mem)
	defer rec.Release()
	return writeParquet(w, rec, mem)
}

// readParquet calls fn on every record batch of a Parquet file.
func readParquet(r parquet.ReaderAtSeeker, mem memory.Allocator, fn func(arrow.Record) error) error {
	mem = allocator(mem)
	pf, err := file.NewParquetReader(r, file.WithReadProps(parquet.NewReaderProperties(mem)))
	if err != nil {
		return fmt.Errorf("parquet: %w", err)
	}
	defer pf.Close()
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{BatchSize: parquetBatchSize}, mem)
	if err != nil {
		return fmt.Errorf("parquet: %w", err)
	}
	rr, err := fr.GetRecordReader(context.Background(), nil, nil)
	if err != nil {
		return fmt.Errorf("parquet: %w", err)
	}
	defer rr.Release()
	for rr.Next() {
		if err := fn(rr.Record()); err != nil {
			return err
		}
	}
	// Err is io.EOF at a normal end.
	if err := rr.Err(); err != nil && err != io.EOF {
		return fmt.Errorf("parquet: %w", err)
	}
	return nil
}

// ReadRoundsParquet reads rounds written by WriteRoundsParquet. Snapshot
// is nil in the rounds returned: attach them with AttachSnapshots.
func ReadRoundsParquet(r parquet.ReaderAtSeeker, mem memory.Allocator) ([]Round, error) {
	return readRounds(func(fn func(arrow.Record) error) error { return readParquet(r, mem, fn) })
}

// ReadSnapshotsParquet reads snapshots written by WriteSnapshotsParquet.
func ReadSnapshotsParquet(r parquet.ReaderAtSeeker, mem memory.Allocator) ([]Snapshot, error) {
	return readSnapshots(func(fn func(arrow.Record) error) error { return readParquet(r, mem, fn) })
}

// StageDatasets writes rounds.arrow, snapshots.arrow, rounds.parquet and
// snapshots.parquet for rounds into fs; they appear in the set's folder at
// fs.Commit.
func StageDatasets(fs *FileSet, rounds []Round) error {
	snaps := Snapshots(rounds)
	steps := []struct {
		name  string
		write func(io.Writer) error
	}{
		{RoundsArrowFile, func(w io.Writer) error { return WriteRoundsArrow(w, rounds, nil) }},
		{SnapshotsArrowFile, func(w io.Writer) error { return WriteSnapshotsArrow(w, snaps, nil) }},
		{RoundsParquetFile, func(w io.Writer) error { return WriteRoundsParquet(w, rounds, nil) }},
		{SnapshotsParquetFile, func(w io.Writer) error { return WriteSnapshotsParquet(w, snaps, nil) }},
	}
	for _, s := range steps {
		if err := fs.Add(s.name, s.write); err != nil {
			return err
		}
	}
	return nil
}
