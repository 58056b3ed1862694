package main

import (
	"fmt"

	"github.com/eesim/eesim/data"
)

// loadFeed reads the rounds feed at path ("" for the embedded copy), prints
// each data-quality warning to s.Err as "warning: <w>", and returns the feed.
// A feed that cannot be read or parsed is bad input (exit code 2); the
// error names the file, the round and the field.
func loadFeed(path string, s *streams) (*data.Feed, error) {
	f, err := data.LoadFeed(path)
	if err != nil {
		return nil, badInput(err)
	}
	for _, w := range f.Warnings {
		fmt.Fprintf(s.Err, "warning: %s\n", w)
	}
	return f, nil
}
