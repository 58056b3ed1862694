package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReportHTML writes report.html from a simulate folder and an odds
// folder and checks it against the folders' own files: one inline chart
// per fan-*.png, every odds.csv value in the table, the settings of
// config.json, and no script or external resource.
func TestReportHTML(t *testing.T) {
	dir := t.TempDir()
	sim, odds := filepath.Join(dir, "sim"), filepath.Join(dir, "odds")
	if code, stderr := serveCLI(t, "simulate", "--runs", "3", "--horizon", "1mo", "--out", sim); code != 0 {
		t.Fatalf("simulate: %d %s", code, stderr)
	}
	if code, stderr := serveCLI(t, "odds", "--score", "510", "--programs", "CEC", "--runs", "3", "--horizon", "2mo", "--out", odds); code != 0 {
		t.Fatalf("odds: %d %s", code, stderr)
	}
	check := func(in string) string {
		t.Helper()
		out := in + "-report"
		if code, stderr := serveCLI(t, "report", "--html", "--in", in, "--out", out); code != 0 {
			t.Fatalf("report --html --in %s: %d %s", in, code, stderr)
		}
		b, err := os.ReadFile(filepath.Join(out, "report.html"))
		if err != nil {
			t.Fatal(err)
		}
		h := string(b)
		for _, bad := range []string{"<script", "http://", "https://", "<link", "@import"} {
			if strings.Contains(h, bad) && !(bad == "http://" && strings.Count(h, "http://") == strings.Count(h, "http://www.w3.org/")) {
				t.Errorf("%s: report.html holds %q", in, bad)
			}
		}
		var conf map[string]any
		cb, _ := os.ReadFile(filepath.Join(in, "config.json"))
		if err := json.Unmarshal(cb, &conf); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"tool", "snapshot_date", "rounds_source", "horizon"} {
			if !strings.Contains(h, ">"+conf[k].(string)+"<") {
				t.Errorf("%s: report.html lacks %s %q", in, k, conf[k])
			}
		}
		return h
	}
	h := check(sim)
	fans, _ := filepath.Glob(filepath.Join(sim, "fan-*.png"))
	if n := strings.Count(h, "<svg"); n != len(fans) || n == 0 {
		t.Errorf("simulate report: %d inline charts, the folder %d fan charts", n, len(fans))
	}
	h = check(odds)
	if strings.Count(h, "<svg") != 1 {
		t.Errorf("odds report: %d charts, want 1", strings.Count(h, "<svg"))
	}
	for _, row := range oddsReadCSV(t, filepath.Join(odds, "odds.csv"))[1:] {
		for _, c := range row {
			if !strings.Contains(h, ">"+c+"<") {
				t.Errorf("odds report: odds.csv value %q not shown", c)
			}
		}
	}

	// Bad input: exit 2, the file named, nothing written.
	empty := filepath.Join(dir, "empty")
	os.Mkdir(empty, 0o755)
	out := filepath.Join(dir, "none")
	code, stderr := serveCLI(t, "report", "--html", "--in", empty, "--out", out)
	if code != 2 || !strings.Contains(stderr, "config.json") {
		t.Errorf("empty folder: exit %d %q, want 2 naming config.json", code, stderr)
	}
	os.WriteFile(filepath.Join(empty, "config.json"), []byte(`{"command":"odds","start":"2025-12-18T00:00:00Z"}`), 0o644)
	os.WriteFile(filepath.Join(empty, "odds.csv"), []byte("month,by,p_invited_by,p_invited_by_lo95,p_invited_by_hi95,invited_runs,runs\n1,2025-12-31,half,0,1,1,2\n"), 0o644)
	code, stderr = serveCLI(t, "report", "--html", "--in", empty, "--out", out)
	if code != 2 || !strings.Contains(stderr, "odds.csv: row 2: p_invited_by") {
		t.Errorf("bad odds.csv: exit %d %q, want 2 naming row 2 and p_invited_by", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "report.html")); err == nil {
		t.Errorf("bad input left %s", filepath.Join(out, "report.html"))
	}
}
