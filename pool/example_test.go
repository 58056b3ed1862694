package pool_test

import (
	"fmt"
	"time"

	"github.com/eesim/eesim/data"
	"github.com/eesim/eesim/pool"
)

// Building a pool by hand. BandCounts counts the active profiles in the
// bands of IRCC's published distribution (data.BandEdges), and a profile
// leaves the pool 12 months after submission (pool.Validity): on
// 2026-02-01 only the profile of 2025-01-10 has expired.
func ExampleNew() {
	day := func(m time.Month, d int) time.Time { return time.Date(2025, m, d, 12, 0, 0, 0, time.UTC) }
	p := pool.New(3)
	for _, c := range []pool.Candidate{
		{Score: 478, Submitted: day(time.January, 10), Programs: data.FSW},
		{Score: 505, Submitted: day(time.March, 3), Programs: data.CEC},
		{Score: 790, Submitted: day(time.May, 1), Programs: data.CEC, Nominated: true},
	} {
		if _, err := p.Add(c); err != nil {
			fmt.Println(err)
			return
		}
	}
	counts := p.BandCounts()
	for b, e := range data.BandEdges {
		if counts[b] > 0 {
			fmt.Printf("%d-%d: %d\n", e.Low, e.High, counts[b])
		}
	}
	expired := p.Advance(time.Date(2026, time.February, 1, 0, 0, 0, 0, time.UTC).Unix())
	fmt.Println("expired:", expired, "active:", p.Active())
	// Output:
	// 601-1200: 1
	// 501-600: 1
	// 471-480: 1
	// expired: 1 active: 2
}
