package pool_test

import (
	"math"
	"testing"
	"time"

	"github.com/eesim/eesim/data"
	"github.com/eesim/eesim/pool"
)

// TestGhostBatchExpiry adds a day of ghosts as a batch to a pool with cuts
// at a quarter, a half and three quarters of the day, and checks the pool
// counts them and expires them at each cut exactly as the batch's
// instants (from Expand with the same cuts) say: the number gone is the
// number of instants 12 months or more before. Expand must be
// deterministic and give the batch's counts, in order.
func TestGhostBatchExpiry(t *testing.T) {
	const from, day = int64(1_000_000), int64(86400)
	g := pool.GhostBatch{From: from, To: from + day, Seed: 5}
	g.N[3], g.N[7] = 500, 300
	cuts := []int64{from - day, from + day/4, from + day/2, from + 3*day/4, from + 2*day}
	var subs []int64
	var bands []int
	g.Expand(cuts, func(sub int64, b int) { subs = append(subs, sub); bands = append(bands, b) })
	var again int
	g.Expand(cuts, func(sub int64, b int) {
		if sub != subs[again] || b != bands[again] {
			t.Fatalf("Expand gave ghost %d as (%d, %d), then (%d, %d)", again, subs[again], bands[again], sub, b)
		}
		again++
	})
	per := map[int]int{}
	for i, s := range subs {
		if s <= g.From || s > g.To || (i > 0 && s < subs[i-1]) {
			t.Fatalf("ghost %d at %d: outside (%d, %d] or out of order", i, s, g.From, g.To)
		}
		per[bands[i]]++
	}
	if len(subs) != 800 || per[3] != 500 || per[7] != 300 {
		t.Fatalf("Expand gave %d ghosts, %v by band; want 500 in band 3, 300 in band 7", len(subs), per)
	}

	validity := int64(pool.Validity / time.Second)
	check := func(p *pool.Pool, at int64) {
		t.Helper()
		gone := map[int]int{}
		for i, s := range subs {
			if s+validity <= at {
				gone[bands[i]]++
			}
		}
		p.Advance(at)
		c := p.BandCounts()
		if c[3] != 500-gone[3] || c[7] != 300-gone[7] || p.Active() != 800-gone[3]-gone[7] {
			t.Errorf("at %d: bands 3 and 7 hold %d and %d (active %d); want %d and %d", at, c[3], c[7], p.Active(), 500-gone[3], 300-gone[7])
		}
	}
	p := pool.New(0)
	p.SetCuts(cuts)
	p.AddGhostBatch(g)
	if c := p.BandCounts(); p.Active() != 800 || p.Ghosts() != 800 || c[3] != 500 || c[7] != 300 {
		t.Fatalf("after adding: active %d, ghosts %d, bands %v", p.Active(), p.Ghosts(), c)
	}
	if n := p.Advance(from + validity); n != 0 || p.Active() != 800 {
		t.Fatalf("Advance to 12 months after the batch's start expired %d, left %d; want none gone", n, p.Active())
	}
	for _, c := range cuts[1:] {
		check(p, c+validity)
	}
	if p.Active() != 0 {
		t.Errorf("a day after the last could expire, %d ghosts left", p.Active())
	}

	// Between cuts, the pool draws how many of a bucket expired: never
	// fewer than at the cut before, nor more than at the cut after, and
	// on average in proportion to the time.
	mid := from + day/4 + day/8 + validity
	sum := 0.0
	const reps = 400
	for seed := range uint64(reps) {
		g.Seed = seed
		p := pool.New(0)
		p.SetCuts(cuts)
		p.AddGhostBatch(g)
		p.Advance(from + day/4 + validity)
		before := p.Active()
		p.Advance(mid)
		between := p.Active()
		p.Advance(from + day/2 + validity)
		if between > before || between < p.Active() {
			t.Fatalf("seed %d: %d left at a cut, %d an eighth of a day later, %d at the next cut", seed, before, between, p.Active())
		}
		sum += float64(before - between)
	}
	// 800 ghosts, an eighth of a day: 100 expected, sd 9.4 per run.
	if got := sum / reps; math.Abs(got-100) > 4.5*9.4/math.Sqrt(reps) {
		t.Errorf("between cuts, %.1f expired on average, want 100", got)
	}
}

// TestGhostBatchExpiresUniformly checks that a pool expires a batch's
// ghosts as independent uniform instants would: with cuts of unequal
// lengths, the mean number gone at each cut, over many seeds, is the
// batch's count times the share of the span before the cut. Both ways
// of splitting a batch are covered: a binomial per bucket (many ghosts)
// and one instant per ghost (no more ghosts than buckets).
func TestGhostBatchExpiresUniformly(t *testing.T) {
	const from, day = int64(5_000_000), int64(86400)
	validity := int64(pool.Validity / time.Second)
	cuts := []int64{from + day, from + 3*day, from + 4*day, from + 8*day, from + 9*day}
	to := from + 10*day
	for _, n := range []int32{3, 2000} {
		const reps = 600
		gone := make([]float64, len(cuts))
		for seed := range uint64(reps) {
			g := pool.GhostBatch{From: from, To: to, Seed: seed}
			g.N[4] = n
			p := pool.New(0)
			p.SetCuts(cuts)
			p.AddGhostBatch(g)
			for i, c := range cuts {
				p.Advance(c + validity)
				gone[i] += float64(int(n) - p.Active())
			}
		}
		for i, c := range cuts {
			share := float64(c-from) / float64(to-from)
			want := float64(n) * share
			sd := math.Sqrt(float64(n) * share * (1 - share) / reps)
			if got := gone[i] / reps; math.Abs(got-want) > 4.5*sd {
				t.Errorf("%d ghosts: %.2f gone at cut %d on average, want %.2f (4.5 se %.2f)", n, got, i, want, 4.5*sd)
			}
		}
	}
}

// TestSplitArrivalsMatchWhole generates three years of arrivals twice: with a
// Live set, as live candidates drawn one by one and ghost batches, and
// without, every arrival drawn whole. Per band, the live arrivals (those
// Live.Of keeps) and the rest must agree within Poisson noise, and so
// must the live ones holding CEC, and those holding STEM (a category no
// round of the Live set looks at, drawn apart from the class).
func TestSplitArrivalsMatchWhole(t *testing.T) {
	at := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	reg := pool.NewRegistry(pool.DefaultCategories...)
	m := testModel()
	var stemShare [data.NumBands]float64
	for b := range stemShare {
		stemShare[b] = 0.15
	}
	m.Categories = append(m.Categories, pool.CategoryShare{Key: "stem", Share: stemShare})
	spec := &pool.SynthSpec{Counts: dec2025, At: at, Model: m, Registry: reg}
	fr, _ := reg.Lookup("french")
	stem, _ := reg.Lookup("stem")
	live := &pool.Live{}
	live.Open(uint8(data.CEC), 0, 485)
	live.Open(uint8(data.CEC|data.FSW), 0, 485)
	live.Open(uint8(data.FSW), fr, 375)
	live.Open(uint8(data.CEC|data.FSW), fr, 375)
	live.Open(uint8(data.FSW|data.PNP), 0, 600)

	type tally struct{ live, ghost, cec, stem [data.NumBands]float64 }
	run := func(l *pool.Live, seed uint64) tally {
		sy, err := pool.NewSynthesizer(spec)
		if err != nil {
			t.Fatal(err)
		}
		sy.SetLive(l)
		p := pool.New(0)
		sy.Build(p, pool.NewRand(seed, 1))
		before := p.BandCounts()
		ids := p.Len()
		am := sy.ArrivalModel()
		am.Generate(p, at.Unix(), at.Add(3*365*24*time.Hour).Unix(), pool.NewRand(seed, 2), nil)
		var tl tally
		after := p.BandCounts()
		for b := range after {
			tl.ghost[b] = float64(after[b] - before[b])
		}
		for id := pool.ID(ids); int(id) < p.Len(); id++ {
			c := p.Get(id)
			a := uint8(c.Programs)
			if c.Nominated {
				a |= uint8(data.PNP)
			}
			if !live.Of(a, c.Categories, c.Score) {
				continue
			}
			b := band(c.Score)
			tl.live[b]++
			tl.ghost[b]--
			if c.Programs&data.CEC != 0 {
				tl.cec[b]++
			}
			if c.Categories&stem != 0 {
				tl.stem[b]++
			}
		}
		return tl
	}
	split, whole := run(live, 11), run(nil, 12)
	for b, e := range data.BandEdges {
		for _, c := range []struct {
			what      string
			got, want float64
		}{
			{"live", split.live[b], whole.live[b]},
			{"ghost", split.ghost[b], whole.ghost[b]},
			{"live CEC", split.cec[b], whole.cec[b]},
			{"live STEM", split.stem[b], whole.stem[b]},
		} {
			if sd := math.Sqrt(c.got + c.want); math.Abs(c.got-c.want) > 4.5*sd+1 {
				t.Errorf("band %d-%d: %s arrivals %v split, %v whole (4.5 sd %.0f)", e.Low, e.High, c.what, c.got, c.want, 4.5*sd)
			}
		}
	}
	if split.stem[3] < 100 {
		t.Fatalf("band 481-490: %v live STEM arrivals: the test would prove little", split.stem[3])
	}
	if split.live[3] == 0 || split.ghost[3] == 0 {
		t.Fatalf("band 481-490 (floor 485): %v live, %v ghosts: the test would prove nothing", split.live[3], split.ghost[3])
	}
}

func band(s int) int {
	for b, e := range data.BandEdges {
		if s >= e.Low && s <= e.High {
			return b
		}
	}
	return -1
}
