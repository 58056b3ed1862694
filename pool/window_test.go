package pool

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/eesim/eesim/data"
)

// TestWindowsMatchDefinition checks the one-sweep windows of tablesFor
// against their definition, score by score: the window at s is 12 months,
// cut to the time since every applicable drain with cutoff below s, and
// since the tie-break instant (or the round, without one) of every
// applicable drain with cutoff s; never under one second.
func TestWindowsMatchDefinition(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	at := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	var drains []Drain
	for range 60 {
		d := Drain{
			At:     at.Unix() - rng.Int64N(400*86400),
			Cutoff: 300 + rng.IntN(600),
			Cats:   CategorySet(rng.IntN(3)), // none, bit 0 or bit 1
		}
		if rng.IntN(2) == 0 {
			d.TieBreak = d.At - rng.Int64N(200*86400)
		}
		for a := range d.Eligible {
			d.Eligible[a] = rng.IntN(3) > 0
		}
		drains = append(drains, d)
	}
	drains = append(drains, Drain{At: at.Unix(), Cutoff: 480, Eligible: [16]bool{true, true, true, true}}) // window 1 s
	var counts [data.NumBands]int
	spec := &SynthSpec{Counts: counts, At: at, Model: &Model{}, Registry: NewRegistry(DefaultCategories...), Drains: drains}
	sy, err := NewSynthesizer(spec)
	if err != nil {
		t.Fatal(err)
	}
	floor := at.Unix() - validitySeconds
	for _, attr := range []uint8{1, 2, 3, 1 | freshBit, 9} {
		for _, cats := range []CategorySet{0, 1, 2, 3} {
			tab := sy.tablesFor(attr, cats)
			for s := 0; s <= MaxScore; s++ {
				want := at.Unix() - floor
				for _, d := range drains {
					if d.At <= floor || d.At > at.Unix() || !d.applies(attr&15, cats) || d.Cats != 0 && attr&freshBit != 0 || s < d.Cutoff {
						continue
					}
					from := d.At
					if s == d.Cutoff && d.TieBreak != 0 {
						from = d.TieBreak
					}
					want = min(want, max(at.Unix()-from, 1))
				}
				if tab.win[s] != want {
					t.Fatalf("attr %d cats %d score %d: window %d s, want %d s", attr, cats, s, tab.win[s], want)
				}
			}
		}
	}
}

// TestRadixSortStable checks radixSort against the standard library's
// stable sort.
func TestRadixSortStable(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	for _, n := range []int{0, 1, 2, 1000, 100000} {
		recs := make([]synthRec, n)
		for i := range recs {
			// Few distinct instants, so that ties are common.
			recs[i] = synthRec{key: uint64(rng.IntN(5000)) << 12, val: uint64(i)}
		}
		want := slices.Clone(recs)
		slices.SortStableFunc(want, func(a, b synthRec) int { return cmp.Compare(a.key, b.key) })
		radixSort(recs, nil)
		if !slices.Equal(recs, want) {
			t.Fatalf("n=%d: radix order differs from the stable sort", n)
		}
	}
}
