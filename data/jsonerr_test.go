package data

import (
	"testing"
	"time"

	"github.com/eesim/eesim/internal/msgcheck"
)

// TestDecodeJSONMessages: one message per kind of JSON error, each naming
// the line and field, what was wanted and what was found, with no Go type
// name or time layout (the messages encoding/json gives instead are in the
// comments).
func TestDecodeJSONMessages(t *testing.T) {
	type lang struct {
		Reading float64 `json:"reading"`
	}
	type doc struct {
		Age       int       `json:"age"`
		Name      string    `json:"name"`
		Spouse    *lang     `json:"spouse"`
		Tags      []string  `json:"tags"`
		Submitted time.Time `json:"submitted"`
		OK        bool      `json:"ok"`
	}
	for _, c := range []struct{ name, in, want string }{
		// json: cannot unmarshal string into Go struct field doc.age of type int
		{"text for a number", "{\n\"age\": \"thirty\"}", `line 2: age: want a whole number, found text`},
		{"fraction for a whole number", `{"age": 30.5}`, `line 1: age: want a whole number, found 30.5`},
		// ... into Go struct field doc.spouse of type data.lang
		{"text for an object", "{\n\n\"spouse\": \"yes\"}", `line 3: spouse: want an object {...}, found text`},
		{"nested field", `{"spouse": {"reading": "8"}}`, `line 1: spouse.reading: want a number, found text`},
		{"object for a list", `{"tags": {}}`, `line 1: tags: want a list [...], found an object`},
		{"number for text", `{"name": 7}`, `line 1: name: want text in quotes, found a number`},
		{"text for a bool", `{"ok": "yes"}`, `line 1: ok: want true or false, found text`},
		// parsing time "\"yesterday\"" as "\"2006-01-02T15:04:05Z07:00\"": ...
		{"bad time", "{\"name\": \"x\",\n \"submitted\": \"yesterday\"}", `line 2: submitted: want a time such as 2025-03-01T09:00:00Z (RFC 3339), found "yesterday"`},
		// json: unknown field "agee"
		{"unknown field", "{\"age\": 3,\n \"agee\": 3}", `line 2: agee: unknown field`},
		{"syntax", "{\"age\": 3,\n,}", `line 2: invalid JSON: invalid character ',' looking for beginning of object key string`},
		{"cut short", "{\"age\": 3,\n\"name\": \"x", `line 2: the JSON ends early: a closing } or ] or " is missing`},
		{"empty", "  \n", `empty: want a JSON object`},
		{"trailing text", "{\"age\": 3}\n{}", `line 2: unexpected text after the end of the JSON document: found "{}"`},
		{"top level", `[1]`, `line 1: want an object {...}, found a list`},
	} {
		t.Run(c.name, func(t *testing.T) {
			var d doc
			err := DecodeJSON([]byte(c.in), &d)
			if err == nil {
				t.Fatal("no error")
			}
			if err.Error() != c.want {
				t.Errorf("message\n %s\nwant\n %s", err, c.want)
			}
			if in := msgcheck.GoInternals(err.Error()); in != nil {
				t.Errorf("Go internals: %v", in)
			}
		})
	}
	// A byte-order mark is skipped.
	var d doc
	if err := DecodeJSON(append([]byte{0xEF, 0xBB, 0xBF}, `{"age": 3}`...), &d); err != nil || d.Age != 3 {
		t.Errorf("with a BOM: %v, age %d", err, d.Age)
	}
}
