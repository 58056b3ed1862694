package data

import (
	"bytes"
	"errors"
	"github.com/eesim/eesim/internal/msgcheck"
	"testing"
	"time"
)

// FuzzParseFeed checks that ParseFeed never panics, that errors are
// *FeedError with no Go internals in the message (msgcheck), and that a feed it accepts is well formed: rounds in order,
// counts non-negative, snapshots with 15 non-negative bands. The seed
// corpus is in testdata/fuzz/FuzzParseFeed.
func FuzzParseFeed(f *testing.F) {
	f.Add([]byte(`{"rounds":[{"drawNumber":"1","drawDate":"2015-01-31","drawName":"General","drawSize":"779","drawCRS":"886"}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		feed, err := ParseFeed(bytes.NewReader(b), "fuzz.json")
		if err != nil {
			var fe *FeedError
			if !errors.As(err, &fe) {
				t.Fatalf("error %T %v, want *FeedError", err, err)
			}
			if feed != nil {
				t.Fatalf("feed and error both returned")
			}
			if in := msgcheck.GoInternals(err.Error()); in != nil {
				t.Fatalf("message %q shows Go internals: %v", err, in)
			}
			return
		}
		if len(feed.Rounds) == 0 {
			t.Fatalf("no rounds and no error")
		}
		for i := range feed.Rounds {
			r := &feed.Rounds[i]
			if r.Number == "" || r.Date.IsZero() || r.Invitations < 0 || r.Cutoff < 0 {
				t.Fatalf("round %d: %+v", i, *r)
			}
			if r.Type == Category && r.Category == "" {
				t.Fatalf("round %s: category round with no key", r.Number)
			}
			if i > 0 && r.Date.Before(feed.Rounds[i-1].Date) {
				t.Fatalf("round %s out of order", r.Number)
			}
			if s := r.Snapshot; s != nil {
				for _, c := range s.Counts {
					if c < 0 {
						t.Fatalf("round %s: negative band count", r.Number)
					}
				}
			}
		}
		// Every accepted feed can be written as Arrow.
		rec := RoundsRecord(feed.Rounds, nil)
		if rec.NumRows() != int64(len(feed.Rounds)) {
			t.Fatalf("record rows %d, rounds %d", rec.NumRows(), len(feed.Rounds))
		}
		rec.Release()
	})
}

// FuzzParseDateTime checks that ParseDateTime never panics and that what
// it accepts is a UTC instant that reads back the same from its canonical
// form. The seed corpus is in testdata/fuzz/FuzzParseDateTime.
func FuzzParseDateTime(f *testing.F) {
	f.Add("December 17, 2025 at 12:26:48 UTC", 2025)
	f.Fuzz(func(t *testing.T, s string, year int) {
		got, notes, err := ParseDateTimeNotes(s, year)
		if err != nil {
			return
		}
		if got.Location() != time.UTC {
			t.Fatalf("%q: location %v", s, got.Location())
		}
		canon := got.Format("January 2, 2006 at 15:04:05 UTC")
		if !notes.HasTime {
			canon = got.Format("January 2, 2006")
		}
		again, n2, err := ParseDateTimeNotes(canon, 0)
		if err != nil || !again.Equal(got) || n2.NoZone || n2.NoYear || n2.BadMeridiem {
			t.Fatalf("%q -> %v -> %q -> %v, %+v, %v", s, got, canon, again, n2, err)
		}
	})
}
