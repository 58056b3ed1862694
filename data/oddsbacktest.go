package data

import "time"

// OddsBacktestRow is one scored forecast of an odds backtest: for one
// synthetic candidate, one start and one month, the predicted probability
// of an invitation by By and what the record did.
type OddsBacktestRow struct {
	Start time.Time // the forecast's start: only rounds before it were known
	Month int       // By is Start plus Month calendar months
	By    time.Time

	// The candidate. Family is the grid family the candidate belongs to
	// (the round family whose cutoffs set its score), used to group scores.
	Family     string
	Programs   Programs
	Categories []string
	Nominated  bool
	Score      int
	// Offset is the score minus Anchor when the grid gave an offset;
	// Anchor is the family's last cutoff before Start (-1 when none).
	Offset    int
	Relative  bool
	Anchor    int
	Submitted time.Time

	// P is the share of runs that invited the candidate in a round before
	// By (RunsInvited of Runs). Decided reports that the candidate meets
	// no federal program and holds no nomination before By, so no round
	// can rank them: P is 0 by the rules, not by the runs.
	P           float64
	RunsInvited int
	Runs        int
	Decided     bool

	// Naive is the naive forecast (0 or 1, the same every month).
	Naive float64

	// Invited reports whether the real rounds from Start invited the
	// candidate before By; InvitedAt is when (zero if never).
	Invited   bool
	InvitedAt time.Time
}

// ReliabilityBin is one probability bin of a reliability table: the
// forecasts with a probability in [Lo, Hi) ([Lo, Hi] for the last bin).
type ReliabilityBin struct {
	Lo, Hi   float64
	N        int
	MeanP    float64 // mean forecast probability; NaN when N is 0
	Observed float64 // share of the forecasts whose event happened; NaN when N is 0
}
