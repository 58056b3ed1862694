package data

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// The file names of the runs dataset in a simulation's output folder.
const (
	RunsArrowFile   = "runs.arrow"
	RunsParquetFile = "runs.parquet"
)

// runsTimestamp is the type of the instants of the runs dataset: seconds
// since the Unix epoch, time zone UTC.
var runsTimestamp = &arrow.TimestampType{Unit: arrow.Second, TimeZone: "UTC"}

// RunsSchema is the schema of runs.arrow and runs.parquet: one row per
// Monte Carlo run and projected round, in the order the engine produced
// them (run, then round). Columns:
//
//	run        int32                         run index, from 0
//	round      int32                         projected round index, from 0, in schedule order
//	instant    timestamp[s, tz=UTC]          when the round runs
//	family     utf8                          round family, as data.Round.Family ("general", "cec", "french", ...)
//	size       int32                         invitations requested
//	invited    int32                         invitations issued
//	cutoff     int32, nullable               CRS points of the lowest-ranked candidate invited; null when nobody was invited
//	tiebreak   timestamp[s, tz=UTC], nullable submission instant of that candidate; null when none
//	invited_cec int32                        invitations issued under CEC
//	invited_fsw int32                        ... under FSW
//	invited_fst int32                        ... under FST
//	invited_pnp int32                        ... to provincial nominees
//	pool_size  int32                         active candidates just before the round
//	sim_cutoff int32, nullable               the synthetic pool's cutoff, before the model's own error is added
//	new_family bool                          the family had no real round before the start (its cutoff is the prior of new families)
//
// cutoff is the predictive cutoff: sim_cutoff plus a draw of the model's
// own error (docs/model.md, "Predictive distribution"). Files of schema
// version 1 have neither sim_cutoff nor new_family; readers take
// sim_cutoff = cutoff and new_family = false. Files of versions 1 and 2
// name the per-program counts cec, fsw, fst and pnp; version 3 names them
// invited_cec ... invited_pnp, as counts (docs/datasets.md, "Conventions").
//
// A missing cutoff is null in the files (so that SQL aggregates skip it)
// and -1 in RunRow; a missing tie-break is null in the files and the zero
// time in RunRow. The schema metadata holds "eesim.dataset" = "runs" and
// "eesim.schema_version" = "3".
//
// Parquet has no second unit: Parquet readers other than ReadRunsParquet
// see the instants as timestamp[ms] adjusted to UTC (the Arrow schema
// stored in the file restores the second unit for Arrow readers).
var RunsSchema = arrow.NewSchema([]arrow.Field{
	{Name: "run", Type: arrow.PrimitiveTypes.Int32},
	{Name: "round", Type: arrow.PrimitiveTypes.Int32},
	{Name: "instant", Type: runsTimestamp},
	{Name: "family", Type: arrow.BinaryTypes.String},
	{Name: "size", Type: arrow.PrimitiveTypes.Int32},
	{Name: "invited", Type: arrow.PrimitiveTypes.Int32},
	{Name: "cutoff", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
	{Name: "tiebreak", Type: runsTimestamp, Nullable: true},
	{Name: "invited_cec", Type: arrow.PrimitiveTypes.Int32},
	{Name: "invited_fsw", Type: arrow.PrimitiveTypes.Int32},
	{Name: "invited_fst", Type: arrow.PrimitiveTypes.Int32},
	{Name: "invited_pnp", Type: arrow.PrimitiveTypes.Int32},
	{Name: "pool_size", Type: arrow.PrimitiveTypes.Int32},
	{Name: "sim_cutoff", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
	{Name: "new_family", Type: arrow.FixedWidthTypes.Boolean},
}, func() *arrow.Metadata {
	m := arrow.NewMetadata([]string{"eesim.dataset", "eesim.schema_version"}, []string{"runs", "3"})
	return &m
}())

// v1Columns is the number of columns of schema version 1, which later
// columns follow.
const v1Columns = 13

// runsOldNames maps the columns that schema version 3 renamed to their
// names in versions 1 and 2, which readers still accept.
var runsOldNames = map[string]string{
	"invited_cec": "cec", "invited_fsw": "fsw", "invited_fst": "fst", "invited_pnp": "pnp",
}

// runsBatch is the number of rows per Arrow record batch, written and read:
// it bounds the memory of a conversion whatever the number of runs.
const runsBatch = 1 << 16

// runsRowGroup is the number of rows per Parquet row group.
const runsRowGroup = 1 << 20

// WriteRunsArrow writes rows as an Arrow IPC file (the random-access
// "file" format, uncompressed) with RunsSchema, in batches of 65,536 rows.
// Instants are stored in whole seconds (sub-second parts are dropped). The
// same rows give the same bytes.
func WriteRunsArrow(w io.Writer, rows []RunRow) error {
	return writeRuns(w, rows, memory.DefaultAllocator, newRunsArrowWriter)
}

// WriteRunsParquet writes rows as a Parquet file with RunsSchema:
// zstd-compressed, no dictionary encoding, row groups of up to 1,048,576
// rows, and the Arrow schema stored in the file metadata. The same rows give
// the same bytes.
func WriteRunsParquet(w io.Writer, rows []RunRow) error {
	return writeRuns(w, rows, memory.DefaultAllocator, newRunsParquetWriter)
}

func writeRuns(w io.Writer, rows []RunRow, mem memory.Allocator, open func(io.Writer, memory.Allocator) (*RunsWriter, error)) error {
	rw, err := open(w, mem)
	if err != nil {
		return err
	}
	err = rw.Write(rows)
	if cerr := rw.Close(); err == nil {
		err = cerr
	}
	return err
}

// RunsWriter writes a runs dataset as its rows come, a batch of 65,536
// rows at a time, so that a projection never holds every run in memory
// (eesim simulate streams its runs through it). The file it writes is the
// same, byte for byte, as WriteRunsArrow or WriteRunsParquet of all the
// rows at once.
type RunsWriter struct {
	what  string // "runs arrow" or "runs parquet"
	mem   memory.Allocator
	buf   []RunRow
	write func(arrow.Record) error
	close func() error
	bw    *bufio.Writer
	err   error
}

// NewRunsArrowWriter starts an Arrow IPC file of runs on w (as
// WriteRunsArrow). Close finishes the file; it does not close w.
func NewRunsArrowWriter(w io.Writer) (*RunsWriter, error) {
	return newRunsArrowWriter(w, memory.DefaultAllocator)
}

// NewRunsParquetWriter starts a Parquet file of runs on w (as
// WriteRunsParquet). Close finishes the file; it does not close w.
func NewRunsParquetWriter(w io.Writer) (*RunsWriter, error) {
	return newRunsParquetWriter(w, memory.DefaultAllocator)
}

func newRunsArrowWriter(w io.Writer, mem memory.Allocator) (*RunsWriter, error) {
	bw := bufio.NewWriterSize(w, 1<<16)
	fw, err := ipc.NewFileWriter(&tellWriter{w: bw}, ipc.WithSchema(RunsSchema), ipc.WithAllocator(mem))
	if err != nil {
		return nil, fmt.Errorf("runs arrow: %w", err)
	}
	return &RunsWriter{what: "runs arrow", mem: mem, write: fw.Write, close: fw.Close, bw: bw}, nil
}

func newRunsParquetWriter(w io.Writer, mem memory.Allocator) (*RunsWriter, error) {
	props := parquet.NewWriterProperties(
		parquet.WithAllocator(mem),
		parquet.WithCompression(compress.Codecs.Zstd),
		parquet.WithDictionaryDefault(false),
		parquet.WithMaxRowGroupLength(runsRowGroup),
	)
	// The buffer also hides w's Close method: the Parquet writer closes a
	// sink that has one, and the caller owns w.
	bw := bufio.NewWriterSize(w, 1<<16)
	fw, err := pqarrow.NewFileWriter(RunsSchema, bw, props,
		pqarrow.NewArrowWriterProperties(pqarrow.WithAllocator(mem), pqarrow.WithStoreSchema()))
	if err != nil {
		return nil, fmt.Errorf("runs parquet: %w", err)
	}
	return &RunsWriter{what: "runs parquet", mem: mem, write: fw.WriteBuffered, close: fw.Close, bw: bw}, nil
}

// Write appends rows to the dataset. It keeps at most 65,536 rows (one
// batch) until Close.
func (rw *RunsWriter) Write(rows []RunRow) error {
	for len(rows) > 0 && rw.err == nil {
		n := min(len(rows), runsBatch-len(rw.buf))
		rw.buf = append(rw.buf, rows[:n]...)
		rows = rows[n:]
		if len(rw.buf) == runsBatch {
			rw.flush()
		}
	}
	return rw.err
}

// flush writes the buffered rows as one record batch.
func (rw *RunsWriter) flush() {
	if len(rw.buf) == 0 || rw.err != nil {
		return
	}
	rec := RunsRecord(rw.buf, rw.mem)
	if err := rw.write(rec); err != nil {
		rw.err = fmt.Errorf("%s: %w", rw.what, err)
	}
	rec.Release()
	rw.buf = rw.buf[:0]
}

// Close writes the last batch and the file's footer.
func (rw *RunsWriter) Close() error {
	if rw.close == nil {
		return rw.err
	}
	rw.flush()
	if err := rw.close(); rw.err == nil && err != nil {
		rw.err = fmt.Errorf("%s: %w", rw.what, err)
	}
	if err := rw.bw.Flush(); rw.err == nil && err != nil {
		rw.err = fmt.Errorf("%s: %w", rw.what, err)
	}
	rw.close = nil
	return rw.err
}

// RunsRecord converts rows to one Arrow record with RunsSchema. The caller
// must Release it. mem nil means memory.DefaultAllocator.
func RunsRecord(rows []RunRow, mem memory.Allocator) arrow.Record {
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	b := array.NewRecordBuilder(mem, RunsSchema)
	defer b.Release()
	for _, f := range b.Fields() {
		f.Reserve(len(rows))
	}
	ints := func(i int) *array.Int32Builder { return b.Field(i).(*array.Int32Builder) }
	run, round, size, inv, cut := ints(0), ints(1), ints(4), ints(5), ints(6)
	cec, fsw, fst, pnp, pool, simCut := ints(8), ints(9), ints(10), ints(11), ints(12), ints(13)
	newFam := b.Field(14).(*array.BooleanBuilder)
	inst := b.Field(2).(*array.TimestampBuilder)
	fam := b.Field(3).(*array.StringBuilder)
	tie := b.Field(7).(*array.TimestampBuilder)
	for i := range rows {
		r := &rows[i]
		run.Append(r.Run)
		round.Append(r.Round)
		inst.Append(arrow.Timestamp(r.Instant.Unix()))
		fam.Append(r.Family)
		size.Append(r.Size)
		inv.Append(r.Invited)
		if r.Cutoff < 0 {
			cut.AppendNull()
		} else {
			cut.Append(r.Cutoff)
		}
		if r.TieBreak.IsZero() {
			tie.AppendNull()
		} else {
			tie.Append(arrow.Timestamp(r.TieBreak.Unix()))
		}
		cec.Append(r.CEC)
		fsw.Append(r.FSW)
		fst.Append(r.FST)
		pnp.Append(r.PNP)
		pool.Append(r.PoolSize)
		if r.SimCutoff < 0 {
			simCut.AppendNull()
		} else {
			simCut.Append(r.SimCutoff)
		}
		newFam.Append(r.NewFamily)
	}
	return b.NewRecord()
}

// ReadRunsArrow reads a runs dataset written by WriteRunsArrow.
func ReadRunsArrow(r ipc.ReadAtSeeker) ([]RunRow, error) {
	return readRunsArrow(r, memory.DefaultAllocator)
}

func readRunsArrow(r ipc.ReadAtSeeker, mem memory.Allocator) (rows []RunRow, err error) {
	defer recoverCorrupt("runs arrow", &err)
	err = readIPC(r, mem, func(rec arrow.Record) error {
		rows, err = AppendRunRows(rows, rec)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("runs %w", err)
	}
	return rows, nil
}

// recoverCorrupt turns a panic of the Arrow or Parquet decoders, which
// panic on some corrupt inputs (a flatbuffers offset out of range, found by
// FuzzReadRuns), into an error.
func recoverCorrupt(what string, err *error) {
	if p := recover(); p != nil {
		*err = fmt.Errorf("%s: corrupt file: %v", what, p)
	}
}

// ReadRunsParquet reads a runs dataset written by WriteRunsParquet (or any
// Parquet file with RunsSchema's columns, in any order, with instants in
// any timestamp unit).
func ReadRunsParquet(r parquet.ReaderAtSeeker) ([]RunRow, error) {
	return readRunsParquet(r, memory.DefaultAllocator)
}

func readRunsParquet(r parquet.ReaderAtSeeker, mem memory.Allocator) (rows []RunRow, err error) {
	defer recoverCorrupt("runs parquet", &err)
	err = readParquet(r, mem, func(rec arrow.Record) error {
		rows, err = AppendRunRows(rows, rec)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("runs %w", err)
	}
	return rows, nil
}

// AppendRunRows appends the rows of rec to rows. Columns are found by name
// (extra columns are ignored); integer columns must be int32 and instants
// timestamps of any unit. A null cutoff becomes -1, a null tie-break the
// zero time; a null in another column is an error naming the row and
// column. sim_cutoff and new_family may be missing (schema version 1):
// SimCutoff is then Cutoff and NewFamily false. The per-program counts
// are read under their version-3 names (invited_cec, ...) or, in older
// files, their version 1-2 names (cec, ...).
func AppendRunRows(rows []RunRow, rec arrow.Record) ([]RunRow, error) {
	sc := rec.Schema()
	cols := make([]arrow.Array, len(RunsSchema.Fields()))
	for i, f := range RunsSchema.Fields() {
		idx := sc.FieldIndices(f.Name)
		if old, ok := runsOldNames[f.Name]; ok && len(idx) == 0 {
			idx = sc.FieldIndices(old)
		}
		if len(idx) == 0 && i >= v1Columns {
			continue
		}
		if len(idx) == 0 {
			return rows, fmt.Errorf("missing column %q", f.Name)
		}
		col := rec.Column(idx[0])
		wantTS := f.Type.ID() == arrow.TIMESTAMP
		if got := col.DataType(); wantTS && got.ID() != arrow.TIMESTAMP || !wantTS && !arrow.TypeEqual(got, f.Type) {
			return rows, fmt.Errorf("column %q: type %s, want %s", f.Name, got, f.Type)
		}
		if !f.Nullable && col.NullN() > 0 {
			for r := 0; r < col.Len(); r++ {
				if col.IsNull(r) {
					return rows, fmt.Errorf("row %d: column %q: null", len(rows)+r, f.Name)
				}
			}
		}
		cols[i] = col
	}
	i32 := func(i int) []int32 { return cols[i].(*array.Int32).Int32Values() }
	run, round, size, inv, cut := i32(0), i32(1), i32(4), i32(5), i32(6)
	cec, fsw, fst, pnp, pool := i32(8), i32(9), i32(10), i32(11), i32(12)
	inst := cols[2].(*array.Timestamp)
	fam := cols[3].(*array.String)
	tie := cols[7].(*array.Timestamp)
	instUnit := inst.DataType().(*arrow.TimestampType).Unit
	tieUnit := tie.DataType().(*arrow.TimestampType).Unit
	// fam.Value aliases the record's memory: copy each distinct family once.
	families := map[string]string{}
	n := int(rec.NumRows())
	rows = slices.Grow(rows, n)
	for j := 0; j < n; j++ {
		f, ok := families[fam.Value(j)]
		if !ok {
			f = strings.Clone(fam.Value(j))
			families[f] = f
		}
		r := RunRow{
			Run: run[j], Round: round[j],
			Instant: inst.Value(j).ToTime(instUnit).UTC(),
			Family:  f,
			Size:    size[j], Invited: inv[j], Cutoff: -1,
			CEC: cec[j], FSW: fsw[j], FST: fst[j], PNP: pnp[j], PoolSize: pool[j],
		}
		if cols[6].IsValid(j) {
			r.Cutoff = cut[j]
		}
		r.SimCutoff = r.Cutoff
		if c := cols[13]; c != nil {
			r.SimCutoff = -1
			if c.IsValid(j) {
				r.SimCutoff = c.(*array.Int32).Value(j)
			}
		}
		if c := cols[14]; c != nil {
			r.NewFamily = c.(*array.Boolean).Value(j)
		}
		if tie.IsValid(j) {
			r.TieBreak = tie.Value(j).ToTime(tieUnit).UTC()
		}
		rows = append(rows, r)
	}
	return rows, nil
}

// ReadRunsFile reads the runs dataset at path: Arrow IPC when the name ends
// in ".arrow", Parquet when it ends in ".parquet". Errors name the file.
func ReadRunsFile(path string) ([]RunRow, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var rows []RunRow
	switch ext := filepath.Ext(path); ext {
	case ".arrow":
		rows, err = ReadRunsArrow(f)
	case ".parquet":
		rows, err = ReadRunsParquet(f)
	default:
		return nil, fmt.Errorf("%s: unknown runs dataset format %q (want .arrow or .parquet)", path, ext)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return rows, nil
}
