package sim_test

import (
	"fmt"
	"time"

	"github.com/eesim/eesim/data"
	"github.com/eesim/eesim/sim"
)

// A CEC candidate at 515, submitted 2025-01-10: the first CEC round cuts
// at 520; the second at 515 with a tie-break before their submission; the
// third at 515 with a tie-break after it invites them.
func ExampleFirstInvitation() {
	day := func(s string) time.Time { t, _ := time.Parse(time.DateOnly, s); return t }
	c := sim.Candidate{Score: 515, Programs: data.CEC, Submitted: day("2025-01-10")}
	rounds := []sim.InviteRound{
		{Instant: day("2025-02-05"), Family: "cec", Cutoff: 520, TieBreak: day("2025-01-01")},
		{Instant: day("2025-02-19"), Family: "cec", Cutoff: 515, TieBreak: day("2025-01-05")},
		{Instant: day("2025-03-05"), Family: "cec", Cutoff: 515, TieBreak: day("2025-01-20")},
	}
	i := sim.FirstInvitation(c, rounds, day("2025-02-01"))
	fmt.Println(i, rounds[i].Instant.Format(time.DateOnly))
	// Output: 2 2025-03-05
}
