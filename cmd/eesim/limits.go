package main

import "github.com/eesim/eesim/reports"

// checkRange returns a bad-input error (exit code 2) naming the flag and
// its documented range (docs/limits.md) when v is outside [lo, hi].
func checkRange(flag string, v, lo, hi int) error {
	if v < lo || v > hi {
		return badInputf("--%s %d is out of range: want %s to %s (docs/limits.md)", flag, v, reports.Thousands(lo), reports.Thousands(hi))
	}
	return nil
}
