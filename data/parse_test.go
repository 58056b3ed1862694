package data

import (
	"slices"
	"testing"
)

func TestParseFederalPrograms(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Programs
		ok   bool
	}{
		{"CEC,FSW", CEC | FSW, true},
		{" fst , cec,", FST | CEC, true},
		{"", 0, true},
		{"CEC,PNP", 0, false}, // a nomination is not a program here
		{"CEC+FSW", 0, false},
	} {
		got, err := ParseFederalPrograms(c.in)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("ParseFederalPrograms(%q) = %v, %v; want %v, ok %v", c.in, got, err, c.want, c.ok)
		}
	}
}

func TestParseKeys(t *testing.T) {
	if got := ParseKeys("french, Healthcare,,FRENCH "); !slices.Equal(got, []string{"french", "healthcare"}) {
		t.Errorf("ParseKeys: %q", got)
	}
	if got := ParseKeys(" , "); got != nil {
		t.Errorf("ParseKeys of nothing: %q", got)
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 27332: "27,332", -1234567: "-1,234,567", 100000: "100,000"} {
		if got := Thousands(n); got != want {
			t.Errorf("Thousands(%d) = %q, want %q", n, got, want)
		}
	}
}
