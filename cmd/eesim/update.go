package main

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/eesim/eesim/data"
	"github.com/eesim/eesim/data/feedcache"
	"github.com/eesim/eesim/reports"
)

// updateOptions are the flags of "eesim update".
type updateOptions struct {
	URL      string
	Timeout  time.Duration
	MaxBytes int64
	JSON     bool
}

func newUpdateCmd(s *streams) *cobra.Command {
	o := &updateOptions{}
	cmd := &cobra.Command{
		Use:   "update",
		Short: "Download IRCC's current rounds feed for every command to use",
		Long: `Update downloads IRCC's rounds feed (ee_rounds_123_en.json from canada.ca,
or --url), checks it with the reader of --rounds, and stores it in the cache
folder ($EESIM_CACHE_DIR/feed, default eesim/feed under the user's cache
folder, ~/.cache on Linux) with its source, ETag, Last-Modified, fetch time,
sha256 and last round. It prints the rounds that are new since the previous
copy (or since the feed embedded in eesim).

The request is conditional on the previous copy's ETag and Last-Modified,
so an unchanged feed costs one small request ("up to date"). From then on,
every command reads the newest of the embedded and the updated feed and
says which on stderr.

On any failure (offline, an HTTP error, a timeout, a truncated or oversized
body) update exits with code 1, and with code 2 when the body is not a
rounds feed; the previous copy stays in use.`,
		Example: `  eesim update
  eesim update --url https://www.canada.ca/content/dam/ircc/documents/json/ee_rounds_123_en.json
  eesim update -q && eesim simulate --out out/sim`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runUpdate(cmd, s, o) },
	}
	f := cmd.Flags()
	f.StringVar(&o.URL, "url", feedcache.DefaultURL, "download the feed from `URL` (http or https)")
	f.DurationVar(&o.Timeout, "timeout", feedcache.DefaultTimeout, "give up when the download takes longer")
	f.Int64Var(&o.MaxBytes, "max-bytes", feedcache.DefaultMaxBytes, "refuse a body larger than this many bytes")
	addJSONFlag(cmd, &o.JSON)
	return cmd
}

func runUpdate(cmd *cobra.Command, s *streams, o *updateOptions) error {
	if !feedcache.IsURL(o.URL) {
		return badInputf("update: --url %q: want an http:// or https:// URL", o.URL)
	}
	if o.Timeout <= 0 || o.MaxBytes <= 0 {
		return badInputf("update: --timeout and --max-bytes must be positive")
	}
	dir := feedCacheDir(s)
	if dir == "" {
		return fmt.Errorf("update: no cache folder: set EESIM_CACHE_DIR")
	}
	kept := "the previous copy stays in use"
	if m, err := (feedcache.Cache{Dir: dir}).Meta(); m == nil || err != nil {
		kept = "nothing was stored"
	}
	u, err := feedcache.Cache{Dir: dir}.Update(cmd.Context(), feedcache.Request{
		URL: o.URL, Client: newHTTPClient(), Timeout: o.Timeout, MaxBytes: o.MaxBytes}, now())
	if err != nil {
		var fe *data.FeedError
		if errors.As(err, &fe) {
			return badInputf("update: not a rounds feed: %w; %s", err, kept)
		}
		return fmt.Errorf("update: %w; %s", err, kept)
	}
	for _, n := range u.Notes {
		s.warnf("update: %s", n)
	}
	d := newUpdateDoc(u, feedcache.Cache{Dir: dir})
	write := func() error { return writeUpdateSummary(s.Out, &d) }
	if o.JSON {
		write = func() error { return writeJSONDoc(s.Out, d) }
	}
	if err := write(); err != nil {
		return err
	}
	last := feedcache.Last(u.Feed)
	if emb, err := data.LoadFeed(""); err == nil && !last.Instant.After(feedcache.Last(emb).Instant) {
		s.notef("the feed embedded in eesim is as recent; commands keep reading it")
	}
	return nil
}

// updateDoc is update's summary: its --json document (docs/json.md,
// "update"), from which writeUpdateSummary prints the text.
type updateDoc struct {
	Command string `json:"command"`
	// Status is "updated", "not_modified" (HTTP 304) or "unchanged" (the
	// same bytes as the cached copy).
	Status        string        `json:"status"`
	Rounds        int           `json:"rounds"`
	LastRound     string        `json:"last_draw_number"`
	LastRoundDate string        `json:"last_draw_date"`
	CopyFetchedAt *time.Time    `json:"copy_fetched_at"` // the copy still in use (up to date); null when updated
	StoredIn      *string       `json:"stored_in"`       // the new copy; null when up to date
	NewSince      *string       `json:"new_since"`       // "previous" or "embedded"; null when up to date
	NewRounds     []updateRound `json:"new_rounds"`
}

type updateRound struct {
	DrawNumber  string `json:"draw_number"`
	DrawDate    string `json:"draw_date"`
	Family      string `json:"family"`
	Invitations int    `json:"invitations"`
	Cutoff      int    `json:"cutoff"`
}

func newUpdateDoc(u *feedcache.Update, c feedcache.Cache) updateDoc {
	last := feedcache.Last(u.Feed)
	d := updateDoc{Command: "update", Rounds: len(u.Feed.Rounds), LastRound: last.Number,
		LastRoundDate: last.Date.Format(time.DateOnly), NewRounds: []updateRound{}}
	switch {
	case u.NotModified:
		d.Status, d.CopyFetchedAt = "not_modified", &u.Meta.FetchedAt
	case u.Unchanged:
		d.Status, d.CopyFetchedAt = "unchanged", &u.Previous.FetchedAt
	default:
		path, since := c.Path(u.Meta), u.Against
		d.Status, d.StoredIn, d.NewSince = "updated", &path, &since
		for _, r := range u.New {
			d.NewRounds = append(d.NewRounds, updateRound{r.Number, r.Date.Format(time.DateOnly), r.Family(), r.Invitations, r.Cutoff})
		}
	}
	if d.CopyFetchedAt != nil {
		t := d.CopyFetchedAt.UTC()
		d.CopyFetchedAt = &t
	}
	return d
}

// writeUpdateSummary prints what update did, and the new rounds like a
// draw notifier.
func writeUpdateSummary(w io.Writer, d *updateDoc) error {
	var b strings.Builder
	lastText := fmt.Sprintf("%d rounds to #%s of %s", d.Rounds, d.LastRound, d.LastRoundDate)
	switch d.Status {
	case "not_modified":
		fmt.Fprintf(&b, "up to date: %s (not modified since the copy of %s)\n", lastText, d.CopyFetchedAt.Format(time.DateOnly))
	case "unchanged":
		fmt.Fprintf(&b, "up to date: %s (the same as the copy of %s)\n", lastText, d.CopyFetchedAt.Format(time.DateOnly))
	default:
		fmt.Fprintf(&b, "updated: %s, stored in %s\n", lastText, *d.StoredIn)
		since := "the previous copy"
		if *d.NewSince == "embedded" {
			since = "the feed embedded in eesim"
		}
		switch len(d.NewRounds) {
		case 0:
			fmt.Fprintf(&b, "no new rounds since %s\n", since)
		case 1:
			fmt.Fprintf(&b, "1 new round since %s:\n", since)
		default:
			fmt.Fprintf(&b, "%d new rounds since %s:\n", len(d.NewRounds), since)
		}
		for _, r := range d.NewRounds {
			fmt.Fprintf(&b, "  #%-5s %s  %-12s %6s invited, cutoff %d\n", r.DrawNumber, r.DrawDate,
				r.Family, reports.Thousands(r.Invitations), r.Cutoff)
		}
	}
	_, err := fmt.Fprint(w, b.String())
	return err
}
