package web

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"log"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eesim/eesim/data"
	"github.com/eesim/eesim/pool/crs"
)

var (
	feedOnce sync.Once
	feed     *data.Feed
)

// testServer returns a server on the embedded feed with limits lim, its
// clock fixed on 2026-01-15, and its log in a buffer.
func testServer(t *testing.T, lim Limits) (*Server, *httptest.Server, *bytes.Buffer) {
	t.Helper()
	feedOnce.Do(func() {
		var err error
		if feed, err = data.LoadFeed(""); err != nil {
			panic(err)
		}
	})
	var logBuf bytes.Buffer
	s, err := New(Config{Feed: feed, Version: "test", Limits: lim, Log: log.New(&logBuf, "", 0),
		Now: func() time.Time { return time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return s, ts, &logBuf
}

// post posts body to path and decodes the JSON answer.
func post(t *testing.T, ts *httptest.Server, path, body string) (*http.Response, map[string]any) {
	t.Helper()
	resp, err := http.Post(ts.URL+path, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc map[string]any
	b, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("POST %s: %d, body not JSON: %v\n%s", path, resp.StatusCode, err, b)
	}
	return resp, doc
}

func get(t *testing.T, ts *httptest.Server, path string) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.Get(ts.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

func profileJSON(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../cmd/eesim/testdata/crs/profile.json")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// checkSecurityHeaders checks the headers every response carries.
func checkSecurityHeaders(t *testing.T, what string, h http.Header) {
	t.Helper()
	csp := h.Get("Content-Security-Policy")
	if csp == "" || strings.Contains(csp, "unsafe-inline") && !strings.HasSuffix(what, ".svg") {
		t.Errorf("%s: Content-Security-Policy %q: want one without 'unsafe-inline'", what, csp)
	}
	if h.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("%s: X-Content-Type-Options %q, want nosniff", what, h.Get("X-Content-Type-Options"))
	}
}

func TestPages(t *testing.T) {
	_, ts, _ := testServer(t, Limits{})
	for _, p := range []struct{ path, want string }{
		{"/", "Latest round per family"},
		{"/projection", `data-api="/api/projection"`},
		{"/odds", `data-api="/api/odds"`},
		{"/whatif", `data-api="/api/whatif"`},
		{"/pathway", `data-api="/api/nseoi"`},
	} {
		resp, b := get(t, ts, p.path)
		if resp.StatusCode != 200 {
			t.Errorf("GET %s: %d", p.path, resp.StatusCode)
			continue
		}
		checkSecurityHeaders(t, p.path, resp.Header)
		s := string(b)
		if !strings.Contains(s, p.want) {
			t.Errorf("GET %s: no %q", p.path, p.want)
		}
		// No inline script or style: the policy would block them.
		if strings.Contains(s, "<script>") || strings.Contains(s, "style=") || strings.Contains(s, "<style") || strings.Contains(s, " onclick=") {
			t.Errorf("GET %s: inline script or style", p.path)
		}
	}
	// The overview shows the feed's last round, read independently here.
	last := feed.Rounds[len(feed.Rounds)-1]
	_, b := get(t, ts, "/")
	if !strings.Contains(string(b), "#"+last.Number) || !strings.Contains(string(b), last.Date.Format(time.DateOnly)) {
		t.Errorf("overview: last round #%s of %s not shown", last.Number, last.Date.Format(time.DateOnly))
	}
	for _, a := range []string{"/static/app.js", "/static/style.css", "/static/favicon.svg"} {
		if resp, _ := get(t, ts, a); resp.StatusCode != 200 {
			t.Errorf("GET %s: %d", a, resp.StatusCode)
		}
	}
	if resp, _ := get(t, ts, "/nope"); resp.StatusCode != 404 {
		t.Errorf("GET /nope: %d, want 404", resp.StatusCode)
	}
	// No path on the machine through the static or chart routes.
	for _, p := range []string{"/static/../server.go", "/static/%2e%2e/server.go", "/chart/overview/..%2f..%2fserver.go", "/file/x/%2fetc%2fpasswd"} {
		if resp, b := get(t, ts, p); resp.StatusCode == 200 && bytes.Contains(b, []byte("package web")) {
			t.Errorf("GET %s served a source file", p)
		}
	}
}

func TestOverview(t *testing.T) {
	_, ts, _ := testServer(t, Limits{})
	resp, b := get(t, ts, "/api/overview")
	if resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, b)
	}
	var doc struct {
		Rounds    int               `json:"rounds"`
		AgeDays   int               `json:"age_days"`
		LastRound map[string]any    `json:"last_round"`
		Charts    map[string]string `json:"charts"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	last := feed.Rounds[len(feed.Rounds)-1]
	if doc.Rounds != len(feed.Rounds) || doc.LastRound["number"] != last.Number {
		t.Errorf("rounds %d, last %v; want %d, %s", doc.Rounds, doc.LastRound["number"], len(feed.Rounds), last.Number)
	}
	// The clock is 2026-01-15 12:00 UTC; whole days since the last round's date.
	if want := int(time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC).Sub(last.Date).Hours() / 24); doc.AgeDays != want {
		t.Errorf("age %d days, want %d", doc.AgeDays, want)
	}
	for _, name := range []string{"cutoffs.svg", "invitations.svg", "tiebreak.svg", "pool.svg"} {
		u, ok := doc.Charts[name]
		if !ok {
			t.Errorf("no chart %s", name)
			continue
		}
		checkSVG(t, ts, u)
	}
}

// checkSVG fetches an SVG chart and checks that it is well-formed XML
// whose root is <svg> with the chart's size and some text.
func checkSVG(t *testing.T, ts *httptest.Server, u string) {
	t.Helper()
	resp, b := get(t, ts, u)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/svg+xml" {
		t.Fatalf("GET %s: %d %s", u, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	checkSecurityHeaders(t, u, resp.Header)
	dec := xml.NewDecoder(bytes.NewReader(b))
	var root string
	texts := 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("%s: not XML: %v", u, err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			if root == "" {
				root = se.Name.Local
				for _, a := range se.Attr {
					// 1400 x 800 px at 96 DPI is 1050 x 600 pt.
					if a.Name.Local == "width" && a.Value != "1050pt" {
						t.Errorf("%s: width %s, want 1050pt", u, a.Value)
					}
				}
			}
			if se.Name.Local == "text" {
				texts++
			}
		}
	}
	if root != "svg" || texts == 0 {
		t.Errorf("%s: root <%s>, %d texts", u, root, texts)
	}
}

func TestCRS(t *testing.T) {
	_, ts, _ := testServer(t, Limits{})
	resp, doc := post(t, ts, "/api/crs", `{"profile":`+profileJSON(t)+`,"on":"2025-09-01"}`)
	if resp.StatusCode != 200 {
		t.Fatalf("%d %v", resp.StatusCode, doc)
	}
	// cmd/eesim/testdata/crs/explain.golden: the same profile and date.
	golden, err := os.ReadFile("../cmd/eesim/testdata/crs/explain.golden")
	if err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]float64{"total": 587, "core": 422, "spouse": 0, "transferability": 100, "additional": 65} {
		if doc[k] != want {
			t.Errorf("%s = %v, want %v", k, doc[k], want)
		}
	}
	sum := 0.0
	for _, r := range doc["rows"].([]any) {
		row := r.(map[string]any)
		sum += row["points"].(float64)
		if !strings.Contains(string(golden), row["text"].(string)) {
			t.Errorf("row %q is not in explain.golden", row["text"])
		}
	}
	if sum != 587 {
		t.Errorf("rows add up to %v, want the total 587", sum)
	}
}

func TestBadInput(t *testing.T) {
	_, ts, _ := testServer(t, Limits{MaxRuns: 50, MaxWhatIfRuns: 5, MaxPoints: 4, MaxHorizon: 400 * 24 * time.Hour})
	prof := profileJSON(t)
	for _, c := range []struct{ name, path, body, want string }{
		{"syntax", "/api/odds", `{"score":`, "request body: unexpected EOF"},
		{"unknown field", "/api/odds", `{"score":500,"programz":"CEC"}`, `unknown field "programz"`},
		{"type", "/api/odds", `{"score":"high"}`, "score: want a int, got JSON string"},
		{"no candidate", "/api/odds", `{}`, "odds: give exactly one of --score and --profile"},
		{"both", "/api/odds", `{"score":500,"programs":"CEC","profile":` + prof + `}`, "odds: give exactly one of --score and --profile"},
		{"no programs", "/api/odds", `{"score":500}`, "odds: --score needs --programs (e.g. --programs CEC,FSW) or --nominated"},
		{"score range", "/api/odds", `{"score":1300,"programs":"CEC"}`, "--score 1300: want 0 to 1200"},
		{"program", "/api/odds", `{"score":500,"programs":"XYZ"}`, `--programs: unknown program "XYZ": want CEC, FSW or FST`},
		{"category", "/api/odds", `{"score":500,"programs":"CEC","categories":"astronaut"}`, `--categories: unknown category "astronaut": want one of french, healthcare`},
		{"horizon", "/api/odds", `{"score":500,"programs":"CEC","horizon":"soon"}`, `horizon "soon": want a positive number with a unit, e.g. 6mo, 90d, 1y`},
		{"start", "/api/odds", `{"score":500,"programs":"CEC","start":"2020-01-01"}`, "--start 2020-01-01: no published pool distribution on or before it (the first is in January 2022)"},
		{"runs", "/api/odds", `{"score":500,"programs":"CEC","runs":-1}`, "--runs -1 is out of range: want 1 to 1,000,000"},
		{"profile field", "/api/odds", `{"profile":{"education":"masters"}}`, "profile: birth_date: required (or give age)"},
		{"draw size", "/api/projection", `{"draw_size":["CEC=lots"]}`, "CEC=lots"},
		{"sweep", "/api/whatif", `{"sweep":"weather","spec":"1:2:1"}`, "whatif: give at least one sweep: --draw-size, --cadence or --mix"},
		{"sweep spec", "/api/whatif", `{"sweep":"cadence","spec":"4:1:1"}`, "4:1:1"},
		{"crs on", "/api/crs", `{"profile":` + prof + `,"on":"tomorrow"}`, `crs: --on: want a date YYYY-MM-DD, got "tomorrow"`},
		{"crs before EE", "/api/crs", `{"profile":` + prof + `,"on":"2014-01-01"}`, "crs: --on:"},
		{"residency", "/api/residency", `{"landing":"2010-01-01","absences":[{"depart":"2009-01-01","return":"2009-02-01"}],"as_of":"2015-01-01"}`, "request: absences[1].from: 2009-01-01 is before landing 2010-01-01"},
		{"residency date", "/api/residency", `{"landing":"2010-13-01"}`, "2010-13-01"},
		{"citizenship", "/api/citizenship", `{"pr_date":"2030-01-01","sign":"2025-01-01"}`, "request: pr_date: 2030-01-01 is after the application date 2025-01-01"},
		{"sponsor", "/api/sponsor", `{"interests":0,"quota":10}`, "interests"},
		{"nseoi", "/api/nseoi", `{"date":"2026-01-01"}`, "ns-eoi: --profile is required"},
		// Caps.
		{"runs cap", "/api/odds", `{"score":500,"programs":"CEC","runs":51}`, "--runs 51: this server runs at most 50 per request"},
		{"whatif runs cap", "/api/whatif", `{"sweep":"cadence","spec":"1:2:1","runs":6}`, "--runs 6: this server runs at most 5 per request"},
		{"horizon cap", "/api/projection", `{"horizon":"14mo"}`, `horizon "14mo": this server projects at most 13 months`},
		{"points cap", "/api/whatif", `{"sweep":"draw-size","spec":"CEC=1000:5000:1000"}`, "--draw-size CEC=1000:5000:1000: 5 points; this server sweeps at most 4"},
	} {
		resp, doc := post(t, ts, c.path, c.body)
		msg, _ := doc["error"].(string)
		if resp.StatusCode != 400 || !strings.Contains(msg, c.want) {
			t.Errorf("%s: %d %q, want 400 with %q", c.name, resp.StatusCode, msg, c.want)
		}
	}
	// The profile's field error is crs's, with the file name "profile".
	_, doc := post(t, ts, "/api/crs", `{"profile":{"education":"masters","first_language":{"test":"IELTS","reading":12,"writing":7,"speaking":7,"listening":7}},"on":"2025-01-01"}`)
	_, ferr := crs.DecodeProfile(strings.NewReader(`{"education":"masters","first_language":{"test":"IELTS","reading":12,"writing":7,"speaking":7,"listening":7}}`))
	var fe *crs.FieldError
	if !errors.As(ferr, &fe) {
		t.Fatalf("crs gives %v, want a field error", ferr)
	}
	fe.File = "profile"
	if doc["error"] != fe.Error() {
		t.Errorf("crs field error %q, want %q", doc["error"], fe.Error())
	}
	// A GET on a POST endpoint.
	if resp, _ := get(t, ts, "/api/odds"); resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET /api/odds: %d, want 405", resp.StatusCode)
	}
}

func TestBodyTooLarge(t *testing.T) {
	_, ts, _ := testServer(t, Limits{MaxBody: 1024})
	big := `{"profile":{"education":"` + strings.Repeat("x", 2000) + `"}}`
	resp, doc := post(t, ts, "/api/crs", big)
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(doc["error"].(string), "1024") {
		t.Errorf("declared length: %d %v, want 413 naming the limit", resp.StatusCode, doc)
	}
	// A chunked body of unknown length is cut while reading.
	req, _ := http.NewRequest("POST", ts.URL+"/api/crs", io.MultiReader(strings.NewReader(big)))
	req.ContentLength = -1
	r2, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	r2.Body.Close()
	if r2.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("chunked: %d, want 413", r2.StatusCode)
	}
	// Under the cap is fine.
	if resp, doc := post(t, ts, "/api/sponsor", `{"interests":100,"quota":10}`); resp.StatusCode != 200 {
		t.Errorf("small body: %d %v", resp.StatusCode, doc)
	}
}

func TestPathway(t *testing.T) {
	_, ts, _ := testServer(t, Limits{})
	// Residency: landed 2010-01-01, left 2013-01-01 for good, assessed
	// 2015-06-01. The window is 2010-06-02 to 2015-06-01; in Canada from
	// 2010-06-02 to 2013-01-01 inclusive (a departure day counts): 365 +
	// 366 (to 2012-06-02, over 2012-02-29) + 213 (to 2013-01-01) + 1 =
	// 945 days, over 730: complies.
	resp, doc := post(t, ts, "/api/residency", `{"landing":"2010-01-01","absences":[{"depart":"2013-01-01"}],"as_of":"2015-06-01"}`)
	if resp.StatusCode != 200 {
		t.Fatalf("residency: %d %v", resp.StatusCode, doc)
	}
	w := doc["window"].(map[string]any)
	if w["start"] != "2010-06-02" || w["credited"] != 945.0 || doc["complies"] != true {
		t.Errorf("residency: window %v complies %v; want from 2010-06-02, 945 days, true", w, doc["complies"])
	}
	// Citizenship: PR on 2020-01-01, signed 2022-06-30, temporary resident
	// 2018-01-01 to 2019-12-31. The period is the 5 years before the
	// signing day (issue 18): PR days 366 + 365 + 180 = 911; 730 days
	// before PR in the period at half credit, capped at 365: 1,276 >= 1,095.
	resp, doc = post(t, ts, "/api/citizenship", `{"pr_date":"2020-01-01","pre_pr":[{"from":"2018-01-01","to":"2019-12-31","kind":"temporary"}],"sign":"2022-06-30"}`)
	if resp.StatusCode != 200 {
		t.Fatalf("citizenship: %d %v", resp.StatusCode, doc)
	}
	if doc["pr_days"] != 911.0 || doc["pre_pr_days"] != 730.0 || doc["credited_days"] != 1276.0 || doc["eligible"] != true {
		t.Errorf("citizenship: %v %v %v %v; want 911, 730, 1276, true", doc["pr_days"], doc["pre_pr_days"], doc["credited_days"], doc["eligible"])
	}
	// Sponsor lottery, fixed pool: 10,000 of 100,000 a year, invitees
	// leave: within k years k/10; in year k, given not before, 1/(11-k).
	resp, doc = post(t, ts, "/api/sponsor", `{"interests":100000,"quota":10000,"years":5}`)
	if resp.StatusCode != 200 {
		t.Fatalf("sponsor: %d %v", resp.StatusCode, doc)
	}
	l := doc["lottery"].(map[string]any)
	for k, p := range l["within_years"].([]any) {
		if math.Abs(p.(float64)-float64(k+1)/10) > 1e-12 {
			t.Errorf("sponsor: within %d years %v, want %v", k+1, p, float64(k+1)/10)
		}
	}
	for k, p := range l["conditional"].([]any) {
		if math.Abs(p.(float64)-1/float64(10-k)) > 1e-12 {
			t.Errorf("sponsor: year %d %v, want 1/%d", k+1, p, 10-k)
		}
	}
	// NS EOI: cmd/eesim/testdata/nseoi/profile.golden gives 79 of 105.
	nb, err := os.ReadFile("../cmd/eesim/testdata/nseoi/profile.json")
	if err != nil {
		t.Fatal(err)
	}
	resp, doc = post(t, ts, "/api/nseoi", `{"profile":`+string(nb)+`,"date":"2026-03-01"}`)
	if resp.StatusCode != 200 || doc["total"] != 79.0 || doc["eligible"] != true {
		t.Errorf("nseoi: %d total %v eligible %v, want 79, true", resp.StatusCode, doc["total"], doc["eligible"])
	}
}

// smallOdds is a quick odds request: 2 runs over a month.
const smallOdds = `{"score":520,"programs":"CEC","runs":2,"horizon":"1mo","seed":3}`

func TestOddsCache(t *testing.T) {
	_, ts, _ := testServer(t, Limits{})
	resp, doc := post(t, ts, "/api/odds", smallOdds)
	if resp.StatusCode != 200 {
		t.Fatalf("%d %v", resp.StatusCode, doc)
	}
	if resp.Header.Get("X-Eesim-Cache") != "miss" {
		t.Errorf("first request: cache %q", resp.Header.Get("X-Eesim-Cache"))
	}
	resp2, doc2 := post(t, ts, "/api/odds", smallOdds)
	if resp2.Header.Get("X-Eesim-Cache") != "hit" {
		t.Errorf("second request: cache %q, want hit", resp2.Header.Get("X-Eesim-Cache"))
	}
	a, _ := json.Marshal(doc)
	b, _ := json.Marshal(doc2)
	if !bytes.Equal(a, b) {
		t.Errorf("cached answer differs")
	}
	checkSVG(t, ts, doc["charts"].(map[string]any)["odds.svg"].(string))
	r, csv := get(t, ts, doc["files"].(map[string]any)["odds.csv"].(string))
	if r.StatusCode != 200 || !bytes.HasPrefix(csv, []byte("month,")) {
		t.Errorf("odds.csv: %d %q", r.StatusCode, csv)
	}
	if resp, _ := get(t, ts, "/chart/0123/odds.svg"); resp.StatusCode != 404 {
		t.Errorf("unknown chart: %d, want 404", resp.StatusCode)
	}
}

func TestTimeout(t *testing.T) {
	s, ts, _ := testServer(t, Limits{Timeout: 50 * time.Millisecond})
	s.beforeWork = func(ctx context.Context) { <-ctx.Done() }
	resp, doc := post(t, ts, "/api/odds", smallOdds)
	if resp.StatusCode != http.StatusGatewayTimeout || !strings.Contains(doc["error"].(string), "longer than the limit of 50ms") {
		t.Errorf("%d %v, want 504", resp.StatusCode, doc)
	}
	// The real work under a timeout too short: sim stops on the context.
	s.beforeWork = nil
	resp, doc = post(t, ts, "/api/odds", `{"score":520,"programs":"CEC","runs":400,"horizon":"24mo"}`)
	if resp.StatusCode != http.StatusGatewayTimeout {
		t.Errorf("long run: %d %v, want 504", resp.StatusCode, doc)
	}
}

func TestBusy(t *testing.T) {
	s, ts, _ := testServer(t, Limits{MaxRunning: 1, MaxQueued: 1})
	entered := make(chan struct{}, 4)
	release := make(chan struct{})
	s.beforeWork = func(ctx context.Context) {
		entered <- struct{}{}
		<-release
	}
	var wg sync.WaitGroup
	codes := make([]int, 2)
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Different seeds: no cache hit.
			resp, _ := post(t, ts, "/api/odds", strings.Replace(smallOdds, `"seed":3`, `"seed":`+string(rune('5'+i)), 1))
			codes[i] = resp.StatusCode
		}()
		if i == 0 {
			<-entered // the first holds the slot
		}
	}
	// Wait until the second waits in the queue.
	for {
		s.slots.mu.Lock()
		q := s.slots.queued
		s.slots.mu.Unlock()
		if q == 1 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	resp, doc := post(t, ts, "/api/odds", strings.Replace(smallOdds, `"seed":3`, `"seed":9`, 1))
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Errorf("third request: %d Retry-After %q %v, want 503 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"), doc)
	}
	// Requests without simulation are not held.
	if resp, _ := post(t, ts, "/api/sponsor", `{"interests":100,"quota":10}`); resp.StatusCode != 200 {
		t.Errorf("sponsor while busy: %d", resp.StatusCode)
	}
	close(release)
	wg.Wait()
	if codes[0] != 200 || codes[1] != 200 {
		t.Errorf("running and queued requests: %v, want 200 200", codes)
	}
}

func TestPanicSurvives(t *testing.T) {
	s, ts, logBuf := testServer(t, Limits{})
	s.beforeWork = func(context.Context) { panic("boom") }
	resp, doc := post(t, ts, "/api/odds", smallOdds)
	if resp.StatusCode != 500 || !strings.Contains(doc["error"].(string), "internal error") {
		t.Errorf("%d %v, want 500", resp.StatusCode, doc)
	}
	if !strings.Contains(logBuf.String(), "boom") {
		t.Errorf("panic not logged: %q", logBuf.String())
	}
	s.beforeWork = nil
	if resp, doc := post(t, ts, "/api/odds", smallOdds); resp.StatusCode != 200 {
		t.Errorf("after the panic: %d %v", resp.StatusCode, doc)
	}
	// The slot was released: with one slot, a second request still runs.
	if resp, _ := post(t, ts, "/api/odds", strings.Replace(smallOdds, `"seed":3`, `"seed":4`, 1)); resp.StatusCode != 200 {
		t.Errorf("slot not released: %d", resp.StatusCode)
	}
}

func TestClientCancel(t *testing.T) {
	s, ts, _ := testServer(t, Limits{})
	got := make(chan error, 1)
	entered := make(chan struct{})
	s.beforeWork = func(ctx context.Context) {
		close(entered)
		<-ctx.Done()
		got <- ctx.Err()
	}
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "POST", ts.URL+"/api/odds", strings.NewReader(smallOdds))
	done := make(chan struct{})
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		close(done)
	}()
	<-entered
	cancel() // the tab closes
	select {
	case err := <-got:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("work context: %v, want canceled", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("the work was not cancelled")
	}
	<-done
}

func TestProjectionAndWhatIf(t *testing.T) {
	_, ts, _ := testServer(t, Limits{})
	resp, doc := post(t, ts, "/api/projection", `{"runs":3,"horizon":"1mo","draw_size":["CEC=3000"]}`)
	if resp.StatusCode != 200 {
		t.Fatalf("projection: %d %v", resp.StatusCode, doc)
	}
	fams := doc["families"].([]any)
	if len(fams) == 0 {
		t.Fatal("projection: no family")
	}
	charts := doc["charts"].(map[string]any)
	for _, f := range fams {
		checkSVG(t, ts, charts["fan-"+f.(string)+".svg"].(string))
	}
	for _, q := range doc["quantiles"].([]any) {
		m := q.(map[string]any)
		if m["family"] == "cec" && m["size"] != 3000.0 {
			t.Errorf("cec round of size %v, want the override 3000", m["size"])
		}
		if p10, p90 := m["p10"], m["p90"]; p10 != nil && p90 != nil && p10.(float64) > p90.(float64) {
			t.Errorf("p10 %v > p90 %v", p10, p90)
		}
	}
	resp, doc = post(t, ts, "/api/whatif", `{"sweep":"draw-size","spec":"CEC=1000:5000:4000","runs":2,"horizon":"1mo","score":505,"programs":"CEC"}`)
	if resp.StatusCode != 200 {
		t.Fatalf("whatif: %d %v", resp.StatusCode, doc)
	}
	pts := doc["points"].([]any)
	if len(pts) != 2 {
		t.Fatalf("whatif: %d points, want 2", len(pts))
	}
	checkSVG(t, ts, doc["charts"].(map[string]any)["whatif.svg"].(string))
}
