package web

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/eesim/eesim/pool/crs"
)

// TestBrowser drives the pages in headless Chromium: it loads every page,
// fills the odds form with the profile of cmd/eesim/testdata/crs,
// submits it, waits for the chart, and checks the numbers shown against
// the API's document for the same input (TestServeSameAsCLI in cmd/eesim
// checks that document against eesim odds) and the CRS against package
// crs. It fails on any console error, uncaught exception, CSP violation
// or failed request, and saves a screenshot of each page in the test's
// artifact folder (go test -artifacts -outputdir DIR keeps them).
//
// Without a browser it is skipped, unless EESIM_BROWSER_TEST=require (set
// by .ci/run), which makes a missing browser a failure.
func TestBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test: skipped in -short mode")
	}
	required := os.Getenv("EESIM_BROWSER_TEST") == "require"
	skip := func(format string, args ...any) {
		t.Helper()
		if required {
			t.Fatalf("browser test required (EESIM_BROWSER_TEST=require): "+format, args...)
		}
		t.Skipf("browser test: "+format+" (apt-get install chromium)", args...)
	}
	var exe string
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			exe = p
			break
		}
	}
	if exe == "" {
		skip("no chromium on PATH")
	}

	_, ts, _ := testServer(t, Limits{})
	shots := t.ArtifactDir()

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.NoSandbox, // CI runs as root
		chromedp.DisableGPU,
		chromedp.WindowSize(1280, 900),
	)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelA()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	// The first Run starts the browser; its context must have no timeout.
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		skip("chromium does not start: %v", err)
	}

	var mu sync.Mutex
	var problems []string
	note := func(format string, args ...any) {
		mu.Lock()
		problems = append(problems, fmt.Sprintf(format, args...))
		mu.Unlock()
	}
	lctx, stopListen := context.WithCancel(ctx)
	defer stopListen()
	if err := chromedp.Listen(lctx, func(ev any) {
		switch e := ev.(type) {
		case *network.EventLoadingFailed:
			note("request failed: %s %s", e.ErrorText, e.BlockedReason)
		case *network.EventResponseReceived:
			if e.Response.Status >= 400 {
				note("HTTP %d: %s", e.Response.Status, e.Response.URL)
			}
		}
	}); err != nil {
		t.Fatal(err)
	}
	// Console errors and warnings, uncaught exceptions, and the browser
	// log (CSP violations are reported there).
	consoleDone := make(chan struct{})
	go func() {
		defer close(consoleDone)
		for m, err := range chromedp.Console(lctx) {
			if err != nil {
				return
			}
			if m.IsException() || m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleWarning {
				note("console %s: %s (%s)", m.Type, m.Text, m.URL)
			}
		}
	}()

	tctx, cancelT := context.WithTimeout(ctx, 3*time.Minute)
	defer cancelT()

	shot := func(name string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			buf, err := chromedp.FullScreenshot(100)(ctx, t)
			if err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(shots, name+".png"), buf, 0o644)
		})
	}
	// wait waits until the JavaScript predicate holds.
	wait := func(pred string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := chromedp.Poll[chromedp.Void](pred, chromedp.WithPollingInterval(100*time.Millisecond))(ctx, t)
			return err
		})
	}
	// Every <img> with a source on the page has loaded.
	imagesLoaded := wait(`Array.from(document.images).filter(i => i.getAttribute("src")).every(i => i.complete && i.naturalWidth > 0)`)

	for _, p := range []struct{ path, name, ready string }{
		{"/", "overview", "#last-rounds"},
		{"/projection", "projection", "#projection-form"},
		{"/odds", "odds-form", "#odds-form"},
		{"/whatif", "whatif", "#whatif-form"},
		{"/pathway", "pathway", "#nseoi-form"},
	} {
		if err := chromedp.Do(tctx, chromedp.Navigate(ts.URL+p.path), chromedp.WaitVisible(chromedp.CSS(p.ready)), imagesLoaded, shot(p.name)); err != nil {
			t.Fatalf("%s: %v", p.path, err)
		}
	}

	// The odds form with the sample profile (cmd/eesim/testdata/crs/profile.json).
	fill := func(name, v string) chromedp.Action[chromedp.Void] {
		return chromedp.SetValue(chromedp.CSS(`[name="`+name+`"]`), v)
	}
	err := chromedp.Do(tctx,
		chromedp.Navigate(ts.URL+"/odds"), chromedp.WaitVisible(chromedp.CSS("#odds-form")),
		fill("birth_date", "1995-06-15"), fill("education", "masters"),
		fill("canadian_work_years", "1"), fill("foreign_work_years", "3"),
		fill("l1_test", "IELTS"), fill("l1_reading", "8"), fill("l1_writing", "7"), fill("l1_speaking", "7"), fill("l1_listening", "8.5"),
		fill("l1_test_date", "2025-01-20"),
		fill("l2_test", "TEF"), fill("l2_reading", "470"), fill("l2_writing", "430"), fill("l2_speaking", "460"), fill("l2_listening", "440"),
		fill("l2_test_date", "2025-02-10"),
		fill("canadian_study", "one_or_two_year"), fill("categories", "stem"), fill("submitted", "2025-03-01"),
		fill("horizon", "3mo"), fill("runs", "10"), fill("seed", "1"),
		chromedp.Click(chromedp.CSS(`#odds-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS("#result")),
		wait(`document.querySelector("#result img.chart").complete && document.querySelector("#result img.chart").naturalWidth > 0`),
		shot("odds-result"),
	)
	if err != nil {
		t.Fatalf("odds form: %v", err)
	}
	type shownT struct {
		Summary string     `json:"summary"`
		Months  [][]string `json:"months"`
		Total   string     `json:"total"`
	}
	shown, err := chromedp.Run(tctx, chromedp.Evaluate[shownT](`({
		summary: document.querySelector("#result .summary-line").textContent,
		months: Array.from(document.querySelectorAll("#result .months tbody tr")).map(r => Array.from(r.cells).map(c => c.textContent)),
		total: Array.from(document.querySelectorAll("#result .crs-groups tr")).pop().cells[1].textContent,
	})`))
	if err != nil {
		t.Fatal(err)
	}

	// The same input to the API, outside the browser.
	prof, err := os.ReadFile("../cmd/eesim/testdata/crs/profile.json")
	if err != nil {
		t.Fatal(err)
	}
	var pm map[string]any
	if err := json.Unmarshal(prof, &pm); err != nil {
		t.Fatal(err)
	}
	pm["submitted"] = "2025-03-01T00:00:00Z" // the form takes a date
	pb, _ := json.Marshal(pm)
	resp, doc := post(t, ts, "/api/odds", `{"profile":`+string(pb)+`,"horizon":"3mo","runs":10,"seed":1}`)
	if resp.StatusCode != 200 {
		t.Fatalf("api: %d %v", resp.StatusCode, doc)
	}
	months := doc["months"].([]any)
	if len(shown.Months) != len(months) {
		t.Fatalf("page shows %d months, the API %d", len(shown.Months), len(months))
	}
	for i, m := range months {
		m := m.(map[string]any)
		want := []string{m["by"].(string), fmt.Sprintf("%.0f%%", math.Round(100*m["p_invited_by"].(float64))),
			fmt.Sprintf("%.0f%%-%.0f%%", math.Round(100*m["p_lo95"].(float64)), math.Round(100*m["p_hi95"].(float64))),
			fmt.Sprintf("%.0f of %.0f", m["invited_runs"], m["runs"])}
		if strings.Join(shown.Months[i], "|") != strings.Join(want, "|") {
			t.Errorf("month %d: page %q, API %q", i+1, shown.Months[i], want)
		}
	}
	// The CRS on the start, from package crs.
	p, err := crs.DecodeProfile(strings.NewReader(string(pb)))
	if err != nil {
		t.Fatal(err)
	}
	start, _ := time.Parse(time.DateOnly, doc["start"].(string))
	b, err := crs.Score(p, start)
	if err != nil {
		t.Fatal(err)
	}
	if shown.Total != fmt.Sprint(b.Total) {
		t.Errorf("page shows a CRS of %s, crs.Score %d", shown.Total, b.Total)
	}
	if !strings.Contains(shown.Summary, fmt.Sprintf("a CRS of %d", b.Total)) {
		t.Errorf("summary %q does not name the CRS %d", shown.Summary, b.Total)
	}

	// A bad form shows the API's message, which is not a console error.
	if err := chromedp.Do(tctx,
		chromedp.Navigate(ts.URL+"/whatif"), chromedp.WaitVisible(chromedp.CSS("#whatif-form")),
		fill("from", "5000"), fill("to", "1000"),
		chromedp.Click(chromedp.CSS(`#whatif-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(".error")),
	); err != nil {
		t.Fatalf("whatif error: %v", err)
	}
	time.Sleep(200 * time.Millisecond) // let the last events arrive
	stopListen()
	<-consoleDone
	mu.Lock()
	// The bad what-if request is the one expected 400.
	var unexpected []string
	for _, p := range problems {
		if strings.Contains(p, "/api/whatif") && strings.Contains(p, "400") {
			continue
		}
		unexpected = append(unexpected, p)
	}
	mu.Unlock()
	for _, p := range unexpected {
		t.Errorf("browser: %s", p)
	}
	t.Logf("screenshots in %s", shots)
}
