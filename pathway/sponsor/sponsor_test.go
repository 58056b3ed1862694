package sponsor

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

func TestHasIncomeTestAgreesWithIncome(t *testing.T) {
	income := map[int]int{2022: 1e6, 2023: 1e6, 2024: 1e6}
	for _, c := range Classes {
		for _, cwc := range []bool{false, true} {
			it, err := Income(c, 4, income, 2024, cwc)
			if err != nil {
				t.Fatalf("Income(%s, childWithChild %v): %v", c, cwc, err)
			}
			if got, want := HasIncomeTest(c, cwc), it.Basis != "none"; got != want {
				t.Errorf("HasIncomeTest(%s, %v) = %v, want %v (Income basis %s)", c, cwc, got, want, it.Basis)
			}
		}
	}
}

func TestLotteryAnalytic(t *testing.T) {
	l := Lottery{Interests: 100000, Quota: 10000, Model: Fixed}
	if l.PerYear() != 0.1 {
		t.Errorf("per year %v, want 0.1", l.PerYear())
	}
	// Fixed: k*Q/N = 0.1, 0.2, 0.3; conditional Q/(N-(k-1)Q) = 1/10, 1/9, 1/8.
	c, cond := l.Cumulative(3), l.Conditional(3)
	for k, w := range []float64{0.1, 0.2, 0.3} {
		if math.Abs(c[k]-w) > 1e-12 || math.Abs(cond[k]-1/float64(10-k)) > 1e-12 {
			t.Errorf("fixed year %d: %v %v, want %v %v", k+1, c[k], cond[k], w, 1/float64(10-k))
		}
	}
	// Consistency: 1 - prod(1 - conditional) equals the cumulative.
	if s := 1 - (1-cond[0])*(1-cond[1])*(1-cond[2]); math.Abs(s-c[2]) > 1e-12 {
		t.Errorf("product of conditionals %v, cumulative %v", s, c[2])
	}
	l.Model = Replenished
	if c := l.Cumulative(3); math.Abs(c[2]-0.271) > 1e-12 { // 1 - 0.9^3
		t.Errorf("replenished 3 years %v, want 0.271", c[2])
	}
	if c := (Lottery{Interests: 500, Quota: 800}).Cumulative(1); c[0] != 1 {
		t.Errorf("quota above interests: %v, want 1", c[0])
	}
}

func TestLotterySimulationMatchesAnalytic(t *testing.T) {
	for _, m := range []Model{Fixed, Replenished} {
		l := Lottery{Interests: 2000, Quota: 300, Model: m}
		rng := rand.New(rand.NewPCG(6, 2026))
		sim := l.Simulate(5, 4000, rng)
		want := l.Cumulative(5)
		for k := range want {
			// The focal sponsor's share is binomial: within 4 standard
			// errors (about 1 in 16,000 by chance per check, fixed seed).
			se := math.Sqrt(want[k] * (1 - want[k]) / 4000)
			if math.Abs(sim.Focal[k]-want[k]) > 4*se {
				t.Errorf("%s year %d: focal %.4f, analytic %.4f (se %.4f)", m, k+1, sim.Focal[k], want[k], se)
			}
			// The cohort share averages 2000 sponsors over 4000 trials:
			// sd about sqrt(p(1-p)/2000)/sqrt(4000) < 2e-4; allow 1e-3.
			if math.Abs(sim.Cohort[k]-want[k]) > 1e-3 {
				t.Errorf("%s year %d: cohort %.5f, analytic %.5f", m, k+1, sim.Cohort[k], want[k])
			}
		}
	}
}

func BenchmarkSimulate(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			l := Lottery{Interests: n, Quota: n / 10, Model: Replenished}
			rng := rand.New(rand.NewPCG(1, 2))
			for b.Loop() {
				l.Simulate(5, 10, rng)
			}
		})
	}
}
