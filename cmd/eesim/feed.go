package main

import (
	"fmt"
	"strings"

	"github.com/eesim/eesim/data"
)

// loadFeed reads the rounds feed at path ("" for the embedded copy), prints
// its data-quality warnings to s.Err, and returns the feed. Warnings that
// repeat the same field and message over many rounds (the 200-odd rounds
// before 2022 that published no distribution) are printed once, with the
// rounds they concern, so that the rest stay readable. A feed that cannot
// be read or parsed is bad input (exit code 2); the error names the file,
// the round and the field.
func loadFeed(path string, s *streams) (*data.Feed, error) {
	f, err := data.LoadFeed(path)
	if err != nil {
		return nil, badInput(err)
	}
	printWarnings(s, f.Warnings)
	return f, nil
}

// printWarnings prints warnings, grouping those that share a field and a
// message across more than three rounds.
func printWarnings(s *streams, ws []data.Warning) {
	type key struct{ field, msg string }
	groups := map[key][]string{}
	for _, w := range ws {
		k := key{w.Field, w.Msg}
		groups[k] = append(groups[k], w.Round)
	}
	printed := map[key]bool{}
	for _, w := range ws {
		k := key{w.Field, w.Msg}
		rounds := groups[k]
		if len(rounds) <= 3 || w.Round == "" {
			fmt.Fprintf(s.Err, "warning: %s\n", w)
			continue
		}
		if printed[k] {
			continue
		}
		printed[k] = true
		list := rounds
		if len(list) > 8 {
			list = append(append([]string{}, list[:4]...), "...", list[len(list)-1])
		}
		fmt.Fprintf(s.Err, "warning: %d rounds (%s): %s: %s\n", len(rounds), strings.Join(list, ", "), w.Field, w.Msg)
	}
}
