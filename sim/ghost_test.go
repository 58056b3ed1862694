package sim

import (
	"reflect"
	"testing"
)

// TestGhostsChangeNothing runs a 12-month projection from the latest
// snapshot on the recent schedule twice with the same seed: once keeping
// the candidates no round can invite as ghosts (the default: the classes
// no round is open to, and candidates under the floor of every round open
// to them), once as full candidates (pool.Synthesizer.MaterializeGhosts).
// Everything else draws the same random numbers, so every round's cutoff,
// tie-break, invitations by program and the pool size must be identical,
// and so must the band counts at the end.
func TestGhostsChangeNothing(t *testing.T) {
	rn := benchRunner(t, 24000)
	sc := rn.sc
	for run := range 3 {
		ghosts := rn.Run(RunRNG(7, run), nil, nil)
		ghostBands, nGhosts := rn.p.BandCounts(), rn.p.Ghosts()
		rn.sy.MaterializeGhosts(true)
		full := rn.Run(RunRNG(7, run), nil, nil)
		fullBands := rn.p.BandCounts()
		rn.sy.MaterializeGhosts(false)
		if nGhosts == 0 || rn.p.Ghosts() != 0 {
			t.Fatalf("run %d: %d ghosts with live set, %d without: the test would prove nothing", run, nGhosts, rn.p.Ghosts())
		}
		if len(ghosts) == 0 || !reflect.DeepEqual(ghosts, full) {
			for i := range min(len(ghosts), len(full)) {
				if ghosts[i] != full[i] {
					t.Errorf("run %d round %d: with ghosts %+v, without %+v", run, i, ghosts[i], full[i])
					break
				}
			}
			t.Fatalf("run %d: %d outcomes with ghosts, %d without, schedule %d", run, len(ghosts), len(full), len(sc.Steps))
		}
		if ghostBands != fullBands {
			t.Errorf("run %d: band counts at the end %v with ghosts, %v without", run, ghostBands, fullBands)
		}
		t.Logf("run %d: %d ghosts at the end, pool %d", run, nGhosts, ghosts[len(ghosts)-1].PoolSize)
	}
}
