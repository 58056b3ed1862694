package feedcache

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/eesim/eesim/data"
)

const (
	metaName   = "meta.json"
	filePrefix = "ee_rounds_123_en."
	// keepFiles is how many feed files stay in the folder: the current
	// copy and the latest before it, which config.json files of earlier
	// runs may name as their rounds_source.
	keepFiles = 5
)

// Meta describes the updated copy of the feed (meta.json).
type Meta struct {
	SourceURL    string    `json:"source_url"`          // the URL asked for
	FinalURL     string    `json:"final_url,omitempty"` // after redirects, when it differs
	ETag         string    `json:"etag,omitempty"`
	LastModified string    `json:"last_modified,omitempty"`
	FetchedAt    time.Time `json:"fetched_at"` // UTC
	SHA256       string    `json:"sha256"`     // of the file, hex
	Bytes        int       `json:"bytes"`
	File         string    `json:"file"` // file name in the folder
	Rounds       int       `json:"rounds"`
	LastRound    string    `json:"last_round"`      // draw number
	LastDate     string    `json:"last_round_date"` // YYYY-MM-DD
}

// Cache is the folder holding the updated feed.
type Cache struct{ Dir string }

// Meta returns the metadata of the cached copy, or nil when there is none.
func (c Cache) Meta() (*Meta, error) {
	b, err := os.ReadFile(filepath.Join(c.Dir, metaName))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var m Meta
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(c.Dir, metaName), err)
	}
	if m.File == "" || m.File != filepath.Base(m.File) {
		return nil, fmt.Errorf("%s: file %q: want a file name in the folder", filepath.Join(c.Dir, metaName), m.File)
	}
	return &m, nil
}

// Path returns the path of the cached copy m describes.
func (c Cache) Path(m *Meta) string { return filepath.Join(c.Dir, m.File) }

// Load returns the cached copy, parsed, and its metadata; nil and nil when
// the cache is empty. A copy whose sha256 differs from its metadata is an
// error.
func (c Cache) Load() (*data.Feed, *Meta, error) {
	m, err := c.Meta()
	if err != nil || m == nil {
		return nil, nil, err
	}
	path := c.Path(m)
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	if sum := sha256.Sum256(b); hex.EncodeToString(sum[:]) != m.SHA256 {
		return nil, nil, fmt.Errorf("%s: sha256 %x, want %s from %s: the copy is damaged; run eesim update", path, sum, m.SHA256, metaName)
	}
	f, err := data.ParseFeed(bytes.NewReader(b), path)
	if err != nil {
		return nil, nil, err
	}
	return f, m, nil
}

// Update is the result of Cache.Update.
type Update struct {
	// Meta describes the copy now in the cache; Previous the one before
	// (nil when the cache was empty or unreadable).
	Meta, Previous *Meta
	// NotModified: the server answered 304 and nothing was written.
	NotModified bool
	// Unchanged: the body is the cached copy byte for byte; only
	// meta.json was rewritten (new fetch time and validators).
	Unchanged bool
	// Feed is the feed now in the cache.
	Feed *data.Feed
	// New are the rounds of Feed whose draw number is not in the previous
	// copy, or in the embedded feed when the cache was empty, oldest
	// first. Against is "previous" or "embedded" accordingly.
	New     []data.Round
	Against string
	// Notes are problems that did not stop the update (an unreadable
	// previous copy, a new copy ending before the previous one).
	Notes []string
}

// Update downloads the feed, validates it and stores it in the cache (see
// the package documentation). r.ETag and r.LastModified are set from the
// cached copy when it came from the same URL. now is the fetch time. A
// download failure is a *FetchError and a body that is not a rounds feed a
// *data.FeedError; on any error the cached copy is left as it was.
func (c Cache) Update(ctx context.Context, r Request, now time.Time) (*Update, error) {
	u := &Update{}
	prevFeed, prev, err := c.Load()
	if err != nil {
		u.Notes = append(u.Notes, fmt.Sprintf("previous copy unreadable, replaced: %v", err))
		prevFeed, prev = nil, nil
	}
	u.Previous = prev
	if prev != nil && prev.SourceURL == r.URL {
		r.ETag, r.LastModified = prev.ETag, prev.LastModified
	} else {
		r.ETag, r.LastModified = "", ""
	}
	resp, err := Fetch(ctx, r)
	if err != nil {
		return nil, err
	}
	if resp.NotModified {
		u.NotModified, u.Meta, u.Feed = true, prev, prevFeed
		return u, nil
	}
	sum := sha256.Sum256(resp.Body)
	m := &Meta{SourceURL: r.URL, ETag: resp.ETag, LastModified: resp.LastModified,
		FetchedAt: now.UTC().Truncate(time.Second), SHA256: hex.EncodeToString(sum[:]), Bytes: len(resp.Body),
		File: filePrefix + hex.EncodeToString(sum[:8]) + ".json"}
	if resp.FinalURL != r.URL {
		m.FinalURL = resp.FinalURL
	}
	feed, err := data.ParseFeed(bytes.NewReader(resp.Body), c.Path(m))
	if err != nil {
		var fe *data.FeedError
		if errors.As(err, &fe) {
			fe.Source = r.URL
		}
		return nil, err
	}
	last := feed.Rounds[len(feed.Rounds)-1]
	m.Rounds, m.LastRound, m.LastDate = len(feed.Rounds), last.Number, last.Date.Format(time.DateOnly)
	if err := os.MkdirAll(c.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("feed cache: %w", err)
	}
	u.Unchanged = prev != nil && prev.SHA256 == m.SHA256
	if !u.Unchanged {
		if err := data.WriteFileAtomic(c.Path(m), func(w io.Writer) error {
			_, err := w.Write(resp.Body)
			return err
		}); err != nil {
			return nil, fmt.Errorf("feed cache: %w", err)
		}
	}
	if err := data.WriteFileAtomic(filepath.Join(c.Dir, metaName), func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(m)
	}); err != nil {
		return nil, fmt.Errorf("feed cache: %w", err)
	}
	c.prune(m.File)
	u.Meta, u.Feed = m, feed

	base, against := prevFeed, "previous"
	if base == nil {
		if base, err = data.LoadFeed(""); err != nil {
			return nil, err
		}
		against = "embedded"
	}
	u.New, u.Against = newRounds(base.Rounds, feed.Rounds), against
	if pl, nl := base.Rounds[len(base.Rounds)-1], last; nl.Instant.Before(pl.Instant) {
		u.Notes = append(u.Notes, fmt.Sprintf("the downloaded feed ends with round %s of %s, before the %s copy's round %s of %s",
			nl.Number, nl.Date.Format(time.DateOnly), against, pl.Number, pl.Date.Format(time.DateOnly)))
	}
	return u, nil
}

// newRounds returns the rounds of cur whose number is not in prev.
func newRounds(prev, cur []data.Round) []data.Round {
	seen := make(map[string]bool, len(prev))
	for _, r := range prev {
		seen[r.Number] = true
	}
	var out []data.Round
	for _, r := range cur {
		if !seen[r.Number] {
			out = append(out, r)
		}
	}
	return out
}

// prune removes the oldest feed files beyond keepFiles, never current.
// Failures are ignored: they cost only disk space.
func (c Cache) prune(current string) {
	entries, err := os.ReadDir(c.Dir)
	if err != nil {
		return
	}
	type file struct {
		name string
		mod  time.Time
	}
	var files []file
	for _, e := range entries {
		n := e.Name()
		if !strings.HasPrefix(n, filePrefix) || !strings.HasSuffix(n, ".json") || n == current {
			continue
		}
		if info, err := e.Info(); err == nil {
			files = append(files, file{n, info.ModTime()})
		}
	}
	sort.Slice(files, func(i, j int) bool { return files[i].mod.After(files[j].mod) })
	for i := keepFiles - 1; i < len(files); i++ {
		os.Remove(filepath.Join(c.Dir, files[i].name))
	}
}
