package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"github.com/eesim/eesim/data"
	"github.com/eesim/eesim/data/feedcache"
)

// roundsFlagHelp is the help of --rounds.
const roundsFlagHelp = "IRCC rounds feed (ee_rounds_123_en.json): a `FILE`, or an https:// URL (default: the newest of the embedded feed and eesim update's copy)"

// now is the clock of the stale-data warning and of eesim update; tests
// set it.
var now = time.Now

// newHTTPClient returns the client of downloads (eesim update, --rounds
// URL); tests replace it with one that dials the loopback interface only.
var newHTTPClient = func() *http.Client { return &http.Client{} }

// feedCacheDir is the folder of the updated feed: feed under s.CacheDir
// ($EESIM_CACHE_DIR, or eesim under the user's cache folder); "" when
// s has no cache folder, as in tests that do not set one, so that they
// never read a user's cache.
func feedCacheDir(s *streams) string {
	if s.CacheDir == "" {
		return ""
	}
	return filepath.Join(s.CacheDir, "feed")
}

// loadFeed reads the rounds feed named by spec (feedcache.Open): "" for
// the newest of the embedded and the updated copy, a file, or an http(s)
// URL. It prints on s.Err one line saying which feed it is, a warning
// when its last round is more than 30 days old, and its data-quality
// warnings: in full with --verbose, else those of the embedded feed
// summarised in one line and any others in full. A feed that cannot be
// read or parsed is bad input (exit code 2), with the file, round and
// field; a download that fails is exit code 1.
func loadFeed(spec string, s *streams) (*data.Feed, error) {
	return loadFeedList(spec, s, s.Verbose)
}

// loadFeedList is loadFeed; listAll prints every data-quality warning.
func loadFeedList(spec string, s *streams, listAll bool) (*data.Feed, error) {
	c, err := feedcache.Open(context.Background(), spec, feedCacheDir(s), feedcache.Request{Client: newHTTPClient()})
	if err != nil {
		var fe *feedcache.FetchError
		if errors.As(err, &fe) {
			return nil, fmt.Errorf("rounds: %w", err)
		}
		return nil, badInput(err)
	}
	for _, n := range c.Notes {
		s.warnf("%s", n)
	}
	last := feedcache.Last(c.Feed)
	s.notef("rounds: %d rounds to #%s of %s, %s", len(c.Feed.Rounds), last.Number, last.Date.Format(time.DateOnly), feedOrigin(c))
	if days, stale := feedcache.Age(c.Feed, now()); stale {
		if m := c.Meta; c.Kind != feedcache.File && c.Kind != feedcache.URL && m != nil && now().Sub(m.FetchedAt) < 24*time.Hour {
			// Just updated: IRCC has no later round.
			s.warnf("the last round in the data (#%s of %s) is %d days old; IRCC's feed downloaded %s has no later round",
				last.Number, last.Date.Format(time.DateOnly), days, m.FetchedAt.Format("2006-01-02 15:04 UTC"))
		} else {
			s.warnf("the last round in the data (#%s of %s) is %d days old: eesim update fetches IRCC's current feed",
				last.Number, last.Date.Format(time.DateOnly), days)
		}
	}
	if listAll {
		printWarnings(s, c.Feed.Warnings)
		return c.Feed, nil
	}
	printFeedWarnings(s, c.Feed)
	return c.Feed, nil
}

// feedOrigin says where the chosen feed came from.
func feedOrigin(c *feedcache.Choice) string {
	switch c.Kind {
	case feedcache.Embedded:
		return "embedded in eesim"
	case feedcache.Updated:
		return fmt.Sprintf("downloaded %s from %s by eesim update", c.Meta.FetchedAt.UTC().Format(time.DateOnly), c.Meta.SourceURL)
	case feedcache.URL:
		return "downloaded from " + c.Feed.Source
	}
	return "from " + c.Feed.Source
}

// printFeedWarnings prints the feed's warnings that the embedded feed does
// not have, and summarises the others, the known quirks of IRCC's feed,
// in one line.
func printFeedWarnings(s *streams, f *data.Feed) {
	known := f.Warnings
	var other []data.Warning
	if f.Source != data.EmbeddedSource {
		seen := map[data.Warning]bool{}
		if emb, err := data.LoadFeed(""); err == nil { // it parses: tested in package data
			for _, w := range emb.Warnings {
				seen[w] = true
			}
		}
		known = nil
		for _, w := range f.Warnings {
			if seen[w] {
				known = append(known, w)
			} else {
				other = append(other, w)
			}
		}
	}
	printWarnings(s, other)
	if n := len(groupWarnings(known)); n > 0 {
		s.warnf("%d known quirks in the feed; `eesim ingest` lists them (or --verbose)", n)
	}
}

// printWarnings prints warnings, grouping those that share a field and a
// message across more than three rounds.
func printWarnings(s *streams, ws []data.Warning) {
	for _, l := range groupWarnings(ws) {
		s.warnf("%s", l)
	}
}

// groupWarnings returns the lines that print warnings: one per warning,
// except that warnings repeating the same field and message over more
// than three rounds (the 200-odd rounds before 2022 that published no
// distribution) are one line naming the rounds, so that the rest stay
// readable.
func groupWarnings(ws []data.Warning) []string {
	type key struct{ field, msg string }
	groups := map[key][]string{}
	for _, w := range ws {
		k := key{w.Field, w.Msg}
		groups[k] = append(groups[k], w.Round)
	}
	var lines []string
	printed := map[key]bool{}
	for _, w := range ws {
		k := key{w.Field, w.Msg}
		rounds := groups[k]
		if len(rounds) <= 3 || w.Round == "" {
			lines = append(lines, w.String())
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
		lines = append(lines, fmt.Sprintf("%d rounds (%s): %s: %s", len(rounds), strings.Join(list, ", "), w.Field, w.Msg))
	}
	return lines
}
