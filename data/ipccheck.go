package data

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	flatbuffers "github.com/google/flatbuffers/go"
)

// errIPCFooter is a footer that claims more than its bytes hold.
var errIPCFooter = errors.New("arrow: the file's footer is corrupt: it claims more schema entries than the file holds")

// checkIPCFooter refuses an Arrow IPC file whose footer schema claims
// more fields, children or metadata entries than its bytes can hold.
// The Arrow reader allocates what the footer claims before it reads it,
// so such a file (a few KB saying "10^10 children") would exhaust memory
// instead of giving an error. A file whose footer cannot be found is left
// to the reader, which reports it. Layout (Arrow columnar format, "IPC
// File Format"): the footer flatbuffer, its int32 length, "ARROW1"; the
// footer's field 1 is the Schema, whose field 1 is its fields and field 2
// its metadata; a Field's children are its field 5 and its metadata field
// 6 (format/File.fbs, format/Schema.fbs).
func checkIPCFooter(r io.ReadSeeker) (err error) {
	size, err := r.Seek(0, io.SeekEnd)
	if err != nil {
		return err
	}
	defer func() {
		if _, serr := r.Seek(0, io.SeekStart); err == nil {
			err = serr
		}
	}()
	if size < 10 {
		return nil
	}
	tail := make([]byte, 10)
	if _, err := r.Seek(size-10, io.SeekStart); err != nil {
		return err
	}
	if _, err := io.ReadFull(r, tail); err != nil {
		return err
	}
	n := int64(int32(binary.LittleEndian.Uint32(tail[:4])))
	if string(tail[4:]) != "ARROW1" || n <= 4 || n > size-10 {
		return nil
	}
	buf := make([]byte, n)
	if _, err := r.Seek(size-10-n, io.SeekStart); err != nil {
		return err
	}
	if _, err := io.ReadFull(r, buf); err != nil {
		return err
	}
	defer func() {
		if recover() != nil {
			err = errIPCFooter
		}
	}()
	footer := flatbuffers.Table{Bytes: buf, Pos: flatbuffers.GetUOffsetT(buf)}
	o := footer.Offset(vtableSlot(1))
	if o == 0 {
		return nil
	}
	schema := flatbuffers.Table{Bytes: buf, Pos: footer.Indirect(footer.Pos + flatbuffers.UOffsetT(o))}
	if err := checkVector(&schema, 2, 0); err != nil {
		return err
	}
	return checkFields(&schema, 1, 0)
}

// vtableSlot is the vtable offset of a table's field i.
func vtableSlot(i int) flatbuffers.VOffsetT { return flatbuffers.VOffsetT(4 + 2*i) }

// checkVector checks that the vector of tables in field slot of t fits in
// its bytes: each element is a 4-byte offset.
func checkVector(t *flatbuffers.Table, slot, depth int) error {
	o := t.Offset(vtableSlot(slot))
	if o == 0 {
		return nil
	}
	n := t.VectorLen(flatbuffers.UOffsetT(o))
	start := int(t.Vector(flatbuffers.UOffsetT(o)))
	if n < 0 || start+4*n > len(t.Bytes) || depth > 64 {
		return fmt.Errorf("%w (%d entries at byte %d of %d)", errIPCFooter, n, start, len(t.Bytes))
	}
	return nil
}

// checkFields checks the fields in field slot of t, their metadata and
// their children, to a depth of 64.
func checkFields(t *flatbuffers.Table, slot, depth int) error {
	if err := checkVector(t, slot, depth); err != nil {
		return err
	}
	o := t.Offset(vtableSlot(slot))
	if o == 0 {
		return nil
	}
	n := t.VectorLen(flatbuffers.UOffsetT(o))
	start := t.Vector(flatbuffers.UOffsetT(o))
	for i := range n {
		f := flatbuffers.Table{Bytes: t.Bytes, Pos: t.Indirect(start + flatbuffers.UOffsetT(4*i))}
		if err := checkVector(&f, 6, depth); err != nil {
			return err
		}
		if err := checkFields(&f, 5, depth+1); err != nil {
			return err
		}
	}
	return nil
}
