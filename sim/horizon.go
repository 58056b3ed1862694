package sim

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ParseHorizon parses a projection horizon: "6mo", "12mo", "90d", "2w",
// "1y". A month is 30.44 days (365.25/12), a year 365.25 days; at most
// 3,660 days. eesim's commands and its web view share it, so that they
// accept the same values and say the same when they do not.
func ParseHorizon(s string) (time.Duration, error) {
	t := strings.TrimSpace(strings.ToLower(s))
	units := []struct {
		suffix string
		days   float64
	}{{"mo", 365.25 / 12}, {"d", 1}, {"w", 7}, {"y", 365.25}}
	for _, u := range units {
		if n, ok := strings.CutSuffix(t, u.suffix); ok {
			v, err := strconv.ParseFloat(n, 64)
			if err != nil || v <= 0 || v*u.days > 3660 {
				return 0, fmt.Errorf("horizon %q: want a positive number with a unit, e.g. 6mo, 90d, 1y (at most 10 years, docs/limits.md)", s)
			}
			return time.Duration(v * u.days * 24 * float64(time.Hour)), nil
		}
	}
	return 0, fmt.Errorf("horizon %q: want a positive number with a unit, e.g. 6mo, 90d, 1y (at most 10 years, docs/limits.md)", s)
}

// ParseDate parses a date flag or field, YYYY-MM-DD or RFC 3339, as UTC.
// eesim's commands and its web view share it, like ParseHorizon.
func ParseDate(s string) (time.Time, error) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a date (YYYY-MM-DD or RFC 3339)", s)
	}
	return t.UTC(), nil
}
