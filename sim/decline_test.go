package sim

import (
	"math"
	"testing"
)

// TestEachDeclined checks the geometric skips of eachDeclined against
// independent declines with probability p: over many rounds of 1,000
// invitations, the mean number declined is 1000 p, every position is as
// likely (the first half holds half of the declines, and so does every
// other position), and no index repeats or goes out of range. Shares of
// 0 and 1 decline none and all.
func TestEachDeclined(t *testing.T) {
	const n, reps = 1000, 2000
	for _, p := range []float64{0.05, 0.3} {
		rng := RunRNG(7, 0)
		var total, firstHalf, even float64
		for range reps {
			last := -1
			eachDeclined(n, p, rng, func(i int) {
				if i <= last || i >= n {
					t.Fatalf("p=%v: index %d after %d (n %d)", p, i, last, n)
				}
				last = i
				total++
				if i < n/2 {
					firstHalf++
				}
				if i%2 == 0 {
					even++
				}
			})
		}
		mean := total / reps
		se := math.Sqrt(n * p * (1 - p) / reps)
		if math.Abs(mean-n*p) > 4.5*se {
			t.Errorf("p=%v: %.2f declined per round, want %v (4.5 se %.2f)", p, mean, n*p, 4.5*se)
		}
		half := 0.5 * total
		if sd := math.Sqrt(total * 0.25); math.Abs(firstHalf-half) > 4.5*sd || math.Abs(even-half) > 4.5*sd {
			t.Errorf("p=%v: %v of %v declines in the first half and %v at even positions, want about %v", p, firstHalf, total, even, half)
		}
	}
	for _, c := range []struct {
		p    float64
		want int
	}{{0, 0}, {1, n}} {
		got := 0
		eachDeclined(n, c.p, RunRNG(1, 1), func(int) { got++ })
		if got != c.want {
			t.Errorf("p=%v: %d declined, want %d", c.p, got, c.want)
		}
	}
}
