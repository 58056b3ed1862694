package draws_test

import (
	"fmt"
	"time"

	"github.com/eesim/eesim/data"
	"github.com/eesim/eesim/draws"
	"github.com/eesim/eesim/pool"
)

// A CEC round of one on a pool of four: the nominee is not ranked (IRCC's
// observed practice), the FSW-only candidate is not in the round, and the
// two CEC candidates at 505 are ranked by submission (day 3 before day 4).
func ExampleRun() {
	day := func(d int) time.Time { return time.Date(2025, 3, d, 9, 0, 0, 0, time.UTC) }
	p := pool.New(4)
	for _, c := range []pool.Candidate{
		{Score: 790, Submitted: day(1), Programs: data.CEC, Nominated: true},
		{Score: 520, Submitted: day(2), Programs: data.FSW},
		{Score: 505, Submitted: day(4), Programs: data.CEC | data.FSW},
		{Score: 505, Submitted: day(3), Programs: data.CEC},
	} {
		if _, err := p.Add(c); err != nil {
			fmt.Println(err)
			return
		}
	}
	r := draws.Round{Instant: day(10), Type: data.Program, Programs: data.CEC, Size: 1}
	res, err := draws.Run(p, r, draws.DefaultRules)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.String())
	fmt.Println("invited:", res.Invited, "CEC:", res.ByProgram[draws.ByCEC])
	fmt.Println("still active:", p.Active())
	// Output:
	// invited 1 (rank required 1), cutoff 505, tie-break 2025-03-03T09:00:00Z
	// invited: [3] CEC: 1
	// still active: 3
}
