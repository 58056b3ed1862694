package main

import (
	"time"

	"github.com/eesim/eesim/data"
	"github.com/eesim/eesim/sim"
)

// parseHorizon parses a projection horizon ("6mo", "90d", "1y"): see
// sim.ParseHorizon, which eesim serve shares.
func parseHorizon(s string) (time.Duration, error) { return sim.ParseHorizon(s) }

// readFile reads a user's input file (at most data.MaxInputBytes); errors
// name the file.
func readFile(path string) ([]byte, error) {
	return data.ReadInput(path, data.MaxInputBytes)
}
