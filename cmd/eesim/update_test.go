package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eesim/eesim/data"
)

// Downloads in this package's tests dial the loopback interface only, and
// the clock is fixed, 24 days after the embedded feed's last round
// (2025-12-17), so that what commands print never depends on the day the
// tests run (tests that need another day use setNow).
func init() {
	newHTTPClient = loopbackClient
	now = func() time.Time { return time.Date(2026, 1, 10, 12, 0, 0, 0, time.UTC) }
}

func loopbackClient() *http.Client {
	d := &net.Dialer{Timeout: 5 * time.Second}
	return &http.Client{Transport: &http.Transport{
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

// feedWithRound389 is the embedded feed with a round #389 in front (the
// feed lists the newest first): a copy of #388 made a CEC round of 3,000
// at cutoff 515 on 2026-01-07 14:00 UTC. drawDateTime is as given.
func feedWithRound389(t *testing.T, drawDateTime string) []byte {
	t.Helper()
	var top map[string]any
	if err := json.Unmarshal(data.EmbeddedFeed(), &top); err != nil {
		t.Fatal(err)
	}
	rounds := top["rounds"].([]any)
	r := map[string]any{}
	for k, v := range rounds[0].(map[string]any) {
		r[k] = v
	}
	for k, v := range map[string]string{"drawNumber": "389", "drawDate": "2026-01-07", "drawDateFull": "January 7, 2026",
		"drawDateTime": drawDateTime, "drawName": "Canadian Experience Class", "drawText2": "Canadian Experience Class",
		"drawSize": "3,000", "drawCRS": "515", "drawCutOff": "November 1, 2025 at 10:00:00 UTC", "drawDistributionAsOn": "January 4, 2026"} {
		r[k] = v
	}
	top["rounds"] = append([]any{r}, rounds...)
	b, err := json.Marshal(top)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// updateServer serves /feed with an ETag and honours If-None-Match, and
// the failures eesim update must survive. It counts requests to /feed.
type updateServer struct {
	*httptest.Server
	mu          sync.Mutex
	feedHits    int
	conditional int
}

func newUpdateServer(t *testing.T, body []byte) *updateServer {
	s := &updateServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/feed":
			s.mu.Lock()
			s.feedHits++
			if r.Header.Get("If-None-Match") != "" {
				s.conditional++
			}
			s.mu.Unlock()
			w.Header().Set("ETag", `"a1"`)
			if r.Header.Get("If-None-Match") == `"a1"` {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Write(body)
		case "/moved":
			http.Redirect(w, r, "/feed", http.StatusFound)
		case "/broken":
			http.Error(w, "oops", http.StatusInternalServerError)
		case "/slow":
			select {
			case <-r.Context().Done():
			case <-time.After(30 * time.Second):
			}
		case "/truncated":
			w.Header().Set("Content-Length", fmt.Sprint(len(body)))
			w.Write(body[:1000])
		case "/html":
			fmt.Fprint(w, "<html><body>Maintenance</body></html>")
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(s.Close)
	return s
}

func dirState(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		c, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		info, _ := e.Info()
		fmt.Fprintf(&b, "%s %x %d\n", e.Name(), sha256.Sum256(c), info.ModTime().UnixNano())
	}
	return b.String()
}

// runCached is runCLI with the cache folder cache ($EESIM_CACHE_DIR).
func runCached(t *testing.T, cache string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, &streams{Out: &out, Err: &errb, CacheDir: cache})
	return code, out.String(), errb.String()
}

func setNow(t *testing.T, at time.Time) {
	old := now
	now = func() time.Time { return at }
	t.Cleanup(func() { now = old })
}

// TestUpdateCommand: the first update stores the feed and lists the round
// the embedded feed lacks; the second makes one conditional request and
// changes nothing.
func TestUpdateCommand(t *testing.T) {
	cache := t.TempDir()
	setNow(t, time.Date(2026, 1, 8, 10, 0, 0, 0, time.UTC))
	body := feedWithRound389(t, "January 7, 2026 at 14:00:00 UTC")
	srv := newUpdateServer(t, body)

	code, stdout, stderr := runCached(t, cache, "update", "--url", srv.URL+"/feed")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	sum := sha256.Sum256(body)
	file := filepath.Join(cache, "feed", fmt.Sprintf("ee_rounds_123_en.%x.json", sum[:8]))
	want := "updated: 390 rounds to #389 of 2026-01-07, stored in " + file + "\n" +
		"1 new round since the feed embedded in eesim:\n" +
		"  #389   2026-01-07  cec           3,000 invited, cutoff 515\n"
	if stdout != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", stdout, want)
	}
	if stderr != "" {
		t.Errorf("stderr: %q", stderr)
	}
	if b, err := os.ReadFile(file); err != nil || !bytes.Equal(b, body) {
		t.Errorf("stored copy: %v", err)
	}
	var meta map[string]any
	b, err := os.ReadFile(filepath.Join(cache, "feed", "meta.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &meta); err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]any{"source_url": srv.URL + "/feed", "etag": `"a1"`, "fetched_at": "2026-01-08T10:00:00Z",
		"sha256": fmt.Sprintf("%x", sum), "last_round": "389", "last_round_date": "2026-01-07", "rounds": 390.0} {
		if meta[k] != v {
			t.Errorf("meta.json %s = %v, want %v", k, meta[k], v)
		}
	}

	before := dirState(t, filepath.Join(cache, "feed"))
	setNow(t, time.Date(2026, 1, 9, 10, 0, 0, 0, time.UTC))
	code, stdout, stderr = runCached(t, cache, "update", "--url", srv.URL+"/feed")
	if code != 0 {
		t.Fatalf("second update: exit %d: %s", code, stderr)
	}
	if want := "up to date: 390 rounds to #389 of 2026-01-07 (not modified since the copy of 2026-01-08)\n"; stdout != want {
		t.Errorf("second update: %q, want %q", stdout, want)
	}
	if srv.feedHits != 2 || srv.conditional != 1 {
		t.Errorf("%d requests to /feed, %d conditional; want 2 and 1", srv.feedHits, srv.conditional)
	}
	if after := dirState(t, filepath.Join(cache, "feed")); after != before {
		t.Errorf("the second update changed the cache:\n%s\nwas\n%s", after, before)
	}
}

// TestUpdateCommandFailures: exit code 1 for a failed download, 2 for a
// body that is not a feed or a bad flag; the previous copy stays.
func TestUpdateCommandFailures(t *testing.T) {
	cache := t.TempDir()
	srv := newUpdateServer(t, feedWithRound389(t, "January 7, 2026 at 14:00:00 UTC"))
	if code, _, stderr := runCached(t, cache, "update", "--url", srv.URL+"/feed"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	before := dirState(t, filepath.Join(cache, "feed"))
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--url", srv.URL + "/missing"}, 1, "HTTP 404 Not Found"},
		{[]string{"--url", srv.URL + "/broken"}, 1, "HTTP 500 Internal Server Error"},
		{[]string{"--url", srv.URL + "/slow", "--timeout", "300ms"}, 1, "timeout"},
		{[]string{"--url", srv.URL + "/truncated"}, 1, "truncated body"},
		{[]string{"--url", srv.URL + "/moved", "--max-bytes", "5000"}, 1, "more than the limit of 5000 bytes"},
		{[]string{"--url", srv.URL + "/html"}, 2, "not a rounds feed"},
		{[]string{"--url", "ftp://example.invalid/feed"}, 2, "want an http:// or https:// URL"},
	} {
		code, stdout, stderr := runCached(t, cache, append([]string{"update"}, tc.args...)...)
		if code != tc.code || !strings.Contains(stderr, tc.want) || stdout != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want %d and %q", tc.args, code, stdout, stderr, tc.code, tc.want)
		}
		if tc.code == 1 && !strings.Contains(stderr, "the previous copy stays in use") {
			t.Errorf("%v: stderr %q does not say the previous copy stays", tc.args, stderr)
		}
		if after := dirState(t, filepath.Join(cache, "feed")); after != before {
			t.Errorf("%v changed the cache", tc.args)
		}
	}
	// A redirect is followed; the body is the same as the stored copy.
	code, stdout, stderr := runCached(t, cache, "update", "--url", srv.URL+"/moved")
	if code != 0 || !strings.HasPrefix(stdout, "up to date: 390 rounds to #389") {
		t.Errorf("redirect: exit %d, %q, %s", code, stdout, stderr)
	}
}

// TestSimulateAfterUpdate: after an update, simulate starts the day after
// the updated feed's last round (#389 of 2026-01-07) and says which feed
// it read.
func TestSimulateAfterUpdate(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a pool of 240k candidates")
	}
	cache := t.TempDir()
	setNow(t, time.Date(2026, 1, 8, 10, 0, 0, 0, time.UTC))
	srv := newUpdateServer(t, feedWithRound389(t, "January 7, 2026 at 14:00:00 UTC"))
	if code, _, stderr := runCached(t, cache, "update", "--url", srv.URL+"/feed"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	out := t.TempDir()
	code, _, stderr := runCached(t, cache, "simulate", "--runs", "2", "--horizon", "1mo", "--model", "default", "--out", out)
	if code != 0 {
		t.Fatalf("simulate: exit %d: %s", code, stderr)
	}
	wantLine := "rounds: 390 rounds to #389 of 2026-01-07, downloaded 2026-01-08 from " + srv.URL + "/feed by eesim update\n"
	if !strings.HasPrefix(stderr, wantLine) {
		t.Errorf("stderr starts %q, want %q", stderr, wantLine)
	}
	if strings.Contains(stderr, "days old") {
		t.Errorf("stale warning for a feed 1 day old: %s", stderr)
	}
	b, err := os.ReadFile(filepath.Join(out, "config.json"))
	if err != nil {
		t.Fatal(err)
	}
	var conf struct {
		Start        time.Time `json:"start"`
		RoundsSource string    `json:"rounds_source"`
	}
	if err := json.Unmarshal(b, &conf); err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 1, 8, 0, 0, 0, 0, time.UTC); !conf.Start.Equal(want) {
		t.Errorf("start %v, want %v", conf.Start, want)
	}
	if !strings.HasPrefix(conf.RoundsSource, filepath.Join(cache, "feed", "ee_rounds_123_en.")) {
		t.Errorf("rounds_source %q, want the updated copy", conf.RoundsSource)
	}
}

// TestFeedNotice: every command that reads the feed says which on one
// line, warns when its last round is more than 30 days old, and summarises
// the known quirks unless --verbose.
func TestFeedNotice(t *testing.T) {
	embeddedLine := "rounds: 389 rounds to #388 of 2025-12-17, embedded in eesim\n"
	// The embedded feed's warnings make 20 lines when grouped, as
	// issue 15 counted them.
	summary := "warning: 20 known quirks in the feed; `eesim ingest` lists them (or --verbose)\n"
	stale := "warning: the last round in the data (#388 of 2025-12-17) is 31 days old: eesim update fetches IRCC's current feed\n"

	setNow(t, time.Date(2026, 1, 16, 23, 59, 0, 0, time.UTC)) // 30 days after 2025-12-17
	code, _, stderr := runCLI(t, "calibrate", "--as-of", "2022-03-01")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if want := embeddedLine + summary; !strings.HasPrefix(stderr, want) {
		t.Errorf("30 days: stderr starts\n%s\nwant\n%s", stderr, want)
	}

	setNow(t, time.Date(2026, 1, 17, 0, 0, 1, 0, time.UTC))
	code, _, stderr = runCLI(t, "calibrate", "--as-of", "2022-03-01")
	if want := embeddedLine + stale + summary; code != 0 || !strings.HasPrefix(stderr, want) {
		t.Errorf("31 days: exit %d, stderr starts\n%s\nwant\n%s", code, stderr, want)
	}
	if strings.Contains(stderr, "round 247") {
		t.Error("a known quirk listed without --verbose")
	}

	code, _, stderr = runCLI(t, "calibrate", "--as-of", "2022-03-01", "--verbose")
	if code != 0 || !strings.Contains(stderr, "warning: round 247: dd3: ") || strings.Contains(stderr, "known quirks") {
		t.Errorf("--verbose: exit %d, stderr %s", code, stderr)
	}

	// A quirk the embedded feed lacks is printed in full.
	file := filepath.Join(t.TempDir(), "feed.json")
	if err := os.WriteFile(file, feedWithRound389(t, "January 7, 2026 at 14:00:00"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = runCLI(t, "calibrate", "--rounds", file)
	want := "rounds: 390 rounds to #389 of 2026-01-07, from " + file + "\n" +
		"warning: round 389: drawDateTime: no time zone: UTC assumed\n" + summary
	if code != 0 || !strings.HasPrefix(stderr, want) {
		t.Errorf("new quirk: exit %d, stderr starts\n%s\nwant\n%s", code, stderr, want)
	}
}

// TestStaleAfterUpdate: right after an update that brought no later
// round, the stale warning says so instead of suggesting an update.
func TestStaleAfterUpdate(t *testing.T) {
	cache := t.TempDir()
	srv := newUpdateServer(t, data.EmbeddedFeed())
	setNow(t, time.Date(2026, 2, 1, 10, 0, 0, 0, time.UTC))
	code, stdout, stderr := runCached(t, cache, "update", "--url", srv.URL+"/feed")
	if code != 0 || !strings.Contains(stdout, "no new rounds since the feed embedded in eesim") ||
		stderr != "the feed embedded in eesim is as recent; commands keep reading it\n" {
		t.Fatalf("exit %d: %q %q", code, stdout, stderr)
	}
	setNow(t, time.Date(2026, 2, 2, 9, 0, 0, 0, time.UTC))
	_, _, stderr = runCached(t, cache, "calibrate", "--as-of", "2022-03-01")
	want := "rounds: 389 rounds to #388 of 2025-12-17, embedded in eesim\n" +
		"warning: the last round in the data (#388 of 2025-12-17) is 47 days old; IRCC's feed downloaded 2026-02-01 10:00 UTC has no later round\n"
	if !strings.HasPrefix(stderr, want) {
		t.Errorf("a day after the update: stderr starts\n%s\nwant\n%s", stderr, want)
	}
	setNow(t, time.Date(2026, 2, 2, 10, 0, 0, 0, time.UTC))
	_, _, stderr = runCached(t, cache, "calibrate", "--as-of", "2022-03-01")
	if !strings.Contains(stderr, "is 47 days old: eesim update fetches IRCC's current feed") {
		t.Errorf("24 hours after the update: stderr %s", stderr)
	}
}

// TestQuiet: --quiet drops the notice, warnings and progress; errors stay.
func TestQuiet(t *testing.T) {
	setNow(t, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))
	for _, args := range [][]string{
		{"calibrate", "--as-of", "2022-03-01", "-q"},
		{"--quiet", "ingest", "--out", t.TempDir()},
		{"simulate", "--model", "default", "--runs", "1", "-q", "--horizon", "1mo", "--out", t.TempDir(), "--start", "2025-12-18"},
	} {
		if args[0] == "simulate" && testing.Short() {
			continue
		}
		code, _, stderr := runCLI(t, args...)
		if code != 0 || stderr != "" {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
		}
	}
	code, _, stderr := runCLI(t, "ingest", "-q", "--rounds", filepath.Join("testdata", "ingest", "truncated.json"), "--out", t.TempDir())
	if code != 2 || !strings.Contains(stderr, "truncated.json") {
		t.Errorf("bad feed with -q: exit %d, stderr %q", code, stderr)
	}
	if code, _, stderr := runCLI(t, "ingest", "-q", "--verbose", "--out", t.TempDir()); code != 2 || !strings.Contains(stderr, "--quiet and --verbose") {
		t.Errorf("-q --verbose: exit %d, %q", code, stderr)
	}
	var buf bytes.Buffer
	if p := newProgress(&streams{Err: &buf, ErrIsTerminal: true, Quiet: true}, 10, "x"); p.bar != nil {
		t.Error("progress bar drawn with --quiet")
	}
	if p := newProgress(&streams{Err: &buf, ErrIsTerminal: true}, 10, "x"); p.bar == nil {
		t.Error("no progress bar on a terminal")
	}
}

// TestRoundsURL: --rounds takes an http(s) URL; a failed download is exit
// code 1 and writes nothing.
func TestRoundsURL(t *testing.T) {
	srv := newUpdateServer(t, feedWithRound389(t, "January 7, 2026 at 14:00:00 UTC"))
	out := filepath.Join(t.TempDir(), "out")
	code, stdout, stderr := runCLI(t, "ingest", "--rounds", srv.URL+"/feed", "--out", out)
	if code != 0 || !strings.HasPrefix(stdout, "390 rounds, 108 snapshots") {
		t.Errorf("exit %d, stdout %q, stderr %s", code, stdout, stderr)
	}
	if want := "rounds: 390 rounds to #389 of 2026-01-07, downloaded from " + srv.URL + "/feed\n"; !strings.HasPrefix(stderr, want) {
		t.Errorf("stderr starts %q, want %q", stderr, want)
	}
	out2 := filepath.Join(t.TempDir(), "out")
	code, _, stderr = runCLI(t, "ingest", "--rounds", srv.URL+"/missing", "--out", out2)
	if code != 1 || !strings.Contains(stderr, "HTTP 404") {
		t.Errorf("404: exit %d, stderr %q", code, stderr)
	}
	if _, err := os.Stat(out2); !os.IsNotExist(err) {
		t.Errorf("a failed download created --out: %v", err)
	}
}

func TestVersionOf(t *testing.T) {
	for _, tc := range []struct {
		bi   *debug.BuildInfo
		want string
	}{
		{nil, "dev"},
		{&debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "dev"},
		{&debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"}}, "v1.2.3"},
		{&debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261203185111-139cc8e0a1b2+dirty"},
			Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "139cc8e0a1b2c3d4"}}}, "v0.0.0-20261203185111-139cc8e0a1b2+dirty"},
		{&debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "139cc8e0a1b2c3d4e5f6"}, {Key: "vcs.modified", Value: "true"}}}, "devel-139cc8e0a1b2-dirty"},
		{&debug.BuildInfo{Main: debug.Module{Version: ""}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "139cc8e0a1b2c3d4e5f6"}, {Key: "vcs.modified", Value: "false"}}}, "devel-139cc8e0a1b2"},
	} {
		if got := versionOf(tc.bi); got != tc.want {
			t.Errorf("versionOf(%+v) = %q, want %q", tc.bi, got, tc.want)
		}
	}
}
