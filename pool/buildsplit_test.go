package pool

import (
	"math"
	"sort"
	"testing"
	"time"

	"github.com/eesim/eesim/data"
	"gonum.org/v1/gonum/stat"
)

// TestSplitBuildMatchesOneByOne builds the same synthetic pool two ways:
// split by status and window (buildSplit, its ghosts and dormant made
// candidates), and one candidate at a time with the class drawn by
// rejection (rejectClass, the path of models with many categories). Per
// band and status (live, dormant, ghost), the counts, the mean score and
// the mean age must agree within sampling noise; and the arrival rate the
// split computes (an expectation) must agree with the sum over the
// candidates of each one-by-one build.
func TestSplitBuildMatchesOneByOne(t *testing.T) {
	at := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	reg := NewRegistry(DefaultCategories...)
	fr, _ := reg.Lookup("french")
	day := int64(86400)
	all := [16]bool{}
	cec := [16]bool{}
	for a := range all {
		all[a] = true
		cec[a] = a&int(data.CEC) != 0
	}
	drains := []Drain{
		{At: at.Unix() - 300*day, Cutoff: 481, Eligible: all},
		{At: at.Unix() - 40*day, TieBreak: at.Unix() - 60*day, Cutoff: 521, Eligible: cec},
		{At: at.Unix() - 12*day, TieBreak: at.Unix() - 100*day, Cutoff: 547, Eligible: cec},
		{At: at.Unix() - 20*day, Cutoff: 410, Eligible: all, Cats: fr},
	}
	m, counts, live, guess := splitFixture(reg)

	type cell struct{ n, score, age []float64 }
	const builds = 12
	run := func(oneByOne bool) (tally [data.NumBands][3]cell, inflow [data.NumBands][]float64) {
		sy, err := NewSynthesizer(&SynthSpec{Counts: counts, At: at, Model: m, Registry: reg, Drains: drains})
		if err != nil {
			t.Fatal(err)
		}
		sy.noMix = oneByOne
		sy.SetLive(live)
		sy.SetGuess(guess)
		sy.MaterializeGhosts(true)
		p := New(0)
		for i := range builds {
			sy.Build(p, NewRand(uint64(i), map[bool]uint64{true: 1, false: 2}[oneByOne]))
			var n [data.NumBands][3]float64
			for id := ID(0); int(id) < p.Len(); id++ {
				s, a, cats := p.Score(id), p.Attr(id), p.Cats(id)
				b := data.BandOf(s)
				st := statGhost
				switch {
				case guess.Of(a, cats, s):
					st = statLive
				case live.Of(a, cats, s):
					st = statDormant
				}
				n[b][st]++
				c := &tally[b][st]
				c.score = append(c.score, float64(s))
				c.age = append(c.age, float64(at.Unix()-p.Submitted(id))/float64(day))
			}
			rate := sy.ArrivalModel().Rate
			for b := range n {
				for st := range n[b] {
					tally[b][st].n = append(tally[b][st].n, n[b][st])
				}
				inflow[b] = append(inflow[b], rate[b])
			}
		}
		return tally, inflow
	}
	split, inflowSplit := run(false)
	whole, inflowWhole := run(true)
	// agree compares the means of two samples, within 4.5 standard errors
	// (and a little slack for samples without spread).
	agree := func(what string, b int, x, y []float64, slack float64) {
		t.Helper()
		if len(x) < 2 || len(y) < 2 {
			if len(x)+len(y) > 10 {
				t.Errorf("band %d %s: %d and %d values", b, what, len(x), len(y))
			}
			return
		}
		mx, sx := stat.MeanStdDev(x, nil)
		my, sy := stat.MeanStdDev(y, nil)
		se := math.Sqrt(sx*sx/float64(len(x)) + sy*sy/float64(len(y)))
		if math.Abs(mx-my) > 4.5*se+slack {
			t.Errorf("band %d-%d %s: %.4g split, %.4g one by one (4.5 se %.3g)", data.BandEdges[b].Low, data.BandEdges[b].High, what, mx, my, 4.5*se)
		}
	}
	statName := [3]string{"live", "dormant", "ghost"}
	for b := range data.NumBands {
		for st := range 3 {
			x, y := split[b][st], whole[b][st]
			agree(statName[st]+" count", b, x.n, y.n, 0.5)
			agree(statName[st]+" mean score", b, x.score, y.score, 0.01)
			agree(statName[st]+" mean age (days)", b, x.age, y.age, 0.01)
		}
		agree("inflow", b, inflowSplit[b], inflowWhole[b], 1e-12)
	}
	// The test must see every status, and windows cut short by the drains.
	for st, b := range [3]int{1, 4, 13} {
		if stat.Mean(split[b][st].n, nil) < 100 {
			t.Fatalf("band %d: only %v %s candidates: the test would prove little", b, split[b][st].n, statName[st])
		}
	}
	if got := stat.Mean(split[1][statLive].age, nil); got > 150 {
		t.Fatalf("band 501-600: live candidates %.0f days old on average: the drains do not shorten windows", got)
	}
}

// splitFixture is the synthetic pool of the split tests: a model with
// French and healthcare, band counts, the live candidates of CEC and
// French rounds and of PNP rounds, and a guess above them for CEC.
func splitFixture(reg *Registry) (m *Model, counts [data.NumBands]int, live, guess *Live) {
	fr, _ := reg.Lookup("french")
	m = &Model{CategoryPersist: 0.5}
	for b := range data.NumBands {
		m.CEC[b], m.FSW[b], m.FST[b], m.Nominated[b] = 0.5, 0.6, 0.05, 0.02
		m.Tilt[b] = 0.01
	}
	m.Nominated[0] = 0.9
	m.Categories = []CategoryShare{{Key: "french", Share: flatShare(0.1)}, {Key: "healthcare", Share: flatShare(0.05)}}
	counts = [data.NumBands]int{1500, 9000, 6000, 7000, 7000, 7000, 6500, 6000, 6000, 5500, 5000, 5000, 15000, 6000, 2000}
	live = &Live{}
	live.Open(uint8(data.CEC), 0, 470)
	live.Open(uint8(data.CEC|data.FSW), 0, 470)
	live.Open(uint8(data.FSW), fr, 380)
	live.Open(uint8(data.CEC|data.FSW), fr, 380)
	for a := range 8 {
		live.Open(uint8(a)|uint8(data.PNP), 0, 600)
	}
	g := *live
	g.Floor[data.CEC], g.Floor[data.CEC|data.FSW] = 500, 500
	return m, counts, live, &g
}

func flatShare(v float64) (s [data.NumBands]float64) {
	for b := range s {
		s[b] = v
	}
	return s
}

// TestScoreInMatchesSearch checks scoreIn's guided inverse against a
// binary search of the cumulated arrival density, on random segments of
// every band and random u, edges included.
func TestScoreInMatchesSearch(t *testing.T) {
	m := &Model{}
	for b := range data.NumBands {
		m.Tilt[b], m.Curve[b] = 0.02*float64(b%4)-0.02, 0.0005*float64(b%3)
	}
	sy, err := NewSynthesizer(&SynthSpec{At: time.Unix(0, 0), Model: m, Registry: NewRegistry(DefaultCategories...)})
	if err != nil {
		t.Fatal(err)
	}
	rng := NewRand(3, 4)
	for b, e := range data.BandEdges {
		cum := sy.arrCum[b]
		for range 2000 {
			lo := e.Low + int(rng.Uint64()%uint64(e.High-e.Low+1))
			hi := lo + int(rng.Uint64()%uint64(e.High-lo+1))
			u := rng.Float64()
			switch rng.Uint64() % 10 {
			case 0:
				u = 0
			case 1:
				u = math.Nextafter(1, 0)
			}
			g := segment{lo: int16(lo), hi: int16(hi)}
			below := 0.0
			if lo > e.Low {
				below = cum[lo-1-e.Low]
			}
			top := cum[hi-e.Low]
			if !(top > below) {
				continue // no density left in the segment: scoreIn spreads it uniformly
			}
			x := below + u*(top-below)
			want := lo + sort.Search(hi-lo, func(i int) bool { return cum[lo-e.Low+i] > x })
			if got := sy.scoreIn(b, &g, u); got != want {
				t.Fatalf("band %d, segment %d-%d, u %v: score %d, binary search %d", b, lo, hi, u, got, want)
			}
		}
	}
}
