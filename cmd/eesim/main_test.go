package main

import (
	"flag"
	"os"
	"testing"
)

// update rewrites the golden files of every test of the package:
// go test ./cmd/eesim -update.
var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func TestMain(m *testing.M) {
	flag.Parse()
	os.Exit(m.Run())
}
