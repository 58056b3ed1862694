package msgcheck

import "testing"

func TestGoInternals(t *testing.T) {
	for _, c := range []struct {
		msg  string
		want bool
	}{
		{`json: cannot unmarshal string into Go struct field Profile.age of type int`, true},
		{`spouse: want a crs.Spouse, got JSON string`, true},
		{`parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"`, true},
		{`want a int32`, true},
		{`goroutine 1 [running]:`, true},
		{`panic: runtime error: makeslice: len out of range`, true},
		{`cannot unmarshal into map[string]int`, true},
		{`me.json: line 3: spouse: want an object {...}, found text`, false},
		{`ee_rounds.json: round 388: drawCRS: 1500 is out of range: want a CRS score from 0 to 1200`, false},
		{`--runs 1000000000000 is out of range: want 1 to 1,000,000 (docs/limits.md)`, false},
		{`f.x: unknown schedule format "\xe7*a0.00 crs.Spouse 2006" (want csv or json)`, false},
		{`plan.csv:3: date: bad date "2026-02-30" (want YYYY-MM-DD or RFC 3339)`, false},
	} {
		if got := GoInternals(c.msg) != nil; got != c.want {
			t.Errorf("GoInternals(%q) = %v, want internals %v", c.msg, GoInternals(c.msg), c.want)
		}
	}
}
