package sim

import (
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/eesim/eesim/data"
)

// TestBrierLogLossReliability checks the scores on four forecasts worked
// by hand: p = 0, 0.25, 0.5, 1 of events that did not, did, did, did
// happen.
func TestBrierLogLossReliability(t *testing.T) {
	p := []float64{0, 0.25, 0.5, 1}
	y := []bool{false, true, true, true}
	// (0² + 0.75² + 0.5² + 0²) / 4
	if got, want := Brier(p, y), (0.5625+0.25)/4; math.Abs(got-want) > 1e-12 {
		t.Errorf("Brier %v, want %v", got, want)
	}
	// 0 and 1 are clipped to 0.001 and 0.999: each costs -ln 0.999.
	want := (-2*math.Log(0.999) - math.Log(0.25) - math.Log(0.5)) / 4
	if got := LogLoss(p, y); math.Abs(got-want) > 1e-12 {
		t.Errorf("LogLoss %v, want %v", got, want)
	}
	if !math.IsNaN(Brier(nil, nil)) || !math.IsNaN(LogLoss(nil, nil)) {
		t.Error("scores of no forecasts should be NaN")
	}
	bins := Reliability(p, y, 10)
	if len(bins) != 10 {
		t.Fatalf("%d bins", len(bins))
	}
	type cell struct {
		n         int
		mean, obs float64
	}
	wantBins := map[int]cell{0: {1, 0, 0}, 2: {1, 0.25, 1}, 5: {1, 0.5, 1}, 9: {1, 1, 1}}
	for i, b := range bins {
		if math.Abs(b.Lo-float64(i)/10) > 1e-12 || math.Abs(b.Hi-float64(i+1)/10) > 1e-12 {
			t.Errorf("bin %d: [%v, %v)", i, b.Lo, b.Hi)
		}
		w, ok := wantBins[i]
		switch {
		case !ok && (b.N != 0 || !math.IsNaN(b.MeanP) || !math.IsNaN(b.Observed)):
			t.Errorf("bin %d: %+v, want empty", i, b)
		case ok && (b.N != w.n || b.MeanP != w.mean || b.Observed != w.obs):
			t.Errorf("bin %d: %+v, want %+v", i, b, w)
		}
	}
}

// TestScoreOdds checks the per-family lines, the overall line and the
// count of certain forecasts.
func TestScoreOdds(t *testing.T) {
	rows := []data.OddsBacktestRow{
		{Family: "cec", P: 1, Naive: 1, Invited: true},
		{Family: "cec", P: 0.5, Naive: 0, Invited: false},
		{Family: "pnp", P: 0, Naive: 1, Invited: true, Decided: true},
	}
	s := ScoreOdds(rows)
	if len(s) != 3 || s[0].Family != "cec" || s[1].Family != "pnp" || s[2].Family != "all" {
		t.Fatalf("lines: %+v", s)
	}
	cec, all := s[0], s[2]
	if cec.N != 2 || cec.Brier != 0.125 || cec.NaiveBrier != 0 || cec.Invited != 0.5 || cec.Exact != 1 || cec.Undecided != 1 {
		t.Errorf("cec: %+v", cec)
	}
	// All: eesim (0 + 0.25 + 1) / 3, naive (0 + 0 + 0) / 3; the pnp zero
	// is decided by the rules.
	if all.N != 3 || math.Abs(all.Brier-1.25/3) > 1e-12 || all.NaiveBrier != 0 || all.Exact != 2 || all.Undecided != 1 {
		t.Errorf("all: %+v", all)
	}
}

// TestForecastRunsDiffer checks the forecast on runs whose rounds differ
// in number and dates, rows out of order: run 0 invites the CEC candidate
// (score 500) on 2025-01-20, run 1 on 2025-02-20 (its January round is
// above 500), run 2 never (no CEC round), run 3 never (no round at all:
// it still counts).
func TestForecastRunsDiffer(t *testing.T) {
	row := func(run int32, when, fam string, cutoff int32) data.RunRow {
		return data.RunRow{Run: run, Instant: ts(when), Family: fam, Invited: 100, Cutoff: cutoff, TieBreak: ts("2024-12-31")}
	}
	rows := []data.RunRow{
		row(1, "2025-02-20", "cec", 495), row(0, "2025-01-20", "cec", 490),
		row(1, "2025-01-20", "cec", 510), row(2, "2025-01-10", "pnp", 700),
		row(0, "2025-02-20", "cec", 480), row(1, "2025-03-20", "cec", 470),
	}
	runs := runRounds(rows, 4) // run 3 held no round at all
	if len(runs) != 4 || len(runs[3]) != 0 || len(runs[0]) != 2 || len(runs[1]) != 3 || len(runs[2]) != 1 || runs[1][0].Cutoff != 510 {
		t.Fatalf("runRounds: %+v", runs)
	}
	start := ts("2025-01-01")
	by := []time.Time{ts("2025-02-01"), ts("2025-03-01"), ts("2025-04-01")}
	iv := newInvitee(Candidate{Score: 500, Programs: data.CEC, Submitted: ts("2024-12-01")})
	inv, dec := iv.forecast(runs, start, by)
	if want := []int{1, 2, 2}; !equalInts(inv, want) {
		t.Errorf("invited %v, want %v", inv, want)
	}
	if dec[0] || dec[1] || dec[2] {
		t.Errorf("decided %v: runs 0 and 1 rank the candidate in January", dec)
	}
	// A nominee is ranked only in run 2's PNP round (cutoff 700).
	nom := newInvitee(Candidate{Score: 650, Programs: data.CEC, Nominated: true, Submitted: ts("2024-12-01")})
	inv, dec = nom.forecast(runs, start, by)
	if !equalInts(inv, []int{0, 0, 0}) || dec[0] {
		t.Errorf("nominee: invited %v decided %v", inv, dec)
	}
	// An FSW-only candidate is ranked in no round of these runs, but a
	// general round, which IRCC may hold, would rank them: the runs say
	// no, the rules do not.
	fsw := newInvitee(Candidate{Score: 900, Programs: data.FSW, Submitted: ts("2024-12-01")})
	inv, dec = fsw.forecast(runs, start, by)
	if !equalInts(inv, []int{0, 0, 0}) || dec[0] || dec[2] {
		t.Errorf("fsw: invited %v decided %v", inv, dec)
	}
	// A candidate who meets no program and holds no nomination can be
	// ranked in no round at all: 0 by the rules. One who meets none from
	// March only is ruled out by February, not by April.
	none := newInvitee(Candidate{Score: 900, Submitted: ts("2024-12-01")})
	if _, dec = none.forecast(runs, start, by); !dec[0] || !dec[2] {
		t.Errorf("no program: decided %v, want all", dec)
	}
	late := newInvitee(Candidate{Score: 900, Submitted: ts("2024-12-01"),
		Changes: []CandidateChange{{From: ts("2025-03-01"), Score: 900, Programs: data.CEC}}})
	if _, dec = late.forecast(runs, start, by); !dec[0] || !dec[1] || dec[2] {
		t.Errorf("program from March: decided %v, want [true true false]", dec)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestCalibrateToMatchesAsOf checks that one calibrator walked forward
// gives, at each start, the model CalibrateAsOf gives from scratch.
func TestCalibrateToMatchesAsOf(t *testing.T) {
	if testing.Short() {
		t.Skip("calibrates on the first rounds with snapshots")
	}
	f, err := data.LoadFeed("")
	if err != nil {
		t.Fatal(err)
	}
	cal := NewCalibrator(DefaultModel(), DefaultCalibration)
	k := 0
	for _, s := range []time.Time{ts("2022-03-01"), ts("2022-06-01")} {
		if k, err = calibrateTo(cal, f.Rounds, k, s); err != nil {
			t.Fatal(err)
		}
		ref, err := CalibrateAsOf(f.Rounds, s, DefaultCalibration)
		if err != nil {
			t.Fatal(err)
		}
		a, _ := json.Marshal(cal.Model())
		b, _ := json.Marshal(ref.Model())
		if string(a) != string(b) || len(cal.Log) != len(ref.Log) {
			t.Errorf("%s: walked model differs from CalibrateAsOf", s.Format(time.DateOnly))
		}
	}
}

// TestOddsBacktestShort runs two starts with few runs and checks the rows
// against the rule applied to the record by hand.
func TestOddsBacktestShort(t *testing.T) {
	if testing.Short() {
		t.Skip("builds synthetic pools")
	}
	f, err := data.LoadFeed("")
	if err != nil {
		t.Fatal(err)
	}
	cfg := DefaultOddsBacktest
	cfg.From, cfg.To, cfg.Runs, cfg.Months = ts("2022-05-15"), ts("2022-07-01"), 3, 2
	cfg.Grid = []GridCandidate{
		{Family: "cec", Programs: data.CEC, Offset: 0, Relative: true, SubmittedDaysBefore: 30},
		{Family: "cec", Programs: data.CEC, Offset: 100, Relative: true, SubmittedDaysBefore: 30},
		{Family: "pnp", Programs: data.FSW, Nominated: true, Score: 1200, SubmittedDaysBefore: 30},
		{Family: "stem", Programs: data.FSW, Categories: []string{"stem"}, Offset: 0, Relative: true, SubmittedDaysBefore: 30},
	}
	res, err := OddsBacktest(context.Background(), f.Rounds, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Starts 2022-06-01 and 2022-07-01; STEM has no round before 2023.
	if len(res.Starts) != 2 || !res.Starts[0].Start.Equal(ts("2022-06-01")) || res.Starts[0].Candidates != 3 {
		t.Fatalf("starts: %+v", res.Starts)
	}
	if len(res.Rows) != 2*3*2 || len(res.Notes) == 0 || !strings.Contains(strings.Join(res.Notes, "\n"), "stem") {
		t.Fatalf("%d rows, notes %q", len(res.Rows), res.Notes)
	}
	real := InviteRoundsOf(f.Rounds)
	for _, r := range res.Rows {
		want := (float64(r.RunsInvited) + 0.5) / 4 // RunShare of 3 runs
		if r.Decided {
			want = 0
		}
		if r.Runs != 3 || r.P != want || !r.By.Equal(r.Start.AddDate(0, r.Month, 0)) {
			t.Errorf("row %+v", r)
		}
		i := FirstInvitation(Candidate{Score: r.Score, Programs: r.Programs, Categories: r.Categories, Nominated: r.Nominated, Submitted: r.Submitted}, real, r.Start)
		if want := i >= 0 && real[i].Instant.Before(r.By); r.Invited != want {
			t.Errorf("row %+v: invited %v, want %v", r, r.Invited, want)
		}
		// The last CEC round before them was #205 (2021-09-14, cutoff
		// 462); the first round after, general #226 (2022-07-06, cutoff
		// 557), invites the CEC candidate at 562 but not the one at 462.
		// Every month of 2022 had a PNP round: the nominee at 1200 is
		// invited within the first month.
		switch {
		case r.Family == "pnp" && (!r.Invited || r.Naive != 1),
			r.Family == "cec" && r.Anchor != 462,
			r.Family == "cec" && r.Score == 462 && r.Invited,
			r.Family == "cec" && r.Score == 562 && (r.Invited != r.By.After(ts("2022-07-06")) || r.Naive != 1):
			t.Errorf("row %+v", r)
		}
	}
}
