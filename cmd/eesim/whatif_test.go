package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func runWhatIfCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return oddsRunCmd(t, append([]string{"whatif"}, args...)...)
}

// TestWhatIfCommand runs two sweeps with a candidate at 1,200 with a
// nomination on a schedule with a PNP round: every run invites them in it
// (see TestOddsCommandCertain), so every point has every run invited.
func TestWhatIfCommand(t *testing.T) {
	out := filepath.Join(t.TempDir(), "w")
	code, stdout, stderr := runWhatIfCmd(t, "--draw-size", "CEC=1000:5000:4000", "--cadence", "2:2:1",
		"--score", "1200", "--nominated", "--horizon", "30d", "--runs", "2", "--model", "default",
		"--schedule", filepath.Join("testdata", "odds", "pnp-first.csv"), "--out", out)
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	recs := oddsReadCSV(t, filepath.Join(out, "whatif.csv"))
	if got := strings.Join(recs[0], ","); got != "sweep,value,unit,family,p10,p50,p90,observations,rounds,runs,p_invited,p_invited_lo95,p_invited_hi95" {
		t.Fatalf("header %s", got)
	}
	values := map[string]bool{}
	for _, r := range recs[1:] {
		values[r[0]+"="+r[1]] = true
		// Both runs invite the nominee: (2 + 1/2) / (2 + 1).
		if r[9] != "2" || r[10] != "0.8333" {
			t.Errorf("row %v: want runs 2 and p_invited 2.5/3", r)
		}
		if r[3] == "cec" && r[0] == "draw-size cec" {
			n, _ := strconv.Atoi(r[7])
			rounds, _ := strconv.Atoi(r[8])
			if n > 2*rounds || rounds == 0 {
				t.Errorf("row %v: %d observations of %d rounds × 2 runs", r, n, rounds)
			}
		}
	}
	for _, want := range []string{"draw-size cec=1000", "draw-size cec=5000", "cadence=2"} {
		if !values[want] {
			t.Errorf("no rows for %s in %v", want, values)
		}
	}
	for _, png := range []string{"whatif-draw-size-cec.png", "whatif-cadence.png"} {
		checkPNG(t, filepath.Join(out, png))
	}
	var conf RunRecord
	b, _ := os.ReadFile(filepath.Join(out, "config.json"))
	if err := json.Unmarshal(b, &conf); err != nil {
		t.Fatal(err)
	}
	if len(conf.Sweeps) != 2 || conf.Candidate == nil || conf.Candidate.Score != 1200 || conf.Runs != 2 {
		t.Errorf("config %+v", conf)
	}
	if !strings.Contains(stdout, "draw-size cec (invitations per cec round): median cutoff (p10-p90)") {
		t.Errorf("stdout:\n%s", stdout)
	}
}

func TestWhatIfCommandBadInput(t *testing.T) {
	for _, c := range []struct {
		name string
		args []string
		msg  string
	}{
		{"no sweep", []string{"--out", "x"}, "at least one sweep"},
		{"bad range", []string{"--cadence", "4:1:1", "--out", "x"}, "FROM <= TO"},
		{"no family", []string{"--draw-size", "1000:2000:500", "--out", "x"}, "FAMILY=FROM:TO:STEP"},
		{"absent family", []string{"--draw-size", "agriculture=1000:2000:500", "--horizon", "30d", "--out", "x"}, "no agriculture round"},
		{"mix range", []string{"--mix", "0:2:1", "--out", "x"}, "want 0 to 1"},
		{"both candidates", []string{"--mix", "0:0.5:0.5", "--score", "500", "--programs", "CEC", "--profile", "p.json", "--out", "x"}, "exactly one"},
		{"bad horizon", []string{"--mix", "0:0.5:0.5", "--horizon", "soon", "--out", "x"}, "horizon"},
		{"no out", []string{"--mix", "0:0.5:0.5"}, "--out"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, _, stderr := runWhatIfCmd(t, c.args...)
			if code != 2 || !strings.Contains(stderr, c.msg) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, stderr, c.msg)
			}
		})
	}
}
