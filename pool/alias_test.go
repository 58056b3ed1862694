package pool

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestAliasProbabilities(t *testing.T) {
	// The probability of each index, read back from the table column by
	// column, must be its weight over the total (up to the 2^-32 steps of
	// the keep thresholds); a zero weight is never drawn.
	rng := rand.New(rand.NewPCG(1, 2))
	for _, w := range [][]float64{
		{1},
		{1, 1, 1, 1},
		{0, 3, 0, 1},
		{0.5, 0.25, 0.125, 0.125},
		func() []float64 { // a steep exponential, as in 501-600
			w := make([]float64, 100)
			for i := range w {
				w[i] = math.Exp(-0.075 * float64(i))
			}
			return w
		}(),
		func() []float64 {
			w := make([]float64, 37)
			for i := range w {
				w[i] = rng.Float64() * float64(i%3)
			}
			return w
		}(),
	} {
		tab := newAlias(w)
		total := 0.0
		for _, v := range w {
			total += v
		}
		for i, v := range w {
			if got, want := tab.prob(i), v/total; math.Abs(got-want) > 1e-8 {
				t.Errorf("weights %v: P(%d) = %.10f, want %.10f", w, i, got, want)
			}
		}
		for range 10000 {
			if i := tab.draw(rng.Uint64()); w[i] == 0 {
				t.Fatalf("weights %v: drew index %d of weight 0", w, i)
			}
		}
	}
}

func TestAliasFrequencies(t *testing.T) {
	// 400,000 draws of weights 1:2:3:4: each count within 5 binomial sd
	// of n p (sd = sqrt(n p (1-p)), about 190-310).
	tab := newAlias([]float64{1, 2, 3, 4})
	rng := rand.New(rand.NewPCG(3, 4))
	const n = 400000
	var c [4]int
	for range n {
		c[tab.draw(rng.Uint64())]++
	}
	for i, got := range c {
		p := float64(i+1) / 10
		if sd := math.Sqrt(n * p * (1 - p)); math.Abs(float64(got)-n*p) > 5*sd {
			t.Errorf("index %d: %d draws, want %.0f +- %.0f", i, got, n*p, 5*sd)
		}
	}
}

func TestAttrTablesShares(t *testing.T) {
	// Programs, nomination and categories are independent draws with the
	// given shares: CEC 0.4, nominated 0.1, category 0 0.1, category 1
	// 0.3, both categories 0.1*0.3 = 0.03; FSW 0.7 plus the 0.6*0.3*0.95
	// of profiles with no federal program, who are counted as FSW
	// (0.871). Each within 5 binomial sd over 200,000 draws.
	at := newAttrTables(0.4, 0.7, 0.05, 0.1, []float64{0.1, 0.3}, []CategorySet{1, 2})
	rng := NewRand(5, 6)
	const n = 200000
	var cec, fsw, nom, c0, c1, both int
	for range n {
		a, c := at.draw(rng)
		cec += int(a & 1)
		fsw += int(a>>1) & 1
		nom += int(a>>3) & 1
		c0 += int(c & 1)
		c1 += int(c>>1) & 1
		if c == 3 {
			both++
		}
	}
	for _, c := range []struct {
		name string
		got  int
		p    float64
	}{{"CEC", cec, 0.4}, {"FSW", fsw, 0.7 + 0.6*0.3*0.95}, {"nominated", nom, 0.1}, {"category 0", c0, 0.1}, {"category 1", c1, 0.3}, {"both", both, 0.03}} {
		if sd := math.Sqrt(n * c.p * (1 - c.p)); math.Abs(float64(c.got)-n*c.p) > 5*sd {
			t.Errorf("%s: %d of %d, want %.0f +- %.0f", c.name, c.got, n, n*c.p, 5*sd)
		}
	}
}

func TestAttrTablesManyCategories(t *testing.T) {
	// Past maxJointCats categories the first category is drawn with the
	// programs and the later ones one by one: each of 11 categories with
	// share 0.1 must come out at 0.1, categories 0 and 10 together at
	// 0.01, within 5 binomial sd over 200,000 draws.
	share := make([]float64, maxJointCats+1)
	bits := make([]CategorySet, len(share))
	for k := range share {
		share[k] = 0.1
		bits[k] = 1 << k
	}
	at := newAttrTables(0.4, 0.7, 0.05, 0.1, share, bits)
	rng := NewRand(7, 8)
	const n = 200000
	var first, last, both int
	for range n {
		_, c := at.draw(rng)
		first += int(c & 1)
		last += int(c>>maxJointCats) & 1
		if c&1 != 0 && c&(1<<maxJointCats) != 0 {
			both++
		}
	}
	for _, c := range []struct {
		name string
		got  int
		p    float64
	}{{"category 0", first, 0.1}, {"category 10", last, 0.1}, {"both", both, 0.01}} {
		if sd := math.Sqrt(n * c.p * (1 - c.p)); math.Abs(float64(c.got)-n*c.p) > 5*sd {
			t.Errorf("%s: %d of %d, want %.0f +- %.0f", c.name, c.got, n, n*c.p, 5*sd)
		}
	}
}
