package data

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// The dataset file names written by WriteDatasets.
const (
	RoundsArrowFile      = "rounds.arrow"
	SnapshotsArrowFile   = "snapshots.arrow"
	RoundsParquetFile    = "rounds.parquet"
	SnapshotsParquetFile = "snapshots.parquet"
)

// tsUTC is the type of every instant: seconds since the Unix epoch, UTC.
var tsUTC = &arrow.TimestampType{Unit: arrow.Second, TimeZone: "UTC"}

// RoundsSchema is the schema of rounds.arrow and rounds.parquet: one row
// per round, oldest first (see the package documentation).
var RoundsSchema = arrow.NewSchema([]arrow.Field{
	{Name: "draw_number", Type: arrow.BinaryTypes.String},
	{Name: "draw_date", Type: arrow.FixedWidthTypes.Date32},
	{Name: "instant", Type: tsUTC},
	{Name: "draw_name", Type: arrow.BinaryTypes.String},
	{Name: "type", Type: arrow.BinaryTypes.String},
	{Name: "family", Type: arrow.BinaryTypes.String},
	{Name: "programs", Type: arrow.BinaryTypes.String},
	{Name: "category", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "category_version", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "invitations", Type: arrow.PrimitiveTypes.Int32},
	{Name: "cutoff", Type: arrow.PrimitiveTypes.Int32},
	{Name: "tiebreak", Type: tsUTC, Nullable: true},
	{Name: "snapshot_date", Type: arrow.FixedWidthTypes.Date32, Nullable: true},
}, nil)

// SnapshotsSchema is the schema of snapshots.arrow and snapshots.parquet:
// one row per snapshot per band, oldest snapshot first, bands highest
// first.
var SnapshotsSchema = arrow.NewSchema([]arrow.Field{
	{Name: "snapshot_date", Type: arrow.FixedWidthTypes.Date32},
	{Name: "band_low", Type: arrow.PrimitiveTypes.Int32},
	{Name: "band_high", Type: arrow.PrimitiveTypes.Int32},
	{Name: "count", Type: arrow.PrimitiveTypes.Int32},
	{Name: "total", Type: arrow.PrimitiveTypes.Int32},
}, nil)

func allocator(mem memory.Allocator) memory.Allocator {
	if mem == nil {
		return memory.DefaultAllocator
	}
	return mem
}

func date32(t time.Time) arrow.Date32 { return arrow.Date32FromTime(t) }

// RoundsRecord converts rounds to one Arrow record with RoundsSchema. The
// caller must Release it. mem nil means memory.DefaultAllocator.
func RoundsRecord(rounds []Round, mem memory.Allocator) arrow.Record {
	b := array.NewRecordBuilder(allocator(mem), RoundsSchema)
	defer b.Release()
	for _, f := range b.Fields() {
		f.Reserve(len(rounds))
	}
	num := b.Field(0).(*array.StringBuilder)
	date := b.Field(1).(*array.Date32Builder)
	inst := b.Field(2).(*array.TimestampBuilder)
	name := b.Field(3).(*array.StringBuilder)
	typ := b.Field(4).(*array.StringBuilder)
	fam := b.Field(5).(*array.StringBuilder)
	progs := b.Field(6).(*array.StringBuilder)
	cat := b.Field(7).(*array.StringBuilder)
	ver := b.Field(8).(*array.StringBuilder)
	inv := b.Field(9).(*array.Int32Builder)
	cut := b.Field(10).(*array.Int32Builder)
	tie := b.Field(11).(*array.TimestampBuilder)
	snap := b.Field(12).(*array.Date32Builder)
	for i := range rounds {
		r := &rounds[i]
		num.Append(r.Number)
		date.Append(date32(r.Date))
		inst.Append(arrow.Timestamp(r.Instant.Unix()))
		name.Append(r.Name)
		typ.Append(r.Type.String())
		fam.Append(r.Family())
		progs.Append(r.Programs.String())
		if r.Type == Category {
			cat.Append(r.Category)
			if r.CategoryVersion != "" {
				ver.Append(r.CategoryVersion)
			} else {
				ver.AppendNull()
			}
		} else {
			cat.AppendNull()
			ver.AppendNull()
		}
		inv.Append(int32(r.Invitations))
		cut.Append(int32(r.Cutoff))
		if r.HasTieBreak() {
			tie.Append(arrow.Timestamp(r.TieBreak.Unix()))
		} else {
			tie.AppendNull()
		}
		if d := publishedSnapshotDate(r); d.IsZero() {
			snap.AppendNull()
		} else {
			snap.Append(date32(r.SnapshotDate))
		}
	}
	return b.NewRecord()
}

// SnapshotsRecord converts snapshots to one Arrow record with
// SnapshotsSchema (long form: NumBands rows per snapshot). The caller must
// Release it.
func SnapshotsRecord(snaps []Snapshot, mem memory.Allocator) arrow.Record {
	b := array.NewRecordBuilder(allocator(mem), SnapshotsSchema)
	defer b.Release()
	n := len(snaps) * NumBands
	for _, f := range b.Fields() {
		f.Reserve(n)
	}
	date := b.Field(0).(*array.Date32Builder)
	lo := b.Field(1).(*array.Int32Builder)
	hi := b.Field(2).(*array.Int32Builder)
	cnt := b.Field(3).(*array.Int32Builder)
	tot := b.Field(4).(*array.Int32Builder)
	for i := range snaps {
		s := &snaps[i]
		d := date32(s.Date)
		for k, e := range BandEdges {
			date.Append(d)
			lo.Append(int32(e.Low))
			hi.Append(int32(e.High))
			cnt.Append(int32(s.Counts[k]))
			tot.Append(int32(s.Total))
		}
	}
	return b.NewRecord()
}

// writeIPC writes rec as an Arrow IPC file (uncompressed).
func writeIPC(w io.Writer, rec arrow.Record, mem memory.Allocator) error {
	ws, ok := w.(io.WriteSeeker)
	if !ok {
		ws = &tellWriter{w: w}
	}
	fw, err := ipc.NewFileWriter(ws, ipc.WithSchema(rec.Schema()), ipc.WithAllocator(allocator(mem)))
	if err != nil {
		return fmt.Errorf("arrow: %w", err)
	}
	if err := fw.Write(rec); err != nil {
		fw.Close()
		return fmt.Errorf("arrow: %w", err)
	}
	if err := fw.Close(); err != nil {
		return fmt.Errorf("arrow: %w", err)
	}
	return nil
}

// tellWriter gives an io.Writer the Seek(0, io.SeekCurrent) that the IPC
// file writer uses to learn its position.
type tellWriter struct {
	w   io.Writer
	pos int64
}

func (t *tellWriter) Write(p []byte) (int, error) {
	n, err := t.w.Write(p)
	t.pos += int64(n)
	return n, err
}

func (t *tellWriter) Seek(offset int64, whence int) (int64, error) {
	if offset != 0 || whence != io.SeekCurrent {
		return t.pos, errors.New("arrow: writer cannot seek")
	}
	return t.pos, nil
}

// WriteRoundsArrow writes rounds as an Arrow IPC file with RoundsSchema.
func WriteRoundsArrow(w io.Writer, rounds []Round, mem memory.Allocator) error {
	rec := RoundsRecord(rounds, mem)
	defer rec.Release()
	return writeIPC(w, rec, mem)
}

// WriteSnapshotsArrow writes snapshots as an Arrow IPC file with
// SnapshotsSchema.
func WriteSnapshotsArrow(w io.Writer, snaps []Snapshot, mem memory.Allocator) error {
	rec := SnapshotsRecord(snaps, mem)
	defer rec.Release()
	return writeIPC(w, rec, mem)
}

// readIPC calls fn on every record of an Arrow IPC file.
func readIPC(r ipc.ReadAtSeeker, mem memory.Allocator, fn func(arrow.Record) error) error {
	if err := checkIPCFooter(r); err != nil {
		return err
	}
	fr, err := ipc.NewFileReader(r, ipc.WithAllocator(allocator(mem)))
	if err != nil {
		return fmt.Errorf("arrow: %w", err)
	}
	defer fr.Close()
	for i := 0; i < fr.NumRecords(); i++ {
		// Record(i) is borrowed: valid until the next call, released by
		// the reader.
		rec, err := fr.Record(i)
		if err != nil {
			return fmt.Errorf("arrow: record %d: %w", i, err)
		}
		if err := fn(rec); err != nil {
			return err
		}
	}
	return nil
}

// ReadRoundsArrow reads rounds written by WriteRoundsArrow. Snapshot is
// nil in the rounds returned: attach them with AttachSnapshots.
func ReadRoundsArrow(r ipc.ReadAtSeeker, mem memory.Allocator) ([]Round, error) {
	return readRounds(func(fn func(arrow.Record) error) error { return readIPC(r, mem, fn) })
}

// ReadSnapshotsArrow reads snapshots written by WriteSnapshotsArrow.
func ReadSnapshotsArrow(r ipc.ReadAtSeeker, mem memory.Allocator) ([]Snapshot, error) {
	return readSnapshots(func(fn func(arrow.Record) error) error { return readIPC(r, mem, fn) })
}

// readRounds collects the rounds of every record that each passes to fn.
func readRounds(each func(fn func(arrow.Record) error) error) ([]Round, error) {
	var out []Round
	err := each(func(rec arrow.Record) error {
		rs, err := roundsFromRecord(rec)
		out = append(out, rs...)
		return err
	})
	return out, err
}

// readSnapshots collects the snapshots of every record that each passes to fn.
func readSnapshots(each func(fn func(arrow.Record) error) error) ([]Snapshot, error) {
	var rows []snapRow
	err := each(func(rec arrow.Record) error {
		rs, err := snapRowsFromRecord(rec)
		rows = append(rows, rs...)
		return err
	})
	if err != nil {
		return nil, err
	}
	return snapshotsFromRows(rows)
}

// AttachSnapshots points each round's Snapshot at the snapshot of its
// SnapshotDate in snaps, when there is one.
func AttachSnapshots(rounds []Round, snaps []Snapshot) {
	by := make(map[time.Time]*Snapshot, len(snaps))
	for i := range snaps {
		by[snaps[i].Date] = &snaps[i]
	}
	for i := range rounds {
		rounds[i].Snapshot = by[rounds[i].SnapshotDate]
	}
}

// columns finds the columns of schema want in rec by name, checking their
// types loosely (timestamps of any unit are accepted: Parquet stores
// milliseconds).
func columns(rec arrow.Record, want *arrow.Schema) ([]arrow.Array, error) {
	cols := make([]arrow.Array, want.NumFields())
	for i, f := range want.Fields() {
		idx := rec.Schema().FieldIndices(f.Name)
		if len(idx) == 0 {
			return nil, fmt.Errorf("column %q missing", f.Name)
		}
		c := rec.Column(idx[0])
		if c.DataType().ID() != f.Type.ID() {
			return nil, fmt.Errorf("column %q: type %s, want %s", f.Name, c.DataType(), f.Type)
		}
		cols[i] = c
	}
	return cols, nil
}

func tsValue(a arrow.Array, i int) time.Time {
	ts := a.(*array.Timestamp)
	return ts.Value(i).ToTime(ts.DataType().(*arrow.TimestampType).Unit).UTC()
}

func dateValue(a arrow.Array, i int) time.Time {
	return a.(*array.Date32).Value(i).ToTime().UTC()
}

func roundsFromRecord(rec arrow.Record) ([]Round, error) {
	c, err := columns(rec, RoundsSchema)
	if err != nil {
		return nil, fmt.Errorf("rounds: %w", err)
	}
	str := func(k, i int) string { return c[k].(*array.String).Value(i) }
	i32 := func(k, i int) int { return int(c[k].(*array.Int32).Value(i)) }
	out := make([]Round, rec.NumRows())
	for i := range out {
		r := &out[i]
		r.Number = str(0, i)
		r.Date = dateValue(c[1], i)
		r.Instant = tsValue(c[2], i)
		r.Name = str(3, i)
		switch t := str(4, i); t {
		case "general":
			r.Type = General
		case "program":
			r.Type = Program
		case "category":
			r.Type = Category
		default:
			return nil, fmt.Errorf("rounds: row %d (round %s): type %q unknown", i, r.Number, t)
		}
		if r.Programs, err = ParsePrograms(str(6, i)); err != nil {
			return nil, fmt.Errorf("rounds: row %d (round %s): programs: %w", i, r.Number, err)
		}
		if c[7].IsValid(i) {
			r.Category = str(7, i)
		}
		if c[8].IsValid(i) {
			r.CategoryVersion = str(8, i)
		}
		r.Invitations = i32(9, i)
		r.Cutoff = i32(10, i)
		if c[11].IsValid(i) {
			r.TieBreak = tsValue(c[11], i)
		}
		if c[12].IsValid(i) {
			r.SnapshotDate = dateValue(c[12], i)
		}
	}
	return out, nil
}

type snapRow struct {
	date                    time.Time
	low, high, count, total int
}

func snapRowsFromRecord(rec arrow.Record) ([]snapRow, error) {
	c, err := columns(rec, SnapshotsSchema)
	if err != nil {
		return nil, fmt.Errorf("snapshots: %w", err)
	}
	i32 := func(k, i int) int { return int(c[k].(*array.Int32).Value(i)) }
	out := make([]snapRow, rec.NumRows())
	for i := range out {
		out[i] = snapRow{dateValue(c[0], i), i32(1, i), i32(2, i), i32(3, i), i32(4, i)}
	}
	return out, nil
}

// snapshotsFromRows folds long-form rows back into snapshots; each
// snapshot must have every band once.
func snapshotsFromRows(rows []snapRow) ([]Snapshot, error) {
	var out []Snapshot
	index := map[time.Time]int{}
	seen := map[time.Time]*[NumBands]bool{}
	for _, row := range rows {
		k := -1
		for j, e := range BandEdges {
			if e.Low == row.low && e.High == row.high {
				k = j
			}
		}
		if k < 0 {
			return nil, fmt.Errorf("snapshots: %s: band %d-%d is not one of IRCC's bands", row.date.Format(time.DateOnly), row.low, row.high)
		}
		i, ok := index[row.date]
		if !ok {
			i = len(out)
			index[row.date] = i
			out = append(out, Snapshot{Date: row.date, Total: row.total})
			seen[row.date] = new([NumBands]bool)
		}
		if seen[row.date][k] {
			return nil, fmt.Errorf("snapshots: %s: band %d-%d twice", row.date.Format(time.DateOnly), row.low, row.high)
		}
		seen[row.date][k] = true
		out[i].Counts[k] = row.count
	}
	for d, s := range seen {
		for k, ok := range s {
			if !ok {
				return nil, fmt.Errorf("snapshots: %s: band %d-%d missing", d.Format(time.DateOnly), BandEdges[k].Low, BandEdges[k].High)
			}
		}
	}
	return out, nil
}
