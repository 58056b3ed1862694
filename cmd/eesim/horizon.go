package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// parseHorizon parses a projection horizon: "6mo", "12mo", "90d", "2w",
// "1y". A month is 30.44 days (365.25/12), a year 365.25 days.
func parseHorizon(s string) (time.Duration, error) {
	t := strings.TrimSpace(strings.ToLower(s))
	units := []struct {
		suffix string
		days   float64
	}{{"mo", 365.25 / 12}, {"d", 1}, {"w", 7}, {"y", 365.25}}
	for _, u := range units {
		if n, ok := strings.CutSuffix(t, u.suffix); ok {
			v, err := strconv.ParseFloat(n, 64)
			if err != nil || v <= 0 || v*u.days > 3660 {
				return 0, fmt.Errorf("horizon %q: want a positive number with a unit, e.g. 6mo, 90d, 1y", s)
			}
			return time.Duration(v * u.days * 24 * float64(time.Hour)), nil
		}
	}
	return 0, fmt.Errorf("horizon %q: want a positive number with a unit, e.g. 6mo, 90d, 1y", s)
}

// readFile reads a user's input file; errors name the file.
func readFile(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return b, nil
}
