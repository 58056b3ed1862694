package main

import (
	"fmt"
	"os"
	"time"

	"github.com/eesim/eesim/sim"
)

// parseHorizon parses a projection horizon ("6mo", "90d", "1y"): see
// sim.ParseHorizon, which eesim serve shares.
func parseHorizon(s string) (time.Duration, error) { return sim.ParseHorizon(s) }

// readFile reads a user's input file; errors name the file.
func readFile(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return b, nil
}
