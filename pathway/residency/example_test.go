package residency_test

import (
	"fmt"

	"github.com/eesim/eesim/pathway"
	"github.com/eesim/eesim/pathway/residency"
)

// A permanent resident who landed on 2020-01-01 and spent March and April
// 2021 abroad (departed 2021-03-01, back 2021-04-30), checked on
// 2024-01-01. Less than five years after landing, the window runs from
// landing: 1,462 days (2020 is a leap year), of which the 59 days from
// 2021-03-02 to 2021-04-29 were abroad (the days of departure and return
// count as in Canada: docs/domain.md, "Residency obligation"), so 1,403
// days are credited, above the 730 required (IRPA s. 28(2)(a)). The first
// five years end on 2024-12-31, 365 days after the check.
func ExampleNew() {
	back := pathway.MustDate("2021-04-30")
	in := residency.Input{
		Landing:  pathway.MustDate("2020-01-01"),
		Absences: []pathway.Absence{{Depart: pathway.MustDate("2021-03-01"), Return: &back}},
	}
	c, err := residency.New(in, pathway.MustDate("2024-01-01"))
	if err != nil {
		fmt.Println(err)
		return
	}
	a := c.Assess()
	fmt.Println(a.Window.Start, a.Window.End, a.Window.Credited, a.Complies, a.Deadline, a.Remaining)
	// Output: 2020-01-01 2024-01-01 1403 true 2024-12-31 365
}
