package pool

import "gonum.org/v1/gonum/floats"

// alias is a table for drawing an index with fixed probabilities in O(1)
// from one 64-bit random number: Walker's alias method, built with Vose's
// algorithm (M. D. Vose, "A linear algorithm for generating random numbers
// with a given distribution", IEEE Trans. Software Eng. 17(9), 1991).
// gonum's samplers (distuv.Categorical, sampleuv.Weighted) draw in
// O(log n); the pool generators draw hundreds of thousands of scores and
// attributes a run, so they use this.
type alias []aliasEntry

type aliasEntry struct {
	keep uint32 // keep i with probability keep / 2^32, else take alt
	alt  int32  // i itself for a column that always keeps it
}

// newAlias returns the alias table of weights w (non-negative, not all
// zero). An index of weight 0 is never drawn.
func newAlias(w []float64) alias {
	n := len(w)
	total := floats.Sum(w)
	t := make(alias, n)
	p := make([]float64, n)
	var small, large []int32
	for i, v := range w {
		p[i] = v / total * float64(n)
		if p[i] < 1 {
			small = append(small, int32(i))
		} else {
			large = append(large, int32(i))
		}
	}
	for len(small) > 0 && len(large) > 0 {
		s, l := small[len(small)-1], large[len(large)-1]
		small = small[:len(small)-1]
		t[s] = aliasEntry{keep: uint32(min(p[s]*(1<<32), 1<<32-1)), alt: l}
		p[l] -= 1 - p[s]
		if p[l] < 1 {
			large = large[:len(large)-1]
			small = append(small, l)
		}
	}
	// What is left has probability 1 up to rounding.
	for _, i := range large {
		t[i] = aliasEntry{keep: 1<<32 - 1, alt: i}
	}
	for _, i := range small {
		t[i] = aliasEntry{keep: 1<<32 - 1, alt: i}
	}
	return t
}

// draw returns an index from the random number u: its high 32 bits pick a
// column, its low 32 bits decide between the column and its alias.
func (t alias) draw(u uint64) int {
	i := int((u >> 32) * uint64(len(t)) >> 32)
	e := t[i]
	// Keep i when uint32(u) < e.keep, branch-free, as the choice is as
	// unpredictable as the draw: the subtraction borrows exactly then,
	// and its top bit becomes a mask of ones.
	keep := -int((uint64(uint32(u)) - uint64(e.keep)) >> 63)
	alt := int(e.alt)
	return alt ^ (alt^i)&keep
}

// prob returns the probability that draw returns i, computed from the
// table (for tests).
func (t alias) prob(i int) float64 {
	p := 0.0
	for j, e := range t {
		k := float64(e.keep) / (1 << 32)
		if int(e.alt) == j {
			k = 1 // both ways lead to j
		}
		if j == i {
			p += k
		}
		if int(e.alt) == i {
			p += 1 - k
		}
	}
	return p / float64(len(t))
}
