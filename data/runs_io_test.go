package data

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// sampleRuns returns runs × rounds rows with every field varying, some
// rounds with nobody invited (cutoff -1, no tie-break) and some with a
// cutoff but no tie-break.
func sampleRuns(runs, rounds int) []RunRow {
	start := time.Date(2026, 3, 4, 14, 30, 0, 0, time.UTC)
	fams := []string{"general", "cec", "french", "program:fsw+fst"}
	var rows []RunRow
	for run := range runs {
		for rd := range rounds {
			r := RunRow{
				Run: int32(run), Round: int32(rd),
				Instant: start.AddDate(0, 0, 14*rd),
				Family:  fams[rd%len(fams)],
				Size:    int32(1000 + 500*rd), Invited: int32(1000 + 500*rd + run%3),
				Cutoff:   int32(480 + (run*7+rd*3)%60),
				TieBreak: start.AddDate(0, 0, 14*rd-30).Add(time.Duration(run*3607) * time.Second),
				CEC:      int32(run), FSW: int32(rd), FST: int32(run + rd), PNP: int32(run * rd),
				PoolSize: int32(200000 + 13*run - 7*rd),
			}
			switch (run + rd) % 7 {
			case 3:
				r.Invited, r.Cutoff, r.TieBreak, r.CEC, r.FSW, r.FST, r.PNP = 0, -1, time.Time{}, 0, 0, 0, 0
			case 5:
				r.TieBreak = time.Time{}
			}
			rows = append(rows, r)
		}
	}
	return rows
}

func TestRunsRoundTrip(t *testing.T) {
	// 70,000 rows cross the 65,536-row batch size, so that several record
	// batches are written and read back in order.
	big := sampleRuns(2800, 25)
	cases := []struct {
		name string
		rows []RunRow
	}{
		{"empty", nil},
		{"one", sampleRuns(1, 1)},
		{"small", sampleRuns(5, 8)},
		{"batches", big},
	}
	formats := []struct {
		name  string
		write func(*bytes.Buffer, []RunRow, memory.Allocator) error
		read  func(*bytes.Reader, memory.Allocator) ([]RunRow, error)
	}{
		{"arrow",
			func(b *bytes.Buffer, rows []RunRow, mem memory.Allocator) error {
				return writeRuns(b, rows, mem, newRunsArrowWriter)
			},
			func(r *bytes.Reader, mem memory.Allocator) ([]RunRow, error) { return readRunsArrow(r, mem) }},
		{"parquet",
			func(b *bytes.Buffer, rows []RunRow, mem memory.Allocator) error {
				return writeRuns(b, rows, mem, newRunsParquetWriter)
			},
			func(r *bytes.Reader, mem memory.Allocator) ([]RunRow, error) { return readRunsParquet(r, mem) }},
	}
	for _, f := range formats {
		for _, c := range cases {
			t.Run(f.name+"/"+c.name, func(t *testing.T) {
				mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
				defer mem.AssertSize(t, 0)
				var buf bytes.Buffer
				if err := f.write(&buf, c.rows, mem); err != nil {
					t.Fatal(err)
				}
				got, err := f.read(bytes.NewReader(buf.Bytes()), mem)
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != len(c.rows) {
					t.Fatalf("read %d rows, wrote %d", len(got), len(c.rows))
				}
				for i := range got {
					if !reflect.DeepEqual(got[i], c.rows[i]) {
						t.Fatalf("row %d: read %+v, wrote %+v", i, got[i], c.rows[i])
					}
				}
				// Byte-identical output for identical rows: write again.
				var again bytes.Buffer
				if err := f.write(&again, c.rows, mem); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(buf.Bytes(), again.Bytes()) {
					t.Errorf("two writes of the same rows differ (%d and %d bytes)", buf.Len(), again.Len())
				}
			})
		}
	}
}

// TestRunsNulls checks the stored representation: cutoff -1 and a zero
// tie-break are nulls in the file, the others values in seconds.
func TestRunsNulls(t *testing.T) {
	rows := sampleRuns(1, 6) // (run+rd)%7: round 3 has no cutoff, round 5 no tie-break
	rec := RunsRecord(rows, nil)
	defer rec.Release()
	cut := rec.Column(6).(*array.Int32)
	tie := rec.Column(7).(*array.Timestamp)
	for i, r := range rows {
		if cut.IsNull(i) != (i == 3) {
			t.Errorf("row %d: cutoff null = %v, want %v", i, cut.IsNull(i), i == 3)
		}
		if tie.IsNull(i) != (i == 3 || i == 5) {
			t.Errorf("row %d: tiebreak null = %v", i, tie.IsNull(i))
		}
		if i != 3 && cut.Value(i) != r.Cutoff {
			t.Errorf("row %d: cutoff %d, want %d", i, cut.Value(i), r.Cutoff)
		}
	}
	// 2026-03-04T14:30:00Z is 1772634600 s after the epoch
	// (date -u -d 2026-03-04T14:30:00Z +%s).
	if got := rec.Column(2).(*array.Timestamp).Value(0); got != 1772634600 {
		t.Errorf("instant of row 0 = %d s, want 1772634600", got)
	}
	if got := RunsSchema.Field(2).Type.String(); got != "timestamp[s, tz=UTC]" {
		t.Errorf("instant type %s", got)
	}
}

func TestReadRunsErrors(t *testing.T) {
	var good bytes.Buffer
	if err := WriteRunsArrow(&good, sampleRuns(2, 3)); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadRunsArrow(bytes.NewReader(good.Bytes()[:good.Len()/2])); err == nil {
		t.Error("truncated Arrow file: no error")
	}
	if _, err := ReadRunsParquet(bytes.NewReader(good.Bytes())); err == nil {
		t.Error("Arrow file read as Parquet: no error")
	}
	// A schema without the cutoff column.
	sc := arrow.NewSchema([]arrow.Field{{Name: "run", Type: arrow.PrimitiveTypes.Int32}}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, sc)
	b.Field(0).(*array.Int32Builder).Append(1)
	rec := b.NewRecord()
	b.Release()
	defer rec.Release()
	if _, err := AppendRunRows(nil, rec); err == nil || !strings.Contains(err.Error(), `missing column "round"`) {
		t.Errorf("missing columns: error %v", err)
	}
}

func TestReadRunsFile(t *testing.T) {
	dir := t.TempDir()
	rows := sampleRuns(3, 4)
	for _, name := range []string{RunsArrowFile, RunsParquetFile} {
		path := filepath.Join(dir, name)
		err := WriteFileAtomic(path, func(w io.Writer) error {
			if name == RunsArrowFile {
				return WriteRunsArrow(w, rows)
			}
			return WriteRunsParquet(w, rows)
		})
		if err != nil {
			t.Fatal(err)
		}
		got, err := ReadRunsFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, rows) {
			t.Errorf("%s: rows differ after a round trip through a file", name)
		}
	}
	bad := filepath.Join(dir, "bad.arrow")
	os.WriteFile(bad, []byte("not arrow"), 0o644)
	if _, err := ReadRunsFile(bad); err == nil || !strings.Contains(err.Error(), bad) {
		t.Errorf("corrupt file: error %v does not name the file", err)
	}
}

// BenchmarkRuns writes and reads runs datasets of 1,000 runs × 26 rounds
// (a 6-month projection) and 10,000 runs × 52 rounds.
func BenchmarkRuns(b *testing.B) {
	for _, size := range []struct{ runs, rounds int }{{1000, 26}, {10000, 52}} {
		rows := sampleRuns(size.runs, size.rounds)
		name := fmt.Sprintf("%dx%d", size.runs, size.rounds)
		for _, f := range []struct {
			name  string
			write func(io.Writer, []RunRow) error
			read  func(*bytes.Reader) ([]RunRow, error)
		}{
			{"arrow", WriteRunsArrow, func(r *bytes.Reader) ([]RunRow, error) { return ReadRunsArrow(r) }},
			{"parquet", WriteRunsParquet, func(r *bytes.Reader) ([]RunRow, error) { return ReadRunsParquet(r) }},
		} {
			var buf bytes.Buffer
			if err := f.write(&buf, rows); err != nil {
				b.Fatal(err)
			}
			b.Run("write/"+f.name+"/"+name, func(b *testing.B) {
				for b.Loop() {
					buf.Reset()
					if err := f.write(&buf, rows); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(buf.Len())/float64(len(rows)), "bytes/row")
			})
			b.Run("read/"+f.name+"/"+name, func(b *testing.B) {
				for b.Loop() {
					if _, err := f.read(bytes.NewReader(buf.Bytes())); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// FuzzReadRuns feeds arbitrary bytes to both readers: they must return rows
// or an error, never panic.
func FuzzReadRuns(f *testing.F) {
	var a, p bytes.Buffer
	if err := WriteRunsArrow(&a, sampleRuns(2, 3)); err != nil {
		f.Fatal(err)
	}
	if err := WriteRunsParquet(&p, sampleRuns(2, 3)); err != nil {
		f.Fatal(err)
	}
	f.Add(a.Bytes())
	f.Add(p.Bytes())
	f.Add([]byte("ARROW1\x00\x00"))
	f.Fuzz(func(t *testing.T, b []byte) {
		ReadRunsArrow(bytes.NewReader(b))
		ReadRunsParquet(bytes.NewReader(b))
	})
}

// TestReadRunsVersion2Names reads a runs file of schema version 2, whose
// per-program counts are named cec, fsw, fst and pnp: the reader takes
// them for invited_cec ... invited_pnp (docs/datasets.md, "runs.arrow").
func TestReadRunsVersion2Names(t *testing.T) {
	rows := sampleRuns(3, 4)
	rec := RunsRecord(rows, nil)
	defer rec.Release()
	fields := slices.Clone(rec.Schema().Fields())
	for i := range fields {
		if old, ok := runsOldNames[fields[i].Name]; ok {
			fields[i].Name = old
		}
	}
	md := arrow.NewMetadata([]string{"eesim.dataset", "eesim.schema_version"}, []string{"runs", "2"})
	v2 := array.NewRecord(arrow.NewSchema(fields, &md), rec.Columns(), rec.NumRows())
	defer v2.Release()
	if v2.Schema().Field(8).Name != "cec" || v2.Schema().Field(11).Name != "pnp" {
		t.Fatalf("version 2 schema %v", v2.Schema())
	}
	got, err := AppendRunRows(nil, v2)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, rows) {
		t.Errorf("version 2 rows differ from the rows written")
	}
}

// TestRunsWriterStreams writes 70,000 rows (two record batches) through
// RunsWriter in uneven pieces, as eesim simulate does run by run. The
// Arrow file must be byte for byte the one written the way the writer of
// all rows at once worked before streaming existed (a second method, done
// here by hand: RunsRecord of each 65,536-row slice, written by
// ipc.FileWriter); the Parquet file the one WriteRunsParquet gives of all
// rows in one call. The writer never holds more than one batch.
func TestRunsWriterStreams(t *testing.T) {
	rows := sampleRuns(2800, 25)
	var ref bytes.Buffer
	fw, err := ipc.NewFileWriter(&tellWriter{w: &ref}, ipc.WithSchema(RunsSchema))
	if err != nil {
		t.Fatal(err)
	}
	for lo := 0; lo < len(rows); lo += 1 << 16 {
		rec := RunsRecord(rows[lo:min(lo+1<<16, len(rows))], nil)
		if err := fw.Write(rec); err != nil {
			t.Fatal(err)
		}
		rec.Release()
	}
	if err := fw.Close(); err != nil {
		t.Fatal(err)
	}
	var pq bytes.Buffer
	if err := WriteRunsParquet(&pq, rows); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		open func(io.Writer) (*RunsWriter, error)
		want []byte
	}{
		{"arrow", NewRunsArrowWriter, ref.Bytes()},
		{"parquet", NewRunsParquetWriter, pq.Bytes()},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			rw, err := c.open(&buf)
			if err != nil {
				t.Fatal(err)
			}
			for lo, step := 0, 1; lo < len(rows); lo, step = lo+step, step%997+25 {
				if err := rw.Write(rows[lo:min(lo+step, len(rows))]); err != nil {
					t.Fatal(err)
				}
				if len(rw.buf) >= runsBatch {
					t.Fatalf("writer holds %d rows, more than a batch", len(rw.buf))
				}
			}
			if err := rw.Close(); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(buf.Bytes(), c.want) {
				t.Errorf("streamed file (%d bytes) differs from the reference (%d bytes)", buf.Len(), len(c.want))
			}
		})
	}
}
