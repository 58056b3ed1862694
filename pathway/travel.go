package pathway

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Travel-history inputs. One absence has the same fields everywhere:
//
//   - from: the departure day (required);
//   - to: the return day (empty or absent: still abroad);
//   - country: the countries of the trip in order, separated by ";", each
//     optionally with its arrival day: "FR;DE@2019-07-01" (repeatable in
//     the named flag form);
//   - reason: why the days abroad may count as days in Canada (Reason).
//
// They are read from a named flag value ("from=2019-01-01,to=2020-01-01,
// country=FR,reason=canadian-employer"), a CSV file with a header row
// naming the columns, or JSON (an array of objects, or an object whose
// "absences" holds one). JSON also accepts the older names "depart",
// "return" and "exception".

// ParseAbsence reads the named form "from=DATE,to=DATE,country=C,reason=R".
// from is required; to may be empty or left out (still abroad); country
// may repeat and hold several countries separated by ";".
func ParseAbsence(s string) (Absence, error) {
	var a Absence
	seen := map[string]bool{}
	for _, kv := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(kv, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok {
			return a, fmt.Errorf("%q: want key=value (keys from, to, country, reason)", kv)
		}
		if seen[k] && k != "country" {
			return a, fmt.Errorf("%s: given twice", k)
		}
		seen[k] = true
		if err := a.set(k, v); err != nil {
			return a, err
		}
	}
	if !seen["from"] {
		return a, fmt.Errorf("from: missing (the departure date)")
	}
	return a, nil
}

// set assigns one named field of an absence.
func (a *Absence) set(k, v string) error {
	switch k {
	case "from":
		d, err := ParseDate(v)
		if err != nil {
			return fmt.Errorf("from: %w", err)
		}
		a.Depart = d
	case "to":
		if v == "" {
			a.Return = nil
			return nil
		}
		d, err := ParseDate(v)
		if err != nil {
			return fmt.Errorf("to: %w", err)
		}
		a.Return = &d
	case "country":
		legs, err := ParseLegs(v)
		if err != nil {
			return err
		}
		a.Legs = append(a.Legs, legs...)
	case "reason":
		r := Reason(v)
		if !r.Valid() {
			return fmt.Errorf("reason: unknown %q (want %s)", v, reasonList())
		}
		a.Reason = r
	default:
		return fmt.Errorf("unknown key %q (want from, to, country or reason)", k)
	}
	return nil
}

// Third says what the third field of the positional form
// DEPART:RETURN:THIRD means in a command.
type Third int

const (
	// ThirdReason: the third field is a reason (eesim residency).
	ThirdReason Third = iota
	// ThirdCountry: the third field is a country (eesim citizenship).
	ThirdCountry
)

// ErrAmbiguous is returned by ParsePositional for a third field that could
// be either a country or a reason.
var ErrAmbiguous = errors.New("ambiguous")

// ParsePositional reads the older form DEPART:RETURN[:THIRD] (RETURN empty:
// still abroad). It is kept where it is unambiguous: THIRD is a reason for
// ThirdReason, and a country for ThirdCountry unless it is a reason's name,
// which is an error wrapping ErrAmbiguous (use the named form).
func ParsePositional(s string, third Third) (Absence, error) {
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return Absence{}, fmt.Errorf("want from=DATE,to=DATE,country=C,reason=R (or DEPART:RETURN[:%s])", map[Third]string{ThirdReason: "REASON", ThirdCountry: "COUNTRY"}[third])
	}
	var a Absence
	var err error
	if a.Depart, err = ParseDate(parts[0]); err != nil {
		return a, fmt.Errorf("depart: %w", err)
	}
	if parts[1] != "" {
		r, err := ParseDate(parts[1])
		if err != nil {
			return a, fmt.Errorf("return: %w", err)
		}
		a.Return = &r
	}
	if len(parts) < 3 || parts[2] == "" {
		return a, nil
	}
	x := parts[2]
	switch {
	case third == ThirdReason:
		a.Reason = Reason(x)
		if !a.Reason.Valid() {
			return a, fmt.Errorf("reason: unknown %q (want %s; a country goes in the named form: country=%s)", x, reasonList(), x)
		}
	case Reason(x).known():
		return a, fmt.Errorf("%w: the third field is a country here, but %q is a reason; write from=%s,to=%s,reason=%s (or country=...)", ErrAmbiguous, x, parts[0], parts[1], x)
	default:
		a.Legs = []Leg{{Country: x}}
	}
	return a, nil
}

// absenceJSON is the JSON form of an absence, with the older names.
type absenceJSON struct {
	From      *Date           `json:"from"`
	To        *Date           `json:"to"`
	Country   json.RawMessage `json:"country"`
	Reason    Reason          `json:"reason"`
	Depart    *Date           `json:"depart"`
	Return    *Date           `json:"return"`
	Exception Reason          `json:"exception"`
}

// UnmarshalJSON reads {"from", "to", "country", "reason"}; "country" is a
// string (several countries separated by ";") or an array of strings.
// Unknown fields are errors.
func (a *Absence) UnmarshalJSON(b []byte) error {
	var x absenceJSON
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&x); err != nil {
		return err
	}
	pick := func(newName, oldName string, n, o *Date) (*Date, error) {
		if n != nil && o != nil {
			return nil, fmt.Errorf("give %s or %s, not both", newName, oldName)
		}
		if n != nil {
			return n, nil
		}
		return o, nil
	}
	from, err := pick("from", "depart", x.From, x.Depart)
	if err != nil {
		return err
	}
	if from == nil {
		return fmt.Errorf("from: missing (the departure date)")
	}
	to, err := pick("to", "return", x.To, x.Return)
	if err != nil {
		return err
	}
	if x.Reason != "" && x.Exception != "" {
		return fmt.Errorf("give reason or exception, not both")
	}
	*a = Absence{Depart: *from, Return: to, Reason: x.Reason}
	if x.Exception != "" {
		a.Reason = x.Exception
	}
	a.Legs, err = legsJSON(x.Country)
	return err
}

// legsJSON reads "country": a string or an array of strings.
func legsJSON(raw json.RawMessage) ([]Leg, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var one string
	if err := json.Unmarshal(raw, &one); err == nil {
		return ParseLegs(one)
	}
	var many []string
	if err := json.Unmarshal(raw, &many); err != nil {
		return nil, fmt.Errorf("country: want a string or an array of strings, got %s", raw)
	}
	var out []Leg
	for _, s := range many {
		legs, err := ParseLegs(s)
		if err != nil {
			return nil, err
		}
		out = append(out, legs...)
	}
	return out, nil
}

// MarshalJSON writes {"from", "to", "country", "reason"}, leaving out the
// empty ones.
func (a Absence) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		From    Date   `json:"from"`
		To      *Date  `json:"to,omitempty"`
		Country string `json:"country,omitempty"`
		Reason  Reason `json:"reason,omitempty"`
	}{a.Depart, a.Return, FormatLegs(a.Legs), a.Reason})
}

// TravelError is a problem at one line of a travel-history file.
type TravelError struct {
	Line  int
	Field string
	Msg   string
}

func (e *TravelError) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
	}
	return fmt.Sprintf("line %d: %s: %s", e.Line, e.Field, e.Msg)
}

// Is makes errors.Is(err, ErrInput) true for a *TravelError.
func (e *TravelError) Is(target error) bool { return target == ErrInput }

// ReadTravel reads a travel history: JSON when its first non-blank byte is
// "[" or "{", else CSV. lines[i] is the line absence i was read from (CSV:
// the row's line; JSON: 0), so that a later validation error can name it
// (AtLine). Errors are *TravelError (CSV) or JSON errors naming the
// absence's position.
func ReadTravel(r io.Reader) (abs []Absence, lines []int, err error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, nil, err
	}
	if t := bytes.TrimSpace(b); len(t) > 0 && (t[0] == '[' || t[0] == '{') {
		abs, err = readTravelJSON(t)
		return abs, make([]int, len(abs)), err
	}
	return readTravelCSV(b)
}

func readTravelJSON(b []byte) ([]Absence, error) {
	var raw []json.RawMessage
	if b[0] == '{' {
		var obj struct {
			Absences []json.RawMessage `json:"absences"`
		}
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&obj); err != nil {
			return nil, &InputError{Msg: fmt.Sprintf("want [absences...] or {\"absences\": [...]}: %v", err)}
		}
		raw = obj.Absences
	} else if err := json.Unmarshal(b, &raw); err != nil {
		return nil, &InputError{Msg: fmt.Sprintf("want [absences...] or {\"absences\": [...]}: %v", err)}
	}
	return DecodeAbsences(raw)
}

// DecodeAbsences decodes each absence of a JSON list; an error names the
// absence's position (absences[i]).
func DecodeAbsences(raw []json.RawMessage) ([]Absence, error) {
	out := make([]Absence, len(raw))
	for i, r := range raw {
		if err := json.Unmarshal(r, &out[i]); err != nil {
			return nil, &InputError{List: "absences", Item: i + 1, Msg: err.Error()}
		}
	}
	return out, nil
}

func readTravelCSV(b []byte) ([]Absence, []int, error) {
	cr := csv.NewReader(bytes.NewReader(b))
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, nil, &TravelError{Line: 1, Msg: "empty file: want a header row from,to,country,reason"}
	}
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, nil, &TravelError{Line: pe.Line, Msg: pe.Err.Error()}
		}
		return nil, nil, &TravelError{Line: 1, Msg: err.Error()}
	}
	col, err := travelColumns(header)
	if err != nil {
		return nil, nil, err
	}
	var abs []Absence
	var lines []int
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return abs, lines, nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, nil, &TravelError{Line: pe.Line, Msg: pe.Err.Error()}
			}
			return nil, nil, &TravelError{Msg: err.Error()}
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(header) {
			return nil, nil, &TravelError{Line: line, Msg: fmt.Sprintf("%d fields, want %d (the header's)", len(rec), len(header))}
		}
		var a Absence
		for _, k := range []string{"from", "to", "country", "reason"} {
			i, ok := col[k]
			if !ok {
				continue
			}
			if err := a.set(k, strings.TrimSpace(rec[i])); err != nil {
				return nil, nil, &TravelError{Line: line, Field: k, Msg: strings.TrimPrefix(err.Error(), k+": ")}
			}
		}
		abs = append(abs, a)
		lines = append(lines, line)
	}
}

// travelColumns maps the header's column names to their positions.
func travelColumns(header []string) (map[string]int, error) {
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		switch h {
		case "from", "to", "country", "reason":
		default:
			return nil, &TravelError{Line: 1, Msg: fmt.Sprintf("unknown column %q (want from, to, country, reason)", h)}
		}
		if _, dup := col[h]; dup {
			return nil, &TravelError{Line: 1, Msg: fmt.Sprintf("column %q repeats", h)}
		}
		col[h] = i
	}
	if _, ok := col["from"]; !ok {
		return nil, &TravelError{Line: 1, Msg: "no from column"}
	}
	return col, nil
}

// AtLine rewrites a validation error about absence i (an *InputError of
// list "absences") as a *TravelError at lines[i-1], when that line is
// known; other errors are returned as they are.
func AtLine(err error, lines []int) error {
	var ie *InputError
	if !errors.As(err, &ie) || ie.List != "absences" || ie.Item < 1 || ie.Item > len(lines) || lines[ie.Item-1] == 0 {
		return err
	}
	msg := ie.Msg
	// "overlaps absence 2" names another absence: name its line too.
	for j := len(lines); j >= 1; j-- {
		msg = strings.ReplaceAll(msg, fmt.Sprintf("absence %d ", j), fmt.Sprintf("absence %d (line %d) ", j, lines[j-1]))
	}
	return &TravelError{Line: lines[ie.Item-1], Field: ie.Field, Msg: msg}
}
