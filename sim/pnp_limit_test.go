package sim

import (
	"math"
	"testing"
	"time"

	"github.com/eesim/eesim/data"
	"gonum.org/v1/gonum/mat"
)

// TestPNPCutoffsNotIdentified backs the README's claim that PNP cutoffs
// cannot be replayed to within 10 points from IRCC's published numbers. A
// PNP round invites about every nominee (the 601-1200 band), so its cutoff
// is the lowest nominee's score, which no published number gives. Even a
// least-squares fit of the 2022-2025 PNP cutoffs on everything published
// before or with each round (log of the 601-1200 count, log of the size,
// the previous PNP cutoff, the mean of the last 3), fitted on the very
// rounds it is scored on (in-sample, so optimistic), leaves a mean absolute
// error far above 10 points.
func TestPNPCutoffsNotIdentified(t *testing.T) {
	f, err := data.LoadFeed("")
	if err != nil {
		t.Fatal(err)
	}
	var x [][]float64
	var y []float64
	var past []float64
	from := time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range f.Rounds {
		r := &f.Rounds[i]
		if r.Family() != "pnp" {
			continue
		}
		if !r.Instant.Before(from) && r.Snapshot != nil && r.Snapshot.Counts[0] > 0 && len(past) >= 3 {
			n := len(past)
			mean3 := (past[n-1] + past[n-2] + past[n-3]) / 3
			x = append(x, []float64{1, math.Log(float64(r.Snapshot.Counts[0])), math.Log(float64(r.Invitations)), past[n-1], mean3})
			y = append(y, float64(r.Cutoff))
		}
		past = append(past, float64(r.Cutoff))
	}
	if len(y) < 40 {
		t.Fatalf("%d PNP rounds with a snapshot in 2022-2025, want about 50", len(y))
	}
	a := mat.NewDense(len(y), len(x[0]), nil)
	for i, row := range x {
		a.SetRow(i, row)
	}
	var beta mat.VecDense
	if err := beta.SolveVec(a, mat.NewVecDense(len(y), y)); err != nil {
		t.Fatal(err)
	}
	mae := 0.0
	for i, row := range x {
		mae += math.Abs(y[i] - mat.Dot(mat.NewVecDense(len(row), row), &beta))
	}
	mae /= float64(len(y))
	t.Logf("%d PNP rounds, in-sample least-squares MAE %.1f CRS points", len(y), mae)
	if mae <= 10 {
		t.Errorf("in-sample MAE %.1f: the published numbers do pin PNP cutoffs down; revisit the README's Accuracy note", mae)
	}
}
