package sim

import (
	"testing"
	"time"

	"github.com/eesim/eesim/data"
)

// dayN is the instant d days after 2024-01-01 14:00 UTC.
func dayN(d int) time.Time { return time.Date(2024, 1, 1, 14, 0, 0, 0, time.UTC).AddDate(0, 0, d) }

func TestShrinkPullsCategoryRoundsTowardsLastCutoff(t *testing.T) {
	rounds := []data.Round{
		{Number: "1", Instant: dayN(1), Type: data.Category, Category: "french", Cutoff: 400},
		{Number: "2", Instant: dayN(2), Type: data.Program, Programs: data.CEC, Cutoff: 530},
		{Number: "3", Instant: dayN(3), Type: data.Category, Category: "french", Cutoff: 410},
		{Number: "4", Instant: dayN(4), Type: data.Category, Category: "trades", Cutoff: 430},
	}
	c := NewCalibrator(DefaultModel(), DefaultCalibration)
	// Three pairs are not enough (minPull is 4): no pull.
	c.pull = map[string][][2]float64{Replay: {{10, 5}, {20, 10}, {-10, -5}}}
	if got, beta := c.Shrink(rounds, 2, Replay, 440); got != 440 || beta != 0 {
		t.Errorf("with 3 pairs: got %v (beta %v), want 440 unchanged", got, beta)
	}
	// By hand: beta = sum(d*e)/sum(d*d) = (50+200+50+450)/(100+400+100+900)
	// = 750/1500 = 0.5; round 3's family last cut at 400, so 440 is pulled
	// to 440 - 0.5*(440-400) = 420.
	c.pull[Replay] = append(c.pull[Replay], [2]float64{30, 15})
	if got, beta := c.Shrink(rounds, 2, Replay, 440); got != 420 || beta != 0.5 {
		t.Errorf("got %v (beta %v), want 420 (beta 0.5)", got, beta)
	}
	// Other modes have their own pairs (none here).
	if got, _ := c.Shrink(rounds, 2, WalkForward, 440); got != 440 {
		t.Errorf("walk-forward without pairs: got %v, want 440", got)
	}
	// A CEC round and a family's first round are not pulled.
	if got, _ := c.Shrink(rounds, 1, Replay, 540); got != 540 {
		t.Errorf("CEC round: got %v, want 540", got)
	}
	if got, _ := c.Shrink(rounds, 3, Replay, 470); got != 470 {
		t.Errorf("first trades round: got %v, want 470", got)
	}
	// Errors that grow faster than the distance clamp beta at 1: the
	// prediction becomes the last cutoff.
	c.pull[Replay] = [][2]float64{{10, 20}, {10, 20}, {10, 20}, {10, 20}}
	if got, beta := c.Shrink(rounds, 2, Replay, 440); got != 400 || beta != 1 {
		t.Errorf("clamped: got %v (beta %v), want 400 (beta 1)", got, beta)
	}
}

func TestCapacityFloorIsUnderLowestRecentCutoff(t *testing.T) {
	rounds := []data.Round{
		{Number: "1", Instant: dayN(1), Type: data.Category, Category: "french", Cutoff: 300},
		{Number: "2", Instant: dayN(400), Type: data.Category, Category: "french", Cutoff: 375},
		{Number: "3", Instant: dayN(430), Type: data.Category, Category: "french", Cutoff: 470},
		{Number: "4", Instant: dayN(440), Type: data.Category, Category: "trades", Cutoff: 430},
		{Number: "5", Instant: dayN(460), Type: data.Category, Category: "french", Cutoff: 365},
		{Number: "6", Instant: dayN(900), Type: data.Category, Category: "french", Cutoff: 365},
	}
	// Round 5: french cutoffs in the 12 months before are 375 and 470 (300
	// is older): 375 - 20 = 355.
	if got := capacityFloor(rounds, 4); got != 355 {
		t.Errorf("round 5: floor %d, want 355", got)
	}
	// Round 4: the first trades round: 350.
	if got := capacityFloor(rounds, 3); got != 350 {
		t.Errorf("round 4: floor %d, want 350", got)
	}
	// Round 6: no french round in the 12 months before: the last one,
	// 365 - 20 = 345.
	if got := capacityFloor(rounds, 5); got != 345 {
		t.Errorf("round 6: floor %d, want 345", got)
	}
}
