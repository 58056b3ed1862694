package schedule

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/eesim/eesim/data"
)

var pauseDay0 = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

func pauseRound(fam data.Programs, day int) data.Round {
	d := pauseDay0.AddDate(0, 0, day)
	return data.Round{Type: data.Program, Programs: fam, Date: d, Instant: d.Add(14 * time.Hour)}
}

// TestPausesOf works the estimate by hand. CEC rounds on days 0, 14, 28
// and 200, start on day 214: gaps 14, 14, 172 (a pause) and 14 still
// open, active 14 + 14 + 90 + 14 = 132 days. PNP rounds on days 0 and 100:
// gaps 100 and 114 open, both pauses, active 90 + 90 = 180 days. Pooled:
// 3 pauses in 312 days. A round on the start day is not before the start
// and does not count.
func TestPausesOf(t *testing.T) {
	rounds := []data.Round{
		pauseRound(data.CEC, 0), pauseRound(data.PNP, 0), pauseRound(data.CEC, 14), pauseRound(data.CEC, 28),
		pauseRound(data.PNP, 100), pauseRound(data.CEC, 200), pauseRound(data.CEC, 214),
	}
	start := pauseDay0.AddDate(0, 0, 214)
	p := PausesOf(rounds, start)
	pooled := 3.0 / 312
	if math.Abs(p.Pooled-pooled) > 1e-15 {
		t.Errorf("pooled rate %v, want 3/312", p.Pooled)
	}
	want := map[string]float64{
		"cec": (1 + pooled*365) / (132 + 365),
		"pnp": (2 + pooled*365) / (180 + 365),
	}
	for f, w := range want {
		if math.Abs(p.Rate[f]-w) > 1e-15 {
			t.Errorf("%s rate %v, want %v", f, p.Rate[f], w)
		}
	}
	if !slices.Equal(p.Lengths, []int{172, 100, 114}) {
		t.Errorf("lengths %v, want [172 100 114]", p.Lengths)
	}
	if q := PausesOf(rounds[:4], pauseDay0.AddDate(0, 0, 40)); len(q.Lengths) != 0 || q.Pooled != 0 {
		t.Errorf("no gap over 90 days: %+v, want no pause", q)
	}
}

// TestPausesApply: one family with a round every day for 60 days, pauses
// at rate 0.2 a day, each 30 days long. A pause starting at a fractional
// instant t drops the 30 daily rounds in [t, t+30 days), so the dropped
// days come in holes of a multiple of 30 (pauses back to back) unless cut
// by the horizon's end; and the first round (day 1) is dropped exactly
// when the first pause starts before it: probability 1 - exp(-0.2).
func TestPausesApply(t *testing.T) {
	start := pauseDay0
	var s []ScheduledRound
	for d := 1; d <= 60; d++ {
		s = append(s, ScheduledRound{Instant: start.AddDate(0, 0, d), Type: data.Program, Programs: data.CEC, Size: 100})
	}
	p := Pauses{Rate: map[string]float64{"cec": 0.2}, Pooled: 0.2, Lengths: []int{30}}
	rng := rand.New(rand.NewPCG(1, 2))
	const n = 5000
	firstDropped := 0
	for range n {
		out := p.Apply(s, start, rng)
		kept := map[int]bool{}
		for _, r := range out {
			kept[int(r.Instant.Sub(start)/day)] = true
		}
		for d := 1; d <= 60; {
			if kept[d] {
				d++
				continue
			}
			e := d
			for e <= 60 && !kept[e] {
				e++
			}
			if (e-d)%30 != 0 && e <= 60 {
				t.Fatalf("dropped days %d..%d: a hole of %d, want a multiple of 30", d, e-1, e-d)
			}
			d = e
		}
		if !kept[1] {
			firstDropped++
		}
	}
	want := -math.Expm1(-0.2) // a pause starts before day 1: 1 - exp(-rate × 1 day)
	got := float64(firstDropped) / n
	if se := math.Sqrt(want * (1 - want) / n); math.Abs(got-want) > 4*se {
		t.Errorf("first round dropped in %.4f of schedules, want %.4f ± %.4f", got, want, 4*se)
	}
	// No pause in the record: the schedule is untouched.
	if out := (Pauses{}).Apply(s, start, rng); len(out) != len(s) {
		t.Errorf("no pauses: %d rounds of %d kept", len(out), len(s))
	}
}
