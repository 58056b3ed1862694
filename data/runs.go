package data

import "time"

// RunRow is one simulated round in one Monte Carlo run: the row of the
// runs dataset (runs.arrow, runs.parquet) that `eesim simulate` writes and
// `eesim report` reads.
type RunRow struct {
	Run      int32     // run index, from 0
	Round    int32     // projected round index, from 0, in schedule order
	Instant  time.Time // when the round runs, UTC
	Family   string    // round family, as Round.Family
	Size     int32     // invitations requested
	Invited  int32     // invitations issued (more than Size on exact ties; less when the pool ran short)
	Cutoff   int32     // CRS of the lowest-ranked candidate invited; -1 if none
	TieBreak time.Time // submission instant of that candidate; zero if none
	CEC      int32     // invitations issued under CEC
	FSW      int32     // ... under FSW
	FST      int32     // ... under FST
	PNP      int32     // ... to provincial nominees
	PoolSize int32     // active candidates just before the round
}
