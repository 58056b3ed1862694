package feedcache

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eesim/eesim/data"
)

// LoopbackClient returns a client that dials only the loopback interface,
// so that no test can reach beyond the machine.
func loopbackClient() *http.Client {
	d := &net.Dialer{Timeout: 5 * time.Second}
	return &http.Client{Transport: &http.Transport{
		Proxy: nil,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			host, _, err := net.SplitHostPort(addr)
			if err != nil {
				return nil, err
			}
			if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
				return nil, fmt.Errorf("test dialer: %s is not a loopback address", addr)
			}
			return d.DialContext(ctx, network, addr)
		},
	}}
}

// newerFeed returns the embedded feed with extra rounds added in front
// (the feed lists the newest first): copies of round #388 renumbered
// #389, #390, ..., a week apart from 2026-01-07, each a CEC round of 3,000
// at cutoff 515.
func newerFeed(t testing.TB, extra int) []byte {
	t.Helper()
	var top map[string]any
	if err := json.Unmarshal(data.EmbeddedFeed(), &top); err != nil {
		t.Fatal(err)
	}
	rounds := top["rounds"].([]any)
	first := rounds[0].(map[string]any)
	var add []any
	for i := extra - 1; i >= 0; i-- {
		r := map[string]any{}
		for k, v := range first {
			r[k] = v
		}
		d := time.Date(2026, 1, 7+7*i, 0, 0, 0, 0, time.UTC)
		r["drawNumber"] = fmt.Sprint(389 + i)
		r["drawDate"] = d.Format(time.DateOnly)
		r["drawDateFull"] = d.Format("January 2, 2006")
		r["drawDateTime"] = d.Format("January 2, 2006") + " at 14:00:00 UTC"
		r["drawName"] = "Canadian Experience Class"
		r["drawText2"] = "Canadian Experience Class"
		r["drawSize"] = "3,000"
		r["drawCRS"] = "515"
		r["drawCutOff"] = "November 1, 2025 at 10:00:00 UTC"
		r["drawDistributionAsOn"] = d.AddDate(0, 0, -3).Format("January 2, 2006")
		add = append(add, r)
	}
	top["rounds"] = append(add, rounds...)
	b, err := json.Marshal(top)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// feedServer serves feeds and failures; it counts requests per path and
// keeps the conditional headers of the last request to /feed.
type feedServer struct {
	*httptest.Server
	mu       sync.Mutex
	body     []byte // what /feed serves
	etag     string
	hits     map[string]int
	lastCond [2]string // If-None-Match, If-Modified-Since
}

const lastModified = "Wed, 07 Jan 2026 15:00:00 GMT"

func newFeedServer(t *testing.T, body []byte) *feedServer {
	s := &feedServer{body: body, etag: `"v1"`, hits: map[string]int{}}
	mux := http.NewServeMux()
	mux.HandleFunc("/feed", func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.lastCond = [2]string{r.Header.Get("If-None-Match"), r.Header.Get("If-Modified-Since")}
		body, etag := s.body, s.etag
		s.mu.Unlock()
		w.Header().Set("ETag", etag)
		w.Header().Set("Last-Modified", lastModified)
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	})
	mux.HandleFunc("/missing", http.NotFound)
	mux.HandleFunc("/broken", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "internal error", http.StatusInternalServerError)
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select { // until the client gives up (or 30 s, so the server can close)
		case <-r.Context().Done():
		case <-time.After(30 * time.Second):
		}
	})
	mux.HandleFunc("/slow-body", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", fmt.Sprint(len(body)))
		w.Write(body[:1000])
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-time.After(30 * time.Second):
		}
	})
	mux.HandleFunc("/truncated", func(w http.ResponseWriter, r *http.Request) {
		// Announces the whole body and sends half: the server closes
		// the connection, the client sees an unexpected EOF.
		w.Header().Set("Content-Length", fmt.Sprint(len(body)))
		w.Write(body[:len(body)/2])
	})
	mux.HandleFunc("/plain", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", fmt.Sprint(len(body)))
		w.Write(body)
	})
	mux.HandleFunc("/cut-json", func(w http.ResponseWriter, r *http.Request) {
		w.Write(body[:len(body)/2]) // a complete answer whose JSON stops half way
	})
	mux.HandleFunc("/chunked", func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i < len(body); i += 4096 { // no Content-Length
			w.Write(body[i:min(i+4096, len(body))])
			w.(http.Flusher).Flush()
		}
	})
	mux.HandleFunc("/html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<!DOCTYPE html><html><body>Page not found</body></html>")
	})
	mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/feed", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop", http.StatusFound)
	})
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hits[r.URL.Path]++
		s.mu.Unlock()
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *feedServer) count(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

// snapshotDir returns every file of dir with its bytes and modification
// time, to check that a failed or 304 update changed nothing.
func snapshotDir(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		info, _ := e.Info()
		out[e.Name()] = fmt.Sprintf("%x %v", b, info.ModTime().UnixNano())
	}
	return out
}

func sameDir(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

var fetchTime = time.Date(2026, 1, 8, 9, 30, 15, 0, time.UTC)

// TestUpdateFirstThenNotModified: a first update stores the feed and its
// metadata and reports the one round the embedded feed lacks; a second
// makes one conditional request, gets 304 and changes nothing.
func TestUpdateFirstThenNotModified(t *testing.T) {
	body := newerFeed(t, 1)
	srv := newFeedServer(t, body)
	c := Cache{Dir: filepath.Join(t.TempDir(), "feed")}
	req := Request{URL: srv.URL + "/feed", Client: loopbackClient()}

	u, err := c.Update(context.Background(), req, fetchTime)
	if err != nil {
		t.Fatal(err)
	}
	if u.NotModified || u.Unchanged || u.Previous != nil {
		t.Errorf("first update: NotModified %v Unchanged %v Previous %v", u.NotModified, u.Unchanged, u.Previous)
	}
	if u.Against != "embedded" || len(u.New) != 1 || u.New[0].Number != "389" || u.New[0].Cutoff != 515 || u.New[0].Invitations != 3000 {
		t.Errorf("new rounds against %s: %+v, want #389 (CEC 3,000 at 515) against embedded", u.Against, u.New)
	}
	m := u.Meta
	// 389 rounds in the embedded feed (data.TestEmbeddedFeed) plus one.
	want := Meta{SourceURL: req.URL, ETag: `"v1"`, LastModified: lastModified, FetchedAt: fetchTime,
		SHA256: fmt.Sprintf("%x", sha256.Sum256(body)), Bytes: len(body), File: "ee_rounds_123_en." + fmt.Sprintf("%x", sha256.Sum256(body))[:16] + ".json",
		Rounds: 390, LastRound: "389", LastDate: "2026-01-07"}
	if *m != want {
		t.Errorf("meta\n got %+v\nwant %+v", *m, want)
	}
	stored, err := os.ReadFile(c.Path(m))
	if err != nil || !bytes.Equal(stored, body) {
		t.Errorf("stored copy differs from the body (err %v)", err)
	}
	// meta.json on disk is what Update returned.
	onDisk, err := c.Meta()
	if err != nil || *onDisk != want {
		t.Errorf("meta.json: %+v, %v", onDisk, err)
	}

	before := snapshotDir(t, c.Dir)
	u, err = c.Update(context.Background(), req, fetchTime.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if !u.NotModified || len(u.New) != 0 || u.Meta.FetchedAt != fetchTime {
		t.Errorf("second update: NotModified %v, %d new, fetched %v; want a 304 keeping the first fetch", u.NotModified, len(u.New), u.Meta.FetchedAt)
	}
	if got := srv.count("/feed"); got != 2 {
		t.Errorf("%d requests to /feed, want 2", got)
	}
	if srv.lastCond != [2]string{`"v1"`, lastModified} {
		t.Errorf("conditional headers %q, want the stored ETag and Last-Modified", srv.lastCond)
	}
	if !sameDir(before, snapshotDir(t, c.Dir)) {
		t.Error("a 304 changed the cache folder")
	}
}

// TestUpdateNewRoundsSincePrevious: the rounds reported are those the
// previous copy lacks, not the embedded feed; a server without
// validators that sends the same bytes again leaves the copy in place.
func TestUpdateNewRoundsSincePrevious(t *testing.T) {
	srv := newFeedServer(t, newerFeed(t, 1))
	c := Cache{Dir: t.TempDir()}
	req := Request{URL: srv.URL + "/feed", Client: loopbackClient()}
	if _, err := c.Update(context.Background(), req, fetchTime); err != nil {
		t.Fatal(err)
	}
	first, _ := c.Meta()
	srv.mu.Lock()
	srv.body, srv.etag = newerFeed(t, 3), `"v2"`
	srv.mu.Unlock()
	u, err := c.Update(context.Background(), req, fetchTime.AddDate(0, 0, 14))
	if err != nil {
		t.Fatal(err)
	}
	var nums []string
	for _, r := range u.New {
		nums = append(nums, r.Number)
	}
	if u.Against != "previous" || strings.Join(nums, ",") != "390,391" {
		t.Errorf("new since %s: %v, want 390,391 since previous", u.Against, nums)
	}
	if u.Previous == nil || *u.Previous != *first || u.Meta.LastRound != "391" || u.Meta.LastDate != "2026-01-21" {
		t.Errorf("previous %+v, meta %+v", u.Previous, u.Meta)
	}
	// The previous file stays for config.json files that name it.
	if _, err := os.Stat(c.Path(first)); err != nil {
		t.Errorf("previous copy removed: %v", err)
	}

	// Same bytes, new ETag: not a 304, but unchanged.
	srv.mu.Lock()
	srv.etag = `"v3"`
	srv.mu.Unlock()
	cur, _ := c.Meta()
	u, err = c.Update(context.Background(), req, fetchTime.AddDate(0, 0, 15))
	if err != nil {
		t.Fatal(err)
	}
	if !u.Unchanged || u.NotModified || len(u.New) != 0 || u.Meta.File != cur.File || u.Meta.ETag != `"v3"` {
		t.Errorf("same bytes: Unchanged %v NotModified %v new %d meta %+v", u.Unchanged, u.NotModified, len(u.New), u.Meta)
	}
}

// TestUpdateFailuresKeepPreviousCopy: every failure is reported with its
// kind, and the cache folder is left exactly as it was.
func TestUpdateFailuresKeepPreviousCopy(t *testing.T) {
	body := newerFeed(t, 1)
	srv := newFeedServer(t, body)
	c := Cache{Dir: t.TempDir()}
	client := loopbackClient()
	if _, err := c.Update(context.Background(), Request{URL: srv.URL + "/feed", Client: client}, fetchTime); err != nil {
		t.Fatal(err)
	}
	before := snapshotDir(t, c.Dir)
	cases := []struct {
		name, path string
		timeout    time.Duration
		max        int64
		feedError  bool   // the body is not a feed (exit code 2), else a download failure
		want       string // in the message
	}{
		{"404", "/missing", 0, 0, false, "HTTP 404 Not Found"},
		{"500", "/broken", 0, 0, false, "HTTP 500 Internal Server Error"},
		{"slow answer", "/slow", 300 * time.Millisecond, 0, false, "timeout"},
		{"slow body", "/slow-body", 300 * time.Millisecond, 0, false, "timeout"},
		{"truncated", "/truncated", 0, 0, false, fmt.Sprintf("truncated body: the connection closed after %d of %d bytes", len(body)/2, len(body))},
		{"oversized, announced", "/plain", 0, 100_000, false, fmt.Sprintf("the body is %d bytes, more than the limit of 100000", len(body))},
		{"oversized, chunked", "/chunked", 0, 100_000, false, "the body is more than the limit of 100000 bytes"},
		{"redirect loop", "/loop", 0, 0, false, "more than 5 redirects"},
		{"connection refused", "", 0, 0, false, "refused"},
		{"not JSON", "/html", 0, 0, true, "invalid JSON at line 1, column 1"},
		{"JSON cut short", "/cut-json", 0, 0, true, "invalid JSON"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			url := srv.URL + tc.path
			if tc.path == "" {
				l, err := net.Listen("tcp", "127.0.0.1:0")
				if err != nil {
					t.Fatal(err)
				}
				url = "http://" + l.Addr().String() + "/feed"
				l.Close()
			}
			// A different URL from the stored copy's: no conditional request.
			_, err := c.Update(context.Background(), Request{URL: url, Client: client, Timeout: tc.timeout, MaxBytes: tc.max}, fetchTime.Add(time.Hour))
			if err == nil {
				t.Fatal("no error")
			}
			var fe *data.FeedError
			var de *FetchError
			if tc.feedError != errors.As(err, &fe) || tc.feedError == errors.As(err, &de) {
				t.Errorf("error %T %v: want feed error %v", err, err, tc.feedError)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q lacks %q", err, tc.want)
			}
			if !sameDir(before, snapshotDir(t, c.Dir)) {
				t.Error("the cache folder changed")
			}
		})
	}
}

// TestUpdateRedirect follows a redirect and records where the body came
// from; a redirect from https to http is refused.
func TestUpdateRedirect(t *testing.T) {
	srv := newFeedServer(t, newerFeed(t, 1))
	c := Cache{Dir: t.TempDir()}
	u, err := c.Update(context.Background(), Request{URL: srv.URL + "/moved", Client: loopbackClient()}, fetchTime)
	if err != nil {
		t.Fatal(err)
	}
	if u.Meta.SourceURL != srv.URL+"/moved" || u.Meta.FinalURL != srv.URL+"/feed" || u.Meta.LastRound != "389" {
		t.Errorf("meta %+v", u.Meta)
	}

	tls := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, srv.URL+"/feed", http.StatusFound)
	}))
	defer tls.Close()
	client := tls.Client()
	client.Transport.(*http.Transport).DialContext = loopbackClient().Transport.(*http.Transport).DialContext
	_, err = Fetch(context.Background(), Request{URL: tls.URL + "/x", Client: client})
	if err == nil || !strings.Contains(err.Error(), "redirect from https to http") {
		t.Errorf("https to http redirect: err %v", err)
	}
}

// TestOpen chooses the newest of the embedded and the updated feed.
func TestOpen(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	ch, err := Open(ctx, "", dir, Request{})
	if err != nil || ch.Kind != Embedded || Last(ch.Feed).Number != "388" || len(ch.Notes) != 0 {
		t.Fatalf("empty cache: %+v, %v", ch, err)
	}
	srv := newFeedServer(t, newerFeed(t, 2))
	c := Cache{Dir: dir}
	if _, err := c.Update(ctx, Request{URL: srv.URL + "/feed", Client: loopbackClient()}, fetchTime); err != nil {
		t.Fatal(err)
	}
	ch, err = Open(ctx, "", dir, Request{})
	if err != nil || ch.Kind != Updated || Last(ch.Feed).Number != "390" || ch.Meta.LastRound != "390" {
		t.Fatalf("after update: %+v, %v", ch, err)
	}
	if m, _ := c.Meta(); ch.Feed.Source != c.Path(m) {
		t.Errorf("source %q, want the cached file", ch.Feed.Source)
	}
	// No cache folder given: the embedded feed.
	if ch, _ := Open(ctx, "", "", Request{}); ch.Kind != Embedded {
		t.Errorf("no folder: %s", ch.Kind)
	}
	// A URL is downloaded, not stored.
	before := snapshotDir(t, dir)
	ch, err = Open(ctx, srv.URL+"/feed", dir, Request{Client: loopbackClient()})
	if err != nil || ch.Kind != URL || ch.Feed.Source != srv.URL+"/feed" || len(ch.Feed.Rounds) != 391 {
		t.Errorf("url: %+v, %v", ch, err)
	}
	if !sameDir(before, snapshotDir(t, dir)) {
		t.Error("--rounds URL changed the cache")
	}
	if _, err := Open(ctx, srv.URL+"/missing", dir, Request{Client: loopbackClient()}); !errors.As(err, new(*FetchError)) {
		t.Errorf("url 404: %v", err)
	}
	// A damaged copy: the embedded feed, with a note.
	m, _ := c.Meta()
	if err := os.WriteFile(c.Path(m), []byte(`{"rounds": []}`), 0o644); err != nil {
		t.Fatal(err)
	}
	ch, err = Open(ctx, "", dir, Request{})
	if err != nil || ch.Kind != Embedded || len(ch.Notes) != 1 || !strings.Contains(ch.Notes[0], "sha256") {
		t.Errorf("damaged copy: %+v, %v", ch, err)
	}
}

// TestOpenOlderUpdateKeepsEmbedded: an updated copy whose last round is
// the embedded feed's is not used.
func TestOpenOlderUpdateKeepsEmbedded(t *testing.T) {
	srv := newFeedServer(t, data.EmbeddedFeed())
	dir := t.TempDir()
	u, err := Cache{Dir: dir}.Update(context.Background(), Request{URL: srv.URL + "/feed", Client: loopbackClient()}, fetchTime)
	if err != nil {
		t.Fatal(err)
	}
	if len(u.New) != 0 || u.Against != "embedded" {
		t.Errorf("%d new rounds against %s, want 0 against embedded", len(u.New), u.Against)
	}
	ch, err := Open(context.Background(), "", dir, Request{})
	if err != nil || ch.Kind != Embedded {
		t.Errorf("%+v, %v", ch, err)
	}
}

// TestAge: the embedded feed ends with round #388 of 2025-12-17; it is
// 30 days old all of 2026-01-16 (UTC), and stale from 2026-01-17.
func TestAge(t *testing.T) {
	f, err := data.LoadFeed("")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		now   time.Time
		days  int
		stale bool
	}{
		{time.Date(2025, 12, 17, 23, 0, 0, 0, time.UTC), 0, false},
		{time.Date(2026, 1, 16, 0, 0, 0, 0, time.UTC), 30, false},
		{time.Date(2026, 1, 16, 23, 59, 59, 0, time.UTC), 30, false},
		{time.Date(2026, 1, 17, 0, 0, 0, 0, time.UTC), 31, true},
		{time.Date(2026, 1, 16, 20, 0, 0, 0, time.FixedZone("EST", -5*3600)), 31, true}, // 2026-01-17 01:00 UTC
		{time.Date(2026, 12, 17, 12, 0, 0, 0, time.UTC), 365, true},
	} {
		days, stale := Age(f, tc.now)
		if days != tc.days || stale != tc.stale {
			t.Errorf("now %v: %d days stale %v, want %d %v", tc.now, days, stale, tc.days, tc.stale)
		}
	}
}

// TestPrune keeps the current copy and the four newest others.
func TestPrune(t *testing.T) {
	c := Cache{Dir: t.TempDir()}
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	names := []string{"meta.json", ".ee_rounds_123_en.x.json.tmp-1"}
	for i := 0; i < 8; i++ {
		n := fmt.Sprintf("ee_rounds_123_en.%016d.json", i)
		names = append(names, n)
		p := filepath.Join(c.Dir, n)
		if err := os.WriteFile(p, []byte("{}"), 0o644); err != nil {
			t.Fatal(err)
		}
		// File 0 is the oldest, 7 the newest; the current one (2) is old.
		if err := os.Chtimes(p, base.AddDate(0, 0, i), base.AddDate(0, 0, i)); err != nil {
			t.Fatal(err)
		}
	}
	for _, n := range names[:2] {
		os.WriteFile(filepath.Join(c.Dir, n), nil, 0o644)
	}
	c.prune("ee_rounds_123_en.0000000000000002.json")
	entries, _ := os.ReadDir(c.Dir)
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	want := []string{".ee_rounds_123_en.x.json.tmp-1", "ee_rounds_123_en.0000000000000002.json",
		"ee_rounds_123_en.0000000000000004.json", "ee_rounds_123_en.0000000000000005.json",
		"ee_rounds_123_en.0000000000000006.json", "ee_rounds_123_en.0000000000000007.json", "meta.json"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("left %v\nwant %v", got, want)
	}
}

func TestIsURL(t *testing.T) {
	for s, want := range map[string]bool{
		"https://www.canada.ca/x.json": true, "http://127.0.0.1:8080/feed": true,
		"ee_rounds_123_en.json": false, "/tmp/feed.json": false, "ftp://host/x": false,
		"https://": false, "C:\\feed.json": false,
	} {
		if IsURL(s) != want {
			t.Errorf("IsURL(%q) = %v", s, !want)
		}
	}
}
