package data

import "time"

// RunRow is one simulated round in one Monte Carlo run: the row of the
// runs dataset (runs.arrow, runs.parquet) that `eesim simulate` writes and
// `eesim report` reads.
type RunRow struct {
	Run     int32     // run index, from 0
	Round   int32     // projected round index, from 0, in schedule order
	Instant time.Time // when the round runs, UTC
	Family  string    // round family, as Round.Family
	Size    int32     // invitations requested
	Invited int32     // invitations issued (more than Size on exact ties; less when the pool ran short)
	Cutoff  int32     // predictive cutoff: SimCutoff plus the model's own error (see sim.ErrorModel); -1 if none
	// SimCutoff is the CRS of the lowest-ranked candidate the synthetic
	// pool invited; -1 if none.
	SimCutoff int32
	TieBreak  time.Time // submission instant of that candidate; zero if none
	CEC       int32     // invitations issued under CEC
	FSW       int32     // ... under FSW
	FST       int32     // ... under FST
	PNP       int32     // ... to provincial nominees
	PoolSize  int32     // active candidates just before the round
	// NewFamily marks a round of a family with no real round before the
	// projection's start: its cutoff comes from the prior of new families
	// (see sim.NewFamilyPrior), not from the pool.
	NewFamily bool
}
