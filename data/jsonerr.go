package data

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// MaxInputBytes is the largest JSON or CSV input file eesim reads besides
// the rounds feed (a profile, a schedule, a pool of EOIs, a model, a
// grid): 16 MB, some thousand times the largest example (docs/limits.md).
const MaxInputBytes = 16 << 20

// JSONError is an error in a JSON input, for people: the file, the line,
// the field (its JSON path, e.g. "spouse.first_language.reading"), what was
// expected and what was found. It never shows Go type names or layouts.
type JSONError struct {
	File  string // the file, when read from one
	Line  int    // 1-based; 0 when unknown
	Field string // JSON path; "" for the document as a whole
	Msg   string
	Err   error // the decoder's error
}

func (e *JSONError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		b.WriteString(": ")
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, "line %d: ", e.Line)
	}
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

func (e *JSONError) Unwrap() error { return e.Err }

// ReadInput reads a user's input file of at most max bytes; the error
// names the file.
func ReadInput(path string, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.IsDir() {
		return nil, fmt.Errorf("read %s: it is a folder, not a file", path)
	}
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("read %s: larger than %d MB, the limit for this input (docs/limits.md)", path, max>>20)
	}
	return b, nil
}

// DecodeJSONFile reads the JSON file at path (at most MaxInputBytes) into
// v as DecodeJSON does; errors name the file.
func DecodeJSONFile(path string, v any) error {
	b, err := ReadInput(path, MaxInputBytes)
	if err != nil {
		return err
	}
	if err := DecodeJSON(b, v); err != nil {
		var je *JSONError
		if errors.As(err, &je) {
			je.File = path
		}
		return err
	}
	return nil
}

// DecodeJSON decodes one JSON document from b into v: a leading byte-order
// mark is skipped, unknown fields and text after the document are errors.
// Errors are *JSONError.
func DecodeJSON(b []byte, v any) error { return decodeJSON(b, v, true) }

// DecodeJSONPart is DecodeJSON for a reader of part of a document: fields
// v does not have are skipped.
func DecodeJSONPart(b []byte, v any) error { return decodeJSON(b, v, false) }

func decodeJSON(b []byte, v any, strict bool) error {
	b = bytes.TrimPrefix(b, utf8BOM)
	dec := json.NewDecoder(bytes.NewReader(b))
	if strict {
		dec.DisallowUnknownFields()
	}
	if err := dec.Decode(v); err != nil {
		return jsonErr(b, dec, err)
	}
	if off := dec.InputOffset(); len(bytes.TrimSpace(b[off:])) > 0 {
		rest := bytes.TrimSpace(b[off:])
		at := int64(len(b) - len(bytes.TrimLeft(b[off:], " \t\r\n")))
		return &JSONError{Line: lineAt(b, at), Msg: fmt.Sprintf("unexpected text after the end of the JSON document: found %s", quoteFound(rest))}
	}
	return nil
}

// lineAt is the 1-based line of byte offset off of b.
func lineAt(b []byte, off int64) int {
	off = max(0, min(off, int64(len(b))))
	return 1 + bytes.Count(b[:off], []byte{'\n'})
}

func jsonErr(b []byte, dec *json.Decoder, err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	var pe *time.ParseError
	switch {
	case errors.Is(err, io.EOF) && len(bytes.TrimSpace(b)) == 0:
		return &JSONError{Msg: "empty: want a JSON object", Err: err}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return &JSONError{Line: lineAt(b, int64(len(b))), Msg: "the JSON ends early: a closing } or ] or \" is missing", Err: err}
	case errors.As(err, &se):
		off := se.Offset - 1
		return &JSONError{Line: lineAt(b, off), Msg: "invalid JSON: " + strings.TrimPrefix(se.Error(), "json: "), Err: err}
	case errors.As(err, &te):
		return &JSONError{Line: lineAt(b, te.Offset), Field: te.Field, Msg: TypeErrorMessage(te), Err: err}
	case errors.As(err, &pe):
		// The decoder does not say which field: the first key whose value
		// is the bad text is the likely one.
		field, line := "", 0
		re := regexp.MustCompile(`"([^"\\]{1,64})"\s*:\s*` + regexp.QuoteMeta(strconv.Quote(pe.Value)))
		if m := re.FindSubmatchIndex(b); m != nil {
			field, line = string(b[m[2]:m[3]]), lineAt(b, int64(m[0]))
		}
		return &JSONError{Field: field, Line: line,
			Msg: fmt.Sprintf("want a time such as 2025-03-01T09:00:00Z (RFC 3339), found %s", strconv.Quote(pe.Value)), Err: err}
	}
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		// The decoder gives no position: the key's first occurrence is
		// the likely one.
		name = strings.Trim(name, `"`)
		line := 0
		if i := bytes.Index(b, []byte(strconv.Quote(name))); i >= 0 {
			line = lineAt(b, int64(i))
		}
		return &JSONError{Line: line, Field: name, Msg: "unknown field", Err: err}
	}
	// An error of a value's own decoding: no position.
	return &JSONError{Msg: strings.TrimPrefix(msg, "json: "), Err: err}
}

// TypeErrorMessage says what a JSON value should have been and what it
// was, without Go type names: "want a whole number, found text".
func TypeErrorMessage(te *json.UnmarshalTypeError) string {
	return fmt.Sprintf("want %s, found %s", kindName(te.Type), valueName(te.Value))
}

var timeType = reflect.TypeOf(time.Time{})

// kindName says what a Go type holds, in the words of a JSON user.
func kindName(t reflect.Type) string {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil {
		return "a value"
	}
	if t == timeType {
		return "a time in quotes, such as \"2025-03-01T09:00:00Z\""
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.String:
		return "text in quotes"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		return "a list [...]"
	case reflect.Struct, reflect.Map:
		return "an object {...}"
	}
	return "another kind of value"
}

// valueName says what the decoder found (UnmarshalTypeError.Value).
func valueName(v string) string {
	switch {
	case v == "string":
		return "text"
	case v == "number":
		return "a number"
	case strings.HasPrefix(v, "number "):
		return strings.TrimPrefix(v, "number ")
	case v == "object":
		return "an object"
	case v == "array":
		return "a list"
	case v == "bool":
		return "true or false"
	}
	return v
}
