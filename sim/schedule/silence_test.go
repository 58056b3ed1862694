package schedule

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/eesim/eesim/data"
)

// TestKaplanMeier works the estimate by hand. Waits 10, 20 (censored),
// 30, 30 and 40 (censored): at 10, 1 of 5 ends: S = 4/5; 20 leaves the
// risk set; at 30, 2 of 3 end: S = 4/5 × 1/3 = 4/15; 40 is censored, so
// the curve stays at 4/15 past it.
func TestKaplanMeier(t *testing.T) {
	s := kaplanMeier([]int{30, 20, 10, 40, 30}, []bool{true, false, true, false, true})
	if len(s.T) != 2 || s.T[0] != 10 || s.T[1] != 30 || math.Abs(s.S[0]-0.8) > 1e-15 || math.Abs(s.S[1]-4.0/15) > 1e-15 || s.N != 5 {
		t.Fatalf("curve %+v, want S(10)=4/5, S(30)=4/15", s)
	}
	for _, tc := range []struct {
		t    int
		want float64
	}{{0, 1}, {9, 1}, {10, 0.8}, {29, 0.8}, {30, 4.0 / 15}, {1000, 4.0 / 15}} {
		if got := s.At(tc.t); math.Abs(got-tc.want) > 1e-15 {
			t.Errorf("At(%d) = %v, want %v", tc.t, got, tc.want)
		}
	}
	// Draw: u in [0.8, 1) gives 10, [4/15, 0.8) gives 30, below 4/15 no
	// end (-1). Over many draws the shares follow.
	rng := rand.New(rand.NewPCG(1, 2))
	n := map[int]int{}
	const draws = 30000
	for range draws {
		n[s.Draw(rng)]++
	}
	for w, want := range map[int]float64{10: 0.2, 30: 0.8 - 4.0/15, -1: 4.0 / 15} {
		got := float64(n[w]) / draws
		if math.Abs(got-want) > 4*math.Sqrt(want*(1-want)/draws) {
			t.Errorf("share of wait %d: %.4f, want %.4f", w, got, want)
		}
	}
}

// TestSilencesOf works the waits by hand. FST rounds on 2023-01-10 and
// 2023-06-20, start 2023-09-01. From 2023-02-01 to 2023-06-01 (5 firsts of
// the month) the next round is 2023-06-20: waits 139, 111, 80, 50, 19
// days; from 2023-07-01 and 2023-08-01 there is none before the start:
// censored at 62 and 31 days. Every one of those days has 1 or 2 rounds
// in the year before: the sparse class. No family is frequent.
func TestSilencesOf(t *testing.T) {
	fst := func(d string) data.Round {
		day, _ := time.Parse(time.DateOnly, d)
		return data.Round{Type: data.Program, Programs: data.FST, Date: day, Instant: day.Add(14 * time.Hour)}
	}
	start := time.Date(2023, 9, 1, 0, 0, 0, 0, time.UTC)
	sl := SilencesOf([]data.Round{fst("2023-01-10"), fst("2023-06-20"), fst("2023-09-05")}, start)
	want := kaplanMeier([]int{139, 111, 80, 50, 19, 62, 31}, []bool{true, true, true, true, true, false, false})
	if sl.Frequent.N != 0 || sl.Sparse.N != 7 || !equalCurves(sl.Sparse, want) {
		t.Fatalf("silences %+v, want sparse %+v", sl, want)
	}
	// By hand: 7 at risk; 19 ends (6/7), 31 censored, 50 ends (6/7 × 4/5),
	// 62 censored, 80, 111, 139 end with 3, 2, 1 at risk: 0 at 139.
	if s := sl.Sparse.At(50); math.Abs(s-24.0/35) > 1e-15 {
		t.Errorf("S(50) = %v, want 24/35", s)
	}
	if s := sl.Sparse.At(139); s != 0 {
		t.Errorf("S(139) = %v, want 0", s)
	}
}

func equalCurves(a, b Survival) bool {
	if len(a.T) != len(b.T) || a.N != b.N {
		return false
	}
	for i := range a.T {
		if a.T[i] != b.T[i] || math.Abs(a.S[i]-b.S[i]) > 1e-15 {
			return false
		}
	}
	return true
}

// TestApplySilence: a family whose drawn wait is past the horizon loses
// every round; one whose wait is within the cadence (at most PauseGapDays)
// keeps all. The sparse curve here ends every wait at 200 days, the
// frequent one at 10.
func TestApplySilence(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	p := Pauses{
		Silences: Silences{
			Sparse:   Survival{T: []int{200}, S: []float64{0}, N: 1},
			Frequent: Survival{T: []int{10}, S: []float64{0}, N: 1},
		},
		Pace: map[string]int{"fst": 2, "cec": 20},
	}
	var s []ScheduledRound
	for d := 0; d < 300; d += 30 {
		at := start.AddDate(0, 0, d).Add(14 * time.Hour)
		s = append(s, ScheduledRound{Instant: at, Type: data.Program, Programs: data.FST, Size: 500},
			ScheduledRound{Instant: at, Type: data.Program, Programs: data.CEC, Size: 3000})
	}
	got := p.Apply(s, start, rand.New(rand.NewPCG(3, 4)))
	var fst, cec int
	for _, r := range got {
		switch r.Family() {
		case "fst":
			fst++
			if r.Instant.Before(start.AddDate(0, 0, 200)) {
				t.Errorf("fst round on %s, inside its 200-day silence", r.Instant)
			}
		case "cec":
			cec++
		}
	}
	// FST rounds on days 210, 240 and 270 remain; every CEC round stays.
	if fst != 3 || cec != 10 {
		t.Errorf("kept %d fst and %d cec rounds, want 3 and 10", fst, cec)
	}
}
