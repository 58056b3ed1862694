package nseoi

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// UnmarshalJSON reads a profile as encoding/json does, rejecting unknown
// fields, and requires all four abilities of first_language and, when
// given, of second_language: a list of three would otherwise score the
// fourth as CLB 0.
func (p *Profile) UnmarshalJSON(b []byte) error {
	type plain Profile
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var q plain
	if err := dec.Decode(&q); err != nil {
		return err
	}
	var lens struct {
		First  []json.RawMessage `json:"first_language"`
		Second []json.RawMessage `json:"second_language"`
	}
	if err := json.Unmarshal(b, &lens); err != nil {
		return err
	}
	if n := len(lens.First); n != 4 {
		return fmt.Errorf("first_language: %d CLB levels given, want 4 (listening, reading, writing, speaking)", n)
	}
	if n := len(lens.Second); n != 0 && n != 4 {
		return fmt.Errorf("second_language: %d CLB levels given, want 4 (listening, reading, writing, speaking) or none", n)
	}
	*p = Profile(q)
	return nil
}
