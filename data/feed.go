package data

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

//go:embed embed/ee_rounds_123_en.json
var embeddedFeed []byte

// EmbeddedSource is the Source of the embedded feed.
const EmbeddedSource = "embedded"

// EmbeddedFeed returns the embedded copy of IRCC's rounds feed
// (ee_rounds_123_en.json, rounds #1 of 2015-01-31 to #388 of 2025-12-17).
// The caller must not modify the slice.
func EmbeddedFeed() []byte { return embeddedFeed }

// LoadFeed reads and parses a rounds feed file; path "" reads the embedded
// copy, whose Source is "embedded".
func LoadFeed(path string) (*Feed, error) {
	if path == "" {
		return ParseFeed(bytes.NewReader(embeddedFeed), EmbeddedSource)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read rounds: %w", err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.IsDir() {
		return nil, &FeedError{Source: path, Msg: "is a folder, not a rounds feed file"}
	}
	return ParseFeed(f, path)
}

// FeedError is a structural error in a rounds feed: the feed cannot be
// used. Round and Field are empty when the error is about the file as a
// whole.
type FeedError struct {
	Source string // file name, or "embedded"
	Round  string // drawNumber, or "#<index>" when the number itself is bad
	Field  string // JSON field, e.g. "drawSize"
	Msg    string
	Err    error // underlying error, if any
}

func (e *FeedError) Error() string {
	var b strings.Builder
	b.WriteString(filepath.Base(e.Source))
	if e.Round != "" {
		b.WriteString(": round ")
		b.WriteString(e.Round)
	}
	if e.Field != "" {
		b.WriteString(": ")
		b.WriteString(e.Field)
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	return b.String()
}

func (e *FeedError) Unwrap() error { return e.Err }

// Limits of a rounds feed (docs/limits.md). A feed beyond them is refused
// (a FeedError) before it is parsed further.
const (
	// MaxFeedBytes is the largest feed file: IRCC's feed of 389 rounds
	// (2015-2025) is 0.7 MB.
	MaxFeedBytes = 32 << 20

	// MaxFeedRounds is the most rounds a feed may hold: IRCC held 389 in
	// 11 years.
	MaxFeedRounds = 10_000

	// MaxCRS is the highest CRS score (IRCC, "Comprehensive Ranking
	// System (CRS) criteria", 2025-03-25: 600 core and spouse points,
	// 100 transferability, 600 additional, 1,200 in all); docs/domain.md.
	MaxCRS = 1200

	// MaxDrawSize is the largest drawSize accepted: the largest round
	// ever, #176 of 2021-02-13, invited 27,332.
	MaxDrawSize = 100_000
)

// FirstRoundDate and LastRoundDate bound drawDate: Express Entry opened on
// 2015-01-01 (Ministerial Instructions of 2014-12-01; docs/domain.md), and
// a date past 2099 is a typo.
var (
	FirstRoundDate = time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)
	LastRoundDate  = time.Date(2099, 12, 31, 0, 0, 0, 0, time.UTC)
)

// utf8BOM is the byte-order mark some editors and downloads put first.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// maxCount bounds the counts of the feed so that they fit the int32 columns
// of the Arrow datasets; the largest real value is a pool total of ~260,000.
const maxCount = 1<<31 - 1

// The dd fields: dd1..dd18. bandFields are the 15 disjoint bands in
// BandEdges order; dd3 and dd9 are subtotals, dd18 the total.
var bandFields = [NumBands]int{1, 2, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15, 16, 17}

var drawNumberRE = regexp.MustCompile(`^[0-9]{1,6}[a-z]?$`)

// ParseFeed parses IRCC's rounds feed (the JSON of ee_rounds_123_en.json)
// and returns its rounds normalized and in chronological order. source
// names the input in errors and warnings.
//
// Structural problems (not JSON, no rounds, a count that is not a count, a
// missing or bad drawNumber, drawDate or drawCRS) are returned as a
// *FeedError. Data-quality problems (a subtotal that does not add up, a
// drawDateTime on another day than drawDate, no distribution published, an
// unknown round name, a time without zone or year, ...) are Warnings on the
// Feed: the value is kept as published unless the warning says otherwise.
func ParseFeed(r io.Reader, source string) (*Feed, error) {
	raw, err := io.ReadAll(io.LimitReader(r, MaxFeedBytes+1))
	if err != nil {
		return nil, &FeedError{Source: source, Msg: fmt.Sprintf("read: %v", err), Err: err}
	}
	if len(raw) > MaxFeedBytes {
		return nil, &FeedError{Source: source, Msg: fmt.Sprintf("larger than %d MB: not an IRCC rounds feed (IRCC's is under 1 MB)", MaxFeedBytes>>20)}
	}
	// A byte-order mark is valid in a UTF-8 file (some downloads and
	// editors add one); CRLF line ends are JSON whitespace.
	raw = bytes.TrimPrefix(raw, utf8BOM)
	// One decoding pass over the whole file; each round is decoded from its
	// own bytes afterwards.
	var top struct {
		Rounds *[]json.RawMessage `json:"rounds"`
	}
	if err := json.Unmarshal(raw, &top); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return nil, &FeedError{Source: source, Field: "rounds", Msg: "not an array", Err: err}
		}
		return nil, jsonError(source, raw, err)
	}
	if top.Rounds == nil {
		return nil, &FeedError{Source: source, Msg: `no "rounds" array: not an IRCC rounds feed`}
	}
	items := *top.Rounds
	if len(items) == 0 {
		return nil, &FeedError{Source: source, Field: "rounds", Msg: "empty: the feed has no rounds"}
	}
	if len(items) > MaxFeedRounds {
		return nil, &FeedError{Source: source, Field: "rounds",
			Msg: fmt.Sprintf("%d rounds, more than the %d a feed may hold (IRCC published 389 in 2015-2025)", len(items), MaxFeedRounds)}
	}
	p := &feedParser{feed: &Feed{Source: source}, seen: map[string]int{}}
	rounds := make([]Round, 0, len(items))
	for i, it := range items {
		rd, err := p.round(i, it)
		if err != nil {
			return nil, err
		}
		// A round published twice: the same contents are one round
		// (kept once, so that no count doubles); different contents
		// cannot both be right.
		if j, dup := p.seen[rd.Number]; dup {
			if !reflect.DeepEqual(rounds[j], rd) {
				return nil, &FeedError{Source: source, Round: rd.Number, Field: "drawNumber",
					Msg: fmt.Sprintf("appears twice (entries %d and %d of the list) with different contents: remove the wrong one", p.index[j]+1, i+1)}
			}
			p.warn(rd.Number, "drawNumber", "appears twice (entries %d and %d of the list) with the same contents: kept once", p.index[j]+1, i+1)
			continue
		}
		p.seen[rd.Number] = len(rounds)
		p.index = append(p.index, i)
		rounds = append(rounds, rd)
	}
	sortRounds(rounds)
	p.checkOrder(rounds)
	p.feed.Rounds = rounds
	return p.feed, nil
}

// checkOrder warns about rounds whose date puts them before a round with a
// lower number: IRCC numbers rounds in the order they run, so one of the
// two dates is probably wrong. The rounds are kept in date order.
func (p *feedParser) checkOrder(rounds []Round) {
	for i := 1; i < len(rounds); i++ {
		a, b := &rounds[i-1], &rounds[i]
		if lessNumber(b.Number, a.Number) {
			p.warn(b.Number, "drawDate", "%s is after round %s's %s although round %s has the higher number: kept in date order",
				b.Date.Format(time.DateOnly), a.Number, a.Date.Format(time.DateOnly), a.Number)
		}
	}
}

// jsonError turns a decoding error into a FeedError with a line and byte
// offset.
func jsonError(source string, raw []byte, err error) error {
	var off int64 = -1
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		return &FeedError{Source: source, Msg: "not an IRCC rounds feed: the top level is not a JSON object", Err: err}
	}
	if off < 0 {
		return &FeedError{Source: source, Msg: fmt.Sprintf("invalid JSON: %v", err), Err: err}
	}
	// Offset counts the bytes read, the bad one included.
	if off > 0 {
		off--
	}
	if off > int64(len(raw)) {
		off = int64(len(raw))
	}
	line := 1 + bytes.Count(raw[:off], []byte{'\n'})
	col := off - int64(bytes.LastIndexByte(raw[:off], '\n')) // 1-based
	if strings.Contains(se.Error(), "after top-level value") {
		// The feed's object is complete; what follows is not part of it.
		return &FeedError{Source: source,
			Msg: fmt.Sprintf("unexpected text after the end of the feed's JSON object at line %d, column %d (byte %d): found %s; the file should end after the closing }",
				line, col, off, quoteFound(raw[off:])), Err: err}
	}
	// Name the round and field being read, as far as a scan of the text
	// before the error can tell.
	round, field := "", ""
	if m := lastMatch(drawNumberTextRE, raw[:off]); m != nil {
		round = string(m[1])
	}
	if m := lastMatch(keyTextRE, raw[:off]); m != nil && round != "" {
		field = string(m[1])
	}
	return &FeedError{Source: source, Round: round, Field: field,
		Msg: fmt.Sprintf("invalid JSON at line %d, column %d (byte %d): %v", line, col, off, err), Err: err}
}

var (
	drawNumberTextRE = regexp.MustCompile(`"drawNumber"\s*:\s*"([^"]{1,20})"`)
	keyTextRE        = regexp.MustCompile(`"([A-Za-z0-9]{1,30})"\s*:`)
)

// quoteFound quotes the start of b for an error message.
func quoteFound(b []byte) string {
	if len(b) > 20 {
		b = b[:20]
	}
	return strconv.Quote(string(b))
}

// lastMatch returns the submatches of the last match of re in b.
func lastMatch(re *regexp.Regexp, b []byte) [][]byte {
	all := re.FindAllSubmatch(b, -1)
	if len(all) == 0 {
		return nil
	}
	return all[len(all)-1]
}

type feedParser struct {
	feed  *Feed
	seen  map[string]int // drawNumber -> index in the rounds kept
	index []int          // index in the list of each round kept
}

func (p *feedParser) warn(round, field, format string, args ...any) {
	p.feed.Warnings = append(p.feed.Warnings, Warning{Round: round, Field: field, Msg: fmt.Sprintf(format, args...)})
}

// fields holds one round's values as text.
type fields struct {
	src   string
	round string
	m     map[string]json.RawMessage
}

// get returns the text of field f: a JSON string, or the literal of a JSON
// number; "" when absent or null.
func (f *fields) get(name string) (string, error) {
	v, ok := f.m[name]
	if !ok {
		return "", nil
	}
	v = bytes.TrimSpace(v)
	if len(v) == 0 || string(v) == "null" {
		return "", nil
	}
	switch v[0] {
	case '"':
		// Fast path: no escapes, the common case.
		if len(v) >= 2 && v[len(v)-1] == '"' && bytes.IndexByte(v[1:len(v)-1], '\\') < 0 && bytes.IndexByte(v[1:len(v)-1], '"') < 0 && utf8.Valid(v) {
			return string(v[1 : len(v)-1]), nil
		}
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return "", f.err(name, "bad string: %v", err)
		}
		return s, nil
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return string(v), nil
	}
	return "", f.err(name, "%s is not a string", abbrev(string(v)))
}

func (f *fields) err(field, format string, args ...any) *FeedError {
	return &FeedError{Source: f.src, Round: f.round, Field: field, Msg: fmt.Sprintf(format, args...)}
}

func abbrev(s string) string {
	if len(s) > 40 {
		return s[:37] + "..."
	}
	return s
}

// count parses a count such as "5,000". Thousands separators must group
// by three.
func (f *fields) count(name string, blankOK bool) (int, error) {
	s, err := f.get(name)
	if err != nil {
		return 0, err
	}
	t := strings.TrimSpace(s)
	if t == "" {
		if blankOK {
			return 0, nil
		}
		return 0, f.err(name, "missing")
	}
	if strings.HasPrefix(t, "-") {
		return 0, f.err(name, "%q is negative, not a count", abbrev(s))
	}
	if strings.Contains(t, ",") {
		groups := strings.Split(t, ",")
		for i, g := range groups {
			if (i == 0 && (len(g) < 1 || len(g) > 3)) || (i > 0 && len(g) != 3) {
				return 0, f.err(name, "%q is not a count", abbrev(s))
			}
		}
		t = strings.Join(groups, "")
	}
	if !digits(t) {
		return 0, f.err(name, "%q is not a count", abbrev(s))
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n > maxCount {
		return 0, f.err(name, "%q is out of range", abbrev(s))
	}
	return int(n), nil
}

func (p *feedParser) round(i int, raw json.RawMessage) (Round, error) {
	var rd Round
	f := &fields{src: p.feed.Source, round: fmt.Sprintf("#%d in the list", i+1)}
	if err := json.Unmarshal(raw, &f.m); err != nil || f.m == nil {
		return rd, f.err("", "not a JSON object")
	}

	num, err := f.get("drawNumber")
	if err != nil {
		return rd, err
	}
	num = strings.TrimSpace(num)
	if num == "" {
		return rd, f.err("drawNumber", "missing")
	}
	if !drawNumberRE.MatchString(num) {
		return rd, f.err("drawNumber", "%q is not a round number", abbrev(num))
	}
	rd.Number = num
	f.round = num

	// drawDate: ISO, midnight UTC.
	ds, err := f.get("drawDate")
	if err != nil {
		return rd, err
	}
	ds = strings.TrimSpace(ds)
	if ds == "" {
		return rd, f.err("drawDate", "missing")
	}
	d, err := time.Parse(time.DateOnly, ds)
	if err != nil {
		t, n, err2 := ParseDateTimeNotes(ds, 0)
		if err2 != nil || n.HasTime {
			return rd, f.err("drawDate", "%q is not a date (want YYYY-MM-DD)", abbrev(ds))
		}
		p.warn(num, "drawDate", "%q is not YYYY-MM-DD: read as %s", ds, t.Format(time.DateOnly))
		d = t
	}
	if d.Before(FirstRoundDate) || d.After(LastRoundDate) {
		return rd, f.err("drawDate", "%s is out of range: want %s (Express Entry's start) to %s",
			d.Format(time.DateOnly), FirstRoundDate.Format(time.DateOnly), LastRoundDate.Format(time.DateOnly))
	}
	rd.Date = d

	if rd.Name, err = f.get("drawName"); err != nil {
		return rd, err
	}
	rd.Name = strings.TrimSpace(rd.Name)
	if err := p.classify(f, &rd); err != nil {
		return rd, err
	}

	if rd.Invitations, err = f.count("drawSize", false); err != nil {
		return rd, err
	}
	if rd.Cutoff, err = f.count("drawCRS", false); err != nil {
		return rd, err
	}
	if rd.Cutoff > MaxCRS {
		return rd, f.err("drawCRS", "%d is out of range: want a CRS score from 0 to %d", rd.Cutoff, MaxCRS)
	}
	if rd.Invitations > MaxDrawSize {
		return rd, f.err("drawSize", "%d is out of range: want 1 to %d invitations (the largest round ever invited 27,332)", rd.Invitations, MaxDrawSize)
	}
	if rd.Invitations == 0 && rd.Cutoff > 0 {
		return rd, f.err("drawSize", "0, but the round has a cutoff (drawCRS %d): a round with a cutoff invited someone", rd.Cutoff)
	}

	if err := p.times(f, &rd); err != nil {
		return rd, err
	}
	if err := p.snapshot(f, &rd); err != nil {
		return rd, err
	}
	return rd, nil
}

// classify sets Type, Programs and Category from drawName and drawText2.
func (p *feedParser) classify(f *fields, rd *Round) error {
	text, err := f.get("drawText2")
	if err != nil {
		return err
	}
	typ, want := classifyName(rd.Name)
	rd.Type = typ
	if typ == Category {
		if rd.Name == "" {
			p.warn(rd.Number, "drawName", "missing: read as a category round %q", "unnamed")
		}
		key, ver, known := CategoryKey(rd.Name)
		rd.Category, rd.CategoryVersion = key, ver
		if !known && rd.Name != "" {
			p.warn(rd.Number, "drawName", "unknown round name %q: read as category %q", rd.Name, key)
		}
		// Category rounds rank the federal programs only (docs/domain.md,
		// "Category-based selection"; every category round of 2023-2025
		// lists FSW, CEC, FST).
		want = Federal
	}
	got := programsInText(text)
	switch {
	case got == 0:
		p.warn(rd.Number, "drawText2", "no program named in %q: using %s from drawName", text, want)
		rd.Programs = want
	case got != want:
		p.warn(rd.Number, "drawText2", "programs %s disagree with drawName %q (%s): using drawText2", got, rd.Name, want)
		rd.Programs = got
	default:
		rd.Programs = got
	}
	return nil
}

// times sets Instant, TieBreak and SnapshotDate.
func (p *feedParser) times(f *fields, rd *Round) error {
	year := rd.Date.Year()
	note := func(field string, n DateTimeNotes) {
		for _, m := range n.Messages() {
			p.warn(rd.Number, field, "%s", m)
		}
	}

	s, err := f.get("drawDateTime")
	if err != nil {
		return err
	}
	t, n, err := ParseDateTimeNotes(s, year)
	switch {
	case strings.TrimSpace(s) == "":
		p.warn(rd.Number, "drawDateTime", "missing: using drawDate at 00:00 UTC")
		rd.Instant = rd.Date
	case err != nil:
		p.warn(rd.Number, "drawDateTime", "%v: using drawDate at 00:00 UTC", err)
		rd.Instant = rd.Date
	default:
		note("drawDateTime", n)
		if !n.HasTime {
			p.warn(rd.Number, "drawDateTime", "no time of day: 00:00 UTC assumed")
		}
		rd.Instant = t
		if day := t.Truncate(24 * time.Hour); !day.Equal(rd.Date) {
			p.warn(rd.Number, "drawDateTime", "date %s disagrees with drawDate %s (kept as published)",
				day.Format(time.DateOnly), rd.Date.Format(time.DateOnly))
		}
	}

	// drawCutOff: blank for rounds #1-#76 (before the tie-break rule of
	// 2017-06-06); zero then.
	if s, err = f.get("drawCutOff"); err != nil {
		return err
	}
	if strings.TrimSpace(s) != "" {
		t, n, err := ParseDateTimeNotes(s, year)
		if err != nil {
			p.warn(rd.Number, "drawCutOff", "%v: no tie-break", err)
		} else {
			note("drawCutOff", n)
			rd.TieBreak = t
			if t.After(rd.Instant) && !rd.Instant.Equal(rd.Date) {
				p.warn(rd.Number, "drawCutOff", "tie-break %s is after the round (%s)",
					t.Format(time.RFC3339), rd.Instant.Format(time.RFC3339))
			}
		}
	}

	if s, err = f.get("drawDistributionAsOn"); err != nil {
		return err
	}
	if strings.TrimSpace(s) != "" {
		t, n, err := ParseDateTimeNotes(s, year)
		switch {
		case err != nil:
			p.warn(rd.Number, "drawDistributionAsOn", "%v", err)
		case n.HasTime:
			p.warn(rd.Number, "drawDistributionAsOn", "%q has a time of day: only the date is used", strings.TrimSpace(s))
			rd.SnapshotDate = t.Truncate(24 * time.Hour)
		default:
			note("drawDistributionAsOn", n)
			rd.SnapshotDate = t
		}
	}
	return nil
}

// snapshot reads dd1..dd18 and checks the subtotals.
func (p *feedParser) snapshot(f *fields, rd *Round) error {
	var dd [19]int // dd[1]..dd[18]
	any := false
	for k := 1; k <= 18; k++ {
		v, err := f.count("dd"+strconv.Itoa(k), true)
		if err != nil {
			return err
		}
		dd[k] = v
		any = any || v != 0
	}
	if !any {
		p.warn(rd.Number, "dd1-dd18", "no distribution published")
		return nil
	}
	s := &Snapshot{Date: rd.SnapshotDate, Total: dd[18]}
	if s.Date.IsZero() {
		p.warn(rd.Number, "drawDistributionAsOn", "no date for the published distribution: using drawDate")
		s.Date = rd.Date
		rd.SnapshotDate = rd.Date
	}
	for i, k := range bandFields {
		s.Counts[i] = dd[k]
	}
	// The subtotals: the parts are kept (they are the finer bands).
	if sum := dd[4] + dd[5] + dd[6] + dd[7] + dd[8]; sum != dd[3] {
		p.warn(rd.Number, "dd3", "subtotal 451-500 is %d but dd4..dd8 add up to %d (the parts are used)", dd[3], sum)
	}
	if sum := dd[10] + dd[11] + dd[12] + dd[13] + dd[14]; sum != dd[9] {
		p.warn(rd.Number, "dd9", "subtotal 401-450 is %d but dd10..dd14 add up to %d (the parts are used)", dd[9], sum)
	}
	if sum := s.Sum(); sum != dd[18] {
		p.warn(rd.Number, "dd18", "total is %d but the 15 bands add up to %d", dd[18], sum)
	}
	rd.Snapshot = s
	return nil
}

// sortRounds orders rounds chronologically: by drawDate, then instant, then
// number ("91a" before "91b", "99" before "100").
func sortRounds(rs []Round) {
	sort.SliceStable(rs, func(i, j int) bool {
		a, b := &rs[i], &rs[j]
		if !a.Date.Equal(b.Date) {
			return a.Date.Before(b.Date)
		}
		if !a.Instant.Equal(b.Instant) {
			return a.Instant.Before(b.Instant)
		}
		return lessNumber(a.Number, b.Number)
	})
}

// lessNumber compares draw numbers numerically, then by suffix.
func lessNumber(a, b string) bool {
	na, sa := splitNumber(a)
	nb, sb := splitNumber(b)
	if na != nb {
		return na < nb
	}
	return sa < sb
}

func splitNumber(s string) (int, string) {
	i := 0
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	n, _ := strconv.Atoi(s[:i])
	return n, s[i:]
}

// Snapshots returns the distinct published distributions of rounds, by
// date, oldest first. Several rounds usually share one snapshot; the first
// round's copy is kept.
func Snapshots(rounds []Round) []Snapshot {
	seen := map[time.Time]bool{}
	var out []Snapshot
	for i := range rounds {
		s := rounds[i].Snapshot
		if s == nil || seen[s.Date] {
			continue
		}
		seen[s.Date] = true
		out = append(out, *s)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Date.Before(out[j].Date) })
	return out
}
