package schedule

import (
	"time"

	"github.com/eesim/eesim/data"
)

// ScheduledRound is one round of a projection schedule.
type ScheduledRound struct {
	Instant     time.Time      `json:"instant"`
	Type        data.RoundType `json:"-"`
	Programs    data.Programs  `json:"-"`
	CategoryKey string         `json:"category,omitempty"`
	Version     string         `json:"version,omitempty"`
	Size        int            `json:"size"`
	// AllNominees makes a PNP round invite every nominee in the pool, at
	// least Size: RecentSchedule sets it (see there); schedule files and
	// --draw-size overrides do not.
	AllNominees bool `json:"all_nominees,omitempty"`
}

// Family returns the round's family, as data.Round.Family.
func (r ScheduledRound) Family() string {
	dr := data.Round{Type: r.Type, Programs: r.Programs, Category: r.CategoryKey}
	return dr.Family()
}

// DrawWeekDays is the largest gap, in days, between two draw days of the
// same draw week (docs/domain.md, "Cadence and sizes"); see RecentSchedule.
const DrawWeekDays = drawWeekDays

// RecentFamilyRounds returns, for each family of the rounds RecentSchedule
// repeats from start, a round of it as RecentSchedule makes them (type,
// programs, category, version, AllNominees), at start, of size 1, in order
// of the family's first round in the window.
func RecentFamilyRounds(rounds []data.Round, start time.Time, cfg RecentConfig) []ScheduledRound {
	return recentFamilyRounds(rounds, start, cfg)
}
