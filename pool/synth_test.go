package pool_test

import (
	"math"
	"testing"
	"time"

	"github.com/eesim/eesim/data"
	"github.com/eesim/eesim/draws"
	"github.com/eesim/eesim/pool"
)

// dec2025 are the band counts of the snapshot of 2025-12-14 (round #388 in
// IRCC's feed: dd1, dd2, dd4..dd8, dd10..dd14, dd15..dd17).
var dec2025 = [data.NumBands]int{390, 21792, 12315, 12149, 14859, 14535, 14842, 13992, 14244, 12750, 12367, 13595, 52574, 18829, 8069}

func testModel() *pool.Model {
	m := &pool.Model{TopFloor: 720, TopScale: 120, CategoryPersist: 1}
	m.Tilt[1] = 0.05
	for b := range m.CEC {
		m.CEC[b], m.FSW[b], m.FST[b] = 0.5, 0.7, 0.03
	}
	m.Nominated[0] = 1
	var fr [data.NumBands]float64
	for b := range fr {
		fr[b] = 0.05
	}
	m.Categories = []pool.CategoryShare{{Key: "french", Share: fr}}
	return m
}

func TestSynthBandCountsAndDrains(t *testing.T) {
	at := time.Date(2025, 12, 14, 12, 0, 0, 0, time.UTC)
	reg := pool.NewRegistry(pool.DefaultCategories...)
	// Two earlier rounds: a CEC round of 2025-12-10 at 520 (tie-break
	// 2025-07-15) and a French round of 2025-11-28 at 408.
	cec := draws.Round{Type: data.Program, Programs: data.CEC}
	frBit, _ := reg.Lookup("french")
	fr := draws.Round{Type: data.Category, Categories: frBit}
	okCEC, _ := draws.Compile(cec, draws.DefaultRules)
	okFR, catsFR := draws.Compile(fr, draws.DefaultRules)
	cecAt := time.Date(2025, 12, 10, 12, 30, 0, 0, time.UTC)
	cecTie := time.Date(2025, 7, 15, 17, 30, 33, 0, time.UTC)
	frAt := time.Date(2025, 11, 28, 11, 41, 0, 0, time.UTC)
	spec := &pool.SynthSpec{Counts: dec2025, At: at, Model: testModel(), Registry: reg, Drains: []pool.Drain{
		{At: cecAt.Unix(), Cutoff: 520, TieBreak: cecTie.Unix(), Eligible: okCEC},
		{At: frAt.Unix(), Cutoff: 408, Eligible: okFR, Cats: catsFR},
	}}
	sy, err := pool.NewSynthesizer(spec)
	if err != nil {
		t.Fatal(err)
	}
	p := pool.New(300000)
	sy.Build(p, pool.NewRand(1, 2))
	if got := p.BandCounts(); got != dec2025 {
		t.Fatalf("band counts %v, want the snapshot's %v", got, dec2025)
	}
	floor := at.Add(-pool.Validity)
	prev := time.Time{}
	for id := pool.ID(0); int(id) < p.Len(); id++ {
		c := p.Get(id)
		if c.Submitted.Before(floor) || c.Submitted.After(at) {
			t.Fatalf("candidate %d submitted %s, outside the 12 months before %s", id, c.Submitted, at)
		}
		if c.Submitted.Before(prev) {
			t.Fatalf("candidate %d out of submission order", id)
		}
		prev = c.Submitted
		// Nobody the CEC round would have invited can still be there
		// with an older profile.
		if draws.Eligible(c, cec, draws.DefaultRules) {
			if c.Score > 520 && c.Submitted.Before(cecAt) {
				t.Fatalf("CEC candidate at %d submitted %s, before the CEC round at 520", c.Score, c.Submitted)
			}
			if c.Score == 520 && !c.Submitted.After(cecTie) {
				t.Fatalf("CEC candidate at the cutoff submitted %s, at or before the tie-break", c.Submitted)
			}
		}
		if draws.Eligible(c, fr, draws.DefaultRules) && c.Score >= 408 && c.Submitted.Before(frAt) {
			t.Fatalf("French candidate at %d submitted %s, before the French round at 408", c.Score, c.Submitted)
		}
		if c.Nominated != (c.Score > 600) {
			t.Fatalf("candidate at %d nominated=%v: only nominees score above 600", c.Score, c.Nominated)
		}
	}
}

func TestArrivalRateUndrained(t *testing.T) {
	// With no round to drain it, every candidate can stay the full 12
	// months, so a band of n candidates stands for n arrivals a year
	// (rate = sum of 1/W = n / 365 days).
	at := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	var counts [data.NumBands]int
	counts[12] = 36500 // 351-400
	counts[14] = 7300  // 0-300
	spec := &pool.SynthSpec{Counts: counts, At: at, Model: testModel(), Registry: pool.NewRegistry(pool.DefaultCategories...)}
	sy, err := pool.NewSynthesizer(spec)
	if err != nil {
		t.Fatal(err)
	}
	p := pool.New(50000)
	sy.Build(p, pool.NewRand(3, 4))
	am := sy.ArrivalModel()
	year := pool.Validity.Seconds()
	for b, want := range map[int]float64{12: 36500 / year, 14: 7300 / year, 0: 0} {
		if math.Abs(am.Rate[b]-want) > 1e-9*math.Max(want, 1) {
			t.Errorf("band %d: rate %g per second, want %g", b, am.Rate[b], want)
		}
	}
	// Generating 30 days adds about 3,600 profiles (43,800 a year / 365 * 30);
	// Poisson sd 60, so 5 sd is 300.
	before := p.Len()
	n, _ := am.Generate(p, at.Unix(), at.Add(30*24*time.Hour).Unix(), pool.NewRand(5, 6), nil)
	if n != p.Len()-before || math.Abs(float64(n)-3600) > 300 {
		t.Errorf("30 days of arrivals: %d (pool grew by %d), want about 3600", n, p.Len()-before)
	}
}
