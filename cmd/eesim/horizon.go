package main

import (
	"fmt"
	"github.com/eesim/eesim/data"
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

// readFile reads a user's input file (at most data.MaxInputBytes); errors
// name the file.
func readFile(path string) ([]byte, error) {
	return data.ReadInput(path, data.MaxInputBytes)
}
