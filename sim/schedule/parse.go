package schedule

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/eesim/eesim/data"
)

// DefaultRoundHour is the UTC hour given to a schedule round whose date has
// no time ("2026-01-07" is 2026-01-07T14:00:00Z). IRCC's rounds of 2025 ran
// between 11:41 and 17:50 UTC, most of them between 13:00 and 16:00
// (drawDateTime in the IRCC rounds feed, ee_rounds_123_en.json).
const DefaultRoundHour = 14

// MaxScheduleSize bounds the size of a schedule round. The largest real round
// invited 27,332 candidates (CEC, 2021-02-13, IRCC rounds feed); a size far
// beyond that is a typo, not a scenario.
const MaxScheduleSize = 1_000_000

// MaxRounds is the largest number of rounds in a schedule file: 10 years
// of weekly rounds of 9 families (docs/limits.md).
const MaxRounds = 5000

// ScheduleError is an error in a schedule file. Line is the CSV line (1 is
// the header) or, for JSON, the line where the round starts; Round is the
// 1-based index of the round in the JSON "rounds" array (0 for CSV and for
// errors about the file as a whole). Field is the column or JSON field, or
// "" when the error is about the line or the file.
type ScheduleError struct {
	File  string
	Line  int
	Field string
	Msg   string
	Round int   // JSON only: 1-based index in "rounds"
	Err   error // underlying error, if any
}

func (e *ScheduleError) Error() string {
	var b strings.Builder
	b.WriteString(filepath.Base(e.File))
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	if e.Round > 0 {
		fmt.Fprintf(&b, ": round %d", e.Round)
	}
	if e.Field != "" {
		b.WriteString(": ")
		b.WriteString(e.Field)
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	return b.String()
}

func (e *ScheduleError) Unwrap() error { return e.Err }

// LoadSchedule reads a schedule file; the format comes from the extension
// (.csv or .json, any case). See ParseSchedule.
func LoadSchedule(path string, start time.Time) ([]ScheduledRound, error) {
	format, err := scheduleFormat(path, "")
	if err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read schedule: %w", err)
	}
	defer f.Close()
	return ParseSchedule(f, path, start, format)
}

func scheduleFormat(name, format string) (string, error) {
	if format == "" {
		format = strings.TrimPrefix(strings.ToLower(filepath.Ext(name)), ".")
	}
	switch format {
	case "csv", "json":
		return format, nil
	}
	return "", &ScheduleError{File: name, Msg: fmt.Sprintf("unknown schedule format %q (want csv or json, or a .csv or .json file name)", format)}
}

// ParseSchedule parses a schedule of rounds to project, in format "csv" or
// "json" ("" detects it from name's extension). name is used in errors only.
//
// CSV has a header row naming its columns, in any order:
//
//	date,type,programs,category,version,size
//	2026-01-07,cec,,,,3000
//	2026-01-08T15:30:00Z,category,,french,2026-2,"6,000"
//	2026-01-12,pnp,,,,400
//
// date and type and size are required; programs, category and version are
// optional. Blank lines and lines starting with '#' are skipped. JSON is
//
//	{"rounds":[{"date":"2026-01-07","type":"cec","size":3000}, ...]}
//
// with the same fields (size a number or a string such as "6,000").
//
// Fields:
//   - date: YYYY-MM-DD, which means DefaultRoundHour (14:00) UTC that day, or
//     RFC 3339 (converted to UTC). It must not be before start (a zero start
//     disables the check).
//   - type: general, program or category; or a shortcut: a program family
//     (cec, fsw, fst, pnp: a program round of that program), a known
//     category key (french, healthcare, stem, trades, transport,
//     agriculture, education, physicians, researchers, senior_managers,
//     military: a category round of that key), "program:cec+fsw" or
//     "category:<key>". Case-insensitive. An unknown bare word ("lottery")
//     is an error, so that a typo ("frnech") does not silently create a
//     category no candidate belongs to; a new category is written
//     type=category, category=<key> (or category:<key>), where the key is
//     lower case letters, digits and '_', starting with a letter.
//   - programs: "CEC+FSW" etc. Required for type program; defaults to
//     FSW+CEC+FST for category rounds (PNP is not part of category rounds,
//     docs/domain.md, "Category-based selection"); ignored for general rounds (all programs).
//     For a program shortcut it may be given only if it agrees.
//   - category: the category key, for type category (must agree with a
//     category shortcut).
//   - version: the occupation-list version ("2026-2"), category rounds only.
//   - size: a positive integer up to MaxScheduleSize, with or without
//     thousands separators ("5,000").
//
// Errors are *ScheduleError naming the file, line (and JSON round) and
// field. An empty schedule is an error. Rounds are returned sorted by
// instant; rounds at the same instant keep the file's order.
func ParseSchedule(r io.Reader, name string, start time.Time, format string) ([]ScheduledRound, error) {
	format, err := scheduleFormat(name, format)
	if err != nil {
		return nil, err
	}
	raw, err := io.ReadAll(io.LimitReader(r, data.MaxInputBytes+1))
	if err != nil {
		return nil, &ScheduleError{File: name, Msg: fmt.Sprintf("read: %v", err), Err: err}
	}
	if len(raw) > data.MaxInputBytes {
		return nil, &ScheduleError{File: name, Msg: fmt.Sprintf("larger than %d MB, the limit for a schedule (docs/limits.md)", data.MaxInputBytes>>20)}
	}
	raw = bytes.TrimPrefix(raw, []byte("\ufeff")) // a BOM from spreadsheet exports
	var rounds []ScheduledRound
	if format == "csv" {
		rounds, err = parseScheduleCSV(raw, name, start)
	} else {
		rounds, err = parseScheduleJSON(raw, name, start)
	}
	if err != nil {
		return nil, err
	}
	if len(rounds) == 0 {
		return nil, &ScheduleError{File: name, Msg: "empty schedule: no rounds"}
	}
	slices.SortStableFunc(rounds, func(a, b ScheduledRound) int { return a.Instant.Compare(b.Instant) })
	return rounds, nil
}

// rawRound is one round's fields as text.
type rawRound struct {
	date, typ, programs, category, version, size string
}

// fieldError is a problem with one field of a round.
type fieldError struct {
	field, msg string
	err        error
}

func (e *fieldError) Error() string { return e.field + ": " + e.msg }

var scheduleColumns = []string{"date", "type", "programs", "category", "version", "size"}

func parseScheduleCSV(raw []byte, name string, start time.Time) ([]ScheduledRound, error) {
	cr := csv.NewReader(bytes.NewReader(raw))
	cr.Comment = '#'
	cr.FieldsPerRecord = -1 // checked below, with a better message
	cr.TrimLeadingSpace = true
	csvErr := func(err error) error {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return &ScheduleError{File: name, Line: pe.Line, Msg: fmt.Sprintf("malformed CSV at column %d: %v", pe.Column, pe.Err), Err: err}
		}
		return &ScheduleError{File: name, Msg: fmt.Sprintf("read CSV: %v", err), Err: err}
	}
	header, err := cr.Read()
	if err == io.EOF {
		return nil, &ScheduleError{File: name, Msg: "empty schedule: no header row (want " + strings.Join(scheduleColumns, ",") + ")"}
	}
	if err != nil {
		return nil, csvErr(err)
	}
	hline, _ := cr.FieldPos(0)
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if !slices.Contains(scheduleColumns, h) {
			return nil, &ScheduleError{File: name, Line: hline, Field: h,
				Msg: fmt.Sprintf("unknown column %q in the header (want %s)", h, strings.Join(scheduleColumns, ","))}
		}
		if _, dup := col[h]; dup {
			return nil, &ScheduleError{File: name, Line: hline, Field: h, Msg: "column given twice in the header"}
		}
		col[h] = i
	}
	for _, req := range []string{"date", "type", "size"} {
		if _, ok := col[req]; !ok {
			return nil, &ScheduleError{File: name, Line: hline, Field: req, Msg: "required column missing from the header"}
		}
	}
	get := func(rec []string, c string) string {
		if i, ok := col[c]; ok {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	var rounds []ScheduledRound
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvErr(err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(header) {
			return nil, &ScheduleError{File: name, Line: line,
				Msg: fmt.Sprintf("malformed line: %d fields, the header has %d", len(rec), len(header))}
		}
		rr := rawRound{date: get(rec, "date"), typ: get(rec, "type"), programs: get(rec, "programs"),
			category: get(rec, "category"), version: get(rec, "version"), size: get(rec, "size")}
		if len(rounds) == MaxRounds {
			return nil, &ScheduleError{File: name, Line: line, Msg: fmt.Sprintf("more than %d rounds, the limit for a schedule (docs/limits.md)", MaxRounds)}
		}
		sr, ferr := rr.parse(start)
		if ferr != nil {
			return nil, &ScheduleError{File: name, Line: line, Field: ferr.field, Msg: ferr.msg, Err: ferr.err}
		}
		rounds = append(rounds, sr)
	}
	return rounds, nil
}

// jsonRound is a round of a JSON schedule. Size is raw so that both 3000
// and "3,000" are accepted.
type jsonRound struct {
	Date     string          `json:"date"`
	Type     string          `json:"type"`
	Programs string          `json:"programs"`
	Category string          `json:"category"`
	Version  string          `json:"version"`
	Size     json.RawMessage `json:"size"`
}

func parseScheduleJSON(raw []byte, name string, start time.Time) ([]ScheduledRound, error) {
	lineAt := func(off int64) int {
		off = min(max(off, 0), int64(len(raw)))
		return 1 + bytes.Count(raw[:off], []byte{'\n'})
	}
	jsonErr := func(err error, off int64) error {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			off = se.Offset
		}
		if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
			return &ScheduleError{File: name, Line: lineAt(int64(len(raw))), Msg: "invalid JSON: unexpected end of input", Err: err}
		}
		return &ScheduleError{File: name, Line: lineAt(off), Msg: fmt.Sprintf("invalid JSON: %v", err), Err: err}
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(raw, &top); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return nil, &ScheduleError{File: name, Line: 1, Msg: `not a schedule: want a JSON object {"rounds":[...]}`, Err: err}
		}
		return nil, jsonErr(err, -1)
	}
	for k := range top {
		if k != "rounds" {
			return nil, &ScheduleError{File: name, Field: k, Msg: `unknown top-level field (want only "rounds")`}
		}
	}
	if _, ok := top["rounds"]; !ok {
		return nil, &ScheduleError{File: name, Field: "rounds", Msg: `missing: want {"rounds":[...]}`}
	}
	// Walk the array with a decoder to know where each round starts.
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil { // {
		return nil, jsonErr(err, dec.InputOffset())
	}
	for {
		t, err := dec.Token()
		if err != nil {
			return nil, jsonErr(err, dec.InputOffset())
		}
		if k, _ := t.(string); k == "rounds" {
			break
		}
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return nil, jsonErr(err, dec.InputOffset())
		}
	}
	t, err := dec.Token()
	if err != nil {
		return nil, jsonErr(err, dec.InputOffset())
	}
	if d, ok := t.(json.Delim); !ok || d != '[' {
		return nil, &ScheduleError{File: name, Line: lineAt(dec.InputOffset()), Field: "rounds", Msg: "not an array"}
	}
	var rounds []ScheduledRound
	for i := 1; dec.More(); i++ {
		var item json.RawMessage
		if err := dec.Decode(&item); err != nil {
			return nil, jsonErr(err, dec.InputOffset())
		}
		line := lineAt(dec.InputOffset() - int64(len(item)))
		if len(rounds) == MaxRounds {
			return nil, &ScheduleError{File: name, Line: line, Round: i, Msg: fmt.Sprintf("more than %d rounds, the limit for a schedule (docs/limits.md)", MaxRounds)}
		}
		var jr jsonRound
		d := json.NewDecoder(bytes.NewReader(item))
		d.DisallowUnknownFields()
		if err := d.Decode(&jr); err != nil {
			msg, field := err.Error(), ""
			var te *json.UnmarshalTypeError
			if errors.As(err, &te) {
				field = te.Field
				msg = data.TypeErrorMessage(te)
				if te.Field == "" {
					msg = "want an object {...}, found " + te.Value
				}
			} else if f, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
				field = strings.Trim(f, `"`)
				msg = "unknown field (want date, type, programs, category, version, size)"
			}
			return nil, &ScheduleError{File: name, Line: line, Round: i, Field: field, Msg: msg, Err: err}
		}
		size, ferr := jsonSize(jr.Size)
		if ferr != nil {
			return nil, &ScheduleError{File: name, Line: line, Round: i, Field: ferr.field, Msg: ferr.msg}
		}
		rr := rawRound{date: strings.TrimSpace(jr.Date), typ: strings.TrimSpace(jr.Type), programs: strings.TrimSpace(jr.Programs),
			category: strings.TrimSpace(jr.Category), version: strings.TrimSpace(jr.Version), size: size}
		sr, ferr := rr.parse(start)
		if ferr != nil {
			return nil, &ScheduleError{File: name, Line: line, Round: i, Field: ferr.field, Msg: ferr.msg, Err: ferr.err}
		}
		rounds = append(rounds, sr)
	}
	if _, err := dec.Token(); err != nil { // ]
		return nil, jsonErr(err, dec.InputOffset())
	}
	return rounds, nil
}

// jsonSize returns a JSON size (a number or a string) as text.
func jsonSize(m json.RawMessage) (string, *fieldError) {
	s := strings.TrimSpace(string(m))
	if s == "" || s == "null" {
		return "", nil
	}
	if s[0] == '"' {
		var v string
		if err := json.Unmarshal(m, &v); err != nil {
			return "", &fieldError{field: "size", msg: "bad string"}
		}
		return strings.TrimSpace(v), nil
	}
	return s, nil
}

var (
	// categoryKeyRE is a plausible category key: data.CategoryKey slugs.
	categoryKeyRE = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	// sizeRE is a count, with or without thousands separators.
	sizeRE = regexp.MustCompile(`^-?([0-9]+|[0-9]{1,3}(,[0-9]{3})+)$`)
)

// knownCategories are the category keys IRCC has established (data
// package constants, docs/domain.md, "Category-based selection").
var knownCategories = []string{
	data.CatFrench, data.CatHealthcare, data.CatSTEM, data.CatTrades, data.CatTransport,
	data.CatAgriculture, data.CatEducation, data.CatPhysicians, data.CatResearchers,
	data.CatSeniorManagers, data.CatMilitary,
}

// programFamilies are the single-program families of data.Round.Family.
var programFamilies = map[string]data.Programs{"cec": data.CEC, "fsw": data.FSW, "fst": data.FST, "pnp": data.PNP}

func (rr rawRound) parse(start time.Time) (ScheduledRound, *fieldError) {
	var sr ScheduledRound
	var ferr *fieldError
	if sr.Instant, ferr = parseScheduleDate(rr.date, start); ferr != nil {
		return sr, ferr
	}
	if ferr = rr.parseType(&sr); ferr != nil {
		return sr, ferr
	}
	if sr.Size, ferr = parseSize(rr.size); ferr != nil {
		return sr, ferr
	}
	return sr, nil
}

func parseScheduleDate(s string, start time.Time) (time.Time, *fieldError) {
	if s == "" {
		return time.Time{}, &fieldError{field: "date", msg: "missing"}
	}
	var t time.Time
	if len(s) == len(time.DateOnly) {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return t, &fieldError{field: "date", msg: fmt.Sprintf("bad date %q (want YYYY-MM-DD or RFC 3339)", s), err: err}
		}
		t = d.Add(DefaultRoundHour * time.Hour)
	} else {
		d, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return t, &fieldError{field: "date", msg: fmt.Sprintf("bad date %q (want YYYY-MM-DD or RFC 3339)", s), err: err}
		}
		t = d.UTC()
	}
	if t.After(data.LastRoundDate) {
		return t, &fieldError{field: "date", msg: fmt.Sprintf("%s is out of range: want a date up to %s", t.Format(time.DateOnly), data.LastRoundDate.Format(time.DateOnly))}
	}
	if !start.IsZero() && t.Before(start) {
		return t, &fieldError{field: "date", msg: fmt.Sprintf("%s is before the start of the projection (%s)",
			t.Format(time.RFC3339), start.UTC().Format(time.RFC3339))}
	}
	return t, nil
}

func parseSize(s string) (int, *fieldError) {
	if s == "" {
		return 0, &fieldError{field: "size", msg: "missing"}
	}
	if !sizeRE.MatchString(s) {
		return 0, &fieldError{field: "size", msg: fmt.Sprintf("bad size %q (want a positive integer such as 3000 or 3,000)", s)}
	}
	if s[0] == '-' {
		return 0, &fieldError{field: "size", msg: fmt.Sprintf("negative size %s", s)}
	}
	n, err := strconv.Atoi(strings.ReplaceAll(s, ",", ""))
	if err != nil || n > MaxScheduleSize {
		return 0, &fieldError{field: "size", msg: fmt.Sprintf("size %s is too large (at most %d)", s, MaxScheduleSize)}
	}
	if n == 0 {
		return 0, &fieldError{field: "size", msg: "size must be positive, got 0"}
	}
	return n, nil
}

// parseType sets Type, Programs, CategoryKey and Version from the type,
// programs, category and version fields.
func (rr rawRound) parseType(sr *ScheduledRound) *fieldError {
	typ := strings.ToLower(rr.typ)
	cat := strings.ToLower(rr.category)
	var progs data.Programs
	if rr.programs != "" {
		p, err := data.ParsePrograms(rr.programs)
		if err != nil {
			return &fieldError{field: "programs", msg: err.Error(), err: err}
		}
		progs = p
	}
	if rest, ok := strings.CutPrefix(typ, "program:"); ok {
		p, err := data.ParsePrograms(rest)
		if err != nil || p == 0 {
			return &fieldError{field: "type", msg: fmt.Sprintf("bad program list in %q (want e.g. program:cec+fsw)", rr.typ)}
		}
		if progs != 0 && progs != p {
			return &fieldError{field: "programs", msg: fmt.Sprintf("%s disagrees with type %q", progs, rr.typ)}
		}
		typ, progs = "program", p
	} else if p, ok := programFamilies[typ]; ok {
		if progs != 0 && progs != p {
			return &fieldError{field: "programs", msg: fmt.Sprintf("%s disagrees with type %q", progs, rr.typ)}
		}
		typ, progs = "program", p
	} else if key, ok := strings.CutPrefix(typ, "category:"); ok || slices.Contains(knownCategories, typ) {
		if !ok {
			key = typ
		}
		if cat != "" && cat != key {
			return &fieldError{field: "category", msg: fmt.Sprintf("%q disagrees with type %q", rr.category, rr.typ)}
		}
		typ, cat = "category", key
	}
	switch typ {
	case "general":
		sr.Type, sr.Programs = data.General, data.AllPrograms
	case "program":
		if progs == 0 {
			return &fieldError{field: "programs", msg: "missing: a program round needs programs such as CEC or CEC+FSW"}
		}
		sr.Type, sr.Programs = data.Program, progs
	case "category":
		if cat == "" {
			return &fieldError{field: "category", msg: "missing: a category round needs a category key such as french"}
		}
		if !categoryKeyRE.MatchString(cat) {
			return &fieldError{field: "category", msg: fmt.Sprintf("bad category key %q (want lower case letters, digits and _, e.g. healthcare)", rr.category)}
		}
		if progs == 0 {
			progs = data.Federal
		}
		sr.Type, sr.Programs, sr.CategoryKey, sr.Version = data.Category, progs, cat, rr.version
	case "":
		return &fieldError{field: "type", msg: "missing"}
	default:
		msg := fmt.Sprintf("unknown round type %q (want general, program, category, cec, fsw, fst, pnp, program:<programs>, a category key (%s) or category:<key>)",
			rr.typ, strings.Join(knownCategories, ", "))
		if categoryKeyRE.MatchString(typ) {
			msg += fmt.Sprintf("; for a new category write type category with category %s", typ)
		}
		return &fieldError{field: "type", msg: msg}
	}
	if sr.Type != data.Category {
		if rr.category != "" {
			return &fieldError{field: "category", msg: fmt.Sprintf("given for a %s round: category keys are for category rounds only", sr.Type)}
		}
		if rr.version != "" {
			return &fieldError{field: "version", msg: fmt.Sprintf("given for a %s round: versions are for category rounds only", sr.Type)}
		}
	}
	return nil
}
