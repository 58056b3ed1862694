package feedcache

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/eesim/eesim/data"
)

// Where a feed came from (Choice.Kind).
const (
	Embedded = "embedded" // the copy in the binary
	Updated  = "updated"  // the copy eesim update stored in the cache
	File     = "file"     // --rounds FILE
	URL      = "url"      // --rounds https://...
)

// Choice is the feed a command reads.
type Choice struct {
	Feed *data.Feed
	Kind string // Embedded, Updated, File or URL
	// Meta describes the updated copy in the cache, when there is a
	// usable one (Kind is Updated, or Embedded when the updated copy is
	// not newer).
	Meta *Meta
	// Notes are problems with the cache that made Open fall back to the
	// embedded feed; they are warnings, not errors.
	Notes []string
}

// Open returns the feed named by spec: an http:// or https:// URL is
// downloaded with r's limits (r.URL is ignored) and not stored; any other
// non-empty spec is a file. An empty spec is the newest of the embedded
// feed and the updated copy in the cache folder dir ("" for none): the
// updated copy when its last round ran after the embedded feed's last
// round, else the embedded feed. A cache that cannot be read leaves the
// embedded feed, with a note.
//
// A feed that does not parse is a *data.FeedError, a download that fails
// a *FetchError.
func Open(ctx context.Context, spec, dir string, r Request) (*Choice, error) {
	switch {
	case spec != "" && IsURL(spec):
		r.URL, r.ETag, r.LastModified = spec, "", ""
		resp, err := Fetch(ctx, r)
		if err != nil {
			return nil, err
		}
		f, err := data.ParseFeed(bytes.NewReader(resp.Body), spec)
		if err != nil {
			return nil, err
		}
		return &Choice{Feed: f, Kind: URL}, nil
	case spec != "":
		f, err := data.LoadFeed(spec)
		if err != nil {
			return nil, err
		}
		return &Choice{Feed: f, Kind: File}, nil
	}
	emb, err := data.LoadFeed("")
	if err != nil {
		return nil, err
	}
	c := &Choice{Feed: emb, Kind: Embedded}
	if dir == "" {
		return c, nil
	}
	upd, m, err := Cache{Dir: dir}.Load()
	if err != nil {
		c.Notes = append(c.Notes, fmt.Sprintf("the updated feed in %s is unusable (%v); using the embedded feed", dir, err))
		return c, nil
	}
	c.Meta = m
	if upd != nil && Last(upd).Instant.After(Last(emb).Instant) {
		c.Feed, c.Kind = upd, Updated
	}
	return c, nil
}

// Last returns the feed's last round (a parsed feed has at least one).
func Last(f *data.Feed) data.Round { return f.Rounds[len(f.Rounds)-1] }

// StaleAfterDays is how many days before today a feed's last round may be
// before commands warn and suggest eesim update. IRCC held draw weeks
// about every 14 days in 2022-2025, the longest gap 43 days in 2023 and
// 24 days in 2025 (docs/domain.md, "Cadence and sizes"): 30 days without a
// round in the data usually means the data is behind, not that IRCC
// paused.
const StaleAfterDays = 30

// Age returns how many days the feed's last round's date is before now's
// date (UTC), and whether that is more than StaleAfterDays.
func Age(f *data.Feed, now time.Time) (int, bool) {
	today := now.UTC().Truncate(24 * time.Hour)
	days := int(today.Sub(Last(f).Date).Hours() / 24)
	return days, days > StaleAfterDays
}
