package sim

import (
	"context"
	"math"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/eesim/eesim/data"
	"github.com/eesim/eesim/pool"
	"github.com/eesim/eesim/sim/schedule"
	"gonum.org/v1/gonum/stat"
)

func TestParseSweep(t *testing.T) {
	for _, c := range []struct {
		kind SweepKind
		spec string
		fam  string
		want []float64
		bad  bool
	}{
		{SweepDrawSize, "CEC=1000:3000:1000", "cec", []float64{1000, 2000, 3000}, false},
		{SweepDrawSize, "french=1,000:2,500:500", "french", []float64{1000, 1500, 2000, 2500}, false},
		{SweepCadence, "1:4:1", "", []float64{1, 2, 3, 4}, false},
		{SweepMix, "0:0.6:0.1", "", []float64{0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6}, false},
		{SweepMix, "0.2:0.2:0.1", "", []float64{0.2}, false},
		{SweepDrawSize, "1000:3000:1000", "", nil, true},  // no family
		{SweepDrawSize, "CEC=0:1000:500", "", nil, true},  // size 0
		{SweepDrawSize, "CEC=100:200:0.5", "", nil, true}, // not whole
		{SweepCadence, "0:4:1", "", nil, true},            // cadence 0
		{SweepCadence, "4:1:1", "", nil, true},            // from > to
		{SweepMix, "0:1.2:0.4", "", nil, true},            // share above 1
		{SweepMix, "0:1", "", nil, true},                  // no step
		{SweepMix, "0:1:x", "", nil, true},                // not a number
		{SweepCadence, "1:1000:1", "", nil, true},         // too many points
	} {
		s, err := ParseSweep(c.kind, c.spec)
		if (err != nil) != c.bad {
			t.Errorf("%s %q: err %v, want error %v", c.kind, c.spec, err, c.bad)
			continue
		}
		if !c.bad && (s.Family != c.fam || !slices.Equal(s.Values, c.want)) {
			t.Errorf("%s %q: %q %v, want %q %v", c.kind, c.spec, s.Family, s.Values, c.fam, c.want)
		}
	}
}

func TestSweepApply(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	at := func(d, h int) time.Time { return start.AddDate(0, 0, d).Add(time.Duration(h) * time.Hour) }
	pnp := func(tm time.Time) schedule.ScheduledRound {
		return schedule.ScheduledRound{Instant: tm, Type: data.Program, Programs: data.PNP, Size: 300}
	}
	cec := func(tm time.Time) schedule.ScheduledRound {
		return schedule.ScheduledRound{Instant: tm, Type: data.Program, Programs: data.CEC, Size: 3000}
	}
	fr := func(tm time.Time) schedule.ScheduledRound {
		return schedule.ScheduledRound{Instant: tm, Type: data.Category, CategoryKey: "french", Version: "2026-1", Size: 6000}
	}
	// Two draw weeks: (PNP Mon, CEC Tue, French Wed) and (PNP, CEC); then
	// a third week of two CEC rounds.
	base := []schedule.ScheduledRound{pnp(at(4, 14)), cec(at(5, 15)), fr(at(6, 16)),
		pnp(at(18, 14)), cec(at(19, 15)), cec(at(33, 15)), cec(at(35, 15))}
	orig := slices.Clone(base)
	end := start.AddDate(0, 2, 0)

	sw := Sweep{Kind: SweepDrawSize, Family: "cec"}
	got, err := sw.Apply(base, 5000, start, end)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range got {
		want := base[i].Size
		if r.Family() == "cec" {
			want = 5000
		}
		if r.Size != want {
			t.Errorf("draw-size: round %d size %d, want %d", i, r.Size, want)
		}
	}
	if _, err := (Sweep{Kind: SweepDrawSize, Family: "stem"}).Apply(base, 5000, start, end); err == nil {
		t.Errorf("draw-size of a family with no round: no error")
	}

	// Cadence 2 in a 2-month horizon (60.875 days... 59 days from
	// 2026-01-01 to 2026-03-01): weeks every 365.25/24 = 15.22 days, the
	// first at 7.61 days (2026-01-08), then 22.83 (01-23), 38.05 (02-08),
	// 53.27 (02-23); 68.5 is past the end. The weeks cycle: 1, 2, 3, 1.
	got, err = Sweep{Kind: SweepCadence}.Apply(base, 2, start, end)
	if err != nil {
		t.Fatal(err)
	}
	want := []schedule.ScheduledRound{
		pnp(at(7, 14)), cec(at(8, 15)), fr(at(9, 16)),
		pnp(at(22, 14)), cec(at(23, 15)),
		cec(at(38, 15)), cec(at(40, 15)),
		pnp(at(53, 14)), cec(at(54, 15)), fr(at(55, 16)),
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("cadence 2:\n got %v\nwant %v", got, want)
	}

	// Mix: 5 non-PNP rounds (4 CEC, 1 French). 0.6 → 3 category rounds:
	// 2 of the 4 CEC rounds become French, at floor(0.5·4/2) = 1 and
	// floor(1.5·4/2) = 3 of the CEC rounds: base[4] and base[6].
	got, err = Sweep{Kind: SweepMix}.Apply(base, 0.6, start, end)
	if err != nil {
		t.Fatal(err)
	}
	wantFam := []string{"pnp", "cec", "french", "pnp", "french", "cec", "french"}
	for i, r := range got {
		if r.Family() != wantFam[i] || r.Size != base[i].Size || !r.Instant.Equal(base[i].Instant) {
			t.Errorf("mix 0.6: round %d %s size %d, want %s size %d", i, r.Family(), r.Size, wantFam[i], base[i].Size)
		}
	}
	if got[4].Version != "2026-1" {
		t.Errorf("mix 0.6: converted round has version %q", got[4].Version)
	}
	// 0 → no category round: the French round takes the most common
	// other type, a CEC program round.
	got, _ = Sweep{Kind: SweepMix}.Apply(base, 0, start, end)
	if got[2].Family() != "cec" || got[2].CategoryKey != "" {
		t.Errorf("mix 0: round 2 is %s %+v", got[2].Family(), got[2])
	}
	if !reflect.DeepEqual(base, orig) {
		t.Errorf("Apply modified its base schedule")
	}
	if _, err := (Sweep{Kind: SweepMix}).Apply(base[3:], 0.5, start, end); err == nil {
		t.Errorf("mix up with no category round to copy: no error")
	}
}

// TestWhatIfMatchesProject: without a candidate, the cutoffs of a sweep
// of one point are those of Project on the swept schedule with the same
// seed (with more points, the points share the lowest of their guesses,
// which Project on one schedule does not see); the quantiles are
// recomputed here from Project's rows.
func TestWhatIfMatchesProject(t *testing.T) {
	f := newOddsFixture(t, 45*24*time.Hour)
	cfg := WhatIfConfig{
		Config: Config{Start: f.start, Schedule: f.sched, Runs: 3, Seed: 3, Workers: 2, Settings: DefaultSettings(DefaultModel())},
		End:    f.start.Add(45 * 24 * time.Hour),
		Sweeps: []Sweep{{Kind: SweepDrawSize, Family: "cec", Values: []float64{2500}}},
	}
	pts, err := WhatIf(context.Background(), f.rounds, cfg, pool.NewRegistry(pool.DefaultCategories...), nil)
	if err != nil {
		t.Fatal(err)
	}
	sched := slices.Clone(f.sched)
	if err := schedule.ApplySizeOverrides(sched, map[string]int{"cec": 2500}); err != nil {
		t.Fatal(err)
	}
	c := cfg.Config
	c.Schedule = sched
	rows, err := Project(context.Background(), f.rounds, c, pool.NewRegistry(pool.DefaultCategories...), nil)
	if err != nil {
		t.Fatal(err)
	}
	byFam := map[string][]float64{}
	for _, r := range rows {
		if r.Cutoff >= 0 {
			byFam[r.Family] = append(byFam[r.Family], float64(r.Cutoff))
		}
	}
	if len(pts) != 1 || len(pts[0].Families) != len(byFam) || !math.IsNaN(pts[0].PInvited) {
		t.Fatalf("points %+v, want one with %d families and no candidate", pts, len(byFam))
	}
	for _, fc := range pts[0].Families {
		x := byFam[fc.Family]
		slices.Sort(x)
		want := [3]float64{stat.Quantile(0.1, stat.Empirical, x, nil), stat.Quantile(0.5, stat.Empirical, x, nil), stat.Quantile(0.9, stat.Empirical, x, nil)}
		if got := [3]float64{fc.P10, fc.P50, fc.P90}; got != want || fc.N != len(x) {
			t.Errorf("%s: %v (n %d), from Project %v (n %d)", fc.Family, got, fc.N, want, len(x))
		}
	}
}

// TestWhatIfDrawSizeMonotone: with declines off, a larger CEC round
// leaves every later pool a subset of the smaller round's (see WhatIf),
// so in every run every round's cutoff is lower or equal: each quantile of
// each family can only fall, exactly (the observations pair up run by run
// and round by round as long as no round invites nobody, checked by N).
func TestWhatIfDrawSizeMonotone(t *testing.T) {
	f := newOddsFixture(t, 60*24*time.Hour)
	set := DefaultSettings(DefaultModel())
	set.DeclineShare = 0
	cfg := WhatIfConfig{
		Config: Config{Start: f.start, Schedule: f.sched, Runs: 3, Seed: 5, Workers: 2, Settings: set},
		End:    f.start.Add(60 * 24 * time.Hour),
		Sweeps: []Sweep{{Kind: SweepDrawSize, Family: "cec", Values: []float64{500, 2000, 6000}}},
	}
	pts, err := WhatIf(context.Background(), f.rounds, cfg, pool.NewRegistry(pool.DefaultCategories...), nil)
	if err != nil {
		t.Fatal(err)
	}
	cecFell := false
	for i := 1; i < len(pts); i++ {
		for k, fc := range pts[i].Families {
			pc := pts[i-1].Families[k]
			if fc.Family != pc.Family || fc.N != pc.N {
				t.Fatalf("%s: points do not pair up: %+v vs %+v", fc.Family, fc, pc)
			}
			if fc.P10 > pc.P10 || fc.P50 > pc.P50 || fc.P90 > pc.P90 {
				t.Errorf("%s at CEC size %g: %g/%g/%g, above %g/%g/%g at %g", fc.Family, pts[i].Value,
					fc.P10, fc.P50, fc.P90, pc.P10, pc.P50, pc.P90, pts[i-1].Value)
			}
			if fc.Family == "cec" && fc.P50 < pc.P50 {
				cecFell = true
			}
		}
	}
	if !cecFell {
		t.Errorf("the CEC median never fell from size 500 to 6000: the test shows nothing")
	}
}

// TestWhatIfCandidate: at the base schedule, a point's probability equals
// Odds' probability of an invitation within the horizon: the same runs,
// counted by two paths.
func TestWhatIfCandidate(t *testing.T) {
	f := newOddsFixture(t, 45*24*time.Hour)
	cand := Candidate{Score: 512, Programs: data.CEC, Submitted: f.start.AddDate(0, -1, 0)}
	oc := f.config(4, 2, cand)
	res := f.odds(t, oc)
	pt, err := whatIfPoint(context.Background(), f.rounds, WhatIfConfig{Config: oc.Config, Candidate: &cand}, f.sched,
		pool.NewRegistry(pool.DefaultCategories...), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := res.ProbabilityBy(f.start.AddDate(1, 0, 0))
	if pt.PInvited != want.P || pt.PLo != want.Lo || pt.PHi != want.Hi {
		t.Errorf("what-if P %v [%v, %v], Odds %v [%v, %v]", pt.PInvited, pt.PLo, pt.PHi, want.P, want.Lo, want.Hi)
	}
}
