package main

import (
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// jsonCase is one command of TestEveryCommandJSON: its arguments (dir is
// a fresh --out folder, the same for the text and the JSON run) and a
// check of the JSON document against the text output of the same run.
type jsonCase struct {
	name  string
	heavy bool // runs the Monte Carlo or calibrates: skipped with -short
	args  func(dir string) []string
	check func(t *testing.T, text string, doc map[string]any)
}

// TestEveryCommandJSON runs every command twice on small inputs, without
// and with --json (issue 15: "--json on every command produces output
// that python3 -m json.tool accepts"; docs/json.md). The JSON output must
// be one document that encoding/json and python3 -m json.tool both
// accept, name its command, and hold the numbers the text prints: each
// case compares at least one number of the text with the document.
func TestEveryCommandJSON(t *testing.T) {
	py := python3(t)
	twoRounds := filepath.Join("testdata", "simulate", "two-rounds.csv")
	small := []string{"--start", "2025-12-18", "--schedule", twoRounds, "--model", "default", "--seed", "3"}
	simDir := t.TempDir() // the simulate case's --out, which report reads
	cases := []jsonCase{
		{"simulate", true, func(string) []string { return simArgs(simDir, "--runs", "3") }, checkSimulateJSON},
		{"report", true, func(dir string) []string { return []string{"report", "--in", simDir, "--out", dir} }, checkReportJSON},
		{"report --html", true, func(dir string) []string { return []string{"report", "--html", "--in", simDir, "--out", dir} },
			func(t *testing.T, text string, doc map[string]any) {
				wantEqual(t, "file", doc["file"], match(t, text, `wrote (\S+)`)[1])
			}},
		{"odds", true, func(dir string) []string {
			return append([]string{"odds", "--score", "520", "--programs", "CEC", "--runs", "4", "--horizon", "1mo", "--out", dir}, small...)
		}, checkOddsJSON},
		{"whatif", true, func(dir string) []string {
			return append([]string{"whatif", "--draw-size", "cec=1000:3000:2000", "--score", "505", "--programs", "CEC", "--runs", "2",
				"--horizon", "1mo", "--out", dir}, small...)
		}, checkWhatIfJSON},
		{"backtest walk-forward", true, func(dir string) []string {
			return []string{"backtest", "--mode", "walk-forward", "--from", "2022-07-01", "--to", "2022-07-31", "--runs", "2", "--out", dir}
		}, checkBacktestJSON},
		{"backtest replay", true, func(dir string) []string {
			return []string{"backtest", "--mode", "replay", "--from", "2022-07-01", "--to", "2022-07-31", "--runs", "2", "--out", dir}
		}, checkBacktestJSON},
		{"backtest odds", true, func(dir string) []string { return oddsBacktestArgs(dir) }, checkOddsBacktestJSON},
		{"calibrate", false, func(string) []string { return []string{"calibrate", "--as-of", "2022-03-01", "--show"} }, checkCalibrateJSON},
		{"history", false, func(dir string) []string { return []string{"history", "--out", dir} }, checkHistoryJSON},
		{"ingest", false, func(dir string) []string { return []string{"ingest", "--out", dir} },
			func(t *testing.T, text string, doc map[string]any) {
				m := match(t, text, `^(\d+) rounds, (\d+) snapshots, (\d+) warnings`)
				wantNumber(t, "rounds", doc["rounds"], m[1])
				wantNumber(t, "snapshots", doc["snapshots"], m[2])
				wantNumber(t, "warnings", doc["warnings"], m[3])
			}},
		{"version", false, func(string) []string { return []string{"version"} },
			func(t *testing.T, text string, doc map[string]any) {
				wantEqual(t, "version", doc["version"], match(t, text, `^eesim (\S+)`)[1])
			}},
		{"crs", false, func(string) []string { return []string{"crs", "--profile", crsProfile, "--on", "2025-09-01"} },
			func(t *testing.T, text string, doc map[string]any) {
				wantNumber(t, "total", doc["total"], tableRow(t, text, "Total")[1])
			}},
		{"residency", false, func(string) []string { return []string{"residency", "--in", "testdata/residency/landing2005.json"} }, checkAllNumbers},
		{"citizenship", false, func(string) []string { return []string{"citizenship", "--in", "testdata/citizenship/applicant.json"} }, checkAllNumbers},
		{"sponsor", false, func(string) []string { return []string{"sponsor", "--in", "testdata/sponsor/spouse.json"} }, checkAllNumbers},
		{"ns-eoi", false, func(string) []string {
			return []string{"ns-eoi", "--profile", "testdata/nseoi/profile.json", "--date", "2026-03-01"}
		}, checkAllNumbers},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.heavy && testing.Short() {
				t.Skip("runs the Monte Carlo")
			}
			dir := t.TempDir()
			args := c.args(dir)
			code, text, errs := runCLI(t, args...)
			if code != 0 {
				t.Fatalf("%v: exit %d: %s", args, code, errs)
			}
			code, js, errs := runCLI(t, append(args, "--json")...)
			if code != 0 {
				t.Fatalf("%v --json: exit %d: %s", args, code, errs)
			}
			doc := checkJSONOutput(t, py, js)
			if _, ok := doc["total"]; !ok && doc["command"] != args[0] { // crs keeps its five totals only
				t.Errorf("command %v, want %q", doc["command"], args[0])
			}
			if strings.Contains(js, "NaN") || regexp.MustCompile(`"\d{1,3}(,\d{3})+"`).MatchString(js) {
				t.Errorf("not plain numbers:\n%s", js)
			}
			c.check(t, text, doc)
		})
	}
}

// python3 is the path of the python3 executable ("" when there is none,
// and the json.tool check is then skipped). A launcher such as pyenv's
// shim is resolved once to the interpreter it runs, to keep the test fast.
func python3(t *testing.T) string {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Log("python3 not found: the python3 -m json.tool check is skipped")
		return ""
	}
	out, err := exec.Command(py, "-c", "import sys; print(sys.executable)").Output()
	if exe := strings.TrimSpace(string(out)); err == nil && exe != "" {
		return exe
	}
	return py
}

// checkJSONOutput checks that js is one JSON document that encoding/json
// and (when py is not "") python3 -m json.tool accept, and returns it.
func checkJSONOutput(t *testing.T, py, js string) map[string]any {
	t.Helper()
	doc := decodeOneDocument(t, js)
	if py != "" {
		cmd := exec.Command(py, "-m", "json.tool")
		cmd.Stdin = strings.NewReader(js)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("python3 -m json.tool rejects the output: %v\n%s", err, out)
		}
	}
	return doc
}

// TestUpdateJSON is TestEveryCommandJSON for update, whose second run
// differs from the first: the text and the JSON of a first update (each
// into an empty cache, from the same local server), then the JSON of an
// update with nothing new (a 304).
func TestUpdateJSON(t *testing.T) {
	py := python3(t)
	setNow(t, time.Date(2026, 1, 8, 10, 0, 0, 0, time.UTC))
	srv := newUpdateServer(t, feedWithRound389(t, "January 7, 2026 at 14:00:00 UTC"))
	cache := t.TempDir()
	args := []string{"update", "--url", srv.URL + "/feed"}
	code, text, errs := runCached(t, t.TempDir(), args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	code, js, errs := runCached(t, cache, append(args, "--json")...)
	if code != 0 {
		t.Fatalf("--json: exit %d: %s", code, errs)
	}
	doc := checkJSONOutput(t, py, js)
	wantEqual(t, "command", doc["command"], "update")
	wantEqual(t, "status", doc["status"], "updated")
	m := match(t, text, `^updated: (\d+) rounds to #(\S+) of (\S+),`)
	wantNumber(t, "rounds", doc["rounds"], m[1])
	wantEqual(t, "last_draw_number", doc["last_draw_number"], m[2])
	wantEqual(t, "last_draw_date", doc["last_draw_date"], m[3])
	wantEqual(t, "new_since", doc["new_since"], "embedded")
	row := tableRow(t, text, "#389") // #number, date, family, invitations, "invited,", "cutoff", cutoff
	wantEqual(t, "new_rounds[0].draw_date", get(t, doc, "new_rounds", 0, "draw_date"), row[1])
	wantNumber(t, "new_rounds[0].invitations", get(t, doc, "new_rounds", 0, "invitations"), row[3])
	wantNumber(t, "new_rounds[0].cutoff", get(t, doc, "new_rounds", 0, "cutoff"), row[6])

	setNow(t, time.Date(2026, 1, 9, 10, 0, 0, 0, time.UTC))
	code, js, errs = runCached(t, cache, append(args, "--json")...)
	if code != 0 {
		t.Fatalf("second --json: exit %d: %s", code, errs)
	}
	doc = checkJSONOutput(t, py, js)
	wantEqual(t, "status", doc["status"], "not_modified")
	wantEqual(t, "copy_fetched_at", doc["copy_fetched_at"], "2026-01-08T10:00:00Z")
	if doc["stored_in"] != nil || len(get(t, doc, "new_rounds").([]any)) != 0 {
		t.Errorf("an update with nothing new: stored_in %v, new_rounds %v", doc["stored_in"], doc["new_rounds"])
	}
}

// decodeOneDocument decodes s, which must hold exactly one JSON object.
func decodeOneDocument(t *testing.T, s string) map[string]any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(s))
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, s)
	}
	if dec.More() {
		t.Fatalf("more than one document:\n%s", s)
	}
	return doc
}

// match returns the submatches of the multi-line pattern re in text.
func match(t *testing.T, text, re string) []string {
	t.Helper()
	m := regexp.MustCompile("(?m)" + re).FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("text does not match %q:\n%s", re, text)
	}
	return m
}

// tableRow returns the fields of the first line of text whose first field
// is first.
func tableRow(t *testing.T, text, first string) []string {
	t.Helper()
	for _, l := range strings.Split(text, "\n") {
		if f := strings.Fields(l); len(f) > 0 && f[0] == first {
			return f
		}
	}
	t.Fatalf("no row %q in:\n%s", first, text)
	return nil
}

// get walks doc along path (map keys and slice indexes).
func get(t *testing.T, doc any, path ...any) any {
	t.Helper()
	v := doc
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				t.Fatalf("%v: not an object at %q", path, k)
			}
			v = m[k]
		case int:
			s, ok := v.([]any)
			if !ok || k >= len(s) {
				t.Fatalf("%v: no element %d", path, k)
			}
			v = s[k]
		}
	}
	return v
}

func wantEqual(t *testing.T, what string, got any, want string) {
	t.Helper()
	if fmt.Sprint(got) != want {
		t.Errorf("%s: JSON %v, text %q", what, got, want)
	}
}

// wantNumber checks the JSON number got against the text's cell: a plain
// or "5,000"-style number (a JSON number with no separator), "-" for
// null.
func wantNumber(t *testing.T, what string, got any, cell string) {
	t.Helper()
	if cell == "-" || cell == "n/a" {
		if got != nil {
			t.Errorf("%s: JSON %v, text %q (want null)", what, got, cell)
		}
		return
	}
	f, ok := got.(float64)
	want, err := strconv.ParseFloat(strings.ReplaceAll(cell, ",", ""), 64)
	if !ok || err != nil || f != want {
		t.Errorf("%s: JSON %v, text %q", what, got, cell)
	}
}

// wantRounded checks the JSON number got printed with format (and scaled
// by scale: 100 for a percentage) against the text's cell.
func wantRounded(t *testing.T, what string, got any, format string, scale float64, cell string) {
	t.Helper()
	if cell == "-" || cell == "n/a" {
		if got != nil {
			t.Errorf("%s: JSON %v, text %q (want null)", what, got, cell)
		}
		return
	}
	f, ok := got.(float64)
	if !ok {
		t.Fatalf("%s: JSON %v is not a number (text %q)", what, got, cell)
	}
	if s := fmt.Sprintf(format, scale*f); s != strings.TrimSuffix(cell, "%") {
		t.Errorf("%s: JSON %v gives %s, text %q", what, got, s, cell)
	}
}

func checkQuantileRow(t *testing.T, text string, doc map[string]any) {
	t.Helper()
	qs := get(t, doc, "quantiles").([]any)
	if len(qs) == 0 {
		t.Fatal("no quantiles")
	}
	for i, q := range qs {
		row := tableRow(t, text, strconv.Itoa(i)) // round, date, family, size, p10, p50, p90
		wantEqual(t, "quantiles.date", get(t, q, "date"), row[1])
		wantEqual(t, "quantiles.family", get(t, q, "family"), row[2])
		wantNumber(t, "quantiles.size", get(t, q, "size"), row[3])
		for j, k := range []string{"p10", "p50", "p90"} {
			wantRounded(t, "quantiles."+k, get(t, q, k), "%.0f", 1, row[4+j])
		}
	}
}

func checkSimulateJSON(t *testing.T, text string, doc map[string]any) {
	m := match(t, text, `^eesim simulate: (\d+) runs \((\d+)-(\d+)\) from the (\S+) snapshot, (\d+) projected rounds from (\S+)`)
	wantNumber(t, "runs", doc["runs"], m[1])
	wantNumber(t, "last_run", doc["last_run"], m[3])
	wantEqual(t, "snapshot_date", doc["snapshot_date"], m[4])
	wantNumber(t, "projected_rounds", doc["projected_rounds"], m[5])
	wantEqual(t, "start", doc["start"], m[6])
	checkQuantileRow(t, text, doc)
}

func checkReportJSON(t *testing.T, text string, doc map[string]any) {
	m := match(t, text, `^eesim report: (\d+) rows from \S+, projection start (\S+)`)
	wantNumber(t, "rows", doc["rows"], m[1])
	wantEqual(t, "start", doc["start"], m[2])
	checkQuantileRow(t, text, doc)
}

func checkOddsJSON(t *testing.T, text string, doc map[string]any) {
	m := match(t, text, `by (\S+) is (\d+)% \(95% interval (\d+)%-(\d+)% over (\d+) runs from the (\S+) pool`)
	wantEqual(t, "by", doc["by"], m[1])
	wantRounded(t, "p", doc["p"], "%.0f", 100, m[2])
	wantRounded(t, "lo95", doc["lo95"], "%.0f", 100, m[3])
	wantRounded(t, "hi95", doc["hi95"], "%.0f", 100, m[4])
	wantNumber(t, "runs", doc["runs"], m[5])
	wantEqual(t, "snapshot_date", doc["snapshot_date"], m[6])
	if f, ok := doc["p"].(float64); !ok || f < 0 || f > 1 {
		t.Errorf("p %v: want a probability 0-1", doc["p"])
	}
}

func checkWhatIfJSON(t *testing.T, text string, doc map[string]any) {
	m := match(t, text, `^eesim whatif: (\d+) points × (\d+) runs`)
	wantNumber(t, "points", doc["points"], m[1])
	wantNumber(t, "runs", doc["runs"], m[2])
	if n := len(get(t, doc, "results").([]any)); strconv.Itoa(n) != m[1] {
		t.Errorf("%d results, text %s points", n, m[1])
	}
	row := tableRow(t, text, "3000") // value, one cell per family, P(invited)
	wantNumber(t, "results[1].value", get(t, doc, "results", 1, "value"), row[0])
	wantRounded(t, "results[1].p_invited", get(t, doc, "results", 1, "p_invited"), "%.0f", 100, row[len(row)-1])
}

func checkBacktestJSON(t *testing.T, text string, doc map[string]any) {
	wantEqual(t, "mode", doc["mode"], match(t, text, `^backtest \((\S+)\)`)[1])
	row := tableRow(t, text, "all") // family, n, MAE, bias, cover80, ...
	fams := get(t, doc, "families").([]any)
	all := fams[len(fams)-1]
	wantEqual(t, "family", get(t, all, "family"), "all")
	wantNumber(t, "n", get(t, all, "n"), row[1])
	wantRounded(t, "mae", get(t, all, "mae"), "%.1f", 1, row[2])
	wantRounded(t, "bias", get(t, all, "bias"), "%.1f", 1, row[3])
}

func checkOddsBacktestJSON(t *testing.T, text string, doc map[string]any) {
	wantNumber(t, "starts", doc["starts"], match(t, text, `^odds backtest: (\d+) starts`)[1])
	row := tableRow(t, text, "all") // family, n, invited, Brier, Brier naive, log loss, ...
	fams := get(t, doc, "families").([]any)
	all := fams[len(fams)-1]
	wantNumber(t, "n", get(t, all, "n"), row[1])
	wantRounded(t, "invited", get(t, all, "invited"), "%.0f", 100, row[2])
	wantRounded(t, "brier", get(t, all, "brier"), "%.3f", 1, row[3])
	wantRounded(t, "log_loss", get(t, all, "log_loss"), "%.3f", 1, row[5])
	bin := tableRow(t, text, "0.0-0.1") // bin, n, mean p, observed, n naive, observed naive
	wantNumber(t, "reliability[0].n", get(t, doc, "reliability", 0, "n"), bin[1])
	wantNumber(t, "reliability[0].n_naive", get(t, doc, "reliability", 0, "n_naive"), bin[4])
}

func checkCalibrateJSON(t *testing.T, text string, doc map[string]any) {
	m := match(t, text, `^calibration as of (\S+): (\d+) rounds with snapshots observed`)
	wantEqual(t, "as_of", doc["as_of"], m[1])
	wantNumber(t, "rounds_observed", doc["rounds_observed"], m[2])
	row := tableRow(t, text, "501-600") // band, CEC, FSW, FST, nominated, categories
	for _, b := range get(t, doc, "bands").([]any) {
		if get(t, b, "low") == 501.0 {
			wantRounded(t, "bands[501].cec", get(t, b, "cec"), "%.3f", 1, row[1])
			wantRounded(t, "bands[501].nominated", get(t, b, "nominated"), "%.3f", 1, row[4])
		}
	}
	obs := get(t, doc, "observations").([]any)
	first := get(t, obs[0], "draw_number").(string)
	orow := tableRow(t, text, first) // round, date, family, size, real, sim, ...
	wantEqual(t, "observations[0].draw_date", get(t, obs[0], "draw_date"), orow[1])
	wantNumber(t, "observations[0].real_cutoff", get(t, obs[0], "real_cutoff"), orow[4])
}

func checkHistoryJSON(t *testing.T, text string, doc map[string]any) {
	row := tableRow(t, text, "CEC") // family, #round, date, invitations, cutoff
	for _, r := range get(t, doc, "last_rounds").([]any) {
		if get(t, r, "family_label") == "CEC" {
			wantEqual(t, "draw_number", get(t, r, "draw_number"), strings.TrimPrefix(row[1], "#"))
			wantEqual(t, "draw_date", get(t, r, "draw_date"), row[2])
			wantNumber(t, "invitations", get(t, r, "invitations"), row[3])
			wantNumber(t, "cutoff", get(t, r, "cutoff"), row[4])
		}
	}
	y := tableRow(t, text, "2024") // year, rounds, invitations
	for _, r := range get(t, doc, "years").([]any) {
		if get(t, r, "year") == 2024.0 {
			wantNumber(t, "years[2024].rounds", get(t, r, "rounds"), y[1])
			wantNumber(t, "years[2024].invitations", get(t, r, "invitations"), y[2])
		}
	}
}

// checkAllNumbers checks that every number of a pathway command's text is
// in its document (as TestPathwayJSON does for more inputs).
func checkAllNumbers(t *testing.T, text string, doc map[string]any) {
	set := map[string]bool{}
	jsonTokens(doc, set)
	for _, tok := range numberTokens(text) {
		if !set[tok] {
			t.Errorf("the text's number %s is not in the JSON document", tok)
		}
	}
	if !strings.Contains(text, "\n") {
		t.Error("no text output")
	}
}
