package pool

import (
	"math/rand/v2"
	"testing"
)

// TestRandSameAsRandRand checks that Rand's direct calls give the numbers
// a rand.Rand on the same source gives, so that seeds keep their
// meaning.
func TestRandSameAsRandRand(t *testing.T) {
	r := NewRand(3, 9)
	want := rand.New(NewRand(3, 9).src)
	for i := range 1000 {
		switch i % 3 {
		case 0:
			if got, w := r.Uint64(), want.Uint64(); got != w {
				t.Fatalf("draw %d: Uint64 %d, rand.Rand %d", i, got, w)
			}
		case 1:
			if got, w := r.Float64(), want.Float64(); got != w {
				t.Fatalf("draw %d: Float64 %v, rand.Rand %v", i, got, w)
			}
		default:
			if got, w := r.ExpFloat64(), want.ExpFloat64(); got != w {
				t.Fatalf("draw %d: ExpFloat64 %v, rand.Rand %v", i, got, w)
			}
		}
	}
}
